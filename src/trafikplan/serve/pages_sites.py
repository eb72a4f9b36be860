"""The traffic engineer's pages: sites on a map, a site's survey report, imports, measurements.

Every user may open these (roles ``police`` and ``kommun``). The map and the
site report are the HTML report's own (:mod:`trafikplan.report.site_map`,
:mod:`trafikplan.report.site_report`); an upload is imported by the same
import as ``trafikplan import`` and, when the import refuses it, the uploaded
files are removed again, so the folder is as it was.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from trafikplan.serve import views
from trafikplan.serve.uploads import import_job, save_uploads
from trafikplan.serve.web import ANY, ServeState, forbidden, page, route

__all__ = [
    "import_form",
    "import_result",
    "import_upload",
    "measurements_form",
    "measurements_run",
    "routes",
    "site_page",
    "sites_page",
]


async def sites_page(request: Request) -> Response:
    """Show the sites on a Leaflet map coloured by what was found, and a table of them."""
    state: ServeState = request.app.state.serve
    ctx = await run_in_threadpool(views.sites_view, state)
    return page(request, "sites.html.j2", ctx)


async def site_page(request: Request) -> Response:
    """One site's speed-survey report (the per-site report of ``trafikplan report --site``)."""
    from trafikplan.i18n import text

    state: ServeState = request.app.state.serve
    site_id = request.path_params["site_id"]
    site = await run_in_threadpool(views.site_view, state, site_id)
    if site is None:
        message = text("serve_no_such_site", state.language, site=site_id)
        return page(request, "message.html.j2", {"title": message, "message": message},
                    status_code=404)
    return page(request, "site.html.j2", {"title": site_id, "site": site})


async def import_form(request: Request) -> Response:
    """Show the upload form for counter and Embrace files."""
    return page(request, "import.html.j2", {"title": ""})


async def import_upload(request: Request) -> Response:
    """Save the uploaded files into their raw folder and import them in the background."""
    state: ServeState = request.app.state.serve
    form = await request.form(max_files=20, max_fields=20)
    folder = "embrace" if form.get("kind") == "embrace" else "counters"
    saved, error = await save_uploads(state, form.getlist("files"), folder)
    if error:
        return page(request, "message.html.j2", {"title": error, "message": error},
                    status_code=400)
    job = import_job(state, request.state.user, saved, next_base="/import/result")
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


async def import_result(request: Request) -> Response:
    """Show what the import did: its files, what the store holds, the rows set aside."""
    state: ServeState = request.app.state.serve
    job = state.jobs.get(request.path_params["job_id"])
    if job is None or job.status != "done" or job.kind != "import":
        return RedirectResponse("/import", status_code=303)
    if job.role == "police" and request.state.user.role != "police":
        return forbidden(request)  # a police import may hold completed checks
    summary, names = job.result
    ctx = await run_in_threadpool(views.import_view, state, summary, names)
    return page(request, "import_result.html.j2", ctx)


async def measurements_form(request: Request) -> Response:
    """Show the measurement plan form (start date, weeks) and the latest plan."""
    state: ServeState = request.app.state.serve
    start = request.query_params.get("start") or _next_monday().isoformat()
    return page(request, "measurements.html.j2",
                {"title": "", "start": start, "weeks": 8,
                 "result": state.cache.get("measurement_plan")})


def _next_monday() -> dt.date:
    today = dt.datetime.now(dt.UTC).date()
    return today + dt.timedelta(days=7 - today.weekday())


async def measurements_run(request: Request) -> Response:
    """Plan the counter deployments in the background (as ``trafikplan plan measurements``)."""
    from trafikplan.i18n import text

    state: ServeState = request.app.state.serve
    form = await request.form()
    try:
        start = dt.date.fromisoformat(str(form.get("start", "")))
        weeks = int(str(form.get("weeks", "8")))
        if not 1 <= weeks <= 52:
            raise ValueError
    except ValueError:
        message = text("serve_bad_measurement_form", state.language)
        return page(request, "message.html.j2", {"title": message, "message": message},
                    status_code=400)

    def work(job) -> dict[str, Any]:
        job.message = text("working_measurements", state.language)
        result = views.measurement_plan(state, start, weeks)
        state.cache["measurement_plan"] = result
        return result

    job = state.jobs.start("measurements", request.state.user.name, request.state.user.role,
                           work, next_url=lambda _: "/measurements",
                           describe_error=lambda e: views.one_line(e, state.language))
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


def routes() -> list:
    """Return this module's routes."""
    return [
        route("/sites", sites_page, ANY),
        route("/sites/{site_id:str}", site_page, ANY),
        route("/import", import_form, ANY),
        route("/import", import_upload, ANY, methods=("POST",), name="import_post"),
        route("/import/result/{job_id:str}", import_result, ANY),
        route("/measurements", measurements_form, ANY),
        route("/measurements", measurements_run, ANY, methods=("POST",),
              name="measurements_post"),
    ]

