"""Local search for the check plan: re-route one shift exactly, the others fixed.

With every other check of the week fixed, what a check of shift ``k`` adds
to the week's value is known in advance (its *marginal value*): its direct
value with the time halo given the site's other checks, plus the capped halo
it adds to the sites around it minus the halo its own site loses by being
checked directly. A team's checks in one shift never run at the same time,
so these marginal values add up along a route, and the best route of the
shift is found exactly by the dynamic programme of
:class:`trafikplan.plan.checks_bound.RoutePricer` over the candidates that keep
every rule against the fixed checks (site count and spacing, the team's
other shifts). A re-routing is kept when the week obeys the weekly rules
(focus, areas, one visit per site and shift) and its value rises; shifts are
re-routed in turn until a pass changes nothing (:meth:`_Week.improve`), then
:func:`search` perturbs a few shifts and improves again (iterated local search).

:func:`vary` uses the same move for the seeded choice among near-best
plans: it re-routes shifts in a seeded order with a seeded perturbation of
the marginal values and keeps a plan when its value stays above a floor.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from trafikplan.plan._instance import AREA_SCALE, Instance
from trafikplan.plan._value import evaluate
from trafikplan.plan.checks_bound import RoutePricer

LOCKED = 1e9
"""Added to a locked check's marginal value [score x h]."""


