"""What the police planner's week page shows: the plan by team and day, its map, the edits.

The plan shown is, in this order: the week re-planned in this server and not
yet issued (a draft), the version issued from this server, or the version saved
in the data folder's store (issued from here or by ``plan checks -o``; the
store keeps no reasons, so none are shown for it).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from trafikplan.columns import table_rows
from trafikplan.serve import planning

if TYPE_CHECKING:
    from trafikplan.plan.edits import PlanEdits
    from trafikplan.serve.web import ServeState

__all__ = [
    "TEAM_COLOURS",
    "current",
    "default_week",
    "edit_rows",
    "issued_dir",
    "roster",
    "week_view",
]

TEAM_COLOURS = ("#1f618d", "#b03a2e", "#117a65", "#7d3c98", "#b9770e", "#2e4053",
                "#a04000", "#1e8449")
"""Marker colour per team on the plan's map (teams in name order)."""


def roster(state: ServeState, tz: str) -> pd.DataFrame:
    """Return ``roster.csv`` (empty when there is none)."""
    from trafikplan.io.user_tables.roster import ROSTER_FILE, read_roster

    path = state.data_dir / ROSTER_FILE
    if not path.is_file():
        return pd.DataFrame(columns=["team", "start", "end"])
    return read_roster(path, tz=tz)


def default_week(state: ServeState, tz: str) -> str:
    """Return the first week of the roster that has not ended, else the roster's last week."""
    from trafikplan.weeks import week_of

    shifts = roster(state, tz)
    now = pd.Timestamp.now(tz="UTC")
    if shifts.empty:
        return week_of(now.tz_convert(tz))
    ends = pd.to_datetime(shifts["end"], utc=True)
    coming = shifts.loc[ends >= now]
    pick = coming["start"].min() if len(coming) else shifts["start"].max()
    return week_of(pd.Timestamp(pick).tz_convert(tz))


def current(state: ServeState, week: str) -> tuple[pd.DataFrame | None, str, Any]:
    """Return the plan to show (``checks``), where it comes from and its Planned (or None).

    The source is ``draft``, ``issued`` or ``""`` (no plan yet).
    """
    if week in state.drafts:
        return state.drafts[week].plan.checks, "draft", state.drafts[week]
    if week in state.issued:
        return state.issued[week].plan.checks, "issued", state.issued[week]
    saved = planning.issued_plan(state.data_dir, week)
    if saved is not None:
        return saved, "issued", None
    return None, "", None


def _hhmm(ts: pd.Timestamp) -> str:
    return ts.strftime("%H:%M")


def _overlaps(start, end, w0: pd.Timestamp, w1: pd.Timestamp) -> bool:
    return (pd.isna(start) or start < w1) and (pd.isna(end) or end > w0)


def _span_text(start, end, tz: str, t: dict) -> str:
    def one(x):
        if pd.isna(x):
            return "…"
        x = pd.Timestamp(x).tz_convert(tz)
        return f"{t['weekday_names'][x.weekday()]} {x.strftime('%d/%m %H:%M')}"

    if pd.isna(start) and pd.isna(end):
        return t["serve_whole_time"]
    return f"{one(start)} – {one(end)}"


def edit_rows(edits: PlanEdits, w0: pd.Timestamp, w1: pd.Timestamp, tz: str,
              t: dict) -> list[dict[str, Any]]:
    """Return the edits that touch the week, one row each (kind, index, what, when)."""
    rows = []
    for kind in ("lock", "forbid", "away"):
        frame = getattr(edits, kind)
        for k, r in enumerate(table_rows(frame)):
            if not _overlaps(r.start, r.end, w0, w1):
                continue
            who = " ".join(str(getattr(r, c)) for c in ("team", "site_id") if getattr(r, c, None))
            rows.append({"kind": kind, "index": k, "name": t[f"serve_edit_{kind}"],
                         "what": who or t["serve_all_sites"],
                         "when": _span_text(r.start, r.end, tz, t)})
    return rows


def _is_locked(row: dict, locks: pd.DataFrame) -> bool:
    if locks.empty:
        return False
    hit = ((locks["team"] == row["team"]) & (locks["site_id"] == row["site_id"])
           & (locks["start"] == row["start_utc"]))
    return bool(hit.any())


