"""The speed-check plan as files: CSV, printable HTML, team-day sheets, one ``.ics`` per team.

``checks.csv``, ``checks.html``, the team-day sheets ``checks-days.html`` with their
``checks-days.xlsx`` twin in the ``checks_done`` layout, and ``checks-<team>.ics``.

Every file is created readable by the owner only (0600): a plan tells drivers
where the police will be. The same plan gives byte-identical files (no
generation time anywhere; the calendars' DTSTAMP is the week's start), except
the workbook, whose cells are identical (Excel stores the time it was saved). The
calendar UIDs name the team, site and local date of a check
(:func:`trafikplan.plan.issued.assign_uids`), so re-importing an updated plan
of the same week updates the events instead of doubling them: a moved check
has a higher SEQUENCE, a removed one comes again with STATUS:CANCELLED (and
in ``checks-<team>-cancel.ics``, METHOD:CANCEL).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING, cast

import pandas as pd

from trafikplan.columns import table_rows
from trafikplan.io.files.atomic import make_dir, write_text
from trafikplan.io.files.safe_text import finalize, safe_slug
from trafikplan.report.calendar import write_calendar
from trafikplan.report.export import write_table

if TYPE_CHECKING:
    from trafikplan.plan.checks import CheckPlan
    from trafikplan.settings import Settings

__all__ = [
    "PLAN_CSV_COLUMNS",
    "SHEET_COLUMNS",
    "calendar_events",
    "render_checks_html",
    "render_team_days_html",
    "team_day_rows",
    "team_slug",
    "write_check_plan",
    "write_team_day_xlsx",
]

PLAN_CSV_COLUMNS = ("team", "start", "end", "site_id", "street", "reason", "value")
"""Columns of ``checks.csv`` (DESIGN.md: check plan)."""

_WEEKDAYS = {
    "sv": ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_TEXT = {
    "sv": {
        "title": "Hastighetskontroller vecka", "secret": "Internt – får inte spridas.",
        "checks": "Kontroller", "value": "Planens värde", "bound": "Övre gräns för veckans värde",
        "gap": "gap", "greedy": "Girig jämförelseplan", "time": "Tid", "site": "Plats",
        "reason": "Skäl", "value_short": "Värde",
        "method": "Planerad med CP-SAT (trafikplan.plan.checks);",
        "summary": "Hastighetskontroll", "calendar": "Hastighetskontroller",
        "appendix": "Teknisk bilaga", "direct": "Varav på kontrollplatserna själva",
        "coverage": "Flaggat behov täckt direkt",
        "predictability": "Platstimmar använda de senaste 4 veckorna",
    },
    "en": {
        "title": "Speed checks week", "secret": "Internal – do not distribute.",
        "checks": "Checks", "value": "Plan value", "bound": "Upper bound on the week's value",
        "gap": "gap", "greedy": "Greedy baseline", "time": "Time", "site": "Site",
        "reason": "Reason", "value_short": "Value",
        "method": "Planned with CP-SAT (trafikplan.plan.checks);",
        "summary": "Speed check", "calendar": "Speed checks",
        "appendix": "Technical appendix", "direct": "Of it at the checks' own sites",
        "coverage": "Flagged need covered directly",
        "predictability": "Site-hours used in the last 4 weeks",
    },
}


_SHEET = {
    "sv": {
        "sheet_title": "Hastighetskontroller", "week": "vecka", "internal": "Internt",
        "team": "Grupp", "day": "Dag", "shift": "Pass", "brk": "Rast", "place": "Plats",
        "limit": "hastighetsgräns", "why": "Varför här och nu", "vehicles": "Kontrollerade fordon",
        "violations": "Över gränsen", "max_speed": "Högsta hastighet, km/h",
        "fines": "Böter", "warnings": "Varningar", "notes": "Anteckningar",
        "place_id": "Plats-id", "street": "Gata", "start": "Start", "end": "Slut",
        "return": "Fyll i resultatet och lämna bladet (eller checks-days.xlsx) till "
                  "planeraren: det läses in i checks_done nästa vecka.",
    },
    "en": {
        "sheet_title": "Speed checks", "week": "week", "internal": "Internal",
        "team": "Team", "day": "Day", "shift": "Shift", "brk": "Break", "place": "Place",
        "limit": "speed limit", "why": "Why here and now", "vehicles": "Vehicles checked",
        "violations": "Over the limit", "max_speed": "Highest speed, km/h",
        "fines": "Fines", "warnings": "Warnings", "notes": "Notes",
        "place_id": "Site id", "street": "Street", "start": "Start", "end": "End",
        "return": "Fill in the results and return the sheet (or checks-days.xlsx) to the "
                  "planner: it is imported into checks_done next week.",
    },
}

SHEET_COLUMNS = ("team", "start", "end", "site_id", "street", "vehicles_checked",
                 "violations", "max_speed", "fines", "warnings", "notes")
"""Columns of the team-day workbook: the ``checks_done`` import's layout (blank results)."""

