"""``trafikplan flags [DATA_DIR] [--all] [-o FILE]``: site-hours that need speed checks."""

from __future__ import annotations

from pathlib import Path

import click

from trafikplan.cli._app import (
    app,
    console,
    csv_dialect_option,
    data_dir_argument,
    emit_table,
    load_tables,
    out_file_option,
    step,
)

__all__ = ["flags_command"]

_PRINTED = ("site_id", "street", "weekday", "hour_of_day", "focus", "score", "kind", "reason")
"""Columns shown in the terminal (files get every column)."""


@app.command("flags")
@data_dir_argument
@out_file_option
@click.option("--all", "all_rows", is_flag=True,
              help="Every site-hour with evidence, not only the flagged ones.")
@click.option("--top", type=click.IntRange(min=1), default=None,
              help="Print only the N highest scores (terminal only).")
@csv_dialect_option("plain")
def flags_command(data_dir: Path, output: Path | None, all_rows: bool, top: int | None,
                  csv_dialect: str) -> None:
    """Flag sites and local hours with speeding, reckless driving or reports, ranked by score."""
    from trafikplan.flags import rank_flags
    from trafikplan.pipeline import folder_flags

    tables = load_tables(data_dir)
    settings = tables.settings
    with step("working_flags", settings.language):
        flags = folder_flags(tables)
    ranked = rank_flags(flags, flagged_only=not all_rows)
    lang = settings.language
    if output is None:
        from trafikplan.i18n import integer, text

        shown = ranked[list(_PRINTED)]
        if top is not None:
            shown = shown.head(top)
        title = text("flags_title", lang, flagged=integer(flags["flagged"].sum(), lang),
                     total=integer(len(flags), lang))
        emit_table(shown.round({"score": 0}), None, title=title, language=lang)
        if ranked.empty:
            console.print(text("no_flags", lang), markup=False)
    else:
        emit_table(ranked, output, language=lang, dialect=csv_dialect, tz=settings.timezone,
                   table="flags")
