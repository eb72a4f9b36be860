"""The click group shared by the command modules, and their common options.

Heavy libraries are imported inside the commands, so ``trafikplan --help``
starts fast.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console

if TYPE_CHECKING:
    import pandas as pd



class SafeConsole(Console):
    r"""A rich console for text that comes from data files.

    Markup is off (``[/bold]`` in a street name is printed as written, it
    cannot break the output), and control and bidi characters in printed
    strings are shown escaped (``\\x1b``), so a file name or a value cannot
    move the cursor, recolour the terminal or forge a line (line breaks that the
    program itself writes stay).
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("markup", False)
        kwargs.setdefault("highlight", False)
        kwargs.setdefault("emoji", False)
        super().__init__(**kwargs)

    def print(self, *objects: Any, **kwargs: Any) -> None:
        from trafikplan.io.files.safe_text import printable

        safe = ["\n".join(printable(line) for line in o.split("\n")) if isinstance(o, str)
                else o for o in objects]
        super().print(*safe, **kwargs)


# Piped output (files, CI logs, notebooks) is not squeezed into 80 columns.
console = SafeConsole(width=None if sys.stdout.isatty() else 160)
err_console = SafeConsole(stderr=True)

DEFAULT_DATA_DIR = Path("data/measurements")

QUIET = {"on": False}
"""``--quiet``: no progress lines (they are never shown when stderr is not a terminal)."""

SPOKEN = {"language": "sv"}
"""The language errors are printed in: the data folder's (set when DATA_DIR is parsed)."""


class UnknownCommand(click.UsageError):
    """A command name the group does not have (``name``), worded by :mod:`.usage_errors`."""

    def __init__(self, name: str, ctx: click.Context) -> None:
        super().__init__(f"No such command {name!r}.", ctx)
        self.name = name


class Commands(click.Group):
    """The command groups: an unknown command raises :class:`UnknownCommand` with its name."""

    group_class = type  # the subgroups (plan, formats) are Commands too

    def resolve_command(self, ctx: click.Context,
                        args: list[str]) -> tuple[str | None, click.Command | None, list[str]]:
        name = click.utils.make_str(args[0])
        if self.get_command(ctx, name) is None and not name.startswith("-"):
            raise UnknownCommand(name, ctx)
        return super().resolve_command(ctx, args)


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show the traceback of an error.")
@click.option("--quiet", "-q", is_flag=True, help="No progress lines on stderr.")
@click.version_option(package_name="trafikplan")
def app(debug: bool, quiet: bool) -> None:
    """Speed statistics, flags and plans for police speed checks and counter deployments."""
    QUIET["on"] = quiet


def show_progress() -> bool:
    """Return True when progress may be drawn: stderr is a terminal, no ``--quiet``."""
    return err_console.is_terminal and not QUIET["on"]


@contextlib.contextmanager
def working(what: str) -> Iterator[None]:
    """Show ``what`` with a spinner and the time so far on stderr while the block runs.

    Nothing is drawn when stderr is not a terminal (piped, in a file, in CI) or
    with ``--quiet``; the line disappears when the step is done.
    """
    if not show_progress():
        yield
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=err_console, transient=True) as bar:
        bar.add_task(what, total=None)
        yield


def load_tables(data_dir: Path, **kwargs):
    """Load the data folder (importing new files first) with a progress line.

    Keyword arguments go to :func:`trafikplan.pipeline.load_folder`.
    """
    from trafikplan.i18n import text
    from trafikplan.pipeline import load_folder

    with working(text("working_load", language_of(data_dir))):
        return load_folder(data_dir, **kwargs)


def step(key: str, language: str, **values: object):
    """Return :func:`working` for the progress text ``key`` of :mod:`trafikplan.i18n`."""
    from trafikplan.i18n import text

    return working(text(key, language, **values))


def language_of(data_dir: Path) -> str:
    """Return the data folder's ``language``: its ``trafikplan.toml``'s when valid, else ``sv``.

    Read from the raw file, so the errors of a folder whose other settings are
    wrong are worded in its language too.
    """
    from trafikplan.settings import folder_language

    return folder_language(data_dir)


@app.group("plan")
def plan_app() -> None:
    """Plan speed checks or counter deployments."""


def _remember_language(ctx: click.Context, param: click.Parameter, value: Path) -> Path:
    """Note the data folder's language, so that an error is printed in it."""
    SPOKEN["language"] = language_of(value)
    return value


def data_dir_argument(func):
    """Add the optional ``DATA_DIR`` argument (default ``data/measurements``)."""
    return click.argument(
        "data_dir",
        type=click.Path(path_type=Path, file_okay=False),
        default=DEFAULT_DATA_DIR,
        required=False,
        callback=_remember_language,
    )(func)


def out_file_option(func):
    """Add ``-o FILE``: write ``.csv``, ``.parquet`` or ``.xlsx`` instead of printing."""
    return click.option(
        "-o",
        "--output",
        type=click.Path(path_type=Path, dir_okay=False),
        default=None,
        help="Write to FILE (.csv, .parquet or .xlsx) instead of printing a table.",
    )(func)


def out_dir_option(func):
    """Add ``-o DIR``: the folder the command writes its files into."""
    return click.option(
        "-o",
        "--output",
        type=click.Path(path_type=Path, file_okay=False),
        default=None,
        help="Write the files into DIR.",
    )(func)


def csv_dialect_option(default: str):
    """Add ``--csv-dialect excel|plain`` (how a ``.csv`` is written; see ``write_table``)."""
    def wrap(func):
        return click.option(
            "--csv-dialect", "csv_dialect", type=click.Choice(["excel", "plain"]),
            default=default, show_default=True,
            help="CSV for Swedish Excel (; decimal comma, UTF-8 with BOM) or the plain "
                 "contract for scripts (, decimal point, UTF-8).",
        )(func)
    return wrap


def emit_table(
    df: pd.DataFrame, output: Path | None, *, title: str = "", private: bool = False,
    language: str | None = None, dialect: str = "plain", tz: str | None = None,
    table: str | None = None, codes: dict[str, str] | None = None,
) -> None:
    """Write ``df`` to ``output`` by its suffix, or print it as a table.

    Parameters
    ----------
    df : DataFrame
        The table.
    output : Path or None
        ``.csv``, ``.parquet`` or ``.xlsx``; ``None`` prints to the terminal.
    title : str
        Title of the printed table.
    private : bool
        Create the file readable by the owner only (plans).
    language : str, optional
        For people (:mod:`trafikplan.i18n`): the printed table's headers,
        code values and numbers, an ``.xlsx``'s headers, and the message.
    dialect : str
        ``.csv``: ``plain`` (default, for scripts) or ``excel`` (Swedish Excel).
    tz : str, optional
        ``.xlsx``: time zone of the date-times shown.
    table : str, optional
        ``.xlsx``: which table (``stats``, ``flags`` ...): a readable first
        sheet, every column on a second.
    codes : dict, optional
        Printed table: column -> code vocabulary on top of the usual ones.
    """
    from trafikplan.report.export import print_table, write_table

    if output is None:
        print_table(df, console, title=title, language=language, codes=codes)
    else:
        write_table(df, output, private=private, language=language, dialect=dialect, tz=tz,
                    table=table)
        if language is None:
            console.print(f"{len(df)} rows -> {output}", markup=False)
        else:
            from trafikplan.i18n import integer, text

            console.print(text("rows_written", language, n=integer(len(df), language),
                               path=output), markup=False)