_SOLVER_WORDS = re.compile(r"\s*\((upprepad kontroll på platsen: reducerat värde|repeated check "
                           r"at this site: reduced value)\)")


def team_slug(team: str) -> str:
    """Return a short file-name-safe form of a team name, distinct per name.

    :func:`trafikplan.io.files.safe_text.safe_slug`: ``Köping 1`` ->
    ``koping-1-<hash>``, ``Koping 1`` -> ``koping-1-<another hash>``, so two
    teams never share a calendar file or event UIDs.
    """
    return safe_slug(team)


def _num(x: float, lang: str) -> str:
    text = f"{x:.1f}"
    return text.replace(".", ",") if lang == "sv" else text


def render_checks_html(plan: CheckPlan, settings: Settings) -> str:
    """Return the printable plan: one section per team, one table per day.

    Parameters
    ----------
    plan : CheckPlan
        The plan (:func:`trafikplan.plan.checks.plan_checks`).
    settings : Settings
        ``municipality``, ``language``, ``timezone``.

    Returns
    -------
    str
        A self-contained HTML page (inline CSS, A4 print layout, no external
        resources); every text is escaped by jinja2's autoescape.
    """
    from jinja2 import Environment, PackageLoader, select_autoescape

    lang = settings.language
    env = Environment(loader=PackageLoader("trafikplan", "report/templates"),
                      autoescape=select_autoescape(["html", "j2"]), finalize=finalize)
    share = _num(100 * plan.direct_value / plan.value, lang) if plan.value > 0 else "-"
    checks = plan.checks.copy()
    teams = []
    for team, grp in checks.groupby("team", sort=True):
        days = []
        local = grp.sort_values("start")
        for day, dgrp in local.groupby(local["start"].dt.date, sort=True):
            label = f"{_WEEKDAYS[lang][day.weekday()]} {day.isoformat()}"
            days.append({"label": label, "checks": [{
                "start": r.start.strftime("%H:%M"), "end": r.end.strftime("%H:%M"),
                "street": r.street, "site_id": r.site_id, "reason": _plain(r.reason),
            } for r in table_rows(dgrp)]})
        teams.append({"name": team, "days": days})
    return env.get_template("checks.html.j2").render(
        lang=lang, t=_TEXT[lang], week=plan.week, municipality=settings.municipality,
        n_checks=len(checks), value=_num(plan.value, lang), bound=_num(plan.bound, lang),
        gap=f"{100 * plan.gap:.1f} %", greedy=_num(plan.greedy_value, lang),
        direct=f"{_num(plan.direct_value, lang)} ({share} %)",
        coverage=f"{_num(100 * plan.coverage, lang)} %",
        predictability=f"{_num(100 * plan.predictability, lang)} %",
        messages=plan.messages, teams=teams, seed=plan.log.get("seed"),
        ortools=plan.log.get("ortools", ""),
    )


def _plain(reason: str) -> str:
    """Return the reason in one line without solver words (they belong in the appendix)."""
    return " ".join(_SOLVER_WORDS.sub("", str(reason)).split())


def _hhmm(ts: pd.Timestamp) -> str:
    return ts.strftime("%H:%M")


