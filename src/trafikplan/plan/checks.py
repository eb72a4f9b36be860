r"""The police's weekly speed-check plan, optimised with CP-SAT.

Where and when do the teams run speed checks this week, and why there?

Time grid
---------
The week runs from Monday 00:00 to the next Monday 00:00 local time (167 or
169 hours in a week with a daylight-saving change). It is cut into slots of
``step_minutes`` counted from the week's start; checks start and end on slot
boundaries inside a team's shifts (a shift's first slot is the first boundary
at or after its start, its last ends at or before its end). A team's
overlapping or touching shifts are merged. A shift with an ``area`` in the
roster only checks sites of that area (an area that names no check spot's area,
such as the police district "Köping", restricts nothing).

Decision
--------
A candidate check ``c = (team, shift, site s, start a, end e)`` at a check
spot, lasting ``min_minutes``, ``min_minutes + length_step_minutes``, ... up
to ``max_minutes`` (short visits: 20, 40 or 60 minutes by default, on a
5-minute grid so that the 15-minute set-up is not rounded up); binary ``x_c``.

Candidates (:mod:`trafikplan.plan._instance`): a check starts on a quarter hour
(``start_step_minutes``) or fits tightly (at the shift's start or right after its
break, or ending at the break, the shift's end or a full hour: the flag values change
on full hours, so these are the starts where a check's own value peaks); and a site is a
candidate in a shift when the shift is among the site's ``shifts_per_site`` best or the
site among the shift's ``sites_per_shift`` best (by the best check's own value). The
planner's locked checks are always candidates. ``log["candidates_all"]`` counts them.

Rules (hard constraints)
------------------------
1. *One place at a time, with setup and travel*: two checks of one team
   (any shifts) are apart by at least ``g(s, s') = ceil((setup_minutes +
   60 d(s, s') / travel_kmh) / step)`` slots, ``d`` the haversine distance
   [km]. Encoded as one at-most-one per team and slot over the checks
   occupying ``[a, e + g0)`` (``g0 = ceil(setup/step)``), plus, for site
   pairs further apart, "a check ending at ``e`` at ``s`` excludes checks
   starting in ``[e + g0, e + g(s, s'))`` at ``s'``".
2. *A team checks a site at most once per shift.*
3. *Same site*: at most ``max_per_site_per_week`` checks per site, and the
   next check at a site starts at least ``min_hours_between_same_site`` after
   the previous one ended (also against the checks of earlier saved plans:
   candidates that would break it are never generated). Encoded with one
   optional interval ``[a, e + G)`` per site and shift in a no-overlap per
   site, plus cliques of shift pairs whose every check pair conflicts.
4. *Focus*: at least ``focus_min_per_week`` checks at sites on
   ``focus_streets`` when the roster allows. The greedy baseline shows
   whether it does; if it falls short, a first CP-SAT solve maximises the
   number of focus checks and the plan reports how many the roster allows.
5. *Areas in proportion to need*: with ``need(A)`` the value of the check
   spots of area ``A`` over the week's shift hours (any team on duty; areas
   some shift can reach),
   every area gets check minutes ``>= (1 - area_share_slack) * need(A) /
   sum(need) * total check minutes`` (share rounded up to thousandths).
6. *Cap per shift*: at most ``max_checks_per_shift`` checks in one shift.
7. *Break*: a shift longer than ``break_after_hours`` has a break of
   ``break_minutes`` in its middle (its first slot ``first + (last - first -
   b) // 2``, ``b = ceil(break_minutes / step)``) in which no check runs.

Objective
---------
``v(s, t)`` = flag ``score`` of site ``s`` for the local weekday and hour of
slot ``t``, times the share of the hour the slot covers, times ``1 -
recency_penalty`` when a check of an issued plan that started in the
``recency_weeks`` weeks before ran at ``s`` in the same local weekday and hour
(drivers must not learn where and when the checks come back). The *visit curve*
``d_j`` is ``0.5 ** (minutes since the check started / visit_halflife_minutes)``
averaged over the check's ``j``-th slot: one visit has diminishing returns, most
of its value comes in the first 20-30 minutes. A plan's value is

- **direct**: a check at ``s`` earns ``D_c = sum_{a <= t < e} v(s, t) d_{t - a}``.
  *Time halo* (diminishing returns for repeated presence): per site the best
  check earns ``D_c`` in full, every further check at the site that week
  earns ``repeat_factor * D_c``; a check that starts less than
  ``time_halo_hours`` after a check of an earlier saved plan at the same
  site earns only ``repeat_factor * D_c`` (so the halo holds across the week
  boundary);
- **distance halo**: a site-slot ``(s', t)`` not covered by a check at
  ``s'`` itself earns ``v(s', t) * min(cap, sum_c w(s_c, s') d_{t - a_c})``
  over the checks at other sites running in slot ``t``, with ``w(s, s') = 0.5
  ** (d(s, s') / distance_halo_km)`` (halving every 0.9 km by default) within
  ``distance_halo_radius_km`` (2 km) on the same street
  (``distance_halo_same_street``) and 0 otherwise, ``cap = distance_halo_cap``
  (0.1): a capped sum, so checks near one site add up but never to more than
  a tenth of a check there itself; sites without a check spot included.
  Each running check holds the share of that credit its weight has (its
  ``halo_value``, reported apart from ``direct_value``).

Solve
-----
1. *CP-SAT over the whole week.* The objective is linear: the halo of a
   site-slot is ``v * sum w o`` over the nearby sites' occupancy ``o`` (at
   most one check covers a site-slot) where that sum cannot exceed the cap
   and the site itself cannot be checked then, else an integer ``h <= sum w
   o``, ``h <= cap``, ``h <= cap (1 - o_own)`` (exact at the optimum).
   Integer coefficients: ``v`` scaled to at most 1e4 per slot, weights in
   thousandths, both rounded up. Candidates are pruned first (:func:`_prune`):
   per shift, start and length the ``candidates_per_start`` sites of highest
   own value (``direct + halo``), the same number of focus sites, two per
   area and the greedy plan's checks (``log`` holds ``candidates`` and
   ``candidates_all``). CP-SAT maximises from the greedy plan as a hint for a
   quarter of ``time_limit_s`` (deterministic time); on small weeks it
   proves the optimum.
2. *Local search over every candidate* (:mod:`trafikplan.plan.checks_local`):
   with the other checks fixed, a shift's best route is found exactly by
   dynamic programming over what each check adds; shifts are re-routed in
   turn while the value rises, then ``search_rounds`` rounds of
   perturbing three shifts and improving again (iterated local search).
3. *Unpredictable yet reproducible*: shifts are re-routed once more in an
   order and with a noise on the values seeded by ``seed`` and the ISO week,
   keeping the value ``>= (1 - value_tolerance)`` of the best found: the same
   data and seed give the same plan, another seed (or another week) another
   plan of near-equal value. Over weeks, the recency penalty (Objective) keeps
   the plans from repeating the site-hours of the issued plans.

Every step is deterministic (CP-SAT limits are deterministic time; a
wall-clock limit of ten times that is only a safety stop; ``num_workers``
above 1 runs CP-SAT's workers interleaved in fixed batches). The seed, the
parameters and the OR-Tools version go into :attr:`CheckPlan.log`.

Bound
-----
The reported bound holds for *every* plan of the week, not only for the kept
candidates: a Lagrangian bound over every check the rules allow, whatever the
candidate rules keep (:func:`trafikplan.plan.checks_week_bound.plan_bound`: every
shift's best route under multipliers for the per-site rules, the cap per shift and
the capped halo of each site-slot), or CP-SAT's bound when it is lower and covers
every allowed check (no candidate rule dropped any: ``candidates_per_start``,
``start_step_minutes``, ``shifts_per_site`` and ``sites_per_shift`` all 0) and the
solve got far enough to have one.
CP-SAT's bound over the kept candidates is in ``log["bound_kept"]``.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from trafikplan._errors import InfeasiblePlanError
from trafikplan.plan._instance import AREA_SCALE, Instance, build_instance, visit_sums
from trafikplan.plan._value import direct_coverage, evaluate, predictability
from trafikplan.plan.checks_bound import plan_bound
from trafikplan.plan.checks_greedy import greedy_plan
from trafikplan.plan.checks_local import search, vary
from trafikplan.plan.edits import PlanEdits, forbidden, roster_without
from trafikplan.settings import Settings

if TYPE_CHECKING:
    from trafikplan.io.tables import Tables

__all__ = [
    "PLANS_DIR",
    "PLAN_COLUMNS",
    "RELAXATIONS",
    "VALUE_MAX",
    "WEIGHT",
    "CheckPlan",
    "load_prior_plans",
    "plan_checks",
    "plan_week",
]

PLAN_COLUMNS = ("team", "start", "end", "site_id", "street", "reason", "value")
"""Columns of ``checks.csv`` (DESIGN.md)."""

PLANS_DIR = Path(".trafikplan") / "plans"
"""Saved plans (one ``YYYY-Www.parquet`` per week) inside the data folder."""

WEIGHT = 1000
"""Halo weights and the repeat factor in thousandths in the model."""
VALUE_MAX = 10_000
"""The largest slot value becomes this integer in the model."""


@dataclass
class CheckPlan:
    """A week's speed-check plan and how good it is.

    Attributes
    ----------
    checks : DataFrame
        One row per check, by team and start: ``team``, ``start``, ``end``
        (datetime64 in the settings' time zone), ``site_id``, ``street``,
        ``reason`` (str), ``value`` [score x h]; then ``area``, ``focus``,
        ``lat``, ``lon`` [deg], ``direct_value``, ``halo_value`` [score x h],
        ``repeated`` (bool: earns the repeat factor), ``section`` (str) and
        ``speed_limit`` [km/h] of the site.
    shifts : DataFrame
        The week's shifts as planned: ``team``, ``start``, ``end`` (local time,
        within the week) and ``break_start``, ``break_end`` (NaT without a break).
    value : float [score x h]
        The plan's value (sum of ``checks.value``).
    bound : float [score x h]
        Upper bound on the value of any plan of the week (module docstring, Bound).
    gap : float [1]
        ``(bound - value) / bound`` of this plan.
    best_value, best_gap : float
        Value and gap of the best plan found (before the seeded choice).
    greedy : DataFrame
        The greedy baseline, columns as ``checks``.
    greedy_value : float [score x h]
    direct_value, halo_value : float [score x h]
        The plan's value at the checks' own sites and its distance-halo value
        (``value = direct_value + halo_value``).
    predictability : float [1]
        Share of the plan's site-hours (site, local weekday, hour) checked in the
        issued plans of the last ``recency_weeks`` weeks
        (:func:`trafikplan.plan._value.predictability`).
    coverage, greedy_coverage : float [1]
        Share of the week's flagged need covered by a check at the site itself
        (:func:`trafikplan.plan._value.direct_coverage`), of this plan and of greedy's.
    status : str
        CP-SAT status of the main solve (``OPTIMAL`` or ``FEASIBLE``; ``SKIPPED``
        when the week is too large for it, see ``cpsat_max_candidates``).
    focus_target : int
        Focus checks required (``focus_min_per_week`` or what the roster allows).
    messages : list of str
        Things the planner should know (focus shortfall, unreachable areas).
    log : dict
        Week, seed, parameters, OR-Tools version, solve statistics.
    """

    week: str
    checks: pd.DataFrame
    value: float
    bound: float
    gap: float
    best_value: float
    best_gap: float
    greedy: pd.DataFrame
    greedy_value: float
    status: str
    focus_target: int
    greedy_focus_target: int
    messages: list[str] = field(default_factory=list)
    log: dict = field(default_factory=dict)
    direct_value: float = 0.0
    halo_value: float = 0.0
    coverage: float = 0.0
    greedy_coverage: float = 0.0
    predictability: float = 0.0
    shifts: pd.DataFrame = field(default_factory=pd.DataFrame)

    def per_team(self) -> pd.Series:
        """Return the number of checks per team."""
        return self.checks.groupby("team", sort=True).size()


def _t(settings: Settings, sv: str, en: str) -> str:
    return sv if settings.language == "sv" else en


# --------------------------------------------------------------------------- model


class _Model:
    """CP-SAT model of one instance: one method per constraint family."""

    def __init__(self, inst: Instance) -> None:
        from ortools.sat.python import cp_model

        self.cp_model = cp_model
        self.inst = inst
        self.m = cp_model.CpModel()
        cand = inst.cand
        self.n = len(cand)
        self.site = cand["site"].to_numpy()
        self.start = cand["start"].to_numpy()
        self.end = cand["end"].to_numpy()
        self.shift = cand["shift"].to_numpy()
        self.team = pd.factorize(cand["team"])[0]
        peak = float(inst.value.max()) if inst.value.size else 0.0
        self.scale = VALUE_MAX / peak if peak > 0 else 1.0
        # rounded up, so the model's value (and bound) is never below the true one
        self.v_int = np.ceil(inst.value * self.scale - 1e-9).astype(np.int64)
        # along the visit curve, rounded up like the values
        self.d_int = np.ceil(visit_sums(self.v_int.astype(float), self.site, self.start,
                                        self.end - self.start, inst.visit) - 1e-6
                             ).astype(np.int64)
        self.x = [self.m.new_bool_var(f"x{i}") for i in range(self.n)]
        self.objective_terms: list = []
        self.aux: list[tuple[object, object]] = []
        """Auxiliary variables with a function of the x values giving their value."""

    # -- rule 1: a team is at one place at a time, with setup and travel
    def team_no_overlap(self) -> None:
        inst = self.inst
        g0 = math.ceil(inst.rules.setup_minutes / inst.step - 1e-9)
        span = self.end - self.start + g0
        idx = np.repeat(np.arange(self.n), span)
        offs = np.arange(idx.size) - np.repeat(np.cumsum(span) - span, span)
        slot = self.start[idx] + offs
        key = self.team[idx].astype(np.int64) * (inst.n_slots + g0 + 1) + slot
        self._cliques(key, idx)
        far = inst.gap > g0
        np.fill_diagonal(far, False)
        if not far.any():
            return
        frame = pd.DataFrame({"team": self.team, "site": self.site, "start": self.start,
                              "end": self.end, "i": np.arange(self.n)})
        starts = {k: g["i"].to_numpy() for k, g in frame.groupby(["team", "site", "start"])}
        for (team, s, e), grp in frame.groupby(["team", "site", "end"]):
            others = np.flatnonzero(far[s])
            for j in range(g0, int(inst.gap[s].max())):
                lits = [self.x[i] for i in grp["i"]]
                for b in others[inst.gap[s, others] > j]:
                    lits += [self.x[i] for i in starts.get((team, b, e + j), ())]
                if len(lits) > len(grp):
                    self.m.add_at_most_one(lits)

    def _cliques(self, key: np.ndarray, idx: np.ndarray) -> None:
        order = np.lexsort((idx, key))
        key, idx = key[order], idx[order]
        cuts = np.flatnonzero(np.diff(key)) + 1
        for grp in np.split(idx, cuts):
            if grp.size > 1:
                self.m.add_at_most_one([self.x[i] for i in grp])

    # -- rules 2 and 3: once per site and shift; per-site count and spacing
    def same_site(self) -> None:
        inst, m = self.inst, self.m
        g = inst.same_site_gap
        frame = pd.DataFrame({"site": self.site, "shift": self.shift, "i": np.arange(self.n)})
        self.group_present: dict[tuple[int, int], object] = {}
        for s, by_site in frame.groupby("site"):
            lits_site = [self.x[i] for i in by_site["i"]]
            if len(lits_site) > inst.rules.max_per_site_per_week:
                m.add(sum(lits_site) <= inst.rules.max_per_site_per_week)
            groups = []
            for k, grp in by_site.groupby("shift"):
                ids = grp["i"].to_numpy()
                y = m.new_bool_var(f"y{s}_{k}")
                m.add(sum(self.x[i] for i in ids) == y)
                self.aux.append((y, lambda xv, ids=ids: int(xv[ids].sum())))
                self.group_present[(s, k)] = y
                groups.append((k, ids, y))
            intervals = []
            partial = False
            for p in range(len(groups)):
                for q in range(p + 1, len(groups)):
                    ip, iq = groups[p][1], groups[q][1]
                    lo_p, hi_p = self.start[ip].min(), self.start[ip].max()
                    lo_q, hi_q = self.start[iq].min(), self.start[iq].max()
                    ep_min, ep_max = self.end[ip].min(), self.end[ip].max()
                    eq_min, eq_max = self.end[iq].min(), self.end[iq].max()
                    all_conflict = hi_q < ep_min + g and hi_p < eq_min + g
                    never = lo_q >= ep_max + g or lo_p >= eq_max + g
                    if all_conflict:
                        m.add_at_most_one([groups[p][2], groups[q][2]])
                    elif not never:
                        partial = True
            if not partial:
                continue
            for k, ids, y in groups:
                lo, hi = int(self.start[ids].min()), int(self.end[ids].max())
                st = m.new_int_var(lo, hi, f"st{s}_{k}")
                en = m.new_int_var(lo, hi, f"en{s}_{k}")
                m.add(st == sum(int(self.start[i]) * self.x[i] for i in ids)).only_enforce_if(y)
                m.add(en == sum(int(self.end[i]) * self.x[i] for i in ids)).only_enforce_if(y)
                size = m.new_int_var(0, hi - lo + g, f"sz{s}_{k}")
                self.aux += [
                    (st, lambda xv, ids=ids, lo=lo: int((self.start[ids] * xv[ids]).sum()) or lo),
                    (en, lambda xv, ids=ids, lo=lo: int((self.end[ids] * xv[ids]).sum()) or lo),
                    (size, lambda xv, ids=ids, g=g: int(((self.end[ids] - self.start[ids] + g)
                                                         * xv[ids]).sum())),
                ]
                intervals.append(m.new_optional_interval_var(st, size, en + g, y, f"iv{s}_{k}"))
            m.add_no_overlap(intervals)

    # -- rule 4
    def focus(self, target: int) -> None:
        lits = [self.x[i] for i in np.flatnonzero(self.inst.cand["focus"].to_numpy())]
        if target > 0:
            self.m.add(sum(lits) >= target)

    def focus_count(self):
        """Return the number of focus checks as a linear expression."""
        return sum(self.x[i] for i in np.flatnonzero(self.inst.cand["focus"].to_numpy()))

    # -- rule 5
    def areas(self) -> None:
        q = self.inst.area_q
        if not q:
            return
        length = self.inst.cand["length"].to_numpy()
        area = self.inst.cand["area"].to_numpy()
        total = sum(int(length[i]) * self.x[i] for i in range(self.n))
        for a, qa in q.items():
            ids = np.flatnonzero(area == a)
            own = sum(int(length[i]) * self.x[i] for i in ids)
            self.m.add(AREA_SCALE * own >= qa * total)

    # -- objective: direct value with the time halo
    def direct_value(self) -> None:
        """Best check per site in full, the others times ``repeat_factor``.

        ``z_c <= x_c`` marks the one check per site that earns full value
        (only candidates allowed it by the earlier plans): objective
        ``r D_c x_c + (1 - r) D_c z_c`` with at most one ``z`` per site.
        """
        inst, m = self.inst, self.m
        r = math.ceil(inst.rules.repeat_factor * WEIGHT - 1e-9)
        full_ok = inst.cand["full_ok"].to_numpy()
        has = np.flatnonzero(self.d_int > 0)
        self.objective_terms.append(sum(r * int(self.d_int[i]) * self.x[i] for i in has))
        if r == WEIGHT:
            return
        frame = pd.DataFrame({"site": self.site[has], "i": has})
        frame = frame[full_ok[has]]
        for _, grp in frame.groupby("site"):
            zs = []
            ids = grp["i"].to_numpy()
            for i in ids:
                z = m.new_bool_var(f"z{i}")
                m.add_implication(z, self.x[i])
                zs.append(z)
                self.aux.append((z, lambda xv, i=i, ids=ids: int(
                    xv[i] == 1 and i == ids[np.argmax(self.d_int[ids] * xv[ids])])))
                self.objective_terms.append((WEIGHT - r) * int(self.d_int[i]) * z)
            m.add_at_most_one(zs)

    # -- objective: distance halo, a capped sum of the running checks' weights
    def halo_value(self) -> None:
        """Distance-halo credit ``v(s', t) min(cap, sum w)`` of every site-slot, linear.

        A running candidate ``i`` at host ``s`` gives ``(s', t)`` the weight
        ``w_i = w(s, s') d(t - a_i)`` (``d`` the visit curve); at most one
        candidate per host runs (the same-site rule). A site-slot whose hosts'
        largest weights sum to at most ``cap`` and that no candidate at ``s'``
        covers earns ``v sum_i w_i x_i`` directly; any other gets ``h <= sum_i
        w_i x_i``, ``h <= cap`` and ``h <= cap (1 - o_{s',t})`` with objective
        ``v h`` (exact at the optimum: ``h`` is maximised).
        """
        inst, m = self.inst, self.m
        w_int = np.ceil(inst.halo_w[None, :, :] * inst.visit[:, None, None] * WEIGHT
                        - 1e-9).astype(np.int64)
        cap = _cap_int(inst)
        span = self.end - self.start
        idx = np.repeat(np.arange(self.n), span)
        offs = np.arange(idx.size) - np.repeat(np.cumsum(span) - span, span)
        slot = self.start[idx] + offs
        cover = pd.DataFrame({"site": self.site[idx], "slot": slot, "i": idx, "j": offs})
        occ: dict[tuple[int, int], object] = {}
        for (s, t), ids in cover.groupby(["site", "slot"])["i"]:
            ids = ids.to_numpy()
            if ids.size == 1:
                occ[(int(s), int(t))] = self.x[int(ids[0])]
                continue
            o = m.new_bool_var(f"o{s}_{t}")
            m.add(sum(self.x[i] for i in ids) == o)
            self.aux.append((o, lambda xv, ids=ids: int(xv[ids].sum())))
            occ[(int(s), int(t))] = o
        self.cover = cover
        if not inst.halo_w.any():
            return
        lin = self.cp_model.LinearExpr
        has_halo = inst.halo_w.any(axis=0)
        for t, at in cover.groupby("slot"):
            t = int(t)
            ids, hosts, offs_t = (at[c].to_numpy() for c in ("i", "site", "j"))
            wt = w_int[offs_t, hosts, :]                 # (candidates, targets)
            for s2 in np.flatnonzero(has_halo & (self.v_int[:, t] > 0)):
                near = np.flatnonzero(wt[:, s2] > 0)
                if near.size == 0:
                    continue
                lits = [self.x[int(i)] for i in ids[near]]
                ws = wt[near, s2]
                v = int(self.v_int[s2, t])
                own = occ.get((int(s2), t))
                top = np.zeros(inst.value.shape[0], np.int64)
                np.maximum.at(top, hosts[near], ws)
                peak = int(top.sum())
                if own is None and peak <= cap:
                    self.objective_terms.append(lin.weighted_sum(lits, [int(v * w) for w in ws]))
                    continue
                h = m.new_int_var(0, int(min(cap, peak)), f"h{s2}_{t}")
                m.add(h <= lin.weighted_sum(lits, [int(w) for w in ws]))
                if own is not None:
                    m.add(h <= cap - cap * own)
                own_ids = ids[hosts == s2]
                self.aux.append((h, lambda xv, c=ids[near], ws=ws, o=own_ids: 0 if xv[o].any()
                                 else int(min(cap, int((ws * xv[c]).sum())))))
                self.objective_terms.append(v * h)

    # -- the planner's locked checks
    def locked(self) -> None:
        for i in np.flatnonzero(self.inst.cand["locked"].to_numpy(bool)):
            self.m.add(self.x[i] == 1)

    # -- rule 6: a cap on the checks of one shift
    def shift_cap(self) -> None:
        cap = self.inst.rules.max_checks_per_shift
        if cap <= 0:
            return
        for k in np.unique(self.shift):
            ids = np.flatnonzero(self.shift == k)
            if ids.size > cap:
                self.m.add(sum(self.x[i] for i in ids) <= cap)

    def build(self, focus_target: int) -> None:
        """Add every rule and the objective."""
        self.team_no_overlap()
        self.same_site()
        self.shift_cap()
        self.locked()
        self.focus(focus_target)
        self.areas()
        self.direct_value()
        self.halo_value()
        self.objective = sum(self.objective_terms)

    def solver(self, time_limit: float, seed: int, workers: int):
        solver = self.cp_model.CpSolver()
        p = solver.parameters
        p.num_workers = max(1, workers)
        p.random_seed = int(seed) % (2**31 - 1)
        if workers > 1:
            # workers take turns in fixed batches: reproducible with several workers
            p.interleave_search = True
        p.max_deterministic_time = float(time_limit)
        p.max_time_in_seconds = 10.0 * float(time_limit)
        p.log_search_progress = False
        p.keep_all_feasible_solutions_in_presolve = True
        p.max_presolve_iterations = 1
        p.presolve_probing_deterministic_time_limit = 0.3
        return solver

    def hint(self, chosen: set[int]) -> None:
        """Hint every variable with its value in the plan ``chosen``."""
        self.m.clear_hints()
        xv = np.zeros(self.n, dtype=np.int64)
        xv[sorted(chosen)] = 1
        self._running = np.zeros(self.v_int.shape, bool)
        for i in sorted(chosen):
            self._running[self.site[i], self.start[i]:self.end[i]] = True
        for i in range(self.n):
            self.m.add_hint(self.x[i], bool(xv[i]))
        for var, fn in self.aux:
            self.m.add_hint(var, fn(xv))


def _apply_edits(inst: Instance, edits: PlanEdits) -> Instance:
    """Drop the forbidden candidates and mark the locked ones (rows of ``inst.cand``).

    Raises
    ------
    InputError
        A locked check that is no candidate (off the grid, outside its team's
        shifts, not a check spot, a length the rules do not allow).
    """
    from trafikplan._errors import InputError

    cand = inst.cand
    if not edits or cand.empty:
        return inst
    site_ids = inst.site_ids[cand["site"].to_numpy()]
    start = inst.slot_time(cand["start"].to_numpy())
    end = inst.slot_time(cand["end"].to_numpy())
    locked = np.zeros(len(cand), bool)
    team = cand["team"].astype(str).to_numpy()
    for lk in edits.lock.itertuples(index=False):
        if not (inst.t0 <= lk.start < inst.t1):
            continue
        hit = np.flatnonzero((team == lk.team) & (site_ids == lk.site_id)
                             & np.asarray(start == lk.start) & np.asarray(end == lk.end))
        if hit.size == 0:
            raise InputError(f"locked check {lk.team} {lk.site_id} {lk.start} - {lk.end} is "
                             "not a possible check (grid, shift, check spot or length)",
                             column="lock")
        locked[hit[0]] = True
    drop = forbidden(site_ids, start, end, edits.forbid) & ~locked
    cand = cand.assign(locked=locked)[~drop].reset_index(drop=True)
    return dataclasses.replace(inst, cand=cand)


def _every_check(inst: Instance) -> bool:
    """Return whether the candidates hold every check the rules allow (no candidate rule)."""
    r = inst.rules
    every_start = r.start_step_minutes <= inst.step or r.start_step_minutes % inst.step != 0
    return every_start and r.shifts_per_site <= 0 and r.sites_per_shift <= 0


def _cap_int(inst: Instance) -> int:
    """Return the distance-halo cap in thousandths, rounded up (the bound stays valid)."""
    return math.ceil(inst.rules.distance_halo_cap * WEIGHT - 1e-9)


def _focus_target(inst: Instance, greedy: pd.DataFrame, settings: Settings,
                  messages: list[str]) -> tuple[int, int]:
    want = inst.rules.focus_min_per_week
    have = int(greedy["focus"].sum()) if len(greedy) else 0
    if want <= 0 or have >= want:
        return max(want, 0), max(want, 0)
    model = _Model(inst)
    model.team_no_overlap()
    model.same_site()
    model.shift_cap()
    model.locked()
    model.areas()
    count = model.focus_count()
    if isinstance(count, int):
        best, proven = 0, True
    else:
        model.m.maximize(count)
        solver = model.solver(max(1.0, inst.rules.time_limit_s / 3), inst.rules.seed,
                              inst.rules.num_workers)
        status = solver.solve(model.m)
        if status == model.cp_model.INFEASIBLE:
            raise InfeasiblePlanError("the check rules contradict each other: no plan exists")
        found = status in (model.cp_model.OPTIMAL, model.cp_model.FEASIBLE)
        best = round(solver.objective_value) if found else 0
        proven = status == model.cp_model.OPTIMAL
    target = min(want, max(best, have))
    if target >= want:
        return want, have
    messages.append(_t(
        settings,
        f"schemat räcker bara till {target} av {want} kontroller på fokusgator"
        + ("" if proven else " (fler hittades inte inom tidsgränsen)"),
        f"the roster allows only {target} of {want} checks on focus streets"
        + ("" if proven else " (no more found within the time limit)")))
    return target, min(have, target)


def _prune(inst: Instance, greedy: pd.DataFrame) -> tuple[Instance, np.ndarray]:
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
    return _sub(inst, kept), kept


def _run(model: _Model, time_limit: float, seed: int, workers: int):
    solver = model.solver(time_limit, seed, workers)
    status = solver.solve(model.m)
    cp = model.cp_model
    if status == cp.INFEASIBLE:
        raise InfeasiblePlanError("the check rules contradict each other: no plan exists")
    chosen = None
    if status in (cp.OPTIMAL, cp.FEASIBLE):
        chosen = {i for i in range(model.n) if solver.boolean_value(model.x[i])}
    return solver, status, chosen


def _sub(inst: Instance, keep: np.ndarray) -> Instance:
    """Return the instance with only the candidates ``keep`` (indices into ``inst.cand``)."""
    return dataclasses.replace(inst, cand=inst.cand.iloc[keep].reset_index(drop=True))


def _feasible_plan(inst: Instance, focus_target: int) -> set[int] | None:
    """Return a plan obeying every rule (no objective), when the greedy one does not."""
    model = _Model(inst)
    model.team_no_overlap()
    model.same_site()
    model.shift_cap()
    model.locked()
    model.focus(focus_target)
    model.areas()
    solver = model.solver(max(1.0, inst.rules.time_limit_s / 3), inst.rules.seed, 1)
    status = solver.solve(model.m)
    if status == model.cp_model.INFEASIBLE:
        raise InfeasiblePlanError("the check rules contradict each other: no plan exists")
    if status not in (model.cp_model.OPTIMAL, model.cp_model.FEASIBLE):
        return None
    return {i for i in range(model.n) if solver.boolean_value(model.x[i])}


def _solve(full: Instance, kept: np.ndarray, greedy: pd.DataFrame, focus_target: int,
           seed: int) -> tuple[pd.DataFrame, dict]:
    """Solve for the best plan from the greedy hint, then pick among near-best by seed.

    ``full`` holds every candidate, ``kept`` the pruned ones the whole-week
    model sees; the polish and the seeded choice re-plan single shifts with
    all their candidates. Returned checks are rows of ``full.cand``.
    """
    rules = full.rules
    greedy_set = {int(i) for i in greedy.index}
    greedy_ok = (int(greedy["focus"].sum()) if len(greedy) else 0) >= focus_target
    limit = max(float(rules.time_limit_s), 1.0)
    stats: dict = {"wall_s": 0.0, "deterministic_s": 0.0, "scale": 1.0, "bound": None,
                   "candidates": len(kept)}
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
           limit: float, stats: dict) -> set[int] | None:
    """Plan the whole week with CP-SAT over the ``kept`` candidates from the greedy hint.

    Returns the best plan found (rows of ``full.cand``), None when no check has
    value; ``stats`` gets the status, CP-SAT's bound over the kept candidates
    (in model units, ``scale``), the model's size and the solver's time.
    """
    rules = full.rules
    inst = _sub(full, kept)
    model = _Model(inst)
    model.build(focus_target)
    stats.update(scale=model.scale, candidates=model.n)
    if isinstance(model.objective, int):
        stats.update(status="OPTIMAL", bound=0, best_value=0.0)
        return None
    model.m.maximize(model.objective)
    if greedy_set is not None:
        start = {int(i) for i in np.searchsorted(kept, sorted(greedy_set))}
    else:
        start = _feasible_plan(inst, focus_target)
    if start is not None:
        model.hint(start)
    # the best plan does not depend on the seed: only the choice among near-best does;
    # a quarter of the time for CP-SAT over the whole week, then the local search;
    # without a feasible plan to start from, the whole limit goes to finding one
    solver, status, chosen = _run(model, max(1.0, limit / 4) if start else limit, 0,
                                  rules.num_workers)
    stats["wall_s"] += solver.wall_time
    stats["deterministic_s"] += solver.deterministic_time
    best_set = start
    if chosen is not None and (best_set is None
                               or _objective_of(model, chosen) > _objective_of(model, best_set)):
        best_set = chosen
    if best_set is None:
        raise InfeasiblePlanError(
            f"no plan found within time_limit_s = {rules.time_limit_s} s; raise it in [checks]")
    # CP-SAT's bound holds for the kept candidates once the solve has a solution
    known = status in (model.cp_model.OPTIMAL, model.cp_model.FEASIBLE)
    stats.update(status=solver.status_name(status),
                 bound=math.floor(solver.best_objective_bound + 1e-6) if known else None,
                 variables=len(model.m.proto.variables),
                 constraints=len(model.m.proto.constraints))
    return {int(kept[i]) for i in best_set}


def _objective_of(model: _Model, chosen: set[int]) -> int:
    """Integer objective of a chosen set of the model's candidates, as the model has it."""
    inst, v_int = model.inst, model.v_int
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
    for row in plan.itertuples(index=False):
        covered[row.site, row.start:row.end] = True
        total[:, row.start:row.end] += w_int[: row.end - row.start, row.site, :].T
    halo = int((np.where(covered, 0, np.minimum(total, _cap_int(inst))) * v_int).sum())
    return direct + halo


# --------------------------------------------------------------------------- output


def _reasons(inst: Instance, plan: pd.DataFrame) -> list[str]:
    settings = inst.settings
    lookup = inst.reasons.set_index(["site", "code"])["reason"]
    wd_hr = _slot_codes(inst)
    out = []
    for row in plan.itertuples(index=False):
        if row.halo_value > row.direct_value and row.halo_site >= 0:
            target = int(row.halo_site)
            # the other site's speed limit is said to be there, never left to read as this one's
            base = _ROAD.sub("", _best_reason(inst, lookup, wd_hr, target, row.start, row.end))
            km = f"{inst.dist[row.site, target]:.1f}".replace(".", "," if
                                                              settings.language == "sv" else ".")
            limit = inst.speed_limit[target]
            there = "" if not np.isfinite(limit) else _t(
                settings, f", {limit:.0f}-väg där", f", a {limit:.0f} road there")
            if inst.street[target] == inst.street[row.site]:
                text = _t(settings, f"Även {inst.street[target]} {km} km bort{there}: {base}",
                          f"Also {inst.street[target]} {km} km away{there}: {base}")
            else:
                text = _t(settings, f"Nära {inst.street[target]} ({km} km{there}): {base}",
                          f"Near {inst.street[target]} ({km} km{there}): {base}")
        elif row.direct_value > 0:
            text = _best_reason(inst, lookup, wd_hr, int(row.site), row.start, row.end)
        else:
            text = ""
        if row.focus:
            tag = _t(settings, "Fokusgata i medborgarlöftet", "Focus street of the citizen pledge")
            text = f"{tag}; {text}" if text else tag
        if row.mult < 1.0:
            text += _t(settings, " (upprepad kontroll på platsen: reducerat värde)",
                       " (repeated check at this site: reduced value)")
        out.append(text)
    return out


_ROAD = re.compile(r"\s*(på \d+-väg|on a \d+ road)")
"""The speed-limit phrase of a flag reason (:mod:`trafikplan.flags.reasons`)."""


def _slot_codes(inst: Instance) -> np.ndarray:
    times = inst.slot_time(np.arange(inst.n_slots)).tz_convert(inst.settings.timezone)
    return times.day_of_week.to_numpy() * 24 + times.hour.to_numpy()


def _best_reason(inst: Instance, lookup: pd.Series, codes: np.ndarray, site: int,
                 a: int, e: int) -> str:
    """Return the flag reason of the local hour the check ``[a, e)`` overlaps most.

    Among the hours with a reason, the one with the most of the check's minutes (then
    the higher value, then the earlier); when the check runs partly outside that hour
    the text says how many of its minutes fall in it.
    """
    hours, first, slots = np.unique(codes[a:e], return_index=True, return_counts=True)
    worth = np.add.reduceat(inst.value[site, a:e], np.sort(first))[np.argsort(np.argsort(first))]
    texts = [str(lookup.get((site, int(h)), "") or "") for h in hours]
    ok = [i for i, x in enumerate(texts) if x]
    if not ok:
        return _t(inst.settings, f"flaggad tid på {inst.street[site]}",
                  f"flagged hour at {inst.street[site]}")
    i = max(ok, key=lambda i: (int(slots[i]), float(worth[i]), -int(first[i])))
    if slots[i] == e - a:
        return texts[i]
    part, total = int(slots[i]) * inst.step, (e - a) * inst.step
    return texts[i] + _t(inst.settings, f" ({part} av kontrollens {total} min i den timmen)",
                         f" ({part} of the check's {total} min in that hour)")


def _shift_table(inst: Instance) -> pd.DataFrame:
    tz = inst.settings.timezone
    sh = inst.shifts
    has = sh["break_first"].to_numpy() >= 0
    brk0 = inst.slot_time(np.where(has, sh["break_first"], 0)).tz_convert(tz)
    brk1 = inst.slot_time(np.where(has, sh["break_last"], 0)).tz_convert(tz)
    return pd.DataFrame({
        "team": sh["team"].astype(str).to_numpy(),
        "start": sh["start"].dt.tz_convert(tz).to_numpy(),
        "end": sh["end"].dt.tz_convert(tz).to_numpy(),
        "break_start": pd.Series(brk0).where(has),
        "break_end": pd.Series(brk1).where(has),
    }).assign(start=lambda d: pd.to_datetime(d["start"], utc=True).dt.tz_convert(tz),
              end=lambda d: pd.to_datetime(d["end"], utc=True).dt.tz_convert(tz))


def _to_table(inst: Instance, plan: pd.DataFrame) -> pd.DataFrame:
    tz = inst.settings.timezone
    if plan.empty:
        cols = {c: pd.Series(dtype=object) for c in PLAN_COLUMNS}
        df = pd.DataFrame(cols)
        df["start"] = pd.Series(dtype=f"datetime64[ns, {tz}]")
        df["end"] = pd.Series(dtype=f"datetime64[ns, {tz}]")
        df["value"] = pd.Series(dtype=float)
        for c in ("area", "focus", "lat", "lon", "direct_value", "halo_value", "repeated",
                  "section", "speed_limit"):
            df[c] = pd.Series(dtype=object)
        return df
    s = plan["site"].to_numpy()
    df = pd.DataFrame({
        "team": plan["team"].astype(str).to_numpy(),
        "start": inst.slot_time(plan["start"].to_numpy()).tz_convert(tz),
        "end": inst.slot_time(plan["end"].to_numpy()).tz_convert(tz),
        "site_id": inst.site_ids[s],
        "street": inst.street[s],
        "reason": _reasons(inst, plan),
        "value": plan["value"].to_numpy(float),
        "area": inst.area[s],
        "focus": plan["focus"].to_numpy(bool),
        "lat": inst.lat[s],
        "lon": inst.lon[s],
        "direct_value": plan["direct_value"].to_numpy(float),
        "halo_value": plan["halo_value"].to_numpy(float),
        "repeated": plan["mult"].to_numpy() < 1.0,
        "section": inst.section[s],
        "speed_limit": inst.speed_limit[s],
    })
    return df.sort_values(["team", "start", "site_id"], kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- API


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
        (:func:`trafikplan.io.roster.read_roster`).
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
    for key, loose, sv, en in ((None, None, "", ""), *RELAXATIONS):
        if key is not None:
            if getattr(settings.checks, key) == loose:
                continue
            settings = dataclasses.replace(
                settings, checks=dataclasses.replace(settings.checks, **{key: loose}))
            relaxed.append(key)
            notes.append(_t(settings, f"{sv} gav en tom plan och släpptes ({key} = {loose})",
                            f"{en} left the plan empty and was relaxed ({key} = {loose})"))
        try:
            plan = _plan_once(flags, sites, roster, settings, week, prior=prior, seed=seed,
                              edits=edits)
        except InfeasiblePlanError as exc:
            if not any(w in str(exc) for w in ("contradict", "no plan found")):
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
        raise InfeasiblePlanError(f"{error} (even with {', '.join(relaxed)} relaxed)")
    plan.messages[:0] = [*notes, _t(
        settings, "ingen kontroll kunde planeras ens med reglerna ovan släppta",
        "no check could be planned even with the rules above relaxed")]
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
    from ortools import __version__ as ortools_version

    seed = settings.checks.seed if seed is None else int(seed)
    edits = edits or PlanEdits()
    full = build_instance(flags, sites, roster_without(roster, edits.away), settings, week,
                          prior=prior, keep=edits.lock)
    full = _apply_edits(full, edits)
    messages = list(full.messages)
    greedy = greedy_plan(full)
    pruned, kept = _prune(full, greedy)
    n_all = len(full.cand)
    focus_target, greedy_focus = _focus_target(pruned, greedy, settings, messages)
    plan, stats = _solve(full, kept, greedy, focus_target, seed)
    week_bound = plan_bound(full, stats.get("best_value", float(greedy["value"].sum())),
                            max_iterations=settings.checks.bound_iterations)
    stats["candidates_all"] = n_all
    scale = stats["scale"] * WEIGHT
    bound_kept = None if stats["bound"] is None else stats["bound"] / scale
    value = float(plan["value"].sum()) if len(plan) else 0.0
    best_value = stats.get("best_value", 0.0)
    bound, method = week_bound.bound, "lagrangian"
    if (bound_kept is not None and _every_check(full) and stats["candidates"] == n_all
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
        week=week, checks=_to_table(full, plan), value=value, bound=bound, gap=gap,
        best_value=best_value, best_gap=best_gap,
        greedy=_to_table(full, greedy), greedy_value=float(greedy["value"].sum()),
        status=stats["status"], focus_target=focus_target, greedy_focus_target=greedy_focus,
        messages=messages, log=log,
        direct_value=float(plan["direct_value"].sum()) if len(plan) else 0.0,
        halo_value=float(plan["halo_value"].sum()) if len(plan) else 0.0,
        coverage=direct_coverage(full, plan), greedy_coverage=direct_coverage(full, greedy),
        predictability=predictability(full, plan), shifts=_shift_table(full),
    )


def load_prior_plans(data_dir: Path | str, week: str) -> pd.DataFrame:
    """Return the checks of every saved plan except ``week``'s own.

    Parameters
    ----------
    data_dir : Path or str
        The data folder; plans live in ``.trafikplan/plans/YYYY-Www.parquet``.
    week : str
        The week being planned (its earlier version is replaced, not kept).

    Returns
    -------
    DataFrame
        ``team, start, end`` (UTC), ``site_id``, ``week``.
    """
    folder = Path(data_dir) / PLANS_DIR
    frames = []
    for path in sorted(folder.glob("*.parquet")) if folder.is_dir() else []:
        if path.stem.upper() == week.upper():
            continue
        df = pd.read_parquet(path, columns=["team", "start", "end", "site_id"])
        df["week"] = path.stem
        frames.append(df)
    if not frames:
        return pd.DataFrame({"team": pd.Series(dtype=object),
                             "start": pd.Series(dtype="datetime64[ns, UTC]"),
                             "end": pd.Series(dtype="datetime64[ns, UTC]"),
                             "site_id": pd.Series(dtype=object), "week": pd.Series(dtype=object)})
    out = pd.concat(frames, ignore_index=True)
    out["start"] = pd.to_datetime(out["start"], utc=True)
    out["end"] = pd.to_datetime(out["end"], utc=True)
    return out


def plan_week(
    tables: Tables,
    week: str,
    *,
    seed: int | None = None,
    time_limit_s: float | None = None,
    roster: pd.DataFrame | None = None,
    flags: pd.DataFrame | None = None,
    edits: PlanEdits | None = None,
) -> CheckPlan:
    """Plan a week's checks from a loaded data folder, learning from completed checks.

    The one entry point of ``trafikplan plan checks`` and ``trafikplan run``:

    1. flags from every table (:func:`trafikplan.flags.flags_of`: counters,
       reports and the evidence of completed checks);
    2. site-hours valued by :func:`trafikplan.plan.learning.learning_value`
       (what checks found, plus exploration where evidence is thin);
    3. the time halo measured from counters after past checks when enough
       checks support it (:func:`trafikplan.plan.learning.planner_halo`),
       else the ``[checks]`` defaults; its note goes into ``messages``;
    4. the same-site spacing and the halo against earlier saved plans
       (:func:`load_prior_plans`).

    Parameters
    ----------
    tables : Tables
        From :func:`trafikplan.load` (``data_dir``, ``settings``, ``sites``,
        ``vehicles``, ``checks_done`` ... are used).
    week : str
        ISO week, e.g. ``2024-W45``.
    seed : int, optional
        Overrides ``[checks] seed``.
    time_limit_s : float, optional
        Overrides ``[checks] time_limit_s`` [s].
    roster : DataFrame, optional
        The shifts; read from ``roster.csv`` in the data folder when None.
    flags : DataFrame, optional
        ``flags_of(tables)`` when already computed.
    edits : PlanEdits, optional
        The planner's changes (:mod:`trafikplan.plan.edits`).

    Returns
    -------
    CheckPlan
        As :func:`plan_checks`; ``log["halo"]`` holds the time halo used.

    Raises
    ------
    InputError
        Bad week, missing or bad ``roster.csv``.
    InfeasiblePlanError
        As :func:`plan_checks`.
    """
    from trafikplan._errors import InputError
    from trafikplan.flags import flags_of
    from trafikplan.io.roster import ROSTER_FILE, read_roster
    from trafikplan.plan.learning import learning_value, planner_halo, with_planner_halo
    from trafikplan.stats.halo import measure_halo
    from trafikplan.weeks import iso_week

    settings = tables.settings
    week = iso_week(week)
    if time_limit_s is not None:
        settings = dataclasses.replace(
            settings, checks=dataclasses.replace(settings.checks, time_limit_s=time_limit_s))
    if roster is None:
        path = Path(tables.data_dir) / ROSTER_FILE
        if not path.is_file():
            raise InputError("no roster.csv: the police shifts (team,start,end) are needed to "
                             "plan checks", path=path)
        roster = read_roster(path, tz=settings.timezone)
    if flags is None:
        flags = flags_of(tables)
    done = tables.checks_done
    valued = learning_value(flags, done, tables.sites, settings)
    measured = None
    if done is not None and len(done):
        measured = measure_halo(tables.vehicles, done, tables.sites, settings,
                                baseline_weeks=settings.learning.halo_baseline_weeks)
    ph = planner_halo(measured, settings)
    settings = with_planner_halo(settings, ph)
    prior = load_prior_plans(tables.data_dir, week)
    plan = plan_checks(valued, tables.sites, roster, settings, week, prior=prior, seed=seed,
                       edits=edits)
    plan.messages.append(ph.note)
    plan.log["halo"] = {"hours": ph.hours, "repeat_factor": ph.repeat_factor,
                        "measured": ph.measured, "checks_used": ph.checks_used}
    return plan
