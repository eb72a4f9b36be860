"""Greedy baseline for the speed-check plan.

Simple and honest: repeatedly take the feasible candidate check with the
highest marginal value (lazy evaluation: marginal values only fall as the plan
grows, so a re-evaluated candidate that still beats the best stale bound is
the true best). Order:

1. focus checks, best first, until ``focus_min_per_week`` (or none fits);
2. the best check of every area that has none yet (the area rule needs
   presence everywhere), then every other candidate while the marginal
   value is positive;
3. repair of the area rule: the lowest-value checks of over-served areas are
   dropped until every area has its share;
4. one more greedy pass that only adds checks keeping the area rule.

The result obeys every rule of :mod:`trafikplan.plan.checks` (the tests run it
through the same independent checker as the CP-SAT plans).
"""

from __future__ import annotations

import heapq

import numpy as np
import pandas as pd

from trafikplan.plan.checks.instance import AREA_SCALE, Instance
from trafikplan.plan.checks.value import evaluate, site_direct

__all__ = ["greedy_plan"]


class _State:
    """Chosen checks with the bookkeeping needed for fast marginal values."""

    def __init__(self, inst: Instance) -> None:
        self.inst = inst
        self.cand = inst.cand
        self.start = inst.cand["start"].to_numpy()
        self.end = inst.cand["end"].to_numpy()
        self.site = inst.cand["site"].to_numpy()
        self.team = inst.cand["team"].to_numpy()
        self.shift = inst.cand["shift"].to_numpy()
        self.direct = inst.cand["direct"].to_numpy()
        self.full_ok = inst.cand["full_ok"].to_numpy()
        self.length = inst.cand["length"].to_numpy()
        self.area = inst.cand["area"].to_numpy()
        self.focus = inst.cand["focus"].to_numpy()
        self.chosen: list[int] = []
        self.rows = [np.r_[s, np.flatnonzero(inst.halo_w[s])] for s in range(len(inst.halo_w))]
        """Per site: the site itself, then the sites its halo reaches."""
        self.reset([])

    def reset(self, chosen: list[int]) -> None:
        inst = self.inst
        n, t = inst.value.shape
        self.chosen = []
        self.chosen_set: set[int] = set()
        self.by_team: dict[str, list[int]] = {}
        self.by_site: dict[int, list[int]] = {}
        self.per_shift: dict[int, int] = {}
        self.total_w = np.zeros((n, t))
        self.covered = np.zeros((n, t), bool)
        for c in chosen:
            self.add(c)

    def feasible(self, c: int) -> bool:
        inst = self.inst
        s, a, e = self.site[c], self.start[c], self.end[c]
        cap = inst.rules.max_checks_per_shift
        if cap > 0 and self.per_shift.get(self.shift[c], 0) >= cap:
            return False
        for o in self.by_team.get(self.team[c], ()):
            so = self.site[o]
            if so == s and self.shift[o] == self.shift[c]:
                return False
            if not (a >= self.end[o] + inst.gap[so, s] or self.start[o] >= e + inst.gap[s, so]):
                return False
        same = self.by_site.get(s, ())
        if len(same) >= inst.rules.max_per_site_per_week:
            return False
        g = inst.same_site_gap
        return all(a >= self.end[o] + g or self.start[o] >= e + g for o in same)

    def _site_value(self, rows: list[int]) -> float:
        if not rows:
            return 0.0
        d = self.direct[rows]
        return float((d * site_direct(d, self.full_ok[rows], self.inst.rules.repeat_factor)).sum())

    def marginal(self, c: int) -> float:
        inst = self.inst
        s, a, e = self.site[c], self.start[c], self.end[c]
        rows = sorted([*self.by_site.get(s, []), c], key=lambda i: (self.start[i], i))
        gain = self._site_value(rows) - self._site_value(self.by_site.get(s, []))
        rows = self.rows[s]                  # the site and those its halo reaches
        v = inst.value[rows, a:e]
        w = self.total_w[rows, a:e]
        free = ~self.covered[rows, a:e]
        cap = inst.rules.distance_halo_cap
        before = float((np.minimum(cap, w) * v * free).sum())
        free_after = free.copy()
        free_after[0] = False
        mine = np.outer(inst.halo_w[s, rows], inst.visit[:e - a])
        after = float((np.minimum(cap, w + mine) * v * free_after).sum())
        return gain + after - before

    def add(self, c: int) -> None:
        s, a, e = self.site[c], self.start[c], self.end[c]
        self.chosen.append(c)
        self.chosen_set.add(c)
        self.by_team.setdefault(self.team[c], []).append(c)
        self.by_site.setdefault(s, []).append(c)
        self.per_shift[self.shift[c]] = self.per_shift.get(self.shift[c], 0) + 1
        self.covered[s, a:e] = True
        rows = self.rows[s][1:]
        self.total_w[rows, a:e] += np.outer(self.inst.halo_w[s, rows], self.inst.visit[:e - a])

    def area_ok(self, extra: int | None = None) -> bool:
        q = self.inst.area_q
        if not q:
            return True
        rows = self.chosen + ([] if extra is None else [extra])
        minutes = pd.Series(self.length[rows], index=self.area[rows]).groupby(level=0).sum()
        total = int(minutes.sum())
        return all(AREA_SCALE * int(minutes.get(a, 0)) >= qa * total for a, qa in q.items())


