"""Rules of the short-visit plan: lengths on their steps, a cap per shift and the meal
break (caught by the independent checker too); a rule that empties the plan is named
and relaxed; the bound's budget is counted in steps, so a loaded machine gives the same
bound as an idle one."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from plan_checker import check_plan
from test_plan_checks import synthetic_week
from trafikplan.plan.checks import plan_checks
from trafikplan.plan.checks.greedy import greedy_plan
from trafikplan.plan.checks.instance import build_instance
from trafikplan.plan.checks.week_bound import plan_bound

WEEK = "2024-W41"


@pytest.mark.slow
def test_short_visits_cap_and_break_hold_and_the_checker_sees_them():
    flags, sites, roster, settings = synthetic_week(teams=1, shifts=2, length_h=9, seed=6,
                                                    max_checks_per_shift=3)
    plan = plan_checks(flags, sites, roster, settings, WEEK)
    ch = plan.checks
    minutes = ((ch["end"] - ch["start"]).dt.total_seconds() / 60).astype(int)
    assert set(minutes) <= {20, 40, 60}
    rep = check_plan(ch, flags=flags, sites=sites, roster=roster, settings=settings,
                     week=WEEK, focus_target=plan.focus_target)
    assert rep.ok, rep.violations
    # the break: the 30 minutes in the middle of each shift (its part in the week) are free
    week_end = pd.Timestamp("2024-10-14", tz=settings.timezone)

    def break_start(r) -> pd.Timestamp:
        steps = int((min(pd.Timestamp(r.end), week_end) - pd.Timestamp(r.start))
                    / pd.Timedelta(minutes=5))
        return pd.Timestamp(r.start) + pd.Timedelta(minutes=5 * ((steps - 6) // 2))

    for r in roster.itertuples(index=False):
        mid = break_start(r)
        inside = (ch["start"] < mid + pd.Timedelta(minutes=30)) & (ch["end"] > mid)
        assert not inside.any()
    # a check in the break and a fourth check in a shift are violations
    first = roster.iloc[0]
    mid = break_start(first).tz_convert(settings.timezone)
    bad = pd.DataFrame({"team": [first["team"]], "start": [mid],
                        "end": [mid + pd.Timedelta(minutes=20)], "site_id": ["K01"]})
    rep = check_plan(bad, flags=flags, sites=sites, roster=roster, settings=settings,
                     week=WEEK)
    assert any("break" in v for v in rep.violations)
    start = pd.Timestamp(first["start"]).tz_convert(settings.timezone)
    many = pd.DataFrame({"team": first["team"], "site_id": ["K01", "K02", "K03", "K04"],
                         "start": [start + pd.Timedelta(minutes=60 * k) for k in range(4)]})
    many["end"] = many["start"] + pd.Timedelta(minutes=20)
    rep = check_plan(many, flags=flags, sites=sites, roster=roster, settings=settings,
                     week=WEEK)
    assert any("4 checks in one shift" in v for v in rep.violations)


@pytest.mark.slow
def test_a_rule_that_empties_the_plan_is_named_and_relaxed():
    # one 9-hour shift and areas in strict proportion to need: no plan keeps the rule
    flags, sites, roster, settings = synthetic_week(teams=1, shifts=1, length_h=9, seed=2,
                                                    area_share_slack=0.0)
    plan = plan_checks(flags, sites, roster, settings, WEEK)
    assert len(plan.checks) > 0
    assert plan.log["relaxed"] == ["area_share_slack"]
    assert "områden i proportion till behovet gav en tom plan" in plan.messages[0]
    relaxed = settings.__class__(**{**settings.__dict__, "checks": settings.checks.__class__(
        **{**settings.checks.__dict__, "area_share_slack": 1.0})})
    rep = check_plan(plan.checks, flags=flags, sites=sites, roster=roster, settings=relaxed,
                     week=WEEK, focus_target=plan.focus_target)
    assert rep.ok, rep.violations


@pytest.mark.slow
def test_the_bound_is_the_same_on_a_loaded_and_an_idle_machine():
    flags, sites, roster, settings = synthetic_week(seed=9, distance_halo_same_street=False,
                                                    km=1.5)
    inst = build_instance(flags, sites, roster, settings, WEEK)
    target = float(greedy_plan(inst)["value"].sum())
    idle = plan_bound(inst, target, max_iterations=25)
    burners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(3)]
    try:
        loaded = plan_bound(inst, target, max_iterations=25)
    finally:
        for p in burners:
            p.kill()
            p.wait()
    assert loaded.bound == idle.bound
    assert loaded.iterations == idle.iterations
    assert idle.bound >= target
