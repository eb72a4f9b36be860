"""The CP-SAT model of the check plan: one function per rule family.

Each ``add_<family>(model, v, inst)`` adds the constraints of one rule family of
:mod:`trafikplan.plan.checks` (its numbers) to ``model`` and returns its objective
term (``0`` for a rule without one); :func:`build_model` adds them all in a fixed
order (the order is part of the reproducible plan). ``v`` (:class:`CheckVars`) holds
the decision variables ``x_c``, the candidates' arrays and the auxiliary variables
with the function of the ``x`` values that gives theirs (for hints).

Integer coefficients: slot values scaled to at most :data:`VALUE_MAX`, weights in
thousandths (:data:`WEIGHT`), both rounded up so the model's value and bound are
never below the true ones.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from trafikplan.plan.checks.instance import AREA_SCALE, Instance
from trafikplan.plan.checks.visit import visit_sums

if TYPE_CHECKING:
    from typing import TypeAlias

    from ortools.sat.python.cp_model import CpModel, IntVar, LinearExpr

    Term: TypeAlias = LinearExpr | IntVar | int
    """An objective term (0 for a rule family without one)."""

Hint = Callable[[np.ndarray], int]
"""The value of an auxiliary variable in a plan, from the plan's ``x`` values (0 or 1)."""

__all__ = [
    "SOLVER_PARAMETERS",
    "VALUE_MAX",
    "WEIGHT",
    "CheckVars",
    "add_areas",
    "add_direct_value",
    "add_focus",
    "add_halo_value",
    "add_locked",
    "add_same_site",
    "add_shift_cap",
    "add_team_travel",
    "build_model",
    "cap_int",
    "focus_count",
    "hint_plan",
    "new_vars",
    "rules_model",
]

SOLVER_PARAMETERS: dict[str, float | bool] = {
    "keep_all_feasible_solutions_in_presolve": True,
    "max_presolve_iterations": 1,
    "presolve_probing_deterministic_time_limit": 0.3,
}
"""The check model's CP-SAT tuning on top of :func:`trafikplan.plan.cpsat.new_solver`: a short
presolve that keeps every feasible plan, so the hinted plan (:func:`hint_plan`) survives it."""

WEIGHT = 1000
"""Halo weights and the repeat factor in thousandths in the model."""
VALUE_MAX = 10_000
"""The largest slot value becomes this integer in the model."""


@dataclass
class CheckVars:
    """The decision variables of one instance's model and the candidates' arrays.

    Attributes
    ----------
    x : list of BoolVar
        ``x_c``: candidate ``c`` (row of ``inst.cand``) is in the plan.
    site, start, end, shift, team : ndarray of int
        The candidates' site, first slot, end slot, shift and team (codes).
    scale : float
        Model units per [score x h] of slot value.
    v_int : ndarray of int64, shape (sites, slots)
        Slot values in model units (rounded up).
    d_int : ndarray of int64
        Each candidate's direct value along the visit curve in model units (rounded up).
    aux : list of (variable, function of the x values)
        Auxiliary variables and their value in a plan (for hints).
    objective : linear expression or int
        The sum of the families' objective terms (:func:`build_model`).
    """

    x: list[IntVar]
    site: np.ndarray
    start: np.ndarray
    end: np.ndarray
    shift: np.ndarray
    team: np.ndarray
    scale: float
    v_int: np.ndarray
    d_int: np.ndarray
    aux: list[tuple[IntVar, Hint]] = field(default_factory=list)
    objective: Term = 0

    @property
    def n(self) -> int:
        """Number of candidates."""
        return len(self.x)


def new_vars(model: CpModel, inst: Instance) -> CheckVars:
    """Return one boolean per candidate of ``inst`` in ``model`` and the candidates' arrays."""
    cand = inst.cand
    peak = float(inst.value.max()) if inst.value.size else 0.0
    scale = VALUE_MAX / peak if peak > 0 else 1.0
    # rounded up, so the model's value (and bound) is never below the true one
    v_int = np.ceil(inst.value * scale - 1e-9).astype(np.int64)
    site, start, end = (cand[c].to_numpy() for c in ("site", "start", "end"))
    # along the visit curve, rounded up like the values
    d_int = np.ceil(visit_sums(v_int.astype(float), site, start, end - start, inst.visit)
                    - 1e-6).astype(np.int64)
    return CheckVars(
        x=[model.new_bool_var(f"x{i}") for i in range(len(cand))], site=site, start=start,
        end=end, shift=cand["shift"].to_numpy(), team=pd.factorize(cand["team"])[0],
        scale=scale, v_int=v_int, d_int=d_int)


def _ints(key: object) -> list[int]:
    """Return a group key of integer columns (one value or a tuple) as ints."""
    return np.asarray(key, dtype=np.int64).reshape(-1).tolist()