def _lazy(state: _State, pool: np.ndarray, *, limit: int | None = None,
          positive: bool = True, keep_area: bool = False) -> None:
    upper = state.direct + state.cand["halo"].to_numpy()
    heap = [(-float(upper[c]), int(c)) for c in pool]
    heapq.heapify(heap)
    taken = 0
    while heap and (limit is None or taken < limit):
        _, c = heapq.heappop(heap)
        if c in state.chosen_set or not state.feasible(c):
            continue
        m = state.marginal(c)
        if heap and m < -heap[0][0] - 1e-12:
            heapq.heappush(heap, (-m, c))
            continue
        if positive and m <= 1e-12:
            break
        if keep_area and not state.area_ok(c):
            continue
        state.add(c)
        taken += 1


def greedy_plan(inst: Instance) -> pd.DataFrame:
    """Return the greedy plan as rows of ``inst.cand`` (index = candidate).

    Parameters
    ----------
    inst : Instance
        The week.

    Returns
    -------
    DataFrame
        The chosen candidates (``shift, team, site, start, end, direct, ...``)
        with ``mult, direct_value, halo_value, halo_site, value`` from
        :func:`trafikplan.plan.checks.value.evaluate`.
    """
    state = _State(inst)
    for c in np.flatnonzero(inst.cand["locked"].to_numpy(bool)):
        state.add(int(c))                      # the planner's locked checks come first
    focus_pool = np.flatnonzero(state.focus)
    if inst.rules.focus_min_per_week > 0 and focus_pool.size:
        _lazy(state, focus_pool, limit=inst.rules.focus_min_per_week, positive=False)
    for area in sorted(inst.area_q):
        if area not in set(state.area[state.chosen]):
            _lazy(state, np.flatnonzero(state.area == area), limit=1, positive=False)
    _lazy(state, np.arange(len(inst.cand)))
    if not state.area_ok():
        _repair_area(state)
        _lazy(state, np.arange(len(inst.cand)), keep_area=True)
    chosen = sorted(state.chosen)
    sel = inst.cand.iloc[chosen]
    return evaluate(inst, sel)


def _repair_area(state: _State) -> None:
    inst = state.inst
    keep_focus = inst.rules.focus_min_per_week
    while state.chosen and not state.area_ok():
        chosen = list(state.chosen)
        minutes = pd.Series(state.length[chosen], index=state.area[chosen]).groupby(level=0).sum()
        total = int(minutes.sum())
        short = {a for a, qa in inst.area_q.items()
                 if AREA_SCALE * int(minutes.get(a, 0)) < qa * total}
        values = evaluate(inst, inst.cand.iloc[chosen])["value"]
        value_of = dict(zip(values.index.tolist(), values.to_numpy(float).tolist(), strict=True))
        n_focus = int(state.focus[chosen].sum())
        order = sorted(chosen, key=lambda c: (
            state.area[c] in short,
            bool(state.focus[c]) and n_focus <= keep_focus,
            value_of[inst.cand.index[c]], c))
        locked = inst.cand["locked"].to_numpy(bool)
        order = [c for c in order if not locked[c]]
        if not order:
            return
        drop = order[0]
        if state.area[drop] in short:
            state.reset(list(np.flatnonzero(inst.cand["locked"].to_numpy(bool))))
            return
        state.reset([c for c in chosen if c != drop])
