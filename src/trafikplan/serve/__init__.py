"""``trafikplan serve``: a local web app for the police planner and the traffic engineer.

The police planner picks a week, sees the plan on a map and by team and day with
each check's reason, locks or removes checks, marks a team away, forbids sites
or hours, re-plans ("planera om") and issues the plan; completed checks are
entered or uploaded. The traffic engineer sees the sites on a map coloured by
what was found, each site's speed-survey report, imports counter and Embrace
files, and makes the measurement plan.

It sits on top of every layer, like :mod:`trafikplan.cli` (which is the only
module that imports it). Its libraries (Starlette, uvicorn, argon2-cffi,
itsdangerous, python-multipart) are the optional extra ``serve``:
``pip install -e '.[serve]'``.

Modules: :mod:`~trafikplan.serve.web` (what every page needs: state, roles, the
guarded route, CSRF, a page), :mod:`~trafikplan.serve.app` (the Starlette app),
:mod:`~trafikplan.serve.users` (users file and password hashes),
:mod:`~trafikplan.serve.planning` (the one door to the chain: load, import, plan,
issue), :mod:`~trafikplan.serve.jobs` (background work), the pages
(:mod:`~trafikplan.serve.pages_common`, :mod:`~trafikplan.serve.pages_sites`,
:mod:`~trafikplan.serve.pages_plan`) and what they show
(:mod:`~trafikplan.serve.views`, :mod:`~trafikplan.serve.plan_view`),
:mod:`~trafikplan.serve.uploads`.
"""

from __future__ import annotations

__all__ = ["REQUIRED", "missing_libraries"]

REQUIRED = ("starlette", "uvicorn", "argon2", "itsdangerous", "multipart")
"""Import names of the ``serve`` extra."""


def missing_libraries() -> list[str]:
    """Return the import names of the ``serve`` extra that are not installed."""
    from importlib.util import find_spec

    return [name for name in REQUIRED if find_spec(name) is None]
