"""The whole chain on a data folder (``trafikplan run``): import, stats, flags, plans, report.

Stages, in order (each the same pipeline function as its own command):

1. import (:func:`~trafikplan.pipeline.import_folder`);
2. stats per site and local hour of the week -> ``stats.csv`` + ``stats.xlsx``;
3. flagged site-hours ranked by score -> ``flags.csv`` + ``flags.xlsx``;
4. the check plan of the first roster week after the newest data (or
   ``week``), issued into ``checks/`` (:func:`~trafikplan.pipeline.issue_plan`);
   needs ``roster.csv``;
5. the measurement plan from the Monday after the newest data, ``weeks``
   long -> ``measurements/``; needs ``counter_fleet.csv``;
6. before/after evaluation -> ``evaluation.csv`` + ``evaluation.xlsx``; needs
   ``measures.csv``;
7. the report -> ``report.html``.

A stage whose input file is missing is skipped with a note. A plan that cannot
be made (:class:`~trafikplan.errors.InfeasiblePlanError`) is reported in its
place and the other stages still run; so does a PDF Chromium fails to print.
What happens is told through ``on_event`` (:class:`RunEvent`), in order.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trafikplan.pipeline.progress import Progress, report_progress

if TYPE_CHECKING:
    import pandas as pd

    from trafikplan.io.importing.summary import ImportSummary
    from trafikplan.io.store.tables import Tables
    from trafikplan.settings import Settings

__all__ = ["STAGES", "RunEvent", "RunResult", "run_folder"]

STAGES = ("stats", "flags", "checks", "measurements", "evaluation", "report")
"""The stages after the import, in order."""


@dataclass(frozen=True)
class RunEvent:
    """One thing a run did, for the caller to show.

    Attributes
    ----------
    kind : str
        ``imported`` (``summary`` holds the import summary), ``stage`` (a
        stage starts), ``note`` (a stage skipped or a remark; ``key`` names
        it), ``line`` (a line on a plan), ``wrote`` (a stage's files, in
        ``paths``, after ``seconds``), ``failed`` (a stage could not make its
        plan; ``text`` says why) or ``output_failed`` (``what`` could not be
        made, ``text`` says why; the other files are written).
    stage : str
        One of :data:`STAGES` (empty for the import).
    label : str
        The stage's name for people.
    text : str
        For people, in the folder's language.
    """

    kind: str
    stage: str = ""
    label: str = ""
    text: str = ""
    key: str = ""
    what: str = ""
    paths: tuple[Path, ...] = ()
    seconds: float = 0.0
    summary: ImportSummary | None = None


@dataclass
class RunResult:
    """What a run wrote and what went wrong.

    Attributes
    ----------
    files : list of (str, Path)
        What each written file is (for people) and where, in order.
    failures : list of str
        Stages whose plan could not be made.
    broken : list of str
        Outputs that could not be made, one line each.
    labels : dict of str to str
        The run's words for people (stage names, notes) in its language.
    language : str
        The folder's language.
    seconds : float [s]
        Wall time of the run.
    """

    files: list[tuple[str, Path]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    language: str = "sv"
    seconds: float = 0.0


class _Run:
    """The state a run passes between its stages."""

    def __init__(self, tables: Tables, out_dir: Path, *, week: str | None, weeks: int,
                 time_limit_s: float | None, csv_dialect: str,
                 on_event: Callable[[RunEvent], None] | None, result: RunResult) -> None:
        self.tables = tables
        self.out_dir = out_dir
        self.week = week
        self.weeks = weeks
        self.time_limit_s = time_limit_s
        self.csv_dialect = csv_dialect
        self.on_event = on_event
        self.result = result
        self.t = result.labels
        self.stage = ""
        self.started = time.perf_counter()
        self.flags: pd.DataFrame | None = None
        self.stats: pd.DataFrame | None = None
        self.evaluation: pd.DataFrame | None = None
        self.plans: list[tuple[str, str]] = []

    @property
    def settings(self) -> Settings:
        return self.tables.settings

    def emit(self, kind: str, **values: Any) -> None:
        if self.on_event is not None:
            self.on_event(RunEvent(kind, stage=self.stage, label=self.t.get(self.stage, ""),
                                   **values))

    def note(self, key: str) -> None:
        self.emit("note", key=key, text=self.t[key])

    def wrote(self, paths: list[Path]) -> None:
        for p in paths:
            self.result.files.append((self.t[self.stage], Path(p)))
        self.emit("wrote", paths=tuple(Path(p) for p in paths),
                  seconds=time.perf_counter() - self.started)

    def tables_out(self, df: pd.DataFrame, name: str) -> list[Path]:
        """Write ``name.csv`` (the run's CSV dialect) and ``name.xlsx`` (for people)."""
        from trafikplan.report.export import write_table

        s = self.settings
        return [write_table(df, self.out_dir / f"{name}.csv", dialect=self.csv_dialect),
                write_table(df, self.out_dir / f"{name}.xlsx", language=s.language,
                            tz=s.timezone, table=name)]


def run_folder(
    data_dir: Path | str,
    out_dir: Path | str,
    *,
    week: str | None = None,
    weeks: int = 8,
    time_limit_s: float | None = None,
    csv_dialect: str = "excel",
    import_new: bool = True,
    on_event: Callable[[RunEvent], None] | None = None,
    progress: Progress | None = None,
) -> RunResult:
    """Run every stage on ``data_dir`` into ``out_dir`` (see the module docstring).

    Parameters
    ----------
    data_dir : Path or str
        The data folder.
    out_dir : Path or str
        Where the files go (created; half-written files of a killed run removed).
    week : str, optional
        ISO week of the check plan (default: first roster week after the newest data).
    weeks : int [weeks]
        Length of the measurement plan.
    time_limit_s : float [s], optional
        Solver limit per solve of the check plan (default ``[checks] time_limit_s``).
    csv_dialect : str
        ``excel`` (the run's folder is for people) or ``plain``; the plans'
        CSVs are always plain.
    import_new : bool
        Import new raw files first (an ``imported`` event carries the summary).
    on_event : callable, optional
        Called with each :class:`RunEvent` as it happens.
    progress : Progress, optional
        Called as ``progress(stage, i, len(STAGES))`` as each stage starts.

    Returns
    -------
    RunResult
        Check ``failures`` and ``broken``: the run itself does not raise for them.

    Raises
    ------
    InputError
        Bad input (a broken file, an unknown ``week``).
    """
    from trafikplan._errors import InfeasiblePlanError
    from trafikplan.i18n import texts
    from trafikplan.io.files.atomic import make_dir, sweep_temp_files
    from trafikplan.pipeline.folder import import_folder, load_folder
    from trafikplan.weeks import iso_week

    started = time.perf_counter()
    data_dir, out_dir = Path(data_dir), Path(out_dir)
    if week is not None:
        week = iso_week(week)
    if import_new:
        summary = import_folder(data_dir)
        if on_event is not None:
            on_event(RunEvent("imported", summary=summary))
    tables = load_folder(data_dir, import_new=False)
    language = tables.settings.language
    labels = {k.removeprefix("run_"): v for k, v in texts(language).items()
              if k.startswith("run_")}
    result = RunResult(labels=labels, language=language)
    run = _Run(tables, out_dir, week=week, weeks=weeks, time_limit_s=time_limit_s,
               csv_dialect=csv_dialect, on_event=on_event, result=result)
    make_dir(out_dir)
    sweep_temp_files(out_dir)  # what a killed run left half-written
    if not len(tables.reports):
        run.note("no_reports")
    for i, name in enumerate(STAGES):
        run.stage = name
        report_progress(progress, name, i, len(STAGES))
        run.emit("stage")
        run.started = time.perf_counter()
        try:
            _STAGES[name](run)
        except InfeasiblePlanError as exc:  # the other stages do not depend on a plan
            run.emit("failed", text=str(exc))
            result.failures.append(name)
    report_progress(progress, "done", len(STAGES), len(STAGES))
    result.seconds = time.perf_counter() - started
    return result


def _stats(run: _Run) -> None:
    from trafikplan.pipeline.analysis import folder_stats
    from trafikplan.pipeline.report import HOUR_KEYS

    run.stats = folder_stats(run.tables, HOUR_KEYS)
    run.wrote(run.tables_out(run.stats, "stats"))


def _flags(run: _Run) -> None:
    from trafikplan.flags import rank_flags
    from trafikplan.pipeline.analysis import folder_flags

    run.flags = folder_flags(run.tables)
    run.wrote(run.tables_out(rank_flags(run.flags, flagged_only=True), "flags"))


def _checks(run: _Run) -> None:
    from trafikplan.io.user_tables.roster import ROSTER_FILE, read_roster
    from trafikplan.pipeline.checks import first_roster_week, issue_plan, newest_data, plan_week

    s = run.settings
    path = Path(run.tables.data_dir) / ROSTER_FILE
    if not path.is_file():
        run.note("no_roster")
        return
    roster = read_roster(path, tz=s.timezone)
    week = run.week or first_roster_week(roster, newest_data(run.tables), s.timezone)
    if week is None:
        run.note("no_roster_week")
        return
    planned = plan_week(run.tables, week, time_limit_s=run.time_limit_s, roster=roster,
                        flags=run.flags)
    run.emit("line", text=planned.summary)
    for message in planned.messages:
        run.emit("line", text=message)
    issued = issue_plan(planned, run.out_dir / "checks")
    run.plans.append((run.t["checks"].capitalize(), issued.report_line))
    if issued.pdf_error is not None:
        run.emit("output_failed", what="checks.pdf", text=issued.pdf_error)
        run.result.broken.append(f"checks.pdf could not be made ({issued.pdf_error})")
    elif issued.pdf is None:
        run.note("no_pdf")
    run.wrote(issued.files)


def _measurements(run: _Run) -> None:
    from trafikplan.pipeline.deployments import FLEET_FILE, issue_deployments, plan_deployments

    if not (Path(run.tables.data_dir) / FLEET_FILE).is_file():
        run.note("no_fleet")
        return
    planned = plan_deployments(run.tables, None, run.weeks)
    paths = issue_deployments(planned, run.out_dir / "measurements")
    run.plans.append((run.t["measurements"].capitalize(), planned.summary))
    run.wrote(paths)


def _evaluation(run: _Run) -> None:
    from trafikplan.pipeline.analysis import MEASURES_FILE, evaluate_folder

    if not (Path(run.tables.data_dir) / MEASURES_FILE).is_file():
        run.note("no_measures")
        return
    run.evaluation = evaluate_folder(run.tables)
    if run.evaluation is not None:
        run.wrote(run.tables_out(run.evaluation, "evaluation"))


def _report(run: _Run) -> None:
    from trafikplan.pipeline.report import report_data, write_folder_report

    data = report_data(run.tables, flags=run.flags, evaluation=run.evaluation,
                       hour_stats=run.stats, plans=run.plans)
    run.wrote([write_folder_report(run.tables, run.out_dir, data=data)])


_STAGES: dict[str, Callable[[_Run], None]] = {
    "stats": _stats, "flags": _flags, "checks": _checks, "measurements": _measurements,
    "evaluation": _evaluation, "report": _report,
}
