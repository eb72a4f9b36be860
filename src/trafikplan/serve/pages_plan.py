"""The police planner's pages and API: the week, its edits, "planera om", issuing, results.

Role ``police`` only (every route here is made with :data:`~trafikplan.serve.web.POLICE`).
Edits are written to ``DATA_DIR/plan_edits.toml`` in the format ``trafikplan plan
checks`` reads (:mod:`trafikplan.plan.edits`): "lås" adds a ``[[lock]]`` of
the check, "flytta" a ``[[lock]]`` at its new start the same day, "ta bort" a
``[[forbid]]`` of its site during its time, "borta" an
``[[away]]`` of a team, "spärra" a ``[[forbid]]`` of a site and/or hours.
Planning runs in the background (:mod:`trafikplan.serve.jobs`); issuing writes
the files of ``plan checks -o`` into ``OUT/checks-<week>/``.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response

from trafikplan._errors import InputError
from trafikplan.i18n.phrase import Phrase
from trafikplan.serve import plan_view, planning, views
from trafikplan.serve.uploads import import_job, save_uploads
from trafikplan.serve.web import POLICE, ServeState, page, route

__all__ = [
    "ENTERED_FILE",
    "checks_done_enter",
    "checks_done_form",
    "checks_done_upload",
    "delete_edit",
    "forbid",
    "issue",
    "issued_file",
    "lock_check",
    "move_check",
    "plan_start",
    "remove_check",
    "replan",
    "routes",
    "team_away",
    "week_api",
    "week_page",
]


def _week(request: Request) -> str:
    from trafikplan.weeks import iso_week

    return iso_week(request.path_params["week"])


def _fail(request: Request, message: str, status: int = 400) -> Response:
    return page(request, "message.html.j2", {"title": message, "message": message},
                status_code=status)


def _bad_edit(request: Request, exc: Exception) -> Response:
    from trafikplan.i18n import text

    lang = request.app.state.serve.language
    return _fail(request, text("serve_bad_edit", lang, error=views.one_line(exc, lang)))


async def plan_start(request: Request) -> Response:
    """Pick a week (``?week=``) or go to the roster's coming week."""
    state: ServeState = request.app.state.serve
    tab = await run_in_threadpool(views.tables, state)
    week = request.query_params.get("week")
    try:
        from trafikplan.weeks import iso_week

        week = iso_week(week) if week else plan_view.default_week(state, tab.settings.timezone)
    except InputError as exc:
        return _fail(request, views.one_line(exc, state.language))
    return RedirectResponse(f"/plan/{week}", status_code=303)


async def week_page(request: Request) -> Response:
    """Show the week: the plan on a map and by team and day, the edits, the buttons."""
    state: ServeState = request.app.state.serve
    try:
        week = _week(request)
        tab = await run_in_threadpool(views.tables, state)
        ctx = await run_in_threadpool(plan_view.week_view, state, week, tab)
    except InputError as exc:
        return _fail(request, views.one_line(exc, state.language))
    return page(request, "week.html.j2", ctx)


async def week_api(request: Request) -> Response:
    """Return the week's plan as JSON (``team, start, end, site_id, street, reason, locked``)."""
    state: ServeState = request.app.state.serve
    try:
        week = _week(request)
        tab = await run_in_threadpool(views.tables, state)
        ctx = await run_in_threadpool(plan_view.week_view, state, week, tab)
    except InputError as exc:
        return JSONResponse({"error": views.one_line(exc, state.language)}, status_code=400)
    keys = ("team", "start", "end", "site_id", "street", "reason", "locked")
    return JSONResponse({"week": week, "source": ctx["source"],
                         "checks": [{k: c[k] for k in keys} for c in ctx["checks"]],
                         "edits": ctx["edits"]})


