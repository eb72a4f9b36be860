"""The web app: the Starlette app built from the page modules' routes.

Every route is made by :func:`~trafikplan.serve.web.route`, which names the roles that may open it;
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

import secrets
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount

from trafikplan.io.files.atomic import make_dir, write_text
from trafikplan.serve import pages_common, pages_plan, pages_sites
from trafikplan.serve.web import ServeState, templates

__all__ = [
    "CSP",
    "LOCAL_HOSTS",
    "SERVE_DIR",
    "create_app",
    "secret_key",
    "security_headers",
]

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
"""Bind addresses that mean one user at this machine."""

SERVE_DIR = ".trafikplan/serve"
"""The server's secret and caches in the data folder."""

CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: https://tile.openstreetmap.org; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
"""Content security policy of every page: no inline script, nothing from elsewhere but tiles."""


def secret_key(data_dir: Path) -> str:
    """Return the session secret of the data folder (made once, kept 0600 in the store)."""
    folder = make_dir(Path(data_dir) / ".trafikplan", private=True)
    folder = make_dir(Path(data_dir) / SERVE_DIR, private=True)
    path = folder / "secret"
    if not path.is_file():
        write_text(path, secrets.token_hex(32), private=True)
    return path.read_text(encoding="utf-8").strip()


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
            raise TypeError(f"route {r.path} has no roles: make it with serve.web.route")
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
