"""Measurement plans for the Köping sample: built measures, the planned one, tips, stale data.

The flags (``uncertain`` candidates) are left out here so that this test
depends only on the readers and the planner; the command-line test runs the
whole chain with flags.
"""

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from measurement_checker import check_plan

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "measurements"
EXPECTED = ROOT / "tests" / "data" / "sample_expected.json"

pytestmark = pytest.mark.skipif(not (SAMPLE / "measures.csv").exists() or not EXPECTED.exists(),
                                reason="sample data folder not generated")


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    from trafikplan.io.loading import load
    from trafikplan.io.user_tables.measures import read_counter_fleet, read_measures

    folder = tmp_path_factory.mktemp("sample_plan") / "measurements"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns(".trafikplan"))
    tables = load(folder)
    return (tables, read_measures(folder / "measures.csv"),
            read_counter_fleet(folder / "counter_fleet.csv"),
            json.loads(EXPECTED.read_text(encoding="utf-8")))


def _plan(sample, start, fleet=None, weeks=8):
    from trafikplan.plan.measurements import plan_measurements
    from trafikplan.plan.measurements.candidates import build_candidates

    tables, measures, sample_fleet, _ = sample
    fleet = sample_fleet if fleet is None else fleet
    s = tables.settings
    cands = build_candidates(tables.sites, tables.vehicles, tables.reports, measures,
                             start=start, weeks=weeks, settings=s.measurements,
                             bins=tables.bins, tz=s.timezone, language=s.language)
    res = plan_measurements(cands, fleet, start=start, weeks=weeks, settings=s.measurements,
                            time_limit_s=10.0)
    m = s.measurements
    errors, value = check_plan(res.plan, cands, fleet, start=start, weeks=weeks,
                               min_days=m.min_days, max_days=m.max_days,
                               max_installs_per_day=m.max_installs_per_day)
    assert errors == []
    assert value == res.value >= res.greedy_value
    g_errors, _ = check_plan(res.greedy, cands, fleet, start=start, weeks=weeks,
                             min_days=m.min_days, max_days=m.max_days,
                             max_installs_per_day=m.max_installs_per_day)
    assert g_errors == []
    return res


@pytest.mark.slow
def test_november_plan_measures_tips_planned_measure_and_stale_site(sample):
    tables, _, _, expected = sample
    res = _plan(sample, dt.date(2024, 11, 4))
    plan = res.plan
    # Tips: reported streets that have no counter site at all get a counter (a new site).
    tip_streets = set(expected["reports"]["by_street"]) - set(tables.sites["street"])
    assert tip_streets  # the sample plants some
    tips = plan[plan["purpose"] == "tip"]
    assert tip_streets <= set(tips["street"])
    assert tips.loc[tips["street"].isin(tip_streets), "site_id"].isna().all()
    # The planned measure gets its before measurement, removed before it is built.
    for m in expected["measures"]:
        if m.get("needs") == "before":
            row = plan[plan["site_id"] == m["site_id"]]
            assert list(row["purpose"]) == ["before"]
            assert row["remove"].iloc[0] < dt.date.fromisoformat(m["built"])
    # The stale site is measured again.
    assert expected["stale"]["site_id"] in set(plan["site_id"].dropna())
    # The built measures already have their autumn after measurements: no new ones.
    assert "after" not in set(plan["purpose"])
    # The counter available later is not installed before its day.
    late = expected["counter_fleet"]["available_later"]
    for counter, day in late.items():
        installs = plan.loc[plan["counter"] == counter, "install"]
        assert (installs >= dt.date.fromisoformat(day)).all()


@pytest.mark.slow
def test_built_measures_get_after_measurements(sample):
    # Planning in late August 2024 (before the autumn after measurements existed), with the
    # fleet available from the start: each built measure gets an after measurement at its site.
    _, _, fleet, expected = sample
    res = _plan(sample, dt.date(2024, 8, 26), fleet=fleet.assign(available_from=None))
    plan = res.plan.set_index("site_id", drop=False)
    for m in expected["measures"]:
        if m["status"] != "built":
            continue
        row = plan.loc[m["site_id"]]
        assert row["purpose"] == "after" and row["measure_id"] == m["measure_id"]
        earliest = dt.date.fromisoformat(m["built"]) + dt.timedelta(weeks=4)
        assert row["install"] >= earliest
        assert row["counter_kind"] == "radar"  # like the before measurement (per vehicle)
        assert "före-mätning 2024-04-15" in row["reason"]
