r"""Routes of one shift over candidate checks, and what a check could earn alone.

:class:`RoutePricer` finds a shift's best route exactly (the move of the local search,
:mod:`trafikplan.plan.checks.local`): a sequence of at most ``max_checks_per_shift``
candidates in which each starts at least ``gap(s, s')`` slots (setup + travel) after
the previous one ended, never the same site twice in a row. :func:`solo_values` is a
check's full direct value plus the capped halo it would give on its own, ``u_c``.

The week's upper bound (:func:`~trafikplan.plan.checks.week_bound.plan_bound`) lives in
:mod:`trafikplan.plan.checks.week_bound`: it ranges over every allowed check, not
only over the candidates.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np

from trafikplan.plan.checks.instance import Instance


class RoutePricer:
    """Best route of every shift for given check values: DP over (slot, last site, checks).

    A route has at most ``max_checks_per_shift`` checks (no cap when it is 0).
    """

    def __init__(self, inst: Instance) -> None:
        cand = inst.cand
        self.n_sites = inst.value.shape[0]
        # a team checks a site at most once per shift: never twice in a row in a route
        self.gap = inst.gap.copy()
        np.fill_diagonal(self.gap, inst.n_slots + 1)
        self.site = cand["site"].to_numpy()
        self.start = cand["start"].to_numpy()
        self.end = cand["end"].to_numpy()
        shift = cand["shift"].to_numpy()
        self.local = np.zeros(len(cand), dtype=np.int64)
        self.groups = []
        cap = inst.rules.max_checks_per_shift
        min_len = min(inst.lengths) if inst.lengths else 1
        self.min_len = min_len
        for k in np.unique(shift):
            idx = np.flatnonzero(shift == k)
            self.local[idx] = np.arange(idx.size)
            lo, hi = int(self.start[idx].min()), int(self.end[idx].max())
            order = idx[np.argsort(self.start[idx], kind="stable")]
            cuts = np.flatnonzero(np.diff(self.start[order])) + 1
            most = (hi - lo) // max(1, min_len) + 1
            self.groups.append((lo, hi, np.split(order, cuts),
                                min(cap, most) if cap > 0 else most, idx.size))

    def best(self, rho: np.ndarray) -> tuple[float, np.ndarray]:
        """Return the sum over shifts of the best route's value and its checks."""
        total, chosen = 0.0, []
        for k in range(len(self.groups)):
            value, route = self.route(k, rho)
            total += value
            chosen.append(route)
        return total, np.concatenate(chosen) if chosen else np.zeros(0, dtype=int)

    def route(self, k: int, rho: np.ndarray) -> tuple[float, np.ndarray]:
        """Return the value and checks of the best route of the ``k``-th shift (0 if none).

        ``rho`` [score x h] values every candidate; ``-inf`` excludes one.
        """
        lo, hi, by_start, n_k, n_c = self.groups[k]
        value, route = self._shift(lo, hi, by_start, 1, n_c, rho, chain=True)
        if route.size <= n_k:
            return value, route          # the best route without the cap keeps it
        return self._shift(lo, hi, by_start, n_k, n_c, rho)

    def _shift(self, lo: int, hi: int, by_start: list[np.ndarray], n_k: int, n_c: int,
               rho: np.ndarray, chain: bool = False) -> tuple[float, np.ndarray]:
        """Best route of one shift; ``chain``: without counting the checks (no cap)."""
        # a check of value <= 0 never helps a route (leaving it out keeps every gap:
        # travel obeys the triangle inequality), so the DP runs over the others' sites
        by_start = [g[rho[g] > 0] for g in by_start]
        by_start = [g for g in by_start if g.size]  # in order of start
        if not by_start:
            return 0.0, np.zeros(0, dtype=int)
        act = np.unique(self.site[np.concatenate(by_start)])
        sub = np.full(self.n_sites, -1)
        sub[act] = np.arange(act.size)
        gap = self.gap[np.ix_(act, act)]
        n_t, n_s = hi - lo + 1, act.size
        shape = (n_t + 1, n_s, n_k)          # row t + 1 = routes ending at slot lo + t
        f_end = np.full(shape, -np.inf)      # best route of k+1 checks, the last ending (t, s)
        f_cand = np.full(shape, -1)          # that last check
        pref = np.full(shape, -np.inf)       # best over ends <= t at s (row 0: none)
        pref_at = np.zeros(shape, dtype=np.int64)  # the end row reaching it
        prev_t = np.full((n_c, n_k), -1)     # the route before a check (as last of k+1)
        prev_s = np.full((n_c, n_k), -1)
        # checks starting less than (shortest check + smallest gap) apart cannot follow
        # one another: they are priced together from the same final routes
        cands = np.concatenate(by_start)
        off = ~np.eye(n_s, dtype=bool)
        g0 = int(gap[off].min()) if off.any() else n_t + 1
        width = max(1, self.min_len + min(g0, n_t + 1))
        starts = self.start[cands] - lo + 1
        first = np.r_[np.searchsorted(starts, np.arange(starts[0], starts[-1] + 1, width)),
                      starts.size]
        rows_k = np.arange(n_k)
        done = 0
        for i0, i1 in pairwise(first):
            if i0 == i1:
                continue
            grp = cands[i0:i1]
            a = starts[i0:i1]
            ready = min(int(a[0]) + self.min_len - 1, n_t)
            if ready > done:                        # routes ending by then are final
                acc = np.maximum.accumulate(np.concatenate(
                    [pref[done:done + 1], f_end[done + 1:ready + 1]]), axis=0)
                better = f_end[done + 1:ready + 1] > acc[:-1]
                pref[done + 1:ready + 1] = acc[1:]
                tt = np.arange(done + 1, ready + 1)[:, None, None]
                pref_at[done + 1:ready + 1] = np.maximum.accumulate(np.concatenate(
                    [pref_at[done:done + 1], np.where(better, tt, 0)]), axis=0)[1:]
                done = ready
            s = sub[self.site[grp]]
            at = np.maximum(a[:, None] - gap[:, s].T, 0)      # (check, s') latest end row
            reach = pref[at, np.arange(n_s)[None, :], :]      # (check, s', k)
            from_site = reach.argmax(axis=1)                  # (check, k)
            best = reach.max(axis=1)
            e = self.end[grp] - lo + 1
            r = rho[grp][:, None]
            if chain:
                val = r + np.maximum(best, 0.0)
            else:
                val = np.concatenate([r, r + best[:, : n_k - 1]], axis=1)
            key = ((e[:, None] * n_s + s[:, None]) * n_k + rows_k[None, :]).ravel()
            flat = val.ravel()
            order = np.lexsort((flat, key))
            last = np.r_[key[order][1:] != key[order][:-1], True]
            pick = order[last]                                # best entry per (end, site, k)
            gi, ki = np.divmod(pick, n_k)
            win = flat[pick] > f_end[e[gi], s[gi], ki]
            gi, ki = gi[win], ki[win]
            if gi.size == 0:
                continue
            f_end[e[gi], s[gi], ki] = val[gi, ki]
            f_cand[e[gi], s[gi], ki] = grp[gi]
            if chain:
                loc = self.local[grp[gi]]
                linked = best[gi, 0] > 0
                s0 = from_site[gi, 0]
                prev_s[loc, 0] = np.where(linked, s0, -1)
                prev_t[loc, 0] = np.where(linked, pref_at[at[gi, s0], s0, 0], -1)
                continue
            more = ki > 0
            gi, ki = gi[more], ki[more]
            s0 = from_site[gi, ki - 1]
            loc = self.local[grp[gi]]
            prev_s[loc, ki] = s0
            prev_t[loc, ki] = pref_at[at[gi, s0], s0, ki - 1]
        if not np.isfinite(f_end).any() or f_end.max() <= 0:
            return 0.0, np.zeros(0, dtype=int)
        t, s, k = np.unravel_index(int(np.argmax(f_end)), shape)
        value = float(f_end[t, s, k])
        route = [int(f_cand[t, s, k])]
        while chain and prev_s[self.local[route[-1]], 0] >= 0:
            c = self.local[route[-1]]
            t, s = prev_t[c, 0], prev_s[c, 0]
            route.append(int(f_cand[t, s, 0]))
        while not chain and k > 0:
            c = self.local[route[-1]]
            t, s, k = prev_t[c, k], prev_s[c, k], k - 1
            route.append(int(f_cand[t, s, k]))
        return value, np.array(route[::-1], dtype=int)


