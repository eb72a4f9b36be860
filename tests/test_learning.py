"""Planning that keeps learning: value rule, exploration, measured halo for the planner."""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pandas as pd
import pytest

from plan_checker import check_plan as independent_check
from trafikplan.plan.learning import (
    LEARNING_COLUMNS,
    learning_value,
    planner_halo,
    with_planner_halo,
)
from trafikplan.settings import CheckSettings, LearningSettings, Settings
from trafikplan.stats.halo import HaloResult

TZ = "Europe/Stockholm"
SETTINGS = Settings(municipality="Köping", timezone=TZ,
                    checks=CheckSettings(focus_min_per_week=0, time_limit_s=5.0,
                                         # hour-long checks, few a week: exploration shows
                                         min_minutes=60, max_minutes=120, step_minutes=30,
                                         length_step_minutes=0, max_checks_per_shift=0,
                                         break_minutes=0, visit_halflife_minutes=0.0,
                                         recency_penalty=0.0))

# four check spots 3-4 km apart (no distance halo between them), one area
SITES = pd.DataFrame({
    "site_id": ["A", "B", "C", "D"],
    "street": ["Agatan", "Bgatan", "Cgatan", "Dgatan"],
    "section": "", "lat": [59.50, 59.53, 59.56, 59.59], "lon": [16.00, 16.00, 16.00, 16.00],
    "speed_limit": 50.0, "area": "", "check_spot": True,
})
SCORES = {"A": 10.0, "B": 6.0, "C": 5.0, "D": 4.0}
N_DAYS = {"A": 14, "B": 14, "C": 14, "D": 2}  # D: a few counter days only
TRUE_RATE = {"A": 0.12, "B": 0.10, "C": 0.10, "D": 0.03}


