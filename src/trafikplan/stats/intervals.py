"""Confidence intervals used by the statistics, vectorised over arrays.

Every function takes NumPy arrays (or scalars) and broadcasts, so one call
covers every group of a grouping. The 95 % level is the default everywhere.

These intervals assume independent observations. A statistic pooled over
several days does not have independent vehicles: the statistics feed them
effective sample sizes and variances that carry the between-day component
(:mod:`trafikplan.stats.dayvar`), so the unit of independence is the day.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

__all__ = [
    "newcombe_difference",
    "quantile_ranks",
    "t_interval",
    "wilson_interval",
    "z_value",
]


def z_value(level: float = 0.95) -> float:
    """Return the two-sided standard normal quantile for ``level`` (1.96 for 95 %)."""
    return float(special.ndtri(0.5 + level / 2.0))


def t_interval(
    mean: ArrayLike, sd: ArrayLike, n: ArrayLike, level: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Student t interval for a mean.

    ``mean ± t(n-1, 1-α/2) · sd / √n`` with ``t`` the Student t quantile
    (method: the classical one-sample t interval).

    Parameters
    ----------
    mean : array_like of float [unit of the data]
        Sample means.
    sd : array_like of float [unit of the data]
        Sample standard deviations (denominator ``n - 1``).
    n : array_like of int
        Sample sizes.
    level : float
        Confidence level, 0.95 for 95 %.

    Returns
    -------
    lo, hi : ndarray of float [unit of the data]
        NaN where ``n < 2`` (no spread can be estimated from one value).
    """
    mean = np.asarray(mean, dtype=float)
    sd = np.asarray(sd, dtype=float)
    n = np.asarray(n, dtype=float)
    ok = n >= 2
    df = np.where(ok, n - 1.0, 1.0)
    t = special.stdtrit(df, 0.5 + level / 2.0)
    half = np.where(ok, t * sd / np.sqrt(np.where(ok, n, 1.0)), np.nan)
    return mean - half, mean + half


