"""Old name of :mod:`trafikplan.plan.checks.route_bound`.

It holds a shift's best route and a check's value alone.
Kept so that existing imports keep working.
"""

from __future__ import annotations

from trafikplan.plan.checks.route_bound import PlanBound, RoutePricer, plan_bound, solo_values

__all__ = ["PlanBound", "RoutePricer", "plan_bound", "solo_values"]