def flags_table(scores=SCORES, n_days=N_DAYS) -> pd.DataFrame:
    rows = []
    for site, s in scores.items():
        for wd in range(1, 8):
            for h in range(24):
                rows.append({"site_id": site, "street": f"{site}gatan", "area": "",
                             "speed_limit": 50.0, "weekday": wd, "hour_of_day": h,
                             "focus": False, "score": s, "flagged": s >= 5, "kind": "",
                             "reason": f"underlag {site}", "n": 40.0 * n_days[site] / 7,
                             "n_days": float(n_days[site] // 7)})
    df = pd.DataFrame(rows)
    df["site_id"] = df["site_id"].astype("string")
    df["street"] = df["street"].astype("string")
    return df


def checks(rows) -> pd.DataFrame:
    """checks_done rows: (site, local start, minutes, checked, violations)."""
    out = []
    for site, start, minutes, n, k in rows:
        s = pd.Timestamp(start, tz=TZ).tz_convert("UTC")
        out.append({"team": "T", "start": s, "end": s + pd.Timedelta(minutes=minutes),
                    "site_id": site, "street": f"{site}gatan", "vehicles_checked": n,
                    "violations": k})
    df = pd.DataFrame(out, columns=["team", "start", "end", "site_id", "street",
                                    "vehicles_checked", "violations"])
    df["site_id"] = df["site_id"].astype("string")
    return df


def test_value_columns_and_added_hours_for_check_spots_without_flags():
    flags = flags_table({"A": 10.0}, {"A": 14})
    got = learning_value(flags, checks([]), SITES, SETTINGS)
    for c in LEARNING_COLUMNS:
        assert c in got.columns
    assert len(got) == 4 * 168
    b = got[got["site_id"] == "B"]
    assert (b["score_flags"] == 0).all() and (b["exploration"] > 0).all()
    assert (got["score"] == got["value"]).all() and (got["value"] >= 0).all()
    assert b["reason"].iloc[0].startswith("lite underlag (0 kontroller, 0 mätdagar)")
    # without checks the flags' score is kept as it is (lift 1)
    a = got[got["site_id"] == "A"]
    assert np.allclose(a["value"] - a["exploration"], 10.0)


def test_bonus_follows_the_documented_rule_and_vanishes_as_evidence_grows():
    ls = LearningSettings(exploration_weight=0.5, counter_day_weight=0.5)
    settings = dataclasses.replace(SETTINGS, learning=ls)
    done = checks([("A", "2024-04-02 10:00", 60, 50, 5)] * 1)
    bonuses = []
    for days in (0, 14, 70, 700, 70_000):
        got = learning_value(flags_table({"A": 10.0, "B": 6.0}, {"A": 14, "B": days}),
                             done, SITES[SITES["site_id"].isin(["A", "B"])], settings)
        row = got[(got["site_id"] == "B") & (got["weekday"] == 3) & (got["hour_of_day"] == 9)]
        bonuses.append(float(row["exploration"].iloc[0]))
        e = 0.5 * (days // 7)
        ref = 8.0  # median of the positive scores 10 and 6 (equal numbers of rows)
        assert bonuses[-1] == pytest.approx(0.5 * ref * np.sqrt((1 + np.log(2)) / (1 + e)))
    assert all(a > b for a, b in itertools.pairwise(bonuses))
    assert bonuses[-1] < 0.02 * bonuses[0]
    off = learning_value(flags_table(), checks([]), SITES,
                         dataclasses.replace(SETTINGS, learning=LearningSettings(
                             exploration_weight=0.0)))
    assert (off["exploration"] == 0).all()


def test_more_violations_never_lower_the_value_and_shrinkage_is_hierarchical():
    flags = flags_table()
    base = [("B", "2024-04-02 10:00", 60, 100, 10), ("C", "2024-04-03 10:00", 60, 100, 10)]
    values = []
    for k in (0, 5, 20, 60):
        done = checks([*base, ("A", "2024-04-04 10:00", 60, 100, k)])
        got = learning_value(flags, done, SITES, SETTINGS)
        at = (got["site_id"] == "A") & (got["weekday"] == 4) & (got["hour_of_day"] == 10)
        other = (got["site_id"] == "A") & (got["weekday"] == 1) & (got["hour_of_day"] == 3)
        values.append((float(got.loc[at, "value"].iloc[0]), float(got.loc[other, "lift"]
                                                                  .iloc[0])))
        # posterior: p0 = all checks, then site, then site-hour (m = 100 vehicles)
        p0 = (20 + k) / 300
        p_site = (k + 100 * p0) / (100 + 100)
        p_sh = (k + 100 * p_site) / (100 + 100)
        assert float(got.loc[at, "violation_rate_post"].iloc[0]) == pytest.approx(p_sh)
        assert float(got.loc[at, "lift"].iloc[0]) == pytest.approx(
            np.clip(p_sh / p0, 1 / 3, 3))
    at_hour = [v for v, _ in values]
    assert at_hour == sorted(at_hour)
    # another hour at A learns through the site level, never beyond the site-hour
    assert [lift for _, lift in values] == sorted(lift for _, lift in values)


def test_street_only_rows_pass_unchanged():
    flags = flags_table({"A": 10.0}, {"A": 14})
    street = flags.iloc[:1].copy()
    street["site_id"] = pd.NA
    street["street"] = "Glasgatan"
    street["score"] = 7.0
    got = learning_value(pd.concat([flags, street], ignore_index=True), checks([]),
                         SITES.iloc[:1], SETTINGS)
    row = got[got["site_id"].isna()]
    assert len(row) == 1 and row["value"].iloc[0] == 7.0 and row["exploration"].iloc[0] == 0


# --- closed loop with the real CP-SAT planner -------------------------------------------


def _roster(week: int) -> pd.DataFrame:
    monday = pd.Timestamp("2024-04-01", tz=TZ) + pd.Timedelta(weeks=week)
    shifts = [(1, 10), (3, 14), (5, 20)]  # weekday offset, hour: two hours each
    rows = [{"team": "Ingripande 1", "start": monday + pd.Timedelta(days=d, hours=h),
             "end": monday + pd.Timedelta(days=d, hours=h + 2), "area": pd.NA}
            for d, h in shifts]
    df = pd.DataFrame(rows)
    df["start"] = pd.to_datetime(df["start"], utc=True)
    df["end"] = pd.to_datetime(df["end"], utc=True)
    return df


def _run_loop(settings: Settings, weeks: int) -> list[list[str]]:
    from trafikplan.plan.checks import plan_checks

    rng = np.random.default_rng(11)
    done = checks([])
    planned = []
    for w in range(weeks):
        valued = learning_value(flags_table(), done, SITES, settings)
        week = (pd.Timestamp("2024-04-01") + pd.Timedelta(weeks=w)).strftime("%G-W%V")
        plan = plan_checks(valued, SITES, _roster(w), settings, week,
                           prior=done[["site_id", "start", "end"]])
        assert plan.status in ("OPTIMAL", "FEASIBLE")
        _check_plan(plan.checks, _roster(w), settings)
        # the independent plan checker holds on plans made with the learning value
        report = independent_check(plan.checks, flags=valued, sites=SITES, roster=_roster(w),
                                   settings=settings, week=week,
                                   prior=done[["site_id", "start", "end"]],
                                   focus_target=plan.focus_target)
        assert report.ok, report.violations
        assert report.value == pytest.approx(plan.value, rel=1e-6)
        planned.append(sorted(plan.checks["site_id"]))
        n = rng.poisson(60, len(plan.checks)) + 10
        k = rng.binomial(n, [TRUE_RATE[s] for s in plan.checks["site_id"]])
        new = pd.DataFrame({"team": plan.checks["team"].to_numpy(),
                            "start": plan.checks["start"].dt.tz_convert("UTC").to_numpy(),
                            "end": plan.checks["end"].dt.tz_convert("UTC").to_numpy(),
                            "site_id": plan.checks["site_id"].astype("string").to_numpy(),
                            "street": plan.checks["street"].to_numpy(),
                            "vehicles_checked": n, "violations": k})
        new["start"] = pd.to_datetime(new["start"], utc=True)
        new["end"] = pd.to_datetime(new["end"], utc=True)
        done = pd.concat([done, new], ignore_index=True) if len(done) else new
    return planned


def _check_plan(plan: pd.DataFrame, roster: pd.DataFrame, settings: Settings) -> None:
    """The plan rules that matter here, re-checked without the solver."""
    rules = settings.checks
    assert len(plan) > 0
    for row in plan.itertuples(index=False):
        minutes = (row.end - row.start).total_seconds() / 60
        assert rules.min_minutes <= minutes <= rules.max_minutes
        inside = ((roster["start"] <= row.start) & (row.end <= roster["end"])
                  & (roster["team"] == row.team))
        assert inside.any(), row
    assert (plan.groupby("site_id").size() <= rules.max_per_site_per_week).all()
    by_site = plan.sort_values("start").groupby("site_id")
    for _, grp in by_site:
        gaps = (grp["start"].iloc[1:].to_numpy() - grp["end"].iloc[:-1].to_numpy())
        assert all(g >= pd.Timedelta(hours=rules.min_hours_between_same_site) for g in gaps)


@pytest.mark.slow
def test_a_never_checked_site_with_thin_evidence_is_planned_now_and_then():
    weeks = 8
    explore = _run_loop(SETTINGS, weeks)
    greedy_only = _run_loop(dataclasses.replace(
        SETTINGS, learning=LearningSettings(exploration_weight=0.0)), weeks)
    with_d = [w for w in explore if "D" in w]
    # exploring: D is visited, but not every week, and the plan is not locked on D
    assert 1 <= len(with_d) < weeks
    assert sum(w.count("D") for w in explore) < sum(len(w) for w in explore) / 3
    # without exploration D, with the lowest score, is never planned
    assert all("D" not in w for w in greedy_only)
    assert len({s for w in explore for s in w}) > len({s for w in greedy_only for s in w})


# --- measured halo for the planner ------------------------------------------------------


def _halo_result(diffs, his, used=12, halo=48.0) -> HaloResult:
    pooled = pd.DataFrame({"from_hours": [0.0, 24.0, 48.0, 96.0],
                           "to_hours": [24.0, 48.0, 96.0, 168.0],
                           "checks_n": [used, used, used + 1, used + 1],
                           "mean_diff": diffs, "mean_diff_hi": his,
                           "significant": [h < 0 for h in his]})
    checks_table = pd.DataFrame({"status": ["used"] * used})
    return HaloResult(pooled=pooled, per_check=pd.DataFrame(), checks=checks_table,
                      halo_hours=halo)


def test_planner_uses_the_measured_halo_only_with_enough_checks():
    result = _halo_result([-4.0, -2.0, -0.1, 0.05], [-3.7, -1.8, 0.01, 0.2])
    ph = planner_halo(result, SETTINGS)
    assert ph.measured and ph.hours == 48.0 and ph.checks_used == 12
    assert ph.note.endswith("ger 0,25 av värdet")
    # remaining 1.0 in 0-24 h, 0.5 in 24-48 h: mean 0.75 -> a repeat earns 0.25
    assert ph.repeat_factor == pytest.approx(0.25)
    assert ph.decay["remaining"].tolist() == pytest.approx([1.0, 0.5, 0.0, 0.0])
    s2 = with_planner_halo(SETTINGS, ph)
    assert s2.checks.time_halo_hours == 48.0 and s2.checks.repeat_factor == pytest.approx(0.25)
    assert s2.checks.min_minutes == SETTINGS.checks.min_minutes
    few = planner_halo(_halo_result([-4.0, -2.0, 0, 0], [-3, -1, 1, 1], used=9), SETTINGS)
    assert not few.measured and few.hours == SETTINGS.checks.time_halo_hours
    assert few.repeat_factor == SETTINGS.checks.repeat_factor
    assert "standardvärdet" in few.note
    none = planner_halo(None, SETTINGS)
    assert not none.measured and none.checks_used == 0
