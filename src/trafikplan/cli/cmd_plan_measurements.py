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

from trafikplan.cli._app import console, data_dir_argument, out_dir_option, plan_app

if TYPE_CHECKING:
    import pandas as pd

    from trafikplan.plan.measurements import MeasurementPlan

CSV_COLUMNS = ("counter", "site_id", "street", "install", "remove", "purpose", "reason",
               "counter_kind", "measure_id", "days", "value")
"""Columns of ``measurements.csv``: DESIGN.md's seven, then the kind, measure, days and value."""

_HTML = """<!DOCTYPE html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ title }}</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}
td,th{border:1px solid #999;padding:4px 8px;vertical-align:top;text-align:left}</style>
</head><body><h1>{{ title }}</h1><p>{{ summary }}</p>
<table><tr>{% for h in headings %}<th>{{ h }}</th>{% endfor %}</tr>
{% for row in rows %}<tr>{% for v in row %}<td>{{ v }}</td>{% endfor %}</tr>
{% endfor %}</table><p>{{ footer }}</p></body></html>
"""


def _plan(data_dir: Path, start: dt.date, weeks: int) -> tuple[MeasurementPlan, str, str]:
    import pandas as pd

    from trafikplan._errors import InputError
    from trafikplan.flags import compute_flags
    from trafikplan.io.measures import read_counter_fleet, read_measures
    from trafikplan.io.store import load
    from trafikplan.plan.measurements import build_candidates, plan_measurements

    fleet_path = data_dir / "counter_fleet.csv"
    if not fleet_path.is_file():
        raise InputError("no counter_fleet.csv: list the counters (counter,kind[,available_from])",
                         path=fleet_path)
    fleet = read_counter_fleet(fleet_path)
    measures_path = data_dir / "measures.csv"
    measures = read_measures(measures_path) if measures_path.is_file() else None
    tables = load(data_dir)
    s = tables.settings
    cut = pd.Timestamp(start).tz_localize(s.timezone).tz_convert("UTC")
    before = {
        "vehicles": tables.vehicles[tables.vehicles["time"] < cut],
        "bins": tables.bins[tables.bins["start"] < cut],
        "reports": tables.reports[tables.reports["time"] < cut],
    }
    flags = compute_flags(before["vehicles"], tables.sites, before["reports"], s,
                          bins=before["bins"])
    candidates = build_candidates(
        tables.sites, before["vehicles"], before["reports"], measures, start=start, weeks=weeks,
        settings=s.measurements, flags=flags, flag_settings=s.flags, bins=before["bins"],
        tz=s.timezone, language=s.language,
    )
    result = plan_measurements(candidates, fleet, start=start, weeks=weeks,
                               settings=s.measurements, language=s.language)
    return result, s.timezone, s.language


def _terminal_table(plan: pd.DataFrame, language: str) -> pd.DataFrame:
    sv = language == "sv"
    out = plan[["counter", "street", "install", "remove", "purpose", "value"]].copy()
    out.insert(1, "site_id", plan["site_id"].map(lambda x: x if isinstance(x, str) else (
        "ny" if sv else "new")))
    if sv:
        out.columns = ["mätare", "plats", "gata", "upp", "ner", "syfte", "värde"]
    return out


def _write(result: MeasurementPlan, out_dir: Path, tz: str, language: str) -> list[Path]:
    from jinja2 import Environment

    from trafikplan.plan.measurements import crew_events
    from trafikplan.report.calendar import write_calendar
    from trafikplan.report.export import write_table
    from trafikplan.report.files import make_dir, write_text

    sv = language == "sv"
    make_dir(out_dir, private=True)
    plan = result.plan[list(CSV_COLUMNS)]
    paths = [write_table(plan, out_dir / "measurements.csv", private=True)]
    stamp = dt.datetime.combine(result.start, dt.time(0, 0), tzinfo=dt.UTC)
    name = ("Mätplan " if sv else "Measurement plan ") + result.start.isoformat()
    paths.append(write_calendar(crew_events(result.plan, tz=tz, language=language),
                                out_dir / "measurements.ics", name=name, tz=tz, stamp=stamp,
                                private=True))
    headings = (["Mätare", "Plats", "Gata", "Upp", "Ner", "Syfte", "Värde", "Skäl"] if sv else
                ["Counter", "Site", "Street", "Install", "Remove", "Purpose", "Value", "Reason"])
    rows = [[r.counter, r.site_id if isinstance(r.site_id, str) else "", r.street,
             r.install.isoformat(), r.remove.isoformat(), r.purpose, r.value, r.reason]
            for r in result.plan.itertuples(index=False)]
    footer = (f"OR-Tools {result.solver.get('ortools')}, seed {result.solver.get('seed')}, "
              f"{result.solver.get('workers')} worker, {result.solver.get('wall_s', 0)} s")
    html = Environment(autoescape=True).from_string(_HTML).render(
        lang=language, title=name, summary=result.summary(language), headings=headings,
        rows=rows, footer=footer)
    paths.append(write_text(out_dir / "measurements.html", html, private=True))
    return paths


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
    from trafikplan.report.export import print_table

    result, tz, language = _plan(data_dir, start.date(), weeks)
    print_table(_terminal_table(result.plan, language), console,
                title="Mätplan" if language == "sv" else "Measurement plan", max_rows=200)
    console.print(result.summary(language), markup=False)
    if output is not None:
        for path in _write(result, output, tz, language):
            console.print(f"-> {path}", markup=False)
