"""The speed-check plan on synthetic weeks: every rule holds (independent checker),
value >= greedy and within the gap of the bound, reproducible and seed-dependent."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from plan_checker import check_plan
from trafikplan._errors import InfeasiblePlanError
from trafikplan.plan.checks import plan_checks
from trafikplan.settings import CheckSettings, Settings

TZ = "Europe/Stockholm"
LAT0, LON0 = 59.511, 15.993


def synthetic_week(week: str = "2024-W41", *, n_sites: int = 8, teams: int = 2,
                   shifts: int = 2, seed: int = 3, km: float = 2.5,
                   hours: tuple[int, ...] = (14, 16), length_h: int = 6,
                   time_limit: float = 1.0, **rules):
    """Sites in a Köping-sized town, flags with a few hot hours, a roster."""
    rng = np.random.default_rng(seed)
    x, y = rng.uniform(0, km, n_sites), rng.uniform(0, km * 0.8, n_sites)
    streets = ["Ringvägen", "Skogsleden", "Stora Gatan", "Nygatan", "Glasgatan",
               "Hagavägen", "Åkerbovägen", "Östanåsgatan"]
    sites = pd.DataFrame({
        "site_id": [f"K{i + 1:02d}" for i in range(n_sites)],
        "street": [streets[i % len(streets)] for i in range(n_sites)],
        "lat": LAT0 + y / 111.2,
        "lon": LON0 + x / (111.2 * np.cos(np.radians(LAT0))),
        "speed_limit": 40.0,
        "area": np.where(x < km / 2, "Väster", "Öster"),
        "check_spot": np.arange(n_sites) != n_sites - 1,
    })
    rows = []
    for s in sites.itertuples(index=False):
        hot = set(rng.choice(168, size=6, replace=False).tolist())
        for h in range(168):
            if h not in hot and rng.random() < 0.6:
                continue
            score = float(rng.gamma(1.0, 0.4)) + (float(rng.uniform(3, 8)) if h in hot else 0)
            rows.append((s.site_id, s.street, s.area, 40.0, h // 24 + 1, h % 24,
                         s.street in ("Ringvägen", "Skogsleden"), score, h in hot, "speeding",
                         f"Timme {h % 24} på {s.street}: V85 {45 + score:.0f} km/h"))
    flags = pd.DataFrame(rows, columns=["site_id", "street", "area", "speed_limit", "weekday",
                                        "hour_of_day", "focus", "score", "flagged", "kind",
                                        "reason"])
    year, num = (int(p) for p in week.split("-W"))
    monday = pd.Timestamp.fromisocalendar(year, num, 1)
    shift_rows = []
    for t in range(teams):
        for d in rng.choice(7, size=shifts, replace=False):
            start = (monday + pd.Timedelta(days=int(d), hours=int(rng.choice(hours))))
            start = start.tz_localize(TZ)
            end = (start.tz_localize(None) + pd.Timedelta(hours=length_h)).tz_localize(TZ)
            shift_rows.append((f"Patrull {t + 1}", start.tz_convert("UTC"),
                               end.tz_convert("UTC"), None))
    roster = pd.DataFrame(shift_rows, columns=["team", "start", "end", "area"])
    settings = Settings(municipality="Köping", focus_streets=("Ringvägen", "Skogsleden"),
                        checks=CheckSettings(time_limit_s=time_limit, **rules))
    return flags, sites, roster, settings


def run_checker(plan_df, flags, sites, roster, settings, week, *, prior=None, focus_target=None):
    return check_plan(plan_df, flags=flags, sites=sites, roster=roster, settings=settings,
                      week=week, prior=prior, focus_target=focus_target)


@pytest.fixture(scope="module")
def week41():
    data = synthetic_week()
    return data, plan_checks(*data, "2024-W41")


@pytest.mark.slow
def test_plan_obeys_every_rule_and_beats_greedy(week41):
    (flags, sites, roster, settings), plan = week41
    assert len(plan.checks) > 0
    rep = run_checker(plan.checks, flags, sites, roster, settings, "2024-W41",
                      focus_target=plan.focus_target)
    assert rep.ok, rep.violations
    assert rep.value == pytest.approx(plan.value, rel=1e-9)
    assert rep.check_values == pytest.approx(
        plan.checks.sort_values(["start", "team", "site_id"])["value"].tolist(), rel=1e-6)
    greedy = run_checker(plan.greedy, flags, sites, roster, settings, "2024-W41",
                         focus_target=plan.greedy_focus_target)
    assert greedy.ok, greedy.violations
    assert greedy.value == pytest.approx(plan.greedy_value, rel=1e-9)
    assert plan.best_value >= greedy.value * (1 - 1e-6)
    assert rep.value >= (1 - settings.checks.value_tolerance) * plan.best_value * (1 - 1e-6)
    # the integer model rounds slot values to 1e-4 of the largest one
    assert rep.value <= plan.bound * (1 + 1e-3)
    assert plan.value >= (1 - plan.gap) * plan.bound * (1 - 1e-3)
    assert rep.focus_count >= settings.checks.focus_min_per_week


@pytest.mark.slow
def test_plan_columns_and_reasons(week41):
    _, plan = week41
    assert list(plan.checks.columns[:7]) == ["team", "start", "end", "site_id", "street",
                                             "reason", "value"]
    assert str(plan.checks["start"].dt.tz) == TZ
    assert (plan.checks["reason"].str.len() > 0).all()
    assert plan.checks["value"].sum() == pytest.approx(plan.value)
    assert plan.log["seed"] == 0 and plan.log["ortools"]
    assert plan.log["parameters"]["min_minutes"] == 20


@pytest.mark.slow
def test_same_seed_same_plan_other_seed_other_plan(week41):
    data, plan = week41
    again = plan_checks(*data, "2024-W41")
    pd.testing.assert_frame_equal(plan.checks, again.checks)
    other = plan_checks(*data, "2024-W41", seed=7)
    assert not plan.checks[["team", "start", "site_id"]].equals(
        other.checks[["team", "start", "site_id"]])
    tol = data[3].checks.value_tolerance
    assert other.value >= (1 - tol) * plan.best_value * (1 - 1e-4)
    flags, sites, roster, settings = data
    rep = run_checker(other.checks, flags, sites, roster, settings, "2024-W41",
                      focus_target=other.focus_target)
    assert rep.ok, rep.violations


@pytest.mark.parametrize("week", ["2024-W13", "2024-W43"])
@pytest.mark.slow
def test_dst_weeks(week):
    # W13 has the spring-forward night, W43 the fall-back night (Sunday 02:00/03:00)
    flags, sites, roster, settings = synthetic_week(week, n_sites=5, seed=11, hours=(20, 22))
    sunday = pd.Timestamp.fromisocalendar(int(week[:4]), int(week[6:]), 7)
    night = pd.DataFrame({"team": ["Natt"],
                          "start": [sunday.tz_localize(TZ).tz_convert("UTC")],
                          "end": [(sunday + pd.Timedelta(hours=6)).tz_localize(TZ)
                                  .tz_convert("UTC")], "area": [None]})
    roster = pd.concat([roster, night], ignore_index=True)
    plan = plan_checks(flags, sites, roster, settings, week)
    rep = run_checker(plan.checks, flags, sites, roster, settings, week,
                      focus_target=plan.focus_target)
    assert rep.ok, rep.violations
    assert rep.value == pytest.approx(plan.value, rel=1e-9)
    assert (plan.checks["team"] == "Natt").any()


@pytest.mark.slow
def test_planted_hot_hour_is_covered():
    flags, sites, roster, settings = synthetic_week(seed=5)
    flags = flags.copy()
    # a planted speeding hour on the first shift: Patrull 1, 2 h after the shift starts
    first = roster.iloc[0]
    hot_utc = first["start"] + pd.Timedelta(hours=2)
    local = hot_utc.tz_convert(TZ)
    mask = ((flags["site_id"] == "K03") & (flags["weekday"] == local.isoweekday())
            & (flags["hour_of_day"] == local.hour))
    flags = flags[~mask]
    planted = flags.iloc[:1].copy()
    planted[["site_id", "street", "weekday", "hour_of_day", "score", "reason"]] = [
        "K03", sites.loc[2, "street"], local.isoweekday(), local.hour, 200.0, "planted"]
    flags = pd.concat([flags, planted], ignore_index=True)
    plan = plan_checks(flags, sites, roster, settings, "2024-W41")
    at = plan.checks[(plan.checks["site_id"] == "K03")]
    # the visit curve puts most of a check's value in its first minutes: it starts in the hour
    assert ((at["start"] >= local) & (at["start"] < local + pd.Timedelta(hours=1))).any()


@pytest.mark.slow
def test_prior_plan_spacing_and_repeat_across_the_week_boundary(week41):
    (flags, sites, roster, settings), _ = week41
    # the previous week ended with a check at every check spot late on Sunday
    sunday = pd.Timestamp("2024-10-06 22:00", tz=TZ)
    prior = pd.DataFrame({"site_id": sites["site_id"], "start": sunday.tz_convert("UTC"),
                          "end": (sunday + pd.Timedelta(hours=1)).tz_convert("UTC")})
    planned = plan_checks(flags, sites, roster, settings, "2024-W41", prior=prior)
    rep = run_checker(planned.checks, flags, sites, roster, settings, "2024-W41", prior=prior,
                      focus_target=planned.focus_target)
    assert rep.ok, rep.violations
    assert rep.value == pytest.approx(planned.value, rel=1e-9)
    gap = pd.Timedelta(hours=settings.checks.min_hours_between_same_site)
    assert (planned.checks["start"] >= sunday + pd.Timedelta(hours=1) + gap).all()
    # every check now repeats a recent one: it earns the repeat factor only
    assert planned.checks["repeated"].all()


def test_no_roster_in_week_is_infeasible():
    flags, sites, roster, settings = synthetic_week()
    with pytest.raises(InfeasiblePlanError, match="2024-W50"):
        plan_checks(flags, sites, roster, settings, "2024-W50")
    with pytest.raises(InfeasiblePlanError):
        plan_checks(flags, sites, roster.iloc[:0], settings, "2024-W41")


def test_no_check_spots_is_infeasible():
    flags, sites, roster, settings = synthetic_week()
    with pytest.raises(InfeasiblePlanError, match="check spot"):
        plan_checks(flags, sites.assign(check_spot=False), roster, settings, "2024-W41")


@pytest.mark.slow
def test_focus_shortfall_is_reported():
    flags, sites, roster, settings = synthetic_week(teams=1, shifts=1, length_h=3)
    settings = dataclasses.replace(
        settings, checks=dataclasses.replace(settings.checks, focus_min_per_week=5))
    plan = plan_checks(flags, sites, roster, settings, "2024-W41")
    assert plan.focus_target < 5
    assert any("fokusgator" in m for m in plan.messages)
    rep = run_checker(plan.checks, flags, sites, roster, settings, "2024-W41",
                      focus_target=plan.focus_target)
    assert rep.ok, rep.violations


@pytest.mark.slow
def test_shift_area_restricts_sites():
    flags, sites, roster, settings = synthetic_week(seed=8)
    roster = roster.assign(area=np.where(roster["team"] == "Patrull 1", "Öster", None))
    plan = plan_checks(flags, sites, roster, settings, "2024-W41")
    east = set(sites.loc[sites["area"] == "Öster", "site_id"])
    assert set(plan.checks.loc[plan.checks["team"] == "Patrull 1", "site_id"]) <= east
    rep = run_checker(plan.checks, flags, sites, roster, settings, "2024-W41",
                      focus_target=plan.focus_target)
    assert rep.ok, rep.violations


def test_checker_catches_broken_plans(week41):
    (flags, sites, roster, settings), plan = week41
    broken = plan.checks.copy()
    broken.loc[0, "start"] = broken.loc[0, "start"] + pd.Timedelta(minutes=7)
    rep = run_checker(broken, flags, sites, roster, settings, "2024-W41")
    assert any("grid" in v for v in rep.violations)
    twice = pd.concat([plan.checks.iloc[[0]], plan.checks.iloc[[0]].assign(
        team="Patrull 2")], ignore_index=True)
    rep = run_checker(twice, flags, sites, roster, settings, "2024-W41")
    assert any("closer than" in v for v in rep.violations)
