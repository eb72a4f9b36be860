"""The web app: state of one server, who may open which page, and the Starlette app.

Every route is made by :func:`route`, which names the roles that may open it;
:func:`create_app` refuses a route without roles, so a new page cannot be
forgotten. The guard around each endpoint

- asks for a login when the server is not bound to localhost (a session cookie,
  signed with a secret kept in the data folder's store, 0600);
- answers 403 when the user's role is not among the route's roles (``police``
  only: every check-plan page and API);
- refuses every POST whose CSRF token (form field ``csrf`` or header
  ``X-CSRF-Token``) is not the session's.

Bound to localhost the server answers only to ``Host: localhost`` /
``127.0.0.1`` (no DNS rebinding) and the one user is ``police``.
"""

from __future__ import annotations

import hmac
import json
import secrets
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route

from trafikplan.io.files.atomic import make_dir, write_text
from trafikplan.serve.jobs import Jobs
from trafikplan.serve.users import LOCAL_USER, User, read_users

__all__ = [
    "ANY",
    "CHANGE_LOG",
    "CSP",
    "LOCAL_HOSTS",
    "POLICE",
    "PUBLIC",
    "SERVE_DIR",
    "Endpoint",
    "ServeState",
    "create_app",
    "csrf_ok",
    "csrf_token",
    "current_user",
    "forbidden",
    "json_for_script",
    "page",
    "route",
    "secret_key",
    "security_headers",
    "templates",
]

ANY = frozenset({"police", "kommun"})
"""Roles of the pages everyone may see (statistics, reports, measurement plans)."""
POLICE = frozenset({"police"})
"""Roles of the check-plan pages and APIs."""
PUBLIC: frozenset[str] = frozenset()
"""No login needed (the login page)."""

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
"""Bind addresses that mean one user at this machine."""

SERVE_DIR = ".trafikplan/serve"
"""The server's secret and caches in the data folder."""

CHANGE_LOG = "serve_changes.log"
"""Who changed what, when (one tab-separated line per change, in the data folder)."""

CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: https://tile.openstreetmap.org; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
"""Content security policy of every page: no inline script, nothing from elsewhere but tiles."""


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


def secret_key(data_dir: Path) -> str:
    """Return the session secret of the data folder (made once, kept 0600 in the store)."""
    folder = make_dir(Path(data_dir) / ".trafikplan", private=True)
    folder = make_dir(Path(data_dir) / SERVE_DIR, private=True)
    path = folder / "secret"
    if not path.is_file():
        write_text(path, secrets.token_hex(32), private=True)
    return path.read_text(encoding="utf-8").strip()


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


async def security_headers(request: Request, call_next) -> Response:
    """Add the content security policy and no-sniff/no-referrer headers to every answer."""
    response = await call_next(request)
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Frame-Options"] = "DENY"
    if response.headers.get("content-type", "").startswith(("text/html", "application/json")):
        response.headers["Cache-Control"] = "no-store"
    return response


def create_app(data_dir: Path | str, *, host: str = "127.0.0.1", out_dir: Path | str = "out",
               time_limit_s: float | None = None) -> Starlette:
    """Return the web app serving ``data_dir``.

    Parameters
    ----------
    data_dir : Path or str
        The data folder (``trafikplan.toml``, raw folders, store).
    host : str
        The bind address: localhost means one user without login, any other
        address needs the users of ``DATA_DIR/users.toml``.
    out_dir : Path or str
        Issued plans go to ``OUT_DIR/checks-<week>/``.
    time_limit_s : float, optional
        Planner time limit per solve [s] (default: the settings').

    Raises
    ------
    InputError
        Bad settings, or not bound to localhost and no users.
    """
    from starlette.middleware.base import BaseHTTPMiddleware
    from starlette.staticfiles import StaticFiles

    from trafikplan._errors import InputError
    from trafikplan.serve import pages_common, pages_plan, pages_sites
    from trafikplan.settings import load_settings

    data_dir = Path(data_dir)
    settings = load_settings(data_dir)
    local = host in LOCAL_HOSTS
    state = ServeState(data_dir, Path(out_dir), local, settings.language,
                       time_limit_s=time_limit_s)
    if not local and not state.users():
        from trafikplan.i18n import text

        raise InputError(text("serve_no_users", settings.language, folder=data_dir))
    routes = [*pages_common.routes(), *pages_sites.routes(), *pages_plan.routes()]
    for r in routes:
        if not hasattr(r, "roles"):
            raise TypeError(f"route {r.path} has no roles: make it with serve.app.route")
    static = Path(__file__).parent / "static"
    leaflet = Path(__file__).parents[1] / "report" / "vendor" / "leaflet"
    routes += [Mount("/static/leaflet", StaticFiles(directory=leaflet), name="leaflet"),
               Mount("/static", StaticFiles(directory=static), name="static")]
    middleware = [
        Middleware(BaseHTTPMiddleware, dispatch=security_headers),
        Middleware(SessionMiddleware, secret_key=secret_key(data_dir),
                   session_cookie="trafikplan_session", same_site="strict",
                   https_only=False, max_age=12 * 3600),
    ]
    if local:
        middleware.insert(0, Middleware(TrustedHostMiddleware,
                                        allowed_hosts=["127.0.0.1", "localhost", "[::1]"]))
    app = Starlette(routes=routes, middleware=middleware)
    app.state.serve = state
    app.state.templates = templates()
    return app


def json_for_script(value: Any) -> str:
    """Return ``value`` as JSON safe inside ``<script type="application/json">``."""
    return (json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")
            .replace(">", "\\u003e").replace("&", "\\u0026"))
