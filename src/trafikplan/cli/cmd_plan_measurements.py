"""The ``plan measurements`` command: where the counters go next.

``trafikplan plan measurements [DATA_DIR] --start DATE [--weeks N] [-o DIR]``

Reads the data folder (everything dated before ``--start``), ``measures.csv``
(optional) and ``counter_fleet.csv``, computes the flags as they were on the
first day of the plan, builds the candidates and solves the CP-SAT plan.
Prints a summary table; with ``-o DIR`` writes ``measurements.csv``,
``measurements.ics`` (the crew's calendar) and ``measurements.html``, each
readable by the owner only (0600) in a 0700 folder.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click

from trafikplan.cli._app import (
    console,
    data_dir_argument,
    load_tables,
    out_dir_option,
    plan_app,
    step,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["measurements_command"]

def _terminal_table(plan: pd.DataFrame, language: str) -> pd.DataFrame:
    from trafikplan.i18n import text

    out = plan[["counter", "street", "install", "remove", "purpose", "value"]].copy()
    out.insert(1, "site_id", plan["site_id"].map(lambda x: x if isinstance(x, str) else
                                                 text("new_site", language)))
    return out


@plan_app.command("measurements")
@data_dir_argument
@click.option("--start", required=True, type=click.DateTime(formats=["%Y-%m-%d"]),
              help="First day of the plan (local date YYYY-MM-DD).")
@click.option("--weeks", type=click.IntRange(1, 52), default=8, show_default=True,
              help="Length of the plan in weeks.")
@out_dir_option
def measurements_command(data_dir: Path, start: dt.datetime, weeks: int,
                         output: Path | None) -> None:
    """Plan counter deployments: after/before measurements, tips, uncertain and stale sites."""
    from trafikplan.pipeline import issue_deployments, plan_deployments
    from trafikplan.pipeline.deployments import check_fleet_file
    from trafikplan.report.export import print_table

    check_fleet_file(data_dir)  # before the import: a missing fleet stops at once
    tables = load_tables(data_dir)
    language = tables.settings.language
    with step("working_measurements", language):
        planned = plan_deployments(tables, start.date(), weeks)
    from trafikplan.i18n import text

    print_table(_terminal_table(planned.plan, language), console,
                title=text("measurement_plan_title", language), max_rows=200, language=language)
    console.print(planned.summary, markup=False)
    if output is not None:
        for path in issue_deployments(planned, output):
            console.print(f"-> {path}", markup=False)
