"""Report evidence: placement by site or street, local hours, smoothing, counts."""

from __future__ import annotations

import pandas as pd
import pytest

from test_flags_fixtures import TZ, reports, sites
from trafikplan._errors import InputError
from trafikplan.flags.reports import report_evidence

SITES = sites(
    ("K01", "Ringvägen", 50.0, "Nygård"),
    ("K02", "Ringvägen", 50.0, "Nygård"),
    ("K05", "Skogsleden", 40.0, "Norr"),
)


def _at(ev: pd.DataFrame, site: str | None, weekday: int, hour: int,
        street: str | None = None) -> pd.Series:
    sel = (ev.weekday == weekday) & (ev.hour_of_day == hour)
    sel &= ev.site_id.isna() if site is None else (ev.site_id == site)
    if street is not None:
        sel &= ev.street == street
    hit = ev[sel]
    assert len(hit) == 1, hit
    return hit.iloc[0]


def test_counts_at_matched_site_in_local_hours_with_smoothing():
    r = reports(
        ("2024-04-19 22:40", "reckless", "Ringvägen", "K01"),  # Friday, summer time
        ("2024-04-26 22:05", "reckless", "Ringvägen", "K01"),
        ("2024-04-26 23:30", "noise", "Ringvägen", "K01"),
        ("2024-11-22 22:10", "speeding", "Ringvägen", "K01"),  # Friday, winter time
        ("2024-04-19 12:00", "parking", "Ringvägen", "K01"),  # not counted
    )
    ev = report_evidence(r, SITES, tz=TZ, smoothing_hours=1)
    row = _at(ev, "K01", 5, 22)
    assert row["reports_n"] == 3
    assert row["reports_window_n"] == 4
    assert row["reports_smoothed"] == pytest.approx(3 + 0.5 * 1)
    assert row["reports_by_category"] == "speeding:1;reckless:2;noise:1"
    row23 = _at(ev, "K01", 5, 23)
    assert (row23["reports_n"], row23["reports_window_n"]) == (1, 4)
    assert row23["reports_smoothed"] == pytest.approx(1 + 0.5 * 3)
    row21 = _at(ev, "K01", 5, 21)
    assert (row21["reports_n"], row21["reports_smoothed"]) == (0, pytest.approx(1.5))
    assert set(zip(ev.weekday, ev.hour_of_day, strict=True)) == {(5, 21), (5, 22), (5, 23),
                                                                 (6, 0)}
    assert not (ev.reports_by_category.str.contains("parking")).any()


def test_smoothing_wraps_from_sunday_night_to_monday_morning():
    r = reports(("2024-04-21 23:30", "noise", "Skogsleden", "K05"))  # Sunday 23
    ev = report_evidence(r, SITES, tz=TZ, smoothing_hours=2)
    monday1 = _at(ev, "K05", 1, 1)
    assert monday1["reports_smoothed"] == pytest.approx(1 / 3)
    assert _at(ev, "K05", 7, 22)["reports_smoothed"] == pytest.approx(2 / 3)
    assert len(ev) == 5


def test_no_smoothing_keeps_raw_counts():
    r = reports(("2024-04-19 22:40", "reckless", "Ringvägen", "K01"))
    ev = report_evidence(r, SITES, tz=TZ, smoothing_hours=0)
    assert len(ev) == 1
    assert ev.iloc[0]["reports_smoothed"] == 1.0


def test_report_without_site_counts_for_every_site_of_its_street():
    r = reports(("2024-04-19 22:40", "reckless", " ringvägen ", None))
    ev = report_evidence(r, SITES, tz=TZ, smoothing_hours=0)
    assert sorted(ev.site_id.tolist()) == ["K01", "K02"]
    assert (ev.street == "Ringvägen").all()


def test_street_without_sites_becomes_a_street_row():
    r = reports(
        ("2024-05-03 21:15", "speeding", "Glasgatan", None),
        ("2024-05-10 21:45", "speeding", "glasgatan", None),
        ("2024-05-10 21:50", "speeding", "Glasgatan", None),
        ("2024-05-10 21:55", "other", "Glasgatan", None),
        ("2024-05-10 21:55", "speeding", None, None),  # cannot be placed
    )
    ev = report_evidence(r, SITES, tz=TZ, smoothing_hours=0)
    row = _at(ev, None, 5, 21)
    assert row["street"] == "Glasgatan"  # the most common spelling
    assert row["reports_n"] == 3
    assert len(ev) == 1


def test_unknown_category_setting_is_an_input_error():
    r = reports(("2024-04-19 22:40", "reckless", "Ringvägen", "K01"))
    with pytest.raises(InputError, match="report_categories"):
        report_evidence(r, SITES, tz=TZ, categories=("buskörning",))


def test_no_reports_gives_empty_table_with_columns():
    r = reports(("2024-04-19 22:40", "parking", "Ringvägen", "K01"))
    ev = report_evidence(r, SITES, tz=TZ)
    assert ev.empty
    assert {"reports_n", "reports_smoothed", "reports_by_category"} <= set(ev.columns)


def test_counts_against_a_plain_groupby():
    rows = []
    for i in range(60):
        day = pd.Timestamp("2024-03-25") + pd.Timedelta(days=i % 14)  # spans the DST change
        rows.append((f"{day.date()} {(i * 7) % 24:02d}:{i % 60:02d}",
                     ("speeding", "reckless", "noise")[i % 3], "Skogsleden", "K05"))
    r = reports(*rows)
    ev = report_evidence(r, SITES, tz=TZ, smoothing_hours=0)
    local = r["time"].dt.tz_convert(TZ)
    expected = pd.DataFrame({"weekday": local.dt.day_of_week + 1, "hour_of_day": local.dt.hour})
    expected = expected.value_counts().sort_index()
    got = ev.set_index(["weekday", "hour_of_day"])["reports_n"].sort_index()
    assert got.to_dict() == expected.to_dict()


def test_street_report_goes_to_the_measured_sections_when_there_are_any():
    r = reports(("2024-04-19 22:40", "reckless", "Ringvägen", None))
    ev = report_evidence(r, SITES, tz=TZ, smoothing_hours=0, measured_sites={"K02", "K05"})
    assert ev.site_id.tolist() == ["K02"]
    none_measured = report_evidence(r, SITES, tz=TZ, smoothing_hours=0, measured_sites={"K05"})
    assert sorted(none_measured.site_id.tolist()) == ["K01", "K02"]