def _count_hint(ids: np.ndarray) -> Hint:
    """Hint: how many of the checks ``ids`` the plan has."""
    return lambda xv: int(xv[ids].sum())


def _sum_hint(ids: np.ndarray, weights: np.ndarray, empty: int) -> Hint:
    """Hint: ``sum(weights * x[ids])``, ``empty`` when that is 0."""
    return lambda xv: int((weights * xv[ids]).sum()) or empty


def _best_hint(i: int, ids: np.ndarray, d_int: np.ndarray) -> Hint:
    """Hint: 1 when check ``i`` is the plan's best of ``ids`` (it earns full value)."""
    return lambda xv: int(xv[i] == 1 and i == ids[np.argmax(d_int[ids] * xv[ids])])


def _halo_hint(ids: np.ndarray, ws: np.ndarray, own: np.ndarray, cap: int) -> Hint:
    """Hint: the capped halo weight of a site-slot, 0 when a check at the site covers it."""
    return lambda xv: 0 if xv[own].any() else int(min(cap, int((ws * xv[ids]).sum())))


def cap_int(inst: Instance) -> int:
    """Return the distance-halo cap in thousandths, rounded up (the bound stays valid)."""
    return math.ceil(inst.rules.distance_halo_cap * WEIGHT - 1e-9)


def _at_most_one_per_key(model: CpModel, v: CheckVars, key: np.ndarray,
                         idx: np.ndarray) -> None:
    order = np.lexsort((idx, key))
    key, idx = key[order], idx[order]
    cuts = np.flatnonzero(np.diff(key)) + 1
    for grp in np.split(idx, cuts):
        if grp.size > 1:
            model.add_at_most_one([v.x[i] for i in grp])


def add_team_travel(model: CpModel, v: CheckVars, inst: Instance) -> Term:
    """Rule 1: a team is at one place at a time, with setup and travel between checks."""
    g0 = math.ceil(inst.rules.setup_minutes / inst.step - 1e-9)
    span = v.end - v.start + g0
    idx = np.repeat(np.arange(v.n), span)
    offs = np.arange(idx.size) - np.repeat(np.cumsum(span) - span, span)
    slot = v.start[idx] + offs
    key = v.team[idx].astype(np.int64) * (inst.n_slots + g0 + 1) + slot
    _at_most_one_per_key(model, v, key, idx)
    far = inst.gap > g0
    np.fill_diagonal(far, False)
    if not far.any():
        return 0
    frame = pd.DataFrame({"team": v.team, "site": v.site, "start": v.start, "end": v.end,
                          "i": np.arange(v.n)})
    starts = {k: g["i"].to_numpy() for k, g in frame.groupby(["team", "site", "start"])}
    for key, grp in frame.groupby(["team", "site", "end"]):
        team, s, e = _ints(key)
        others = np.flatnonzero(far[s])
        for j in range(g0, int(inst.gap[s].max())):
            lits = [v.x[i] for i in grp["i"]]
            for b in others[inst.gap[s, others] > j]:
                lits += [v.x[i] for i in starts.get((team, b, e + j), ())]
            if len(lits) > len(grp):
                model.add_at_most_one(lits)
    return 0


def add_same_site(model: CpModel, v: CheckVars, inst: Instance) -> Term:
    """Rules 2 and 3: once per site and shift; per-site count and spacing."""
    g = inst.same_site_gap
    frame = pd.DataFrame({"site": v.site, "shift": v.shift, "i": np.arange(v.n)})
    for s, by_site in frame.groupby("site"):
        lits_site = [v.x[i] for i in by_site["i"]]
        if len(lits_site) > inst.rules.max_per_site_per_week:
            model.add(sum(lits_site) <= inst.rules.max_per_site_per_week)
        groups = []
        for k, grp in by_site.groupby("shift"):
            ids = grp["i"].to_numpy()
            y = model.new_bool_var(f"y{s}_{k}")
            model.add(sum(v.x[i] for i in ids) == y)
            v.aux.append((y, _count_hint(ids)))
            groups.append((k, ids, y))
        partial = False
        for p in range(len(groups)):
            for q in range(p + 1, len(groups)):
                ip, iq = groups[p][1], groups[q][1]
                lo_p, hi_p = v.start[ip].min(), v.start[ip].max()
                lo_q, hi_q = v.start[iq].min(), v.start[iq].max()
                ep_min, ep_max = v.end[ip].min(), v.end[ip].max()
                eq_min, eq_max = v.end[iq].min(), v.end[iq].max()
                all_conflict = hi_q < ep_min + g and hi_p < eq_min + g
                never = lo_q >= ep_max + g or lo_p >= eq_max + g
                if all_conflict:
                    model.add_at_most_one([groups[p][2], groups[q][2]])
                elif not never:
                    partial = True
        if partial:
            _spacing_intervals(model, v, groups, s, g)
    return 0


