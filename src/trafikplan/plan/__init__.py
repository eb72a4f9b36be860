"""trafikplan.plan: weekly plans (police speed checks, counter deployments).

:func:`~trafikplan.plan.checks.plan_week` plans the police's speed checks of a
week from a data folder, :func:`~trafikplan.plan.checks.plan_checks` from tables,
with CP-SAT (model stated in :mod:`trafikplan.plan.checks`, the subpackage of the
check planner); :mod:`trafikplan.plan.measurements` plans the counter deployments.
The planner's edits (:mod:`~trafikplan.plan.edits`), the issued-plan archive
(:mod:`~trafikplan.plan.issued`) and learning from outcomes
(:mod:`~trafikplan.plan.learning`) sit beside them.
"""

from __future__ import annotations

from trafikplan.plan.checks import PLAN_COLUMNS, CheckPlan, load_prior_plans, plan_checks, plan_week

__all__ = ["PLAN_COLUMNS", "CheckPlan", "load_prior_plans", "plan_checks", "plan_week"]
