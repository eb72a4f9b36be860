"""The police's check plan of a week: plan it (:func:`plan_week`), issue it (:func:`issue_plan`).

Both ``trafikplan plan checks`` and ``trafikplan run`` (and the notebooks) plan
through :func:`plan_week` and write through :func:`issue_plan`, so they make the
same plan and the same files for the same week.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from trafikplan.pipeline.progress import Progress, report_progress

if TYPE_CHECKING:
    import pandas as pd

    from trafikplan.io.store.tables import Tables
    from trafikplan.plan.checks import CheckPlan
    from trafikplan.plan.edits import PlanEdits
    from trafikplan.settings import Settings

__all__ = [
    "CHECKS_PDF",
    "IssuedPlan",
    "WeekPlan",
    "first_roster_week",
    "issue_plan",
    "newest_data",
    "plan_week",
]

CHECKS_PDF = "checks.pdf"


@dataclass
class WeekPlan:
    """A planned (not yet issued) week of checks.

    Attributes
    ----------
    week : str
        ISO week, ``2024-W45``.
    plan : CheckPlan
        The checks, their reasons and values, the bound and the log
        (:class:`trafikplan.plan.checks.CheckPlan`).
    tables : Tables
        The folder the plan was made from.
    issued : DataFrame or None
        The version of the week issued before (None when never issued).
    summary : str
        One line for people: value, upper bound, gap, greedy baseline.
    """

    week: str
    plan: CheckPlan
    tables: Tables
    issued: pd.DataFrame | None
    summary: str

    @property
    def settings(self) -> Settings:
        """The folder's settings."""
        return self.tables.settings

    @property
    def messages(self) -> list[str]:
        """The planner's notes for people (the halo used, edits that could not hold ...)."""
        return list(self.plan.messages)


@dataclass
class IssuedPlan:
    """What issuing a week's plan wrote.

    Attributes
    ----------
    week : str
        ISO week.
    files : list of Path
        Every file written (0600 in a 0700 folder), the PDF last when made.
    saved : Path
        The plan's latest version in the data folder's store.
    pdf : Path or None
        ``checks.pdf``; None when not asked for, when no Chromium is installed
        (``pdf_error`` None) or when printing failed (``pdf_error`` says why).
    pdf_error : str or None
        Why Chromium failed to print (one line), None otherwise.
    cancelled : int
        Checks of the earlier issued version that this one drops.
    report_line : str
        The report's line on the plan (checks per team and the summary).
    """

    week: str
    files: list[Path]
    saved: Path
    pdf: Path | None
    pdf_error: str | None = None
    cancelled: int = 0
    report_line: str = ""


def newest_data(tables: Tables) -> pd.Timestamp | None:
    """Return the end of the newest measurement (vehicle time or bin end) [UTC], or None."""
    times = []
    if len(tables.vehicles):
        times.append(tables.vehicles["time"].max())
    if len(tables.bins):
        times.append(tables.bins["end"].max())
    return max(times) if times else None


def first_roster_week(roster: pd.DataFrame, after: pd.Timestamp | None, tz: str) -> str | None:
    """Return the ISO week (``2024-W45``) of the first shift starting after ``after``.

    Parameters
    ----------
    roster : DataFrame
        ``team, start, end`` (tz-aware).
    after : Timestamp or None
        The newest data [UTC]; None takes the first shift of the roster.
    tz : str
        Time zone of the week (local Monday to Monday).

    Returns
    -------
    str or None
        None when no shift starts after ``after``.
    """
    starts = roster["start"]
    if after is not None:
        starts = starts[starts > after]
    if starts.empty:
        return None
    first = starts.min().tz_convert(tz)
    year, week, _ = first.isocalendar()
    return f"{year}-W{week:02d}"


def _folder_edits(data_dir: Path, edits: PlanEdits | Path | str | None,
                  tz: str) -> PlanEdits | None:
    """Return the planner's edits: given, read from a file, or ``plan_edits.toml``."""
    from trafikplan.plan.edits import EDITS_FILE, PlanEdits, read_edits

    if isinstance(edits, PlanEdits):
        return edits
    path = Path(edits) if edits is not None else Path(data_dir) / EDITS_FILE
    if edits is None and not path.is_file():
        return None
    return read_edits(path, tz)


