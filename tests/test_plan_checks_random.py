"""Random small instances (hypothesis): every plan passes the independent checker,
its value is >= the greedy baseline and <= the solver's bound."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plan_checker import check_plan
from test_plan_checks import synthetic_week
from trafikplan._errors import InfeasiblePlanError
from trafikplan.plan.checks import plan_checks


@settings(max_examples=6, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(
    n_sites=st.integers(2, 6),
    teams=st.integers(1, 2),
    shifts=st.integers(1, 2),
    length_h=st.integers(2, 7),
    data_seed=st.integers(0, 10_000),
    step=st.sampled_from([30, 60]),
    lengths=st.sampled_from([(60, 120), (60, 60), (90, 180)]),
    per_site=st.integers(1, 2),
    min_hours=st.sampled_from([0.0, 12.0, 48.0]),
    focus=st.integers(0, 2),
    km=st.sampled_from([0.5, 3.0, 12.0]),
    seed=st.integers(0, 3),
)
@pytest.mark.slow
def test_random_instances_pass_the_checker(n_sites, teams, shifts, length_h, data_seed, step,
                                           lengths, per_site, min_hours, focus, km, seed):
    flags, sites, roster, cfg = synthetic_week(
        n_sites=n_sites, teams=teams, shifts=shifts, length_h=length_h, seed=data_seed, km=km,
        hours=(6, 13, 19))
    cfg = dataclasses.replace(cfg, checks=dataclasses.replace(
        cfg.checks, step_minutes=step, min_minutes=lengths[0], max_minutes=lengths[1],
        max_per_site_per_week=per_site, min_hours_between_same_site=min_hours,
        focus_min_per_week=focus, seed=seed))
    try:
        plan = plan_checks(flags, sites, roster, cfg, "2024-W41")
    except InfeasiblePlanError as exc:
        # only when no check fits at all; then the message says so
        assert "no check can be placed" in str(exc) or "no check length" in str(exc)
        return
    rep = check_plan(plan.checks, flags=flags, sites=sites, roster=roster, settings=cfg,
                     week="2024-W41", focus_target=plan.focus_target)
    assert rep.ok, rep.violations
    assert rep.value == pytest.approx(plan.value, rel=1e-9, abs=1e-9)
    greedy = check_plan(plan.greedy, flags=flags, sites=sites, roster=roster, settings=cfg,
                        week="2024-W41", focus_target=plan.greedy_focus_target)
    assert greedy.ok, greedy.violations
    assert rep.value >= greedy.value * (1 - 1e-6) - 1e-9
    assert rep.value <= plan.bound * (1 + 1e-3) + 1e-9