def render_team_days_html(plan: CheckPlan, settings: Settings) -> str:
    """Return the printable team-day sheets: one page per team and day, standing alone.

    Each page names the week, "Internt", the team, the shift times and the break;
    per check the time, the place (street, section, site, speed limit, coordinates
    and a map link), why in one line of plain language, and blank result fields
    named in the reader's language, in the order of the ``checks_done`` import
    (filled in, its ``checks-days.xlsx`` twin is imported next week). No solver words.
    """
    from jinja2 import Environment, PackageLoader, select_autoescape

    lang = settings.language
    env = Environment(loader=PackageLoader("trafikplan", "report/templates"),
                      autoescape=select_autoescape(["html", "j2"]), finalize=finalize)
    shifts = plan.shifts if len(plan.shifts) else pd.DataFrame(
        columns=["team", "start", "end", "break_start", "break_end"])
    sheets = []
    checks = plan.checks.sort_values(["team", "start"])
    for (team, key), grp in checks.groupby([checks["team"], checks["start"].dt.date],
                                           sort=True):
        day = cast(dt.date, key)  # a value of the column of dates
        sh = shifts[(shifts["team"] == team) & (shifts["start"] <= grp["start"].min())
                    & (shifts["end"] >= grp["end"].max())]
        shift_text, brk = "", ""
        if len(sh):
            row = sh.iloc[0]
            shift_text = f"{row['start'].strftime('%Y-%m-%d %H:%M')}–{_hhmm(row['end'])}"
            if pd.notna(row["break_start"]):
                brk = f"{_hhmm(row['break_start'])}–{_hhmm(row['break_end'])}"
        rows = []
        for r in table_rows(grp):
            lat, lon = float(r.lat), float(r.lon)
            limit = getattr(r, "speed_limit", float("nan"))
            rows.append({
                "start": _hhmm(r.start), "end": _hhmm(r.end), "street": r.street,
                "section": getattr(r, "section", "") or "", "site_id": r.site_id,
                "limit": "" if pd.isna(limit) else f"{limit:.0f}",
                "coords": f"{lat:.5f}, {lon:.5f}",
                "map": f"https://www.openstreetmap.org/?mlat={lat:.5f}&mlon={lon:.5f}"
                       f"#map=17/{lat:.5f}/{lon:.5f}",
                "reason": _plain(r.reason),
            })
        sheets.append({"team": team, "day": f"{_WEEKDAYS[lang][day.weekday()]} {day}",
                       "shift": shift_text, "brk": brk, "checks": rows})
    return env.get_template("team_days.html.j2").render(
        lang=lang, t=_SHEET[lang], week=plan.week, municipality=settings.municipality,
        sheets=sheets)


def team_day_rows(plan: CheckPlan) -> pd.DataFrame:
    """Return the plan in the ``checks_done`` layout with blank results (:data:`SHEET_COLUMNS`).

    ``start``/``end`` are ISO 8601 local times with their offset (text), so the
    filled-in workbook is read back unambiguously by the ``checks_done_xlsx`` profile.
    """
    ch = plan.checks.sort_values(["team", "start", "site_id"])
    out = pd.DataFrame({
        "team": ch["team"].astype(str).to_numpy(),
        "start": [t.isoformat() for t in ch["start"]],
        "end": [t.isoformat() for t in ch["end"]],
        "site_id": ch["site_id"].astype(str).to_numpy(),
        "street": ch["street"].astype(str).to_numpy(),
    })
    for c in SHEET_COLUMNS[5:]:
        out[c] = ""
    return out