def _spacing_intervals(model: CpModel, v: CheckVars, groups: list[tuple[Any, np.ndarray, Any]],
                       s: object, g: int) -> None:
    """One optional interval ``[a, e + g)`` per shift at site ``s``, in a no-overlap."""
    intervals = []
    start, end = v.start, v.end
    for k, ids, y in groups:
        lo, hi = int(start[ids].min()), int(end[ids].max())
        st = model.new_int_var(lo, hi, f"st{s}_{k}")
        en = model.new_int_var(lo, hi, f"en{s}_{k}")
        model.add(st == sum(int(start[i]) * v.x[i] for i in ids)).only_enforce_if(y)
        model.add(en == sum(int(end[i]) * v.x[i] for i in ids)).only_enforce_if(y)
        size = model.new_int_var(0, hi - lo + g, f"sz{s}_{k}")
        v.aux += [
            (st, _sum_hint(ids, start[ids], lo)),
            (en, _sum_hint(ids, end[ids], lo)),
            (size, _sum_hint(ids, end[ids] - start[ids] + g, 0)),
        ]
        intervals.append(model.new_optional_interval_var(st, size, en + g, y, f"iv{s}_{k}"))
    model.add_no_overlap(intervals)


def focus_count(v: CheckVars, inst: Instance) -> Term:
    """Return the number of focus checks as a linear expression (0 without focus candidates)."""
    return sum(v.x[i] for i in np.flatnonzero(inst.cand["focus"].to_numpy()))


def add_focus(model: CpModel, v: CheckVars, inst: Instance, target: int) -> Term:
    """Rule 4: at least ``target`` checks on focus streets."""
    if target > 0:
        model.add(focus_count(v, inst) >= target)
    return 0


def add_areas(model: CpModel, v: CheckVars, inst: Instance) -> Term:
    """Rule 5: every area gets check minutes in proportion to its need (``inst.area_q``)."""
    q = inst.area_q
    if not q:
        return 0
    length = inst.cand["length"].to_numpy()
    area = inst.cand["area"].to_numpy()
    total = sum(int(length[i]) * v.x[i] for i in range(v.n))
    for a, qa in q.items():
        ids = np.flatnonzero(area == a)
        own = sum(int(length[i]) * v.x[i] for i in ids)
        model.add(AREA_SCALE * own >= qa * total)
    return 0


def add_shift_cap(model: CpModel, v: CheckVars, inst: Instance) -> Term:
    """Rule 6: at most ``max_checks_per_shift`` checks in one shift."""
    cap = inst.rules.max_checks_per_shift
    if cap <= 0:
        return 0
    for k in np.unique(v.shift):
        ids = np.flatnonzero(v.shift == k)
        if ids.size > cap:
            model.add(sum(v.x[i] for i in ids) <= cap)
    return 0


def add_locked(model: CpModel, v: CheckVars, inst: Instance) -> Term:
    """Keep the planner's locked checks in the plan."""
    for i in np.flatnonzero(inst.cand["locked"].to_numpy(bool)):
        model.add(v.x[i] == 1)
    return 0


def add_direct_value(model: CpModel, v: CheckVars, inst: Instance) -> Term:
    """Direct value with the time halo: the best check per site in full, others reduced.

    ``z_c <= x_c`` marks the one check per site that earns full value (only
    candidates allowed it by the earlier plans): objective ``r D_c x_c + (1 - r)
    D_c z_c`` with at most one ``z`` per site.
    """
    r = math.ceil(inst.rules.repeat_factor * WEIGHT - 1e-9)
    full_ok = inst.cand["full_ok"].to_numpy()
    has = np.flatnonzero(v.d_int > 0)
    terms: list[Term] = [sum(r * int(v.d_int[i]) * v.x[i] for i in has)]
    if r == WEIGHT:
        return terms[0]
    frame = pd.DataFrame({"site": v.site[has], "i": has})
    frame = frame[full_ok[has]]
    d_int = v.d_int
    for _, grp in frame.groupby("site"):
        zs = []
        ids = grp["i"].to_numpy()
        for i in ids:
            z = model.new_bool_var(f"z{i}")
            model.add_implication(z, v.x[i])
            zs.append(z)
            v.aux.append((z, _best_hint(int(i), ids, d_int)))
            terms.append((WEIGHT - r) * int(d_int[i]) * z)
        model.add_at_most_one(zs)
    return sum(terms)


