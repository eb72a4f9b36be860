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

from trafikplan.cli._app import app, console, data_dir_argument, emit_table, out_file_option

if TYPE_CHECKING:
    import pandas as pd


def _interval(d: float, lo: float, hi: float, digits: int = 1, scale: float = 1.0) -> str:
    import math

    if d is None or (isinstance(d, float) and math.isnan(d)):
        return ""
    f = f"{{:+.{digits}f}}"
    return f"{f.format(d * scale)} ({f.format(lo * scale)}…{f.format(hi * scale)})"


def _terminal(df: pd.DataFrame, language: str) -> pd.DataFrame:
    import pandas as pd

    sv = language == "sv"
    out = pd.DataFrame({
        "measure_id": df["measure_id"], "street": df["street"], "site_id": df["site_id"],
        "n": df["n_before"].astype(str) + " / " + df["n_after"].astype(str),
    })
    rows = list(zip(df["mean_diff"], df["mean_diff_lo"], df["mean_diff_hi"], strict=True))
    out["mean"] = [_interval(*r) for r in rows]
    rows = list(zip(df["v85_diff"], df["v85_diff_lo"], df["v85_diff_hi"], strict=True))
    out["v85"] = [_interval(*r) for r in rows]
    rows = list(zip(df["share_diff"], df["share_diff_lo"], df["share_diff_hi"], strict=True))
    out["share"] = [_interval(*r, digits=0, scale=100.0) for r in rows]
    rows = list(zip(df["did"], df["did_lo"], df["did_hi"], strict=True))
    out["did"] = [_interval(*r) for r in rows]
    out["comparison"] = df["comparison_site_id"].map(lambda x: x if isinstance(x, str) else "")
    if sv:
        out.columns = ["åtgärd", "gata", "plats", "n före / efter", "medel km/h (95 %)",
                       "V85 km/h (95 %)", "> gräns %-enh. (95 %)", "skillnad i skillnader",
                       "jämförelse"]
    else:
        out.columns = ["measure", "street", "site", "n before / after", "mean km/h (95%)",
                       "V85 km/h (95%)", "> limit pp (95%)", "diff. in diff.", "comparison"]
    return out


@app.command("evaluate")
@data_dir_argument
@click.option("--measure", "measure_id", default=None, metavar="ID",
              help="Evaluate only this measure (measure_id in measures.csv).")
@out_file_option
def evaluate_command(data_dir: Path, measure_id: str | None, output: Path | None) -> None:
    """Before/after evaluation of the measures in measures.csv, with intervals."""
    from trafikplan._errors import InputError
    from trafikplan.io.measures import read_measures
    from trafikplan.io.store import load
    from trafikplan.report.export import print_table
    from trafikplan.stats.evaluate import evaluate_measures

    measures_path = Path(data_dir) / "measures.csv"
    if not measures_path.is_file():
        raise InputError("no measures.csv: list the measures (measure_id,street,site_id,kind,"
                         "built,description[,comparison_site_id])", path=measures_path)
    measures = read_measures(measures_path)
    if measure_id is not None and measure_id not in set(measures["measure_id"]):
        raise InputError(f"unknown measure {measure_id!r}; measures.csv has "
                         f"{', '.join(measures['measure_id'])}", path=measures_path)
    tables = load(data_dir)
    s = tables.settings
    m = s.measurements
    known = set(tables.sites["site_id"].astype(str))
    for row in measures.itertuples(index=False):
        for col in ("site_id", "comparison_site_id"):
            value = getattr(row, col)
            if isinstance(value, str) and value and value not in known:
                raise InputError(f"site {value!r} is not in sites.csv", path=measures_path,
                                 line=int(row.line), column=col)
    result = evaluate_measures(
        tables.vehicles, tables.sites, measures, tz=s.timezone, measure_id=measure_id,
        after_weeks=m.after_weeks, window_days=m.evaluation_window_days,
        neighbour_radius_km=m.neighbour_radius_km, diversion_min_change=m.diversion_min_change,
        bootstrap_reps=m.bootstrap_reps, seed=m.seed, v85_margin_kmh=s.flags.v85_margin_kmh,
        share_over_limit_min=s.flags.share_over_limit_min,
        include_bicycles=s.stats.include_bicycles, language=s.language, bins=tables.bins,
    )
    if output is not None:
        emit_table(result, output)
        return
    title = "Före/efter-utvärdering" if s.language == "sv" else "Before/after evaluation"
    print_table(_terminal(result, s.language), console, title=title)
    for row in result.itertuples(index=False):
        console.print(f"{row.measure_id} {row.street} ({row.site_id}): {row.verdict}",
                      markup=False)
