"""What the HTML report shows, computed from a loaded folder, and the report written.

The report (:mod:`trafikplan.report.html`) renders what :func:`report_data`
computes here: the statistics, flags, evaluation, speed classes, deployments,
each site's speed survey (:mod:`trafikplan.pipeline.site_survey`), and what
the police's checks found (plans against records, violation rates, the
measured time halo).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

from trafikplan.pipeline.progress import Progress, report_progress
from trafikplan.report.report_data import ChecksFound, PlansVsDone, ReportData

if TYPE_CHECKING:
    import pandas as pd

    from trafikplan.io.store.tables import Tables

__all__ = ["HOUR_KEYS", "PLAN_MATCH_HOURS", "build_folder_report", "checks_found",
           "plans_vs_done", "report_data", "write_folder_report"]

HOUR_KEYS = ("site_id", "weekday", "hour_of_day")
"""Keys of the report's (and ``stats.csv`` of a run's) statistics: site and local hour of week."""

PLAN_MATCH_HOURS = 3.0
"""A record within this many hours of a planned check at its site counts as that check [h]."""


def plans_vs_done(tables: Tables, checks: pd.DataFrame,
                  tolerance_hours: float = PLAN_MATCH_HOURS) -> PlansVsDone | None:
    """Compare the saved plans with the police's records, within the weeks that have a plan.

    Planned checks later than the newest record (plus the tolerance) are only
    counted: a plan tells where the police will be. None when no plan was saved.
    """
    import pandas as pd

    from trafikplan.plan.checks import load_prior_plans
    from trafikplan.stats.outcomes import done_vs_planned

    tz = tables.settings.timezone
    planned = load_prior_plans(tables.data_dir, "")  # "" matches no week: every saved plan
    if planned.empty:
        return None
    newest = checks["end"].max() if len(checks) else None
    cutoff = (None if newest is None or pd.isna(newest)
              else newest + pd.Timedelta(hours=tolerance_hours))
    due = planned["start"] <= cutoff if cutoff is not None else planned["start"].isna()
    table = done_vs_planned(planned.loc[due], checks, tolerance_hours=tolerance_hours)
    weeks = set(planned["week"].astype(str).str.upper())
    done_local = pd.to_datetime(table["done_start"], utc=True).dt.tz_convert(tz)
    iso = done_local.dt.isocalendar()
    done_week = (iso["year"].astype("string") + "-W"
                 + iso["week"].astype("string").str.zfill(2)).fillna("")
    table = table.loc[(table["status"] != "unplanned") | done_week.isin(weeks).to_numpy()]
    return PlansVsDone(table=table, planned=int(due.sum()), later=int((~due).sum()),
                       weeks=len(weeks), tolerance_hours=tolerance_hours)


def checks_found(tables: Tables) -> ChecksFound:
    """Compute what the completed checks found: plans vs records, rates, the time halo."""
    from trafikplan.stats.halo import HALO_WINDOWS, measure_halo
    from trafikplan.stats.halo_vehicles import halo_vehicles
    from trafikplan.stats.outcomes import check_outcomes, violation_rates

    s = tables.settings
    checks = tables.checks_done
    plans = plans_vs_done(tables, checks)
    if checks.empty:
        return ChecksFound(checks=checks, plans=plans)
    weeks = s.learning.halo_baseline_weeks
    horizon = max(b for _, b in HALO_WINDOWS)
    vehicles = halo_vehicles(tables.vehicles, checks, weeks, horizon)
    return ChecksFound(
        checks=checks, plans=plans,
        rates=violation_rates(checks, s, by=("site_id", "street")),
        per_check=check_outcomes(checks, s),
        halo=measure_halo(vehicles, checks, tables.sites, s, baseline_weeks=weeks),
    )


def report_data(
    tables: Tables,
    *,
    flags: pd.DataFrame | None = None,
    evaluation: pd.DataFrame | None = None,
    hour_stats: pd.DataFrame | None = None,
    plans: list[tuple[str, str]] | None = None,
    language: str | None = None,
    progress: Progress | None = None,
) -> ReportData:
    """Compute what the report shows; pieces already computed are used as given.

    Parameters
    ----------
    tables : Tables
        The loaded folder.
    flags, evaluation, hour_stats : DataFrame, optional
        Already computed (as :func:`folder_flags`, :func:`evaluate_folder`,
        :func:`folder_stats` by :data:`HOUR_KEYS` return them).
    plans : list of (str, str), optional
        The week's plans (title, summary).
    language : str, optional
        Language of the verdicts (default ``settings.language``).
    progress : Progress, optional
        Called with ``"report"``.
    """
    from trafikplan.flags.selection import deployments_of, select_for_flags
    from trafikplan.pipeline.analysis import evaluate_folder, folder_flags, folder_stats
    from trafikplan.pipeline.site_survey import site_surveys
    from trafikplan.stats.speed_classes import speed_class_counts

    report_progress(progress, "report")
    s = tables.settings
    if flags is None:
        flags = folder_flags(tables)
    if evaluation is None:
        evaluation = evaluate_folder(tables, language=language)
    deps = deployments_of(tables)
    # the street sections show what the flags use: per site its newest deployment, not
    # stale, not from before a measure (the text names what was left out)
    used_vehicles, used_bins = select_for_flags(tables.vehicles, tables.bins, deps)
    used = dataclasses.replace(tables, vehicles=used_vehicles, bins=used_bins)
    street_hours = folder_stats(used, HOUR_KEYS)
    if hour_stats is None:
        hour_stats = street_hours
    days = folder_stats(tables, ("site_id", "date"), min_n_percentile=False)
    return ReportData(
        flags=flags, evaluation=evaluation, hour_stats=hour_stats,
        day_stats=days.loc[days["n"] > 0], street_hours=street_hours,
        speed_classes=speed_class_counts(used_vehicles, used_bins,
                                         include_bicycles=s.stats.include_bicycles),
        deployments=deps, checks=checks_found(tables),
        surveys=site_surveys(tables, tables.sites["site_id"].astype(str).tolist(), deps=deps,
                             evaluation=evaluation),
        plans=list(plans or []),
    )


def build_folder_report(tables: Tables, *, data: ReportData | None = None,
                        language: str | None = None) -> str:
    """Return the folder's report as one HTML document (:func:`report_data` when no ``data``)."""
    from trafikplan.report.html import build_report

    if data is None:
        data = report_data(tables, language=language or tables.settings.language)
    return build_report(tables, data, language=language)


def write_folder_report(tables: Tables, out_dir: Path | str, *, data: ReportData | None = None,
                        language: str | None = None, progress: Progress | None = None) -> Path:
    """Write ``out_dir/report.html`` for the folder and return its path.

    Parameters
    ----------
    tables : Tables
        The loaded folder.
    out_dir : Path or str
        Folder of the report.
    data : ReportData, optional
        What it shows (computed by :func:`report_data` when None).
    language : str, optional
        Default ``settings.language``.
    progress : Progress, optional
        Called with ``"report"``.
    """
    from trafikplan.report.html import write_report

    if data is None:
        data = report_data(tables, language=language or tables.settings.language,
                           progress=progress)
    return write_report(tables, out_dir, data, language=language)
