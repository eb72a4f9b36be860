"""compute_flags end to end on simulated sites with planted patterns."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from test_flags_fixtures import TZ, add, finish, fridays, reports, sites, traffic
from trafikplan.flags import FLAG_COLUMNS, compute_flags, rank_flags
from trafikplan.settings import Settings

SETTINGS = Settings(municipality="Köping", timezone=TZ,
                    focus_streets=("Ringvägen", "Skogsleden", "Östanåsgatan"))
SITES = sites(
    ("K05", "Skogsleden", 40.0, "Norr"),
    ("K06", "Kungsgatan", 40.0, "Centrum"),
    ("K01", "Ringvägen", 50.0, "Nygård"),
    ("K09", "Torggatan", 30.0, "Centrum"),
)
PLANTED = {(5, h) for h in (21, 22, 23)} | {(6, h) for h in (0, 1, 21, 22, 23)} | {
    (7, h) for h in (0, 1)}
"""Friday and Saturday evenings 21-02 (local), as weekday x hour of day."""


def _plant_speeding(v: pd.DataFrame, site: str, mean: float, seed: int = 5) -> pd.DataFrame:
    local = v["time"].dt.tz_convert(TZ)
    key = list(zip(local.dt.day_of_week + 1, local.dt.hour, strict=True))
    mask = (v["site_id"] == site) & pd.Series([k in PLANTED for k in key], index=v.index)
    v = v.copy()
    rng = np.random.default_rng(seed)
    v.loc[mask, "speed"] = np.round(rng.normal(mean, 6.0, int(mask.sum())), 1)
    return v


@pytest.fixture(scope="module")
def world() -> dict:
    # Same volume and hours at both 40 sites; only K05 has the planted evening speeding.
    k05 = _plant_speeding(traffic("K05", 40.0, seed=11, sd=6.0), "K05", mean=57.0)
    k06 = traffic("K06", 40.0, seed=12, sd=6.0)
    k01 = traffic("K01", 50.0, seed=13)
    laps = [t for d in fridays() for t in pd.date_range(
        f"{d.date()} 22:00", f"{(d + pd.Timedelta(days=1)).date()} 00:55", freq="5min"
    ).strftime("%Y-%m-%d %H:%M:%S")]
    rng = np.random.default_rng(4)
    k01 = add(k01, "K01", laps, np.round(rng.uniform(78, 100, len(laps)), 1).tolist())
    v = pd.concat([k05, k06, k01], ignore_index=True)
    v = finish(v.drop(columns=["headway", "length", "source", "line"]))
    rep = reports(
        *[(f"{d.date()} 22:{10 + 5 * i:02d}", "reckless", "Ringvägen", "K01")
          for d in fridays() for i in range(2)],
        ("2024-04-26 23:30", "noise", "Ringvägen", "K01"),
        ("2024-05-03 21:15", "speeding", "Glasgatan", None),
        ("2024-05-10 21:45", "speeding", "Glasgatan", None),
        ("2024-05-17 21:50", "speeding", "glasgatan", None),
        ("2024-05-03 17:15", "speeding", "Torggatan", "K09"),
        ("2024-05-10 17:45", "speeding", "Torggatan", "K09"),
        ("2024-05-17 17:05", "speeding", "Torggatan", "K09"),
        ("2024-05-17 12:05", "parking", "Torggatan", "K09"),
    )
    flags = compute_flags(v, SITES, rep, SETTINGS)
    return {"vehicles": v, "reports": rep, "flags": flags}


def _kinds(f: pd.DataFrame, site: str | None, kind: str) -> set[tuple[int, int]]:
    sel = f["site_id"].isna() if site is None else f["site_id"] == site
    hit = f[sel & f["kind"].str.contains(kind, regex=False)]
    return set(zip(hit["weekday"], hit["hour_of_day"], strict=True))


@pytest.mark.slow
def test_columns_and_dtypes_follow_the_contract(world):
    f = world["flags"]
    assert list(f.columns) == list(FLAG_COLUMNS)
    assert f["site_id"].dtype == "string" and f["street"].dtype == "string"
    assert f["weekday"].between(1, 7).all() and f["hour_of_day"].between(0, 23).all()
    assert f["focus"].dtype == bool and f["flagged"].dtype == bool
    assert (f["score"] >= 0).all() and f["score"].notna().all()
    assert not f.duplicated(["site_id", "street", "weekday", "hour_of_day"]).any()
    assert f["kind"].str.split(";").explode().replace("", np.nan).dropna().isin(
        ["speeding", "reckless", "reports", "measure_here"]).all()
    assert (f["flagged"] == (f["kind"] != "")).all()


@pytest.mark.slow
def test_planted_evening_speeding_is_found_at_the_right_hours(world):
    f = world["flags"]
    assert _kinds(f, "K05", "speeding") == PLANTED
    row = f[(f.site_id == "K05") & (f.weekday == 5) & (f.hour_of_day == 22)].iloc[0]
    assert row["v85_lo"] > 40 + 5 and row["share_over_limit_lo"] > 0.15
    assert row["n"] >= 30 and row["n_days"] == 4


def test_compliant_site_with_the_same_volume_is_not_flagged(world):
    f = world["flags"]
    k05, k06 = f[f.site_id == "K05"], f[f.site_id == "K06"]
    assert len(k06) == 168
    assert abs(k05["n"].sum() / k06["n"].sum() - 1) < 0.05  # same volume
    assert not k06["flagged"].any()
    # Same volume, same hour: the speeding site is worth more police time.
    both = k05.merge(k06, on=["weekday", "hour_of_day"], suffixes=("_05", "_06"))
    planted = both[both["speeding_05"]]
    assert len(planted) == len(PLANTED)
    assert (planted["score_05"] > 2 * planted["score_06"]).all()


def test_buskorning_laps_and_reports_at_ringvagen_friday_nights(world):
    f = world["flags"]
    assert _kinds(f, "K01", "reckless") == {(5, 22), (5, 23), (6, 0)}
    row = f[(f.site_id == "K01") & (f.weekday == 5) & (f.hour_of_day == 22)].iloc[0]
    assert row["lap_passes"] == 48 and row["focus"]
    assert row["reports_n"] == 8 and "reports" in row["kind"]
    assert row["reports_window_n"] == 9  # the noise report at 23:30 is within +-1 h
    assert row["reports_by_category"] == "reckless:8;noise:1"
    top = rank_flags(f).head(10)
    assert ((top.site_id == "K01") & (top.weekday == 5) & (top.hour_of_day == 22)).any()


def test_reports_without_measurements_become_measure_here(world):
    f = world["flags"]
    street = f[f.site_id.isna()]
    assert set(street["street"]) == {"Glasgatan"}
    assert _kinds(f, None, "measure_here") == {(5, 20), (5, 21), (5, 22)}
    assert street["area"].isna().all() and street["speed_limit"].isna().all()
    k09 = f[f.site_id == "K09"]
    assert _kinds(f, "K09", "measure_here") == {(5, 16), (5, 17), (5, 18)}
    assert (k09["area"] == "Centrum").all() and (k09["speed_limit"] == 30).all()
    assert k09["n"].isna().all()
    assert (k09.loc[k09.flagged, "score_speed"] == 0).all()


@pytest.mark.slow
def test_focus_is_marked_and_not_scored_higher(world):
    f = world["flags"]
    assert f.loc[f.street == "Skogsleden", "focus"].all()
    assert not f.loc[f.street == "Kungsgatan", "focus"].any()
    no_focus = compute_flags(world["vehicles"], SITES, world["reports"],
                             dataclasses.replace(SETTINGS, focus_streets=()))
    assert not no_focus["focus"].any()
    pd.testing.assert_series_equal(no_focus["score"], f["score"])
    pd.testing.assert_series_equal(no_focus["flagged"], f["flagged"])


@pytest.mark.slow
def test_reasons_name_their_numbers_in_swedish_and_english(world):
    f = world["flags"]
    row = f[(f.site_id == "K01") & (f.weekday == 5) & (f.hour_of_day == 22)].iloc[0]
    r = row["reason"]
    assert r.startswith("Fredagar 22–23: V85 ")
    assert f"V85 {round(row['v85'])} km/h ({round(row['v85_lo'])}–{round(row['v85_hi'])})" in r
    assert "på 50-väg" in r
    assert f"{round(row['share_over_limit'] * 100)} % " in r
    assert f"(n {int(row['n'])}, 4 dagar)" in r
    assert "48 snabba passager i varvkörning (4 nätter)" in r
    assert "9 Embrace-rapporter (8 buskörning, 1 störande ljud) ±1 h" in r
    en = compute_flags(world["vehicles"], SITES, world["reports"],
                       dataclasses.replace(SETTINGS, language="en"))
    r_en = en.loc[row.name, "reason"]
    assert r_en.startswith("Fridays 22–23: V85 ")
    assert "on a 50 road" in r_en and "48 fast passes in laps (4 nights)" in r_en
    assert "9 Embrace reports (8 reckless driving, 1 noise) ±1 h" in r_en
    glas = en[en.site_id.isna() & (en.hour_of_day == 21)].iloc[0]["reason"]
    assert glas == ("Fridays 21–22: 3 Embrace reports (3 speeding) ±1 h; "
                    "no speed measurements – measure here")


@pytest.mark.slow
def test_thresholds_come_from_the_settings(world):
    strict = dataclasses.replace(
        SETTINGS, flags=dataclasses.replace(SETTINGS.flags, v85_margin_kmh=60.0, reports_min=50,
                                            lap_min_passes=100))
    f = compute_flags(world["vehicles"], SITES, world["reports"], strict)
    assert not f["speeding"].any()
    assert not f["reports"].any()
    assert not f["laps_fire"].any()


def test_night_excess_from_speed_statistics(world):
    f = world["flags"]
    k05 = f[f.site_id == "K05"]
    night = k05[k05.night_excess_fires]
    assert set(zip(night.weekday, night.hour_of_day, strict=True)) == {
        k for k in PLANTED if k[1] in SETTINGS.flags.night_hours}
    assert (night["night_excess"] > 10).all()
    assert k05.loc[~k05.hour_of_day.isin(SETTINGS.flags.night_hours), "night_excess"].isna().all()


def test_empty_inputs_give_an_empty_table():
    v = traffic("K05", 40.0, days=1).iloc[:0]
    rep = reports(("2024-05-17 12:05", "parking", "Torggatan", "K09"))
    f = compute_flags(v, SITES, rep, SETTINGS)
    assert f.empty and list(f.columns) == list(FLAG_COLUMNS)


# --- monotonicity of the whole pipeline ------------------------------------------------------

@pytest.fixture(scope="module")
def week() -> pd.DataFrame:
    return traffic("K01", 50.0, days=7, day_rate=40.0, night_rate=10.0, seed=21)


@pytest.mark.slow
@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    raise_share=st.floats(0.0, 1.0),
    raise_by=st.floats(0.0, 40.0),
    added=st.lists(st.tuples(st.integers(0, 7 * 24 - 1), st.floats(51.0, 110.0)), max_size=30),
    more_reports=st.lists(st.integers(0, 7 * 24 - 1), max_size=10),
    seed=st.integers(0, 2**16),
)
def test_more_speeding_or_reports_never_lower_any_score(
    week, raise_share, raise_by, added, more_reports, seed
):
    """Speeding vehicles get faster, speeding vehicles join, reports are added: no score drops."""
    rep0 = reports(("2024-04-05 22:40", "reckless", "Ringvägen", "K01"))
    before = compute_flags(week, SITES, rep0, SETTINGS)

    rng = np.random.default_rng(seed)
    v = week.copy()
    over = (v["speed"] > 50.0).to_numpy() & (rng.uniform(size=len(v)) < raise_share)
    v.loc[over, "speed"] = v.loc[over, "speed"] + raise_by
    start = pd.Timestamp("2024-04-01")
    times = [(start + pd.Timedelta(hours=h, minutes=7)).strftime("%Y-%m-%d %H:%M:%S")
             for h, _ in added]
    if times:
        v = add(v, "K01", times, [s for _, s in added])
    extra = [((start + pd.Timedelta(hours=h, minutes=30)).strftime("%Y-%m-%d %H:%M"), "speeding",
              "Ringvägen", "K01") for h in more_reports]
    rep1 = reports(("2024-04-05 22:40", "reckless", "Ringvägen", "K01"), *extra)
    after = compute_flags(v, SITES, rep1, SETTINGS)

    keys = ["site_id", "street", "weekday", "hour_of_day"]
    both = before.merge(after, on=keys, how="left", suffixes=("_0", "_1"))
    assert both["score_1"].notna().all()  # evidence only grows: no row disappears
    assert (both["score_1"] >= both["score_0"] - 1e-9 * np.maximum(1.0, both["score_0"])).all()


def _to_bins(v: pd.DataFrame, site: str, width: float = 5.0) -> pd.DataFrame:
    """Hourly speed-class counts of a vehicles table, as a tube counter gives them."""
    edges = np.arange(0.0, 130.0, width)
    lo = edges[np.clip(np.searchsorted(edges, v["speed"].to_numpy(), side="left") - 1, 0, None)]
    start = v["time"].dt.floor("h")
    b = pd.DataFrame({"start": start, "direction": v["direction"], "speed_lo": lo})
    b = b.value_counts().rename("count").reset_index()
    return pd.DataFrame({
        "site_id": pd.Series(site, index=b.index, dtype="string"),
        "start": b["start"].astype("datetime64[ns, UTC]"),
        "end": (b["start"] + pd.Timedelta(hours=1)).astype("datetime64[ns, UTC]"),
        "direction": b["direction"].astype("string"),
        "speed_lo": b["speed_lo"].astype(float),
        "speed_hi": (b["speed_lo"] + width).astype(float),
        "count": b["count"].astype("int64"),
        "source": pd.Series("counters/tube.csv", index=b.index, dtype="string"),
    })


@pytest.mark.slow
def test_binned_site_gives_speeding_evidence_and_night_excess_only():
    # A 40 road where most drive 36 km/h, but Fri/Sat evenings 60 (binning blurs V85 by
    # up to a class width, so the ordinary hours stay well below limit + 5).
    tube = _plant_speeding(traffic("K06", 40.0, seed=31, sd=5.0, mean=36.0), "K06", mean=60.0)
    bins = _to_bins(tube, "K06")
    v = traffic("K05", 40.0, seed=32, sd=6.0, days=7)
    rep = reports(("2024-05-17 12:05", "parking", "Torggatan", "K09"))
    f = compute_flags(v, SITES, rep, SETTINGS, bins=bins)
    k06 = f[f.site_id == "K06"]
    assert len(k06) == 168
    assert k06["n"].sum() == len(tube)
    assert _kinds(f, "K06", "speeding") == PLANTED
    assert (k06["per_vehicle_n"] == 0).all()
    per_vehicle = ["extreme_n", "lap_passes", "slow_groups", "short_headways_at_speed"]
    assert (k06[per_vehicle] == 0).all().all()
    # Night excess rests on the V85 of the statistics, so bins give it too.
    assert (k06["reckless"] == k06["night_excess_fires"]).all()
    assert _kinds(f, "K06", "reckless") == {k for k in PLANTED if k[1] in (22, 23, 0, 1)}
    assert (k06.loc[k06.speeding, "score_speed"] > 0).all()


@pytest.mark.slow
def test_classes_too_coarse_for_the_rule_give_no_speeding_flag_and_say_so():
    tube = _plant_speeding(traffic("K06", 40.0, seed=31, sd=5.0, mean=36.0), "K06", mean=60.0)
    v = traffic("K05", 40.0, seed=32, sd=6.0, days=7)
    rep = reports(("2024-05-17 12:05", "parking", "Torggatan", "K09"))
    f = compute_flags(v, SITES, rep, SETTINGS, bins=_to_bins(tube, "K06", width=20.0))
    k06 = f[f.site_id == "K06"]
    assert not k06["speeding"].any()
    coarse = k06[k06["v85_coarse"] & (k06["v85_lo"] - 40.0 > 5.0)]
    assert {(r.weekday, r.hour_of_day) for r in coarse.itertuples()} == PLANTED
    assert coarse["reason"].str.contains("för grovt för en hastighetsflagga").all()
    assert (k06["v85_class_width"] == 20.0).any()


def test_the_v85_rule_alone_decides_speeding(world):
    f = world["flags"]
    measured = f[f["n"] >= SETTINGS.flags.min_vehicles]
    v85_rule = (measured["v85_lo"] - measured["speed_limit"]) > SETTINGS.flags.v85_margin_kmh
    assert (measured["speeding"] == v85_rule).all()
    # the share over the limit is implied: every V85 flag has more than 15 % over the limit
    assert (measured.loc[v85_rule, "share_over_limit"] > 0.15).all()


def test_a_table_outside_its_contract_is_an_input_error():
    from trafikplan._errors import InputError

    v = traffic("K05", 40.0, days=1).drop(columns=["speed"])
    rep = reports(("2024-05-17 12:05", "parking", "Torggatan", "K09"))
    with pytest.raises(InputError, match=r"vehicles table does not fit its contract.*'speed'"):
        compute_flags(v, SITES, rep, SETTINGS)