class _Week:
    """Candidate arrays of an instance and the moves on a plan (rows of ``inst.cand``)."""

    def __init__(self, inst: Instance, focus_target: int) -> None:
        cand = inst.cand
        self.inst = inst
        self.focus_target = focus_target
        self.site = cand["site"].to_numpy()
        self.start = cand["start"].to_numpy()
        self.end = cand["end"].to_numpy()
        self.shift = cand["shift"].to_numpy()
        self.team = pd.factorize(cand["team"])[0]
        self.direct = cand["direct"].to_numpy(float)
        self.full_ok = cand["full_ok"].to_numpy(bool)
        self.length = cand["length"].to_numpy()
        self.area = cand["area"].to_numpy()
        self.focus = cand["focus"].to_numpy(bool)
        self.locked = np.flatnonzero(cand["locked"].to_numpy(bool))
        self.keep = np.where(cand["locked"].to_numpy(bool), LOCKED, 0.0)
        """A bonus no route passes up: locked checks stay in every re-routing."""
        self.pricer = RoutePricer(inst)
        self.pairs = np.nonzero(inst.halo_w)
        """Site pairs (source, target) of the distance halo."""
        self.pair_w = inst.halo_w[self.pairs]
        self.shifts = [int(k) for k in np.unique(self.shift)]
        positive = self.direct[self.direct > 0]
        self.typical = float(np.median(positive)) if positive.size else 1.0
        """Scale of the random noise of perturbations: a check's median direct value."""

    def value(self, plan: set[int]) -> float:
        """Return the week's value of ``plan`` [score x h]."""
        if not plan:
            return 0.0
        return float(evaluate(self.inst, self.inst.cand.iloc[sorted(plan)])["value"].sum())

    def rules_ok(self, plan: set[int]) -> bool:
        """Return whether the weekly rules the route search leaves open hold."""
        rows = np.array(sorted(plan), dtype=int)
        if not set(self.locked.tolist()) <= plan:
            return False
        if int(self.focus[rows].sum()) < self.focus_target:
            return False
        q = self.inst.area_q
        if q:
            minutes = pd.Series(self.length[rows], index=self.area[rows]).groupby(level=0).sum()
            total = int(minutes.sum())
            if any(AREA_SCALE * int(minutes.get(a, 0)) < qa * total for a, qa in q.items()):
                return False
        key = self.shift[rows].astype(np.int64) * (self.site.max() + 1) + self.site[rows]
        return np.unique(key).size == rows.size

    def marginal(self, fixed: np.ndarray, k: int) -> np.ndarray:
        """Return what each candidate of shift ``k`` adds to the ``fixed`` checks.

        ``-inf`` marks a candidate that would break a rule against them.
        """
        inst = self.inst
        rules = inst.rules
        idx = np.flatnonzero(self.shift == k)
        out = np.full(len(self.site), -np.inf)
        if idx.size == 0:
            return out
        s, a, e = self.site[idx], self.start[idx], self.end[idx]
        ok = np.ones(idx.size, bool)
        count = np.bincount(self.site[fixed], minlength=inst.value.shape[0])
        ok &= count[s] < rules.max_per_site_per_week
        g = inst.same_site_gap
        team = self.team[idx[0]]
        for o in fixed:
            so, ao, eo = self.site[o], self.start[o], self.end[o]
            same = s == so
            ok &= ~(same & (a < eo + g) & (ao < e + g))
            if self.team[o] == team:
                ok &= (a >= eo + inst.gap[so, s]) | (ao >= e + inst.gap[s, so])
        # direct value with the time halo: r D + (1 - r) (best full one with c - without)
        r = rules.repeat_factor
        best_full = np.zeros(inst.value.shape[0])
        full = fixed[self.full_ok[fixed]]
        np.maximum.at(best_full, self.site[full], self.direct[full])
        d = self.direct[idx]
        with_c = np.where(self.full_ok[idx], np.maximum(best_full[s], d), best_full[s])
        direct = r * d + (1 - r) * (with_c - best_full[s])
        # capped halo added around (each slot j of the check weighs halo_w * visit[j]),
        # minus the halo the own site loses
        lo, hi = int(a.min()), int(e.max())
        weight = np.zeros((inst.value.shape[0], hi - lo))
        covered = np.zeros_like(weight, dtype=bool)
        for o in fixed:
            x0, x1 = max(self.start[o], lo), min(self.end[o], hi)
            if x0 < x1:
                so, ao = self.site[o], self.start[o]
                weight[:, x0 - lo:x1 - lo] += np.outer(inst.halo_w[so],
                                                       inst.visit[x0 - ao:x1 - ao])
                covered[so, x0 - lo:x1 - lo] = True
        cap = rules.distance_halo_cap
        v = inst.value[:, lo:hi] * ~covered
        now = np.minimum(cap, weight)
        loss = np.concatenate([np.zeros((v.shape[0], 1)), np.cumsum(v * now, axis=1)], axis=1)
        halo = -(loss[s, e - lo] - loss[s, a - lo])
        src, dst = self.pairs
        length = e - a
        for j in range(int(length.max(initial=0))):
            if src.size == 0:
                break
            gain = np.zeros_like(weight)
            added = (np.minimum(cap, weight[dst] + self.pair_w[:, None] * inst.visit[j])
                     - now[dst]) * v[dst]
            np.add.at(gain, src, added)
            on = np.flatnonzero(length > j)
            halo[on] += gain[s[on], a[on] + j - lo]
        out[idx] = np.where(ok, direct + halo, -np.inf)
        return out

    def reroute(self, plan: set[int], k: int, noise: np.ndarray | None = None) -> set[int]:
        """Return ``plan`` with shift ``k``'s checks replaced by its best route.

        A route visiting a site twice breaks the once-per-shift rule: every
        check at that site not overlapping its better visit is excluded and the
        route found again; when
        that ends below the shift's current route, the plan is returned as is
        (so a re-routing never loses value: marginal values add up along a
        route whose checks are at distinct sites and times).
        """
        fixed = np.array(sorted(c for c in plan if self.shift[c] != k), dtype=int)
        rho = self.marginal(fixed, k) + self.keep
        if noise is not None:
            rho = rho + noise
        current = float(rho[[c for c in plan if self.shift[c] == k]].sum())
        pos = self.shifts.index(k)
        own = np.flatnonzero(self.shift == k)
        for _ in range(10):
            value, route = self.pricer.route(pos, rho)
            sites = self.site[route]
            uniq, counts = np.unique(sites, return_counts=True)
            if (counts == 1).all():
                break
            for s in uniq[counts > 1]:
                at = route[sites == s]
                keep = at[np.argmax(rho[at])]
                # only checks at s overlapping the better visit stay: s once at most
                rho[own[(self.site[own] == s) & ((self.end[own] <= self.start[keep])
                                                 | (self.start[own] >= self.end[keep]))]] = -np.inf
        else:
            return set(plan)
        if value < current:
            return set(plan)
        return set(fixed.tolist()) | set(route.tolist())

    def improve(self, plan: set[int], max_passes: int = 20) -> tuple[set[int], float, int]:
        """Re-route shifts in turn while the value rises; return plan, value and moves."""
        best, value = set(plan), self.value(plan)
        moves = 0
        for _ in range(max_passes):
            changed = False
            for k in self.shifts:
                cand = self.reroute(best, k)
                if cand == best or not self.rules_ok(cand):
                    continue
                v = self.value(cand)
                if v > value * (1 + 1e-12) + 1e-12:
                    best, value, changed = cand, v, True
                    moves += 1
            if not changed:
                break
        return best, value, moves

    def clusters(self) -> list[list[int]]:
        """Return the groups of shifts that run at the same time (overlap chains, 2 or more)."""
        first = self.inst.shifts["first"].to_numpy()
        last = self.inst.shifts["last"].to_numpy()
        order = sorted(self.shifts, key=lambda k: (int(first[k]), k))
        groups, cur, end = [], [], -1
        for k in order:
            if cur and int(first[k]) < end:
                cur.append(k)
                end = max(end, int(last[k]))
                continue
            if len(cur) > 1:
                groups.append(cur)
            cur, end = [k], int(last[k])
        if len(cur) > 1:
            groups.append(cur)
        return groups

    def cluster_move(self, plan: set[int], group: list[int]) -> set[int]:
        """Re-plan the shifts of ``group`` together: cleared, then re-routed one after the other.

        Each of them is routed with the others of the group still empty or already
        re-routed (in the order given and once more in turn), so teams running at
        the same time can swap sites and hours, which one-shift moves cannot.
        """
        current = {c for c in plan if int(self.shift[c]) not in set(group)}
        for k in [*group, *group]:
            current = self.reroute(current, k)
        return current

    def perturb(self, plan: set[int], rng: np.random.Generator, shifts: int) -> set[int]:
        """Re-route ``shifts`` random shifts with random noise on the marginal values."""
        current = set(plan)
        for k in rng.choice(self.shifts, size=min(shifts, len(self.shifts)), replace=False):
            cand = self.reroute(current, int(k), rng.uniform(0.0, self.typical, len(self.site)))
            if self.rules_ok(cand):
                current = cand
        return current


