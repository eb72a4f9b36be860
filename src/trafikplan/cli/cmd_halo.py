"""``trafikplan halo [DATA_DIR] [-o FILE]``: speeds after past checks, the measured time halo."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

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

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["halo_command"]


def _terminal(pooled: pd.DataFrame, language: str) -> pd.DataFrame:
    """Return the printed table: per window after the checks, n and changes with 95 % CIs."""
    import pandas as pd

    from trafikplan.i18n import column, integer, interval, number, points_change

    lang = language
    from trafikplan.columns import table_rows

    rows = table_rows(pooled)
    return pd.DataFrame([{
        column("window", lang): f"{number(r.from_hours, 0, lang)}–{number(r.to_hours, 0, lang)} h",
        column("checks_n", lang): int(r.checks_n),
        f"{column('n_after', lang)} / {column('n_baseline', lang)}":
            f"{integer(r.n_after, lang)} / {integer(r.n_baseline, lang)}",
        column("mean_diff", lang): interval(r.mean_diff, r.mean_diff_lo, r.mean_diff_hi, 1, lang,
                                            sign=True),
        column("share_diff", lang): points_change(r.share_diff, r.share_diff_lo,
                                                  r.share_diff_hi, lang),
    } for r in rows])


@app.command("halo")
@data_dir_argument
@out_file_option
@csv_dialect_option("plain")
def halo_command(data_dir: Path, output: Path | None, csv_dialect: str) -> None:
    """Speeds after past checks against the same hours before them: the measured time halo."""
    from trafikplan.pipeline import folder_halo
    from trafikplan.plan.learning import planner_halo
    from trafikplan.stats.halo import halo_table

    tables = load_tables(data_dir)
    settings = tables.settings
    with step("working_halo", settings.language):
        result = folder_halo(tables)
    lang = settings.language
    if output is not None:
        emit_table(halo_table(result), output, language=lang, dialect=csv_dialect,
                   tz=settings.timezone, table="halo")
        return
    from trafikplan.i18n import number, text

    used = result.checks_used
    emit_table(_terminal(result.pooled, lang), None,
               title=text("halo_title", lang, checks=used), language=lang)
    if used == 0:
        console.print(text("halo_none", lang), markup=False)
    else:
        console.print(text("halo_measured", lang, hours=number(result.halo_hours, 0, lang)),
                      markup=False)
    console.print(planner_halo(result, settings).note, markup=False)
