"""Plan the week's checks: the rules relaxed one at a time when they leave the plan empty.

:func:`plan_checks` builds the instance with the planner's edits, the greedy
baseline, the focus target, solves (:mod:`~trafikplan.plan.checks.solve`), bounds
(:mod:`~trafikplan.plan.checks.week_bound`) and returns the :class:`CheckPlan`.
"""

from __future__ import annotations

import dataclasses
from importlib.metadata import version
from typing import Any

import numpy as np
import pandas as pd

from trafikplan._errors import InfeasiblePlanError, InputError
from trafikplan.columns import table_rows
from trafikplan.i18n import LANGUAGES, text
from trafikplan.plan.checks.greedy import greedy_plan
from trafikplan.plan.checks.instance import Instance, build_instance
from trafikplan.plan.checks.model import WEIGHT
from trafikplan.plan.checks.result import CheckPlan
from trafikplan.plan.checks.solve import every_check, focus_target, prune, solve
from trafikplan.plan.checks.table import check_table, shift_table
from trafikplan.plan.checks.value import direct_coverage, predictability
from trafikplan.plan.checks.week_bound import plan_bound
from trafikplan.plan.edits import PlanEdits, forbidden, roster_without
from trafikplan.settings import Settings

__all__ = ["RELAXATIONS", "apply_edits", "plan_checks"]


def plan_checks(
    flags: pd.DataFrame,
    sites: pd.DataFrame,
    roster: pd.DataFrame,
    settings: Settings,
    week: str,
    *,
    prior: pd.DataFrame | None = None,
    seed: int | None = None,
    edits: PlanEdits | None = None,
) -> CheckPlan:
    """Plan the week's speed checks.

    When a rule leaves no check at all although candidates exist (the area rule with
    a single short roster, a focus minimum no shift can meet), the plan says so and
    the rules are relaxed one at a time in the order of :data:`RELAXATIONS` until
    checks can be placed; ``messages`` names each rule relaxed and
    ``log["relaxed"]`` lists them. Never an empty plan without a reason.

    Parameters
    ----------
    flags : DataFrame
        The flags table (contract: ``site_id, street, weekday, hour_of_day,
        score, reason``, ``focus`` ...).
    sites : DataFrame
        ``site_id, street, lat, lon`` [deg WGS 84], ``area``, ``check_spot``.
    roster : DataFrame
        ``team, start, end`` (tz-aware) and optional ``area``
        (:func:`trafikplan.io.user_tables.roster.read_roster`).
    settings : Settings
        ``[checks]`` rules, time zone, language, focus streets.
    week : str
        ISO week, e.g. ``2024-W41``.
    prior : DataFrame, optional
        Checks of earlier saved plans ``site_id, start, end``
        (:func:`load_prior_plans`); the same-site spacing, the time halo and the
        recency penalty hold against them.
    seed : int, optional
        Overrides ``[checks] seed``.
    edits : PlanEdits, optional
        The planner's changes (:mod:`trafikplan.plan.edits`): locked checks stay,
        forbidden sites and hours get none, a team away gets none in its span.

    Returns
    -------
    CheckPlan

    Raises
    ------
    InputError
        A locked check the rules do not allow.
    InfeasiblePlanError
        No shift in the week, no check spot, or rules that contradict even relaxed.
    """
    relaxed: list[str] = []
    notes: list[str] = []
    error: InfeasiblePlanError | None = None
    for key, loose, *names in ((None, None, "", ""), *RELAXATIONS):
        if key is not None:
            if getattr(settings.checks, key) == loose:
                continue
            loosened: dict[str, Any] = {key: loose}
            settings = dataclasses.replace(
                settings, checks=dataclasses.replace(settings.checks, **loosened))
            relaxed.append(key)
            notes.append(text("plan_msg_relaxed", settings.language, setting=key, loose=loose,
                              rule=names[LANGUAGES.index(settings.language)]))
        try:
            plan = _plan_once(flags, sites, roster, settings, week, prior=prior, seed=seed,
                              edits=edits)
        except InfeasiblePlanError as exc:
            if exc.phrase.key not in ("plan_err_contradict", "plan_err_no_plan_in_time"):
                raise
            error = exc
            continue
        if len(plan.checks):
            plan.messages[:0] = notes
            plan.log["relaxed"] = relaxed
            return plan
    if error is not None and not relaxed:
        raise error
    if error is not None:
        raise InfeasiblePlanError("plan_err_even_relaxed", error=error.phrase,
                                  rules=", ".join(relaxed))
    plan.messages[:0] = [*notes, text("plan_msg_nothing_even_relaxed", settings.language)]
    plan.log["relaxed"] = relaxed
    return plan


