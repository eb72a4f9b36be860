"""Old name of :mod:`trafikplan.plan.checks.local`.

It holds the local search.
Kept so that existing imports keep working.
"""

from __future__ import annotations

from trafikplan.plan.checks.local import LOCKED, search, vary

__all__ = ["LOCKED", "search", "vary"]
