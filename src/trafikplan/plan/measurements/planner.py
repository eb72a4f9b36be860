"""Plan counter deployments with CP-SAT from the greedy hint, and the greedy baseline."""

from __future__ import annotations

import datetime as dt
import time
from importlib.metadata import version

import numpy as np
import pandas as pd

from trafikplan._errors import InfeasiblePlanError, InputError
from trafikplan.plan.cpsat import new_solver
from trafikplan.plan.measurements.greedy import greedy_deployments
from trafikplan.plan.measurements.grid import (
    Option,
    deployment_options,
    deployment_value,
    name_counters,
    work_days,
)
from trafikplan.plan.measurements.model import SOLVER_PARAMETERS, MeasurementInstance, build_model
from trafikplan.plan.measurements.result import MeasurementPlan
from trafikplan.plan.measurements.table import plan_frame
from trafikplan.settings import MeasurementSettings

__all__ = ["WORKERS", "check_inputs", "greedy_measurements", "plan_measurements"]

WORKERS = 1
"""CP-SAT search workers of the measurement plan [count]."""


def check_inputs(candidates: pd.DataFrame, fleet: pd.DataFrame, weeks: int,
                 settings: MeasurementSettings) -> None:
    """Raise when the plan cannot be made from these inputs (bad weeks, settings, fleet)."""
    if weeks < 1:
        raise InputError("plan_err_weeks", weeks=weeks)
    if settings.min_days < 1 or settings.max_installs_per_day < 1:
        raise InputError("plan_err_measure_settings")
    if not len(fleet):
        raise InfeasiblePlanError("plan_err_no_counters")
    if candidates["candidate_id"].duplicated().any():
        raise InputError("plan_err_candidate_ids")


def greedy_measurements(
    candidates: pd.DataFrame,
    fleet: pd.DataFrame,
    *,
    start: dt.date,
    weeks: int,
    settings: MeasurementSettings,
    language: str = "sv",
) -> pd.DataFrame:
    """Greedy baseline plan: candidates by priority, each its best earliest deployment.

    Parameters and the returned columns as :func:`plan_measurements` (its ``plan``).
    """
    check_inputs(candidates, fleet, weeks, settings)
    work = work_days(start, weeks)
    pairs = deployment_options(candidates, fleet, start, weeks, settings, work)
    return plan_frame(greedy_deployments(pairs, candidates, settings), candidates, start, language)


def plan_measurements(
    candidates: pd.DataFrame,
    fleet: pd.DataFrame,
    *,
    start: dt.date,
    weeks: int,
    settings: MeasurementSettings,
    language: str = "sv",
    time_limit_s: float | None = None,
    seed: int | None = None,
) -> MeasurementPlan:
    """Plan counter deployments with CP-SAT (model in the module docstring).

    Parameters
    ----------
    candidates : DataFrame
        From :func:`trafikplan.plan.measurements.candidates.build_candidates` (columns
        ``candidate_id, site_id, street, purpose, purposes, priority, earliest,
        latest, counter_kind, prefer_weeks, prefer_weekday, measure_id, reason``).
    fleet : DataFrame
        ``counter, kind, available_from``
        (:func:`trafikplan.io.user_tables.measures.read_counter_fleet`).
    start : datetime.date
        First local day of the plan.
    weeks : int [weeks]
        Plan length.
    settings : MeasurementSettings
        ``min_days, max_days, max_installs_per_day, time_limit_s, seed``.
    language : str
        ``"sv"`` or ``"en"`` for the reasons.
    time_limit_s : float [s], optional
        Overrides ``settings.time_limit_s``.
    seed : int, optional
        Overrides ``settings.seed``.

    Returns
    -------
    MeasurementPlan

    Raises
    ------
    InputError
        ``weeks < 1`` or impossible settings.
    InfeasiblePlanError
        No counters, or the solver found no plan within the time limit.
    """
    ortools_version = version("ortools")
    from ortools.sat.python import cp_model

    check_inputs(candidates, fleet, weeks, settings)
    candidates = candidates.reset_index(drop=True)
    work = work_days(start, weeks)
    pairs = deployment_options(candidates, fleet, start, weeks, settings, work)
    greedy = greedy_deployments(pairs, candidates, settings)
    greedy_plan = plan_frame(greedy, candidates, start, language)
    seed = settings.seed if seed is None else seed
    limit = settings.time_limit_s if time_limit_s is None else time_limit_s
    info = {"seed": seed, "workers": WORKERS, "time_limit_s": limit,
            "deterministic": True, "ortools": ortools_version, **SOLVER_PARAMETERS}
    if not pairs:
        cands = candidates.assign(planned=False)
        return MeasurementPlan(greedy_plan, cands, 0, 0, "EMPTY", greedy_plan, 0, start, weeks,
                               info)

    inst = MeasurementInstance(options=pairs, greedy=greedy, fleet=fleet, work=work,
                               weeks=weeks, settings=settings)
    model, v = build_model(inst)
    scale = inst.scale

    # Stop once the value is proven optimal (the day tie-break is < scale / 2).
    solver = new_solver(limit, seed, WORKERS, **SOLVER_PARAMETERS, absolute_gap_limit=scale / 2 - 1)
    t0 = time.perf_counter()
    status = solver.solve(model)
    info["wall_s"] = round(time.perf_counter() - t0, 3)
    info["deterministic_s"] = round(solver.deterministic_time, 3)
    if status == cp_model.UNKNOWN:
        # out of time before a first solution (the solver proved no bound either): the
        # greedy plan keeps every rule, and no plan beats each candidate at its best day
        plan, status_name, bound = greedy_plan, "GREEDY", _value_ceiling(pairs)
    elif status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        chosen = name_counters([(p, int(solver.value(v.starts[k])),
                                 int(solver.value(v.ends[k])))
                                for k, p in enumerate(pairs) if solver.value(v.present[k])])
        plan = plan_frame(chosen, candidates, start, language)
        status_name = solver.status_name(status)
        bound = int(np.ceil(solver.best_objective_bound / scale - 1e-9))
    else:
        raise InfeasiblePlanError("plan_err_measure_timeout", seconds=limit,
                                  status=solver.status_name(status))
    value = int(plan["value"].sum())
    planned = candidates["candidate_id"].isin(plan["candidate_id"])
    return MeasurementPlan(
        plan=plan, candidates=candidates.assign(planned=planned.to_numpy()),
        value=value, bound=max(bound, value), status=status_name, greedy=greedy_plan,
        greedy_value=int(greedy_plan["value"].sum()), start=start, weeks=weeks, solver=info,
    )


def _value_ceiling(options: list[Option]) -> int:
    """Return the points of every candidate deployed once on its best install day [points].

    No plan is worth more: a candidate counts at most once, and the other rules
    only take deployments away.
    """
    best: dict[int, int] = {}
    for p in options:
        top = max((deployment_value(p, int(s)) for s in p.starts), default=0)
        best[p.cand] = max(best.get(p.cand, 0), top)
    return sum(best.values())
