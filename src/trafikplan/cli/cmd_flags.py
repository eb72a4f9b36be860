"""``trafikplan flags [DATA_DIR] [--all] [-o FILE]``: site-hours that need speed checks."""

from __future__ import annotations

from pathlib import Path

import click

from trafikplan.cli._app import app, console, data_dir_argument, emit_table, out_file_option

_PRINTED = ("site_id", "street", "weekday", "hour_of_day", "focus", "score", "kind", "reason")
"""Columns shown in the terminal (files get every column)."""


@app.command("flags")
@data_dir_argument
@out_file_option
@click.option("--all", "all_rows", is_flag=True,
              help="Every site-hour with evidence, not only the flagged ones.")
@click.option("--top", type=click.IntRange(min=1), default=None,
              help="Print only the N highest scores (terminal only).")
def flags_command(data_dir: Path, output: Path | None, all_rows: bool, top: int | None) -> None:
    """Flag sites and local hours with speeding, reckless driving or reports, ranked by score."""
    from trafikplan.flags import flags_of, rank_flags
    from trafikplan.io.store import load

    tables = load(data_dir)
    settings = tables.settings
    flags = flags_of(tables)
    ranked = rank_flags(flags, flagged_only=not all_rows)
    if output is None:
        shown = ranked[list(_PRINTED)]
        if top is not None:
            shown = shown.head(top)
        en = settings.language == "en"
        title = (f"{int(flags['flagged'].sum())} flagged of {len(flags)} site-hours"
                 if en else f"{int(flags['flagged'].sum())} flaggade av {len(flags)} platstimmar")
        emit_table(shown.round({"score": 1}), None, title=title)
        if ranked.empty:
            console.print("No site-hour is flagged." if en else "Ingen platstimme är flaggad.")
    else:
        emit_table(ranked, output)
