"""``trafikplan run [DATA_DIR] [-o DIR]``: the whole chain, from raw files to the report.

Stages, in order (each calls the same public functions as its own command):

1. import (``trafikplan import``): new raw files into the store, with a summary;
2. stats: speed statistics per site and local hour of the week ->
   ``stats.csv`` + ``stats.xlsx``;
3. flags: flagged site-hours ranked by score -> ``flags.csv`` + ``flags.xlsx``;
4. check plan for the first roster week after the newest data (or ``--week``)
   -> ``checks/`` (``checks.csv``, ``checks.xlsx``, ``checks.html``,
   ``checks.pdf``, one ``.ics`` per team); needs ``roster.csv``;
5. measurement plan from the Monday after the newest data, ``--weeks`` long
   -> ``measurements/`` (``.csv``, ``.xlsx``, ``.html``, ``.ics``); needs
   ``counter_fleet.csv``;
6. before/after evaluation -> ``evaluation.csv`` + ``evaluation.xlsx``;
   needs ``measures.csv``;
7. the report -> ``report.html``.

A stage whose input file is missing is skipped with a one-line note, not an
error. When Chromium fails to print ``checks.pdf``, that is said where the
PDF would have been, every other file is still written, and the command
exits with 2 naming what failed. A plan that cannot be made
(:class:`InfeasiblePlanError`) is reported in its place, the other stages
still run, and the command then exits with 2.
Plan files are readable by the owner only (0600) in 0700 folders. Every file
is written under a temporary name and renamed when complete; a run killed
half-way leaves such temporary files, and the next run into the same folder
removes them. The run ends by listing where each file is.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from trafikplan.cli._app import (
    app,
    console,
    csv_dialect_option,
    data_dir_argument,
    err_console,
    show_progress,
)

if TYPE_CHECKING:
    import pandas as pd

    from trafikplan.io.store import Tables

DEFAULT_OUT_DIR = Path("out")

STAT_KEYS = ("site_id", "weekday", "hour_of_day")
"""Keys of ``stats.csv`` in a run: per site and local hour of the week."""


def newest_data(tables: Tables) -> pd.Timestamp | None:
    """Return the end of the newest measurement (vehicle time or bin end) [UTC], or None."""
    times = []
    if len(tables.vehicles):
        times.append(tables.vehicles["time"].max())
    if len(tables.bins):
        times.append(tables.bins["end"].max())
    return max(times) if times else None  # type: ignore[return-value]


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


class _Run:
    """The files a run wrote, and its notes, in the order they were made."""

    def __init__(self, out_dir: Path, language: str, csv_dialect: str = "excel") -> None:
        self.out_dir = out_dir
        self.csv_dialect = csv_dialect
        from trafikplan.i18n import texts

        self.language = language
        self.t = {k.removeprefix("run_"): v for k, v in texts(language).items()
                  if k.startswith("run_")}
        self.files: list[tuple[str, Path]] = []
        self.failures: list[str] = []
        self.broken: list[str] = []
        self.stage_started = time.perf_counter()

    def tables(self, df: pd.DataFrame, name: str, table: str, settings: Any) -> list[Path]:
        """Write ``name.csv`` (the run's CSV dialect) and ``name.xlsx`` (for people)."""
        from trafikplan.report.export import write_table

        return [write_table(df, self.out_dir / f"{name}.csv", dialect=self.csv_dialect),
                write_table(df, self.out_dir / f"{name}.xlsx", language=settings.language,
                            tz=settings.timezone, table=table)]

    def note(self, key: str) -> None:
        console.print(f"  – {self.t[key]}", markup=False)

    def failed(self, stage: str, why: str) -> None:
        console.print(f"  ✗ {self.t[stage]}: {why}", markup=False, soft_wrap=True)
        self.failures.append(stage)

    def output_failed(self, what: str, why: str) -> None:
        """Note an output that could not be made (the other files are still written)."""
        console.print(f"  ✗ {what}: {why}", markup=False, soft_wrap=True)
        self.broken.append(f"{what} could not be made ({why})")

    def wrote(self, stage: str, paths: list[Path]) -> None:
        from trafikplan.io.safe_text import printable as escape

        for p in paths:
            self.files.append((self.t[stage], Path(p)))
        shown = ", ".join(escape(Path(p).name) for p in paths)
        took = time.perf_counter() - self.stage_started
        console.print(f"  ✓ {escape(self.t[stage])} ({took:.0f} s): {shown}")


def run_chain(
    data_dir: Path,
    out_dir: Path,
    *,
    week: str | None = None,
    weeks: int = 8,
    time_limit_s: float | None = None,
    csv_dialect: str = "excel",
) -> list[tuple[str, Path]]:
    """Run every stage on ``data_dir`` into ``out_dir`` (see the module docstring).

    Parameters
    ----------
    data_dir : Path
        The data folder.
    out_dir : Path
        Where the files go (created).
    week : str, optional
        ISO week of the check plan (default: first roster week after the newest data).
    weeks : int [weeks]
        Length of the measurement plan.
    time_limit_s : float [s], optional
        Solver time limit per solve of the check plan (default ``[checks]
        time_limit_s``).
    csv_dialect : str
        ``excel`` (default: the run's folder is for people, so ``stats.csv``,
        ``flags.csv`` and ``evaluation.csv`` open right in Swedish Excel) or
        ``plain`` (the contract for scripts). The plans' CSVs are always plain.

    Returns
    -------
    list of (str, Path)
        What each written file is, and where.

    Raises
    ------
    InfeasiblePlanError
        After every other stage ran, when a plan could not be made (the
        reason is printed where that stage would have been).
    InputError
        Bad input (a broken file, an unknown ``--week``).
    """
    from trafikplan._errors import InfeasiblePlanError, OutputError
    from trafikplan.cli._app import load_tables
    from trafikplan.cli.cmd_import import print_summary, run_import
    from trafikplan.io.files import make_dir, sweep_temp_files
    from trafikplan.weeks import iso_week

    started = time.perf_counter()
    data_dir, out_dir = Path(data_dir), Path(out_dir)
    if week is not None:
        week = iso_week(week)
    from trafikplan.settings import load_settings

    summary = run_import(data_dir)
    print_summary(summary, data_dir, load_settings(data_dir).language)
    tables = load_tables(data_dir, import_new=False)
    settings = tables.settings
    run = _Run(out_dir, settings.language, csv_dialect)
    make_dir(out_dir)
    sweep_temp_files(out_dir)  # what a killed run left half-written
    stages: list[Callable[[Tables, _Run, dict[str, Any]], None]] = [
        _stats, _flags, _checks, _measurements, _evaluation, _report,
    ]
    state: dict[str, Any] = {"data_dir": data_dir, "week": week, "weeks": weeks,
                             "time_limit_s": time_limit_s}
    if not len(tables.reports):
        run.note("no_reports")
    with _Progress(len(stages)) as advance:
        for stage in stages:
            advance(stage.__name__.strip("_"))
            run.stage_started = time.perf_counter()
            try:
                stage(tables, run, state)
            except InfeasiblePlanError as exc:  # the other stages do not depend on a plan
                run.failed(stage.__name__.strip("_"), str(exc))
    _print_files(run)
    from trafikplan.i18n import number

    console.print(run.t["done"].format(s=number(time.perf_counter() - started, 0,
                                                run.language)), markup=False)
    if run.broken:
        raise OutputError("; ".join(run.broken) + "; every other file was written")
    if run.failures:
        raise InfeasiblePlanError(run.t["failed"].format(
            stages=", ".join(run.t[f] for f in run.failures)))
    return run.files


class _Progress:
    """A rich progress bar over the stages (shown on a terminal only)."""

    def __init__(self, total: int) -> None:
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self.bar = Progress(TextColumn("{task.description}"), BarColumn(),
                            TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(),
                            console=err_console, transient=True,
                            disable=not show_progress())
        self.total = total

    def __enter__(self) -> Callable[[str], None]:
        self.bar.__enter__()
        task = self.bar.add_task("run", total=self.total)
        first = [True]

        def advance(name: str) -> None:
            if not first[0]:
                self.bar.advance(task)
            first[0] = False
            self.bar.update(task, description=name)

        return advance

    def __exit__(self, *exc: object) -> None:
        self.bar.__exit__(*exc)


def _stats(tables: Tables, run: _Run, state: dict[str, Any]) -> None:
    from trafikplan.stats import speed_stats

    s = tables.settings
    stats = speed_stats(tables.vehicles, tables.sites, bins=tables.bins, by=STAT_KEYS,
                        tz=s.timezone, include_bicycles=s.stats.include_bicycles,
                        min_n_percentile=s.stats.min_vehicles_percentile)
    state["stats"] = stats
    run.wrote("stats", run.tables(stats, "stats", "stats", s))


def _flags(tables: Tables, run: _Run, state: dict[str, Any]) -> None:
    from trafikplan.flags import flags_of, rank_flags

    flags = flags_of(tables)
    state["flags"] = flags
    ranked = rank_flags(flags, flagged_only=True)
    run.wrote("flags", run.tables(ranked, "flags", "flags", tables.settings))


def _checks(tables: Tables, run: _Run, state: dict[str, Any]) -> None:
    from trafikplan.io.roster import read_roster

    s = tables.settings
    path = state["data_dir"] / "roster.csv"
    if not path.is_file():
        run.note("no_roster")
        return
    roster = read_roster(path, tz=s.timezone)
    week = state["week"] or first_roster_week(roster, newest_data(tables), s.timezone)
    if week is None:
        run.note("no_roster_week")
        return
    week = week.strip().upper()
    state["check_week"] = week
    paths, note = _write_check_plan(tables, roster, state["flags"], week,
                                    run.out_dir / "checks", state["data_dir"],
                                    state["time_limit_s"])
    state.setdefault("plans", []).append((run.t["checks"].capitalize(), note))
    from trafikplan.report.pdf import checks_pdf

    html = run.out_dir / "checks" / "checks.html"
    if html.is_file():
        try:
            pdf = checks_pdf(html, run.out_dir / "checks" / "checks.pdf")
        except (RuntimeError, OSError, subprocess.SubprocessError) as exc:  # Chromium failed
            run.output_failed("checks.pdf", " ".join(str(exc).split()))
        else:
            if pdf is None:
                run.note("no_pdf")
            else:
                paths.append(pdf)
    run.wrote("checks", paths)


def _write_check_plan(tables: Tables, roster: pd.DataFrame, flags: pd.DataFrame, week: str,
                      out_dir: Path, data_dir: Path,
                      time_limit_s: float | None) -> tuple[list[Path], str]:
    """Plan ``week``, write its files into ``out_dir`` (0700; files 0600) and save it.

    Returns the files and one line on the plan for the report (teams, value, bound).

    As ``trafikplan plan checks --week WEEK -o DIR``: the plan is also saved in
    the store, so the next week's plan keeps the same-site spacing and halo.
    """
    from trafikplan.cli.cmd_plan_checks import plan_summary, save_plan
    from trafikplan.plan.checks import plan_week
    from trafikplan.report.export import write_table
    from trafikplan.report.files import make_dir
    from trafikplan.report.plan_html import PLAN_CSV_COLUMNS, write_check_plan

    settings = tables.settings
    plan = plan_week(tables, week, time_limit_s=time_limit_s, roster=roster, flags=flags)
    summary = plan_summary(plan, settings.language)
    console.print(f"  {summary}", markup=False)
    for message in plan.messages:
        console.print(f"  {message}", markup=False)
    make_dir(out_dir, private=True)
    paths = list(write_check_plan(plan, out_dir, tables.settings))
    table = plan.checks[list(PLAN_CSV_COLUMNS)].copy()
    for col in ("start", "end"):
        table[col] = table[col].dt.tz_convert(settings.timezone)
    paths.append(write_table(table, out_dir / "checks.xlsx", private=True,
                             language=settings.language, tz=settings.timezone, table="checks"))
    save_plan(plan, data_dir)
    from trafikplan.i18n import text

    teams = "; ".join(text("plan_team_checks", settings.language, team=team, n=n)
                      for team, n in plan.per_team().items())
    return paths, f"{week}: {teams}. {summary}."


def _monday_after(ts: pd.Timestamp | None, tz: str) -> dt.date:
    """Return the first local Monday after ``ts`` (today's next Monday when None)."""
    import pandas as pd

    day = (pd.Timestamp.now(tz) if ts is None else ts.tz_convert(tz)).date()
    return day + dt.timedelta(days=7 - day.weekday())


def _measurements(tables: Tables, run: _Run, state: dict[str, Any]) -> None:
    from trafikplan.plan.measurements import plan_for_folder
    from trafikplan.report.export import write_table
    from trafikplan.report.measurement_plan import CSV_COLUMNS, write_measurement_plan

    data_dir = state["data_dir"]
    if not (data_dir / "counter_fleet.csv").is_file():
        run.note("no_fleet")
        return
    start = _monday_after(newest_data(tables), tables.settings.timezone)
    result = plan_for_folder(tables, start, state["weeks"])
    folder = run.out_dir / "measurements"
    paths = write_measurement_plan(result, folder, tz=tables.settings.timezone,
                                   language=tables.settings.language)
    state.setdefault("plans", []).append((run.t["measurements"].capitalize(),
                                          result.summary(tables.settings.language)))
    s = tables.settings
    paths.append(write_table(result.plan[list(CSV_COLUMNS)], folder / "measurements.xlsx",
                             private=True, language=s.language, tz=s.timezone,
                             table="measurements"))
    run.wrote("measurements", paths)


def _evaluation(tables: Tables, run: _Run, state: dict[str, Any]) -> None:
    from trafikplan.report.html import evaluate_folder

    if not (state["data_dir"] / "measures.csv").is_file():
        run.note("no_measures")
        state["evaluation"] = None
        return
    ev = evaluate_folder(tables)
    state["evaluation"] = ev
    run.wrote("evaluation", run.tables(ev, "evaluation", "evaluation", tables.settings))


def _report(tables: Tables, run: _Run, state: dict[str, Any]) -> None:
    from trafikplan.report.html import write_report

    run.wrote("report", [write_report(tables, run.out_dir, flags=state["flags"],
                                      evaluation=state.get("evaluation"),
                                      hour_stats=state["stats"], plans=state.get("plans"))])


def _print_files(run: _Run) -> None:
    from rich.table import Table

    from trafikplan.io.safe_text import printable as escape

    table = Table(title=run.t["files"])
    table.add_column(run.t["what"])
    table.add_column(run.t["where"], overflow="fold")
    for what, path in run.files:
        table.add_row(escape(what), escape(str(path)))
    console.print(table)


@app.command("run")
@data_dir_argument
@click.option("-o", "--output", type=click.Path(path_type=Path, file_okay=False),
              default=DEFAULT_OUT_DIR, show_default=True, help="Folder for every output.")
@click.option("--week", default=None, metavar="YYYY-Www",
              help="ISO week of the check plan (default: first roster week after the newest "
                   "data).")
@click.option("--weeks", type=click.IntRange(1, 52), default=8, show_default=True,
              help="Length of the measurement plan in weeks.")
@click.option("--time-limit", type=click.FloatRange(min=0.5), default=None,
              help="Check plan: solver time limit per solve [s] (default: [checks] "
                   "time_limit_s).")
@csv_dialect_option("excel")
def run_command(data_dir: Path, output: Path, week: str | None, weeks: int,
                time_limit: float | None, csv_dialect: str) -> None:
    """Run the whole chain: import, stats, flags, plans, evaluation and report into DIR."""
    run_chain(data_dir, output, week=week, weeks=weeks, time_limit_s=time_limit,
              csv_dialect=csv_dialect)
