"""``trafikplan plan checks [DATA_DIR] --week 2024-W41 [-o DIR]``: the police's speed-check plan.

Without ``-o`` the plan is printed and nothing is written. With ``-o DIR`` the
plan is *issued*: ``checks.csv``, ``checks.html`` and one ``checks-<team>.ics``
per team go into DIR (each 0600), and the plan is saved as
``DATA_DIR/.trafikplan/plans/<week>.parquet`` (0600 in a 0700 folder), so the
next weeks' plans keep the same-site spacing and the time halo across the week
boundary. Planning the same week again replaces its saved plan.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from trafikplan.cli._app import console, data_dir_argument, out_dir_option, plan_app

if TYPE_CHECKING:
    from trafikplan.plan.checks import CheckPlan


def save_plan(plan, data_dir: Path) -> Path:
    """Save the plan's checks in the data folder's store (0600 file, 0700 folders)."""
    from trafikplan.plan.checks import PLANS_DIR
    from trafikplan.report.files import atomic_path, make_dir

    folder = Path(data_dir) / PLANS_DIR
    make_dir(folder.parent, private=True)
    make_dir(folder, private=True)
    df = plan.checks[["team", "start", "end", "site_id", "street", "value"]].copy()
    df["start"] = df["start"].dt.tz_convert("UTC")
    df["end"] = df["end"].dt.tz_convert("UTC")
    df["seed"] = int(plan.log.get("seed", 0))
    path = folder / f"{plan.week}.parquet"
    with atomic_path(path, private=True) as tmp:
        df.to_parquet(tmp, index=False)
    return path


@plan_app.command("checks")
@data_dir_argument
@click.option("--week", required=True, metavar="YYYY-Www", help="ISO week to plan, e.g. 2024-W41.")
@out_dir_option
@click.option("--seed", type=int, default=None,
              help="Pick among near-best plans (default: [checks] seed).")
@click.option("--time-limit", type=click.FloatRange(min=0.5), default=None,
              help="Solver time limit per solve [s] (default: [checks] time_limit_s).")
def checks_command(data_dir: Path, week: str, output: Path | None, seed: int | None,
                   time_limit: float | None) -> None:
    """Plan next week's speed checks per team, with the reason for each check."""
    from trafikplan.io.store import load
    from trafikplan.plan.checks import plan_week
    from trafikplan.report.export import print_table
    from trafikplan.report.plan_html import write_check_plan
    from trafikplan.weeks import iso_week

    tables = load(data_dir)
    settings = tables.settings
    week = iso_week(week)
    plan = plan_week(tables, week, seed=seed, time_limit_s=time_limit)

    en = settings.language == "en"
    for team, n in plan.per_team().items():
        console.print(f"{team}: {n} {'checks' if en else 'kontroller'}", markup=False)
    console.print(plan_summary(plan, settings.language), markup=False)
    for message in plan.messages:
        console.print(message, markup=False)
    if output is None:
        print_table(plan.checks[["team", "start", "end", "site_id", "street", "reason",
                                 "value"]], console, title=week)
        return
    written = write_check_plan(plan, output, settings)
    saved = save_plan(plan, data_dir)
    console.print(f"{len(written)} {'files' if en else 'filer'} -> {output}; "
                  f"{'saved' if en else 'sparad'} {saved}", markup=False)


def plan_summary(plan: CheckPlan, language: str) -> str:
    """Return one line on a check plan: its value, the upper bound, the gap and greedy's value.

    Parameters
    ----------
    plan : CheckPlan
        From :func:`trafikplan.plan.checks.plan_week`.
    language : str
        ``"sv"`` or ``"en"``.
    """
    en = language == "en"

    def fmt(x: float) -> str:
        return f"{x:.1f}" if en else f"{x:.1f}".replace(".", ",")

    if en:
        return (f"value {fmt(plan.value)}, upper bound {fmt(plan.bound)} (no plan of the week "
                f"is worth more), gap {fmt(100 * plan.gap)} %, greedy baseline "
                f"{fmt(plan.greedy_value)}")
    return (f"värde {fmt(plan.value)}, övre gräns {fmt(plan.bound)} (ingen plan för veckan är "
            f"mer värd), gap {fmt(100 * plan.gap)} %, girig jämförelse {fmt(plan.greedy_value)}")
