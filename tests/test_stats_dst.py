"""Both daylight-saving nights: local keys, per-vehicle and binned statistics."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from trafikplan.stats import binned_stats, hour_codes, local_keys, speed_stats

SITES = pd.DataFrame({"site_id": ["K07"], "street": ["Skogsleden"], "speed_limit": [50.0]})


def every_minute(start_utc, end_utc):
    t = pd.date_range(start_utc, end_utc, freq="1min", inclusive="left")
    n = len(t)
    rng = np.random.default_rng(7)
    return pd.DataFrame({
        "site_id": pd.array(["K07"] * n, dtype="str"),
        "time": t,
        "direction": pd.array(["1"] * n, dtype="str"),
        "speed": np.round(rng.normal(52, 8, n), 1),
        "length": 4.4,
        "headway": 60.0,
        "vehicle_class": pd.array(["car"] * n, dtype="str"),
        "source": "counters/K07.csv",
    })


AUTUMN = every_minute("2024-10-26T22:00Z", "2024-10-27T04:00Z")  # 6 real hours
SPRING = every_minute("2024-03-30T22:00Z", "2024-03-31T03:00Z")  # 5 real hours


def test_local_keys_autumn_night_keeps_both_two_oclock_hours():
    t = pd.Series(pd.to_datetime(["2024-10-27T00:30Z", "2024-10-27T01:30Z"], utc=True))
    k = local_keys(t)
    assert k.hour_start.tolist() == ["2024-10-27T02:00:00+02:00", "2024-10-27T02:00:00+01:00"]
    assert k.hour_of_day.tolist() == [2, 2]
    assert k.date.tolist() == ["2024-10-27"] * 2
    assert k.weekday.tolist() == [7, 7]  # a Sunday


def test_local_keys_spring_night_has_no_two_oclock():
    t = pd.Series(pd.date_range("2024-03-31T00:00Z", "2024-03-31T02:59Z", freq="10min"))
    k = local_keys(t)
    assert 2 not in set(k.hour_of_day)
    assert sorted(set(k.hour_start)) == ["2024-03-31T01:00:00+01:00",
                                         "2024-03-31T03:00:00+02:00",
                                         "2024-03-31T04:00:00+02:00"]


def test_local_keys_half_hour_offset_zone_and_index_kept():
    t = pd.Series(pd.to_datetime(["2024-07-01T00:10Z", "2024-07-01T00:40Z"], utc=True),
                  index=[10, 11])
    k = local_keys(t, "Asia/Kolkata")  # +05:30
    assert k.index.tolist() == [10, 11]
    assert k.hour_start.tolist() == ["2024-07-01T05:00:00+05:30", "2024-07-01T06:00:00+05:30"]


def test_hour_codes_table_is_chronological_over_the_autumn_night():
    codes, hours = hour_codes(AUTUMN.time)
    assert hours.hour_start_utc.is_monotonic_increasing
    assert len(hours) == 6 and np.bincount(codes).tolist() == [60] * 6


def test_autumn_by_hour_start():
    res = speed_stats(AUTUMN, SITES)
    assert res.hour_start.tolist() == [
        "2024-10-27T00:00:00+02:00",
        "2024-10-27T01:00:00+02:00",
        "2024-10-27T02:00:00+02:00",
        "2024-10-27T02:00:00+01:00",
        "2024-10-27T03:00:00+01:00",
        "2024-10-27T04:00:00+01:00",
    ]
    assert res.n.tolist() == [60] * 6  # no vehicle dropped or duplicated
    assert res.n_hours.tolist() == [1] * 6


def test_autumn_by_hour_of_day():
    res = speed_stats(AUTUMN, SITES, by=("site_id", "date", "hour_of_day"))
    assert res.hour_of_day.tolist() == [0, 1, 2, 3, 4]
    two = res[res.hour_of_day == 2].iloc[0]
    assert (two.n, two.n_hours, two.vehicles_per_hour) == (120, 2, 60.0)
    assert res.n.sum() == len(AUTUMN)


def test_spring_by_hour_start_and_hour_of_day():
    res = speed_stats(SPRING, SITES)
    assert res.hour_start.tolist() == [
        "2024-03-30T23:00:00+01:00",
        "2024-03-31T00:00:00+01:00",
        "2024-03-31T01:00:00+01:00",
        "2024-03-31T03:00:00+02:00",
        "2024-03-31T04:00:00+02:00",
    ]
    by_hod = speed_stats(SPRING, SITES, by=("weekday", "hour_of_day"))
    assert list(zip(by_hod.weekday, by_hod.hour_of_day, strict=True)) == [
        (6, 23), (7, 0), (7, 1), (7, 3), (7, 4)]
    assert by_hod.n.tolist() == [60] * 5
    assert by_hod.n.sum() == len(SPRING)


@pytest.mark.parametrize(("night", "n_hours"), [("2024-10-26T22:00Z", 6),
                                                ("2024-03-30T22:00Z", 6)])
def test_binned_quarters_over_dst_nights(night, n_hours):
    start = pd.date_range(night, periods=4 * n_hours, freq="15min")
    rows = []
    for s in start:
        for lo, hi, c in ((0, 40, 3), (40, 50, 5), (50, 60, 6), (60, 200, 1)):
            rows.append(("K07", s, s + pd.Timedelta(minutes=15), "all", lo, hi, c))
    bins = pd.DataFrame(rows, columns=["site_id", "start", "end", "direction", "speed_lo",
                                       "speed_hi", "count"])
    res = binned_stats(bins, SITES)
    assert len(res) == n_hours
    assert res.n.tolist() == [60] * n_hours
    assert res.n_hours.tolist() == [1.0] * n_hours
    assert pd.to_datetime(res.hour_start, utc=True).is_monotonic_increasing
    by_hod = binned_stats(bins, SITES, by=("hour_of_day",))
    assert by_hod.n.sum() == 60 * n_hours


def test_no_instants_give_no_hours():
    codes, hours = hour_codes(pd.Series(pd.to_datetime([], utc=True)))
    assert len(codes) == 0 and hours.empty
    assert list(hours.columns) == ["hour_start_utc", "offset_s", "date", "hour_start", "weekday",
                                   "hour_of_day"]
