"""Solving the week: prune the candidates, CP-SAT from the greedy hint, local search, seeded choice.

The steps of :mod:`trafikplan.plan.checks` (Solve): :func:`focus_target` (how many
focus checks the roster allows), :func:`prune` (the candidates the whole-week
model sees), :func:`solve` (CP-SAT over them from the greedy plan, then the local
search over every candidate, then the seeded choice among near-best plans).
"""

from __future__ import annotations

import dataclasses
import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from trafikplan._errors import InfeasiblePlanError
from trafikplan.i18n import text
from trafikplan.plan.checks.instance import Instance
from trafikplan.plan.checks.local import search, vary
from trafikplan.plan.checks.model import (
    SOLVER_PARAMETERS,
    WEIGHT,
    CheckVars,
    build_model,
    cap_int,
    focus_count,
    hint_plan,
    rules_model,
)
from trafikplan.plan.checks.value import evaluate
from trafikplan.plan.checks.visit import visit_sums
from trafikplan.plan.cpsat import new_solver
from trafikplan.settings import Settings

if TYPE_CHECKING:
    from ortools.sat.python.cp_model import CpModel, CpSolver

__all__ = ["every_check", "focus_target", "prune", "solve", "sub_instance"]


def every_check(inst: Instance) -> bool:
    """Return whether the candidates hold every check the rules allow (no candidate rule)."""
    r = inst.rules
    every_start = r.start_step_minutes <= inst.step or r.start_step_minutes % inst.step != 0
    return every_start and r.shifts_per_site <= 0 and r.sites_per_shift <= 0


def focus_target(inst: Instance, greedy: pd.DataFrame, settings: Settings,
                 messages: list[str]) -> tuple[int, int]:
    """Return the focus checks required of the plan and of the greedy baseline.

    ``focus_min_per_week`` when the greedy plan reaches it; else a CP-SAT solve
    maximises the number of focus checks and the plan gets what the roster allows
    (a message in ``messages`` says so).
    """
    want = inst.rules.focus_min_per_week
    have = int(greedy["focus"].sum()) if len(greedy) else 0
    if want <= 0 or have >= want:
        return max(want, 0), max(want, 0)
    from ortools.sat.python import cp_model

    model, v = rules_model(inst, None)
    count = focus_count(v, inst)
    if isinstance(count, int):
        best, proven = 0, True
    else:
        model.maximize(count)
        solver = new_solver(max(1.0, inst.rules.time_limit_s / 3), inst.rules.seed,
                            inst.rules.num_workers, **SOLVER_PARAMETERS)
        status = solver.solve(model)
        if status == cp_model.INFEASIBLE:
            raise InfeasiblePlanError("plan_err_contradict")
        found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        best = round(solver.objective_value) if found else 0
        proven = status == cp_model.OPTIMAL
    target = min(want, max(best, have))
    if target >= want:
        return want, have
    key = "plan_msg_focus_short" if proven else "plan_msg_focus_short_unproven"
    messages.append(text(key, settings.language, target=target, want=want))
    return target, min(have, target)


def sub_instance(inst: Instance, keep: np.ndarray) -> Instance:
    """Return the instance with only the candidates ``keep`` (indices into ``inst.cand``)."""
    return dataclasses.replace(inst, cand=inst.cand.iloc[keep].reset_index(drop=True))


