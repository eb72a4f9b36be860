"""Local search for the check plan: re-route one shift exactly, the others fixed.

With every other check of the week fixed, what a check of shift ``k`` adds
to the week's value is known in advance (its *marginal value*): its direct
value with the time halo given the site's other checks, plus the capped halo
it adds to the sites around it minus the halo its own site loses by being
checked directly. A team's checks in one shift never run at the same time,
so these marginal values add up along a route, and the best route of the
shift is found exactly by the dynamic programme of
:class:`trafikplan.plan.checks.route_bound.RoutePricer` over the candidates that keep
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
from scipy import sparse

from trafikplan.plan.checks.instance import AREA_SCALE, Instance
from trafikplan.plan.checks.route_bound import RoutePricer
from trafikplan.plan.checks.value import evaluate

__all__ = ["LOCKED", "search", "vary"]

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
        n_pairs = self.pairs[0].size
        self.by_source = sparse.csr_matrix(
            (np.ones(n_pairs), (self.pairs[0], np.arange(n_pairs))),
            shape=(inst.value.shape[0], n_pairs))
        """Which halo pair leaves which site (sites x pairs)."""
        self.shifts = [int(k) for k in np.unique(self.shift)]
        order = np.argsort(self.shift, kind="stable")
        cuts = np.searchsorted(self.shift[order], [*self.shifts, np.iinfo(np.int64).max])
        self.own = {k: order[cuts[i]:cuts[i + 1]] for i, k in enumerate(self.shifts)}
        """Candidates of each shift."""
        self.has_halo = np.asarray(inst.halo_w.any(axis=1))
        sh = inst.shifts
        reach = int(inst.gap.max(initial=0))
        first, last = sh["first"].to_numpy(), sh["last"].to_numpy()
        teams = sh["team"].to_numpy()
        planned = set(self.shifts)
        self.near = {k: {int(q) for q in np.flatnonzero(
            ((first < last[k] + reach) & (last + reach > first[k])) | (teams == teams[k]))}
            & planned for k in self.shifts}
        """Shifts running at about the same time as each shift, and its team's shifts."""
        self.at_site: dict[int, set[int]] = {int(s): set() for s in range(inst.value.shape[0])}
        for s, k in set(zip(self.site.tolist(), self.shift.tolist(), strict=True)):
            self.at_site[s].add(k)
        """Shifts with candidates at each site."""
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
        idx = self.own[k]
        out = np.full(len(self.site), -np.inf)
        if idx.size == 0:
            return out
        s, a, e = self.site[idx], self.start[idx], self.end[idx]
        n_sites = inst.value.shape[0]
        fs, fa, fe = self.site[fixed], self.start[fixed], self.end[fixed]
        count = np.bincount(fs, minlength=n_sites)
        ok = count[s] < rules.max_per_site_per_week
        # same site: spacing against the fixed checks there (a table of them per site)
        g = inst.same_site_gap
        if fixed.size:
            order = np.argsort(fs, kind="stable")
            rank = np.arange(fixed.size) - np.searchsorted(fs[order], fs[order])
            width = int(rank.max()) + 1
            lo_t = np.full((n_sites, width), np.iinfo(np.int64).max // 4)
            hi_t = np.full((n_sites, width), np.iinfo(np.int64).min // 4)
            lo_t[fs[order], rank] = fa[order]
            hi_t[fs[order], rank] = fe[order]
            ok &= ~((a[:, None] < hi_t[s] + g) & (lo_t[s] < e[:, None] + g)).any(axis=1)
        # the team's other shifts: setup and travel against its checks close in time
        lo, hi = int(a.min()), int(e.max())
        reach = int(inst.gap.max(initial=0))
        team = self.team[idx[0]]
        near = fixed[(self.team[fixed] == team) & (fa < hi + reach) & (fe + reach > lo)]
        for o in near:
            so, ao, eo = self.site[o], self.start[o], self.end[o]
            ok &= (a >= eo + inst.gap[so, s]) | (ao >= e + inst.gap[s, so])
        # direct value with the time halo: r D + (1 - r) (best full one with c - without)
        r = rules.repeat_factor
        best_full = np.zeros(n_sites)
        full = fixed[self.full_ok[fixed]]
        np.maximum.at(best_full, self.site[full], self.direct[full])
        d = self.direct[idx]
        with_c = np.where(self.full_ok[idx], np.maximum(best_full[s], d), best_full[s])
        direct = r * d + (1 - r) * (with_c - best_full[s])
        out[idx] = np.where(ok, direct + self._halo_added(fixed, s, a, e, lo, hi), -np.inf)
        return out

    def _halo_added(self, fixed: np.ndarray, s: np.ndarray, a: np.ndarray, e: np.ndarray,
                    lo: int, hi: int) -> np.ndarray:
        """Return the capped halo each check adds around it minus what its own site loses.

        Each slot ``j`` of a check weighs ``halo_w * visit[j]``; only the fixed checks
        running in ``[lo, hi)`` matter.
        """
        inst = self.inst
        weight = np.zeros((inst.value.shape[0], hi - lo))
        covered = np.zeros_like(weight, dtype=bool)
        run = fixed[(self.start[fixed] < hi) & (self.end[fixed] > lo)]
        for o in run:
            x0, x1 = max(self.start[o], lo), min(self.end[o], hi)
            so, ao = self.site[o], self.start[o]
            covered[so, x0 - lo:x1 - lo] = True
            if self.has_halo[so]:
                weight[:, x0 - lo:x1 - lo] += np.outer(inst.halo_w[so],
                                                       inst.visit[x0 - ao:x1 - ao])
        cap = inst.rules.distance_halo_cap
        v = inst.value[:, lo:hi] * ~covered
        now = np.minimum(cap, weight)
        loss = np.concatenate([np.zeros((v.shape[0], 1)), np.cumsum(v * now, axis=1)], axis=1)
        halo = -(loss[s, e - lo] - loss[s, a - lo])
        if self.pairs[0].size == 0:
            return halo
        # only the halo pairs out of this shift's candidate sites, summed per source site
        hosts, row = np.unique(s, return_inverse=True)
        sub = self.by_source[hosts]
        cols = np.unique(sub.indices)
        if cols.size == 0:
            return halo
        sub = sub[:, cols]
        dst, pair_w = self.pairs[1][cols], self.pair_w[cols]
        length = e - a
        for j in range(int(length.max(initial=0))):
            added = (np.minimum(cap, weight[dst] + pair_w[:, None] * inst.visit[j])
                     - now[dst]) * v[dst]
            gain = sub @ added                      # (hosts, slots)
            on = np.flatnonzero(length > j)
            halo[on] += gain[row[on], a[on] + j - lo]
        return halo

    def reroute(self, plan: set[int], k: int, noise: np.ndarray | None = None) -> set[int]:
        """Return ``plan`` with shift ``k``'s checks replaced by its best route.

        A route visiting a site twice breaks the once-per-shift rule: every
        check at that site not overlapping its better visit is excluded and the
        route found again; when
        that ends below the shift's current route, the plan is returned as is
        (so a re-routing never loses value: marginal values add up along a
        route whose checks are at distinct sites and times).
        """
        return self.move(plan, k, noise)[0]

    def move(self, plan: set[int], k: int,
             noise: np.ndarray | None = None) -> tuple[set[int], float]:
        """Return :meth:`reroute`'s plan and what it adds to the week's value [score x h].

        The gain leaves the noise out and is exact: the new route's marginal values
        minus the current route's (marginal values add up along a route).
        """
        rows = np.sort(np.fromiter(plan, dtype=int, count=len(plan)))
        fixed = rows[self.shift[rows] != k]
        mine = rows[self.shift[rows] == k]
        plain = self.marginal(fixed, k)
        rho = plain + self.keep
        if noise is not None:
            rho = rho + noise
        current = float(rho[mine].sum())
        pos = self.shifts.index(k)
        own = self.own[k]
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
            return set(plan), 0.0
        if value < current:
            return set(plan), 0.0
        new = set(fixed.tolist()) | set(route.tolist())
        if new == set(plan):
            return new, 0.0
        return new, float(plain[route].sum() - plain[mine].sum())

    def improve(self, plan: set[int], max_passes: int = 20,
                todo: set[int] | None = None) -> tuple[set[int], float, int]:
        """Re-route shifts in turn while the value rises; return plan, value and moves.

        A pass re-routes the shifts in ``todo`` (all when None); the next pass only
        those whose marginal values a kept move changed (:meth:`touched`).
        """
        best, value = set(plan), self.value(plan)
        moves = 0
        todo = set(self.shifts) if todo is None else set(todo)
        for _ in range(max_passes):
            changed: set[int] = set()
            for k in sorted(todo):
                cand, gain = self.move(best, k)
                if gain <= abs(value) * 1e-12 + 1e-12 or not self.rules_ok(cand):
                    continue
                changed |= self.touched(k, best, cand)
                best, value = cand, value + gain
                moves += 1
            if not changed:
                break
            todo = changed
        return best, self.value(best), moves

    def touched(self, k: int, before: set[int], after: set[int]) -> set[int]:
        """Return the shifts whose marginal values changed when shift ``k`` was re-routed.

        Those running at about the same time (halo, a team's travel), the team's
        other shifts, every shift with candidates at a site left (it may take it now)
        and the shifts checking a site taken (their repeat value changed).
        """
        out = set(self.near[k])
        left = {int(self.site[c]) for c in before - after}
        taken = {int(self.site[c]) for c in after - before}
        for s in left - taken:
            out |= self.at_site[s]
        out |= {int(self.shift[c]) for c in after if int(self.site[c]) in taken}
        return out

    def clusters(self) -> list[list[int]]:
        """Return the groups of shifts that run at the same time (overlap chains, 2 or more)."""
        first = self.inst.shifts["first"].to_numpy()
        last = self.inst.shifts["last"].to_numpy()
        order = sorted(self.shifts, key=lambda k: (int(first[k]), k))
        groups: list[list[int]] = []
        cur: list[int] = []
        end = -1
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
        re-routed (in the order given, then back in reverse order), so teams running at
        the same time can swap sites and hours, which one-shift moves cannot.
        """
        current = {c for c in plan if int(self.shift[c]) not in set(group)}
        for k in [*group, *group[::-1]]:
            current = self.reroute(current, k)
        return current

    def perturb(self, plan: set[int], rng: np.random.Generator,
                shifts: int) -> tuple[set[int], set[int]]:
        """Re-route ``shifts`` random shifts with random noise on the marginal values.

        Returns the plan and the shifts whose marginal values changed.
        """
        current, touched = set(plan), set()
        for k in rng.choice(self.shifts, size=min(shifts, len(self.shifts)), replace=False):
            cand = self.reroute(current, int(k), rng.uniform(0.0, self.typical, len(self.site)))
            if self.rules_ok(cand):
                touched |= self.touched(int(k), current, cand) | {int(k)}
                current = cand
        return current, touched


def search(inst: Instance, plan: set[int], focus_target: int, rounds: int,
           seed: int = 0) -> tuple[set[int], dict]:
    """Improve ``plan`` by re-routing shifts, then by ``rounds`` of perturb-and-improve.

    After the shift-by-shift improvement, every group of shifts running at the
    same time is re-planned together (:meth:`_Week.cluster_move`) and kept when the
    week gains. Then iterated local search: each round re-routes three random shifts
    with noisy marginal values, improves the result shift by shift
    (:meth:`_Week.improve`) and keeps it when it beats the best plan.
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
        for order in (group,):
            cand = week.cluster_move(best, order)
            if cand == best or not week.rules_ok(cand):
                continue
            touched = set().union(*(week.touched(k, best, cand) for k in group))
            cand, v, m = week.improve(cand, todo=touched)
            if v > value * (1 + 1e-12) + 1e-12:
                best, value, moves = cand, v, moves + m + 1
                clustered += 1
    rng = np.random.default_rng([int(seed) & 0xFFFFFFFF, 3])
    better = 0
    for _ in range(rounds):
        shaken, touched = week.perturb(best, rng, 3)
        cand, v, m = week.improve(shaken, todo=touched)
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
    current, value = set(plan), week.value(plan)
    for scale in (1.0, 0.5, 0.25):
        for k in rng.permutation(week.shifts):
            noise = rng.uniform(0.0, scale * week.typical, len(week.site))
            cand, gain = week.move(current, int(k), noise)
            if cand != current and value + gain >= floor and week.rules_ok(cand):
                current, value = cand, value + gain
    return current if week.value(current) >= floor else set(plan)