def wilson_interval(
    k: ArrayLike, n: ArrayLike, level: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a proportion ``k / n``.

    The interval is the set of ``p`` for which the score test does not reject:
    centre ``(k + z²/2) / (n + z²)``, half width
    ``z / (n + z²) · √(k (n - k) / n + z² / 4)`` (Wilson 1927). It stays inside
    [0, 1] and keeps close to nominal coverage for small ``n`` and shares near
    0 or 1, unlike the Wald interval.

    Parameters
    ----------
    k : array_like of float [count]
        Successes (may be fractional when counts are interpolated in bins).
    n : array_like of float [count]
        Trials.
    level : float
        Confidence level.

    Returns
    -------
    lo, hi : ndarray of float [share, 0..1]
        NaN where ``n == 0``.
    """
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    z = z_value(level)
    z2 = z * z
    ok = n > 0
    nn = np.where(ok, n, 1.0)
    kk = np.clip(k, 0.0, nn)
    centre = (kk + z2 / 2.0) / (nn + z2)
    half = z / (nn + z2) * np.sqrt(np.maximum(kk * (nn - kk) / nn, 0.0) + z2 / 4.0)
    lo = np.where(ok, np.clip(centre - half, 0.0, 1.0), np.nan)
    hi = np.where(ok, np.clip(centre + half, 0.0, 1.0), np.nan)
    # Exact limits at the edges (rounding can leave 1e-17 instead of 0).
    lo = np.where(ok & (kk == 0), 0.0, lo)
    hi = np.where(ok & (kk == nn), 1.0, hi)
    return lo, hi


def newcombe_difference(
    k1: ArrayLike, n1: ArrayLike, k2: ArrayLike, n2: ArrayLike, level: float = 0.95
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Difference of two independent proportions with Newcombe's hybrid score interval.

    ``d = p1 - p2`` with limits ``d - √((p1 - l1)² + (u2 - p2)²)`` and
    ``d + √((u1 - p1)² + (p2 - l2)²)``, where ``(l, u)`` are the Wilson limits
    of each proportion (Newcombe 1998, method 10). Used for before/after
    comparisons of a share (e.g. share over the limit before and after a
    measure).

    Parameters
    ----------
    k1, n1 : array_like of float [count]
        Successes and trials of the first sample ("after").
    k2, n2 : array_like of float [count]
        Successes and trials of the second sample ("before").
    level : float
        Confidence level.

    Returns
    -------
    diff, lo, hi : ndarray of float [share difference, -1..1]
        NaN where either ``n`` is 0.
    """
    k1 = np.asarray(k1, dtype=float)
    n1 = np.asarray(n1, dtype=float)
    k2 = np.asarray(k2, dtype=float)
    n2 = np.asarray(n2, dtype=float)
    ok = (n1 > 0) & (n2 > 0)
    p1 = np.where(n1 > 0, k1 / np.where(n1 > 0, n1, 1.0), np.nan)
    p2 = np.where(n2 > 0, k2 / np.where(n2 > 0, n2, 1.0), np.nan)
    l1, u1 = wilson_interval(k1, n1, level)
    l2, u2 = wilson_interval(k2, n2, level)
    diff = np.where(ok, p1 - p2, np.nan)
    lo = diff - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    hi = diff + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return diff, np.where(ok, lo, np.nan), np.where(ok, hi, np.nan)


def _binom_ppf(y: float, n: np.ndarray, p: float) -> np.ndarray:
    """Smallest integer ``k`` with ``P(Bin(n, p) <= k) >= y``, for arrays of ``n``.

    Starts from the continuous inverse of the regularised incomplete beta
    function (``scipy.special.bdtrik``) and corrects it with the exact
    binomial CDF (``scipy.special.bdtr``), so the result is exact.
    """
    n_int = np.asarray(n, dtype=np.int64)
    n_f = n_int.astype(float)
    with np.errstate(invalid="ignore"):
        guess = special.bdtrik(y, n_f, p)
    guess = np.where(np.isfinite(guess), guess, n_f * p)
    k = np.clip(np.floor(guess) - 2.0, 0.0, n_f).astype(np.int64)
    for _ in range(6):
        below = special.bdtr(k, n_int, p) < y
        k = np.where(below & (k < n_int), k + 1, k)
    # Step down while the previous integer already reaches y (guards the guess).
    for _ in range(3):
        prev = np.maximum(k - 1, 0)
        step = (k > 0) & (special.bdtr(prev, n_int, p) >= y)
        k = np.where(step, prev, k)
    return k.astype(np.int64)


def quantile_ranks(
    n: ArrayLike, q: float, level: float = 0.95
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Order-statistic ranks of the distribution-free interval for a quantile.

    For a sample of ``n`` independent values from a continuous distribution,
    the number ``B`` of values below the true ``q``-quantile is Binomial(n, q),
    so ``[X_(l), X_(u)]`` covers the quantile with probability
    ``P(l <= B <= u - 1)`` whatever the distribution (exact binomial ranks;
    e.g. Hahn & Meeker, *Statistical Intervals*, ch. 5). The ranks are

    * ``l`` = smallest ``k`` with ``P(B <= k) >= α/2`` (so ``P(B < l) < α/2``),
    * ``u`` = 1 + smallest ``k`` with ``P(B <= k) >= 1 - α/2``,

    which gives coverage of at least ``level`` (conservative, as binomial
    probabilities come in steps).

    Rule for "too few vehicles": the interval exists only when ``1 <= l`` and
    ``u <= n``; otherwise ``valid`` is False and the statistics report NaN for
    the percentile and its limits. For 95 % this needs ``n >= 6`` for the median,
    ``n >= 23`` for V85 and ``n >= 72`` for V95.

    Parameters
    ----------
    n : array_like of int
        Sample sizes (vectorised; each distinct ``n`` is computed once).
    q : float
        The quantile, 0 < q < 1 (0.85 for V85).
    level : float
        Confidence level.

    Returns
    -------
    lo_rank, hi_rank : ndarray of int64
        1-based ranks ``l`` and ``u`` of the order statistics (clipped into
        ``1..n`` where not valid).
    valid : ndarray of bool
        True where both ranks lie inside ``1..n``.
    """
    n = np.asarray(n, dtype=np.int64)
    shape = n.shape
    flat = n.ravel()
    uniq, inverse = np.unique(flat, return_inverse=True)
    alpha = 1.0 - level
    pos = uniq > 0
    safe = np.where(pos, uniq, 1)
    lo = _binom_ppf(alpha / 2.0, safe, q)
    hi = _binom_ppf(1.0 - alpha / 2.0, safe, q) + 1
    valid_u = pos & (lo >= 1) & (hi <= uniq)
    lo_c = np.clip(lo, 1, safe)
    hi_c = np.clip(hi, 1, safe)
    return (
        lo_c[inverse].reshape(shape),
        hi_c[inverse].reshape(shape),
        valid_u[inverse].reshape(shape),
    )
