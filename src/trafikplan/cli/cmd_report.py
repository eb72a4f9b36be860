"""``trafikplan report [DATA_DIR] [-o DIR]``: the self-contained HTML report."""

from __future__ import annotations

from pathlib import Path

import click

from trafikplan.cli._app import app, console, data_dir_argument, load_tables, step

__all__ = ["DEFAULT_OUT_DIR", "report_command"]

DEFAULT_OUT_DIR = Path("out")


@app.command("report")
@data_dir_argument
@click.option("-o", "--output", type=click.Path(path_type=Path, file_okay=False),
              default=DEFAULT_OUT_DIR, show_default=True,
              help="Folder for report.html.")
@click.option("--language", type=click.Choice(["sv", "en"]), default=None,
              help="Language of the report (default: language in trafikplan.toml).")
@click.option("--site", "site_ids", multiple=True, metavar="ID",
              help="Write the speed-survey report of this site instead (DIR/site-ID.html and "
                   "a printable DIR/site-ID.pdf); repeat for several.")
def report_command(data_dir: Path, output: Path, language: str | None,
                   site_ids: tuple[str, ...]) -> None:
    """Write DIR/report.html: this week's decisions, the evidence per street, the data."""
    from trafikplan.i18n import text
    from trafikplan.pipeline import write_folder_report, write_site_reports

    sites = [s.strip() for item in site_ids for s in item.split(",") if s.strip()]
    tables = load_tables(data_dir)
    lang = language or tables.settings.language
    if not sites:
        with step("working_report", lang):
            path = write_folder_report(tables, output, language=language)
        console.print(text("report_written", lang, path=path), markup=False)
        return
    with step("working_report", lang):
        written = write_site_reports(tables, sites, output, language=lang)
    for page, pdf in written:
        console.print(text("report_written", lang, path=page), markup=False)
        if pdf is None:
            console.print(text("run_no_pdf", lang), markup=False)
        else:
            console.print(text("report_written", lang, path=pdf), markup=False)
