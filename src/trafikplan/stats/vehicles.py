"""Speed statistics of per-vehicle data (``basis == "vehicles"``): :func:`vehicle_stats`.

Methods, columns and the unit of independence as :mod:`trafikplan.stats.speed`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from trafikplan.stats import _groups, dayvar
from trafikplan.stats.estimators import percentiles, share_interval
from trafikplan.stats.intervals import wilson_interval
from trafikplan.stats.localtime import hour_codes
from trafikplan.stats.stats_table import (
    DEFAULT_BY,
    GAP_FILL_HOURS,
    PERCENTILES,
    SHARES,
    STATS_COLUMNS,
    day_columns,
    empty_stats,
    hour_of_week_units,
)

__all__ = ["USED_COLUMNS", "used_columns", "vehicle_stats"]

USED_COLUMNS = ("site_id", "time", "direction", "speed", "vehicle_class")
"""Vehicles columns the statistics read; ``headway`` too under the free-flow rule."""


def used_columns(*, free_flow: bool = False) -> tuple[str, ...]:
    """Return the vehicles columns :func:`vehicle_stats` reads (``headway`` with ``free_flow``)."""
    return (*USED_COLUMNS, *(("headway",) if free_flow else ()))


def _bool_column(df: pd.DataFrame, col: str, value: str) -> np.ndarray | None:
    """``df[col] == value`` as a bool array (NA -> False), or None without the column."""
    if col not in df:
        return None
    return _equals(df[col], value)


def _equals(s: pd.Series, value: str) -> np.ndarray:
    """``s == value`` as a bool array (NA -> False)."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        cats = list(s.cat.categories)
        if value not in cats:
            return np.zeros(len(s), dtype=bool)
        return s.cat.codes.to_numpy() == cats.index(value)
    return s.eq(value).fillna(False).to_numpy(dtype=bool)


def _sort_within_groups(speed: np.ndarray, g: np.ndarray, n_groups: int) -> tuple[
        np.ndarray, np.ndarray | None, float]:
    """Speeds sorted by group, then speed, and the sorted key ``g * K + speed``.

    ``K`` is a power of two above the largest speed, so the key orders by
    group and then speed. Speeds that are whole tenths of a km/h (as counters
    give them) are sorted exactly by one integer sort (:func:`_sorted_tenths`);
    others by one float argsort of the key, where speeds closer than its float
    spacing (about 1e-8 km/h for 100 000 groups) may swap, which cannot change
    a statistic by more than that. When the spacing would exceed 1e-6 km/h, or
    a speed is negative, an exact ``lexsort`` is used instead.

    Returns
    -------
    s, sorted_key, K
        ``sorted_key`` is None when the lexsort fallback was used.
    """
    if len(speed) == 0:
        return np.zeros(0), np.zeros(0), 1.0
    smax = float(speed.max())
    k = float(2.0 ** np.ceil(np.log2(max(smax, 0.0) + 2.0)))
    if float(speed.min()) >= 0.0 and np.spacing(n_groups * k) <= 1e-6:
        tenths = _sorted_tenths(speed, g, n_groups, smax)
        if tenths is not None:
            s, gs = tenths
            key = gs.astype(np.float64)
            key *= k
            key += s
            return s, key, k
        key = g.astype(np.float64)  # built in place: every 10^7-row temporary costs
        key *= k
        key += speed
        order = np.argsort(key)
        return speed[order], key[order], k
    return speed[np.lexsort((speed, g))], None, k


def _sorted_tenths(speed: np.ndarray, g: np.ndarray, n_groups: int, smax: float,
                   ) -> tuple[np.ndarray, np.ndarray] | None:
    """Speeds and groups sorted by (group, speed) when every speed is a whole number of tenths.

    Such a speed is the double nearest to ``tenths / 10``, so ``tenths / 10.0``
    gives it back bit for bit, and one int64 sort of ``g * 2**b + tenths``
    (several times faster than an argsort of floats, and no gather) orders by
    group and speed exactly. None when a speed is not a whole number of tenths
    (bit for bit, so also for -0.0) or the key would not fit 62 bits.
    """
    bits = int(np.rint(smax * 10.0)).bit_length()
    if n_groups.bit_length() + bits > 62 or np.signbit(speed).any():
        return None
    t = speed * 10.0
    np.rint(t, out=t)
    back = t / 10.0
    if not np.array_equal(back.view(np.int64), speed.view(np.int64)):
        return None
    del back
    key = g.astype(np.int64) << bits
    key += t.astype(np.int64)
    del t
    key.sort()
    s = (key & ((1 << bits) - 1)).astype(np.float64)
    s /= 10.0
    key >>= bits
    return s, key


