"""What the per-site survey report renders, as handed to it: one site's deployments in dataclasses.

:func:`trafikplan.pipeline.site_surveys` computes these;
:mod:`trafikplan.report.site_report` only renders them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DeploymentSurvey", "DirectionSurvey", "SiteSurvey"]


@dataclass
class DirectionSurvey:
    """One direction of one deployment.

    Attributes
    ----------
    label : str
        The direction's code.
    name : str
        What the deployment's counter files call it ("" when they name none).
    hourly : DataFrame
        :func:`trafikplan.stats.speed_stats` rows by ``hour_of_day``, sorted.
    per_day : dict of str to float
        :func:`trafikplan.stats.survey.per_day_summary` (``days, mean, lo, hi, adt``).
    classes : DataFrame
        Vehicles per speed class (``speed_lo, speed_hi, count``).
    vehicle_classes : Series
        Vehicles per vehicle class, most first (empty without classes).
    heavy : tuple of float or None
        Heavy share with its 95 % interval (None without classified vehicles).
    """

    label: str
    name: str
    hourly: pd.DataFrame
    per_day: dict[str, float]
    classes: pd.DataFrame
    vehicle_classes: pd.Series
    heavy: tuple[float, float, float] | None


@dataclass
class DeploymentSurvey:
    """One deployment of a site (deployments are never pooled).

    Attributes
    ----------
    number : int
        The deployment's number at its site (1 = oldest).
    first, last : Timestamp
        First and last record (UTC; ``last`` of bins is their end).
    days : int [days]
        Days with data.
    files : list of str
        The counter files of its rows.
    per_vehicle : bool
        True for single vehicles, False for speed classes.
    total : int [vehicles]
        Vehicles, single and binned.
    used : bool
        Whether the flags use it.
    why : str
        The reason code of :func:`trafikplan.flags.selection.deployments`.
    measure_id : str
        The measure it was measured before ("" for none).
    limit : float [km/h]
        The site's speed limit.
    gaps : list of (Timestamp, Timestamp)
        Runs of hours without any record (local time).
    directions : list of DirectionSurvey
        In the order the deployment lists them.
    """

    number: int
    first: pd.Timestamp
    last: pd.Timestamp
    days: int
    files: list[str]
    per_vehicle: bool
    total: int
    used: bool
    why: str
    measure_id: str
    limit: float
    gaps: list[tuple[pd.Timestamp, pd.Timestamp]]
    directions: list[DirectionSurvey] = field(default_factory=list)


@dataclass
class SiteSurvey:
    """Everything the speed-survey report of one site shows.

    Attributes
    ----------
    site_id, street, section : str
        From ``sites.csv`` (``section`` "" when not given).
    limit : float [km/h]
        The speed limit.
    evaluation : DataFrame or None
        The site's rows of the before/after table (None without one).
    deployments : list of DeploymentSurvey
        Oldest first.
    """

    site_id: str
    street: str
    section: str
    limit: float
    evaluation: pd.DataFrame | None
    deployments: list[DeploymentSurvey] = field(default_factory=list)
