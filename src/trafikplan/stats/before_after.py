"""Before/after statistics of a measure: daily standardised values, periods and their differences.

The methods of :mod:`trafikplan.stats.evaluate` (its docstring states them and
the unit of analysis, the day): the observations of a site over weekday x
hour cells, a period's daily values, Welch, difference-in-differences and
paired (clustered by date) intervals, the V85 and share comparison and the
minimum detectable effect.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special

from trafikplan.stats.estimators import percentile_rank, read_rank
from trafikplan.stats.intervals import (
    newcombe_difference,
    quantile_ranks,
    wilson_interval,
    z_value,
)
from trafikplan.stats.localtime import hour_codes

__all__ = [
    "NS_PER_DAY",
    "Observations",
    "Period",
    "cell_days",
    "compare_periods",
    "daily_values",
    "day_date",
    "day_number",
    "day_window",
    "did_difference",
    "minimum_detectable",
    "observations",
    "paired_daily",
    "paired_did",
    "period_of",
    "periods_of",
    "site_name",
    "volume_per_hour",
    "welch_difference",
    "would_flag",
]

NS_PER_DAY = 86400 * 1_000_000_000



def welch_difference(
    after: np.ndarray, before: np.ndarray, level: float = 0.95
) -> tuple[float, float, float, float]:
    """Difference of two means with Welch's t interval.

    ``d = mean(after) − mean(before)``, ``se = √(s_a²/n_a + s_b²/n_b)``,
    degrees of freedom by Welch–Satterthwaite
    ``ν = se⁴ / ((s_a²/n_a)²/(n_a−1) + (s_b²/n_b)²/(n_b−1))``, limits
    ``d ± t(ν, 1−α/2)·se``.

    Parameters
    ----------
    after, before : ndarray of float [km/h]
        The two samples (speeds).
    level : float
        Confidence level.

    Returns
    -------
    diff, lo, hi : float [km/h]
        NaN when either sample has fewer than 2 values.
    df : float
        Welch–Satterthwaite degrees of freedom.
    """
    return did_difference([after, before], [1.0, -1.0], level)


def did_difference(
    samples: Sequence[np.ndarray], signs: Sequence[float], level: float = 0.95
) -> tuple[float, float, float, float]:
    """Compute a signed sum of independent means with a Welch-type t interval.

    ``d = Σ c_i·mean_i`` with ``c_i = ±1``; ``se² = Σ s_i²/n_i``; degrees of
    freedom by Satterthwaite, ``ν = se⁴ / Σ (s_i²/n_i)²/(n_i − 1)``. With
    the samples ``[A_after, A_before, C_after, C_before]`` and signs
    ``[1, −1, −1, 1]`` this is the difference in differences of mean speeds
    (measure site A against comparison site C); with two samples it is
    Welch's interval.

    Parameters
    ----------
    samples : sequence of ndarray of float [km/h]
        Independent samples.
    signs : sequence of float
        ``+1`` or ``−1`` per sample.
    level : float
        Confidence level.

    Returns
    -------
    diff, lo, hi : float [km/h]
        NaN when any sample has fewer than 2 values.
    df : float
        Satterthwaite degrees of freedom.
    """
    arrays = [np.asarray(s, dtype=float) for s in samples]
    ns = np.array([a.size for a in arrays], dtype=float)
    if (ns < 2).any():
        return np.nan, np.nan, np.nan, np.nan
    means = np.array([a.mean() for a in arrays])
    v = np.array([a.var(ddof=1) for a in arrays]) / ns
    diff = float(np.dot(np.asarray(signs, dtype=float), means))
    se2 = float(v.sum())
    if se2 == 0.0:
        return diff, diff, diff, np.inf
    df = se2**2 / float((v**2 / (ns - 1.0)).sum())
    half = float(special.stdtrit(df, 0.5 + level / 2.0)) * np.sqrt(se2)
    return diff, diff - half, diff + half, df


def paired_did(
    d_before: np.ndarray, d_after: np.ndarray, level: float = 0.95
) -> dict[str, float]:
    """Difference in differences from daily treated-minus-comparison differences.

    Each date ``g`` gives one value ``D_g`` (the measure site minus the
    comparison site on that date, standardised over fixed weekday x hour
    cells). The estimate is the coefficient of ``after`` in the regression
    ``D_g = a + b after_g + e_g`` with standard errors clustered by date
    (CR1, as ``statsmodels`` OLS with ``cov_type="cluster"``):
    ``b = mean(D_after) - mean(D_before)``,
    ``Var = G / (G - 2) * (sum_after e² / n_a² + sum_before e² / n_b²)``, and a
    Student t interval with ``G - 1`` degrees of freedom (``G`` dates). The
    unit of analysis is the day.

    Parameters
    ----------
    d_before, d_after : ndarray of float [km/h]
        Daily differences before and after.
    level : float
        Confidence level.

    Returns
    -------
    dict
        ``did, did_lo, did_hi, did_se`` [km/h], ``did_df`` (``G - 1``),
        ``did_days`` (``G``), ``did_mde`` [km/h] (:func:`minimum_detectable`);
        NaN when a period has fewer than 2 dates.
    """
    b = np.asarray(d_before, dtype=float)
    a = np.asarray(d_after, dtype=float)
    g = a.size + b.size
    if a.size < 2 or b.size < 2:
        return {"did": np.nan, "did_lo": np.nan, "did_hi": np.nan, "did_se": np.nan,
                "did_df": np.nan, "did_days": g, "did_mde": np.nan}
    diff = float(a.mean() - b.mean())
    meat = float(((a - a.mean()) ** 2).sum() / a.size**2 + ((b - b.mean()) ** 2).sum() / b.size**2)
    se = float(np.sqrt(g / (g - 2.0) * meat))
    df = g - 1.0
    half = float(special.stdtrit(df, 0.5 + level / 2.0)) * se
    return {"did": diff, "did_lo": diff - half, "did_hi": diff + half, "did_se": se,
            "did_df": df, "did_days": g, "did_mde": minimum_detectable(se, df, level)}


def minimum_detectable(se: float, df: float, level: float = 0.95, power: float = 0.8) -> float:
    """Smallest true change a two-sided test at ``1 - level`` detects with ``power``.

    ``(t(df, 1 - α/2) + t(df, power)) · se`` [unit of ``se``] (the usual
    normal-theory minimum detectable effect with Student t quantiles).
    """
    if not (np.isfinite(se) and np.isfinite(df) and df > 0):
        return np.nan
    return float((special.stdtrit(df, 0.5 + level / 2.0) + special.stdtrit(df, power)) * se)


@dataclass
@dataclass
class Period:
    """One period at one site over the common cells: daily values and pooled figures."""

    n: int
    days: np.ndarray  # local dates [days since 1970-01-01]
    daily_mean: np.ndarray  # standardised daily mean speed [km/h]
    v85: float
    v85_var: float  # [km/h²], order statistics plus the day term
    share: float
    share_k: float  # effective violations (k / deff)
    share_n: float  # effective sample size (n / deff)


def cell_days(obs: Observations, idx: np.ndarray, limit: float) -> pd.DataFrame:
    """Per (local date, weekday x hour cell): ``day, cell, n, mean, share``."""
    key = obs.day[idx] * 168 + obs.cell[idx]
    uniq, inv = np.unique(key, return_inverse=True)
    n = np.bincount(inv, minlength=len(uniq)).astype(float)
    x = obs.speed[idx]
    with np.errstate(invalid="ignore"):
        over = x > limit
    return pd.DataFrame({"day": uniq // 168, "cell": uniq % 168, "n": n,
                         "mean": np.bincount(inv, weights=x, minlength=len(uniq)) / n,
                         "share": np.bincount(inv, weights=over, minlength=len(uniq)) / n})


def daily_values(cd: pd.DataFrame, w: np.ndarray, col: str) -> tuple[np.ndarray, np.ndarray]:
    """Standardised daily values ``sum_c w_c x_dc / sum_c w_c`` over each date's cells."""
    ww = w[cd["cell"].to_numpy()]
    day_codes, days = pd.factorize(cd["day"].to_numpy(), sort=True)
    num = np.bincount(day_codes, weights=ww * cd[col].to_numpy(float), minlength=len(days))
    den = np.bincount(day_codes, weights=ww, minlength=len(days))
    ok = den > 0
    return np.asarray(days)[ok], num[ok] / den[ok]


