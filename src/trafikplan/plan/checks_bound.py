r"""A valid upper bound on the value of any check plan of the week.

CP-SAT's own bound holds only for the candidates the model keeps
(:func:`trafikplan.plan.checks._prune`), and only once its search has
started; this module bounds every plan of the week.

Relaxation
----------
Let ``u_c = D_c + sum_{a_c <= t < e_c} sum_{s'} v(s', t) min(cap, w(s_c, s'))`` be
what check ``c`` could earn if no other check ran: its full direct value and
the halo it would give on its own. For any plan, the value is at most
``sum_c u_c``: the repeat factor only lowers direct values, and the capped
halo ``min(cap, sum_c w_c)`` of a site-slot is at most ``sum_c min(cap, w_c)``
(``min(cap, .)`` is subadditive), while a covered site earns no halo at all.
A shift's checks form a *route*: a sequence in which each check starts at
least ``gap(s, s')`` slots (setup + travel) after the previous one ended.

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
            + sum_{t in c} (sum_{s'} min(cap, w(s_c, s')) pi_{s',t} - cap sigma_{s_c,t})

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
    """Best route of every shift for given check values: DP over (slot, last site)."""

    def __init__(self, inst: Instance) -> None:
        cand = inst.cand
        self.n_sites = inst.value.shape[0]
        self.gap = inst.gap
        self.site = cand["site"].to_numpy()
        self.start = cand["start"].to_numpy()
        self.end = cand["end"].to_numpy()
        shift = cand["shift"].to_numpy()
        self.groups = []
        for k in np.unique(shift):
            idx = np.flatnonzero(shift == k)
            lo, hi = int(self.start[idx].min()), int(self.end[idx].max())
            order = idx[np.argsort(self.start[idx], kind="stable")]
            cuts = np.flatnonzero(np.diff(self.start[order])) + 1
            self.groups.append((lo, hi, np.split(order, cuts)))

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
        lo, hi, by_start = self.groups[k]
        return self._shift(lo, hi, by_start, rho)

    def _shift(self, lo: int, hi: int, by_start: list[np.ndarray],
               rho: np.ndarray) -> tuple[float, np.ndarray]:
        n_t, n_s = hi - lo + 1, self.n_sites
        f_end = np.full((n_t, n_s), -np.inf)      # best route whose last check ends (t, s)
        f_cand = np.full((n_t, n_s), -1)           # that last check
        pref = np.full((n_t, n_s), -np.inf)        # best over ends <= t at s
        pref_at = np.zeros((n_t, n_s), dtype=int)  # the end reaching it
        prev: dict[int, tuple[int, int]] = {}
        rows = np.arange(n_s)
        done = -1
        for grp in by_start:
            a = int(self.start[grp[0]]) - lo
            for t in range(done + 1, a + 1):       # routes ending at <= a are final
                before = pref[t - 1] if t else np.full(n_s, -np.inf)
                better = f_end[t] > before
                pref[t] = np.where(better, f_end[t], before)
                pref_at[t] = np.where(better, t, pref_at[t - 1] if t else 0)
            done = max(done, a)
            at = a - self.gap                      # latest end at s' before a start at s
            reach = np.where(at >= 0, pref[np.clip(at, 0, None), rows[:, None]], -np.inf)
            from_site = reach.argmax(axis=0)
            best = reach[from_site, rows]
            s = self.site[grp]
            e = self.end[grp] - lo
            val = rho[grp] + np.maximum(best[s], 0.0)
            win = val > f_end[e, s]
            f_end[e[win], s[win]] = val[win]
            f_cand[e[win], s[win]] = grp[win]
            for c, si in zip(grp[win & (best[s] > 0)], s[win & (best[s] > 0)], strict=True):
                s0 = int(from_site[si])
                prev[int(c)] = (int(pref_at[int(at[s0, si]), s0]), s0)
        if not np.isfinite(f_end).any() or f_end.max() <= 0:
            return 0.0, np.zeros(0, dtype=int)
        t, s = np.unravel_index(int(np.argmax(f_end)), f_end.shape)
        value = float(f_end[t, s])
        route = [int(f_cand[t, s])]
        while route[-1] in prev:
            t, s = prev[route[-1]]
            route.append(int(f_cand[t, s]))
        return value, np.array(route[::-1], dtype=int)


def solo_values(inst: Instance) -> np.ndarray:
    """Return ``u_c`` of every candidate [score x h]: full direct value plus its own halo."""
    cand = inst.cand
    cap = inst.rules.distance_halo_cap
    w = np.minimum(inst.halo_w, cap)
    n = inst.value.shape[0]
    cs = np.concatenate([np.zeros((n, 1)), np.cumsum(w @ inst.value, axis=1)], axis=1)
    s, a, e = (cand[c].to_numpy() for c in ("site", "start", "end"))
    return cand["direct"].to_numpy(float) + cs[s, e] - cs[s, a]


def plan_bound(inst: Instance, best_known: float, *, time_limit_s: float = 5.0,
               max_iterations: int = 200) -> PlanBound:
    """Return an upper bound on the value of every plan of the week.

    Parameters
    ----------
    inst : Instance
        The week, with every candidate (before pruning: the bound then holds
        for every plan).
    best_known : float [score x h]
        Value of a known plan: the target of the Polyak steps.
    time_limit_s : float [s]
        Wall-clock budget of the subgradient steps (the bound found so far
        is valid when it runs out).
    max_iterations : int

    Returns
    -------
    PlanBound
    """
    t0 = time.perf_counter()
    cand = inst.cand
    rules = inst.rules
    rep, cap, m_site = rules.repeat_factor, rules.distance_halo_cap, rules.max_per_site_per_week
    n_sites = inst.value.shape[0]
    site, start, end = (cand[c].to_numpy() for c in ("site", "start", "end"))
    direct = cand["direct"].to_numpy(float)
    bonus = np.where(cand["full_ok"].to_numpy(bool), (1 - rep) * direct, 0.0)
    own = rep * direct
    w = np.minimum(inst.halo_w, cap)
    v = inst.value
    pricer = RoutePricer(inst)
    ell, mu = np.zeros(n_sites), np.zeros(n_sites)
    pi, sigma = v.copy(), np.zeros_like(v)       # pi = v, sigma = 0: checks valued alone
    best, solo, it, theta = np.inf, np.nan, 0, 1.0
    zero = np.zeros((n_sites, 1))
    while it < max_iterations:
        per_slot = w @ pi - cap * sigma
        cs = np.concatenate([zero, np.cumsum(per_slot, axis=1)], axis=1)
        rho = (own + np.maximum(0.0, bonus - mu[site]) - ell[site]
               + cs[site, end] - cs[site, start])
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
        if time.perf_counter() - t0 > time_limit_s or best <= best_known * (1 + 1e-9):
            break
        # subgradients of the bound
        g_ell = m_site - np.bincount(site[chosen], minlength=n_sites)
        takes = chosen[bonus[chosen] > mu[site[chosen]]]
        g_mu = 1 - np.bincount(site[takes], minlength=n_sites)
        weight = np.zeros_like(v)
        cover = np.zeros_like(v)
        for c in chosen:
            weight[:, start[c]:end[c]] += w[site[c]][:, None]
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