def _occupancy(model: CpModel, v: CheckVars) -> tuple[pd.DataFrame, dict[tuple[int, int], Any]]:
    """Return each candidate's slots ``(site, slot, i, j)`` and a site-slot's occupancy literal."""
    span = v.end - v.start
    idx = np.repeat(np.arange(v.n), span)
    offs = np.arange(idx.size) - np.repeat(np.cumsum(span) - span, span)
    slot = v.start[idx] + offs
    cover = pd.DataFrame({"site": v.site[idx], "slot": slot, "i": idx, "j": offs})
    occ: dict[tuple[int, int], Any] = {}
    for key, by in cover.groupby(["site", "slot"])["i"]:
        s, t = _ints(key)
        ids = by.to_numpy()
        if ids.size == 1:
            occ[(int(s), int(t))] = v.x[int(ids[0])]
            continue
        o = model.new_bool_var(f"o{s}_{t}")
        model.add(sum(v.x[i] for i in ids) == o)
        v.aux.append((o, _count_hint(ids)))
        occ[(int(s), int(t))] = o
    return cover, occ


def add_halo_value(model: CpModel, v: CheckVars, inst: Instance) -> Term:
    """Distance-halo credit ``v(s', t) min(cap, sum w)`` of every site-slot, linear.

    A running candidate ``i`` at host ``s`` gives ``(s', t)`` the weight ``w_i =
    w(s, s') d(t - a_i)`` (``d`` the visit curve); at most one candidate per host
    runs (the same-site rule). A site-slot whose hosts' largest weights sum to at
    most ``cap`` and that no candidate at ``s'`` covers earns ``v sum_i w_i x_i``
    directly; any other gets ``h <= sum_i w_i x_i``, ``h <= cap`` and ``h <= cap (1 -
    o_{s',t})`` with objective ``v h`` (exact at the optimum: ``h`` is maximised).
    """
    from ortools.sat.python import cp_model

    w_int = np.ceil(inst.halo_w[None, :, :] * inst.visit[:, None, None] * WEIGHT
                    - 1e-9).astype(np.int64)
    cap = cap_int(inst)
    cover, occ = _occupancy(model, v)
    terms: list[Term] = []
    if not inst.halo_w.any():
        return 0
    lin = cp_model.LinearExpr
    has_halo = np.asarray(inst.halo_w.any(axis=0))
    for t_key, at in cover.groupby("slot"):
        t = _ints(t_key)[0]
        ids, hosts, offs_t = (at[c].to_numpy() for c in ("i", "site", "j"))
        wt = w_int[offs_t, hosts, :]                 # (candidates, targets)
        for s2 in np.flatnonzero(has_halo & (v.v_int[:, t] > 0)):
            near = np.flatnonzero(wt[:, s2] > 0)
            if near.size == 0:
                continue
            lits = [v.x[int(i)] for i in ids[near]]
            ws = wt[near, s2]
            val = int(v.v_int[s2, t])
            own = occ.get((int(s2), t))
            top = np.zeros(inst.value.shape[0], np.int64)
            np.maximum.at(top, hosts[near], ws)
            peak = int(top.sum())
            if own is None and peak <= cap:
                terms.append(lin.weighted_sum(lits, [int(val * w) for w in ws]))
                continue
            h = model.new_int_var(0, int(min(cap, peak)), f"h{s2}_{t}")
            model.add(h <= lin.weighted_sum(lits, [int(w) for w in ws]))
            if own is not None:
                model.add(h <= cap - cap * own)
            own_ids = ids[hosts == s2]
            v.aux.append((h, _halo_hint(ids[near], ws, own_ids, cap)))
            terms.append(val * h)
    return sum(terms)


def rules_model(inst: Instance, focus_target: int | None) -> tuple[CpModel, CheckVars]:
    """Return a model with every rule and no objective (``focus_target`` None: no rule 4)."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    v = new_vars(model, inst)
    add_team_travel(model, v, inst)
    add_same_site(model, v, inst)
    add_shift_cap(model, v, inst)
    add_locked(model, v, inst)
    if focus_target is not None:
        add_focus(model, v, inst, focus_target)
    add_areas(model, v, inst)
    return model, v


def build_model(inst: Instance, focus_target: int) -> tuple[CpModel, CheckVars]:
    """Return the model with every rule and the objective (``v.objective``, not yet set)."""
    model, v = rules_model(inst, focus_target)
    direct = add_direct_value(model, v, inst)
    halo = add_halo_value(model, v, inst)
    v.objective = direct + halo
    return model, v


def hint_plan(model: CpModel, v: CheckVars, chosen: set[int]) -> None:
    """Hint every variable with its value in the plan ``chosen`` (candidate indices)."""
    model.clear_hints()
    xv = np.zeros(v.n, dtype=np.int64)
    xv[sorted(chosen)] = 1
    for i in range(v.n):
        model.add_hint(v.x[i], bool(xv[i]))
    for var, fn in v.aux:
        model.add_hint(var, fn(xv))