def _time(text: str, tz: str, what: str) -> pd.Timestamp:
    try:
        ts = pd.Timestamp(text)
    except ValueError:
        ts = None
    if ts is None or pd.isna(ts):
        raise InputError("err_form_time", what=Phrase(what), value=text)
    return (ts.tz_localize(tz) if ts.tz is None else ts).tz_convert("UTC")


def _span(form, tz: str, w0: pd.Timestamp, w1: pd.Timestamp) -> tuple:
    """Start and end (UTC) of a form's date + from/to times; the whole week without a date."""
    date = str(form.get("date", "")).strip()
    if not date:
        return w0.tz_convert("UTC"), w1.tz_convert("UTC")
    day = dt.date.fromisoformat(date)
    start = str(form.get("from", "")).strip() or "00:00"
    end = str(form.get("to", "")).strip()
    s = _time(f"{day.isoformat()}T{start}", tz, "serve_from")
    e = (_time(f"{day.isoformat()}T{end}", tz, "serve_to") if end and end not in ("24:00",)
         else _time(f"{(day + dt.timedelta(days=1)).isoformat()}T00:00", tz, "serve_to"))
    if e <= s:
        raise InputError("err_form_end_first", end=end, start=start)
    return s, e


async def _edit(request: Request, change) -> Response:
    """Apply ``change(form, edits, tz, week bounds)`` to plan_edits.toml and log it."""
    from trafikplan.weeks import week_bounds

    state: ServeState = request.app.state.serve
    form = await request.form()
    try:
        week = _week(request)
        tz = (await run_in_threadpool(views.tables, state)).settings.timezone
        w0, w1 = week_bounds(week, tz)
        with state.lock:
            edits = planning.read_plan_edits(state.data_dir, tz)
            what, detail = change(form, edits, tz, w0, w1)
            for frame in (edits.lock, edits.forbid, edits.away):
                for c in ("start", "end"):
                    frame[c] = pd.to_datetime(frame[c], utc=True)
            planning.write_plan_edits(state.data_dir, edits, tz)
    except (InputError, ValueError, KeyError, IndexError) as exc:
        return _bad_edit(request, exc)
    state.log_change(request.state.user, what, f"{week} {detail}")
    return RedirectResponse(f"/plan/{week}", status_code=303)


def _append(edits, kind: str, row: dict) -> None:
    frame = getattr(edits, kind)
    setattr(edits, kind, pd.concat([frame, pd.DataFrame([row])], ignore_index=True)
            if len(frame) else pd.DataFrame([row], columns=list(frame.columns)))


def _check_of(form, tz: str) -> dict:
    return {"team": str(form["team"]), "site_id": str(form["site_id"]),
            "start": _time(str(form["start"]), tz, "start"),
            "end": _time(str(form["end"]), tz, "end")}


async def lock_check(request: Request) -> Response:
    """Lock a check of the plan shown: it stays in every re-plan of the week."""
    def change(form, edits, tz, w0, w1):
        c = _check_of(form, tz)
        _append(edits, "lock", c)
        return "lock", f"{c['team']} {c['site_id']} {c['start'].isoformat()}"
    return await _edit(request, change)


async def remove_check(request: Request) -> Response:
    """Remove a check: its site is forbidden during its time (and its lock dropped)."""
    def change(form, edits, tz, w0, w1):
        c = _check_of(form, tz)
        lk = edits.lock
        edits.lock = lk.loc[~((lk["team"] == c["team"]) & (lk["site_id"] == c["site_id"])
                              & (pd.to_datetime(lk["start"], utc=True) == c["start"]))]
        _append(edits, "forbid", {"site_id": c["site_id"], "start": c["start"], "end": c["end"]})
        return "remove", f"{c['team']} {c['site_id']} {c['start'].isoformat()}"
    return await _edit(request, change)


