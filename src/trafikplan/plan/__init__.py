"""trafikplan.plan: weekly plans (police speed checks, counter deployments).

:func:`~trafikplan.plan.checks.plan_checks` plans the police's speed checks of
a week with CP-SAT (model stated in :mod:`trafikplan.plan.checks`).
"""

from __future__ import annotations

from trafikplan.plan.checks import PLAN_COLUMNS, CheckPlan, load_prior_plans, plan_checks

__all__ = ["PLAN_COLUMNS", "CheckPlan", "load_prior_plans", "plan_checks"]
