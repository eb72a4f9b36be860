"""The sample week (Köping, 2024-W45): every rule holds and the planted speeding
hours are covered where a shift allows it."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pandas as pd
import pytest

from plan_checker import check_plan
from trafikplan.io.user_tables.roster import read_roster
from trafikplan.plan.checks import plan_checks

EXPECTED = json.loads((Path(__file__).parent / "data" / "sample_expected.json").read_text(
    encoding="utf-8"))
WEEK = "2024-W45"


@pytest.fixture(scope="module")
def sample_plan(sample_tables, imported_sample):
    from trafikplan.flags import compute_flags

    tables = sample_tables
    settings = dataclasses.replace(tables.settings, checks=dataclasses.replace(
        tables.settings.checks, time_limit_s=3.0))
    flags = compute_flags(tables.vehicles, tables.sites, tables.reports, settings,
                          bins=tables.bins)
    roster = read_roster(imported_sample / "roster.csv", tz=settings.timezone)
    plan = plan_checks(flags, tables.sites, roster, settings, WEEK)
    return plan, flags, tables.sites, roster, settings


def test_sample_week_obeys_every_rule(sample_plan):
    plan, flags, sites, roster, settings = sample_plan
    rep = check_plan(plan.checks, flags=flags, sites=sites, roster=roster, settings=settings,
                     week=WEEK, focus_target=plan.focus_target)
    assert rep.ok, rep.violations
    assert rep.value == pytest.approx(plan.value, rel=1e-9)
    # the best plan beats greedy; the seeded choice stays within the value tolerance of it
    assert plan.best_value >= plan.greedy_value * (1 - 1e-9)
    assert plan.value >= (1 - settings.checks.value_tolerance) * plan.best_value * (1 - 1e-9)
    assert plan.value <= plan.bound * (1 + 1e-9)
    assert rep.focus_count >= settings.checks.focus_min_per_week
    assert set(plan.checks["site_id"]) <= set(EXPECTED["sites"]["check_spots"])


def test_planted_speeding_hours_are_covered(sample_plan):
    plan, _, _, roster, settings = sample_plan
    tz = settings.timezone
    planted = pd.DataFrame(EXPECTED["patterns"]["speeding"])
    start, end = pd.Timestamp("2024-11-04", tz=tz), pd.Timestamp("2024-11-11", tz=tz)
    hours = pd.date_range(start, end, freq="h", inclusive="left")
    on_duty = pd.Series(False, index=hours)
    for r in roster.itertuples(index=False):
        on_duty |= (hours >= r.start) & (hours + pd.Timedelta(hours=1) <= r.end)
    checked = 0
    for site, grp in planted.groupby("site_id"):
        keys = set(zip(grp["weekday"], grp["hour_of_day"], strict=True))
        possible = [h for h in hours[on_duty.to_numpy()]
                    if (h.isoweekday(), h.hour) in keys]
        if not possible:
            continue
        checked += 1
        at = plan.checks[plan.checks["site_id"] == site]
        # a short visit in the hour covers it (presence, not the whole hour)
        covered = [h for h in possible
                   if ((at["start"] < h + pd.Timedelta(hours=1)) & (at["end"] > h)).any()]
        assert covered, f"{site}: planted hours {sorted(keys)} on duty but not checked"
    assert checked >= 2


def test_reasons_say_near_only_of_another_street(sample_plan):
    plan = sample_plan[0]
    for row in plan.checks.itertuples(index=False):
        text = row.reason.removeprefix("Fokusgata i medborgarlöftet; ")
        assert not text.startswith(f"Nära {row.street} "), row.reason
    assert plan.checks["reason"].str.len().gt(0).all()
