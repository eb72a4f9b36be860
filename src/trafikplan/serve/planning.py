"""What the web app asks of the chain: load, import, plan, issue (:mod:`trafikplan.pipeline`).

The one place where ``trafikplan serve`` calls into the layers below: the same
pipeline functions ``trafikplan import`` and ``trafikplan plan checks [-o DIR]``
call, so a plan made in the browser is the plan the command line would make.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from trafikplan.io.importing.summary import ImportSummary
    from trafikplan.io.store.tables import Tables
    from trafikplan.pipeline import WeekPlan
    from trafikplan.plan.checks import CheckPlan
    from trafikplan.plan.edits import PlanEdits

__all__ = [
    "Planned",
    "import_folder",
    "issue",
    "issued_plan",
    "load_tables",
    "plan_week",
    "read_plan_edits",
    "write_plan_edits",
]


def load_tables(data_dir: Path) -> Tables:
    """Load the data folder (new raw files are imported first, as every command does)."""
    from trafikplan.pipeline import load_folder

    return load_folder(data_dir)


def import_folder(data_dir: Path, progress=None) -> ImportSummary:
    """Import new raw files (:func:`trafikplan.pipeline.import_folder`, all or nothing)."""
    from trafikplan.pipeline import import_folder as import_data

    return import_data(data_dir, progress=progress)


def read_plan_edits(data_dir: Path, tz: str) -> PlanEdits:
    """Return the data folder's ``plan_edits.toml`` (no edits when it does not exist)."""
    from trafikplan.plan.edits import EDITS_FILE, PlanEdits, read_edits

    path = Path(data_dir) / EDITS_FILE
    return read_edits(path, tz) if path.is_file() else PlanEdits()


def write_plan_edits(data_dir: Path, edits: PlanEdits, tz: str) -> Path:
    """Write ``plan_edits.toml`` atomically in the format ``plan checks`` reads."""
    from trafikplan.plan.edits import EDITS_FILE, write_edits

    return write_edits(edits, Path(data_dir) / EDITS_FILE, tz)


def issued_plan(data_dir: Path, week: str) -> pd.DataFrame | None:
    """Return the issued version of ``week`` (None when it was never issued)."""
    from trafikplan.pipeline import load_issued

    return load_issued(data_dir, week)


@dataclass
class Planned:
    """A re-planned week and how it was made.

    Attributes
    ----------
    week_plan : WeekPlan
        From :func:`trafikplan.pipeline.plan_week`.
    kept_started : bool
        The week was issued and under way: checks started before ``now`` were kept.
    """

    week_plan: WeekPlan
    kept_started: bool

    @property
    def plan(self) -> CheckPlan:
        """The check plan."""
        return self.week_plan.plan

    @property
    def summary(self) -> str:
        """The planner's own summary line (value, bound, gap, greedy baseline ...)."""
        return self.week_plan.summary


def plan_week(data_dir: Path, week: str, *, now: pd.Timestamp | None = None,
              time_limit_s: float | None = None, seed: int | None = None) -> Planned:
    """Plan ``week`` with the data folder's edits, as ``trafikplan plan checks`` does.

    When the week was issued and ``now`` falls inside it, the checks that
    started before ``now`` stay (``--replan --now``).
    """
    from trafikplan import pipeline
    from trafikplan.weeks import iso_week, week_bounds

    tables = load_tables(data_dir)
    week = iso_week(week)
    now = pd.Timestamp.now(tz="UTC") if now is None else now
    w0, w1 = week_bounds(week, tables.settings.timezone)
    kept = issued_plan(data_dir, week) is not None and w0 <= now < w1
    planned = pipeline.plan_week(tables, week, seed=seed, time_limit_s=time_limit_s,
                                 replan=kept, now=now if kept else None)
    return Planned(planned, kept)


def issue(data_dir: Path, planned: Planned, out_dir: Path) -> list[Path]:
    """Issue the plan as ``plan checks -o OUT_DIR`` does; return the files written.

    ``checks.csv`` and ``.xlsx``, the printable sheets and PDF, one calendar per
    team (stable UIDs, SEQUENCE raised for moved checks, removed ones
    cancelled) go into ``out_dir``; the plan is saved and archived in the data
    folder's store (:func:`trafikplan.pipeline.issue_plan`).
    """
    from trafikplan.pipeline import issue_plan

    issued = issue_plan(planned.week_plan, out_dir)
    return [*issued.files, issued.saved]
