"""What the web app asks of the chain: load, import, plan, issue — the CLI's own functions.

The one place where ``trafikplan serve`` calls into the layers below: the same
functions ``trafikplan import`` and ``trafikplan plan checks [-o DIR]`` call,
so a plan made in the browser is the plan the command line would make.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from trafikplan.io.importer import ImportSummary
    from trafikplan.io.store import Tables
    from trafikplan.plan.checks import CheckPlan
    from trafikplan.plan.edits import PlanEdits


def load_tables(data_dir: Path) -> Tables:
    """Load the data folder (new raw files are imported first, as every command does)."""
    from trafikplan.io.store import load

    return load(data_dir)


def import_folder(data_dir: Path, progress=None) -> ImportSummary:
    """Import new raw files (:func:`trafikplan.io.importer.import_data`, all or nothing)."""
    from trafikplan.io.importer import import_data

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
    from trafikplan.cli.cmd_plan_checks import load_issued

    return load_issued(data_dir, week)


@dataclass
class Planned:
    """A re-planned week and how it was made.

    Attributes
    ----------
    plan : CheckPlan
    kept_started : bool
        The week was issued and under way: checks started before ``now`` were kept.
    summary : str
        The planner's own summary line (value, bound, gap, greedy baseline ...).
    """

    plan: CheckPlan
    kept_started: bool
    summary: str


def plan_week(data_dir: Path, week: str, *, now: pd.Timestamp | None = None,
              time_limit_s: float | None = None, seed: int | None = None) -> Planned:
    """Plan ``week`` with the data folder's edits, as ``trafikplan plan checks`` does.

    When the week was issued and ``now`` falls inside it, the checks that
    started before ``now`` stay (``--replan --now``).
    """
    from trafikplan.cli.cmd_plan_checks import plan_summary
    from trafikplan.plan.checks import plan_week as plan_checks_week
    from trafikplan.plan.issued import replan_edits
    from trafikplan.weeks import iso_week, week_bounds

    tables = load_tables(data_dir)
    settings = tables.settings
    week = iso_week(week)
    edits = read_plan_edits(data_dir, settings.timezone)
    issued = issued_plan(data_dir, week)
    now = pd.Timestamp.now(tz="UTC") if now is None else now
    w0, w1 = week_bounds(week, settings.timezone)
    kept = issued is not None and w0 <= now < w1
    if kept:
        edits = replan_edits(issued, now, edits)
    plan = plan_checks_week(tables, week, seed=seed, time_limit_s=time_limit_s,
                            edits=edits or None)
    return Planned(plan, kept, plan_summary(plan, settings.language))


def issue(data_dir: Path, plan: CheckPlan, out_dir: Path) -> list[Path]:
    """Issue ``plan`` as ``plan checks -o OUT_DIR`` does; return the files written.

    ``checks.csv``, the printable sheets and one calendar per team (stable UIDs,
    SEQUENCE raised for moved checks, removed ones cancelled) go into
    ``out_dir``; the plan is saved and archived in the data folder's store.
    """
    from trafikplan.cli.cmd_plan_checks import save_plan
    from trafikplan.plan.issued import assign_uids
    from trafikplan.report.plan_html import write_check_plan
    from trafikplan.settings import load_settings

    settings = load_settings(data_dir)
    issued = issued_plan(data_dir, plan.week)
    plan.checks, cancelled = assign_uids(plan.checks, issued, plan.week, settings.timezone)
    written = write_check_plan(plan, out_dir, settings, cancelled=cancelled)
    written.append(save_plan(plan, data_dir))
    return written