def period_of(obs: Observations, idx: np.ndarray, w: np.ndarray, limit: float,
              level: float) -> Period:
    """Pooled V85 and share with day-level uncertainty (module docstring)."""
    cd = cell_days(obs, idx, limit)
    days, dmean = daily_values(cd, w, "mean")
    _, dshare = daily_values(cd, w, "share")
    x = np.sort(obs.speed[idx])
    n = x.size
    g = max(days.size, 1)
    sd2 = float(x.var(ddof=1)) if n > 1 else np.nan
    day_var = (max(float(dmean.var(ddof=1)) / g - sd2 / n, 0.0) if days.size > 1 else 0.0)
    start, nn = np.zeros(1, np.int64), np.array([n])
    v85 = float(read_rank(x, start, nn, percentile_rank(nn, 0.85))[0]) if n else np.nan
    lr, ur, valid = quantile_ranks(nn, 0.85, level)
    if n and bool(valid[0]):
        width = float(x[int(ur[0]) - 1] - x[int(lr[0]) - 1])
        v85_var = (width / (2.0 * z_value(level))) ** 2 + day_var
    else:
        v85_var = np.nan
    with np.errstate(invalid="ignore"):
        k = float((x > limit).sum())
    p = k / n if n else np.nan
    binom = p * (1.0 - p) / n if n else np.nan
    deff = 1.0
    if days.size > 1 and binom > 0:
        deff = max(float(dshare.var(ddof=1)) / g / binom, 1.0)
    return Period(n=n, days=days, daily_mean=dmean, v85=v85, v85_var=v85_var, share=p,
                   share_k=k / deff, share_n=n / deff)


