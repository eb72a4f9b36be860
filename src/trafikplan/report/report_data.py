"""What the HTML report renders, as handed to it: the analysis of a folder in dataclasses.

:func:`trafikplan.pipeline.report_data` computes these;
:func:`trafikplan.report.html.build_report` only renders them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from trafikplan.report.site_data import SiteSurvey
    from trafikplan.stats.halo import HaloResult

__all__ = ["ChecksFound", "PlansVsDone", "ReportData"]


@dataclass
class PlansVsDone:
    """The saved plans against the police's records, within the weeks that have a plan.

    Attributes
    ----------
    table : DataFrame
        :func:`trafikplan.stats.outcomes.done_vs_planned` rows of the planned
        weeks (``status`` done, not_done or unplanned).
    planned : int
        Planned checks due by the newest record (plus the tolerance).
    later : int
        Planned checks later than that (counted, not listed).
    weeks : int
        Weeks with a saved plan.
    tolerance_hours : float [h]
        The matching tolerance.
    """

    table: pd.DataFrame
    planned: int
    later: int
    weeks: int
    tolerance_hours: float


@dataclass
class ChecksFound:
    """What the police's completed checks found.

    Attributes
    ----------
    checks : DataFrame
        The completed checks (``checks_done``).
    plans : PlansVsDone or None
        None when no plan was saved.
    rates : DataFrame or None
        Violation rates per site and street with Wilson intervals (None without checks).
    per_check : DataFrame or None
        Each check's outcome (None without checks).
    halo : HaloResult or None
        The measured time halo (None without checks).
    """

    checks: pd.DataFrame
    plans: PlansVsDone | None
    rates: pd.DataFrame | None = None
    per_check: pd.DataFrame | None = None
    halo: HaloResult | None = None


@dataclass
class ReportData:
    """The analysis the report renders (:func:`trafikplan.report.html.build_report`).

    Attributes
    ----------
    flags : DataFrame
        Every site-hour with evidence (:func:`trafikplan.flags.flags_of`).
    evaluation : DataFrame or None
        The measures' before/after table; None without ``measures.csv``.
    hour_stats : DataFrame
        Speed statistics by site and local hour of the week
        (``site_id, weekday, hour_of_day``).
    day_stats : DataFrame
        Speed statistics by site and local date, days with vehicles only.
    street_hours : DataFrame
        Speed statistics by site and local hour of the week of the data the
        flags use (per site its newest deployment, not stale, not from before
        a measure): the street sections show these.
    speed_classes : dict of str to DataFrame
        Per site, of the data the flags use: ``speed_lo, speed_hi, count``
        (:func:`trafikplan.stats.speed_classes.speed_class_counts`).
    deployments : DataFrame
        Each site's deployments and whether the flags use them
        (:func:`trafikplan.flags.selection.deployments_of`).
    checks : ChecksFound
        What the completed checks found.
    surveys : dict of str to SiteSurvey
        Every site's speed-survey numbers, per deployment
        (:func:`trafikplan.pipeline.site_surveys`).
    plans : list of (str, str)
        The week's plans (title, summary), shown first.
    """

    flags: pd.DataFrame
    evaluation: pd.DataFrame | None
    hour_stats: pd.DataFrame
    day_stats: pd.DataFrame
    street_hours: pd.DataFrame
    speed_classes: dict[str, pd.DataFrame]
    deployments: pd.DataFrame
    checks: ChecksFound
    surveys: dict[str, SiteSurvey]
    plans: list[tuple[str, str]] = field(default_factory=list)
