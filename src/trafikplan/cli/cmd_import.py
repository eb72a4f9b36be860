"""``trafikplan import``: new raw files -> store, with a summary."""

from __future__ import annotations

from pathlib import Path

from trafikplan.cli._app import app, console, data_dir_argument, err_console, show_progress

__all__ = ["import_command", "print_summary", "run_import"]


def run_import(data_dir: Path, *, quiet: bool = False):
    """Import ``data_dir`` with a progress bar; return the ImportSummary."""
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    from trafikplan.io.store.store import say_waiting
    from trafikplan.pipeline import import_folder

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
        disable=quiet or not show_progress(),
    ) as bar:
        task = bar.add_task("import", total=None)

        def progress(step: str, done: int | None = None, total: int | None = None) -> None:
            bar.update(task, completed=done, total=total, description=step)

        return import_folder(data_dir, progress=progress, on_wait=say_waiting)


def print_summary(summary, data_dir: Path, language: str = "sv") -> None:
    """Print the import summary for a person: files, what is stored, rows set aside by reason.

    Parameters
    ----------
    summary : ImportSummary
        From :func:`trafikplan.io.importing.importer.import_data`.
    data_dir : Path
        The data folder (named in the title).
    language : str
        ``"sv"`` or ``"en"`` (:mod:`trafikplan.i18n`).
    """
    import pandas as pd

    from trafikplan.i18n import code, integer, reject_meaning, text, vehicle_total
    from trafikplan.io.files.safe_text import printable
    from trafikplan.report.export import print_table

    files = summary.files
    lang = language
    if files["status"].eq("unchanged").all() and not summary.rebuilt:
        console.print(text("import_nothing_new", lang, folder=data_dir,
                           files=integer(len(files), lang)), markup=False)
    else:
        many = len(files) > 25
        shown = files.loc[~(files["status"].eq("unchanged") & many),
                          ["file", "status", "profile", "rows", "rejected"]]
        print_table(shown, console, title=text("import_title", lang, folder=data_dir),
                    max_rows=1000, language=lang, codes={"status": "import_status"})
        unchanged = int((files["status"] == "unchanged").sum())
        if unchanged and many:
            console.print(text("import_unchanged_hidden", lang, n=integer(unchanged, lang)),
                          markup=False)
    t = summary.totals
    vehicles = vehicle_total(t.get("vehicles", 0), t.get("bin_vehicles"), t.get("bins", 0),
                             lang)
    console.print(text("import_store", lang, vehicles=vehicles,
                       reports=integer(t.get("reports", 0), lang),
                       unmatched=integer(t.get("reports_unmatched", 0), lang),
                       checks=integer(t.get("checks_done", 0), lang),
                       rejects=integer(t.get("rejects", 0), lang)), markup=False)
    if summary.rebuilt:
        console.print(text("import_rebuilt", lang), markup=False)
    if summary.skipped:
        console.print(text("import_skipped", lang, files=", ".join(summary.skipped)),
                      markup=False)
    for line in summary.repeated:
        console.print(printable(line), markup=False)
    for warning in summary.warnings:
        err_console.print(text("warning", lang, text=warning), markup=False, soft_wrap=True)
    if len(summary.rejects):
        rej = summary.rejects
        table = pd.DataFrame({
            "reason": [code("reject", r, lang) for r in rej["reason"]],
            "description": [reject_meaning(r, lang) for r in rej["reason"]],
            "rows": rej["count"].astype(int).to_numpy(),
        })
        print_table(table, console, title=text("import_rejects_title", lang), max_rows=1000,
                    language=lang)


@app.command("import")
@data_dir_argument
def import_command(data_dir: Path) -> None:
    """Import new raw files of DATA_DIR into its store and print a summary."""
    from trafikplan.settings import load_settings

    summary = run_import(data_dir)
    print_summary(summary, data_dir, load_settings(data_dir).language)
