"""What every page of the web app needs: roles, the server's state, the guarded route, a page.

Every route is made by :func:`route`, which names the roles that may open it
(:data:`ANY`, :data:`POLICE`, :data:`PUBLIC`); the guard around each endpoint asks
for a login, answers 403 to a role not among the route's, and refuses a POST
without the session's CSRF token (see :mod:`trafikplan.serve.app`, which builds
the app from the page modules' routes and refuses a route made otherwise).
"""

from __future__ import annotations

import hmac
import secrets
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from trafikplan.io.files.atomic import write_text
from trafikplan.serve.jobs import Jobs
from trafikplan.serve.users import LOCAL_USER, User, read_users

__all__ = [
    "ANY",
    "CHANGE_LOG",
    "POLICE",
    "PUBLIC",
    "Endpoint",
    "ServeState",
    "csrf_ok",
    "csrf_token",
    "current_user",
    "forbidden",
    "page",
    "route",
    "templates",
]

ANY = frozenset({"police", "kommun"})
"""Roles of the pages everyone may see (statistics, reports, measurement plans)."""
POLICE = frozenset({"police"})
"""Roles of the check-plan pages and APIs."""
PUBLIC: frozenset[str] = frozenset()
"""No login needed (the login page)."""

CHANGE_LOG = "serve_changes.log"
"""Who changed what, when (one tab-separated line per change, in the data folder)."""


@dataclass
class ServeState:
    """Everything one server holds between requests.

    Attributes
    ----------
    data_dir : Path
        The data folder served.
    out_dir : Path
        Where issued plans go (``OUT/checks-<week>/``, as ``plan checks -o``).
    local : bool
        Bound to localhost: one user, no login.
    language : str
        ``sv`` or ``en`` (the data folder's setting).
    jobs : Jobs
        Background work.
    drafts : dict
        Week -> the latest re-planned (not yet issued) :class:`~trafikplan.serve.planning.Planned`.
    issued : dict
        Week -> the Planned issued from this server (its reasons are shown).
    cache : dict
        Computed views of the data folder, dropped when its files change.
    time_limit_s : float or None
        Planner time limit per solve [s] (None: the settings').
    """

    data_dir: Path
    out_dir: Path
    local: bool
    language: str = "sv"
    jobs: Jobs = field(default_factory=Jobs)
    drafts: dict = field(default_factory=dict)
    issued: dict = field(default_factory=dict)
    cache: dict = field(default_factory=dict)
    cache_locks: dict = field(default_factory=dict)
    time_limit_s: float | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def users(self) -> dict[str, User]:
        """Return the users (the one local user when bound to localhost)."""
        if self.local:
            return {LOCAL_USER: User(LOCAL_USER, "police")}
        return read_users(self.data_dir)

    def log_change(self, user: User, what: str, detail: str) -> None:
        """Append who changed what, when, to ``DATA_DIR/serve_changes.log``.

        The whole log is written again atomically (a crash leaves the old log
        or the new one, never half a line).
        """
        path = self.data_dir / CHANGE_LOG
        line = "\t".join((datetime.now(UTC).astimezone().isoformat(timespec="seconds"),
                          user.name, user.role, what, " ".join(detail.split())))
        with self.lock:
            old = path.read_text(encoding="utf-8") if path.is_file() else ""
            write_text(path, old + line + "\n", private=True)

    def forget(self) -> None:
        """Drop the computed views (after an import or a change to the folder)."""
        with self.lock:
            self.cache.clear()


Endpoint = Callable[[Request], Awaitable[Response]]


def route(path: str, endpoint: Endpoint, roles: frozenset[str], *,
          methods: tuple[str, ...] = ("GET",), name: str | None = None) -> Route:
    """Return a route whose endpoint runs only for ``roles`` (module docstring)."""

    async def guarded(request: Request) -> Response:
        state: ServeState = request.app.state.serve
        user = current_user(request)
        if roles and user is None:
            if request.url.path.startswith("/api/"):
                return JSONResponse({"error": "login"}, status_code=401)
            return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        if roles and user is not None and user.role not in roles:
            return forbidden(request)
        if request.method == "POST" and not await csrf_ok(request):
            from trafikplan.i18n import text

            return HTMLResponse(text("serve_csrf_refused", state.language), status_code=403)
        request.state.user = user
        return await endpoint(request)

    r = Route(path, guarded, methods=list(methods), name=name or endpoint.__name__)
    r.roles = roles  # type: ignore[attr-defined]
    return r


def current_user(request: Request) -> User | None:
    """Return the logged-in user (the local user when bound to localhost)."""
    state: ServeState = request.app.state.serve
    users = state.users()
    if state.local:
        return users[LOCAL_USER]
    name = request.session.get("user")
    return users.get(name) if isinstance(name, str) else None


def csrf_token(request: Request) -> str:
    """Return the session's CSRF token (made on first use)."""
    token = request.session.get("csrf")
    if not isinstance(token, str) or len(token) < 32:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def csrf_ok(request: Request) -> bool:
    """Return True when the request carries the session's CSRF token."""
    want = request.session.get("csrf")
    if not isinstance(want, str) or not want:
        return False
    got: object = request.headers.get("x-csrf-token")
    if got is None:
        form = await request.form(max_files=20, max_fields=200)
        got = form.get("csrf")
    return isinstance(got, str) and hmac.compare_digest(got, want)


def forbidden(request: Request) -> Response:
    """Return 403: a ``kommun`` user asked for a check-plan page or API."""
    from trafikplan.i18n import text

    state: ServeState = request.app.state.serve
    message = text("serve_forbidden", state.language)
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message}, status_code=403)
    return page(request, "message.html.j2", {"title": message, "message": message},
                status_code=403)


def templates():
    """Return the jinja2 environment: the app's templates, then the report's (autoescape on)."""
    from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined

    from trafikplan.io.files.safe_text import finalize

    return Environment(
        loader=ChoiceLoader([PackageLoader("trafikplan.serve", "templates"),
                             PackageLoader("trafikplan.report", "templates")]),
        autoescape=True, undefined=StrictUndefined, finalize=finalize,
        trim_blocks=True, lstrip_blocks=True)


def page(request: Request, template: str, context: dict[str, Any], *,
         status_code: int = 200) -> HTMLResponse:
    """Render ``template`` with the shared context (texts, user, CSRF token, menu)."""
    from trafikplan.i18n import texts

    state: ServeState = request.app.state.serve
    user = current_user(request)
    ctx = {"t": texts(state.language), "user": user, "csrf": csrf_token(request),
           "local": state.local, "police": user is not None and user.role == "police",
           "path": request.url.path, "title": "", **context}
    html = request.app.state.templates.get_template(template).render(**ctx)
    return HTMLResponse(html, status_code=status_code)
