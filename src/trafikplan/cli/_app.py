"""The click group shared by the command modules, and their common options.

Heavy libraries are imported inside the commands, so ``trafikplan --help``
starts fast.
"""

from __future__ import annotations

import sys
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
        from trafikplan.io.safe_text import printable

        safe = ["\n".join(printable(line) for line in o.split("\n")) if isinstance(o, str)
                else o for o in objects]
        super().print(*safe, **kwargs)


# Piped output (files, CI logs, notebooks) is not squeezed into 80 columns.
console = SafeConsole(width=None if sys.stdout.isatty() else 160)
err_console = SafeConsole(stderr=True)

DEFAULT_DATA_DIR = Path("data/measurements")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show the traceback of an error.")
@click.version_option(package_name="trafikplan")
def app(debug: bool) -> None:
    """Speed statistics, flags and plans for police speed checks and counter deployments."""


@app.group("plan")
def plan_app() -> None:
    """Plan speed checks or counter deployments."""


def data_dir_argument(func):
    """Add the optional ``DATA_DIR`` argument (default ``data/measurements``)."""
    return click.argument(
        "data_dir",
        type=click.Path(path_type=Path, file_okay=False),
        default=DEFAULT_DATA_DIR,
        required=False,
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


def emit_table(
    df: pd.DataFrame, output: Path | None, *, title: str = "", private: bool = False
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
    """
    from trafikplan.report.export import print_table, write_table

    if output is None:
        print_table(df, console, title=title)
    else:
        write_table(df, output, private=private)
        console.print(f"{len(df)} rows -> {output}")
