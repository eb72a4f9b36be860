"""Speed statistics from binned counts (vehicles per interval and speed class).

Counters that only deliver counts per interval and speed class give the same
columns as per-vehicle data (``basis == "bins"``), computed as follows:

* percentiles: the one percentile definition of trafikplan in its
  continuous form (the speed at cumulative count ``q · n``), read from the
  class counts by monotone interpolation (:class:`ClassCdf`: PCHIP of the
  log-odds of the cumulative counts at the class edges);
* percentile intervals: the exact binomial ranks ``l, u`` on Woodruff's
  effective n (:mod:`~trafikplan.stats.dayvar`), the ``r``-th smallest vehicle
  read at cumulative count ``r - 1/2``, each limit then moved out by the
  class width's part of the uncertainty (:meth:`ClassCdf.reading_error`);
  ``v85_class_width`` [km/h] is the width of the class holding V85 (the
  flags do not use a V85 from classes wider than ``[flags]
  max_class_width_kmh`` for a speeding flag, and say so);
* mean and sd: from class midpoints (NaN when a vehicle is in an open-ended
  class, whose midpoint is unknown), the sd with Sheppard's correction
  (``s² - w²/12`` for classes of width ``w``: midpoints add the variance of a
  uniform spread inside each class), Student t interval with the day term;
* shares over the limit: vehicles in classes above the threshold, plus the
  interpolated part of the class the threshold falls in (exact when the
  threshold is a class edge), Wilson interval (NaN when the threshold lies in
  an open-ended class that holds vehicles).

The class width limits the resolution: inside a class nothing is known. On
normal speeds with 10 km/h classes the log-odds reading is within about
0.1 km/h of the true V85 (uniform spreading inside the class: +1 to +2
km/h); the interval includes the reading error. A percentile in the
open-ended top class is NaN.

Bins are assigned to the local hour in which they start (bins of 15, 30 or 60
minutes; longer bins count entirely for their first hour). Bins whose
``direction`` is ``"all"`` form their own direction ``"all"`` when the keys
contain ``direction``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from trafikplan.stats import _groups, dayvar
from trafikplan.stats.dayvar import percentile_design_effect
from trafikplan.stats.estimators import density_step, share_interval
from trafikplan.stats.intervals import quantile_ranks
from trafikplan.stats.localtime import hour_codes
from trafikplan.stats.stats_table import (
    PERCENTILES,
    SHARES,
    STATS_COLUMNS,
    day_columns,
    empty_stats,
    hour_of_week_units,
)

__all__ = ["ClassCdf", "binned_stats"]


class ClassCdf:
    """The cumulative speed distribution of each group, from its class counts.

    At every finite class edge the cumulative count ``F`` is known exactly;
    between the edges it is interpolated by PCHIP (piecewise cubic Hermite,
    monotone; Fritsch & Carlson 1980, ``scipy.interpolate.PchipInterpolator``)
    of the log-odds ``log((F + 1/2) / (n - F + 1/2))``. On the log-odds scale
    the tails of a speed distribution are nearly straight, so the class
    holding V85 (where the density falls steeply) is read without the bias of
    a uniform spread inside the class (about +1 km/h for 10 km/h classes).
    A position below the first finite edge or above the last (open classes)
    gives NaN. Groups sharing a layout of edges are interpolated together
    (a loop over layouts, not over groups).

    Parameters
    ----------
    g : ndarray of int64
        Group of each class row (rows sorted by group and speed, classes of
        one group not overlapping).
    lo, hi : ndarray of float [km/h]
        Class edges (``-inf``/``inf`` for open classes).
    count : ndarray of float [vehicles]
        Vehicles per class row.
    n_groups : int
        Number of groups.
    """

    def __init__(self, g: np.ndarray, lo: np.ndarray, hi: np.ndarray, count: np.ndarray,
                 n_groups: int) -> None:
        self.n_groups = n_groups
        self.total = np.bincount(g, weights=count, minlength=n_groups)
        # cumulative count at each finite edge: vehicles of the classes ending there
        edge = np.r_[lo, hi]
        eg = np.r_[g, g]
        below = np.r_[np.zeros(len(lo)), count]  # a class's count is below its upper edge
        fin = np.isfinite(edge)
        knots = (pd.DataFrame({"g": eg[fin], "x": edge[fin], "c": below[fin]})
                 .groupby(["g", "x"], sort=True)["c"].sum().reset_index())
        first_lo = pd.Series(lo).groupby(g).min()
        start = np.zeros(n_groups)  # vehicles below the first finite edge (open lower class)
        open_low = np.isinf(first_lo.to_numpy()) & (first_lo.to_numpy() < 0)
        if open_low.any():
            low_rows = np.isinf(lo) & (lo < 0)
            start += np.bincount(g[low_rows], weights=count[low_rows], minlength=n_groups)
            knots.loc[knots["x"] == knots.groupby("g")["x"].transform("min"), "c"] -= \
                start[knots["g"].to_numpy()][knots["x"] == knots.groupby("g")["x"]
                                             .transform("min")]
        knots["F"] = knots.groupby("g")["c"].cumsum() + start[knots["g"].to_numpy()]
        layout = knots.groupby("g")["x"].apply(lambda x: x.to_numpy().tobytes())
        self.layout_of = np.full(n_groups, -1, dtype=np.int64)
        codes, uniq = pd.factorize(layout.to_numpy())
        self.layout_of[layout.index.to_numpy()] = codes
        self.layouts = []
        for code in range(len(uniq)):  # a few layouts of classes, not one per group
            groups = layout.index.to_numpy()[codes == code]
            rows = knots[knots["g"].isin(groups)]
            x = rows.loc[rows["g"] == groups[0], "x"].to_numpy(float)
            f = rows["F"].to_numpy(float).reshape(len(groups), len(x)).T
            self.layouts.append((groups, x, f))

    def _read(self, position: np.ndarray, logit: bool) -> np.ndarray:
        out = np.full(self.n_groups, np.nan)
        for groups, x, f in self.layouts:
            if len(x) < 2:
                continue
            n = self.total[groups]
            pos = np.asarray(position, dtype=float)[groups]
            if logit:
                y = np.log((f + 0.5) / (n - f + 0.5))
                target = np.log((pos + 0.5) / (n - pos + 0.5))
            else:
                y, target = f, pos
            from scipy import interpolate  # only binned data needs it (import time)

            pp = interpolate.PchipInterpolator(x, y, axis=0)
            seg = (y < target[None, :]).sum(axis=0) - 1  # knot below the target
            ok = (seg >= 0) & (seg < len(x) - 1) & (pos > 0) & (pos <= n)
            seg = np.clip(seg, 0, len(x) - 2)
            cols = np.arange(len(groups))
            c = pp.c[:, seg, cols]  # cubic in (speed - knot) on the segment
            a, b = np.zeros(len(groups)), x[seg + 1] - x[seg]
            for _ in range(40):  # bisection: the cubic is monotone on the segment
                mid = (a + b) / 2.0
                val = ((c[0] * mid + c[1]) * mid + c[2]) * mid + c[3]
                below = val < target
                a = np.where(below, mid, a)
                b = np.where(below, b, mid)
            out[groups] = np.where(ok, x[seg] + (a + b) / 2.0, np.nan)
        return out

    def quantile(self, position: np.ndarray) -> np.ndarray:
        """Speed [km/h] at cumulative count ``position`` [vehicles] of each group."""
        return self._read(position, logit=True)

    def reading_error(self, position: np.ndarray) -> np.ndarray:
        """How far the reading depends on the interpolation [km/h].

        The distance between the log-odds reading (:meth:`quantile`) and
        PCHIP of the plain cumulative counts: inside a class the shape of the
        distribution is not observed, and this is the class width's part of
        a percentile's uncertainty.
        """
        return np.abs(self._read(position, logit=True) - self._read(position, logit=False))


def _over_weights(lo: np.ndarray, hi: np.ndarray, cnt: np.ndarray, thr: np.ndarray,
                  ) -> np.ndarray:
    """Vehicles of each bin row over ``thr`` [vehicles]; NaN where unknown.

    Classes wholly above count whole, the class holding the threshold the
    interpolated part (uniform within the class); NaN where the threshold
    lies inside an open class that holds vehicles, or is NaN.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.clip((hi - thr) / (hi - lo), 0.0, 1.0)
    frac = np.where(lo >= thr, 1.0, np.where(hi <= thr, 0.0, frac))
    frac = np.where(~np.isfinite(hi) & (lo < thr) & (cnt > 0), np.nan, frac)
    frac = np.where(np.isnan(thr), np.nan, frac)
    return cnt * np.where(cnt > 0, frac, 0.0)


