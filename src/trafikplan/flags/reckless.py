"""Reckless-driving indicators from per-vehicle counter data.

Each indicator is a rule over the canonical vehicles table
(:data:`trafikplan.columns.VEHICLES`), evaluated vectorised, and aggregated per
site and local ``weekday`` (1 = Monday) x ``hour_of_day`` of the time zone of
the settings. Bicycles never count (a group of cyclists is not an A-traktor
group). The thresholds are keys of ``[flags]`` in ``trafikplan.toml``
(:class:`trafikplan.settings.FlagSettings`):

extreme speeds
    A vehicle faster than ``limit + extreme_over_kmh`` (30 km/h) is an extreme
    pass. The indicator fires in a site-hour with at least
    ``extreme_min_count`` (3) extreme passes whose share of the site-hour's
    vehicles has a lower 95 % Wilson limit above ``extreme_share_min`` (0.005).
laps (buskörning)
    Within one *night* at one site (both directions together), passes faster
    than ``limit + lap_over_kmh`` (25 km/h) during ``night_hours``. Whenever at
    least ``lap_min_passes`` (4) of them fall within ``lap_window_minutes``
    (20 min), every pass in that window is a lap pass: the signature of the
    same few cars doing rounds. (On the Köping sample a general evening
    speeding problem, V85 about limit + 17, gives such bursts with +20 km/h
    and 3 passes in 30 min; the defaults keep laps for laps.) A night that
    crosses midnight belongs to the evening's local date (a pass at 00:40 on
    Saturday belongs to Friday's night), so windows spanning midnight are
    found; each lap pass is still counted at its own local weekday and hour. Fires with at least
    ``lap_min_passes`` lap passes in the site-hour.
night excess
    For night hours only: the site's V85 in that weekday-hour against the same
    site's daytime V85 (all hours not in ``night_hours``). ``night_excess`` is
    the difference of the point estimates; it fires when the *lower* 95 % limit
    of the night V85 exceeds the *upper* 95 % limit of the day V85 by more than
    ``night_excess_kmh`` (5 km/h), i.e. the excess survives both intervals.
slow groups
    On streets with a limit of at least ``slow_group_min_limit_kmh`` (50),
    runs of at least ``slow_group_min_vehicles`` (3) slow vehicles of one site
    and direction, each at ``slow_speed_min_kmh``..``slow_speed_max_kmh``
    (20..35 km/h) and each at most ``slow_group_gap_s`` (4 s) behind the slow
    vehicle before it (a faster vehicle overtaking the group in between does
    not break it): A-traktor and moped groups. A group counts at the hour of its first
    vehicle. Fires with at least ``slow_group_min_count`` (2) groups in the
    site-hour.
short headways at speed
    A vehicle over the limit with a headway below ``short_headway_s`` (1 s)
    to the vehicle ahead in its direction (the table's ``headway``; where it is
    missing, the time since the previous vehicle of the same site and
    direction). Fires with at least ``short_headway_min_count`` (5) of them in
    the site-hour and a lower 95 % Wilson limit of their share above
    ``short_headway_share_min`` (0.02).

Counts are summed over every date of the data; ``hours_observed`` says over
how many clock hours, so a reader can turn them into rates.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from trafikplan.settings import FlagSettings
from trafikplan.stats.intervals import wilson_interval
from trafikplan.stats.localtime import hour_codes

__all__ = ["KEYS", "RECKLESS_COLUMNS", "night_excess", "reckless_indicators"]

KEYS = ["site_id", "weekday", "hour_of_day"]
_NS_DAY = 86_400 * 1_000_000_000

RECKLESS_COLUMNS = (
    "per_vehicle_n",
    "hours_observed",
    "extreme_n",
    "extreme_share_lo",
    "lap_passes",
    "lap_nights",
    "slow_groups",
    "slow_group_vehicles",
    "short_headways_at_speed",
    "short_headway_share_lo",
    "extreme_fires",
    "laps_fire",
    "slow_groups_fire",
    "short_headways_fire",
)
"""Columns of :func:`reckless_indicators` besides the keys."""


def _wilson_lo(x: np.ndarray, n: np.ndarray) -> np.ndarray:
    lo, _hi = wilson_interval(np.asarray(x, dtype=float), np.asarray(n, dtype=float))
    return np.asarray(lo, dtype=float)


def _prepare(vehicles: pd.DataFrame, sites: pd.DataFrame, tz: str) -> pd.DataFrame:
    """Motor vehicles with limit, local keys and stream order (site, direction, time)."""
    limits = sites.drop_duplicates("site_id").set_index("site_id")["speed_limit"].astype(float)
    keep = vehicles["vehicle_class"].astype("string").fillna("unknown") != "bicycle"
    v = vehicles.loc[keep, ["site_id", "time", "direction", "speed", "headway"]].copy()
    v["site_id"] = v["site_id"].astype("string")
    v["direction"] = v["direction"].astype("string").fillna("")
    v["speed_limit"] = v["site_id"].map(limits).astype(float).to_numpy()
    v = v[v["speed_limit"].notna() & v["speed"].notna()]
    v = v.sort_values(["site_id", "direction", "time"], kind="stable").reset_index(drop=True)
    if v.empty:
        return v
    codes, hours = hour_codes(v["time"], tz)
    hour_of_day = hours["hour_of_day"].to_numpy()[codes]
    v["weekday"] = hours["weekday"].to_numpy()[codes]
    v["hour_of_day"] = hour_of_day
    start = hours["hour_start_utc"].to_numpy()[codes]
    local_day = (start + hours["offset_s"].to_numpy()[codes] * 1_000_000_000) // _NS_DAY
    # Night: the local day of the evening a night started (hours before noon
    # belong to the previous day).
    v["night_date"] = local_day - (hour_of_day < 12)
    v["hour_utc"] = start
    return v


def _stream_gaps(v: pd.DataFrame) -> np.ndarray:
    """Seconds since the previous vehicle of the same site and direction (NaN first)."""
    t = v["time"].astype("int64").to_numpy() / 1e9
    gap = np.full(len(v), np.nan)
    if len(v) > 1:
        same = (v["site_id"].to_numpy()[1:] == v["site_id"].to_numpy()[:-1]) & (
            v["direction"].to_numpy()[1:] == v["direction"].to_numpy()[:-1]
        )
        gap[1:] = np.where(same, np.diff(t), np.nan)
    return gap


def _lap_mask(v: pd.DataFrame, s: FlagSettings) -> np.ndarray:
    """Mark the passes that belong to a burst of laps (see module docstring)."""
    night = v["hour_of_day"].isin(list(s.night_hours)).to_numpy()
    fast = night & (v["speed"].to_numpy() > v["speed_limit"].to_numpy() + s.lap_over_kmh)
    out = np.zeros(len(v), dtype=bool)
    idx = np.flatnonzero(fast)
    if len(idx) < s.lap_min_passes:
        return out
    f = v.iloc[idx]
    t = f["time"].astype("int64").to_numpy() / 1e9
    group = pd.MultiIndex.from_arrays([f["site_id"], f["night_date"]]).factorize()[0]
    window = s.lap_window_minutes * 60.0
    t0 = t - t.min()
    big = t0.max() + window + 1.0
    composite = group * big + t0
    order = np.argsort(composite, kind="stable")
    c = composite[order]
    end = np.searchsorted(c, c + window, side="right")
    start = (end - np.arange(len(c))) >= s.lap_min_passes
    diff = np.zeros(len(c) + 1, dtype=np.int64)
    np.add.at(diff, np.flatnonzero(start), 1)
    np.add.at(diff, end[start], -1)
    covered_sorted = np.cumsum(diff[:-1]) > 0
    covered = np.empty(len(c), dtype=bool)
    covered[order] = covered_sorted
    out[idx] = covered
    return out


def _slow_group_starts(v: pd.DataFrame, s: FlagSettings) -> np.ndarray:
    """Count the vehicles of the slow group starting at each vehicle (0 elsewhere).

    Groups are runs in the stream of *slow* vehicles of one site and direction,
    so a faster vehicle recorded between two slow ones (overtaking the group)
    does not break it.
    """
    speed = v["speed"].to_numpy()
    slow = (
        (speed >= s.slow_speed_min_kmh)
        & (speed <= s.slow_speed_max_kmh)
        & (v["speed_limit"].to_numpy() >= s.slow_group_min_limit_kmh)
    )
    out = np.zeros(len(v), dtype=np.int64)
    idx = np.flatnonzero(slow)
    if len(idx) == 0:
        return out
    gap = _stream_gaps(v.iloc[idx])
    link = np.nan_to_num(gap, nan=np.inf) <= s.slow_group_gap_s
    start = ~link
    run = np.cumsum(start) - 1
    size = np.bincount(run)[run]
    first = start & (size >= s.slow_group_min_vehicles)
    out[idx[first]] = size[first]
    return out


def reckless_indicators(
    vehicles: pd.DataFrame, sites: pd.DataFrame, settings: FlagSettings, *, tz: str
) -> pd.DataFrame:
    """Reckless-driving indicators per site and local weekday x hour of day.

    The rules and their thresholds are described in the module docstring.

    Parameters
    ----------
    vehicles : DataFrame
        Canonical vehicles table (``site_id``, ``time`` [UTC], ``direction``,
        ``speed`` [km/h], ``headway`` [s], ``vehicle_class``).
    sites : DataFrame
        Canonical sites table (``site_id``, ``speed_limit`` [km/h]).
    settings : FlagSettings
        The ``[flags]`` thresholds.
    tz : str
        IANA time zone of the local keys.

    Returns
    -------
    DataFrame
        One row per site and local weekday x hour with per-vehicle data:

        - ``site_id`` : string; ``weekday`` : int (1 = Monday); ``hour_of_day`` : int (0..23)
        - ``per_vehicle_n`` : int [vehicles] motor vehicles the indicators saw
        - ``hours_observed`` : int [h] distinct clock hours with data
        - ``extreme_n`` : int [vehicles] faster than limit + ``extreme_over_kmh``
        - ``extreme_share_lo`` : float [share] lower 95 % Wilson limit of their share
        - ``lap_passes`` : int [vehicles] fast night passes in a burst of laps
        - ``lap_nights`` : int [nights] nights with lap passes in this hour
        - ``slow_groups`` : int [groups] slow groups starting in this hour
        - ``slow_group_vehicles`` : int [vehicles] vehicles in those groups
        - ``short_headways_at_speed`` : int [vehicles] over the limit with a headway
          below ``short_headway_s``
        - ``short_headway_share_lo`` : float [share] lower 95 % Wilson limit of their share
        - ``extreme_fires``, ``laps_fire``, ``slow_groups_fire``, ``short_headways_fire`` : bool
    """
    s = settings
    v = _prepare(vehicles, sites, tz)
    if v.empty:
        out = pd.DataFrame({k: pd.Series(dtype="string" if k == "site_id" else "int64")
                            for k in KEYS})
        for col in RECKLESS_COLUMNS:
            dtype = "bool" if col.endswith(("fires", "fire")) else (
                "float64" if col.endswith("_lo") else "int64")
            out[col] = pd.Series(dtype=dtype)
        return out
    gap = _stream_gaps(v)
    headway = v["headway"].astype(float).to_numpy()
    headway = np.where(np.isnan(headway), gap, headway)
    speed = v["speed"].to_numpy()
    limit = v["speed_limit"].to_numpy()

    v["extreme"] = speed > limit + s.extreme_over_kmh
    v["lap"] = _lap_mask(v, s)
    v["slow_group_size"] = _slow_group_starts(v, s)
    v["slow_group"] = v["slow_group_size"] > 0
    v["short_headway"] = (speed > limit) & (np.nan_to_num(headway, nan=np.inf) < s.short_headway_s)

    g = v.groupby(KEYS, sort=True, observed=True)
    out = g.agg(
        per_vehicle_n=("speed", "size"),
        hours_observed=("hour_utc", "nunique"),
        extreme_n=("extreme", "sum"),
        lap_passes=("lap", "sum"),
        slow_groups=("slow_group", "sum"),
        slow_group_vehicles=("slow_group_size", "sum"),
        short_headways_at_speed=("short_headway", "sum"),
    )
    nights = v.loc[v["lap"], [*KEYS, "night_date"]].drop_duplicates().groupby(KEYS).size()
    out["lap_nights"] = nights.reindex(out.index, fill_value=0)
    out = out.reset_index()
    for col in out.columns[3:]:
        out[col] = out[col].astype("int64")
    n = out["per_vehicle_n"].to_numpy()
    out["extreme_share_lo"] = _wilson_lo(out["extreme_n"].to_numpy(), n)
    out["short_headway_share_lo"] = _wilson_lo(out["short_headways_at_speed"].to_numpy(), n)
    out["extreme_fires"] = (out["extreme_n"] >= s.extreme_min_count) & (
        out["extreme_share_lo"] > s.extreme_share_min
    )
    out["laps_fire"] = out["lap_passes"] >= s.lap_min_passes
    out["slow_groups_fire"] = out["slow_groups"] >= s.slow_group_min_count
    out["short_headways_fire"] = (out["short_headways_at_speed"] >= s.short_headway_min_count) & (
        out["short_headway_share_lo"] > s.short_headway_share_min
    )
    out["site_id"] = out["site_id"].astype("string")
    return out[[*KEYS, *RECKLESS_COLUMNS]]


def night_excess(
    hourly: pd.DataFrame, day: pd.DataFrame, settings: FlagSettings
) -> pd.DataFrame:
    """Night V85 of each site-hour against the same site's daytime V85.

    Parameters
    ----------
    hourly : DataFrame
        Speed statistics by ``site_id, weekday, hour_of_day`` with ``v85``,
        ``v85_lo``, ``v85_hi`` [km/h] (order-statistic 95 % interval, see
        :mod:`trafikplan.stats`).
    day : DataFrame
        Speed statistics by ``site_id`` over the daytime hours (every hour not
        in ``settings.night_hours``) with ``v85, v85_lo, v85_hi`` [km/h].
    settings : FlagSettings
        ``night_hours`` and ``night_excess_kmh``.

    Returns
    -------
    DataFrame
        ``site_id, weekday, hour_of_day`` of ``hourly`` and

        - ``day_v85`` : float [km/h] the site's daytime V85
        - ``night_excess`` : float [km/h] night V85 - day V85 (NaN outside night hours)
        - ``night_excess_lo`` : float [km/h] night ``v85_lo`` - day ``v85_hi``: a
          conservative lower limit of the excess
        - ``night_excess_fires`` : bool, ``night_excess_lo > night_excess_kmh``
    """
    d = day.drop_duplicates("site_id").set_index("site_id")
    out = hourly[KEYS].copy()
    night = hourly["hour_of_day"].isin(list(settings.night_hours)).to_numpy()
    day_v85 = hourly["site_id"].map(d["v85"]).astype(float).to_numpy()
    day_hi = hourly["site_id"].map(d["v85_hi"]).astype(float).to_numpy()
    out["day_v85"] = day_v85
    excess = hourly["v85"].astype(float).to_numpy() - day_v85
    excess_lo = hourly["v85_lo"].astype(float).to_numpy() - day_hi
    out["night_excess"] = np.where(night, excess, np.nan)
    out["night_excess_lo"] = np.where(night, excess_lo, np.nan)
    out["night_excess_fires"] = np.nan_to_num(out["night_excess_lo"], nan=-np.inf) > (
        settings.night_excess_kmh
    )
    return out