def _mean_sd(s: np.ndarray, start: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and sd (denominator n - 1) per group of the group-sorted values ``s``.

    Sums of values shifted by the overall mean, so the one-pass variance
    formula loses no precision for speeds (spread small against the shift).
    """
    mean = np.full(len(n), np.nan)
    sd = np.full(len(n), np.nan)
    nz = n > 0
    if not nz.any():
        return mean, sd
    c = float(s.mean())
    x = s - c
    s1 = np.add.reduceat(x, start[nz])
    np.multiply(x, x, out=x)
    s2 = np.add.reduceat(x, start[nz])
    nn = n[nz].astype(float)
    mean[nz] = c + s1 / nn
    with np.errstate(invalid="ignore", divide="ignore"):
        var = np.maximum(s2 - s1 * s1 / nn, 0.0) / (nn - 1.0)
    sd[nz] = np.where(nn >= 2, np.sqrt(var), np.nan)
    return mean, sd


def _gap_hours(
    site: np.ndarray, direction: np.ndarray, hour: np.ndarray, n_dir: int, n_hour: int,
    by_direction: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hours without vehicles inside a measurement: gaps of up to :data:`GAP_FILL_HOURS`.

    Gaps are looked for per site and direction when ``by_direction``, else per
    site (direction code 0). Returns site, direction and hour codes of the
    filled hours.
    """
    d = direction if by_direction else np.zeros_like(direction)
    code = np.unique((site * n_dir + d) * n_hour + hour)
    unit, h = code // n_hour, code % n_hour
    gap = np.diff(h)
    fill = np.r_[False, (unit[1:] == unit[:-1]) & (gap > 1) & (gap <= GAP_FILL_HOURS + 1)]
    reps = np.where(fill, np.r_[0, gap] - 1, 0)
    idx = np.repeat(np.arange(len(h)), reps)
    # hours 1 .. reps back from the hour that ends the gap
    within = np.arange(reps.sum()) - np.repeat(np.cumsum(reps) - reps, reps)
    fu = unit[idx]
    return fu // n_dir, fu % n_dir, h[idx] - 1 - within


def _cell_sums(cell: np.ndarray, speed: np.ndarray, limit: np.ndarray, n_cells: int,
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per cell: vehicles, sum and sum of squares of centred speeds, counts over each share.

    The count over each threshold of :data:`SHARES` comes from one
    ``bincount`` of (cell, number of thresholds exceeded).
    """
    n = np.bincount(cell, minlength=n_cells).astype(float)
    if not len(speed):
        return n, n.copy(), n.copy(), np.zeros((n_cells, len(SHARES)))
    x = speed - float(speed.mean())
    s1 = np.bincount(cell, weights=x, minlength=n_cells)
    np.multiply(x, x, out=x)
    s2 = np.bincount(cell, weights=x, minlength=n_cells)
    margins = np.array([m for _, m in SHARES])
    np.subtract(speed, limit, out=x)
    level = np.searchsorted(margins, x, side="left")  # thresholds exceeded (NaN: all)
    level += cell * (len(SHARES) + 1)
    hist = np.bincount(level, minlength=n_cells * (len(SHARES) + 1)).reshape(
        n_cells, len(SHARES) + 1)
    over = np.cumsum(hist[:, ::-1], axis=1)[:, ::-1][:, 1:].astype(float)
    return n, s1, s2, over


def vehicle_stats(
    vehicles: pd.DataFrame,
    sites: pd.DataFrame,
    *,
    by: Sequence[str] | str = DEFAULT_BY,
    tz: str = "Europe/Stockholm",
    free_flow_headway_s: float | None = None,
    include_bicycles: bool = False,
    min_n_percentile: int = 0,
    level: float = 0.95,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Statistics of per-vehicle data only (``basis == "vehicles"``).

    Parameters and result columns as :func:`speed_stats` (without ``bins``).

    Returns
    -------
    stats : DataFrame
        One row per group, the columns of :func:`speed_stats`, plus
        ``hour_start_utc`` (int64 [ns]) when ``hour_start`` is a key.
    coverage : DataFrame
        ``site_id`` (str), ``hour_start_utc`` (int64 [ns since epoch, UTC]):
        the local hours each site has per-vehicle data for (hours with
        vehicles plus gaps of up to :data:`GAP_FILL_HOURS`). Bins for these
        hours are not counted again.
    """
    by = _groups.check_by(by)
    empty_cov = pd.DataFrame({"site_id": pd.Series(dtype=object),
                              "hour_start_utc": pd.Series(dtype=np.int64)})
    keep = None
    if not include_bicycles:
        bike = _bool_column(vehicles, "vehicle_class", "bicycle")
        if bike is not None and bike.any():
            keep = ~bike
    speed_all = vehicles["speed"].to_numpy(dtype=float)
    ok = np.isfinite(speed_all)
    if not ok.all():
        keep = ok if keep is None else keep & ok
    used = used_columns(free_flow=free_flow_headway_s is not None)
    v = vehicles[[c for c in used if c in vehicles]]  # rows left out: copy only these
    if keep is not None:
        v = v.loc[keep]
    if len(v) == 0:
        out = empty_stats(by)
        if "hour_start" in by:
            out["hour_start_utc"] = pd.Series(dtype=np.int64)
        return out, empty_cov
    speed = v["speed"].to_numpy(dtype=float)

    site_code, site_table = _groups.site_codes(v["site_id"], sites)
    if "direction" in by:
        dir_code, dir_labels = _groups.label_codes(v["direction"])
    else:
        dir_code, dir_labels = np.zeros(len(v), np.int64), np.array(["all"], dtype=object)
    hour, hours = hour_codes(v["time"], tz)
    n_dir, n_hour = len(dir_labels), len(hours)
    cell_of_row, cells = _groups.cells_of_rows(site_code, dir_code, hour, n_dir, n_hour)
    cs = cells["site_code"].to_numpy()
    cd = cells["dir_code"].to_numpy()
    ch = cells["hour_code"].to_numpy()
    n_cells = len(cs)
    # Hours without vehicles inside a measurement join the cells, so that they
    # count as measured hours of their group (never as a group of their own).
    by_dir = "direction" in by
    fs, fd, fh = _gap_hours(cs, cd, ch, n_dir, n_hour, by_dir)
    all_s, all_d, all_h = np.r_[cs, fs], np.r_[cd, fd], np.r_[ch, fh]
    parts = _groups.key_parts(all_s, all_d, all_h, site_table, hours)
    gid_all, first = _groups.assign_groups(parts, by)
    has_data = np.zeros(len(first), dtype=bool)
    has_data[gid_all[:n_cells]] = True
    remap = np.where(has_data, np.cumsum(has_data) - 1, -1)
    gid_all = remap[gid_all]
    gid_cell = gid_all[:n_cells]
    first = first[has_data]
    n_groups = len(first)
    groups = _groups.key_labels(all_s[first], all_d[first], all_h[first], site_table,
                                dir_labels, hours, by)
    g_all = gid_cell[cell_of_row]

    n_all = np.bincount(g_all, minlength=n_groups).astype(np.int64)
    if "vehicle_class" in v:
        heavy = _equals(v["vehicle_class"], "heavy")
        unknown = _equals(v["vehicle_class"], "unknown") | v["vehicle_class"].isna().to_numpy()
        n_class = n_all - np.bincount(g_all[unknown], minlength=n_groups)
        n_heavy = np.bincount(g_all[heavy], minlength=n_groups).astype(float)
    else:
        n_class = np.zeros(n_groups, np.int64)
        n_heavy = np.zeros(n_groups)

    # Free flow: vehicles closer than the threshold to the one ahead leave the
    # speed distribution (an unknown headway counts as free flow).
    excluded = np.zeros(n_groups, dtype=np.int64)
    g, sp, site_k, cell_k = g_all, speed, site_code, cell_of_row
    if free_flow_headway_s is not None and "headway" in v:
        hw = v["headway"].to_numpy(dtype=float)
        close = hw < free_flow_headway_s
        if close.any():
            excluded = np.bincount(g_all[close], minlength=n_groups)
            g, sp, site_k = g_all[~close], speed[~close], site_code[~close]
            cell_k = cell_of_row[~close]

    n = n_all - excluded
    start = np.r_[0, np.cumsum(n)[:-1]].astype(np.int64)
    s, skey, k = _sort_within_groups(sp, g, n_groups)

    pinned = bool({"date", "hour_start"} & set(by))  # one date per group: no day term
    if pinned:
        day = dayvar.no_day_terms(n_groups, len(SHARES))
    else:
        cell_n, cell_s1, cell_s2, cell_over = _cell_sums(
            cell_k, sp, site_table["speed_limit"].to_numpy(float)[site_k], n_cells)
        day = dayvar.group_day_terms(
            gid_cell, cs, hour_of_week_units(cs, cd, ch, n_dir, hours),
            parts["date"][:n_cells], cell_n, cell_s1, cell_s2, cell_over, len(site_table),
            n_groups)

    cols: dict[str, np.ndarray] = {}
    mean, sd = _mean_sd(s, start, n)
    lo, hi, deff = dayvar.mean_interval(mean, sd, n, day.mean, day.df, level)
    cols.update(mean_speed=mean, mean_speed_lo=lo, mean_speed_hi=hi, sd=sd)
    for name, q in PERCENTILES:
        val, plo, phi, _ = percentiles(s, start, n, q, level, min_n_percentile, day.mean)
        cols.update({name: val, f"{name}_lo": plo, f"{name}_hi": phi})

    gs = _groups.group_sites(gid_cell, cs, site_table, n_groups)
    group_limit = gs["speed_limit"].to_numpy(float)
    use_search = skey is not None and not gs["mixed_limit"].any()
    if not use_search:
        row_limit = site_table["speed_limit"].to_numpy(float)[site_k]
        unknown_lim = np.bincount(g, weights=np.isnan(row_limit), minlength=n_groups) > 0
    for j, (name, margin) in enumerate(SHARES):
        if skey is not None and use_search:
            # count above a threshold = n - rank of the threshold in the sorted key
            thr = np.nan_to_num(group_limit + margin)
            target = np.arange(n_groups) * k + np.clip(thr, -0.5, k - 0.5)
            n_le = np.searchsorted(skey, target, side="right") - start
            over = np.where(np.isnan(group_limit), np.nan, (n - n_le).astype(float))
        else:
            with np.errstate(invalid="ignore"):
                over = np.bincount(g, weights=sp > row_limit + margin, minlength=n_groups)
            over = np.where(unknown_lim, np.nan, over)
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(n > 0, over / np.maximum(n, 1), np.nan)
        slo, shi, share_deff = share_interval(over, n, day.shares[:, j], level)
        bad = np.isnan(share)
        cols.update({name: share, f"{name}_lo": np.where(bad, np.nan, slo),
                    f"{name}_hi": np.where(bad, np.nan, shi)})
        if j == 0:
            cols["share_design_effect"] = share_deff

    # measured hours: distinct (site[, direction], hour) units of each group
    unit_dir = all_d if by_dir else np.zeros_like(all_d)
    _, idx = np.unique((all_s * n_dir + unit_dir) * n_hour + all_h, return_index=True)
    g_unit = gid_all[idx]
    n_hours = np.bincount(g_unit[g_unit >= 0], minlength=n_groups).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        vph = np.where(n_hours > 0, n_all / n_hours, np.nan)
        heavy_share = np.where(n_class > 0, n_heavy / np.maximum(n_class, 1), np.nan)
    hlo, hhi = wilson_interval(n_heavy, n_class, level)

    res = groups.copy()
    res["street"] = gs["street"].to_numpy()
    res["speed_limit"] = gs["speed_limit"].to_numpy()
    res["basis"] = "vehicles"
    res["n"] = n
    res["n_days"] = _groups.n_days_per_group(gid_cell, parts["date"][:n_cells], n_groups)
    res["n_hours"] = n_hours
    day_columns(res, n, deff, day)
    for c, arr in cols.items():
        res[c] = arr
    res["vehicles_per_hour"] = vph
    res["n_classified"] = n_class
    res["share_heavy"] = heavy_share
    res["share_heavy_lo"] = hlo
    res["share_heavy_hi"] = hhi
    res["n_excluded_headway"] = excluded.astype(np.int64)
    res["v85_class_width"] = np.nan
    res = res[[*by, *STATS_COLUMNS, *(["hour_start_utc"] if "hour_start" in by else [])]]

    ss, _, sh = _gap_hours(cs, cd, ch, n_dir, n_hour, False) if by_dir else (fs, fd, fh)
    site_hour = np.unique(np.r_[cs, ss] * n_hour + np.r_[ch, sh])
    coverage = pd.DataFrame({
        "site_id": site_table["site_id"].to_numpy(dtype=object)[site_hour // n_hour],
        "hour_start_utc": hours["hour_start_utc"].to_numpy()[site_hour % n_hour],
    })
    return res, coverage
