"""The flags table: which sites and local hours need speed checks, with the evidence.

:func:`compute_flags` joins, per site and local ``weekday`` x ``hour_of_day``,

- speeding evidence from :func:`trafikplan.stats.speed_stats` (V85 with its
  order-statistic interval, shares over the limit with Wilson intervals,
  vehicles per hour);
- reckless-driving indicators (:mod:`trafikplan.flags.reckless`);
- Embrace report counts, smoothed over neighbouring hours
  (:mod:`trafikplan.flags.reports`);

then scores (:mod:`trafikplan.flags.score`) and explains
(:mod:`trafikplan.flags.reasons`) every row.

Flag rules (thresholds in ``[flags]`` of ``trafikplan.toml``):

speeding
    at least ``min_vehicles`` (30) vehicles in the site-hour and the lower 95 %
    limit of V85 above ``limit + v85_margin_kmh`` (5 km/h): the evidence
    survives its interval. The interval is for the long-run value of that hour
    of the week, so it carries the day-to-day variation
    (:mod:`trafikplan.stats.dayvar`): a few fast days do not make a flag.
    One rule, not two: V85 above limit + 5 means that more than 15 % of the
    vehicles exceed limit + 5 km/h, hence more than 15 % exceed the limit, so
    a second rule "share over the limit above ``share_over_limit_min``
    (0.15)" can never remove a flag the V85 rule makes (it only did so by
    accidents of two different interval methods). The share over the limit
    stays as evidence (score, reason). A V85 read from speed classes wider
    than ``max_class_width_kmh`` (10 km/h) cannot resolve limit + 5 and is not
    used; the reason says so.
reckless
    any reckless indicator fires (extreme speeds, laps, night excess, slow
    groups, short headways at speed).
reports
    at least ``reports_min`` (3) reports of ``report_categories`` within
    +-``report_smoothing_hours`` of the hour.
measure_here
    a reports flag where there is no speed data for the site-hour, or on a
    street without any counter site (``site_id`` NA): the measurement plan
    puts a counter there.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from trafikplan.columns import validate
from trafikplan.flags.reasons import build_reasons
from trafikplan.flags.reckless import KEYS, night_excess, reckless_indicators
from trafikplan.flags.reports import report_evidence, street_key
from trafikplan.flags.score import score
from trafikplan.io.store.tables import Tables
from trafikplan.settings import Settings
from trafikplan.stats.localtime import hour_codes
from trafikplan.stats.outcomes import OUTCOME_COLUMNS, add_outcome_evidence, violation_rates
from trafikplan.stats.speed import speed_stats

__all__ = ["FLAG_COLUMNS", "compute_flags", "flags_of", "rank_flags"]

FLAG_COLUMNS = (
    "site_id", "street", "area", "speed_limit", "weekday", "hour_of_day", "focus",
    "score", "flagged", "kind", "reason",
    "n", "n_days", "v85", "v85_lo", "v85_hi",
    "share_over_limit", "share_over_limit_lo", "share_over_limit_hi", "share_over_20",
    "vehicles_per_hour",
    "extreme_n", "lap_passes", "slow_groups", "short_headways_at_speed", "night_excess",
    "reports_n", "reports_smoothed", "reports_by_category",
    # Further evidence documented in compute_flags.
    "mean_speed", "mean_speed_lo", "mean_speed_hi",
    "share_over_10", "share_over_30",
    "per_vehicle_n", "hours_observed", "extreme_share_lo", "lap_nights",
    "slow_group_vehicles", "short_headway_share_lo", "day_v85", "night_excess_lo",
    "extreme_fires", "laps_fire", "night_excess_fires", "slow_groups_fire",
    "short_headways_fire", "reports_window_n",
    "speeding", "reckless", "reports", "measure_here",
    "score_speed", "score_reckless", "score_reports",
    "n_eff", "design_effect", "v85_class_width", "v85_coarse",
)
"""Columns of the flags table, in order."""

_STAT_COLUMNS = (
    "n", "n_days", "n_eff", "design_effect", "v85_class_width",
    "mean_speed", "mean_speed_lo", "mean_speed_hi", "v85", "v85_lo", "v85_hi",
    "share_over_limit", "share_over_limit_lo", "share_over_limit_hi",
    "share_over_10", "share_over_20", "share_over_30", "vehicles_per_hour",
)
_INT_ZERO = (
    "per_vehicle_n", "hours_observed", "extreme_n", "lap_passes", "lap_nights", "slow_groups",
    "slow_group_vehicles", "short_headways_at_speed", "reports_n", "reports_window_n",
)
_BOOL = ("extreme_fires", "laps_fire", "night_excess_fires", "slow_groups_fire",
         "short_headways_fire")


def _local_hour(times: pd.Series, tz: str) -> pd.Series:
    """Local hour of day of each instant (0..23)."""
    if len(times) == 0:
        return pd.Series(dtype="int64", index=times.index)
    codes, hours = hour_codes(times, tz)
    return pd.Series(hours["hour_of_day"].to_numpy()[codes], index=times.index)


def _speed_evidence(
    vehicles: pd.DataFrame, sites: pd.DataFrame, bins: pd.DataFrame | None, settings: Settings
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Speed statistics per site-hour of the week, and per site over daytime hours."""
    tz = settings.timezone

    def stats(v: pd.DataFrame, b: pd.DataFrame | None, by: tuple[str, ...]) -> pd.DataFrame:
        return speed_stats(v, sites, bins=b, by=by, tz=tz,
                           include_bicycles=settings.stats.include_bicycles,
                           min_n_percentile=settings.stats.min_vehicles_percentile)

    hourly = stats(vehicles, bins, tuple(KEYS))
    night = list(settings.flags.night_hours)
    day_v = vehicles[~_local_hour(vehicles["time"], tz).isin(night)]
    day_b = None
    if bins is not None and len(bins):
        day_b = bins[~_local_hour(bins["start"], tz).isin(night)]
    day = stats(day_v, day_b, ("site_id",))
    m = settings.flags.min_vehicles
    return _one_basis(hourly, m), _one_basis(day, m)