def plan_week(
    folder: Path | str | Tables,
    week: str,
    *,
    edits: PlanEdits | Path | str | None = None,
    seed: int | None = None,
    time_limit_s: float | None = None,
    replan: bool = False,
    now: pd.Timestamp | str | None = None,
    roster: pd.DataFrame | None = None,
    flags: pd.DataFrame | None = None,
    progress: Progress | None = None,
) -> WeekPlan:
    """Plan a week's speed checks of a data folder, learning from the completed checks.

    The flags of every table, site-hours valued by what earlier checks found,
    the time halo measured after past checks, the same-site spacing against
    the saved plans of other weeks, and the planner's edits
    (:func:`trafikplan.plan.checks.plan_week`). Nothing is written: issue the
    result with :func:`issue_plan`.

    Parameters
    ----------
    folder : Path, str or Tables
        The data folder (loaded, new raw files imported first) or its tables.
    week : str
        ISO week: ``2024-W45`` (``2024W45``, ``2024-w45`` are accepted).
    edits : PlanEdits, Path or str, optional
        The planner's changes, or their TOML file; default the folder's
        ``plan_edits.toml`` when it exists (:mod:`trafikplan.plan.edits`).
    seed : int, optional
        Pick among near-best plans (default ``[checks] seed``).
    time_limit_s : float [s], optional
        Solver limit per solve (default ``[checks] time_limit_s``).
    replan : bool
        Re-plan the issued week: its checks that started before ``now`` stay,
        the rest is planned again around them and the locked checks.
    now : Timestamp or str, optional
        The moment of the re-plan (default: now); local time when naive.
    roster : DataFrame, optional
        The shifts (default: ``roster.csv`` of the folder).
    flags : DataFrame, optional
        The folder's flags when already computed.
    progress : Progress, optional
        Called with ``"load"`` and ``"checks"`` as the steps start.

    Returns
    -------
    WeekPlan

    Raises
    ------
    InputError
        A bad week, edit file, ``--now`` or roster; ``replan`` of a week never issued.
    InfeasiblePlanError
        The rules admit no plan.
    """
    import pandas as pd

    from trafikplan._errors import InputError
    from trafikplan.io.store.tables import Tables
    from trafikplan.pipeline.archive import load_issued
    from trafikplan.pipeline.folder import load_folder
    from trafikplan.plan.checks import plan_week as plan_tables_week
    from trafikplan.plan.issued import replan_edits
    from trafikplan.report.plan_summary import plan_summary
    from trafikplan.weeks import iso_week

    tables = folder if isinstance(folder, Tables) else load_folder(folder, progress=progress)
    settings = tables.settings
    week = iso_week(week)
    data_dir = Path(tables.data_dir)
    chosen = _folder_edits(data_dir, edits, settings.timezone)
    issued = load_issued(data_dir, week)
    if replan:
        if issued is None:
            raise InputError("err_replan_not_issued", week=week, column="--replan")
        try:
            at = pd.Timestamp(now) if now is not None else pd.Timestamp.now(tz="UTC")
        except ValueError:
            raise InputError("err_now_time", value=now, column="--now") from None
        at = at.tz_localize(settings.timezone) if at.tz is None else at
        chosen = replan_edits(issued, at, chosen)
    report_progress(progress, "checks")
    plan = plan_tables_week(tables, week, seed=seed, time_limit_s=time_limit_s, roster=roster,
                            flags=flags, edits=chosen)
    return WeekPlan(week=week, plan=plan, tables=tables, issued=issued,
                    summary=plan_summary(plan, settings.language))


def issue_plan(planned: WeekPlan, out_dir: Path | str, *, pdf: bool = True) -> IssuedPlan:
    """Write a week's plan files into ``out_dir`` and record the plan in the data folder.

    Files (each 0600 in a 0700 folder): ``checks.csv`` (plain, for scripts),
    ``checks.xlsx``, ``checks.html``, ``checks-days.html`` and
    ``checks-days.xlsx`` (one sheet per team and day), one
    ``checks-<team>.ics`` per team (and ``checks-<team>-cancel.ics`` for
    checks an earlier issue had and this one drops) and ``checks.pdf`` (A4,
    one team and day per page; needs Chromium). Each check keeps the calendar
    UID it had in the earlier issued version of the week; one that moved gets
    a higher SEQUENCE. The plan is saved as ``.trafikplan/plans/<week>.parquet``
    and archived as a new version (:func:`trafikplan.pipeline.save_plan`), so
    the next weeks keep the same-site spacing and halo.

    Parameters
    ----------
    planned : WeekPlan
        From :func:`plan_week`.
    out_dir : Path or str
        Folder of the files (created 0700).
    pdf : bool
        Print ``checks.pdf`` with Chromium.

    Returns
    -------
    IssuedPlan
        A Chromium that fails is said in ``pdf_error``; every other file is
        still written.
    """
    from trafikplan.io.files.atomic import make_dir
    from trafikplan.pipeline.archive import save_plan
    from trafikplan.plan.issued import assign_uids
    from trafikplan.report.export import write_table
    from trafikplan.report.pdf import checks_pdf
    from trafikplan.report.plan_html import PLAN_CSV_COLUMNS, write_check_plan
    from trafikplan.report.plan_summary import plan_report_line

    plan, settings = planned.plan, planned.settings
    tz = settings.timezone
    out_dir = make_dir(Path(out_dir), private=True)
    plan.checks, cancelled = assign_uids(plan.checks, planned.issued, planned.week, tz)
    files = list(write_check_plan(plan, out_dir, settings, cancelled=cancelled))
    table = plan.checks[list(PLAN_CSV_COLUMNS)].copy()
    for col in ("start", "end"):
        table[col] = table[col].dt.tz_convert(tz)
    files.append(write_table(table, out_dir / "checks.xlsx", private=True,
                             language=settings.language, tz=tz, table="checks"))
    saved = save_plan(plan, planned.tables.data_dir)
    printed, error = None, None
    if pdf:
        try:
            printed = checks_pdf(out_dir / "checks.html", out_dir / CHECKS_PDF)
        except (RuntimeError, OSError, subprocess.SubprocessError) as exc:  # Chromium failed
            error = " ".join(str(exc).split())
        if printed is not None:
            files.append(printed)
    return IssuedPlan(week=planned.week, files=files, saved=saved, pdf=printed,
                      pdf_error=error, cancelled=len(cancelled),
                      report_line=plan_report_line(plan, settings.language))
