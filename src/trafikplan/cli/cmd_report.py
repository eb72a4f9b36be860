"""``trafikplan report [DATA_DIR] [-o DIR]``: the self-contained HTML report."""

from __future__ import annotations

from pathlib import Path

import click

from trafikplan.cli._app import app, console, data_dir_argument

DEFAULT_OUT_DIR = Path("out")


@app.command("report")
@data_dir_argument
@click.option("-o", "--output", type=click.Path(path_type=Path, file_okay=False),
              default=DEFAULT_OUT_DIR, show_default=True,
              help="Folder for report.html.")
@click.option("--language", type=click.Choice(["sv", "en"]), default=None,
              help="Language of the report (default: language in trafikplan.toml).")
def report_command(data_dir: Path, output: Path, language: str | None) -> None:
    """Write DIR/report.html: imports, flags, per-street figures, before/after, map."""
    from trafikplan.io.safe_text import printable as escape
    from trafikplan.io.store import load
    from trafikplan.report.html import write_report

    with console.status("report"):
        tables = load(data_dir)
        path = write_report(tables, output, language=language)
    console.print(f"report -> {escape(str(path))}")
