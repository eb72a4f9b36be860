"""The ``evaluate`` command: whether the built measures lowered speeds.

``trafikplan evaluate [DATA_DIR] [--measure ID] [-o FILE]``

For each measure of ``measures.csv`` (or the one named by ``--measure``):
before against after on the same weekdays and hours, with intervals, and the
difference in differences against a comparison site
(:func:`trafikplan.stats.evaluate.evaluate_measures`). Without ``-o`` prints a
short table and each verdict; ``-o FILE`` writes every column (``.csv``,
``.parquet``, ``.xlsx``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

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

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["evaluate_command"]


def _terminal(df: pd.DataFrame, language: str) -> pd.DataFrame:
    """Return the printed table: per measure n before/after and each change with its 95 % CI."""
    import pandas as pd

    from trafikplan.i18n import column, integer, interval, points_change

    lang = language

    def changes(col: str, *, percent: bool = False) -> list[str]:
        rows = zip(df[col], df[f"{col}_lo"], df[f"{col}_hi"], strict=True)
        if percent:
            return [points_change(v, a, b, lang) for v, a, b in rows]
        return [interval(v, a, b, 1, lang, sign=True) for v, a, b in rows]

    return pd.DataFrame({
        column("measure_id", lang): df["measure_id"],
        column("street", lang): df["street"],
        column("site_id", lang): df["site_id"],
        f"{column('n_before', lang)} / {column('n_after', lang)}": [
            f"{integer(a, lang)} / {integer(b, lang)}"
            for a, b in zip(df["n_before"], df["n_after"], strict=True)],
        column("mean_diff", lang): changes("mean_diff"),
        column("v85_diff", lang): changes("v85_diff"),
        column("share_diff", lang): changes("share_diff", percent=True),
        column("did", lang): changes("did"),
        column("comparison_site_id", lang): df["comparison_site_id"].map(
            lambda x: x if isinstance(x, str) else ""),
    })


@app.command("evaluate")
@data_dir_argument
@click.option("--measure", "measure_id", default=None, metavar="ID",
              help="Evaluate only this measure (measure_id in measures.csv).")
@out_file_option
@csv_dialect_option("plain")
def evaluate_command(data_dir: Path, measure_id: str | None, output: Path | None,
                     csv_dialect: str) -> None:
    """Before/after evaluation of the measures in measures.csv, with intervals."""
    from trafikplan.columns import table_rows
    from trafikplan.pipeline import check_measure_sites, evaluate_folder, read_folder_measures
    from trafikplan.report.export import print_table

    measures = read_folder_measures(data_dir, measure_id=measure_id)  # before the import
    tables = load_tables(data_dir)
    s = tables.settings
    check_measure_sites(tables, measures)
    with step("working_evaluate", s.language):
        result = evaluate_folder(tables, measures=measures, measure_id=measure_id)
    if output is not None:
        emit_table(result, output, language=s.language, dialect=csv_dialect, tz=s.timezone,
                   table="evaluation")
        return
    from trafikplan.i18n import text

    print_table(_terminal(result, s.language), console, title=text("evaluation_title", s.language))
    for row in table_rows(result):
        console.print(f"{row.measure_id} {row.street} ({row.site_id}): {row.verdict}",
                      markup=False)
