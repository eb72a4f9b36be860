"""Violation rates of completed checks, with Wilson intervals, and their text for the flags."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps
from statsmodels.stats.proportion import proportion_confint

from trafikplan.settings import Settings
from trafikplan.stats.outcomes import (
    OUTCOME_COLUMNS,
    add_outcome_evidence,
    check_outcomes,
    violation_rates,
)

TZ = "Europe/Stockholm"
SV = Settings(municipality="Köping", timezone=TZ, focus_streets=("Ringvägen",))
EN = Settings(municipality="Köping", timezone=TZ, language="en")


def checks(*rows) -> pd.DataFrame:
    """(site, street, local start, minutes, checked, violations)."""
    out = []
    for site, street, start, minutes, n, k in rows:
        s = pd.Timestamp(start, tz=TZ).tz_convert("UTC")
        out.append({"team": "Ingripande Köping 1", "start": s,
                    "end": s + pd.Timedelta(minutes=minutes), "site_id": site,
                    "street": street, "vehicles_checked": n, "violations": k})
    df = pd.DataFrame(out)
    df["site_id"] = df["site_id"].astype("string")
    df["street"] = df["street"].astype("string")
    return df


DONE = checks(
    ("K04", "Ringvägen", "2024-02-13 19:00", 90, 75, 10),
    ("K04", "Ringvägen", "2024-03-19 20:00", 90, 92, 16),
    ("K04", "Ringvägen", "2024-06-04 21:00", 90, 79, 16),   # a Tuesday too
    ("K05", "Skogsleden", "2024-02-16 21:00", 120, 102, 31),
    ("P02", "Hantverkaregatan", "2024-10-23 15:00", 60, 41, 9),
    ("K17", "Mästaregatan", "2024-08-13 08:00", 60, 58, 0),
    (None, "Glasgatan", "2024-05-02 16:00", 60, 30, 3),
)


def test_wilson_intervals_match_statsmodels_per_check_and_per_group():
    per = check_outcomes(DONE, SV)
    lo, hi = proportion_confint(per["violations"], per["vehicles_checked"], alpha=0.05,
                                method="wilson")
    assert np.allclose(per["violation_rate_lo"], lo) and np.allclose(per["violation_rate_hi"], hi)
    assert np.allclose(per["violation_rate"], per["violations"] / per["vehicles_checked"])
    by_site = violation_rates(DONE, SV, by=("site_id", "street")).set_index("street")
    k04 = by_site.loc["Ringvägen"]
    assert (k04["checks_n"], k04["vehicles_checked"], k04["violations"]) == (3, 246, 42)
    # three checks: the cluster-robust interval over checks, never narrower than Wilson's
    lo, hi = proportion_confint(42, 246, alpha=0.05, method="wilson")
    ring = DONE[DONE["street"] == "Ringvägen"]
    k, n = ring["violations"].to_numpy(float), ring["vehicles_checked"].to_numpy(float)
    se = np.sqrt(3 / 2 * ((k - 42 / 246 * n) ** 2).sum()) / 246
    t = sps.t.ppf(0.975, 2)
    assert k04["violation_rate_lo"] == pytest.approx(min(lo, max(42 / 246 - t * se, 0.0)))
    assert k04["violation_rate_hi"] == pytest.approx(max(hi, 42 / 246 + t * se))
    # a check with no violation: the interval starts at 0 and is not empty
    k17 = by_site.loc["Mästaregatan"]
    assert k17["violation_rate_lo"] == 0.0 and 0.05 < k17["violation_rate_hi"] < 0.07


def test_hand_computed_wilson_for_9_of_41():
    got = check_outcomes(checks(("P02", "Hantverkaregatan", "2024-10-23 15:00", 60, 41, 9)),
                         SV).iloc[0]
    z = 1.959963984540054
    p, n = 9 / 41, 41
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    assert (got["violation_rate_lo"], got["violation_rate_hi"]) == pytest.approx(
        (centre - half, centre + half))
    assert (got["weekday"], got["hour_of_day"], got["minutes"]) == (3, 15, 60.0)


def test_a_check_counts_for_every_local_hour_it_overlaps():
    rates = violation_rates(DONE, SV)
    k05 = rates[rates["site_id"] == "K05"]
    assert k05[["weekday", "hour_of_day"]].values.tolist() == [[5, 21], [5, 22]]
    assert (k05["vehicles_checked"] == 102).all() and (k05["violations"] == 31).all()
    k04 = rates[rates["site_id"] == "K04"].set_index("hour_of_day")
    # Tuesdays 19-20:30, 20-21:30, 21-22:30: hour 20 is covered by two checks, 21 by two
    assert k04.loc[19, "checks_n"] == 1 and k04.loc[20, "checks_n"] == 2
    assert k04.loc[21, "checks_n"] == 2 and k04.loc[22, "checks_n"] == 1
    assert k04.loc[20, "vehicles_checked"] == 75 + 92
    assert (k04["weekday"] == 2).all()
    # an hour-aligned end does not spill into the next hour
    p02 = rates[rates["site_id"] == "P02"]
    assert p02["hour_of_day"].tolist() == [15]
    # street-only records form their own group with site_id NA
    street = rates[rates["site_id"].isna()]
    assert street["street"].tolist() == ["Glasgatan"]
    assert list(rates.columns[-len(OUTCOME_COLUMNS):]) == list(OUTCOME_COLUMNS)


def test_local_hours_across_the_autumn_change():
    # 01:30 CEST to 02:30 CET on 2024-10-27: hours 1, 2 (summer), 2 (winter) -> 1 and 2
    s = pd.Timestamp("2024-10-26T23:30:00Z")
    df = pd.DataFrame({"team": ["T"], "start": [s], "end": [s + pd.Timedelta(hours=2)],
                       "site_id": pd.array(["K01"], dtype="string"),
                       "street": pd.array(["Ringvägen"], dtype="string"),
                       "vehicles_checked": [20], "violations": [2]})
    rates = violation_rates(df, SV)
    assert rates[["weekday", "hour_of_day"]].values.tolist() == [[7, 1], [7, 2]]
    assert (rates["checks_n"] == 1).all() and (rates["vehicles_checked"] == 20).all()


def test_reason_text_in_swedish_and_english():
    sv = violation_rates(DONE, SV).set_index(["site_id", "hour_of_day"])
    assert sv.loc[("P02", 15), "outcome_reason"] == (
        "förra kontrollen (2024-10-23): 9 av 41 över gränsen")
    assert sv.loc[("K04", 20), "outcome_reason"] == (
        "förra kontrollen (2024-03-19): 16 av 92 över gränsen; 2 kontroller: 16 % över "
        "gränsen (0–41 %)")
    en = violation_rates(DONE, EN).set_index(["site_id", "hour_of_day"])
    assert en.loc[("P02", 15), "outcome_reason"] == (
        "last check (2024-10-23): 9 of 41 over the limit")
    # hour 21: 16 of 92 and 16 of 79 -> 32 of 171; two checks are the units, t with 1 df
    assert en.loc[("K04", 21), "outcome_reason"] == (
        "last check (2024-06-04): 16 of 79 over the limit; 2 checks: 19 % over the limit "
        "(1–37 %)")


def test_outcomes_join_the_flags_table():
    flags = pd.DataFrame({
        "site_id": pd.array(["K04", "K04", "K09", pd.NA], dtype="string"),
        "street": pd.array(["Ringvägen", "Ringvägen", "Östanåsgatan", "Glasgatan"],
                           dtype="string"),
        "area": pd.array(["Söder", "Söder", "Öster", pd.NA], dtype="string"),
        "speed_limit": [50.0, 50.0, 50.0, np.nan],
        "weekday": [2, 2, 1, 4], "hour_of_day": [20, 3, 8, 16],
        "focus": [True, True, True, False], "score": [12.0, 1.0, 2.0, 30.0],
        "flagged": [True, False, False, True], "kind": ["speeding", "", "", "measure_here"],
        "reason": ["Tisdagar 20–21: V85 61 km/h", "", "", "3 Embrace-rapporter"],
    })
    got = add_outcome_evidence(flags, violation_rates(DONE, SV), SV)
    assert got.iloc[:4]["site_id"].tolist()[:3] == ["K04", "K04", "K09"]
    first = got.iloc[0]
    assert first["reason"] == ("Tisdagar 20–21: V85 61 km/h; förra kontrollen (2024-03-19): 16 "
                               "av 92 över gränsen; 2 kontroller: 16 % över gränsen (0–41 %)")
    assert first["checks_n"] == 2 and first["score"] == 12.0
    assert got.iloc[1]["checks_n"] == 0 and got.iloc[1]["reason"] == ""
    assert np.isnan(got.iloc[1]["violation_rate"])
    # the street-only record matches the report-only street row
    glas = got[got["street"] == "Glasgatan"].iloc[0]
    assert glas["checks_n"] == 1 and glas["reason"].startswith("3 Embrace-rapporter; förra")
    # hours with only a check become rows with score 0, not flagged, area from the site
    added = got[(got["site_id"] == "K04") & (got["hour_of_day"] == 19)].iloc[0]
    assert added["score"] == 0 and not added["flagged"] and added["kind"] == ""
    assert added["area"] == "Söder" and added["focus"]
    assert added["reason"].startswith("förra kontrollen (2024-02-13)")
    assert len(got) == len(flags) + len(violation_rates(DONE, SV)) - 2


def test_done_vs_planned_matches_each_check_once():
    from trafikplan.stats.outcomes import done_vs_planned

    planned = pd.DataFrame({
        "team": ["A", "B", "A", "B"],
        "start": pd.to_datetime(["2024-02-13T18:00Z", "2024-02-13T19:00Z",
                                 "2024-03-19T19:00Z", "2024-10-23T09:00Z"], utc=True),
        "end": pd.to_datetime(["2024-02-13T19:30Z", "2024-02-13T20:30Z",
                               "2024-03-19T20:30Z", "2024-10-23T10:00Z"], utc=True),
        "site_id": ["K04", "K04", "K04", "P02"],
    })
    got = done_vs_planned(planned, DONE)
    k04 = got[got["site_id"] == "K04"]
    # 2024-02-13 19:00 local = 18:00Z: matches the first plan exactly, not the second
    assert k04["status"].tolist() == ["done", "not_done", "done", "unplanned"]
    assert k04["vehicles_checked"].tolist() == [75, 0, 92, 79]
    # P02 ran 13:00Z, four hours after its plan: not within 3 h
    p02 = got[got["site_id"] == "P02"]["status"].tolist()
    assert sorted(p02) == ["not_done", "unplanned"]
    assert (got["status"] == "done").sum() == 2
    assert (got["status"] == "unplanned").sum() == len(DONE.dropna(subset=["site_id"])) - 2


def test_sample_follow_up_rates_cover_the_true_rates():
    import json
    from pathlib import Path

    from trafikplan.io.user_tables.checks_done import read_checks_done
    from trafikplan.io.user_tables.sites import read_sites
    from trafikplan.settings import load_settings

    root = Path(__file__).resolve().parents[1]
    sample = root / "data" / "measurements"
    expected = json.loads((root / "tests/data/sample_expected.json").read_text("utf-8"))
    follow = expected["checks_followup"]
    settings = load_settings(sample)
    done = read_checks_done(sample, settings=settings, sites=read_sites(
        sample / "sites.csv", settings)).table
    per = check_outcomes(done[done["source"] == follow["file"]], settings)
    assert len(per) == len(follow["checks"]) >= 24
    truth = np.array([c["true_rate"] for c in sorted(
        follow["checks"], key=lambda c: (pd.Timestamp(c["start"]), c["site_id"]))])
    covered = (per["violation_rate_lo"] <= truth) & (truth <= per["violation_rate_hi"])
    # 95 % intervals over 28 independent checks: fewer than 21 covered is very unlikely
    assert covered.mean() >= 0.75
    never = follow["never_checked"]
    assert never not in set(done["site_id"].dropna())
    assert len(done["site_id"].dropna().unique()) >= 8
