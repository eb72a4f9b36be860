"""Speed statistics per group of site, direction and local time, with 95 % intervals.

:func:`speed_stats` is the entry point: per-vehicle data (``vehicles``) and
binned counts (``bins``) in, one row per group out. The columns are listed in
:data:`STATS_COLUMNS` and documented on :func:`speed_stats`.

Methods (each tested against an independent implementation or by simulation):

* mean speed: Student t interval whose variance carries the between-day
  component of the site when the group pools several days
  (:func:`~trafikplan.stats.dayvar.mean_interval`);
* percentiles V50, V85, V95: one definition everywhere, linear interpolation
  between order statistics (Hyndman & Fan definition 7, as ``numpy.quantile``;
  :func:`percentile_rank`); interval from the distribution-free
  order-statistic interval with exact binomial ranks
  (:func:`~trafikplan.stats.intervals.quantile_ranks`) on Woodruff's
  effective sample size (:mod:`~trafikplan.stats.dayvar`);
* shares over the limit (+10, +20, +30 km/h): Wilson score interval on the
  effective sample size ``n / deff`` (design effect of the day-to-day
  variation); the heavy share: Wilson on vehicles.

Unit of independence: the (site, local date) cluster when a group pools days
(``interval_scope == "long_run"``: the interval is for the long-run value of
that hour of the week); vehicles when the keys fix one date
(``"days_measured"``: for that day only). See :mod:`trafikplan.stats.dayvar`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from trafikplan._errors import InputError
from trafikplan.stats import _groups, dayvar
from trafikplan.stats.dayvar import percentile_design_effect
from trafikplan.stats.intervals import quantile_ranks, wilson_interval, z_value
from trafikplan.stats.localtime import hour_codes

__all__ = [
    "DEFAULT_BY",
    "GAP_FILL_HOURS",
    "PERCENTILES",
    "SHARES",
    "STATS_COLUMNS",
    "speed_stats",
    "vehicle_stats",
]

DEFAULT_BY = ("site_id", "direction", "hour_start")
"""Default grouping keys (as the ``stats`` command)."""

PERCENTILES = (("v50", 0.50), ("v85", 0.85), ("v95", 0.95))
"""Percentile columns and their quantiles."""

SHARES = (("share_over_limit", 0.0), ("share_over_10", 10.0), ("share_over_20", 20.0),
          ("share_over_30", 30.0))
"""Share columns and their margin over the speed limit [km/h]."""

GAP_FILL_HOURS = 6
"""Per-vehicle data: up to this many hours without a vehicle between two hours
with vehicles count as measured hours with no traffic (a quiet night); longer
gaps count as no measurement [h]."""

_NS_H = 3600 * 1_000_000_000


def _stat_columns() -> list[str]:
    cols = ["n", "n_days", "n_hours", "n_eff", "design_effect", "day_sd", "interval_scope",
            "mean_speed", "mean_speed_lo", "mean_speed_hi", "sd"]
    for name, _ in PERCENTILES:
        cols += [name, f"{name}_lo", f"{name}_hi"]
    cols += ["v85_class_width"]
    for name, _ in SHARES:
        cols += [name, f"{name}_lo", f"{name}_hi"]
    cols += ["share_design_effect", "vehicles_per_hour", "n_classified", "share_heavy",
             "share_heavy_lo", "share_heavy_hi", "n_excluded_headway"]
    return cols


STATS_COLUMNS = ("street", "speed_limit", "basis", *_stat_columns())
"""Columns after the grouping keys, in order."""


def _empty(by: Sequence[str]) -> pd.DataFrame:
    key_dtypes = {"site_id": object, "direction": object, "date": object,
                  "hour_start": object, "weekday": np.int64, "hour_of_day": np.int64}
    data = {k: pd.Series(dtype=key_dtypes[k]) for k in by}
    for c in STATS_COLUMNS:
        dt = (np.int64 if c in ("n", "n_days", "n_classified", "n_excluded_headway")
              else object if c in ("street", "basis", "interval_scope") else float)
        data[c] = pd.Series(dtype=dt)
    return pd.DataFrame(data)


def _bool_column(df: pd.DataFrame, col: str, value: str) -> np.ndarray | None:
    """``df[col] == value`` as a bool array (NA -> False), or None without the column."""
    if col not in df:
        return None
    s = df[col]
    if isinstance(s.dtype, pd.CategoricalDtype):
        cats = list(s.cat.categories)
        if value not in cats:
            return np.zeros(len(s), dtype=bool)
        return s.cat.codes.to_numpy() == cats.index(value)
    return s.eq(value).fillna(False).to_numpy(dtype=bool)


def _sort_within_groups(speed: np.ndarray, g: np.ndarray, n_groups: int) -> tuple[
        np.ndarray, np.ndarray | None, float]:
    """Permutation sorting rows by (group, speed) with one argsort.

    The sort key is ``g * K + speed`` with ``K`` a power of two above the
    largest speed, so one float argsort orders by group and then speed.
    Speeds closer than the float spacing of the key (about 1e-8 km/h for
    100 000 groups) may swap, which cannot change a statistic by more than
    that. When the spacing would exceed 1e-6 km/h, or a speed is negative,
    an exact ``lexsort`` is used instead.

    Returns
    -------
    order, sorted_key, K
        ``sorted_key`` is None when the lexsort fallback was used.
    """
    if len(speed) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0), 1.0
    smax = float(speed.max())
    k = float(2.0 ** np.ceil(np.log2(max(smax, 0.0) + 2.0)))
    if float(speed.min()) >= 0.0 and np.spacing(n_groups * k) <= 1e-6:
        key = g.astype(np.float64)  # built in place: every 10^7-row temporary costs
        key *= k
        key += speed
        order = np.argsort(key)
        return order, key[order], k
    return np.lexsort((speed, g)), None, k


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


def percentile_rank(n: np.ndarray, q: float) -> np.ndarray:
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


def _percentiles(
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
    ok = quantile_ranks(n, q, level)[2] & (n >= max(min_n, 1))
    nan = np.full(len(n), np.nan)
    return (np.where(ok, value, nan), np.where(ok & valid, lo, nan),
            np.where(ok & valid, hi, nan), deff)


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


def _hour_of_week_units(cs: np.ndarray, cd: np.ndarray, ch: np.ndarray, n_dir: int,
                        hours: pd.DataFrame) -> np.ndarray:
    """Hour-of-week unit (site, direction, weekday x hour of day) of each cell."""
    how = ((hours["weekday"].to_numpy(np.int64) - 1) * 24
           + hours["hour_of_day"].to_numpy(np.int64))[ch]
    return (cs * n_dir + cd) * 168 + how


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


def _day_columns(res: pd.DataFrame, n: np.ndarray, deff: np.ndarray,
                 day: dayvar.DayTerms) -> None:
    """Add ``n_eff``, ``design_effect``, ``day_sd`` and ``interval_scope`` to ``res``."""
    with np.errstate(invalid="ignore", divide="ignore"):
        res["n_eff"] = np.where(np.isfinite(deff) & (deff > 0), n / deff, n.astype(float))
    res["design_effect"] = np.where(np.isfinite(deff), deff, 1.0)
    res["day_sd"] = day.day_sd
    res["interval_scope"] = day.scope()


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
    v = vehicles if keep is None else vehicles.loc[keep]
    if len(v) == 0:
        out = _empty(by)
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
        heavy = _bool_column(v, "vehicle_class", "heavy")
        unknown = _bool_column(v, "vehicle_class", "unknown") | v["vehicle_class"].isna().to_numpy()
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
    order, skey, k = _sort_within_groups(sp, g, n_groups)
    s = sp[order]

    pinned = bool({"date", "hour_start"} & set(by))  # one date per group: no day term
    if pinned:
        day = dayvar.no_day_terms(n_groups, len(SHARES))
    else:
        cell_n, cell_s1, cell_s2, cell_over = _cell_sums(
            cell_k, sp, site_table["speed_limit"].to_numpy(float)[site_k], n_cells)
        day = dayvar.group_day_terms(
            gid_cell, cs, _hour_of_week_units(cs, cd, ch, n_dir, hours),
            parts["date"][:n_cells], cell_n, cell_s1, cell_s2, cell_over, len(site_table),
            n_groups)

    out: dict[str, np.ndarray] = {}
    mean, sd = _mean_sd(s, start, n)
    lo, hi, deff = dayvar.mean_interval(mean, sd, n, day.mean, day.df, level)
    out.update(mean_speed=mean, mean_speed_lo=lo, mean_speed_hi=hi, sd=sd)
    for name, q in PERCENTILES:
        val, plo, phi, _ = _percentiles(s, start, n, q, level, min_n_percentile, day.mean)
        out.update({name: val, f"{name}_lo": plo, f"{name}_hi": phi})

    gs = _groups.group_sites(gid_cell, cs, site_table, n_groups)
    group_limit = gs["speed_limit"].to_numpy(float)
    use_search = skey is not None and not gs["mixed_limit"].any()
    if not use_search:
        row_limit = site_table["speed_limit"].to_numpy(float)[site_k]
        unknown_lim = np.bincount(g, weights=np.isnan(row_limit), minlength=n_groups) > 0
    for j, (name, margin) in enumerate(SHARES):
        if use_search:
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
        out.update({name: share, f"{name}_lo": np.where(bad, np.nan, slo),
                    f"{name}_hi": np.where(bad, np.nan, shi)})
        if j == 0:
            out["share_design_effect"] = share_deff

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
    _day_columns(res, n, deff, day)
    for c, arr in out.items():
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


def speed_stats(
    vehicles: pd.DataFrame,
    sites: pd.DataFrame,
    *,
    bins: pd.DataFrame | None = None,
    by: Sequence[str] | str = DEFAULT_BY,
    tz: str = "Europe/Stockholm",
    free_flow_headway_s: float | None = None,
    include_bicycles: bool = False,
    min_n_percentile: int = 0,
    level: float = 0.95,
) -> pd.DataFrame:
    """Speed statistics per group, each with its sample size and 95 % interval.

    Parameters
    ----------
    vehicles : DataFrame
        Canonical vehicles table (:data:`trafikplan.columns.VEHICLES`):
        ``site_id``, ``time`` (datetime64[ns, UTC]), ``direction``,
        ``speed`` [km/h], and where present ``headway`` [s] and
        ``vehicle_class``.
    sites : DataFrame
        Canonical sites table: ``site_id``, ``street``, ``speed_limit`` [km/h].
        A site missing here gets NA street and NaN limit (and NaN shares).
    bins : DataFrame, optional
        Canonical bins table (:data:`trafikplan.columns.BINS`); statistics
        from bins as :func:`trafikplan.stats.binned.binned_stats`. Where a site
        has per-vehicle data for a local hour, its bins starting in that hour
        are dropped (per-vehicle data wins; nothing is counted twice).
    by : sequence of str or comma string
        Grouping keys from ``site_id, direction, date, hour_start, weekday,
        hour_of_day`` (local time in ``tz``). Empty: one group of everything.
        Bins whose direction is ``"all"`` (both directions together) form
        their own group with ``direction == "all"`` when ``direction`` is a
        key; without ``direction`` among the keys they join the other rows of
        their site.
    tz : str
        IANA time zone of the local keys.
    free_flow_headway_s : float [s], optional
        When given, vehicles with a headway below this are left out of the
        speed distribution (mean, sd, percentiles and shares), as speed
        surveys measure free-flowing vehicles; ``n_excluded_headway`` counts
        them. A missing headway counts as free flow. ``vehicles_per_hour``
        and ``share_heavy`` still count every vehicle.
    include_bicycles : bool
        Keep ``vehicle_class == "bicycle"`` (default: left out of
        motor-vehicle statistics).
    min_n_percentile : int
        Extra floor on ``n`` for a percentile, on top of the order-statistic
        rule (``[stats] min_vehicles_percentile``).
    level : float
        Confidence level of every interval (0.95).

    Returns
    -------
    DataFrame
        One row per group and basis, sorted by the keys (``hour_start``
        chronologically, by its instant), columns:

        * the keys: ``site_id`` (str), ``direction`` (str), ``date`` (str,
          local ``YYYY-MM-DD``), ``hour_start`` (str, ISO 8601 with offset, see
          :mod:`trafikplan.stats.localtime`), ``weekday`` (int, 1 = Monday),
          ``hour_of_day`` (int, 0..23);
        * ``street`` (str; streets joined by ``"; "`` when the group spans
          several sites), ``speed_limit`` (float [km/h]; NaN when the group's
          sites have different limits);
        * ``basis`` (str): ``"vehicles"`` (per-vehicle data) or ``"bins"``
          (speed-class counts). A group with per-vehicle data for some hours
          and bins for others has one row of each;
        * ``n`` (int): vehicles in the speed statistics;
          ``n_days`` (int): local dates with data in the group (when 1, every
          figure rests on a single day); ``n_hours`` (float [h]): measured
          hours in the group, counted per site (per site and direction when
          ``direction`` is a key), so a group over two sites for one hour has 2;
        * ``n_eff`` (float [vehicles]) and ``design_effect`` (float [1]): the
          effective sample size ``n / design_effect`` of the mean, where
          ``design_effect`` is its variance over the variance of independent
          vehicles (1 when the interval is for the days measured);
          ``day_sd`` (float [km/h]): the between-day standard deviation of the
          mean speed of the group's site(s), estimated over all its hours of the
          week (NaN where not estimable); ``interval_scope`` (str):
          ``"long_run"`` -- the intervals answer "what is the value of this hour
          of the week" and include the day-to-day variation; ``"days_measured"``
          -- they answer "what was it on the days measured" (the keys fix one
          date, or the site has no hour of the week measured on two dates);
        * ``mean_speed``, ``mean_speed_lo``, ``mean_speed_hi`` (float [km/h]):
          mean with the Student t interval (day term included); ``sd`` (float [km/h]);
        * ``v50``, ``v85``, ``v95`` (float [km/h]) each with ``_lo``/``_hi``:
          percentiles (:func:`percentile_rank`) with the order-statistic
          interval (exact binomial ranks on Woodruff's effective n); NaN when
          the group is too small for the interval's ranks to exist (95 %:
          n < 6 for V50, n < 23 for V85, n < 72 for V95) or below
          ``min_n_percentile``; limits NaN when the effective n is too small;
          ``v85_class_width`` (float [km/h]): for bins, the width of the speed
          class holding V85 (NaN for per-vehicle data);
        * ``share_over_limit``, ``share_over_10``, ``share_over_20``,
          ``share_over_30`` (float [0..1]) each with ``_lo``/``_hi``: share of
          vehicles with speed > limit (+ 10, 20, 30 km/h), Wilson interval on
          the effective sample size, each vehicle against the limit of its
          own site; ``share_design_effect`` (float [1]) the design effect of
          ``share_over_limit``;
        * ``vehicles_per_hour`` (float [vehicles/h]): all vehicles (also the
          ones left out by the free-flow rule) per measured hour, i.e.
          ``n_all / n_hours``: the mean flow at one site (and direction);
        * ``n_classified`` (int), ``share_heavy`` (+ ``_lo``/``_hi``, float
          [0..1]): share of ``vehicle_class == "heavy"`` among vehicles with a
          known class, Wilson interval; NaN for bins and unclassified data;
        * ``n_excluded_headway`` (int): vehicles left out by the free-flow rule.

    Notes
    -----
    A figure pooled over several days has the (site, date) cluster as its
    unit: its interval carries the between-day variance component
    (:mod:`trafikplan.stats.dayvar`). Vehicles in platoons within one hour
    are still treated as independent. Measured hours of per-vehicle data
    are the hours with a vehicle plus gaps of up to :data:`GAP_FILL_HOURS`
    hours without one (a counter sees no record in an hour without traffic).
    Statistics from bins are approximate within a bin; see
    :func:`trafikplan.stats.binned.binned_stats`.
    """
    from trafikplan.stats.binned import binned_stats

    by = _groups.check_by(by)
    if not 0.0 < level < 1.0:
        raise InputError(f"confidence level must be between 0 and 1, got {level}")
    veh, coverage = vehicle_stats(
        vehicles, sites, by=by, tz=tz, free_flow_headway_s=free_flow_headway_s,
        include_bicycles=include_bicycles, min_n_percentile=min_n_percentile, level=level,
    )
    parts = [veh]
    if bins is not None and len(bins):
        parts.append(binned_stats(bins, sites, by=by, tz=tz, min_n_percentile=min_n_percentile,
                                  level=level, exclude=coverage))
    parts = [p for p in parts if len(p)]
    if not parts:
        return _empty(by)
    res = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    ikeys = _groups.internal_keys(by)
    res = res.sort_values([*ikeys, "basis"], kind="stable").reset_index(drop=True)
    return res.drop(columns=["hour_start_utc"], errors="ignore")
