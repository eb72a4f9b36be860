"""``trafikplan plan checks [DATA_DIR] --week 2024-W41 [-o DIR]``: the police's speed-check plan.

Without ``-o`` the plan is printed and nothing is written. With ``-o DIR`` the
plan is *issued*: ``checks.csv``, ``checks.html`` and one ``checks-<team>.ics``
per team go into DIR (each 0600), and the plan is saved as
``DATA_DIR/.trafikplan/plans/<week>.parquet`` (0600 in a 0700 folder), so the
next weeks' plans keep the same-site spacing, the time halo and the recency
penalty across the week boundary; every issued version is archived
(:mod:`trafikplan.plan.issued`). Planning the same week again replaces its saved
plan: a check that stays keeps its calendar UID, one that moved gets a higher
SEQUENCE and one that is gone is cancelled in the calendar.

The planner's changes come from ``DATA_DIR/plan_edits.toml`` or ``--edits FILE``
(:mod:`trafikplan.plan.edits`); ``--replan [--now TIME]`` keeps the issued checks
that started before ``TIME`` and plans the rest of the week again.
"""

from __future__ import annotations

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
    from trafikplan.plan.checks import CheckPlan


def save_plan(plan, data_dir: Path) -> Path:
    """Save the issued plan in the data folder's store and archive it as a new version.

    ``.trafikplan/plans/<week>.parquet`` holds the latest version (read by the next
    weeks and by ``--replan``); ``plans/archive/<week>-vN.parquet`` keeps every
    version (0600 files, 0700 folders).
    """
    from trafikplan.plan.checks import PLANS_DIR
    from trafikplan.report.files import atomic_path, make_dir

    folder = Path(data_dir) / PLANS_DIR
    make_dir(folder.parent, private=True)
    make_dir(folder, private=True)
    archive = make_dir(folder / "archive", private=True)
    cols = ["team", "start", "end", "site_id", "street", "value"]
    cols += [c for c in ("uid", "sequence") if c in plan.checks.columns]
    df = plan.checks[cols].copy()
    df["start"] = df["start"].dt.tz_convert("UTC")
    df["end"] = df["end"].dt.tz_convert("UTC")
    df["seed"] = int(plan.log.get("seed", 0))
    version = 1 + sum(1 for _ in archive.glob(f"{plan.week}-v*.parquet"))
    df["version"] = version
    path = folder / f"{plan.week}.parquet"
    for target in (archive / f"{plan.week}-v{version}.parquet", path):
        with atomic_path(target, private=True) as tmp:
            df.to_parquet(tmp, index=False)
    return path


def load_issued(data_dir: Path, week: str):
    """Return the issued plan of ``week`` (None when it was never issued)."""
    import pandas as pd

    from trafikplan.plan.checks import PLANS_DIR

    path = Path(data_dir) / PLANS_DIR / f"{week}.parquet"
    if not path.is_file():
        return None
    df = pd.read_parquet(path)
    for c in ("start", "end"):
        df[c] = pd.to_datetime(df[c], utc=True)
    return df


@plan_app.command("checks")
@data_dir_argument
@click.option("--week", required=True, metavar="YYYY-Www", help="ISO week to plan, e.g. 2024-W41.")
@out_dir_option
@click.option("--seed", type=int, default=None,
              help="Pick among near-best plans (default: [checks] seed).")
@click.option("--time-limit", type=click.FloatRange(min=0.5), default=None,
              help="Solver time limit per solve [s] (default: [checks] time_limit_s).")
@click.option("--edits", "edits_path", type=click.Path(path_type=Path, dir_okay=False),
              default=None, help="Plan edit file: locked checks, forbidden sites or hours, "
              "teams away (default: DATA_DIR/plan_edits.toml when it exists).")
@click.option("--replan", is_flag=True, default=False,
              help="Re-plan the issued week: checks started before --now stay, the rest "
                   "is planned again around them and the locked checks.")
@click.option("--now", "now_text", default=None, metavar="TIME",
              help="The moment of a --replan, e.g. 2024-11-06T12:00 (default: now).")
def checks_command(data_dir: Path, week: str, output: Path | None, seed: int | None,
                   time_limit: float | None, edits_path: Path | None, replan: bool,
                   now_text: str | None) -> None:
    """Plan next week's speed checks per team, with the reason for each check."""
    import pandas as pd

    from trafikplan._errors import InputError
    from trafikplan.plan.checks import plan_week
    from trafikplan.plan.edits import EDITS_FILE, read_edits
    from trafikplan.plan.issued import assign_uids, replan_edits
    from trafikplan.report.export import print_table
    from trafikplan.report.plan_html import write_check_plan
    from trafikplan.weeks import iso_week

    tables = load_tables(data_dir)
    settings = tables.settings
    week = iso_week(week)
    if edits_path is None and (Path(data_dir) / EDITS_FILE).is_file():
        edits_path = Path(data_dir) / EDITS_FILE
    edits = read_edits(edits_path, settings.timezone) if edits_path is not None else None
    issued = load_issued(data_dir, week)
    if replan:
        if issued is None:
            raise InputError("err_replan_not_issued", week=week,
                             column="--replan")
        try:
            now = pd.Timestamp(now_text) if now_text else pd.Timestamp.now(tz="UTC")
        except ValueError:
            raise InputError("err_now_time", value=now_text,
                             column="--now") from None
        now = now.tz_localize(settings.timezone) if now.tz is None else now
        edits = replan_edits(issued, now, edits)
    with step("working_checks", settings.language, week=week):
        plan = plan_week(tables, week, seed=seed, time_limit_s=time_limit, edits=edits)

    en = settings.language == "en"
    for team, n in plan.per_team().items():
        console.print(f"{team}: {n} {'checks' if en else 'kontroller'}", markup=False)
    console.print(plan_summary(plan, settings.language), markup=False)
    for message in plan.messages:
        console.print(message, markup=False)
    if output is None:
        table = plan.checks[["team", "start", "end", "site_id", "street", "reason", "value"]]
        print_table(table, console, title=week, language=settings.language)
        return
    plan.checks, cancelled = assign_uids(plan.checks, issued, week, settings.timezone)
    written = write_check_plan(plan, output, settings, cancelled=cancelled)
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

    share = plan.direct_value / plan.value if plan.value > 0 else 1.0
    weeks = plan.log.get("parameters", {}).get("recency_weeks", 4)
    if en:
        return (f"value {fmt(plan.value)}, upper bound {fmt(plan.bound)} (no plan of the week "
                f"is worth more), gap {fmt(100 * plan.gap)} %, greedy baseline "
                f"{fmt(plan.greedy_value)}; {fmt(100 * share)} % of the value at the checks' own "
                f"sites, {fmt(100 * plan.coverage)} % of the flagged need covered directly "
                f"(greedy {fmt(100 * plan.greedy_coverage)} %); {fmt(100 * plan.predictability)} % "
                f"of its site-hours were checked in the last {weeks} weeks")
    return (f"värde {fmt(plan.value)}, övre gräns {fmt(plan.bound)} (ingen plan för veckan är "
            f"mer värd), gap {fmt(100 * plan.gap)} %, girig jämförelse {fmt(plan.greedy_value)}; "
            f"{fmt(100 * share)} % av värdet på kontrollplatserna själva, "
            f"{fmt(100 * plan.coverage)} % av det flaggade behovet täckt direkt "
            f"(girig {fmt(100 * plan.greedy_coverage)} %); {fmt(100 * plan.predictability)} % "
            f"av platstimmarna kontrollerades de senaste {weeks} veckorna")