def week_view(state: ServeState, week: str, tables) -> dict[str, Any]:
    """Return the week page's context (module docstring)."""
    from trafikplan.i18n import texts
    from trafikplan.report import site_map
    from trafikplan.weeks import week_bounds

    settings = tables.settings
    tz = settings.timezone
    t = texts(state.language)
    w0, w1 = week_bounds(week, tz)
    edits = planning.read_plan_edits(state.data_dir, tz)
    checks, source, planned = current(state, week)
    shifts = roster(state, tz)
    shifts = shifts.loc[(pd.to_datetime(shifts["end"], utc=True) > w0)
                        & (pd.to_datetime(shifts["start"], utc=True) < w1)]
    days = [(w0 + pd.Timedelta(days=k)).date() for k in range(7)]
    teams = sorted(set(shifts["team"].astype(str))
                   | (set(checks["team"].astype(str)) if checks is not None else set()))
    colour = {team: TEAM_COLOURS[k % len(TEAM_COLOURS)] for k, team in enumerate(teams)}
    grid: dict[str, dict[Any, dict[str, list[Any]]]] = {
        team: {d: {"shifts": [], "away": [], "checks": []} for d in days} for team in teams}
    for r in table_rows(shifts):
        s, e = pd.Timestamp(r.start).tz_convert(tz), pd.Timestamp(r.end).tz_convert(tz)
        if s.date() in grid[str(r.team)]:
            grid[str(r.team)][s.date()]["shifts"].append(f"{_hhmm(s)}–{_hhmm(e)}")
    for r in table_rows(edits.away):
        for d in days:
            d0 = pd.Timestamp(d).tz_localize(tz)
            if r.team in grid and _overlaps(r.start, r.end, d0, d0 + pd.Timedelta(days=1)):
                grid[r.team][d]["away"].append(_span_text(r.start, r.end, tz, t))
    sites = tables.sites.set_index(tables.sites["site_id"].astype(str))
    rows: list[dict[str, Any]] = []
    if checks is not None:
        for r in table_rows(checks.sort_values(["start", "team"])):
            s = pd.Timestamp(r.start).tz_convert(tz)
            e = pd.Timestamp(r.end).tz_convert(tz)
            sid = str(r.site_id)
            row = {"team": str(r.team), "site_id": sid, "street": str(getattr(r, "street", "")),
                   "start": s.isoformat(), "end": e.isoformat(),
                   "start_utc": s.tz_convert("UTC"), "time": f"{_hhmm(s)}–{_hhmm(e)}",
                   "day": t["weekday_names"][s.weekday()],
                   "reason": str(getattr(r, "reason", "") or ""),
                   "lat": float(sites.loc[sid, "lat"]) if sid in sites.index else None,
                   "lon": float(sites.loc[sid, "lon"]) if sid in sites.index else None}
            row["locked"] = _is_locked(row, edits.lock)
            rows.append(row)
            if row["team"] in grid and s.date() in grid[row["team"]]:
                grid[row["team"]][s.date()]["checks"].append(row)
    by_site: dict[str, dict[str, Any]] = {}
    for row in rows:
        if row["lat"] is None or pd.isna(row["lat"]):
            continue
        m = by_site.setdefault(row["site_id"], {
            "id": row["site_id"], "street": row["street"], "lat": row["lat"],
            "lon": row["lon"], "colour": colour.get(row["team"], "#555"), "kind": "",
            "rank": 0, "anchor": ""})
        m["kind"] += f"{row['team']}: {row['day']} {row['time']}; "
    map_data = {"sites": list(by_site.values()), "streets": [],
                "legend": [{"colour": colour[team], "name": team} for team in teams],
                "tiles": site_map.TILE_URL, "attribution": "© OpenStreetMap",
                "street_only": ""}
    out_dir = issued_dir(state, week)
    files = sorted(p.name for p in out_dir.iterdir() if p.is_file()) \
        if out_dir.is_dir() else []
    from trafikplan.i18n import code

    status = code("solver_status", planned.plan.status, state.language) if planned else ""
    return {"title": week, "week": week, "source": source, "planned": planned, "status": status,
            "days": [{"date": d, "name": f"{t['weekday_names'][d.weekday()]} "
                      f"{d.strftime('%d/%m')}", "iso": d.isoformat()} for d in days],
            "teams": [{"name": team, "colour": colour[team]} for team in teams],
            "grid": grid, "checks": rows, "map_data": map_data,
            "edits": edit_rows(edits, w0, w1, tz, t),
            "sites": [{"id": str(s), "street": str(st)} for s, st in
                      zip(tables.sites["site_id"], tables.sites["street"], strict=True)],
            "files": files, "running": state.jobs.running("plan")}


def issued_dir(state: ServeState, week: str) -> Path:
    """Return the folder of the week's issued files (``OUT/checks-<week>``)."""
    return state.out_dir / f"checks-{week}"
