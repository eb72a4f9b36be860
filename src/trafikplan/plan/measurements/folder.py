"""A measurement plan for a loaded data folder: its files, flags as they were, candidates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from trafikplan._errors import InputError
from trafikplan.io.store.tables import Tables
from trafikplan.plan.measurements.candidates import build_candidates
from trafikplan.plan.measurements.planner import plan_measurements
from trafikplan.plan.measurements.result import MeasurementPlan

__all__ = ["plan_for_folder", "planning_inputs"]


def planning_inputs(data_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Read ``counter_fleet.csv`` (required) and ``measures.csv`` (optional).

    Raises
    ------
    InputError
        No ``counter_fleet.csv``, or either file cannot be read.
    """
    from trafikplan.io.user_tables.measures import read_counter_fleet, read_measures

    fleet_path = data_dir / "counter_fleet.csv"
    if not fleet_path.is_file():
        raise InputError("plan_err_no_fleet_file", path=fleet_path)
    measures_path = data_dir / "measures.csv"
    measures = read_measures(measures_path) if measures_path.is_file() else None
    return read_counter_fleet(fleet_path), measures


def plan_for_folder(
    tables: Tables,
    start: dt.date,
    weeks: int,
    *,
    fleet: pd.DataFrame | None = None,
    measures: pd.DataFrame | None = None,
) -> MeasurementPlan:
    """Plan counter deployments for a loaded data folder.

    Computes the flags as they were on ``start`` (only data dated before
    it), with the data selection of the flags and the report
    (:mod:`trafikplan.flags.selection`, staleness counted back from
    ``start``): per site only its newest deployment, nothing from before a
    built measure and nothing older than ``stale_months``. A stale site's
    old data is thus no evidence for a flag; the candidates list the site as
    ``stale`` (to be measured again). Then builds the candidates and solves
    the plan.

    Parameters
    ----------
    tables : Tables
        From :func:`trafikplan.load`.
    start : date
        First local day of the plan.
    weeks : int
        Length of the plan [weeks].
    fleet, measures : DataFrame, optional
        As :func:`planning_inputs` returns them; read from ``tables.data_dir``
        when ``fleet`` is None.

    Raises
    ------
    InputError
        No ``counter_fleet.csv``, or a planning file that cannot be read.
    """
    from trafikplan.flags import compute_flags
    from trafikplan.flags.selection import deployments, select_for_flags

    if fleet is None:
        fleet, measures = planning_inputs(tables.data_dir)
    s = tables.settings
    cut = pd.Timestamp(start).tz_localize(s.timezone).tz_convert("UTC")
    vehicles = tables.vehicles[tables.vehicles["time"] < cut]
    bins = tables.bins[tables.bins["start"] < cut]
    reports = tables.reports[tables.reports["time"] < cut]
    deps = deployments(vehicles, bins, measures=measures,
                       stale_months=s.measurements.stale_months, now=cut, tz=s.timezone)
    used_vehicles, used_bins = select_for_flags(vehicles, bins, deps)
    flags = compute_flags(used_vehicles, tables.sites, reports, s, bins=used_bins)
    candidates = build_candidates(
        tables.sites, vehicles, reports, measures, start=start, weeks=weeks,
        settings=s.measurements, flags=flags, flag_settings=s.flags, bins=bins,
        tz=s.timezone, language=s.language,
    )
    return plan_measurements(candidates, fleet, start=start, weeks=weeks,
                             settings=s.measurements, language=s.language)
