r"""A valid upper bound on the value of any check plan of the week.

CP-SAT's own bound holds only for the candidates the model keeps
(:func:`trafikplan.plan.checks._prune`), and only once its search has
started; this module bounds every plan of the week.

Relaxation
----------
Let ``u_c = D_c + sum_{a_c <= t < e_c} sum_{s'} v(s', t) min(cap, w(s_c, s') d_{t - a_c})``
(``d`` the visit curve) be
what check ``c`` could earn if no other check ran: its full direct value and
the halo it would give on its own. For any plan, the value is at most
``sum_c u_c``: the repeat factor only lowers direct values, and the capped
halo ``min(cap, sum_c w_c)`` of a site-slot is at most ``sum_c min(cap, w_c)``
(``min(cap, .)`` is subadditive), while a covered site earns no halo at all.
A shift's checks form a *route*: a sequence of at most ``max_checks_per_shift``
checks in which each starts at least ``gap(s, s')`` slots (setup + travel) after
the previous one ended.

Lagrangian bound
----------------
The rules and terms that bind the routes of different shifts are relaxed
with non-negative multipliers: at most ``max_per_site_per_week`` checks per
site (``l_s``); the full direct value for one check per site only
(``m_s`` on ``sum_c y_c <= 1``, ``y_c <= x_c`` the check that earns it); and
the halo credit ``h_j <= cap`` of each site-slot ``j = (s', t)``, bounded by
``h_j <= sum_c min(cap, w_cj) x_c`` (``pi_j``) and ``h_j <= cap (1 - O_j)``
with ``O_j`` the direct coverage of ``s'`` (``sigma_j``). For any
multipliers::

    B = sum_k max_{routes r of k} sum_{c in r} rho_c + M sum_s l_s + sum_s m_s
        + cap sum_j (max(0, v_j - pi_j - sigma_j) + sigma_j)
    rho_c = rep D_c + max(0, (1 - rep) D_c [full_ok] - m_s) - l_s
            + sum_{t in c} (sum_{s'} min(cap, w(s_c, s') d_{t-a_c}) pi_{s',t}
                            - cap sigma_{s_c,t})

is an upper bound on every plan (weak duality; the routes' maximum is exact,
:class:`RoutePricer`). It starts at ``pi = v``, ``sigma = l = m = 0`` (the
relaxation above) and :func:`plan_bound` lowers it by projected subgradient
steps (Polyak step towards the best plan value known), keeping the smallest
value seen: every one of them is valid. Rules left out (same-site spacing,
focus, areas, travel between shifts) only make it larger.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from trafikplan.plan._instance import Instance


@dataclass
class PlanBound:
    """Result of :func:`plan_bound`.

    Attributes
    ----------
    bound : float [score x h]
        No plan of the week is worth more.
    solo : float [score x h]
        The bound without multipliers (every shift's best route of solo values).
    iterations : int
        Subgradient steps taken.
    seconds : float [s]
    """

    bound: float
    solo: float
    iterations: int
    seconds: float


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
        return self._shift(*self.groups[k], rho)

    def _shift(self, lo: int, hi: int, by_start: list[np.ndarray], n_k: int, n_c: int,
               rho: np.ndarray) -> tuple[float, np.ndarray]:
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
        while k > 0:
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


def plan_bound(inst: Instance, best_known: float, *, max_iterations: int = 60,
               time_limit_s: float | None = None) -> PlanBound:
    """Return an upper bound on the value of every plan of the week.

    Parameters
    ----------
    inst : Instance
        The week, with every candidate (before pruning: the bound then holds
        for every plan).
    best_known : float [score x h]
        Value of a known plan: the target of the Polyak steps.
    max_iterations : int
        Subgradient steps: the budget that ends the search (deterministic: the same
        bound on a loaded and an idle machine).
    time_limit_s : float, optional [s]
        A wall-clock safety stop on top (the bound found so far is valid when it
        runs out, but then depends on the machine); None: none.

    Returns
    -------
    PlanBound
    """
    t0 = time.perf_counter()
    cand = inst.cand
    rules = inst.rules
    rep, cap, m_site = rules.repeat_factor, rules.distance_halo_cap, rules.max_per_site_per_week
    n_sites = inst.value.shape[0]
    site, start, end, length = (cand[c].to_numpy() for c in ("site", "start", "end", "length"))
    direct = cand["direct"].to_numpy(float)
    bonus = np.where(cand["full_ok"].to_numpy(bool), (1 - rep) * direct, 0.0)
    own = rep * direct
    w = _halo_weights(inst)
    v = inst.value
    pricer = RoutePricer(inst)
    ell, mu = np.zeros(n_sites), np.zeros(n_sites)
    pi, sigma = v.copy(), np.zeros_like(v)       # pi = v, sigma = 0: checks valued alone
    best, solo, it, theta = np.inf, np.nan, 0, 1.0
    zero = np.zeros((n_sites, 1))
    while it < max_iterations:
        cs = np.concatenate([zero, np.cumsum(cap * sigma, axis=1)], axis=1)
        rho = (own + np.maximum(0.0, bonus - mu[site]) - ell[site]
               + _visit_halo(w, pi, site, start, length) - (cs[site, end] - cs[site, start]))
        routes, chosen = pricer.best(rho)
        h_on = v - pi - sigma > 0
        value = (routes + cap * np.where(h_on, v - pi - sigma, 0.0).sum() + cap * sigma.sum()
                 + m_site * ell.sum() + mu.sum())
        if it == 0:
            solo = value
        if value < best - 1e-12:
            best = value
        else:
            theta *= 0.8
        it += 1
        if best <= best_known * (1 + 1e-9) or (
                time_limit_s is not None and time.perf_counter() - t0 > time_limit_s):
            break
        # subgradients of the bound
        g_ell = m_site - np.bincount(site[chosen], minlength=n_sites)
        takes = chosen[bonus[chosen] > mu[site[chosen]]]
        g_mu = 1 - np.bincount(site[takes], minlength=n_sites)
        weight = np.zeros_like(v)
        cover = np.zeros_like(v)
        for c in chosen:
            weight[:, start[c]:end[c]] += w[: end[c] - start[c], site[c], :].T
            cover[site[c], start[c]:end[c]] += 1.0
        h = np.where(h_on, cap, 0.0)
        g_pi = weight - h
        g_sigma = cap - h - cap * cover
        norm = float((g_ell ** 2).sum() + (g_mu ** 2).sum() + (g_pi ** 2).sum()
                     + (g_sigma ** 2).sum())
        if norm == 0:
            break
        step = theta * (value - best_known) / norm
        ell = np.maximum(0.0, ell - step * g_ell)
        mu = np.maximum(0.0, mu - step * g_mu)
        pi = np.maximum(0.0, pi - step * g_pi)
        sigma = np.maximum(0.0, sigma - step * g_sigma)
    return PlanBound(bound=float(best), solo=float(solo), iterations=it,
                     seconds=time.perf_counter() - t0)