def _one_basis(stats: pd.DataFrame, min_vehicles: int) -> pd.DataFrame:
    """One row per group when a site has both per-vehicle data and bins.

    Per-vehicle data wins when it has at least ``min_vehicles`` vehicles in the
    group (it resolves V85 exactly; bins only by interpolation within a speed
    class); otherwise the basis with more vehicles.
    """
    if stats.empty:
        return stats
    stats = stats[stats["n"] > 0]
    keys = KEYS if set(KEYS) <= set(stats.columns) else ["site_id"]
    per_vehicle = (stats["basis"] == "vehicles") & (stats["n"] >= min_vehicles)
    rank = pd.DataFrame({"pv": per_vehicle.astype(int), "n": stats["n"]}, index=stats.index)
    order = rank.sort_values(["pv", "n"], ascending=False, kind="stable").index
    return stats.loc[order].drop_duplicates(keys)


def compute_flags(
    vehicles: pd.DataFrame,
    sites: pd.DataFrame,
    reports: pd.DataFrame,
    settings: Settings,
    *,
    bins: pd.DataFrame | None = None,
    checks_done: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Flag the sites and local hours of the week that need speed checks.

    Parameters
    ----------
    vehicles : DataFrame
        Canonical vehicles table (:data:`trafikplan.columns.VEHICLES`).
    sites : DataFrame
        Canonical sites table (:data:`trafikplan.columns.SITES`).
    reports : DataFrame
        Canonical reports table (:data:`trafikplan.columns.REPORTS`).
    settings : Settings
        ``timezone``, ``language``, ``focus_streets``, ``[flags]`` and
        ``[stats] include_bicycles``.
    bins : DataFrame, optional
        Canonical bins table (:data:`trafikplan.columns.BINS`); speeding
        evidence only (reckless indicators need per-vehicle data).
    checks_done : DataFrame, optional
        The police's records of completed checks
        (:data:`trafikplan.columns.CHECKS_DONE`): their violation rates with
        Wilson intervals (:func:`trafikplan.stats.outcomes.violation_rates`)
        are added as evidence and to the reasons ("förra kontrollen: 9 av 41
        över gränsen"). They do not change the score: the check planner
        weighs them (:mod:`trafikplan.plan.learning`).

    Returns
    -------
    DataFrame
        One row per site (or, for a street with reports but no counter site,
        per street) and local weekday x hour with any evidence, sorted by
        ``site_id, street, weekday, hour_of_day``; columns :data:`FLAG_COLUMNS`:

        - ``site_id`` : string (NA for a street without a counter site),
          ``street``, ``area`` : string, ``speed_limit`` : float [km/h]
        - ``weekday`` : int (1 = Monday .. 7), ``hour_of_day`` : int (0..23), local
        - ``focus`` : bool, the street is one of ``settings.focus_streets``
          (marked only; it does not change the score)
        - ``score`` : float >= 0, value of one hour of police presence
          (:mod:`trafikplan.flags.score`), with its terms ``score_speed``,
          ``score_reckless``, ``score_reports``
        - ``flagged`` : bool, any of ``speeding``, ``reckless``, ``reports``,
          ``measure_here`` (bool columns; rules in the module docstring)
        - ``kind`` : string, ``;``-joined names of those that hold
        - ``reason`` : string, Swedish or English (``settings.language``)
        - speed statistics of :func:`trafikplan.stats.speed_stats` for the
          site-hour over every date, intervals for the long-run value of that
          hour of the week: ``n`` [vehicles], ``n_days`` [days], ``n_eff``
          [vehicles] and ``design_effect`` [1] (day-to-day variation),
          ``v85_class_width`` [km/h] (binned data) and ``v85_coarse`` (bool:
          too coarse for the speeding rule),
          ``mean_speed(_lo/_hi)``, ``v85(_lo/_hi)`` [km/h],
          ``share_over_limit(_lo/_hi)``, ``share_over_10/20/30`` [share],
          ``vehicles_per_hour`` [1/h]; NaN without speed data
        - reckless indicators of :func:`trafikplan.flags.reckless.reckless_indicators`
          (``per_vehicle_n, hours_observed, extreme_n, extreme_share_lo,
          lap_passes, lap_nights, slow_groups, slow_group_vehicles,
          short_headways_at_speed, short_headway_share_lo`` and the ``*_fire(s)``
          bools; 0 without per-vehicle data) and of
          :func:`trafikplan.flags.reckless.night_excess` (``day_v85``,
          ``night_excess``, ``night_excess_lo`` [km/h], ``night_excess_fires``)
        - reports of :func:`trafikplan.flags.reports.report_evidence`:
          ``reports_n``, ``reports_window_n`` [reports], ``reports_smoothed``,
          ``reports_by_category`` (e.g. ``"reckless:4;noise:2"``)
        - with ``checks_done``: :data:`trafikplan.stats.outcomes.OUTCOME_COLUMNS`
          (``checks_n``, ``vehicles_checked``, ``violations``,
          ``violation_rate(_lo/_hi)``, ...); site-hours with only a check get a
          row with score 0

    Raises
    ------
    InputError
        A table that does not fit its contract in :mod:`trafikplan.columns`, or
        an unknown category in ``[flags] report_categories``.
    """
    validate(vehicles, "vehicles", where="vehicles table")
    validate(sites, "sites", where="sites table")
    validate(reports, "reports", where="reports table")
    if bins is not None:
        validate(bins, "bins", where="bins table")
    fs = settings.flags
    tz = settings.timezone
    sites = sites.copy()
    sites["site_id"] = sites["site_id"].astype("string")
    site_info = sites.drop_duplicates("site_id").set_index("site_id")

    hourly, day = _speed_evidence(vehicles, sites, bins, settings)
    keep = [c for c in (*KEYS, *_STAT_COLUMNS) if c in hourly.columns]
    base = hourly[keep].copy()
    base["site_id"] = base["site_id"].astype("string")
    for c in KEYS[1:]:
        base[c] = base[c].astype("int64")

    reckless = reckless_indicators(vehicles, sites, fs, tz=tz)
    excess = night_excess(hourly, day, fs) if len(hourly) else None
    evidence = report_evidence(
        reports, sites, tz=tz, categories=fs.report_categories,
        smoothing_hours=fs.report_smoothing_hours,
        measured_sites=set(base["site_id"].dropna()),
    )
    site_rep = evidence[evidence["site_id"].notna()].drop(columns="street")
    street_rep = evidence[evidence["site_id"].isna()]

    at_sites = base.merge(reckless, on=KEYS, how="outer")
    if excess is not None:
        at_sites = at_sites.merge(excess, on=KEYS, how="left")
    at_sites = at_sites.merge(site_rep, on=KEYS, how="outer")
    at_sites["street"] = at_sites["site_id"].map(site_info["street"]).astype("string")
    at_sites["area"] = at_sites["site_id"].map(site_info["area"]).astype("string")
    at_sites["speed_limit"] = at_sites["site_id"].map(site_info["speed_limit"]).astype(float)
    out = pd.concat([at_sites, street_rep], ignore_index=True) if len(street_rep) else at_sites

    out = _fill(out, settings)

    limit = out["speed_limit"].to_numpy()
    enough = out["n"].fillna(0).to_numpy() >= fs.min_vehicles
    v85_ok = np.nan_to_num(out["v85_lo"].to_numpy() - limit, nan=-np.inf) > fs.v85_margin_kmh
    out["v85_coarse"] = out["v85_class_width"].to_numpy() > fs.max_class_width_kmh
    out["speeding"] = enough & v85_ok & ~out["v85_coarse"].to_numpy()
    out["reckless"] = out[list(_BOOL)].any(axis=1)
    out["reports"] = out["reports_window_n"] >= fs.reports_min
    no_speed = out["n"].fillna(0).to_numpy() <= 0
    out["measure_here"] = out["reports"] & no_speed
    flags = out[["speeding", "reckless", "reports", "measure_here"]]
    out["flagged"] = flags.any(axis=1)
    kind = pd.Series("", index=out.index, dtype="string")
    for name in flags.columns:
        piece = pd.Series(np.where(out[name], name, ""), index=out.index, dtype="string")
        kind = kind + pd.Series(np.where((kind != "") & out[name], ";", ""), index=out.index,
                                dtype="string") + piece
    out["kind"] = kind

    out = pd.concat([out, score(out, fs)], axis=1)
    out["reason"] = build_reasons(
        out, language=settings.language, extreme_over_kmh=fs.extreme_over_kmh,
        short_headway_s=fs.short_headway_s, smoothing_hours=fs.report_smoothing_hours,
    )
    out["reason"] = _coarse_note(out, enough & v85_ok, settings)
    columns = list(FLAG_COLUMNS)
    if checks_done is not None and len(checks_done):
        out = add_outcome_evidence(out, violation_rates(checks_done, settings), settings)
        site = out["site_id"].astype("string")
        for c in ("street", "area"):
            out[c] = out[c].astype("string").fillna(site.map(site_info[c]).astype("string"))
        out["speed_limit"] = out["speed_limit"].astype(float).fillna(
            site.map(site_info["speed_limit"]).astype(float))
        out = _fill(out, settings)
        for c in ("speeding", "reckless", "reports", "measure_here", "flagged", "v85_coarse"):
            out[c] = out[c].astype("boolean").fillna(False).astype(bool)
        for c in ("score", "score_speed", "score_reckless", "score_reports"):
            out[c] = out[c].astype(float).fillna(0.0)
        out["kind"] = out["kind"].astype("string").fillna("")
        columns += [c for c in OUTCOME_COLUMNS if c not in columns]
    out = out.sort_values(["site_id", "street", "weekday", "hour_of_day"],
                          kind="stable", na_position="last", ignore_index=True)
    return out[columns]


def _coarse_note(out: pd.DataFrame, would_flag: np.ndarray, settings: Settings) -> pd.Series:
    """Append to the reason where a coarse-class V85 would have flagged but was not used."""
    reason = out["reason"].astype("string").fillna("")
    hit = would_flag & out["v85_coarse"].to_numpy()
    if not hit.any():
        return reason
    width = out.loc[hit, "v85_class_width"].map(lambda w: f"{w:g}")
    note = (("V85 ur hastighetsklasser på " + width + " km/h: för grovt för en "
             "hastighetsflagga; mät med radar") if settings.language == "sv" else
            ("V85 from speed classes of " + width + " km/h: too coarse for a speeding "
             "flag; measure with radar"))
    sep = np.where(reason[hit] != "", "; ", "")
    reason.loc[hit] = reason[hit] + sep + note.astype("string")
    return reason


def _fill(out: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Give every evidence column its dtype, with 0 / NaN / False where absent."""
    for c in _STAT_COLUMNS:
        if c not in out.columns:
            out[c] = np.nan
        out[c] = out[c].astype(float)
    for c in ("day_v85", "night_excess", "night_excess_lo", "extreme_share_lo",
              "short_headway_share_lo", "reports_smoothed"):
        if c not in out.columns:
            out[c] = np.nan
        out[c] = out[c].astype(float)
    out["reports_smoothed"] = out["reports_smoothed"].fillna(0.0)
    for c in _INT_ZERO:
        out[c] = out[c].fillna(0).astype("int64")
    for c in _BOOL:
        if c not in out.columns:
            out[c] = False
        out[c] = out[c].astype("boolean").fillna(False).astype(bool)
    out["reports_by_category"] = out["reports_by_category"].astype("string").fillna("")
    out["site_id"] = out["site_id"].astype("string")
    out["street"] = out["street"].astype("string")
    out["area"] = out["area"].astype("string")
    out["weekday"] = out["weekday"].astype("int64")
    out["hour_of_day"] = out["hour_of_day"].astype("int64")

    focus_keys = set(street_key(pd.Series(list(settings.focus_streets), dtype="string")))
    out["focus"] = street_key(out["street"]).isin(focus_keys).fillna(False).astype(bool)

    return out


def flags_of(tables: Tables) -> pd.DataFrame:
    """Return :func:`compute_flags` over every table of a loaded data folder.

    Counter data goes through :func:`trafikplan.flags.selection.select_for_flags`
    first: per site only the newest deployment, from after any built measure
    and not older than ``[measurements] stale_months`` (the report lists
    what was left out and why).

    Parameters
    ----------
    tables : Tables
        From :func:`trafikplan.load` (vehicles, bins, sites, reports,
        checks_done, settings and ``measures.csv`` are used).
    """
    from trafikplan.flags.selection import deployments_of, select_for_flags

    vehicles, bins = select_for_flags(tables.vehicles, tables.bins, deployments_of(tables))
    return compute_flags(
        vehicles, tables.sites, tables.reports, tables.settings,
        bins=bins, checks_done=tables.checks_done,
    )


def rank_flags(flags: pd.DataFrame, *, flagged_only: bool = True) -> pd.DataFrame:
    """Rank flags by score (highest first), by default only the flagged rows.

    Parameters
    ----------
    flags : DataFrame
        The table of :func:`compute_flags`.
    flagged_only : bool
        Keep only rows with ``flagged``.

    Returns
    -------
    DataFrame
        Sorted by ``score`` descending, then site, weekday, hour.
    """
    out = flags[flags["flagged"]] if flagged_only else flags
    return out.sort_values(["score", "site_id", "street", "weekday", "hour_of_day"],
                           ascending=[False, True, True, True, True], kind="stable",
                           na_position="last", ignore_index=True)
