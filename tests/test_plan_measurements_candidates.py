import datetime as dt

import numpy as np
import pandas as pd

from trafikplan.plan.measurements.candidates import CANDIDATE_COLUMNS, build_candidates
from trafikplan.settings import FlagSettings, MeasurementSettings

TZ = "Europe/Stockholm"
D = dt.date

SITES = pd.DataFrame({
    "site_id": ["S1", "S2", "S3", "S4", "S5"],
    "street": ["Ringvägen", "Rosenlundsgatan", "Hagavägen", "Åkerbovägen", "Skogsleden"],
    "lat": 59.51, "lon": 15.99, "speed_limit": [40.0, 30.0, 40.0, 50.0, 50.0],
    "area": "Söder", "check_spot": True,
})


def vehicles(site, day, n=50):
    t0 = pd.Timestamp(day, tz=TZ).tz_convert("UTC")
    return pd.DataFrame({"site_id": site,
                         "time": t0 + pd.to_timedelta(np.arange(n) * 600, unit="s"),
                         "speed": 40.0, "vehicle_class": "car"})


def bins(site, day):
    t0 = pd.Timestamp(day, tz=TZ).tz_convert("UTC")
    return pd.DataFrame({"site_id": [site], "start": [t0], "end": [t0 + pd.Timedelta(hours=1)],
                         "direction": ["1"], "speed_lo": [30.0], "speed_hi": [40.0],
                         "count": [12], "source": ["x"]})


def reports(street, category, n, day="2024-06-01", site=None):
    t0 = pd.Timestamp(day, tz=TZ).tz_convert("UTC")
    return pd.DataFrame({"report_id": [f"E{street}{category}{i}" for i in range(n)],
                         "time": [t0] * n, "category": category, "street": street,
                         "site_id": pd.Series([site] * n, dtype=object)})


MEASURES = pd.DataFrame({
    "measure_id": ["M1", "M4"], "street": ["Ringvägen", "Hagavägen"], "site_id": ["S1", "S3"],
    "kind": ["upphöjd passage", "övergångsställe"],
    "built": pd.Series([D(2024, 7, 1), D(2025, 5, 19)], dtype=object),
    "description": ["", ""], "comparison_site_id": pd.Series([None, None], dtype=object),
})

VEH = pd.concat([
    vehicles("S1", "2024-04-15"), vehicles("S1", "2024-04-22"),  # before M1 (radar data)
    vehicles("S4", "2024-05-06"),                                # recent, measured
    vehicles("S1", "2024-11-20"),                                # after the plan start: unknown
    vehicles("S5", "2024-03-04"),
], ignore_index=True)
BINS = bins("S2", "2021-05-10")                                  # stale tube data
REPORTS = pd.concat([
    reports("Glasgatan", "speeding", 5),                         # no site: tip on the street
    reports("Rosenlundsgatan", "reckless", 2, site="S2"),        # stale site with reports
    reports("Åkerbovägen", "speeding", 9),                       # measured street: no tip
    reports("Stora Gatan", "parking", 7),                        # parking: no tip
    reports("Barnängsgatan", "speeding", 3, day="2024-12-01"),   # after the start: unknown
], ignore_index=True)


def flags():
    rows = []
    for h in range(4):  # S5: straddling hours, not flagged
        rows.append({"site_id": "S5", "street": "Skogsleden", "speed_limit": 50.0,
                     "weekday": 5, "hour_of_day": 20 + h, "flagged": False, "kind": "",
                     "v85_lo": 52.0, "v85_hi": 58.0, "share_over_limit_lo": 0.05,
                     "share_over_limit_hi": 0.12, "reports_n": 0})
    rows.append({"site_id": "S5", "street": "Skogsleden", "speed_limit": 50.0, "weekday": 6,
                 "hour_of_day": 1, "flagged": True, "kind": "speeding", "v85_lo": 52.0,
                 "v85_hi": 70.0, "share_over_limit_lo": 0.3, "share_over_limit_hi": 0.5,
                 "reports_n": 0})
    rows.append({"site_id": "S4", "street": "Åkerbovägen", "speed_limit": 50.0, "weekday": 2,
                 "hour_of_day": 8, "flagged": False, "kind": "", "v85_lo": 40.0,
                 "v85_hi": 50.0, "share_over_limit_lo": 0.01, "share_over_limit_hi": 0.05,
                 "reports_n": 0})  # clearly below: not uncertain
    rows.append({"site_id": None, "street": "Tunadalsgatan", "speed_limit": np.nan,
                 "weekday": 5, "hour_of_day": 22, "flagged": True, "kind": "reports;measure_here",
                 "v85_lo": np.nan, "v85_hi": np.nan, "share_over_limit_lo": np.nan,
                 "share_over_limit_hi": np.nan, "reports_n": 4})
    df = pd.DataFrame(rows)
    df["site_id"] = df["site_id"].astype("string")
    return df


