"""Files of a counter-deployment plan: ``measurements.csv``, ``.ics`` and ``.html``.

Every file is readable by the owner only (0600) in a 0700 folder, like every
plan file.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from trafikplan.columns import table_rows
from trafikplan.io.files.atomic import make_dir, write_text
from trafikplan.io.files.safe_text import finalize
from trafikplan.plan.measurements import MeasurementPlan, crew_events
from trafikplan.report.calendar import write_calendar
from trafikplan.report.export import write_table

__all__ = ["CSV_COLUMNS", "write_measurement_plan"]

CSV_COLUMNS = ("counter", "site_id", "street", "install", "remove", "purpose", "reason",
               "counter_kind", "measure_id", "days", "value")
"""Columns of ``measurements.csv``: DESIGN.md's seven, then the kind, measure, days and value."""


def write_measurement_plan(
    result: MeasurementPlan, out_dir: Path, *, tz: str, language: str
) -> list[Path]:
    """Write ``measurements.csv``, ``measurements.ics`` and ``measurements.html``.

    Parameters
    ----------
    result : MeasurementPlan
        From :func:`trafikplan.plan.measurements.plan_measurements`.
    out_dir : Path
        Created 0700 if missing.
    tz : str
        IANA time zone of the calendar.
    language : str
        ``"sv"`` or ``"en"``.

    Returns
    -------
    list of Path
        The files written.
    """
    sv = language == "sv"
    make_dir(out_dir, private=True)
    paths = [write_table(result.plan[list(CSV_COLUMNS)], out_dir / "measurements.csv",
                         private=True)]
    stamp = dt.datetime.combine(result.start, dt.time(0, 0), tzinfo=dt.UTC)
    name = ("Mätplan " if sv else "Measurement plan ") + result.start.isoformat()
    paths.append(write_calendar(crew_events(result.plan, tz=tz, language=language),
                                out_dir / "measurements.ics", name=name, tz=tz, stamp=stamp,
                                private=True))
    headings = (["Mätare", "Plats", "Gata", "Upp", "Ner", "Syfte", "Värde", "Skäl"] if sv else
                ["Counter", "Site", "Street", "Install", "Remove", "Purpose", "Value", "Reason"])
    rows = [[r.counter, r.site_id if isinstance(r.site_id, str) else "", r.street,
             r.install.isoformat(), r.remove.isoformat(), r.purpose, r.value, r.reason]
            for r in table_rows(result.plan)]
    footer = (f"OR-Tools {result.solver.get('ortools')}, seed {result.solver.get('seed')}, "
              f"{result.solver.get('workers')} worker, {result.solver.get('wall_s', 0)} s")
    env = Environment(loader=PackageLoader("trafikplan.report", "templates"),
                      autoescape=select_autoescape(["html", "j2"]), finalize=finalize)
    html = env.get_template("measurements.html.j2").render(
        lang=language, title=name, summary=result.summary(language), headings=headings,
        rows=rows, footer=footer)
    paths.append(write_text(out_dir / "measurements.html", html, private=True))
    return paths
