"""Each reckless-driving indicator fires on its planted case and not on normal traffic."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from test_flags_fixtures import TZ, add, fridays, sites, traffic
from trafikplan.flags.reckless import night_excess, reckless_indicators
from trafikplan.settings import FlagSettings

S = FlagSettings()
FIRE = ["extreme_fires", "laps_fire", "slow_groups_fire", "short_headways_fire"]
SITES = sites(("K01", "Ringvägen", 50.0, "Nygård"), ("K02", "Torggatan", 30.0, "Centrum"))


@pytest.fixture(scope="module")
def normal() -> pd.DataFrame:
    return traffic("K01", 50.0, seed=1)


def _row(r: pd.DataFrame, site: str, weekday: int, hour: int) -> pd.Series:
    hit = r[(r.site_id == site) & (r.weekday == weekday) & (r.hour_of_day == hour)]
    assert len(hit) == 1
    return hit.iloc[0]


def test_normal_traffic_fires_nothing(normal):
    r = reckless_indicators(normal, SITES, S, tz=TZ)
    assert len(r) == 7 * 24
    assert r["per_vehicle_n"].sum() == len(normal)
    assert not r[FIRE].to_numpy().any()
    assert r["lap_passes"].sum() == 0
    # 28 days: every weekday-hour was observed on four dates.
    assert (r["hours_observed"] == 4).all()


def test_extreme_speeds_planted_on_friday_23(normal):
    times = [f"{d.date()} 23:{m:02d}:00" for d in fridays() for m in (5, 40)]
    v = add(normal, "K01", times, [85.0, 92.0] * 4)
    r = reckless_indicators(v, SITES, S, tz=TZ)
    row = _row(r, "K01", 5, 23)
    assert row["extreme_n"] == 8
    assert row["extreme_fires"]
    n = row["per_vehicle_n"]
    lo, _ = proportion_confint(8, n, alpha=0.05, method="wilson")
    assert row["extreme_share_lo"] == pytest.approx(lo, rel=1e-9)
    others = r.drop(index=row.name)
    assert not others["extreme_fires"].any()


def test_two_extreme_passes_are_not_enough(normal):
    v = add(normal, "K01", ["2024-04-05 23:05:00", "2024-04-12 23:05:00"], 95.0)
    r = reckless_indicators(v, SITES, S, tz=TZ)
    row = _row(r, "K01", 5, 23)
    assert row["extreme_n"] == 2 and not row["extreme_fires"]


def _laps(day: pd.Timestamp, start: str = "22:00", end: str = "00:59", every_min: int = 5):
    t0 = pd.Timestamp(f"{day.date()} {start}")
    t1 = pd.Timestamp(f"{(day + pd.Timedelta(days=1)).date()} {end}")
    return pd.date_range(t0, t1, freq=f"{every_min}min").strftime("%Y-%m-%d %H:%M:%S").tolist()


def test_laps_planted_friday_nights(normal):
    times = [t for d in fridays() for t in _laps(d)]
    rng = np.random.default_rng(3)
    v = add(normal, "K01", times, np.round(rng.uniform(78, 100, len(times)), 1).tolist())
    r = reckless_indicators(v, SITES, S, tz=TZ)
    for weekday, hour in ((5, 22), (5, 23), (6, 0)):
        row = _row(r, "K01", weekday, hour)
        assert row["laps_fire"]
        assert row["lap_passes"] == 12 * 4  # every 5 min for an hour, four Fridays
        assert row["lap_nights"] == 4
    fired = r[r["laps_fire"]]
    assert set(zip(fired.weekday, fired.hour_of_day, strict=True)) == {(5, 22), (5, 23), (6, 0)}


def test_laps_window_spans_midnight_and_night_belongs_to_evening(normal):
    v = add(normal, "K01", ["2024-04-05 23:46:00", "2024-04-05 23:52:00", "2024-04-05 23:58:00",
                            "2024-04-06 00:04:00"], [82.0, 88.0, 90.0, 86.0], direction="2")
    r = reckless_indicators(v, SITES, S, tz=TZ)
    assert _row(r, "K01", 5, 23)["lap_passes"] == 3
    assert _row(r, "K01", 6, 0)["lap_passes"] == 1
    assert _row(r, "K01", 6, 0)["lap_nights"] == 1
    # A fire needs lap_min_passes in the site-hour itself; the counts are evidence.
    assert not _row(r, "K01", 6, 0)["laps_fire"]


def test_fast_passes_spread_out_or_by_day_are_not_laps(normal):
    spread = ["2024-04-05 22:00:00", "2024-04-05 22:25:00", "2024-04-05 22:50:00",
              "2024-04-05 23:15:00"]
    daytime = ["2024-04-05 14:00:00", "2024-04-05 14:05:00", "2024-04-05 14:10:00",
               "2024-04-05 14:15:00"]
    v = add(normal, "K01", spread + daytime, 85.0)
    r = reckless_indicators(v, SITES, S, tz=TZ)
    assert r["lap_passes"].sum() == 0


def _slow_group(day: pd.Timestamp, hhmm: str, size: int, gap_s: float = 2.0):
    t0 = pd.Timestamp(f"{day.date()} {hhmm}:17")
    return [(t0 + pd.Timedelta(seconds=gap_s * i)).strftime("%Y-%m-%d %H:%M:%S.%f")
            for i in range(size)]


def test_slow_groups_planted_on_saturday_night(normal):
    saturdays = [d + pd.Timedelta(days=1) for d in fridays()]
    times = [t for d in saturdays for hhmm in ("23:10", "23:40") for t in _slow_group(d, hhmm, 4)]
    v = add(normal, "K01", times, 30.0, vehicle_class="motorcycle")
    r = reckless_indicators(v, SITES, S, tz=TZ)
    row = _row(r, "K01", 6, 23)
    assert row["slow_groups"] == 8
    assert row["slow_group_vehicles"] == 32
    assert row["slow_groups_fire"]
    assert r["slow_groups_fire"].sum() == 1


@pytest.mark.slow
def test_slow_groups_need_a_fast_street_and_close_vehicles():
    quiet = traffic("K02", 30.0, seed=2)
    times = [t for d in fridays() for t in _slow_group(d, "23:10", 4)]
    on_30 = add(quiet, "K02", times, 30.0)
    assert reckless_indicators(on_30, SITES, S, tz=TZ)["slow_groups"].sum() == 0
    base = traffic("K01", 50.0, seed=2)
    spaced = [t for d in fridays() for t in _slow_group(d, "23:10", 4, gap_s=20.0)]
    far = add(base, "K01", spaced, 30.0)
    assert reckless_indicators(far, SITES, S, tz=TZ)["slow_groups"].sum() == 0


def test_bicycles_never_form_slow_groups(normal):
    times = [t for d in fridays() for hhmm in ("23:10", "23:40") for t in _slow_group(d, hhmm, 5)]
    v = add(normal, "K01", times, 25.0, vehicle_class="bicycle")
    r = reckless_indicators(v, SITES, S, tz=TZ)
    assert r["slow_groups"].sum() == 0
    assert r["per_vehicle_n"].sum() == len(normal)


def test_short_headways_at_speed_planted(normal):
    times = []
    for d in fridays():
        for m in (5, 20, 35, 50):
            t0 = pd.Timestamp(f"{(d + pd.Timedelta(days=1)).date()} 02:{m:02d}:00")
            times += [t0.strftime("%Y-%m-%d %H:%M:%S.%f"),
                      (t0 + pd.Timedelta(seconds=0.6)).strftime("%Y-%m-%d %H:%M:%S.%f")]
    v = add(normal, "K01", times, 66.0)
    r = reckless_indicators(v, SITES, S, tz=TZ)
    row = _row(r, "K01", 6, 2)
    assert row["short_headways_at_speed"] >= 16  # the second of each pair
    assert row["short_headways_fire"]
    assert r["short_headways_fire"].sum() == 1


def test_short_headways_below_the_limit_do_not_count(normal):
    times = []
    for d in fridays():
        t0 = pd.Timestamp(f"{(d + pd.Timedelta(days=1)).date()} 02:05:00")
        times += [(t0 + pd.Timedelta(seconds=0.6 * i)).strftime("%Y-%m-%d %H:%M:%S.%f")
                  for i in range(6)]
    v = add(normal, "K01", times, 45.0)
    r = reckless_indicators(v, SITES, S, tz=TZ)
    assert _row(r, "K01", 6, 2)["short_headways_at_speed"] == 0


def test_reckless_indicators_empty_input():
    empty = traffic("K01", 50.0, days=1).iloc[:0]
    r = reckless_indicators(empty, SITES, S, tz=TZ)
    assert r.empty
    assert "lap_passes" in r.columns


def test_night_excess_fires_only_when_it_survives_both_intervals():
    hourly = pd.DataFrame({
        "site_id": ["K01"] * 3, "weekday": [5, 5, 5], "hour_of_day": [23, 1, 14],
        "v85": [68.0, 60.0, 66.0], "v85_lo": [64.0, 56.0, 64.0], "v85_hi": [72.0, 64.0, 69.0],
    })
    day = pd.DataFrame({"site_id": ["K01"], "v85": [53.0], "v85_lo": [52.0], "v85_hi": [54.5]})
    out = night_excess(hourly, day, S)
    assert out["night_excess"].tolist()[:2] == [15.0, 7.0]
    assert np.isnan(out["night_excess"].iloc[2])  # 14:00 is not night
    assert out["night_excess_lo"].tolist()[:2] == [9.5, 1.5]
    assert out["night_excess_fires"].tolist() == [True, False, False]


def test_a_car_overtaking_a_slow_group_does_not_break_it(normal):
    saturdays = [d + pd.Timedelta(days=1) for d in fridays()]
    group = [t for d in saturdays for hhmm in ("23:10", "23:40") for t in _slow_group(d, hhmm, 4)]
    v = add(normal, "K01", group, 30.0, vehicle_class="motorcycle")
    overtaking = [(pd.Timestamp(t) + pd.Timedelta(seconds=1)).strftime("%Y-%m-%d %H:%M:%S.%f")
                  for t in group[::4]]
    v = add(v, "K01", overtaking, 55.0)
    row = _row(reckless_indicators(v, SITES, S, tz=TZ), "K01", 6, 23)
    assert row["slow_groups"] == 8 and row["slow_group_vehicles"] == 32
