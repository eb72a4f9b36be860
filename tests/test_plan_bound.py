"""The week's upper bound: the route pricing is exact (brute force), the bound holds for
the proven optimum of small weeks and for every plan the planner reports."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from test_plan_checks import synthetic_week
from trafikplan.plan.checks import plan_checks
from trafikplan.plan.checks.greedy import greedy_plan
from trafikplan.plan.checks.instance import build_instance
from trafikplan.plan.checks.route_bound import RoutePricer, solo_values
from trafikplan.plan.checks.week_bound import plan_bound

COARSE = {"step_minutes": 30, "min_minutes": 60, "max_minutes": 120, "length_step_minutes": 0,
          "break_minutes": 0}
"""The former hour-long grid: small enough for brute force and proven optima."""


def brute_best_route(inst, rho: np.ndarray, shift: int) -> float:
    """Best sum of rho over sequences of one shift's candidates with setup + travel gaps,
    never the same site twice in a row (once per shift) and at most the cap of checks."""
    cand = inst.cand
    idx = np.flatnonzero(cand["shift"].to_numpy() == shift)
    site, a, e = (cand[c].to_numpy() for c in ("site", "start", "end"))
    order = sorted(idx, key=lambda c: (a[c], c))

    cap = inst.rules.max_checks_per_shift or len(order)

    def best_after(prev: int | None, pos: int, left: int) -> float:
        out = 0.0
        if left == 0:
            return out
        for k in range(pos, len(order)):
            c = order[k]
            if prev is not None and (a[c] < e[prev] + inst.gap[site[prev], site[c]]
                                     or site[c] == site[prev]):
                continue
            out = max(out, rho[c] + best_after(c, k + 1, left - 1))
        return out

    return best_after(None, 0, cap)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), setup=st.sampled_from([0, 15, 45]),
       cap=st.sampled_from([0, 2, 3]))
@pytest.mark.slow
def test_route_pricing_equals_brute_force(seed, setup, cap):
    flags, sites, roster, cfg = synthetic_week(n_sites=4, teams=1, shifts=1, length_h=4,
                                               seed=seed % 50, setup_minutes=setup,
                                               max_checks_per_shift=cap, **COARSE)
    inst = build_instance(flags, sites, roster, cfg, "2024-W41")
    rho = np.random.default_rng(seed).normal(0.5, 1.0, len(inst.cand))
    pricer = RoutePricer(inst)
    total, chosen = pricer.best(rho)
    assert total == pytest.approx(brute_best_route(inst, rho, 0), abs=1e-9)
    # the returned route is a route and earns what the DP says
    assert rho[chosen].sum() == pytest.approx(total, abs=1e-9)
    c = inst.cand.iloc[chosen]
    for (_, p), (_, q) in zip(c.iloc[:-1].iterrows(), c.iloc[1:].iterrows(), strict=True):
        assert q["start"] >= p["end"] + inst.gap[p["site"], q["site"]]


@pytest.mark.parametrize(("seed", "same_street"), [(4, True), (7, False), (12, False)])
@pytest.mark.slow
def test_bound_holds_for_the_proven_optimum(seed, same_street):
    flags, sites, roster, cfg = synthetic_week(n_sites=5, teams=2, shifts=2, length_h=3,
                                               seed=seed, time_limit=20.0,
                                               candidates_per_start=0,
                                               distance_halo_same_street=same_street, **COARSE)
    plan = plan_checks(flags, sites, roster, cfg, "2024-W41")
    assert plan.status == "OPTIMAL"
    inst = build_instance(flags, sites, roster, cfg, "2024-W41")
    greedy = greedy_plan(inst)
    b = plan_bound(inst, float(greedy["value"].sum()), max_iterations=100)
    assert b.bound >= plan.best_value * (1 - 1e-9)
    assert b.bound <= b.solo + 1e-9
    assert plan.log["bound_lagrangian"] >= plan.best_value * (1 - 1e-9)
    assert plan.bound >= plan.best_value * (1 - 1e-9)


def test_solo_values_bound_every_checks_own_value():
    flags, sites, roster, cfg = synthetic_week(seed=9)
    inst = build_instance(flags, sites, roster, cfg, "2024-W41")
    greedy = greedy_plan(inst)
    u = solo_values(inst)
    assert (u[greedy.index.to_numpy()] >= greedy["value"].to_numpy() - 1e-9).all()


@pytest.mark.slow
def test_reported_bound_is_global_and_named():
    flags, sites, roster, cfg = synthetic_week(seed=3, time_limit=2.0)
    plan = plan_checks(flags, sites, roster, cfg, "2024-W41")
    assert plan.log["bound_method"] in ("lagrangian", "cp-sat")
    assert plan.bound >= plan.value - 1e-9
    assert plan.bound <= plan.log["bound_solo"] + 1e-9
    assert 0.0 <= plan.gap < 1.0


def test_bound_covers_every_allowed_check_whatever_the_candidate_rules_keep():
    # the candidate rules keep a fraction of the checks; the bound does not depend on it
    flags, sites, roster, cfg = synthetic_week(seed=11, n_sites=10, teams=2, shifts=2,
                                               shifts_per_site=1, sites_per_shift=2)
    pruned = build_instance(flags, sites, roster, cfg, "2024-W41")
    every = dataclasses.replace(cfg, checks=dataclasses.replace(
        cfg.checks, start_step_minutes=0, shifts_per_site=0, sites_per_shift=0))
    full = build_instance(flags, sites, roster, every, "2024-W41")
    assert len(pruned.cand) < len(full.cand) / 3
    best = float(greedy_plan(full)["value"].sum())
    a = plan_bound(pruned, best, max_iterations=20)
    b = plan_bound(full, best, max_iterations=20)
    assert a.bound == b.bound and a.solo == b.solo
    # and it holds for plans made of checks the pruned candidates lack
    assert a.bound >= best
    assert a.solo >= solo_values(full).max()