START = D(2024, 11, 4)


def build(start=START, weeks=8, language="sv", **kw):
    return build_candidates(SITES, VEH, REPORTS, MEASURES, start=start, weeks=weeks,
                            settings=MeasurementSettings(), flags=flags(),
                            flag_settings=FlagSettings(), bins=BINS, tz=TZ, language=language,
                            **kw).set_index("candidate_id")


def test_every_purpose_found_with_explained_priority():
    c = build()
    assert set(c.index) == {"S1", "S3", "street:Glasgatan", "S2", "S5", "street:Tunadalsgatan"}
    after = c.loc["S1"]
    assert after["purpose"] == "after" and after["priority"] == 100
    assert after["earliest"] == D(2024, 7, 29)
    assert after["counter_kind"] == "radar"
    assert after["prefer_weeks"] == "16;17" and after["prefer_weekday"] == 1
    assert after["measure_id"] == "M1" and "M1" in after["reason"]
    before = c.loc["S3"]
    assert before["purpose"] == "before" and before["latest"] == D(2025, 5, 18)
    tip = c.loc["street:Glasgatan"]
    assert tip["purpose"] == "tip" and tip["site_id"] is None
    assert tip["priority"] == 40 + 5 * 5 and "5 Embrace-rapporter" in tip["reason"]
    stale = c.loc["S2"]  # stale (2021 tube data) and a reckless tip: tip wins, +10
    assert stale["purpose"] == "tip" and stale["purposes"] == "tip;stale"
    assert stale["priority"] == 40 + 5 * 2 + 10
    assert stale["counter_kind"] == "radar"
    assert "2021-05-10" in stale["reason"]
    unc = c.loc["S5"]
    assert unc["purpose"] == "uncertain" and unc["priority"] == 30 + round(4 / 6)
    assert "4 timmar" in unc["reason"]
    assert c.loc["street:Tunadalsgatan", "purpose"] == "tip"
    assert list(build().reset_index().columns) == list(CANDIDATE_COLUMNS)


def test_only_what_was_known_on_the_first_day_counts():
    # Planning on 2024-08-26: S1's after measurement of November is in the future.
    c = build(start=D(2024, 8, 26))
    assert c.loc["S1", "purpose"] == "after"
    # Planning in 2025: the November 2024 data is an after measurement; no after needed.
    c = build(start=D(2025, 1, 6))
    assert "S1" not in c.index or c.loc["S1", "purpose"] != "after"
    assert "street:Barnängsgatan" in c.index


def test_after_needs_room_in_the_plan():
    # Built 2024-07-01 + 4 weeks = 2024-07-29: a plan ending before that + min_days has no after.
    c = build(start=D(2024, 7, 8), weeks=2)
    assert "S1" not in c.index or c.loc["S1", "purpose"] != "after"


def test_english_reasons_and_order():
    c = build(language="en").reset_index()
    assert "built 2024-07-01" in c.set_index("candidate_id").loc["S1", "reason"]
    assert list(c["priority"]) == sorted(c["priority"], reverse=True)


def test_no_inputs_no_candidates():
    c = build_candidates(SITES, VEH.iloc[:0], None, None, start=D(2024, 11, 4), weeks=4,
                         settings=MeasurementSettings())
    assert c.empty and list(c.columns) == list(CANDIDATE_COLUMNS)
