r"""A valid upper bound on the value of every check plan of the week.

It ranges over *every* check a rule allows (every check spot a shift can reach, every
start on the ``step_minutes`` grid, every length), not only over the candidates the
planner keeps (:mod:`trafikplan.plan.checks.instance` keeps the promising ones), so it
holds for every plan of the week. The values are dense arrays (site x slot per length),
never a list of checks, so it costs the same whatever the candidate rules keep.

Relaxation
----------
Let ``u_c = D_c + sum_{a_c <= t < e_c} sum_{s'} v(s', t) min(cap, w(s_c, s') d_{t - a_c})``
(``d`` the visit curve) be what check ``c`` could earn if no other check ran: its full
direct value and the halo it would give on its own. For any plan the value is at most
``sum_c u_c``: the repeat factor only lowers direct values, the capped halo
``min(cap, sum_c w_c)`` of a site-slot is at most ``sum_c min(cap, w_c)`` and a covered
site earns no halo. A shift's checks form a *route*: each starts after the previous
one ended plus setup and travel; the bound only asks for the shortest such gap into the
next check's site from any other site, ``G(s) = min_{s' != s} gap(s', s)``, and for the
two checks to be at different sites (a team checks a site once per shift).

Lagrangian bound
----------------
The rules and terms binding different shifts, and the cap on checks per shift, are
relaxed with non-negative multipliers: at most ``max_per_site_per_week`` checks per
site (``l_s``); the full direct value for one check per site only (``m_s``); the halo
credit ``h_j <= cap`` of each site-slot ``j = (s', t)``, bounded by ``h_j <= sum_c
min(cap, w_cj) x_c`` (``pi_j``) and ``h_j <= cap (1 - O_j)`` with ``O_j`` the direct
coverage of ``s'`` (``sigma_j``); at most ``max_checks_per_shift`` checks in shift
``k`` (``lambda_k``). For any multipliers::

    B = sum_k max_{routes r of k} sum_{c in r} (rho_c - lambda_k) + K sum_k lambda_k
        + M sum_s l_s + sum_s m_s + cap sum_j (max(0, v_j - pi_j - sigma_j) + sigma_j)
    rho_c = rep D_c + max(0, (1 - rep) D_c [full_ok] - m_s) - l_s
            + sum_{t in c} (sum_{s'} min(cap, w(s_c, s') d_{t-a_c}) pi_{s',t}
                            - cap sigma_{s_c,t})

is an upper bound on every plan (weak duality; the route maximum is exact for the
relaxed routes, :func:`_best_routes`). It starts at ``pi = v`` and every other multiplier
0 (the relaxation above) and :func:`plan_bound` lowers it by projected subgradient steps
(Polyak step towards the best plan value known) for a fixed number of iterations,
keeping the smallest value seen: every one of them is valid, and the same inputs give
the same bound on a loaded and an idle machine. Rules left out (same-site spacing within
the week, focus, areas, the planner's locks and forbidden hours, travel between shifts)
only make it larger; checks that break the spacing against earlier plans are left out
(no plan has them).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from trafikplan.columns import table_rows
from trafikplan.plan.checks.instance import Instance
from trafikplan.plan.checks.shifts import Shift, shift_rows
from trafikplan.plan.checks.visit import visit_tables

__all__ = ["HOSTS", "PlanBound", "plan_bound"]


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


@dataclass
class _Shift:
    """What the bound needs of one shift: its hosts, start windows and lags."""

    lo: int
    width: int
    hosts: np.ndarray
    lag: np.ndarray
    allowed: np.ndarray
    """(lengths, hosts, width) bool: a check of that length may start there."""


class _Dense:
    """Site x slot arrays of a week: direct values per length, masks per shift."""

    def __init__(self, inst: Instance) -> None:
        rules = inst.rules
        self.inst = inst
        n, t = inst.value.shape
        self.n, self.t = n, t
        self.lengths = np.array(sorted(inst.lengths), dtype=int)
        self.visit = inst.visit
        cap = rules.distance_halo_cap
        # min(cap, w d_j) as sparse matrices, one per slot j of a check
        self.weights = np.minimum(cap, inst.halo_w[None, :, :]
                                  * inst.visit[: int(self.lengths.max()), None, None])
        """``min(cap, w(s, s') d_j)`` for every slot ``j`` of a check, (j, sites, sites)."""
        self.halo = [sparse.csr_matrix(w) for w in self.weights]
        self.direct = visit_tables(inst.value, inst.visit, self.lengths)
        self.full_ok = np.ones((n, t), bool)
        self.conflict = {int(length): np.zeros((n, t), bool) for length in self.lengths}
        step = inst.step
        slot_min = np.arange(t) * step
        for p in table_rows(inst.prior):
            self.full_ok[p.site] &= ~((p.start_min <= slot_min)
                                      & (slot_min - p.start_min < rules.time_halo_hours * 60))
            gap_min = rules.min_hours_between_same_site * 60
            for length in self.lengths:
                end_min = slot_min + length * step
                self.conflict[int(length)][p.site] |= ((slot_min < p.end_min + gap_min)
                                                      & (p.start_min < end_min + gap_min))
        self.shifts = [self._shift(sh) for sh in shift_rows(inst.shifts)]

    def _shift(self, sh: Shift) -> _Shift:
        inst = self.inst
        spots = np.flatnonzero(inst.check_spot)
        known = set(inst.area[spots])
        hosts = (spots[inst.area[spots] == sh.area] if sh.area and sh.area in known
                 else spots)
        lo, width = int(sh.first), max(0, int(sh.last) - int(sh.first))
        a = lo + np.arange(width)
        allowed = np.zeros((self.lengths.size, hosts.size, width), bool)
        for i, length in enumerate(self.lengths):
            ok = a + length <= sh.last
            if sh.break_first >= 0:
                ok &= (a >= sh.break_last) | (a + length <= sh.break_first)
            allowed[i] = ok[None, :] & ~self.conflict[int(length)][np.ix_(hosts, a)]
        gap = inst.gap[np.ix_(hosts, hosts)].astype(float)
        np.fill_diagonal(gap, np.inf)
        lag = gap.min(axis=0) if hosts.size > 1 else np.full(hosts.size, np.inf)
        return _Shift(lo=lo, width=width, hosts=hosts, lag=lag, allowed=allowed)


HOSTS = 16
"""Hosts of a shift the route pricing keeps apart; the others are pooled (:func:`_pool`)."""


PoolHosts = np.ndarray | tuple[np.ndarray, np.ndarray, np.ndarray]
"""A pooled shift's hosts: the sites, or (kept sites, pooled sites, best pooled site)."""


def _pool(rho: np.ndarray, lag: np.ndarray) -> tuple[np.ndarray, np.ndarray, PoolHosts]:
    """Keep the ``HOSTS`` hosts worth most apart and pool the others into one host.

    A route never gains from a check of value <= 0 (a real route visits distinct sites,
    so leaving one out keeps it a route), so hosts without a positive value go. The
    pooled host is worth the best of its members at every start and length, may follow
    the shortest lag of its members and may follow itself: every route of the members
    is a route of the pool worth at least as much, so the bound stays a bound.

    Returns
    -------
    rho, lag, hosts
        The kept (and pooled, last) hosts' values and lags, and for each kept host its
        index in the input (the pool maps to the member worth most at the start).
    """
    peak = rho.max(axis=(0, 2))
    live = np.flatnonzero(peak > 0)
    if live.size <= HOSTS + 1:
        return rho[:, live], lag[live], live
    order = live[np.argsort(-peak[live], kind="stable")]
    keep, rest = order[:HOSTS], order[HOSTS:]
    pool = rho[:, rest]
    best = pool.argmax(axis=1)
    out = np.concatenate([rho[:, keep], pool.max(axis=1)[:, None]], axis=1)
    return out, np.r_[lag[keep], lag[rest].min()], (keep, rest, best)


def _best_routes(shifts: list[tuple[np.ndarray, np.ndarray, PoolHosts]], lengths: np.ndarray,
                 min_len: int) -> tuple[np.ndarray, list[list[tuple[int, int, int]]]]:
    """Return every shift's best route value and checks ``(host, start, length index)``.

    ``shifts`` holds per shift what :func:`_pool` returns: ``rho`` (lengths, hosts,
    width) with ``-inf`` where no check may start, ``lag`` and the host map. A check
    at host ``i`` may follow one at another host (the pool: any host) that ended
    ``lag[i]`` slots or more before it starts. Exact dynamic programme over (end slot,
    host), all shifts in step; starts less than ``min_len + min(lag)`` apart cannot
    follow one another and are priced together.
    """
    n_k = len(shifts)
    n_l = lengths.size
    nh = max((r.shape[1] for r, _, _ in shifts), default=0)
    width = max((r.shape[2] for r, _, _ in shifts), default=0)
    if n_k == 0 or nh == 0 or width == 0:
        return np.zeros(n_k), [[] for _ in range(n_k)]
    rho = np.full((n_k, n_l, nh, width), -np.inf)
    lag = np.full((n_k, nh), np.inf)
    self_ok = np.zeros((n_k, nh), bool)
    for k, (r, g, hosts) in enumerate(shifts):
        rho[k, :, : r.shape[1], : r.shape[2]] = r
        lag[k, : g.size] = g
        self_ok[k, r.shape[1] - 1] = isinstance(hosts, tuple)
    finite = lag[np.isfinite(lag)]
    g_min = int(finite.min()) if finite.size else width + 1
    block = max(1, min_len + min(g_min, width + 1))
    lag_i = np.where(np.isfinite(lag), lag, width + 1).astype(np.int64)
    f = np.full((n_k, width + 1, nh), -np.inf)        # best route ending at (end, host)
    f_start = np.zeros((n_k, width + 1, nh), dtype=np.int32)
    f_len = np.zeros((n_k, width + 1, nh), dtype=np.int32)
    f_end = np.full((n_k, width + 1, nh), -1, dtype=np.int32)   # the check before it
    f_host = np.full((n_k, width + 1, nh), -1, dtype=np.int32)
    run = np.full((n_k, nh), -np.inf)                 # best over ends <= x at each host
    run_at = np.full((n_k, nh), -1, dtype=np.int64)
    top_v = np.full((n_k, width + 1, 2), -np.inf)      # per x: best and second best host
    top_h = np.full((n_k, width + 1, 2), -1, dtype=np.int64)
    top_e = np.full((n_k, width + 1, 2), -1, dtype=np.int64)
    kk = np.arange(n_k)[:, None, None]
    host_ids = np.arange(nh)[None, :, None]
    done = -1
    for b in range(0, width, block):
        x_max = min(b + block - 1 - g_min, width)
        if x_max > done:                              # ends up to x_max are final
            rows = f[:, done + 1:x_max + 1]
            xs = np.arange(done + 1, x_max + 1)
            acc = np.maximum.accumulate(np.concatenate([run[:, None], rows], axis=1), axis=1)
            better = rows > acc[:, :-1]
            at = np.maximum.accumulate(np.concatenate(
                [run_at[:, None], np.where(better, xs[None, :, None], -1)], axis=1), axis=1)
            pref, at = acc[:, 1:], at[:, 1:]
            run, run_at = acc[:, -1], at[:, -1]
            two = (np.argsort(-pref, axis=2, kind="stable")[..., :2] if nh > 1
                   else np.zeros((*pref.shape[:2], 1), dtype=np.int64))
            top_v[:, xs, : two.shape[2]] = np.take_along_axis(pref, two, axis=2)
            top_h[:, xs, : two.shape[2]] = two
            top_e[:, xs, : two.shape[2]] = np.take_along_axis(at, two, axis=2)
            done = x_max
        a0, a1 = b, min(b + block, width)
        x = np.arange(a0, a1)[None, None, :] - lag_i[:, :, None]      # (shifts, hosts, starts)
        xc = np.clip(x, 0, width)
        same = (top_h[kk, xc, 0] == host_ids) & ~self_ok[:, :, None]
        pick = same.astype(np.int64)[..., None]
        prev = np.where(x >= 0, np.take_along_axis(top_v[kk, xc], pick, axis=3)[..., 0],
                        -np.inf)
        linked = prev > 0
        base = np.where(linked, prev, 0.0).transpose(0, 2, 1)        # (shifts, starts, hosts)
        p_end = np.where(linked, np.take_along_axis(top_e[kk, xc], pick, axis=3)[..., 0],
                         -1).transpose(0, 2, 1)
        p_host = np.where(linked, np.take_along_axis(top_h[kk, xc], pick, axis=3)[..., 0],
                          -1).transpose(0, 2, 1)
        for li, length in enumerate(lengths):
            e0 = int(a0 + length)
            n_e = min(a1 - a0, width + 1 - e0)
            if n_e <= 0:
                continue
            val = rho[:, li, :, a0:a0 + n_e].transpose(0, 2, 1) + base[:, :n_e]
            cur = f[:, e0:e0 + n_e]
            win = val > cur
            if not win.any():
                continue
            f[:, e0:e0 + n_e] = np.where(win, val, cur)
            sl = slice(e0, e0 + n_e)
            f_start[:, sl] = np.where(win, np.arange(a0, a0 + n_e)[None, :, None], f_start[:, sl])
            f_len[:, sl] = np.where(win, li, f_len[:, sl])
            f_end[:, sl] = np.where(win, p_end[:, :n_e], f_end[:, sl])
            f_host[:, sl] = np.where(win, p_host[:, :n_e], f_host[:, sl])
    flat = f.reshape(n_k, -1)
    where = flat.argmax(axis=1)
    values = np.maximum(flat[np.arange(n_k), where], 0.0)
    routes = []
    for k in range(n_k):
        route: list[tuple[int, int, int]] = []
        if values[k] > 0:
            e, h = (int(x) for x in np.unravel_index(int(where[k]), f.shape[1:]))
            while e >= 0:
                route.append((int(h), int(f_start[k, e, h]), int(f_len[k, e, h])))
                e, h = int(f_end[k, e, h]), int(f_host[k, e, h])
        hosts = shifts[k][2]
        if isinstance(hosts, tuple):
            keep, rest, best = hosts
            route = [(int(keep[h]) if h < keep.size else int(rest[best[li, a]]), a, li)
                     for h, a, li in route]
        else:
            route = [(int(hosts[h]), a, li) for h, a, li in route]
        routes.append(route[::-1])
    return values, routes


def plan_bound(inst: Instance, best_known: float, *, max_iterations: int = 60,
               time_limit_s: float | None = None) -> PlanBound:
    """Return an upper bound on the value of every plan of the week.

    Parameters
    ----------
    inst : Instance
        The week (its candidates are not used: the bound covers every allowed check).
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
    rules = inst.rules
    rep, cap, m_site = rules.repeat_factor, rules.distance_halo_cap, rules.max_per_site_per_week
    per_shift = rules.max_checks_per_shift
    dense = _Dense(inst)
    n = dense.n
    lengths = dense.lengths
    min_len = int(lengths.min())
    v = inst.value
    ell, mu = np.zeros(n), np.zeros(n)
    lam = np.zeros(len(dense.shifts))
    pi, sigma = v.copy(), np.zeros_like(v)       # pi = v, sigma = 0: checks valued alone
    best, solo, it, theta = np.inf, np.nan, 0, 1.0
    while it < max_iterations:
        rho_l, bonus_l = _values(dense, pi, sigma, ell, mu, rep, cap)
        pooled, which = [], []
        for k, sh in enumerate(dense.shifts):
            if sh.hosts.size == 0 or sh.width == 0:
                continue
            rho = np.stack([r[sh.hosts, sh.lo:sh.lo + sh.width] for r in rho_l]) - lam[k]
            pooled.append(_pool(np.where(sh.allowed, rho, -np.inf), sh.lag))
            which.append(k)
        values, best_routes = _best_routes(pooled, lengths, min_len)
        routes = float(values.sum())
        chosen = [(k, int(dense.shifts[k].hosts[h]), dense.shifts[k].lo + int(a),
                   int(lengths[li]), li)
                  for k, route in zip(which, best_routes, strict=True) for h, a, li in route]
        h_on = v - pi - sigma > 0
        value = (routes + cap * np.where(h_on, v - pi - sigma, 0.0).sum() + cap * sigma.sum()
                 + m_site * ell.sum() + mu.sum() + (per_shift * lam.sum() if per_shift else 0))
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
        site = np.array([c[1] for c in chosen], dtype=int)
        start = np.array([c[2] for c in chosen], dtype=int)
        length = np.array([c[3] for c in chosen], dtype=int)
        li = np.array([c[4] for c in chosen], dtype=int)
        g_ell = m_site - np.bincount(site, minlength=n)
        takes = site[bonus_l[li, site, start] > mu[site]] if site.size else site
        g_mu = 1 - np.bincount(takes, minlength=n)
        g_lam = (per_shift - np.bincount([c[0] for c in chosen], minlength=lam.size)
                 if per_shift else np.zeros_like(lam))
        weight = np.zeros_like(v)
        cover = np.zeros_like(v)
        for j in range(int(length.max(initial=0))):
            on = length > j
            np.add.at(weight.T, start[on] + j, dense.weights[j, site[on], :])
            np.add.at(cover, (site[on], start[on] + j), 1.0)
        h = np.where(h_on, cap, 0.0)
        g_pi = weight - h
        g_sigma = cap - h - cap * cover
        norm = float((g_ell ** 2).sum() + (g_mu ** 2).sum() + (g_pi ** 2).sum()
                     + (g_sigma ** 2).sum() + (g_lam ** 2).sum())
        if norm == 0:
            break
        step = theta * (value - best_known) / norm
        ell = np.maximum(0.0, ell - step * g_ell)
        mu = np.maximum(0.0, mu - step * g_mu)
        lam = np.maximum(0.0, lam - step * g_lam)
        pi = np.maximum(0.0, pi - step * g_pi)
        sigma = np.maximum(0.0, sigma - step * g_sigma)
    return PlanBound(bound=float(best), solo=float(solo), iterations=it,
                     seconds=time.perf_counter() - t0)


def _values(dense: _Dense, pi: np.ndarray, sigma: np.ndarray, ell: np.ndarray,
            mu: np.ndarray, rep: float, cap: float) -> tuple[list[np.ndarray], np.ndarray]:
    """Return ``rho`` of every check (site x start, one array per length) and its bonus.

    The bonus ``(1 - rep) D [full_ok]`` is returned as (lengths, sites, slots).
    """
    n, t = dense.n, dense.t
    cs = np.concatenate([np.zeros((n, 1)), np.cumsum(cap * sigma, axis=1)], axis=1)
    acc = np.zeros((n, t))
    halo = {}
    wanted = set(dense.lengths.tolist())
    for j, w in enumerate(dense.halo):
        acc[:, : t - j] += (w @ pi)[:, j:]
        if j + 1 in wanted:
            halo[j + 1] = acc.copy()
    rho, bonus = [], []
    for length in dense.lengths:
        d = dense.direct[int(length)]
        b = np.where(dense.full_ok, (1 - rep) * d, 0.0)
        own = np.zeros((n, t))
        span = t - length + 1
        own[:, :span] = cs[:, length:length + span] - cs[:, :span]
        rho.append(rep * d + np.maximum(0.0, b - mu[:, None]) - ell[:, None]
                   + halo[int(length)] - own)
        bonus.append(b)
    return rho, np.stack(bonus)
