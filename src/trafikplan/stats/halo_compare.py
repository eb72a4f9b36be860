"""The halo's comparison: a check's windows against its baseline, then pooled over checks.

:func:`trafikplan.stats.halo.measure_halo` collects, per check, the vehicles
after it (per window) and in its baseline; :func:`compare_windows` compares
them cell by cell (local weekday x hour), standardised to the window's mix of
hours, with the day-to-day term of the site, and pools each window over the
checks (the checks the units, clustered by site). The method is in the
docstring of :mod:`trafikplan.stats.halo`.
"""

from __future__ import annotations

from typing import cast

import numpy as np
import pandas as pd
from scipy import special

from trafikplan.stats.intervals import wilson_interval, z_value

__all__ = [
    "HALO_COLUMNS",
    "compare_windows",
    "weighted_mean_difference",
    "weighted_share_difference",
]


def _t_quantile(df: np.ndarray, level: float) -> np.ndarray:
    df = np.asarray(df, dtype=float)
    ok = np.isfinite(df) & (df > 0)
    t = special.stdtrit(np.where(ok, df, 1.0), 0.5 + level / 2.0)
    return np.where(ok, t, z_value(level))


def weighted_mean_difference(
    w: np.ndarray, mean_a: np.ndarray, var_a: np.ndarray, n_a: np.ndarray,
    mean_b: np.ndarray, var_b: np.ndarray, n_b: np.ndarray, level: float = 0.95,
    *, day_var: float = 0.0, day_df: float = np.inf,
) -> tuple[float, float, float, float]:
    """Weighted sum of per-cell mean differences with a Welch–Satterthwaite interval.

    ``day_var`` [unit²] adds the between-day variance of the comparison
    (``tau²`` times the day weights of both sides), with ``day_df`` degrees of
    freedom in the Satterthwaite sum.

    Parameters
    ----------
    w : ndarray of float [1]
        Cell weights (summing to 1).
    mean_a, var_a, n_a : ndarray
        Mean [unit], variance [unit²] (denominator n - 1) and size of each
        cell's first sample ("after"); ``n_a >= 2``.
    mean_b, var_b, n_b : ndarray
        The same of the second sample ("baseline"); ``n_b >= 2``.
    level : float
        Confidence level.

    Returns
    -------
    diff, lo, hi, df : float
        ``sum w (mean_a - mean_b)``, its interval [unit] and the degrees of
        freedom; NaN for no cells.
    """
    if len(w) == 0:
        return (np.nan,) * 4
    ca = w**2 * var_a / n_a
    cb = w**2 * var_b / n_b
    var = float(ca.sum() + cb.sum()) + day_var
    diff = float((w * (mean_a - mean_b)).sum())
    denom = float((ca**2 / (n_a - 1)).sum() + (cb**2 / (n_b - 1)).sum())
    if day_var > 0:
        denom += day_var**2 / day_df
    df = var**2 / denom if denom > 0 else np.inf
    half = float(_t_quantile(np.array(df), level)) * np.sqrt(var)
    return diff, diff - half, diff + half, float(df)


def weighted_share_difference(
    w: np.ndarray, k_a: np.ndarray, n_a: np.ndarray, k_b: np.ndarray, n_b: np.ndarray,
    level: float = 0.95,
) -> tuple[float, float, float, float, float]:
    """After-share minus the standardised baseline share, with a Newcombe/MOVER interval.

    Parameters
    ----------
    w : ndarray of float [1]
        Cell weights ``n_a / sum n_a``.
    k_a, n_a : ndarray [count]
        Successes and trials per cell after.
    k_b, n_b : ndarray [count]
        Successes and trials per cell in the baseline.
    level : float
        Confidence level.

    Returns
    -------
    p_a, p_b, diff, lo, hi : float [share]
        After share, standardised baseline share, their difference and its
        interval (module docstring); NaN for no cells.
    """
    if len(w) == 0:
        return (np.nan,) * 5
    ka, na = float(k_a.sum()), float(n_a.sum())
    p_a = ka / na
    l_a, u_a = (float(x) for x in wilson_interval(ka, na, level))
    p_bc = k_b / n_b
    l_bc, u_bc = wilson_interval(k_b, n_b, level)
    p_b = float((w * p_bc).sum())
    diff = p_a - p_b
    lo = diff - np.sqrt((p_a - l_a) ** 2 + float((w**2 * (u_bc - p_bc) ** 2).sum()))
    hi = diff + np.sqrt((u_a - p_a) ** 2 + float((w**2 * (p_bc - l_bc) ** 2).sum()))
    return p_a, p_b, diff, float(lo), float(hi)


