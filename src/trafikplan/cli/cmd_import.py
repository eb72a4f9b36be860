"""``trafikplan import``: new raw files -> store, with a summary."""

from __future__ import annotations

from pathlib import Path

from trafikplan.cli._app import app, console, data_dir_argument, err_console


def run_import(data_dir: Path, *, quiet: bool = False):
    """Import ``data_dir`` with a progress bar; return the ImportSummary."""
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    from trafikplan.io.importer import import_data
    from trafikplan.io.store import say_waiting

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
        disable=quiet or not err_console.is_terminal,
    ) as bar:
        task = bar.add_task("import", total=None)

        def progress(done: int, total: int, name: str) -> None:
            bar.update(task, completed=done, total=total, description=name or "import")

        return import_data(data_dir, progress=progress, on_wait=say_waiting)


def print_summary(summary, data_dir: Path) -> None:
    """Print the import summary: files, rows per table, rows set aside by reason."""
    from rich.table import Table

    from trafikplan.io.safe_text import printable as escape

    files = summary.files
    table = Table(title=f"Import {data_dir}", show_lines=False)
    for col in ("file", "status", "profile", "rows", "rejected"):
        table.add_column(
            col, justify="right" if col in ("rows", "rejected") else "left", overflow="fold"
        )
    for row in files.itertuples(index=False):
        if row.status == "unchanged" and len(files) > 25:
            continue
        table.add_row(
            escape(row.file),
            row.status,
            escape(row.profile or ""),
            f"{row.rows:,}",
            f"{row.rejected:,}",
        )
    if files["status"].eq("unchanged").all() and not summary.rebuilt:
        console.print(
            f"Nothing new in {escape(str(data_dir))}: {len(files)} files already imported."
        )
    else:
        console.print(table)
        unchanged = int((files["status"] == "unchanged").sum())
        if unchanged and len(files) > 25:
            console.print(f"({unchanged} unchanged files not listed)")
    t = summary.totals
    console.print(
        f"Store: {t.get('vehicles', 0):,} vehicles, {t.get('bins', 0):,} bin rows, "
        f"{t.get('reports', 0):,} reports "
        f"({t.get('reports_unmatched', 0):,} not matched to a site), "
        f"{t.get('checks_done', 0):,} completed checks, "
        f"{t.get('rejects', 0):,} rows set aside."
    )
    if summary.rebuilt:
        console.print("sites.csv, settings or format profiles changed: the store was rebuilt.")
    if summary.skipped:
        console.print(f"Not imported (choices.toml skip): {escape(', '.join(summary.skipped))}")
    for line in summary.repeated:
        console.print(escape(line))
    for warning in summary.warnings:
        err_console.print(f"warning: {warning}", markup=False, soft_wrap=True)
    if len(summary.rejects):
        rej = Table(title="Rows set aside")
        rej.add_column("reason")
        rej.add_column("what it means")
        rej.add_column("rows", justify="right")
        for row in summary.rejects.itertuples(index=False):
            rej.add_row(row.reason, escape(row.description), f"{row.count:,}")
        console.print(rej)


@app.command("import")
@data_dir_argument
def import_command(data_dir: Path) -> None:
    """Import new raw files of DATA_DIR into its store and print a summary."""
    summary = run_import(data_dir)
    print_summary(summary, data_dir)