async def move_check(request: Request) -> Response:
    """Move a check to another start on its day: locked there, its old lock dropped."""
    def change(form, edits, tz, w0, w1):
        c = _check_of(form, tz)
        day = c["start"].tz_convert(tz).date().isoformat()
        start = _time(f"{day}T{str(form['to_time']).strip()}", tz, "to_time")
        lk = edits.lock
        edits.lock = lk.loc[~((lk["team"] == c["team"]) & (lk["site_id"] == c["site_id"])
                              & (pd.to_datetime(lk["start"], utc=True) == c["start"]))]
        _append(edits, "lock", {**c, "start": start, "end": start + (c["end"] - c["start"])})
        return "move", f"{c['team']} {c['site_id']} {c['start'].isoformat()} -> {start.isoformat()}"
    return await _edit(request, change)


async def team_away(request: Request) -> Response:
    """Mark a team unavailable for a day or part of it (the whole week without a date)."""
    def change(form, edits, tz, w0, w1):
        team = str(form["team"]).strip()
        if not team:
            raise InputError("err_form_no_team")
        s, e = _span(form, tz, w0, w1)
        _append(edits, "away", {"team": team, "start": s, "end": e})
        return "away", f"{team} {s.isoformat()} {e.isoformat()}"
    return await _edit(request, change)


async def forbid(request: Request) -> Response:
    """Forbid a site (or every site) for the week, a day or some hours of a day."""
    def change(form, edits, tz, w0, w1):
        site = str(form.get("site_id", "")).strip()
        s, e = _span(form, tz, w0, w1)
        _append(edits, "forbid", {"site_id": site, "start": s, "end": e})
        return "forbid", f"{site or '*'} {s.isoformat()} {e.isoformat()}"
    return await _edit(request, change)


async def delete_edit(request: Request) -> Response:
    """Take back one edit (by kind and position in plan_edits.toml)."""
    def change(form, edits, tz, w0, w1):
        kind = str(form["kind"])
        if kind not in ("lock", "forbid", "away"):
            raise InputError(kind)
        frame = getattr(edits, kind)
        k = int(str(form["index"]))
        row = frame.iloc[k]
        setattr(edits, kind, frame.drop(frame.index[k]).reset_index(drop=True))
        return f"undo-{kind}", " ".join(str(v) for v in row.to_numpy())
    return await _edit(request, change)


async def replan(request: Request) -> Response:
    """Re-plan the week in the background with the edits ("planera om")."""
    from trafikplan.i18n import text

    state: ServeState = request.app.state.serve
    user = request.state.user
    try:
        week = _week(request)
    except InputError as exc:
        return _fail(request, views.one_line(exc, state.language))

    def work(job):
        job.message = text("working_checks", state.language, week=week)
        planned = planning.plan_week(state.data_dir, week, time_limit_s=state.time_limit_s)
        state.drafts[week] = planned
        state.log_change(user, "replan", f"{week}: {len(planned.plan.checks)}")
        return planned

    job = state.jobs.start("plan", user.name, user.role, work,
                           next_url=lambda _: f"/plan/{week}",
                           describe_error=lambda e: views.one_line(e, state.language))
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


async def issue(request: Request) -> Response:
    """Issue the re-planned week: the files of ``plan checks -o`` and the store's archive."""
    from trafikplan.i18n import text

    state: ServeState = request.app.state.serve
    week = _week(request)
    planned = state.drafts.get(week)
    if planned is None:
        return _fail(request, text("serve_nothing_to_issue", state.language, week=week))
    out = plan_view.issued_dir(state, week)
    written = await run_in_threadpool(planning.issue, state.data_dir, planned, out)
    state.drafts.pop(week, None)
    state.issued[week] = planned
    state.log_change(request.state.user, "issue",
                     f"{week}: {len(planned.plan.checks)} -> {out} ({len(written)})")
    return RedirectResponse(f"/plan/{week}", status_code=303)


async def issued_file(request: Request) -> Response:
    """One issued file of the week (calendar, sheets, CSV) for download."""
    state: ServeState = request.app.state.serve
    folder = plan_view.issued_dir(state, _week(request))
    name = request.path_params["name"]
    path = folder / name
    if "/" in name or name.startswith(".") or not path.is_file():
        return JSONResponse({"error": "no such file"}, status_code=404)
    return FileResponse(path, filename=name)


