"""Real JAMAR/STARneXt exports (DVRPC test fixtures) read through the shipped profiles.

The files live in ../shared/realdata/dvrpc-jamar/ beside the checkout and are read
from there (never copied into the project). Every expectation is computed here from
an independent reading of the raw file with the csv module.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest

from conftest import REALDATA
from trafikplan import columns
from trafikplan.io.counters import MPH, read_counter_file
from trafikplan.io.profiles.detect import detect_profile
from trafikplan.io.profiles.profile import load_profiles
from trafikplan.settings import Settings

JAMAR = REALDATA / "dvrpc-jamar"
pytestmark = pytest.mark.skipif(not JAMAR.is_dir(), reason="../shared/realdata not beside "
                                "the checkout")
US_EAST = Settings(municipality="DVRPC", timezone="America/New_York", language="en")
PROFILES = load_profiles()
FHWA = {1: "motorcycle", 2: "car", 3: "car", **dict.fromkeys(range(4, 14), "heavy"),
        14: "bicycle", 15: "unknown"}


def _read(name: str):
    path = JAMAR / name
    profile = detect_profile(path, PROFILES)
    return profile.name, read_counter_file(path, profile, settings=US_EAST, source=name)


def _raw_vehicles(name: str) -> list[dict]:
    """Independent reading: csv module, header found by its first cell."""
    with (JAMAR / name).open(newline="", encoding="ascii") as fh:
        rows = list(csv.reader(fh, skipinitialspace=True))
    start = next(i for i, r in enumerate(rows) if r and r[0] == "Veh. No.")
    header = rows[start]
    return [dict(zip(header, r, strict=True)) for r in rows[start + 1:] if r]


@pytest.fixture(scope="module")
def per_vehicle():
    return _read("166905_per_vehicle.txt")


def test_per_vehicle_counts_and_mean_speeds_per_channel(per_vehicle):
    name, result = per_vehicle
    assert name == "jamar_vehicles"
    t = result.table
    columns.validate(t, "vehicles")
    assert len(result.rejects) == 0
    raw = _raw_vehicles("166905_per_vehicle.txt")
    assert len(t) == len(raw) == 8706
    for channel in ("1", "2"):
        speeds = [float(r["Speed"]) for r in raw if r["Channel"] == channel]
        mine = t.loc[t["direction"] == channel, "speed"]
        assert len(mine) == len(speeds)
        assert mine.mean() == pytest.approx(np.mean(speeds) * 1.609344, rel=1e-12)
    assert set(t["site_id"]) == {"166905"}  # from the 'Site Code:' metadata line
    assert t["line"].iloc[0] == 5 and t["line"].iloc[-1] == 8710


def test_per_vehicle_times_are_eastern_wall_clock(per_vehicle):
    _, result = per_vehicle
    raw = _raw_vehicles("166905_per_vehicle.txt")
    zone = ZoneInfo("America/New_York")
    expected = [datetime.strptime(f"{r['Date']} {r['Time']}", "%m/%d/%Y %I:%M:%S %p")
                .replace(tzinfo=zone) for r in raw]
    got = result.table["time"]
    assert got.tolist() == [pd.Timestamp(e).tz_convert("UTC") for e in expected]
    assert str(got.iloc[0]) == "2023-11-06 15:59:45+00:00"  # 10:59:45 AM EST


def test_binning_per_vehicle_reproduces_vendor_speed_bins(per_vehicle):
    """The vendor's 15-minute speed report of count 166905 against our binning.

    The report counts channel 1 only (its total equals channel 1 of the
    per-vehicle file, as does the vendor's class report 'rc166905w') and stops
    at the last complete interval. Totals per interval must agree exactly; per
    speed class a vehicle can sit on the other side of a class edge, because
    the vendor bins its finer internal speed while the file shows 0.1 mph.
    """
    _, vehicles = per_vehicle
    name, bins = _read("rc166905_15min_speed_bins.txt")
    assert name == "jamar_speed_bins"
    b = bins.table
    columns.validate(b, "bins")
    assert len(bins.rejects) == 0
    assert set(b["direction"]) == {"all"} and set(b["site_id"]) == {"166905"}
    edges_mph = [0, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75]
    assert sorted(b["speed_lo"].unique()) == pytest.approx([e * MPH for e in edges_mph])
    assert (b["end"] - b["start"] == pd.Timedelta(minutes=15)).all()

    v = vehicles.table[vehicles.table["direction"] == "1"]
    start = v["time"].dt.floor("15min")
    vendor_total = b.groupby("start")["count"].sum()
    mine_total = v.groupby(start).size()
    assert vendor_total.sum() == 3926
    assert (mine_total.reindex(vendor_total.index, fill_value=0) == vendor_total).all()
    assert set(mine_total.index) - set(vendor_total.index) == {pd.Timestamp(
        "2023-11-08 15:45", tz="UTC")}  # the incomplete last interval

    # cumulative counts at each inner class edge: our edge-valued vehicles (x.0 mph shown)
    # are counted at or below the edge, the vendor may put them above it
    speed_mph = np.round(v["speed"].to_numpy() / MPH, 1)
    inner = np.array(edges_mph[1:])
    vendor = b.pivot_table(index="start", columns="speed_lo", values="count", aggfunc="sum")
    vendor_cum = vendor.cumsum(axis=1).to_numpy()[:, :-1]
    frame = pd.DataFrame({"start": start.to_numpy(), "s": speed_mph})
    frame = frame[frame["start"].isin(vendor.index)]
    mine_cum = np.stack([frame.assign(le=frame["s"] <= e).groupby("start")["le"].sum()
                         .reindex(vendor.index, fill_value=0).to_numpy() for e in inner], axis=1)
    at_edge = np.stack([frame.assign(eq=frame["s"] == e).groupby("start")["eq"].sum()
                        .reindex(vendor.index, fill_value=0).to_numpy() for e in inner], axis=1)
    diff = mine_cum - vendor_cum
    assert (np.abs(diff) <= at_edge).all()
    assert np.abs(diff).sum() > 0  # the edge effect is real, so the test can fail


@pytest.mark.parametrize("name", ["178959_vehicle_and_bicycle.csv",
                                  "181261_bicycle_wrong_way.txt"])
def test_fhwa_class_mapping(name):
    profile, result = _read(name)
    assert profile == "jamar_vehicles"
    raw = _raw_vehicles(name)
    # speed 0.0 marks a pass the counter could not measure (all FHWA class 15 here):
    # a rejected row with its reason, not a vehicle at 0 km/h
    measured = [r for r in raw if float(r["Speed"]) > 0]
    expected = Counter(FHWA[int(r["Class"])] for r in measured)
    assert Counter(result.table["vehicle_class"]) == expected
    assert result.table["vehicle_class"].tolist() == [FHWA[int(r["Class"])] for r in measured]
    zero = result.rejects[result.rejects["reason"] == "speed_impossible"]
    assert len(zero) == len(raw) - len(measured)
    site = name.split("_")[0]  # no 'Site Code:' line: leading digits of the file name
    assert set(result.table["site_id"]) == {site}


def test_bicycle_file_is_mostly_bicycles():
    _, result = _read("181261_bicycle_wrong_way.txt")
    counts = result.table["vehicle_class"].value_counts()
    assert counts["bicycle"] == 9 and counts["unknown"] == 1
    assert result.table["speed"].iloc[0] == pytest.approx(10.3 * 1.609344)


def test_volume_report_per_channel():
    name, result = _read("168193_15min_volume.txt")
    assert name == "jamar_volume"
    t = result.table
    columns.validate(t, "bins")
    with (JAMAR / "168193_15min_volume.txt").open(newline="") as fh:
        rows = [r for r in csv.reader(fh) if len(r) == 5 and r[0].isdigit()]
    totals = defaultdict(int)
    for r in rows:
        totals["1"] += int(r[3])
        totals["2"] += int(r[4])
    assert t.groupby("direction")["count"].sum().to_dict() == dict(totals)
    assert set(t["site_id"]) == {"168193"}
    assert (t["speed_lo"] == 0).all() and np.isinf(t["speed_hi"]).all()
    assert str(t["start"].iloc[0]) == "2024-01-03 16:30:00+00:00"  # 11:30 AM EST