def compare_periods(after: Period, before: Period, level: float = 0.95) -> dict[str, float]:
    """Before/after at one site, days as units.

    * mean: Welch's interval over the standardised daily means
      (:func:`welch_difference`; ``mean_before``/``mean_after`` are the means of
      the daily values);
    * V85 (:func:`trafikplan.stats.speed.percentile_rank`, the one percentile
      definition): the difference of the pooled V85s, normal interval with the
      variance of each from its order-statistic interval plus the between-day
      variance of the daily means (a day shifts the whole distribution);
    * share over the limit: Newcombe's hybrid score interval on the effective
      sample sizes ``n / deff``, ``deff`` the variance of the daily shares
      over the binomial variance (at least 1).
    """
    md, mlo, mhi, mdf = welch_difference(after.daily_mean, before.daily_mean, level)
    se_m = (mhi - md) / float(special.stdtrit(mdf, 0.5 + level / 2.0)) if np.isfinite(mdf) \
        and mdf > 0 and mhi > md else np.nan
    vd = after.v85 - before.v85
    vhalf = z_value(level) * np.sqrt(after.v85_var + before.v85_var)
    sd, slo, shi = newcombe_difference(after.share_k, after.share_n, before.share_k,
                                       before.share_n, level)
    return {
        "n_before": before.n, "n_after": after.n,
        "mean_before": float(before.daily_mean.mean()) if before.days.size else np.nan,
        "mean_after": float(after.daily_mean.mean()) if after.days.size else np.nan,
        "mean_diff": md, "mean_diff_lo": mlo, "mean_diff_hi": mhi,
        "mean_diff_mde": minimum_detectable(se_m, mdf, level),
        "v85_before": before.v85, "v85_after": after.v85,
        "v85_diff": vd, "v85_diff_lo": vd - vhalf, "v85_diff_hi": vd + vhalf,
        "share_over_limit_before": before.share, "share_over_limit_after": after.share,
        "share_diff": float(sd), "share_diff_lo": float(slo), "share_diff_hi": float(shi),
    }



@dataclass
@dataclass
class Observations:
    """Vehicles of the sites involved, with local keys as arrays."""

    site: np.ndarray
    speed: np.ndarray
    day: np.ndarray  # local date as days since 1970-01-01
    cell: np.ndarray  # (weekday - 1) * 24 + hour_of_day
    hour: np.ndarray  # local hour start, as a code (distinct per hour)
    bounds: dict[str, tuple[int, int]]  # rows of each site (rows sorted by site, then day)

    def select(self, site: str, first: int, last: int) -> np.ndarray:
        """Row mask of ``site`` with ``first <= day <= last``."""
        mask = np.zeros(self.speed.size, dtype=bool)
        a, b = self.bounds.get(site, (0, 0))
        day = self.day[a:b]
        mask[a + np.searchsorted(day, first, "left"):a + np.searchsorted(day, last, "right")] = True
        return mask

    def in_cells(self, cells: np.ndarray) -> np.ndarray:
        """Row mask of the rows in the weekday x hour ``cells``."""
        lut = np.zeros(168, dtype=bool)
        lut[np.asarray(cells, dtype=np.int64)] = True
        return lut[self.cell]


