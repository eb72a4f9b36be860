"""Estimators shared by every basis: percentiles by rank and their intervals, share intervals.

The one percentile definition (:func:`percentile_rank`), reading a rank of
group-sorted speeds (:func:`read_rank`), the percentile interval on the
effective sample size (:func:`percentiles`) and the Wilson interval of a
pooled share (:func:`share_interval`); the unit of independence and the
design effects are described in :mod:`trafikplan.stats.dayvar`.
"""

from __future__ import annotations

import numpy as np

from trafikplan.stats.dayvar import percentile_design_effect
from trafikplan.stats.intervals import quantile_ranks, wilson_interval, z_value

__all__ = ["density_step", "percentile_rank", "percentiles", "read_rank", "share_interval"]

def read_rank(s: np.ndarray, start: np.ndarray, n: np.ndarray, r: np.ndarray) -> np.ndarray:
    """Value at the 1-based fractional rank ``r`` of each group of the group-sorted ``s``.

    Linear interpolation between the order statistics ``x_(floor r)`` and
    ``x_(floor r + 1)``; ``r`` is clipped into ``1..n``.
    """
    last = max(len(s) - 1, 0)
    sv = s if len(s) else np.zeros(1)
    r = np.clip(r, 1.0, np.maximum(n, 1).astype(float))
    i = np.floor(r).astype(np.int64) - 1
    frac = r - 1.0 - i
    i0 = np.clip(start + i, 0, last)
    i1 = np.clip(np.minimum(start + i + 1, start + n - 1), 0, last)
    return sv[i0] + frac * (sv[i1] - sv[i0])


def percentile_rank(n: np.ndarray, q: float | np.ndarray) -> np.ndarray:
    """1-based fractional rank of the sample ``q``-quantile: ``1 + (n - 1) q``.

    This is the one percentile definition of trafikplan (V85 and every other
    percentile, per-vehicle data and evaluations alike): linear interpolation
    between order statistics, Hyndman & Fan (1996) definition 7, the default
    of ``numpy.quantile`` and ``pandas``. Binned counts use its continuous
    analogue (:mod:`trafikplan.stats.binned`).
    """
    return 1.0 + (np.asarray(n, dtype=float) - 1.0) * q


def density_step(q: float, n_eff: np.ndarray, level: float) -> np.ndarray:
    """Half width ``h`` [probability] of the difference quotient for the density at a percentile.

    The half width of the interval on the probability scale,
    ``z sqrt(q (1 - q) / n_eff)``, kept inside ``[0.01, min(q, 1 - q) · 0.9]``:
    the density is read over the range of the sample the interval spans.
    """
    z = z_value(level)
    h = z * np.sqrt(q * (1.0 - q) / np.maximum(n_eff, 1.0))
    return np.clip(h, 0.01, 0.9 * min(q, 1.0 - q))


def percentiles(
    s: np.ndarray, start: np.ndarray, n: np.ndarray, q: float, level: float, min_n: int,
    day_sum: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Percentile and its interval per group from sorted speeds ``s``.

    The interval is the order-statistic interval with exact binomial ranks
    on the Woodruff effective sample size ``n / deff``
    (:func:`trafikplan.stats.dayvar.percentile_design_effect`), its ranks
    scaled back to the sample (``r n / n_eff``); with no day term exactly the
    distribution-free interval. Returns value, lo, hi and the design effect.
    """
    value = read_rank(s, start, n, percentile_rank(n, q))
    deff = np.ones(len(n))
    for _ in range(2 if np.any(day_sum > 0) else 0):  # density over the interval's p-range
        h = density_step(q, n / deff, level)
        deff = percentile_design_effect(
            q, n, read_rank(s, start, n, percentile_rank(n, q - h)),
            read_rank(s, start, n, percentile_rank(n, q + h)), h, day_sum)
    n_eff = np.floor(n / deff + 1e-9).astype(np.int64)
    lr, ur, valid = quantile_ranks(n_eff, q, level)
    scale = n / np.maximum(n_eff, 1)
    lo = read_rank(s, start, n, lr * scale)
    hi = read_rank(s, start, n, ur * scale)
    enough = valid if np.array_equal(n_eff, n) else quantile_ranks(n, q, level)[2]
    ok = enough & (n >= max(min_n, 1))
    nan = np.full(len(n), np.nan)
    return (np.where(ok, value, nan), np.where(ok & valid, lo, nan),
            np.where(ok & valid, hi, nan), deff)


def share_interval(over: np.ndarray, n: np.ndarray, day_share: np.ndarray, level: float,
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Wilson interval of a pooled share on the effective sample size.

    ``deff = 1 + sum_k theta_s n_k² / n`` (:mod:`trafikplan.stats.dayvar`);
    the Wilson interval of ``(over / deff, n / deff)`` (Kish's effective
    sample size). Returns lo, hi and ``deff``.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        deff = 1.0 + np.where(n > 0, day_share / np.maximum(n, 1e-12), 0.0)
    lo, hi = wilson_interval(np.nan_to_num(over) / deff, n / deff, level)
    return lo, hi, deff
