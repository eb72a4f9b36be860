"""``trafikplan plan checks [DATA_DIR] --week 2024-W41 [-o DIR]``: the police's speed-check plan.

Without ``-o`` the plan is printed and nothing is written. With ``-o DIR`` the
plan is *issued* (:func:`trafikplan.pipeline.issue_plan`, the same files as
``trafikplan run``): ``checks.csv``, ``checks.xlsx``, ``checks.html``,
``checks-days.html``/``.xlsx``, ``checks.pdf`` (with Chromium) and one
``checks-<team>.ics`` per team go into DIR (each 0600), and the plan is saved as
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

import click

from trafikplan.cli._app import (
    console,
    data_dir_argument,
    load_tables,
    out_dir_option,
    plan_app,
    step,
)

__all__ = ["checks_command"]

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
    from trafikplan._errors import OutputError
    from trafikplan.i18n import text
    from trafikplan.pipeline import issue_plan, plan_week
    from trafikplan.report.export import print_table
    from trafikplan.weeks import iso_week

    tables = load_tables(data_dir)
    settings = tables.settings
    week = iso_week(week)
    with step("working_checks", settings.language, week=week):
        planned = plan_week(tables, week, seed=seed, time_limit_s=time_limit, edits=edits_path,
                            replan=replan, now=now_text)
    plan = planned.plan
    en = settings.language == "en"
    for team, n in plan.per_team().items():
        console.print(f"{team}: {n} {'checks' if en else 'kontroller'}", markup=False)
    console.print(planned.summary, markup=False)
    for message in planned.messages:
        console.print(message, markup=False)
    if output is None:
        table = plan.checks[["team", "start", "end", "site_id", "street", "reason", "value"]]
        print_table(table, console, title=week, language=settings.language)
        return
    issued = issue_plan(planned, output)
    if issued.pdf is None and issued.pdf_error is None:
        console.print(text("run_no_pdf", settings.language), markup=False)
    console.print(f"{len(issued.files)} {'files' if en else 'filer'} -> {output}; "
                  f"{'saved' if en else 'sparad'} {issued.saved}", markup=False)
    if issued.pdf_error is not None:
        raise OutputError(f"checks.pdf could not be made ({issued.pdf_error}); every other "
                          "file was written")