def search(inst: Instance, plan: set[int], focus_target: int, rounds: int,
           seed: int = 0) -> tuple[set[int], dict]:
    """Improve ``plan`` by re-routing shifts, then by ``rounds`` of perturb-and-improve.

    After the shift-by-shift improvement, every group of shifts running at the
    same time is re-planned together (:meth:`_Week.cluster_move`, in both
    orders) and kept when the week gains. Then iterated local search: each round
    re-routes three random shifts with noisy marginal values, improves the result
    shift by shift (:meth:`_Week.improve`) and keeps it when it beats the best plan.
    Deterministic for given inputs and ``seed``.

    Parameters
    ----------
    inst : Instance
        The week (every candidate may be used).
    plan : set of int
        A plan obeying every rule (rows of ``inst.cand``).
    focus_target : int
        Focus checks the plan must keep.
    rounds : int
        Perturbation rounds.
    seed : int

    Returns
    -------
    set of int, dict
        The best plan and ``{"moves", "rounds", "improved_rounds"}``.
    """
    week = _Week(inst, focus_target)
    best, value, moves = week.improve(plan)
    clustered = 0
    for group in week.clusters():
        for order in (group, group[::-1]):
            cand = week.cluster_move(best, order)
            if cand == best or not week.rules_ok(cand):
                continue
            cand, v, m = week.improve(cand)
            if v > value * (1 + 1e-12) + 1e-12:
                best, value, moves = cand, v, moves + m + 1
                clustered += 1
    rng = np.random.default_rng([int(seed) & 0xFFFFFFFF, 3])
    better = 0
    for _ in range(rounds):
        cand, v, m = week.improve(week.perturb(best, rng, 3))
        moves += m
        if v > value * (1 + 1e-12) + 1e-12:
            best, value = cand, v
            better += 1
    return best, {"moves": moves, "rounds": rounds, "improved_rounds": better,
                  "cluster_moves": clustered}


def vary(inst: Instance, plan: set[int], focus_target: int, floor: float, seed: int,
         week_label: str) -> set[int]:
    """Move to another plan of value ``>= floor``, chosen by ``seed`` and the week.

    Shifts are visited in a seeded order; each is re-routed with its marginal
    values perturbed by seeded noise (up to the median direct value of a
    check, then half and a quarter of it in two more passes), and the result is
    kept when the rules hold and the week's value stays ``>= floor``. The same
    inputs and seed give the same plan.
    """
    week = _Week(inst, focus_target)
    year, num = (int(p) for p in week_label.upper().split("-W"))
    rng = np.random.default_rng([int(seed) & 0xFFFFFFFF, year, num, 11])
    current = set(plan)
    for scale in (1.0, 0.5, 0.25):
        for k in rng.permutation(week.shifts):
            noise = rng.uniform(0.0, scale * week.typical, len(week.site))
            cand = week.reroute(current, int(k), noise)
            if cand != current and week.rules_ok(cand) and week.value(cand) >= floor:
                current = cand
    return current