def prune(inst: Instance, greedy: pd.DataFrame) -> tuple[Instance, np.ndarray]:
    """Keep the promising candidates; return the smaller instance and the kept indices.

    Per shift, start and length the ``candidates_per_start`` best sites by
    ``direct + halo`` (the value a check there could earn on its own) are
    kept, and as many focus candidates, two per area (the area rule) and
    every check of the greedy plan. ``candidates_per_start = 0`` keeps all.
    """
    k = inst.rules.candidates_per_start
    cand = inst.cand
    if k <= 0 or len(cand) == 0:
        return inst, np.arange(len(cand))
    score = (cand["direct"] + cand["halo"]).to_numpy()
    frame = pd.DataFrame({"shift": cand["shift"].to_numpy(), "start": cand["start"].to_numpy(),
                          "length": cand["length"].to_numpy(), "score": -score,
                          "site": cand["site"].to_numpy(), "area": cand["area"].to_numpy(),
                          "focus": cand["focus"].to_numpy()})
    order = frame.sort_values(["shift", "start", "length", "score", "site"], kind="stable")
    keys = ["shift", "start", "length"]
    keep = np.zeros(len(cand), bool)
    keep[order.index[order.groupby(keys, sort=False).cumcount().to_numpy() < k]] = True
    foc = order[order["focus"]]
    keep[foc.index[foc.groupby(keys, sort=False).cumcount().to_numpy() < k]] = True
    by_area = order.groupby([*keys, "area"], sort=False).cumcount().to_numpy() < 2
    keep[order.index[by_area]] = True
    keep[greedy.index.to_numpy()] = True
    keep |= cand["locked"].to_numpy(bool)
    kept = np.flatnonzero(keep)
    return sub_instance(inst, kept), kept


def _chosen(solver: CpSolver, v: CheckVars) -> set[int]:
    return {i for i in range(v.n) if solver.boolean_value(v.x[i])}


def _run(model: CpModel, v: CheckVars, time_limit: float, seed: int,
         workers: int) -> tuple[CpSolver, Any, set[int] | None]:
    from ortools.sat.python import cp_model

    solver = new_solver(time_limit, seed, workers, **SOLVER_PARAMETERS)
    status = solver.solve(model)
    if status == cp_model.INFEASIBLE:
        raise InfeasiblePlanError("plan_err_contradict")
    chosen = None
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        chosen = _chosen(solver, v)
    return solver, status, chosen


def _feasible_plan(inst: Instance, focus_target: int) -> set[int] | None:
    """Return a plan obeying every rule (no objective), when the greedy one does not."""
    from ortools.sat.python import cp_model

    model, v = rules_model(inst, focus_target)
    solver = new_solver(max(1.0, inst.rules.time_limit_s / 3), inst.rules.seed, 1,
                        **SOLVER_PARAMETERS)
    status = solver.solve(model)
    if status == cp_model.INFEASIBLE:
        raise InfeasiblePlanError("plan_err_contradict")
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return _chosen(solver, v)


