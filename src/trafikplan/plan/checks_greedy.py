"""Old name of :mod:`trafikplan.plan.checks.greedy`.

It holds the greedy baseline.
Kept so that existing imports keep working.
"""

from __future__ import annotations

from trafikplan.plan.checks.greedy import greedy_plan

__all__ = ["greedy_plan"]
