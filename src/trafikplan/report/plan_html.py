"""The speed-check plan as files: ``checks.csv``, printable ``checks.html``, one ``.ics`` per team.

Every file is created readable by the owner only (0600): a plan tells drivers
where the police will be. The same plan gives byte-identical files (no
generation time anywhere; the calendars' DTSTAMP is the week's start). The
calendar UIDs name the team, site and local date of a check
(:func:`trafikplan.plan.issued.assign_uids`), so re-importing an updated plan
of the same week updates the events instead of doubling them: a moved check
has a higher SEQUENCE, a removed one comes again with STATUS:CANCELLED (and
in ``checks-<team>-cancel.ics``, METHOD:CANCEL).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from trafikplan.report.calendar import write_calendar
from trafikplan.report.export import write_table
from trafikplan.report.files import make_dir, write_text

if TYPE_CHECKING:
    from trafikplan.plan.checks import CheckPlan
    from trafikplan.settings import Settings

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
    },
    "en": {
        "title": "Speed checks week", "secret": "Internal – do not distribute.",
        "checks": "Checks", "value": "Plan value", "bound": "Upper bound on the week's value",
        "gap": "gap", "greedy": "Greedy baseline", "time": "Time", "site": "Site",
        "reason": "Reason", "value_short": "Value",
        "method": "Planned with CP-SAT (trafikplan.plan.checks);",
        "summary": "Speed check", "calendar": "Speed checks",
    },
}


def team_slug(team: str) -> str:
    """Return a file-name-safe ASCII form of a team name (``Team Å 1`` -> ``team-a-1``)."""
    ascii_name = unicodedata.normalize("NFKD", team).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug or "team"


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
                      autoescape=select_autoescape(["html", "j2"]))
    checks = plan.checks.copy()
    teams = []
    for team, grp in checks.groupby("team", sort=True):
        days = []
        local = grp.sort_values("start")
        for day, dgrp in local.groupby(local["start"].dt.date, sort=True):
            label = f"{_WEEKDAYS[lang][day.weekday()]} {day.isoformat()}"
            days.append({"label": label, "checks": [{
                "start": r.start.strftime("%H:%M"), "end": r.end.strftime("%H:%M"),
                "street": r.street, "site_id": r.site_id, "reason": r.reason,
                "value": _num(r.value, lang),
            } for r in dgrp.itertuples(index=False)]})
        teams.append({"name": team, "days": days})
    return env.get_template("checks.html.j2").render(
        lang=lang, t=_TEXT[lang], week=plan.week, municipality=settings.municipality,
        n_checks=len(checks), value=_num(plan.value, lang), bound=_num(plan.bound, lang),
        gap=f"{100 * plan.gap:.1f} %", greedy=_num(plan.greedy_value, lang),
        messages=plan.messages, teams=teams, seed=plan.log.get("seed"),
        ortools=plan.log.get("ortools", ""),
    )


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
