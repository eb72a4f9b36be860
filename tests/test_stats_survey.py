"""The per-site survey's own numbers: gaps, heavy share, vehicle classes, speed classes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from trafikplan.stats.intervals import wilson_interval
from trafikplan.stats.survey import gaps, heavy_share, speed_classes, vehicle_class_counts

TZ = "Europe/Stockholm"


def _vehicles(times: list[str], **columns: list) -> pd.DataFrame:
    return pd.DataFrame({"time": pd.to_datetime(times, utc=True), **columns})


def test_gaps_are_runs_of_empty_hours_of_at_least_the_minimum() -> None:
    v = _vehicles(["2024-09-02 06:10", "2024-09-02 07:20",  # then 5 empty hours (08-12)
                   "2024-09-02 13:05", "2024-09-02 14:30",  # then 2 empty hours: no gap
                   "2024-09-02 17:00"])
    no_bins = pd.DataFrame({"start": pd.to_datetime([], utc=True)})
    found = gaps(v, no_bins, v["time"].min(), v["time"].max(), TZ, min_hours=4)
    assert found == [(pd.Timestamp("2024-09-02 08:00", tz="UTC").tz_convert(TZ),
                      pd.Timestamp("2024-09-02 13:00", tz="UTC").tz_convert(TZ))]
    assert gaps(v, no_bins, v["time"].min(), v["time"].max(), TZ, min_hours=2) == [
        found[0], (pd.Timestamp("2024-09-02 15:00", tz="UTC").tz_convert(TZ),
                   pd.Timestamp("2024-09-02 17:00", tz="UTC").tz_convert(TZ))]
    # bins count as records too
    bins = pd.DataFrame({"start": pd.to_datetime(["2024-09-02 10:00"], utc=True)})
    assert gaps(v, bins, v["time"].min(), v["time"].max(), TZ, min_hours=4) == []


def test_heavy_share_pools_the_hours_with_a_wilson_interval() -> None:
    hourly = pd.DataFrame({"n_classified": [100, 300, 0],
                           "share_heavy": [0.10, 0.02, np.nan]})
    share, lo, hi = heavy_share(hourly)
    assert share == pytest.approx((10 + 6) / 400)
    want_lo, want_hi = wilson_interval(np.array([16.0]), np.array([400]))
    assert (lo, hi) == pytest.approx((want_lo[0], want_hi[0]))
    assert lo < share < hi
    assert heavy_share(hourly.assign(n_classified=0)) is None


def test_vehicle_classes_leave_out_unclassified_vehicles() -> None:
    v = _vehicles(["2024-09-02 06:10"] * 5, direction=["1", "1", "1", "1", "2"],
                  vehicle_class=["car", "heavy", "car", "unknown", "car"])
    counts = vehicle_class_counts(v, "1")
    assert counts.to_dict() == {"car": 2, "heavy": 1}
    assert vehicle_class_counts(v.drop(columns="vehicle_class"), "1").empty


def test_speed_classes_count_every_motor_vehicle_of_the_direction_once() -> None:
    v = _vehicles(["2024-09-02 06:10"] * 6, direction=["1"] * 5 + ["2"],
                  speed=[31.0, 34.9, 35.0, 52.5, 18.0, 90.0],
                  vehicle_class=["car", "car", "car", "car", "bicycle", "car"])
    no_bins = pd.DataFrame({"direction": [], "speed_lo": [], "speed_hi": [], "count": []})
    classes = speed_classes(v, no_bins, "1")
    assert int(classes["count"].sum()) == 4  # the bicycle left out, direction 2 too
    assert classes.iloc[0].to_dict() == {"speed_lo": 30.0, "speed_hi": 35.0, "count": 2}
    assert int(speed_classes(v, no_bins, "1", include_bicycles=True)["count"].sum()) == 5