def _halo_weights(inst: Instance) -> np.ndarray:
    """Return ``min(cap, halo_w * visit[j])`` for every slot ``j`` of a check, (j, n, n)."""
    cap = inst.rules.distance_halo_cap
    return np.minimum(cap, inst.halo_w[None, :, :] * inst.visit[:, None, None])


def _visit_halo(weights: np.ndarray, matrix: np.ndarray, site: np.ndarray, start: np.ndarray,
                length: np.ndarray) -> np.ndarray:
    """Return ``sum_{j < length} (weights[j] @ matrix)[site, start + j]`` of each check."""
    out = np.zeros(len(site))
    last = matrix.shape[1] - 1
    for j in range(int(length.max(initial=0))):
        on = np.flatnonzero(length > j)
        rows, cols = np.nonzero(weights[j])
        if on.size == 0 or rows.size == 0:
            continue
        per = np.zeros_like(matrix)
        np.add.at(per, rows, weights[j][rows, cols][:, None] * matrix[cols])
        out[on] += per[site[on], np.minimum(start[on] + j, last)]
    return out


def solo_values(inst: Instance) -> np.ndarray:
    """Return ``u_c`` of every candidate [score x h]: full direct value plus its own halo."""
    cand = inst.cand
    s, a, n = (cand[c].to_numpy() for c in ("site", "start", "length"))
    return cand["direct"].to_numpy(float) + _visit_halo(_halo_weights(inst), inst.value, s, a, n)


__all__ = ["RoutePricer", "solo_values"]