def _cell_stats(code: np.ndarray, speed: np.ndarray, over: np.ndarray,
                keys: np.ndarray) -> pd.DataFrame:
    """n, mean, var, k per (group key, cell) -- vectorised."""
    frame = pd.DataFrame({"key": keys, "cell": code, "v": speed, "o": over.astype(np.int64)})
    g = frame.groupby(["key", "cell"], sort=True)
    out = g["v"].agg(["size", "mean", "var"]).rename(columns={"size": "n"})
    out["k"] = g["o"].sum()
    return out.reset_index()


HALO_COLUMNS = ("checks_n", "cells", "n_after", "n_baseline", "mean_after", "mean_baseline",
                "mean_diff", "mean_diff_lo", "mean_diff_hi", "df", "share_after",
                "share_baseline", "share_diff", "share_diff_lo", "share_diff_hi", "significant")
"""Columns of a window's comparison, per check and pooled (after ``from_hours, to_hours``)."""


def _concat(parts: list[tuple]) -> tuple[np.ndarray, ...]:
    if not parts:
        return (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0), np.zeros(0, bool),
                np.zeros(0, np.int64))
    return tuple(np.concatenate([p[j] for p in parts]) for j in range(5))


def _day_weights(cells: pd.DataFrame, key: np.ndarray, cell: np.ndarray, day: np.ndarray,
                 by: str) -> pd.Series:
    """Per check and window: ``sum_d (sum_c w_c n_cd / n_c)²`` over the dates ``d``.

    The variance of a standardised mean ``sum_c w_c ybar_c`` from day effects
    of variance ``tau²`` is ``tau²`` times this (vehicles of one date share
    its effect).
    """
    counts = pd.DataFrame({by: key, "cell": cell, "day": day}).value_counts().rename("n_cd")
    frame = cells[["check", "window", "cell", "w", "n" if by == "key" else "n_b"]].copy()
    if by == "key":
        frame["key"] = frame["check"] * 100 + frame["window"]
    else:
        frame["key_b"] = frame["check"]
    total = frame.columns[4]
    m = frame.merge(counts.reset_index(), on=[by, "cell"])
    m["f"] = m["w"] * m["n_cd"] / m[total]
    per_day = m.groupby(["check", "window", "day"])["f"].sum()
    return (per_day**2).groupby(["check", "window"]).sum()