def observations(vehicles: pd.DataFrame, site_ids: set[str], tz: str,
                  include_bicycles: bool) -> Observations:
    """Return the observations of ``site_ids``: local day, hour cell, speed."""
    v = vehicles[vehicles["site_id"].isin(site_ids)]
    if not include_bicycles and "vehicle_class" in v.columns:
        v = v[v["vehicle_class"].astype(object) != "bicycle"]
    v = v[np.isfinite(v["speed"].to_numpy(dtype=float))]
    hour, hours = hour_codes(v["time"], tz)  # per distinct local hour, then gathered
    hour = np.asarray(hour, dtype=np.int64)
    day = np.asarray(hours["date"].to_numpy(dtype=str), dtype="datetime64[D]").astype(
        np.int64)[hour]
    keys = {"weekday": hours["weekday"].to_numpy(np.int64)[hour],
            "hour_of_day": hours["hour_of_day"].to_numpy(np.int64)[hour]}
    site_code, site_ids = pd.factorize(v["site_id"].astype(object).to_numpy(), sort=True)
    order = np.lexsort((day, site_code))
    site_code = site_code[order]
    edges = np.searchsorted(site_code, np.arange(len(site_ids) + 1))
    cell = (keys["weekday"] - 1) * 24 + keys["hour_of_day"]
    return Observations(
        site=np.asarray(site_ids, dtype=object)[site_code],
        speed=v["speed"].to_numpy(dtype=float)[order],
        day=day[order],
        cell=cell[order],
        hour=np.asarray(hour, dtype=np.int64)[order],
        bounds={str(x): (int(edges[i]), int(edges[i + 1])) for i, x in enumerate(site_ids)},
    )


def site_name(x: object) -> str | None:
    """Return a site id, or None for empty/NA."""
    return x if isinstance(x, str) and x else None


def day_number(d: dt.date) -> int:
    """Return the day number (days since 1970-01-01) of a date."""
    return (d - dt.date(1970, 1, 1)).days


def day_date(day: int) -> dt.date:
    """Return the date of a day number."""
    return dt.date(1970, 1, 1) + dt.timedelta(days=int(day))


def volume_per_hour(obs: Observations, mask: np.ndarray) -> float:
    """Vehicles per measured hour (hours holding at least one vehicle)."""
    hours = np.unique(obs.hour[mask]).size
    return float(mask.sum()) / hours if hours else np.nan



def periods_of(obs: Observations, rb: np.ndarray, ra: np.ndarray, common: np.ndarray) -> dict:
    """Return the before and after periods over the common cells."""
    db, da = np.unique(obs.day[rb]), np.unique(obs.day[ra])
    return {
        "before_from": day_date(db[0]), "before_to": day_date(db[-1]),
        "after_from": day_date(da[0]), "after_to": day_date(da[-1]),
        "cells": int(common.size), "days_before": int(db.size), "days_after": int(da.size),
        "vehicles_per_hour_before": volume_per_hour(obs, rb),
        "vehicles_per_hour_after": volume_per_hour(obs, ra),
        "volume_change": volume_per_hour(obs, ra) / volume_per_hour(obs, rb) - 1.0,
    }


def would_flag(before: Period, limit: float, margin: float, share_min: float,
                level: float) -> bool:
    """Return True when the before period alone would be flagged for high speeds.

    The two speeding rules of ``[flags]`` on the before period's V85 and share
    over the limit, with their day-level lower limits (:func:`compare_periods`).
    """
    if not np.isfinite(before.v85_var):
        return False
    v85_lo = before.v85 - z_value(level) * np.sqrt(before.v85_var)
    share_lo, _ = wilson_interval(before.share_k, before.share_n, level)
    return bool(v85_lo > limit + margin and float(share_lo) > share_min)


def day_window(obs: Observations, mask: np.ndarray) -> tuple[int, int]:
    """Return the first and last day number of the observations ``mask`` picks."""
    d = obs.day[mask]
    return int(d.min()) - 7, int(d.max()) + 7


def paired_daily(obs: Observations, ia: np.ndarray, ic: np.ndarray, w: np.ndarray,
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Dates and standardised daily differences site A minus site C over cells both have."""
    a = cell_days(obs, ia, np.nan)
    c = cell_days(obs, ic, np.nan)
    both = a.merge(c, on=["day", "cell"], suffixes=("_a", "_c"))
    both["diff"] = both["mean_a"] - both["mean_c"]
    return daily_values(both, w, "diff")