def solve(full: Instance, kept: np.ndarray, greedy: pd.DataFrame, focus_target: int,
          seed: int) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Solve for the best plan from the greedy hint, then pick among near-best by seed.

    ``full`` holds every candidate, ``kept`` the pruned ones the whole-week
    model sees; the polish and the seeded choice re-plan single shifts with
    all their candidates. Returned checks are rows of ``full.cand``.
    """
    rules = full.rules
    greedy_set = {int(i) for i in greedy.index}
    greedy_ok = (int(greedy["focus"].sum()) if len(greedy) else 0) >= focus_target
    limit = max(float(rules.time_limit_s), 1.0)
    stats: dict[str, Any] = {"wall_s": 0.0, "deterministic_s": 0.0, "scale": 1.0,
                             "bound": None, "candidates": len(kept)}
    best_set: set[int] | None
    if greedy_ok and len(kept) > rules.cpsat_max_candidates:
        # too large a week for CP-SAT in the time: the local search starts from greedy
        best_set = set(greedy_set)
        stats["status"] = "SKIPPED"
    else:
        best_set = _cpsat(full, kept, greedy_set if greedy_ok else None, focus_target, limit,
                          stats)
        if best_set is None:
            return greedy.iloc[:0], stats
    # shift by shift over every candidate (the best plan does not depend on the seed)
    best_set, stats["local_search"] = search(full, best_set, focus_target,
                                             rounds=rules.search_rounds, seed=0)
    best_plan = evaluate(full, full.cand.iloc[sorted(best_set)])
    best_float = float(best_plan["value"].sum())
    if greedy_ok and best_float < float(greedy["value"].sum()):
        best_set, best_plan = set(greedy_set), evaluate(full, greedy)
        best_float = float(best_plan["value"].sum())
    stats["best_value"] = best_float
    chosen, plan = best_set, best_plan
    if rules.value_tolerance > 0 and best_float > 0:
        # never below the greedy baseline the plan is compared with
        floor = max((1 - rules.value_tolerance) * best_float, float(greedy["value"].sum()))
        stats["floor"] = floor
        chosen = vary(full, best_set, focus_target, floor, seed, full.week)
        plan = evaluate(full, full.cand.iloc[sorted(chosen)])
        if float(plan["value"].sum()) < floor:
            chosen, plan = best_set, best_plan
    if plan["value"].sum() > best_float:
        stats["best_value"] = float(plan["value"].sum())
    return plan, stats


def _cpsat(full: Instance, kept: np.ndarray, greedy_set: set[int] | None, focus_target: int,
           limit: float, stats: dict[str, Any]) -> set[int] | None:
    """Plan the whole week with CP-SAT over the ``kept`` candidates from the greedy hint.

    Returns the best plan found (rows of ``full.cand``), None when no check has
    value; ``stats`` gets the status, CP-SAT's bound over the kept candidates
    (in model units, ``scale``), the model's size and the solver's time.
    """
    from ortools.sat.python import cp_model

    rules = full.rules
    inst = sub_instance(full, kept)
    model, v = build_model(inst, focus_target)
    stats.update(scale=v.scale, candidates=v.n)
    if isinstance(v.objective, int):
        stats.update(status="OPTIMAL", bound=0, best_value=0.0)
        return None
    model.maximize(v.objective)
    start: set[int] | None
    if greedy_set is not None:
        start = {int(i) for i in np.searchsorted(kept, sorted(greedy_set))}
    else:
        start = _feasible_plan(inst, focus_target)
    if start is not None:
        hint_plan(model, v, start)
    # the best plan does not depend on the seed: only the choice among near-best does;
    # a quarter of the time for CP-SAT over the whole week, then the local search;
    # without a feasible plan to start from, the whole limit goes to finding one
    solver, status, chosen = _run(model, v, max(1.0, limit / 4) if start else limit, 0,
                                  rules.num_workers)
    stats["wall_s"] += solver.wall_time
    stats["deterministic_s"] += solver.deterministic_time
    best_set = start
    if chosen is not None and (best_set is None or _objective_of(inst, v, chosen)
                               > _objective_of(inst, v, best_set)):
        best_set = chosen
    if best_set is None:
        raise InfeasiblePlanError("plan_err_no_plan_in_time", seconds=rules.time_limit_s)
    # CP-SAT's bound holds for the kept candidates once the solve has a solution
    known = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    stats.update(status=solver.status_name(status),
                 bound=math.floor(solver.best_objective_bound + 1e-6) if known else None,
                 variables=len(model.proto.variables),
                 constraints=len(model.proto.constraints))
    return {int(kept[i]) for i in best_set}


def _objective_of(inst: Instance, v: CheckVars, chosen: set[int]) -> int:
    """Integer objective of a chosen set of the model's candidates, as the model has it."""
    v_int = v.v_int
    plan = evaluate(inst, inst.cand.iloc[sorted(chosen)])
    if plan.empty:
        return 0
    r = math.ceil(inst.rules.repeat_factor * WEIGHT - 1e-9)
    s, a, e = (plan[c].to_numpy() for c in ("site", "start", "end"))
    d = np.ceil(visit_sums(v_int.astype(float), s, a, e - a, inst.visit) - 1e-6).astype(np.int64)
    mult = np.where(plan["mult"].to_numpy() >= 1.0, WEIGHT, r)
    direct = int((d * mult).sum())
    n, t = inst.value.shape
    covered = np.zeros((n, t), bool)
    total = np.zeros((n, t), np.int64)
    w_int = np.ceil(inst.halo_w[None, :, :] * inst.visit[:, None, None] * WEIGHT
                    - 1e-9).astype(np.int64)
    for site, first, end in zip(s.tolist(), a.tolist(), e.tolist(), strict=True):
        covered[site, first:end] = True
        total[:, first:end] += w_int[: end - first, site, :].T
    halo = int((np.where(covered, 0, np.minimum(total, cap_int(inst))) * v_int).sum())
    return direct + halo
