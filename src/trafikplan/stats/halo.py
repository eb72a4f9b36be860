"""The measured time halo: how speeds at a site change in the hours and days after a check.

Where a counter ran at a site before and after a completed police check,
speeds after the check are compared with speeds at the same local hours of
the week in the weeks before it.

Method
------
For a check ending at ``end``, windows are counted from ``t0``, the first
full hour after ``end`` (``end`` rounded up to the hour): window ``[a, b)``
[h] holds the vehicles passing in ``[t0 + a h, t0 + b h)``; default windows
0-24 h, 24-48 h, 48-96 h and 4-7 days (96-168 h).

*Baseline* of a check: vehicles at the same site in the ``baseline_weeks``
weeks before its start, without the hours during any check at the site or
up to the end of the last window (168 h) after one (they may hold another
check's halo). Each window's vehicles are split into local ``weekday`` x
``hour_of_day`` cells (settings' time zone) and compared with the baseline
vehicles of the same cell, so the daily and weekly rhythm of speeds cancels;
a window's hours after the start of a later check at the site are left out.
Motor vehicles only unless ``[stats] include_bicycles``.

*Mean speed*: per cell ``c`` the difference ``d_c = mean_after - mean_baseline``
with variance ``s_a² / n_a + s_b² / n_b``; cells are weighted by their
after-vehicles, ``w_c = n_a,c / sum n_a`` (the baseline is standardised to the
window's mix of hours), so ``diff = sum w_c d_c``, ``var = sum w_c² var_c``, and
the interval is ``diff ± t(ν) sqrt(var)`` with Welch–Satterthwaite degrees of
freedom ``ν`` from the same components (for one cell exactly Welch's
interval). Cells need at least two vehicles on both sides.

*Share over the limit*: after-share ``p_a`` (Wilson limits ``l_a, u_a``) minus
the standardised baseline share ``p_b = sum w_c p_b,c``; the interval is
Newcombe's hybrid score interval extended to the weighted sum by the method of
variance estimates recovery (MOVER, Zou & Donner 2008), from the Wilson limits
of each cell: ``diff - sqrt((p_a - l_a)² + sum w_c² (u_b,c - p_b,c)²)`` to
``diff + sqrt((u_a - p_a)² + sum w_c² (p_b,c - l_b,c)²)`` (for one cell exactly
Newcombe's method 10).

*Day-to-day variation*: speeds at a site move together from day to day, so
each per-check mean difference also carries the between-day variance
``tau²`` of its site (:func:`trafikplan.stats.dayvar.site_components` over the
site's baseline vehicles, weekday x hour units):
``tau² sum_d (sum_c w_c n_c,d / n_c)²`` on each side, the vehicles of one
date sharing its day effect (a window of one day carries a whole day's
effect; a baseline of three weeks a third of it).

*Pooling over checks*: the checks are the units. The pooled difference of a
window is the mean of the per-check differences, with a Student t interval
over checks, for the mean speed and the share over the limit. Checks at one
site share baseline days, so the standard error is clustered by site (CR1,
``G - 1`` degrees of freedom for ``G`` sites; with one site, ``K - 1`` over
the ``K`` checks); a single check gives its own interval. A site whose speeds
vary from day to day, or checks that differ, widen it as they should.

*Halo duration*: the end of the last window of the leading run of windows
whose mean-speed interval lies wholly below zero (0 h when the first window's
does not).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from trafikplan.columns import table_rows
from trafikplan.settings import Settings
from trafikplan.stats.dayvar import site_components
from trafikplan.stats.halo_compare import compare_windows
from trafikplan.stats.localtime import hour_codes

__all__ = [
    "HALO_WINDOWS",
    "HaloResult",
    "halo_decay",
    "halo_table",
    "measure_halo",
]

HALO_WINDOWS: tuple[tuple[float, float], ...] = ((0, 24), (24, 48), (48, 96), (96, 168))
"""Windows after a check [h from the first full hour after its end]."""

_NS_H = 3_600_000_000_000
_NS_WEEK = 7 * 24 * _NS_H


@dataclass
class HaloResult:
    """The measured halo.

    Attributes
    ----------
    pooled : DataFrame
        One row per window: ``from_hours``, ``to_hours`` [h], ``checks_n``
        [checks contributing], ``cells`` [weekday-hour cells], ``n_after``,
        ``n_baseline`` [vehicles], ``mean_after``, ``mean_baseline``
        (standardised), ``mean_diff``, ``mean_diff_lo``, ``mean_diff_hi``
        [km/h], ``df`` (sites - 1 when pooled over checks; per check
        Welch–Satterthwaite with the day term), ``share_after``,
        ``share_baseline``, ``share_diff``, ``share_diff_lo``,
        ``share_diff_hi`` [share], ``significant`` (bool: the mean interval
        lies below 0).
    per_check : DataFrame
        The same per check and window, with ``team``, ``site_id``,
        ``start``, ``end`` (UTC) of the check first.
    checks : DataFrame
        Every check at a site with counter data: ``team, site_id, start, end``,
        ``status``: ``used``, ``no_data_after`` (no vehicle in any window),
        ``no_baseline`` (no vehicle in the weeks before), ``no_matching_hours``
        (no weekday-hour of a window has vehicles on both sides).
    halo_hours : float [h]
        Measured halo duration (module docstring); 0 without evidence.
    windows : tuple of (float, float)
        The windows [h].
    level : float
        Confidence level of the intervals.
    """

    pooled: pd.DataFrame
    per_check: pd.DataFrame
    checks: pd.DataFrame
    halo_hours: float
    windows: tuple[tuple[float, float], ...] = HALO_WINDOWS
    level: float = 0.95
    notes: list[str] = field(default_factory=list)

    @property
    def checks_used(self) -> int:
        """Checks with a window and a baseline."""
        return int((self.checks["status"] == "used").sum()) if len(self.checks) else 0


def _motor(vehicles: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    if settings.stats.include_bicycles or "vehicle_class" not in vehicles:
        return vehicles
    return vehicles[vehicles["vehicle_class"].astype(str) != "bicycle"]


def _cells(t_ns: np.ndarray, tz: str) -> tuple[np.ndarray, np.ndarray]:
    """Local weekday x hour code (0..167) and local date [days since 1970] of each instant."""
    if len(t_ns) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    codes, hours = hour_codes(t_ns, tz)
    how = (hours["weekday"].to_numpy() - 1) * 24 + hours["hour_of_day"].to_numpy()
    day = np.asarray(hours["date"].to_numpy(dtype=str), dtype="datetime64[D]").astype(np.int64)
    return how[codes], day[codes]


def _site_day_variance(how: np.ndarray, day: np.ndarray, speed: np.ndarray,
                       ) -> tuple[float, float]:
    """Between-day variance ``tau²`` [km/h²] of one site and its degrees of freedom.

    :func:`trafikplan.stats.dayvar.site_components` over the site's local
    hours (weekday x hour units, dates as the days); 0 when not estimable.
    """
    if speed.size == 0:
        return 0.0, np.inf
    key, inv = np.unique(day * 168 + how, return_inverse=True)
    x = speed - speed.mean()
    n = np.bincount(inv).astype(float)
    tau2, df = site_components(key % 168, np.zeros(key.size, np.int64), n,
                               np.bincount(inv, weights=x), np.bincount(inv, weights=x * x), 1)
    return (float(tau2[0]) if np.isfinite(tau2[0]) else 0.0), float(max(df[0], 1.0))


def measure_halo(
    vehicles: pd.DataFrame,
    checks_done: pd.DataFrame,
    sites: pd.DataFrame,
    settings: Settings,
    *,
    windows: Sequence[tuple[float, float]] = HALO_WINDOWS,
    baseline_weeks: int = 3,
    level: float = 0.95,
) -> HaloResult:
    """Estimate how speeds change after police checks (module docstring for the method).

    Parameters
    ----------
    vehicles : DataFrame
        Canonical vehicles (``site_id``, ``time`` [UTC], ``speed`` [km/h],
        ``vehicle_class``).
    checks_done : DataFrame
        The checks_done table (``team, start, end`` [UTC], ``site_id``).
    sites : DataFrame
        ``site_id``, ``speed_limit`` [km/h].
    settings : Settings
        ``timezone`` (local cells) and ``[stats] include_bicycles``.
    windows : sequence of (float, float)
        Windows after the check [h], contiguous from 0 for the halo duration.
    baseline_weeks : int
        Weeks before a check that form its baseline.
    level : float
        Confidence level.

    Returns
    -------
    HaloResult
    """
    windows = tuple((float(a), float(b)) for a, b in windows)
    horizon = max(b for _, b in windows) * _NS_H
    tz = settings.timezone
    limit_of = pd.Series(pd.to_numeric(sites["speed_limit"], errors="coerce").to_numpy(float),
                         index=sites["site_id"].astype(str).to_numpy())
    v = _motor(vehicles, settings)
    checks = checks_done[checks_done["site_id"].notna()].copy()
    checks["site_id"] = checks["site_id"].astype(str)
    by_site = {str(k): g for k, g in v.groupby("site_id", sort=False, observed=True)}
    measured = set(by_site)
    checks = checks[checks["site_id"].isin(measured)].sort_values(
        ["site_id", "start"], kind="stable").reset_index(drop=True)
    after_parts: list[tuple] = []
    base_parts: list[tuple] = []
    status: list[dict] = []
    for site_id, at_site in checks.groupby("site_id", sort=True):
        sv = by_site[str(site_id)]
        t = sv["time"].dt.tz_convert("UTC").dt.as_unit("ns").array.asi8
        order = np.argsort(t, kind="stable")
        t = t[order]
        speed = sv["speed"].to_numpy(float)[order]
        over = speed > limit_of.get(site_id, np.nan)
        code, day = _cells(t, tz)
        s_ns = at_site["start"].dt.tz_convert("UTC").dt.as_unit("ns").array.asi8
        e_ns = at_site["end"].dt.tz_convert("UTC").dt.as_unit("ns").array.asi8
        # hours that may hold a check or its halo (baseline never uses them)
        spoiled = np.zeros(len(t), dtype=bool)
        for a, b in zip(s_ns, e_ns + horizon, strict=True):
            spoiled[np.searchsorted(t, a):np.searchsorted(t, b)] = True
        # the day-to-day variance from the baseline vehicles of the site's checks
        in_base = np.zeros(len(t), dtype=bool)
        for a in s_ns:
            in_base[np.searchsorted(t, a - baseline_weeks * _NS_WEEK):np.searchsorted(t, a)] = True
        in_base &= ~spoiled
        tau2, tau_df = _site_day_variance(code[in_base], day[in_base], speed[in_base])
        for i, row in enumerate(table_rows(at_site)):
            t0 = -(-int(e_ns[i]) // _NS_H) * _NS_H
            later = s_ns[s_ns > s_ns[i]]
            stop = int(later.min()) if later.size else np.iinfo(np.int64).max
            lo_b = np.searchsorted(t, s_ns[i] - baseline_weeks * _NS_WEEK)
            hi_b = np.searchsorted(t, s_ns[i])
            base = np.arange(lo_b, hi_b)[~spoiled[lo_b:hi_b]]
            key = len(status)
            got_after = False
            for w, (a, b) in enumerate(windows):
                lo_a = np.searchsorted(t, t0 + int(a * _NS_H))
                hi_a = np.searchsorted(t, min(t0 + int(b * _NS_H), stop))
                if hi_a > lo_a:
                    got_after = True
                    idx = np.arange(lo_a, hi_a)
                    after_parts.append((np.full(idx.size, key * 100 + w), code[idx], speed[idx],
                                        over[idx], day[idx]))
            if base.size:
                base_parts.append((np.full(base.size, key), code[base], speed[base], over[base],
                                   day[base]))
            status.append({"team": row.team, "site_id": site_id, "start": row.start,
                           "end": row.end, "_tau2": tau2, "_tau_df": tau_df,
                           "status": "used" if got_after and base.size else
                           ("no_data_after" if not got_after else "no_baseline")})
    checks_table = pd.DataFrame(status, columns=["team", "site_id", "start", "end", "status",
                                                 "_tau2", "_tau_df"])
    per_check, pooled, used = compare_windows(after_parts, base_parts, checks_table, windows, level)
    checks_table = checks_table.drop(columns=["_tau2", "_tau_df"])
    unmatched = (checks_table["status"] == "used") & ~checks_table.index.isin(used)
    checks_table.loc[unmatched, "status"] = "no_matching_hours"
    halo_hours = 0.0
    for row in table_rows(pooled):
        if not row.significant:
            break
        halo_hours = float(row.to_hours)
    return HaloResult(pooled=pooled, per_check=per_check, checks=checks_table,
                      halo_hours=halo_hours, windows=windows, level=level)


def halo_decay(result: HaloResult) -> pd.DataFrame:
    """Return the measured halo as a decay usable by the check planner.

    Parameters
    ----------
    result : HaloResult
        From :func:`measure_halo`.

    Returns
    -------
    DataFrame
        One row per window: ``from_hours``, ``to_hours`` [h] and
        ``remaining`` [0..1], the share of the first window's speed reduction
        still present (``mean_diff / first mean_diff``, clipped to [0, 1]) in
        the windows of the halo, 0 after it. All 0 without a measured halo.
    """
    pooled = result.pooled
    first = float(pooled["mean_diff"].iloc[0]) if len(pooled) else np.nan
    within = pooled["to_hours"].to_numpy(float) <= result.halo_hours
    if result.halo_hours > 0 and np.isfinite(first) and first < 0:
        remaining = np.clip(pooled["mean_diff"].to_numpy(float) / first, 0.0, 1.0)
    else:
        remaining = np.zeros(len(pooled))
    return pd.DataFrame({"from_hours": pooled["from_hours"].to_numpy(float),
                         "to_hours": pooled["to_hours"].to_numpy(float),
                         "remaining": np.where(within, remaining, 0.0)})


def halo_table(result: HaloResult) -> pd.DataFrame:
    """Pooled and per-check rows in one table (for ``trafikplan halo``).

    Returns
    -------
    DataFrame
        ``level`` (``"pooled"`` or ``"check"``),
        ``team``, ``site_id``, ``start``, ``end`` (NA for pooled rows), then the
        columns of :attr:`HaloResult.pooled`, and ``halo_hours`` [h] (the
        measured duration, on every row).
    """
    pooled = result.pooled.copy()
    pooled.insert(0, "level", "pooled")
    per = result.per_check.copy()
    per.insert(0, "level", "check")
    out = pd.concat([pooled, per], ignore_index=True) if len(per) else pooled
    for c in ("team", "site_id"):
        if c not in out:
            out[c] = pd.NA
        out[c] = out[c].astype("string")
    for c in ("start", "end"):
        if c not in out:
            out[c] = pd.Series(pd.NaT, index=out.index, dtype="datetime64[ns, UTC]")
    out["halo_hours"] = result.halo_hours
    first = ["level", "team", "site_id", "start", "end"]
    return out[first + [c for c in out.columns if c not in first]]
