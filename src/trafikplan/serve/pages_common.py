"""Pages every user sees: login, logout, the start page and the status of background work."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from trafikplan.serve.users import check_password
from trafikplan.serve.web import ANY, PUBLIC, ServeState, current_user, forbidden, page, route

__all__ = [
    "home",
    "job_page",
    "job_status",
    "login",
    "login_form",
    "logout",
    "map_script",
    "routes",
]


async def login_form(request: Request) -> Response:
    """Show the login page (not when bound to localhost)."""
    if request.app.state.serve.local or current_user(request) is not None:
        return RedirectResponse("/", status_code=303)
    return page(request, "login.html.j2", {"error": "", "next": _next(request)})


def _next(request: Request) -> str:
    target = request.query_params.get("next", "/")
    return target if target.startswith("/") and not target.startswith("//") else "/"


async def login(request: Request) -> Response:
    """Check a name and password; on success a fresh session with a new CSRF token."""
    state: ServeState = request.app.state.serve
    form = await request.form()
    name, password = str(form.get("name", "")), str(form.get("password", ""))
    user = state.users().get(name)
    if not check_password(user, password):
        from trafikplan.i18n import text

        return page(request, "login.html.j2", {"error": text("serve_login_failed",
                                                             state.language),
                                               "next": _next(request)}, status_code=401)
    request.session.clear()
    request.session["user"] = user.name
    state.log_change(user, "login", "")
    return RedirectResponse(_next(request), status_code=303)


async def logout(request: Request) -> Response:
    """End the session."""
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


async def home(request: Request) -> Response:
    """Show the start page: what each kind of user can do here."""
    return page(request, "home.html.j2", {"title": ""})


def _job(request: Request):
    job = request.app.state.serve.jobs.get(request.path_params["job_id"])
    if job is None:
        return None, JSONResponse({"error": "no such job"}, status_code=404)
    if job.role == "police" and request.state.user.role != "police":
        return None, forbidden(request)
    return job, None


async def job_page(request: Request) -> Response:
    """Show a background job's status line until it is done."""
    job, refused = _job(request)
    if refused is not None:
        return refused
    from trafikplan.i18n import number

    state = request.app.state.serve
    shown = job.as_json()
    return page(request, "job.html.j2", {"title": "", "job": shown,
                                         "seconds": number(shown["seconds"], 1, state.language)})


async def job_status(request: Request) -> Response:
    """Return the job's status as JSON (polled once a second by ``app.js``)."""
    job, refused = _job(request)
    if refused is not None:
        return refused
    return JSONResponse(job.as_json())


async def map_script(request: Request) -> Response:
    """Serve the report's map script (:data:`trafikplan.report.site_map.MAP_SCRIPT`)."""
    from trafikplan.report.site_map import MAP_SCRIPT

    return Response(MAP_SCRIPT, media_type="text/javascript")


def routes() -> list:
    """Return this module's routes."""
    return [
        route("/login", login_form, PUBLIC),
        route("/map.js", map_script, PUBLIC),
        route("/login", login, PUBLIC, methods=("POST",), name="login_post"),
        route("/logout", logout, ANY, methods=("POST",)),
        route("/", home, ANY),
        route("/jobs/{job_id:str}", job_page, ANY),
        route("/api/jobs/{job_id:str}", job_status, ANY),
    ]