def compare_windows(after_parts: list[tuple], base_parts: list[tuple], checks: pd.DataFrame,
                    windows: tuple[tuple[float, float], ...], level: float,
                    ) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """Compare each check's windows with its baseline, cell by cell, and pool over checks.

    Parameters
    ----------
    after_parts : list of tuple of ndarray
        Per check and window, its vehicles after the check: ``(key, cell,
        speed, over, day)`` with ``key = 100 · check + window``, ``cell`` the
        local hour of the week, ``speed`` [km/h], ``over`` (above the limit)
        and ``day`` (the local date's number).
    base_parts : list of tuple of ndarray
        Per check, its baseline vehicles: ``(check, cell, speed, over, day)``.
    checks : DataFrame
        One row per check (positions are the ``check`` numbers) with the
        site's between-day variance ``_tau2`` and its degrees of freedom
        ``_tau_df``.
    windows : tuple of (float, float)
        The windows [h after the first full hour after a check].
    level : float
        Confidence level of the intervals.

    Returns
    -------
    per_check : DataFrame
        One row per check and window: ``team, site_id, start, end,
        from_hours, to_hours`` and :data:`HALO_COLUMNS`.
    pooled : DataFrame
        One row per window: ``from_hours, to_hours`` and :data:`HALO_COLUMNS`.
    used : ndarray of int
        The checks with a comparison in some window.
    """
    ka, ca, va, oa, da = _concat(after_parts)
    kb, cb, vb, ob, db = _concat(base_parts)
    after = _cell_stats(ca, va, oa, ka)
    base = _cell_stats(cb, vb, ob, kb).rename(columns={"key": "check", "n": "n_b", "mean":
                                                       "mean_b", "var": "var_b", "k": "k_b"})
    after["check"] = after["key"] // 100
    after["window"] = after["key"] % 100
    cells = after.merge(base, on=["check", "cell"], how="inner")
    cells = cells[(cells["n"] >= 2) & (cells["n_b"] >= 2)].reset_index(drop=True)
    cells["w"] = cells["n"] / cells.groupby("key")["n"].transform("sum")
    day_a = _day_weights(cells, ka, ca, da, "key")
    day_b = _day_weights(cells, kb, cb, db, "key_b")
    day_coef = day_a.add(day_b, fill_value=0.0)
    tau2 = checks["_tau2"].to_numpy(float) if len(checks) else np.zeros(0)
    tau_df = checks["_tau_df"].to_numpy(float) if len(checks) else np.zeros(0)

    def summarise(group: pd.DataFrame, check: int, window: int) -> dict:
        n_a = group["n"].to_numpy(float)
        w = n_a / n_a.sum()
        mean_a = group["mean"].to_numpy(float)
        mean_b = group["mean_b"].to_numpy(float)
        day_var = tau2[check] * float(day_coef.get((check, window), 0.0))
        diff, lo, hi, df = weighted_mean_difference(
            w, mean_a, group["var"].to_numpy(float), n_a, mean_b,
            group["var_b"].to_numpy(float), group["n_b"].to_numpy(float), level,
            day_var=day_var, day_df=tau_df[check])
        p_a, p_b, sd, slo, shi = weighted_share_difference(
            w, group["k"].to_numpy(float), n_a, group["k_b"].to_numpy(float),
            group["n_b"].to_numpy(float), level)
        return {"checks_n": 1, "cells": len(group),
                "n_after": int(n_a.sum()), "n_baseline": int(group["n_b"].sum()),
                "mean_after": float((w * mean_a).sum()),
                "mean_baseline": float((w * mean_b).sum()),
                "mean_diff": diff, "mean_diff_lo": lo, "mean_diff_hi": hi, "df": df,
                "share_after": p_a, "share_baseline": p_b, "share_diff": sd,
                "share_diff_lo": slo, "share_diff_hi": shi, "significant": bool(hi < 0)}

    pooled_rows, check_rows = [], []
    for w, (a, b) in enumerate(windows):
        in_w = cells[cells["window"] == w]
        rows = []
        for key, grp in in_w.groupby("check", sort=True):  # one row per check: the units
            check = int(cast(int, key))  # a value of the int column "check"
            info = checks.iloc[check]
            rows.append(summarise(grp, check, w))
            rows[-1]["_site"] = info["site_id"]
            check_rows.append({"team": info["team"], "site_id": info["site_id"],
                               "start": info["start"], "end": info["end"], "from_hours": a,
                               "to_hours": b, **{k: x for k, x in rows[-1].items()
                                                 if k != "_site"}})
        pooled_rows.append({"from_hours": a, "to_hours": b, **_across_checks(rows, level)})
    pooled = pd.DataFrame(pooled_rows, columns=["from_hours", "to_hours", *HALO_COLUMNS])
    per_check = pd.DataFrame(check_rows, columns=["team", "site_id", "start", "end",
                                                  "from_hours", "to_hours", *HALO_COLUMNS])
    if len(per_check):
        per_check = per_check.sort_values(["site_id", "start", "from_hours"], kind="stable",
                                          ignore_index=True)
    return per_check, pooled, np.unique(cells["check"].to_numpy())


def _across_checks(rows: list[dict], level: float) -> dict:
    """Pool per-check results with the checks as units.

    The mean of the per-check differences with a Student t interval,
    standard error clustered by site (module docstring), for the mean speed
    and the share over the limit; one check gives its own interval (day term
    included).
    """
    if not rows:
        return {c: (0 if c in ("checks_n", "cells", "n_after", "n_baseline") else
                    False if c == "significant" else np.nan) for c in HALO_COLUMNS}
    if len(rows) == 1:
        return {c: x for c, x in rows[0].items() if c != "_site"}
    k = len(rows)
    site = pd.factorize(np.array([r["_site"] for r in rows], dtype=object))[0]
    g = int(site.max()) + 1
    # checks at one site share baseline days: cluster by site when there are several sites
    cluster = site if g >= 2 else np.arange(k)
    n_cl = g if g >= 2 else k
    out: dict = {"checks_n": k, "cells": sum(r["cells"] for r in rows),
                 "n_after": sum(r["n_after"] for r in rows),
                 "n_baseline": sum(r["n_baseline"] for r in rows), "df": float(n_cl - 1)}
    t = float(special.stdtrit(n_cl - 1, 0.5 + level / 2.0))
    for col in ("mean_after", "mean_baseline", "share_after", "share_baseline"):
        out[col] = float(np.mean([r[col] for r in rows]))
    for col in ("mean_diff", "share_diff"):
        x = np.array([r[col] for r in rows], dtype=float)
        ok = np.isfinite(x)
        m = float(x[ok].mean()) if ok.any() else np.nan
        e = np.bincount(cluster[ok], weights=x[ok] - m, minlength=n_cl)
        se = np.sqrt(n_cl / (n_cl - 1.0) * float((e * e).sum())) / max(int(ok.sum()), 1)
        half = t * se if ok.sum() >= 2 else np.nan
        out[col], out[f"{col}_lo"], out[f"{col}_hi"] = m, m - half, m + half
    out["significant"] = bool(out["mean_diff_hi"] < 0)
    return out
