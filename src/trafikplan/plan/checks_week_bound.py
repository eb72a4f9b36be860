"""Old name of :mod:`trafikplan.plan.checks.week_bound`.

It holds the week's Lagrangian bound.
Kept so that existing imports keep working.
"""

from __future__ import annotations

from trafikplan.plan.checks.week_bound import HOSTS, PlanBound, plan_bound

__all__ = ["HOSTS", "PlanBound", "plan_bound"]
