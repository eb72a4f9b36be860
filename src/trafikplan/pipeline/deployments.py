"""Where the counters go next: plan the deployments (:func:`plan_deployments`) and issue them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from trafikplan.pipeline.progress import Progress, report_progress

if TYPE_CHECKING:
    import pandas as pd

    from trafikplan.io.store.tables import Tables
    from trafikplan.plan.measurements import MeasurementPlan

__all__ = ["FLEET_FILE", "DeploymentPlan", "check_fleet_file", "issue_deployments",
           "monday_after", "plan_deployments"]

FLEET_FILE = "counter_fleet.csv"


@dataclass
class DeploymentPlan:
    """A measurement plan of a data folder.

    Attributes
    ----------
    result : MeasurementPlan
        The deployments, candidates, value, bound and greedy baseline
        (:class:`trafikplan.plan.measurements.MeasurementPlan`).
    tables : Tables
        The folder it was made from.
    summary : str
        A few lines for people in the folder's language.
    """

    result: MeasurementPlan
    tables: Tables
    summary: str

    @property
    def plan(self) -> pd.DataFrame:
        """One row per deployment (:data:`trafikplan.plan.measurements.PLAN_COLUMNS`)."""
        return self.result.plan


def check_fleet_file(data_dir: Path | str) -> None:
    """Read ``counter_fleet.csv`` and ``measures.csv`` of the folder; raise InputError when bad.

    Lets a command stop on a missing or broken planning file before importing.
    """
    from trafikplan.plan.measurements import planning_inputs

    planning_inputs(Path(data_dir))


def monday_after(ts: pd.Timestamp | None, tz: str) -> dt.date:
    """Return the first local Monday after ``ts`` (today's next Monday when None)."""
    import pandas as pd

    day = (pd.Timestamp.now(tz) if ts is None else ts.tz_convert(tz)).date()
    return day + dt.timedelta(days=7 - day.weekday())


def plan_deployments(folder: Path | str | Tables, start: dt.date | None = None,
                     weeks: int = 8, *, progress: Progress | None = None) -> DeploymentPlan:
    """Plan counter deployments of a data folder from ``start`` for ``weeks`` weeks.

    The flags as they were on ``start`` (only data dated before it), the
    candidates from them, ``measures.csv`` (optional) and
    ``counter_fleet.csv`` (required), solved with CP-SAT
    (:func:`trafikplan.plan.measurements.plan_for_folder`).

    Parameters
    ----------
    folder : Path, str or Tables
        The data folder or its tables.
    start : date, optional
        First local day (default: the Monday after the newest data).
    weeks : int
        Length of the plan [weeks].
    progress : Progress, optional
        Called with ``"load"`` and ``"measurements"`` as the steps start.

    Raises
    ------
    InputError
        No ``counter_fleet.csv``, or a planning file that cannot be read.
    """
    from trafikplan.io.store.tables import Tables
    from trafikplan.pipeline.checks import newest_data
    from trafikplan.pipeline.folder import load_folder
    from trafikplan.plan.measurements import plan_for_folder, planning_inputs

    if isinstance(folder, Tables):
        tables = folder
        fleet, measures = planning_inputs(Path(tables.data_dir))
    else:
        fleet, measures = planning_inputs(Path(folder))  # a missing fleet before the import
        tables = load_folder(folder, progress=progress)
    s = tables.settings
    if start is None:
        start = monday_after(newest_data(tables), s.timezone)
    report_progress(progress, "measurements")
    result = plan_for_folder(tables, start, weeks, fleet=fleet, measures=measures)
    return DeploymentPlan(result=result, tables=tables, summary=result.summary(s.language))


def issue_deployments(planned: DeploymentPlan, out_dir: Path | str) -> list[Path]:
    """Write ``measurements.csv``, ``.ics`` (the crew's calendar), ``.html`` and ``.xlsx``.

    Each file 0600 in a 0700 folder ``out_dir``; returns them in that order.
    """
    from trafikplan.report.export import write_table
    from trafikplan.report.measurement_plan import CSV_COLUMNS, write_measurement_plan

    s = planned.tables.settings
    folder = Path(out_dir)
    paths = write_measurement_plan(planned.result, folder, tz=s.timezone, language=s.language)
    paths.append(write_table(planned.plan[list(CSV_COLUMNS)], folder / "measurements.xlsx",
                             private=True, language=s.language, tz=s.timezone,
                             table="measurements"))
    return paths