RELAXATIONS = (
    ("area_share_slack", 1.0, "Regeln om områden i proportion till behovet",
     "The rule of areas in proportion to need"),
    ("focus_min_per_week", 0, "Minimiantalet kontroller på fokusgator",
     "The minimum of checks on focus streets"),
    ("max_per_site_per_week", 7, "Högsta antalet kontroller per plats och vecka",
     "The most checks per site and week"),
)
"""Rules relaxed, in this order, when they leave the plan empty: (key, loose value,
Swedish and English name of the rule)."""


def _plan_once(
    flags: pd.DataFrame,
    sites: pd.DataFrame,
    roster: pd.DataFrame,
    settings: Settings,
    week: str,
    *,
    prior: pd.DataFrame | None = None,
    seed: int | None = None,
    edits: PlanEdits | None = None,
) -> CheckPlan:
    """Plan the week once with the given settings (see :func:`plan_checks`)."""
    ortools_version = version("ortools")

    seed = settings.checks.seed if seed is None else int(seed)
    edits = edits or PlanEdits()
    full = build_instance(flags, sites, roster_without(roster, edits.away), settings, week,
                          prior=prior, keep=edits.lock)
    full = apply_edits(full, edits)
    messages = list(full.messages)
    greedy = greedy_plan(full)
    pruned, kept = prune(full, greedy)
    n_all = len(full.cand)
    target, greedy_focus = focus_target(pruned, greedy, settings, messages)
    plan, stats = solve(full, kept, greedy, target, seed)
    week_bound = plan_bound(full, stats.get("best_value", float(greedy["value"].sum())),
                            max_iterations=settings.checks.bound_iterations)
    stats["candidates_all"] = n_all
    scale = stats["scale"] * WEIGHT
    bound_kept = None if stats["bound"] is None else stats["bound"] / scale
    value = float(plan["value"].sum()) if len(plan) else 0.0
    best_value = stats.get("best_value", 0.0)
    bound, method = week_bound.bound, "lagrangian"
    if (bound_kept is not None and every_check(full) and stats["candidates"] == n_all
            and bound_kept < bound):
        bound, method = bound_kept, "cp-sat"
    stats.update(bound_kept=bound_kept, bound_method=method, bound_lagrangian=week_bound.bound,
                 bound_solo=week_bound.solo, bound_iterations=week_bound.iterations,
                 bound_seconds=round(week_bound.seconds, 3))
    gap = max(0.0, (bound - value) / bound) if bound > 0 else 0.0
    best_gap = max(0.0, (bound - best_value) / bound) if bound > 0 else 0.0
    rules = settings.checks
    log = {
        "week": week, "week_start": full.t0.isoformat(), "seed": seed,
        "ortools": ortools_version,
        "parameters": {k: getattr(rules, k) for k in rules.__dataclass_fields__},
        **stats,
    }
    return CheckPlan(
        week=week, checks=check_table(full, plan), value=value, bound=bound, gap=gap,
        best_value=best_value, best_gap=best_gap,
        greedy=check_table(full, greedy), greedy_value=float(greedy["value"].sum()),
        status=stats["status"], focus_target=target, greedy_focus_target=greedy_focus,
        messages=messages, log=log,
        direct_value=float(plan["direct_value"].sum()) if len(plan) else 0.0,
        halo_value=float(plan["halo_value"].sum()) if len(plan) else 0.0,
        coverage=direct_coverage(full, plan), greedy_coverage=direct_coverage(full, greedy),
        predictability=predictability(full, plan), shifts=shift_table(full),
    )


def apply_edits(inst: Instance, edits: PlanEdits) -> Instance:
    """Drop the forbidden candidates and mark the locked ones (rows of ``inst.cand``).

    Raises
    ------
    InputError
        A locked check that is no candidate (off the grid, outside its team's
        shifts, not a check spot, a length the rules do not allow).
    """
    cand = inst.cand
    if not edits or cand.empty:
        return inst
    site_ids = inst.site_ids[cand["site"].to_numpy()]
    start = inst.slot_time(cand["start"].to_numpy())
    end = inst.slot_time(cand["end"].to_numpy())
    locked = np.zeros(len(cand), bool)
    team = cand["team"].astype(str).to_numpy()
    for lk in table_rows(edits.lock):
        if not (inst.t0 <= lk.start < inst.t1):
            continue
        hit = np.flatnonzero((team == lk.team) & (site_ids == lk.site_id)
                             & np.asarray(start == lk.start) & np.asarray(end == lk.end))
        if hit.size == 0:
            raise InputError("plan_err_locked_missing", column="lock", team=lk.team,
                             site_id=lk.site_id, start=lk.start, end=lk.end)
        locked[hit[0]] = True
    drop = forbidden(site_ids, start, end, edits.forbid) & ~locked
    cand = cand.assign(locked=locked)[~drop].reset_index(drop=True)
    return dataclasses.replace(inst, cand=cand)
