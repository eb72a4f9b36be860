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

from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

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
    from trafikplan.pipeline.run import RunEvent

__all__ = ["DEFAULT_OUT_DIR", "run_chain", "run_command"]

DEFAULT_OUT_DIR = Path("out")


def run_chain(
    data_dir: Path,
    out_dir: Path,
    *,
    week: str | None = None,
    weeks: int = 8,
    time_limit_s: float | None = None,
    csv_dialect: str = "excel",
) -> list[tuple[str, Path]]:
    """Run every stage on ``data_dir`` into ``out_dir`` and tell the user what happens.

    :func:`trafikplan.pipeline.run_folder` does the work (see the module
    docstring); this prints each stage's files, notes and failures, then where
    every file is.

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
    OutputError
        After every other file was written, when Chromium failed to print a PDF.
    InputError
        Bad input (a broken file, an unknown ``--week``).
    """
    from trafikplan._errors import InfeasiblePlanError, OutputError
    from trafikplan.cli.cmd_import import print_summary, run_import
    from trafikplan.i18n import number
    from trafikplan.pipeline import run_folder
    from trafikplan.settings import load_settings
    from trafikplan.weeks import iso_week

    if week is not None:
        week = iso_week(week)  # a bad week stops before the import
    summary = run_import(data_dir)
    print_summary(summary, data_dir, load_settings(data_dir).language)
    with _Progress() as progress:
        result = run_folder(data_dir, out_dir, week=week, weeks=weeks, time_limit_s=time_limit_s,
                            csv_dialect=csv_dialect, import_new=False, on_event=_show,
                            progress=progress)
    _print_files(result.files, result.labels)
    console.print(result.labels["done"].format(s=number(result.seconds, 0, result.language)),
                  markup=False)
    if result.broken:
        raise OutputError("; ".join(result.broken) + "; every other file was written")
    if result.failures:
        raise InfeasiblePlanError(result.labels["failed"].format(
            stages=", ".join(result.labels[f] for f in result.failures)))
    return result.files


def _show(event: RunEvent) -> None:
    """Print one :class:`~trafikplan.pipeline.RunEvent` as the run's line for it."""
    from trafikplan.io.files.safe_text import printable as escape

    if event.kind == "note":
        console.print(f"  – {event.text}", markup=False)
    elif event.kind == "line":
        console.print(f"  {event.text}", markup=False)
    elif event.kind == "failed":
        console.print(f"  ✗ {event.label}: {event.text}", markup=False, soft_wrap=True)
    elif event.kind == "output_failed":
        console.print(f"  ✗ {event.what}: {event.text}", markup=False, soft_wrap=True)
    elif event.kind == "wrote":
        shown = ", ".join(escape(p.name) for p in event.paths)
        console.print(f"  ✓ {escape(event.label)} ({event.seconds:.0f} s): {shown}")


class _Progress:
    """A rich progress bar over the stages (shown on a terminal only)."""

    def __enter__(self) -> Callable[..., None]:
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self.bar = Progress(TextColumn("{task.description}"), BarColumn(),
                            TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(),
                            console=err_console, transient=True,
                            disable=not show_progress())
        self.bar.__enter__()
        task = self.bar.add_task("run", total=None)

        def advance(step: str, done: int | None = None, total: int | None = None) -> None:
            self.bar.update(task, description=step, completed=done or 0, total=total)

        return advance

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.bar.__exit__(kind, error, tb)


def _print_files(files: list[tuple[str, Path]], labels: dict[str, str]) -> None:
    from rich.table import Table

    from trafikplan.io.files.safe_text import printable as escape

    table = Table(title=labels["files"])
    table.add_column(labels["what"])
    table.add_column(labels["where"], overflow="fold")
    for what, path in files:
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