async def checks_done_form(request: Request) -> Response:
    """Enter a completed check, or upload the filled-in team-day sheets."""
    state: ServeState = request.app.state.serve
    tab = await run_in_threadpool(views.tables, state)
    teams = sorted(set(plan_view.roster(state, tab.settings.timezone)["team"].astype(str)))
    sites = [{"id": str(s), "street": str(st)} for s, st in
             zip(tab.sites["site_id"], tab.sites["street"], strict=True)]
    return page(request, "checks_done.html.j2", {"title": "", "teams": teams, "sites": sites})


ENTERED_FILE = "checks_done/inmatade_kontroller.csv"
"""Completed checks entered in the browser (one CSV the import reads like any other)."""


async def checks_done_enter(request: Request) -> Response:
    """Append one completed check to ``checks_done/inmatade_kontroller.csv`` and import it."""
    import csv
    import io

    from trafikplan.io.files.atomic import write_text

    state: ServeState = request.app.state.serve
    form = await request.form()
    tz = (await run_in_threadpool(views.tables, state)).settings.timezone
    try:
        day = dt.date.fromisoformat(str(form["date"]))
        start = _time(f"{day}T{form['from']}", tz, "from").tz_convert(tz)
        end = _time(f"{day}T{form['to']}", tz, "to").tz_convert(tz)
        row = [str(form["team"]), start.isoformat(), end.isoformat(), str(form["site_id"]),
               str(int(str(form["vehicles_checked"]))), str(int(str(form["violations"]))),
               str(form.get("max_speed", "")).strip()]
    except (KeyError, ValueError, InputError) as exc:
        return _bad_edit(request, exc)
    path = state.data_dir / ENTERED_FILE
    old = path.read_text(encoding="utf-8") if path.is_file() else None
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    if old is None:
        writer.writerow(["team", "start", "end", "site_id", "vehicles_checked", "violations",
                         "max_speed"])
    writer.writerow(row)
    write_text(path, (old or "") + buf.getvalue(), private=True)
    job = import_job(state, request.state.user, [ENTERED_FILE], next_base="/import/result",
                     restore={ENTERED_FILE: old})
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


async def checks_done_upload(request: Request) -> Response:
    """Save uploaded completed-check files into ``checks_done/`` and import them."""
    state: ServeState = request.app.state.serve
    form = await request.form(max_files=20, max_fields=20)
    saved, error = await save_uploads(state, form.getlist("files"), "checks_done")
    if error:
        return _fail(request, error)
    job = import_job(state, request.state.user, saved, next_base="/import/result")
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


def routes() -> list:
    """Return this module's routes (all ``police`` only)."""
    w = "/plan/{week:str}"
    post = ("POST",)
    return [
        route("/plan", plan_start, POLICE),
        route(w, week_page, POLICE),
        route(f"{w}/lock", lock_check, POLICE, methods=post),
        route(f"{w}/remove", remove_check, POLICE, methods=post),
        route(f"{w}/move", move_check, POLICE, methods=post),
        route(f"{w}/away", team_away, POLICE, methods=post),
        route(f"{w}/forbid", forbid, POLICE, methods=post),
        route(f"{w}/edits/delete", delete_edit, POLICE, methods=post),
        route(f"{w}/replan", replan, POLICE, methods=post),
        route(f"{w}/issue", issue, POLICE, methods=post),
        route(w + "/files/{name:str}", issued_file, POLICE),
        route("/api/plan/{week:str}", week_api, POLICE),
        route("/checks-done", checks_done_form, POLICE),
        route("/checks-done", checks_done_enter, POLICE, methods=post, name="checks_done_post"),
        route("/checks-done/upload", checks_done_upload, POLICE, methods=post),
    ]