def binned_stats(
    bins: pd.DataFrame,
    sites: pd.DataFrame,
    *,
    by: Sequence[str] | str = ("site_id", "direction", "hour_start"),
    tz: str = "Europe/Stockholm",
    min_n_percentile: int = 0,
    level: float = 0.95,
    exclude: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Speed statistics from the canonical bins table, one row per group.

    Parameters
    ----------
    bins : DataFrame
        Canonical bins (:data:`trafikplan.columns.BINS`): ``site_id``,
        ``start``, ``end`` (datetime64[ns, UTC]), ``direction``,
        ``speed_lo`` (exclusive) and ``speed_hi`` (inclusive, ``inf`` = open)
        [km/h], ``count`` [vehicles].
    sites : DataFrame
        Canonical sites table (``site_id``, ``street``, ``speed_limit`` [km/h]).
    by : sequence of str or comma string
        Grouping keys, as :func:`trafikplan.stats.speed.speed_stats`.
    tz : str
        IANA time zone of the local keys.
    min_n_percentile : int
        Extra floor on ``n`` for a percentile.
    level : float
        Confidence level.
    exclude : DataFrame, optional
        ``site_id`` (str), ``hour_start_utc`` (int64 [ns since epoch, UTC]):
        local hours already covered by per-vehicle data; bins starting in
        them are dropped.

    Returns
    -------
    DataFrame
        The columns of :func:`trafikplan.stats.speed.speed_stats` with
        ``basis == "bins"``; ``n`` is the summed count; ``n_hours`` the
        measured time (distinct intervals) [h]; ``share_heavy`` NaN,
        ``n_classified`` and ``n_excluded_headway`` 0. Plus
        ``hour_start_utc`` (int64 [ns]) when ``hour_start`` is a key.
    """
    by = _groups.check_by(by)
    empty = empty_stats(by)
    if "hour_start" in by:
        empty["hour_start_utc"] = pd.Series(dtype=np.int64)
    if len(bins) == 0:
        return empty
    hour, hours = hour_codes(bins["start"], tz)
    if exclude is not None and len(exclude):
        h_utc = hours["hour_start_utc"].to_numpy()[hour]
        left = pd.DataFrame({"site_id": bins["site_id"].astype(str).to_numpy(),
                             "hour_start_utc": h_utc})
        right = exclude[["site_id", "hour_start_utc"]].drop_duplicates().assign(_x=True)
        hit = left.merge(right, on=["site_id", "hour_start_utc"], how="left")["_x"]
        drop = hit.fillna(False).to_numpy(bool)
        if drop.all():
            return empty
        if drop.any():
            bins = bins.loc[~drop]
            hour, hours = hour_codes(bins["start"], tz)

    site_code, site_table = _groups.site_codes(bins["site_id"], sites)
    if "direction" in by:
        dir_code, dir_labels = _groups.label_codes(bins["direction"])
    else:
        dir_code, dir_labels = np.zeros(len(bins), np.int64), np.array(["all"], dtype=object)
    cell_of_row, cells = _groups.cells_of_rows(
        site_code, dir_code, hour, len(dir_labels), len(hours))
    cs = cells["site_code"].to_numpy()
    cd = cells["dir_code"].to_numpy()
    ch = cells["hour_code"].to_numpy()
    parts = _groups.key_parts(cs, cd, ch, site_table, hours)
    gid_cell, first = _groups.assign_groups(parts, by)
    n_groups = len(first)
    groups = _groups.key_labels(cs[first], cd[first], ch[first], site_table, dir_labels, hours, by)
    g = gid_cell[cell_of_row]

    lo = bins["speed_lo"].to_numpy(float)
    hi = bins["speed_hi"].to_numpy(float)
    cnt = bins["count"].to_numpy(float)

    # Counts per group and class, sorted by group and speed.
    agg = (pd.DataFrame({"g": g, "lo": lo, "hi": hi, "c": cnt})
           .groupby(["g", "lo", "hi"], sort=True, as_index=False)["c"].sum())
    ag = agg["g"].to_numpy()
    alo = agg["lo"].to_numpy(float)
    ahi = agg["hi"].to_numpy(float)
    ac = agg["c"].to_numpy(float)
    n_f = np.bincount(ag, weights=ac, minlength=n_groups)
    n = np.rint(n_f).astype(np.int64)
    same = np.r_[False, ag[1:] == ag[:-1]]
    overlap = same & (alo < np.r_[-np.inf, ahi[:-1]])
    bad_classes = np.bincount(ag, weights=overlap, minlength=n_groups) > 0
    cum = np.cumsum(ac)
    base = np.r_[0.0, np.cumsum(n_f)[:-1]]

    row_limit = site_table["speed_limit"].to_numpy(float)[site_code]
    over_rows = [_over_weights(lo, hi, cnt, row_limit + margin) for _, margin in SHARES]
    n_cells = len(cs)
    cell_n = np.bincount(cell_of_row, weights=cnt, minlength=n_cells)
    row_open = ~np.isfinite(hi) | ~np.isfinite(lo)
    row_mid = np.where(row_open, 0.0, (lo + hi) / 2.0)
    centre = float(np.average(row_mid, weights=cnt)) if cnt.sum() > 0 else 0.0
    x = np.where(row_open, 0.0, row_mid - centre)
    cell_s1 = np.bincount(cell_of_row, weights=cnt * x, minlength=n_cells)
    cell_s2 = np.bincount(cell_of_row, weights=cnt * x * x, minlength=n_cells)
    cell_k = np.stack([np.bincount(cell_of_row, weights=np.nan_to_num(w), minlength=n_cells)
                       for w in over_rows], axis=1)
    day = (dayvar.no_day_terms(n_groups, len(SHARES)) if {"date", "hour_start"} & set(by)
           else dayvar.group_day_terms(
               gid_cell, cs, hour_of_week_units(cs, cd, ch, len(dir_labels), hours),
               parts["date"], cell_n, cell_s1, cell_s2, cell_k, len(site_table), n_groups))

    out: dict[str, np.ndarray] = {}
    open_cls = ~np.isfinite(ahi) | ~np.isfinite(alo)
    mid = np.where(open_cls, 0.0, (alo + ahi) / 2.0)
    open_n = np.bincount(ag, weights=ac * open_cls, minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.bincount(ag, weights=ac * mid, minlength=n_groups) / n_f
        dev2 = np.bincount(ag, weights=ac * (mid - mean[ag]) ** 2, minlength=n_groups)
        # Sheppard's correction: midpoints add the within-class variance w²/12
        sheppard = np.bincount(ag, weights=ac * np.where(open_cls, 0.0, ahi - alo) ** 2 / 12.0,
                               minlength=n_groups) / n_f
        sd = np.where(n >= 2, np.sqrt(np.maximum(dev2 / (n_f - 1.0) - sheppard, 0.0)), np.nan)
    undefined = (open_n > 0) | bad_classes | (n == 0)
    mean = np.where(undefined, np.nan, mean)
    sd = np.where(undefined, np.nan, sd)
    mlo, mhi, deff = dayvar.mean_interval(mean, sd, n, day.mean, day.df, level)
    out.update(mean_speed=mean, mean_speed_lo=mlo, mean_speed_hi=mhi, sd=sd)

    nan = np.full(n_groups, np.nan)
    cdf = ClassCdf(ag, alo, ahi, ac, n_groups)
    for name, q in PERCENTILES:
        valid = quantile_ranks(n, q, level)[2] & (n >= max(min_n_percentile, 1)) & ~bad_classes
        val = cdf.quantile(q * n_f)
        deff = np.ones(n_groups)
        for _ in range(2 if np.any(day.mean > 0) else 0):  # Woodruff, as for vehicles
            h = density_step(q, n_f / deff, level)
            deff = percentile_design_effect(q, n_f, cdf.quantile((q - h) * n_f),
                                            cdf.quantile((q + h) * n_f), h, day.mean)
        n_eff = np.floor(n_f / deff + 1e-9).astype(np.int64)
        lr, ur, ok_eff = quantile_ranks(n_eff, q, level)
        scale = n_f / np.maximum(n_eff, 1)
        width = np.nan_to_num(cdf.reading_error(q * n_f))
        plo = cdf.quantile((lr - 0.5) * scale) - width
        phi = cdf.quantile((ur - 0.5) * scale) + width
        out.update({name: np.where(valid, val, nan),
                    f"{name}_lo": np.where(valid & ok_eff, plo, nan),
                    f"{name}_hi": np.where(valid & ok_eff, phi, nan)})
        if name == "v85":
            i = np.clip(np.searchsorted(cum, base + q * n_f, side="left"), 0,
                        max(len(cum) - 1, 0))
            out["v85_class_width"] = np.where(valid, ahi[i] - alo[i], nan) if len(cum) else nan

    for j, (name, _) in enumerate(SHARES):
        w = over_rows[j]
        over = np.bincount(g, weights=np.nan_to_num(w), minlength=n_groups)
        over = np.where(np.bincount(g, weights=np.isnan(w), minlength=n_groups) > 0,
                        np.nan, over)
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(n_f > 0, over / np.where(n_f > 0, n_f, 1.0), np.nan)
        slo, shi, share_deff = share_interval(over, n_f, day.shares[:, j], level)
        bad = np.isnan(share)
        out.update({name: share, f"{name}_lo": np.where(bad, np.nan, slo),
                    f"{name}_hi": np.where(bad, np.nan, shi)})
        if j == 0:
            out["share_design_effect"] = share_deff

    # Measured time: distinct intervals per site (and direction when a key).
    unit = ["site_code", "dir_code"] if "direction" in by else ["site_code"]
    iv = pd.DataFrame({"site_code": site_code, "dir_code": dir_code, "hour_code": hour,
                       "start": bins["start"].to_numpy(), "end": bins["end"].to_numpy(),
                       "g": g}).drop_duplicates([*unit, "start", "end"])
    dur_h = (iv["end"] - iv["start"]).dt.total_seconds().to_numpy() / 3600.0
    n_hours = np.bincount(iv["g"].to_numpy(), weights=dur_h, minlength=n_groups)

    gs = _groups.group_sites(gid_cell, cs, site_table, n_groups)
    res = groups.copy()
    res["street"] = gs["street"].to_numpy()
    res["speed_limit"] = gs["speed_limit"].to_numpy()
    res["basis"] = "bins"
    res["n"] = n
    res["n_days"] = _groups.n_days_per_group(gid_cell, parts["date"], n_groups)
    res["n_hours"] = n_hours
    day_columns(res, n, deff, day)
    for c, arr in out.items():
        res[c] = arr
    with np.errstate(invalid="ignore", divide="ignore"):
        res["vehicles_per_hour"] = np.where(n_hours > 0, n_f / n_hours, np.nan)
    res["n_classified"] = np.zeros(n_groups, np.int64)
    res["share_heavy"] = np.nan
    res["share_heavy_lo"] = np.nan
    res["share_heavy_hi"] = np.nan
    res["n_excluded_headway"] = np.zeros(n_groups, np.int64)
    return res[[*by, *STATS_COLUMNS, *(["hour_start_utc"] if "hour_start" in by else [])]]
