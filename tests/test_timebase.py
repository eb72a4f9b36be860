"""Time bases: both 2024 DST nights lose and duplicate nothing; fixed offsets; ISO."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from trafikplan._errors import InputError
from trafikplan.io.times.localize import FoldState, localize_wall
from trafikplan.io.times.timebase import fixed_offset, to_utc

TZ = "Europe/Stockholm"
FMT = "%Y-%m-%d %H:%M:%S"


def _instants(start_utc: str, hours: int, step_s: int = 37) -> list[datetime]:
    t0 = datetime.fromisoformat(start_utc).replace(tzinfo=UTC)
    return [t0 + timedelta(seconds=s) for s in range(0, hours * 3600, step_s)]


def _wall(instants: list[datetime]) -> list[str]:
    """Independent conversion with zoneinfo: what a wall-clock counter writes."""
    zone = ZoneInfo(TZ)
    return [t.astimezone(zone).strftime(FMT) for t in instants]


@pytest.mark.parametrize("night", ["2024-03-30T23:00:00", "2024-10-26T22:00:00"])
def test_dst_nights_lose_and_duplicate_nothing(night):
    instants = _instants(night, 5)
    walls = _wall(instants)
    times, gap = to_utc(pa.array(walls), FMT, "local", TZ)
    assert not gap.any()
    assert times.notna().all()
    expected = pd.Series(pd.to_datetime(instants, utc=True)).astype("datetime64[ns, UTC]")
    pd.testing.assert_series_equal(times, expected, check_names=False)
    assert times.is_unique and times.is_monotonic_increasing


def test_autumn_repeated_hour_is_really_repeated_in_the_wall_clock():
    walls = _wall(_instants("2024-10-26T22:00:00", 5))
    assert len(walls) - len(set(walls)) == 0  # 37 s steps never hit the same second twice
    repeated = [w for w in walls if w.startswith("2024-10-27 02:")]
    assert sorted(repeated) != repeated  # the clock goes back inside the hour


def test_spring_gap_rows_are_flagged_not_shifted():
    walls = ["2024-03-31 01:59:59", "2024-03-31 02:00:00", "2024-03-31 02:30:00",
             "2024-03-31 02:59:59", "2024-03-31 03:00:00", "not a time"]
    times, gap = to_utc(pa.array(walls), FMT, "local", TZ)
    assert gap.tolist() == [False, True, True, True, False, False]
    assert times.isna().tolist() == [False, True, True, True, False, True]
    assert str(times.iloc[0]) == "2024-03-31 00:59:59+00:00"
    assert str(times.iloc[4]) == "2024-03-31 01:00:00+00:00"


def test_fold_first_pass_summer_then_winter():
    walls = ["2024-10-27 02:10:00", "2024-10-27 02:50:00", "2024-10-27 02:05:00",
             "2024-10-27 02:50:00"]
    times, _ = to_utc(pa.array(walls), FMT, "local", TZ)
    assert [t.strftime("%H:%M") for t in times] == ["00:10", "00:50", "01:05", "01:50"]


def test_fold_resolved_per_site_when_sites_follow_each_other():
    one_site = _instants("2024-10-26T23:30:00", 3, step_s=600)
    walls = _wall(one_site) * 2
    groups = pd.Series(["K01"] * len(one_site) + ["K02"] * len(one_site))
    times, _ = to_utc(pa.array(walls), FMT, "local", TZ, groups=groups)
    expected = pd.to_datetime(one_site * 2, utc=True)
    assert (times.to_numpy() == expected.to_numpy()).all()
    # without groups the second site's first pass would be read as winter time
    ungrouped, _ = to_utc(pa.array(walls), FMT, "local", TZ)
    assert not (ungrouped.to_numpy() == expected.to_numpy()).all()


@pytest.mark.parametrize("cut", [3, 7, 10, 15])
def test_fold_state_carries_over_chunks(cut):
    instants = _instants("2024-10-26T23:40:00", 2, step_s=300)
    walls = pd.Series(pd.to_datetime(_wall(instants)))
    state = FoldState()
    first, _ = localize_wall(walls.iloc[:cut], TZ, state=state)
    second, _ = localize_wall(walls.iloc[cut:], TZ, state=state)
    joined = pd.concat([first, second], ignore_index=True)
    assert (joined.to_numpy() == pd.to_datetime(instants, utc=True).to_numpy()).all()


def test_fixed_offset_ignores_summer_time():
    walls = ["2024-01-15 08:00", "2024-07-15 08:00", "2024-10-27 02:30", "2024-03-31 02:30"]
    times, gap = to_utc(pa.array(walls), "%Y-%m-%d %H:%M", "fixed+01:00", TZ)
    assert [t.strftime("%m-%d %H:%M") for t in times] == [
        "01-15 07:00", "07-15 07:00", "10-27 01:30", "03-31 01:30"]
    assert not gap.any()
    west, _ = to_utc(pa.array(["2024-07-15 08:00"]), "%Y-%m-%d %H:%M", "fixed-05:30", TZ)
    assert str(west.iloc[0]) == "2024-07-15 13:30:00+00:00"
    assert fixed_offset("fixed+02:00") == pd.Timedelta(hours=2)
    with pytest.raises(InputError):
        fixed_offset("fixed+2")


def test_utc_basis():
    times, _ = to_utc(pa.array(["2024-03-31 02:30:00"]), FMT, "utc", TZ)
    assert str(times.iloc[0]) == "2024-03-31 02:30:00+00:00"  # no gap in UTC


def test_iso_offsets_z_naive_and_garbage():
    values = ["2024-04-15T07:00:03+02:00", "2024-04-15T05:00:03Z", "2024-04-15T07:00:03",
              "2024-04-15 07:00:03+0200", "2024-03-31T02:30:00", "gestern", ""]
    times, gap = to_utc(pa.array(values), "iso", "offset", TZ)
    assert [str(t) for t in times[:4]] == ["2024-04-15 05:00:03+00:00"] * 4
    assert gap.tolist() == [False] * 4 + [True, False, False]
    assert times[4:].isna().all()
    assert str(times.dtype) == "datetime64[ns, UTC]"


def test_unknown_basis_is_an_input_error():
    with pytest.raises(InputError, match="unknown time basis"):
        to_utc(pa.array(["2024-04-15 07:00:00"]), FMT, "solar", TZ)


def test_localize_wall_vectorised_on_many_rows():
    walls = pd.Series(pd.date_range("2024-10-26 22:00", periods=50_000, freq="s"))
    times, gap = localize_wall(walls, TZ)
    assert not gap.any()
    assert times.notna().all()
    assert np.all(np.diff(times.array.asi8) > 0)