def write_team_day_xlsx(rows: pd.DataFrame, path: Path, language: str = "sv") -> Path:
    """Write the team-day workbook, 0600.

    Row 1 names the columns for the person filling it in (Swedish, or English with
    ``language = "en"``); row 2 holds the ``checks_done`` import's column names (grey:
    the import finds its header there, :data:`SHEET_COLUMNS`); the checks follow.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.worksheet import Worksheet

    from trafikplan.io.files.atomic import atomic_path
    from trafikplan.report.export import neutralise

    t = _SHEET["en" if language == "en" else "sv"]
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook's one sheet
    ws.title = "checks_done"
    ws.append([t["team"], t["start"], t["end"], t["place_id"], t["street"], t["vehicles"],
               t["violations"], t["max_speed"], t["fines"], t["warnings"], t["notes"]])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.append(list(SHEET_COLUMNS))
    for cell in ws[2]:
        cell.font = Font(color="FF888888", size=8)
    for rec in table_rows(rows[list(SHEET_COLUMNS)]):
        ws.append([neutralise(v) if isinstance(v, str) and v else None for v in rec])
    for col, width in zip("ABCDEFGHIJK", (24, 26, 26, 8, 22, 16, 10, 10, 7, 9, 30),
                          strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A3"
    with atomic_path(Path(path), private=True) as tmp:
        wb.save(tmp)
    return Path(path)


def calendar_events(plan: CheckPlan, settings: Settings) -> dict[str, pd.DataFrame]:
    """Return one events table per team for :func:`trafikplan.report.calendar.write_calendar`.

    Returns
    -------
    dict of str to DataFrame
        Team name -> ``uid, start, end, summary, description, location, lat, lon``.
    """
    from trafikplan.plan.issued import assign_uids

    text = _TEXT[settings.language]
    checks = plan.checks
    if "uid" not in checks.columns:
        checks, _ = assign_uids(checks, None, plan.week, settings.timezone)
    out = {}
    for team, grp in checks.groupby("team", sort=True):
        grp = grp.sort_values(["start", "site_id"]).reset_index(drop=True)
        out[str(team)] = _events(grp, text, "CONFIRMED")
    return out


def _events(grp: pd.DataFrame, text: dict, status: str) -> pd.DataFrame:
    return pd.DataFrame({
        "uid": grp["uid"].astype(str), "start": grp["start"], "end": grp["end"],
        "summary": [f"{text['summary']}: {s}" for s in grp["street"]],
        "description": grp["reason"].astype(str) if "reason" in grp.columns else "",
        "location": [f"{s} ({i})" for s, i in zip(grp["street"], grp["site_id"], strict=True)],
        "lat": grp["lat"].astype(float) if "lat" in grp.columns else float("nan"),
        "lon": grp["lon"].astype(float) if "lon" in grp.columns else float("nan"),
        "sequence": grp["sequence"].astype(int), "status": status,
    })


def write_check_plan(plan: CheckPlan, out_dir: Path, settings: Settings, *,
                     cancelled: pd.DataFrame | None = None) -> list[Path]:
    """Write ``checks.csv``, ``checks.html`` and ``checks-<team>.ics`` into ``out_dir``.

    Parameters
    ----------
    plan : CheckPlan
        The plan.
    cancelled : DataFrame, optional
        Checks of the issued version that the plan drops (``team, start, end,
        site_id, street, uid, sequence``): each is added to its team's calendar
        as cancelled and written to ``checks-<team>-cancel.ics`` (METHOD:CANCEL).
    out_dir : Path
        Created if missing.
    settings : Settings
        Language, time zone, municipality.

    Returns
    -------
    list of Path
        The files written, each with mode 0600.
    """
    out_dir = make_dir(Path(out_dir), private=True)
    tz = settings.timezone
    csv = plan.checks[list(PLAN_CSV_COLUMNS)].copy()
    csv["start"] = csv["start"].dt.tz_convert(tz)
    csv["end"] = csv["end"].dt.tz_convert(tz)
    csv["value"] = csv["value"].round(4)
    written = [write_table(csv, out_dir / "checks.csv", private=True)]
    written.append(write_text(out_dir / "checks.html", render_checks_html(plan, settings),
                              private=True))
    written.append(write_text(out_dir / "checks-days.html",
                              render_team_days_html(plan, settings), private=True))
    written.append(write_team_day_xlsx(team_day_rows(plan), out_dir / "checks-days.xlsx",
                                       settings.language))
    stamp = pd.Timestamp(plan.log.get("week_start", "2000-01-01T00:00:00Z")).to_pydatetime()
    name = _TEXT[settings.language]["calendar"]
    events = calendar_events(plan, settings)
    gone = {}
    if cancelled is not None and len(cancelled):
        text = _TEXT[settings.language]
        for team, grp in cancelled.groupby("team", sort=True):
            grp = grp.assign(start=pd.to_datetime(grp["start"], utc=True).dt.tz_convert(tz),
                             end=pd.to_datetime(grp["end"], utc=True).dt.tz_convert(tz))
            gone[str(team)] = _events(grp, text, "CANCELLED")
    for team in sorted(set(events) | set(gone)):
        parts = [e for e in (events.get(team), gone.get(team)) if e is not None]
        path = out_dir / f"checks-{team_slug(team)}.ics"
        written.append(write_calendar(pd.concat(parts, ignore_index=True), path,
                                      name=f"{name} {team} {plan.week}", tz=tz, stamp=stamp,
                                      private=True))
        if team in gone:
            written.append(write_calendar(gone[team], out_dir / f"checks-{team_slug(team)}"
                                          "-cancel.ics", name=f"{name} {team} {plan.week}",
                                          tz=tz, stamp=stamp, private=True, method="CANCEL"))
    return written
