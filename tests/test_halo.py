"""The measured time halo: speeds after checks against the same hours in the weeks before."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps
from statsmodels.stats.proportion import confint_proportions_2indep

from trafikplan.io.counters import read_counter_file
from trafikplan.io.profiles.detect import detect_profile
from trafikplan.io.profiles.profile import load_profiles
from trafikplan.io.user_tables.checks_done import read_checks_done
from trafikplan.io.user_tables.sites import read_sites
from trafikplan.settings import Settings, load_settings
from trafikplan.stats.halo import halo_decay, halo_table, measure_halo
from trafikplan.stats.halo_compare import weighted_mean_difference, weighted_share_difference
from trafikplan.stats.intervals import newcombe_difference

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "measurements"
TZ = "Europe/Stockholm"
SETTINGS = Settings(municipality="Köping", timezone=TZ)


@pytest.fixture(scope="module")
def expected():
    return json.loads((ROOT / "tests" / "data" / "sample_expected.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def sample_halo(expected):
    settings = load_settings(SAMPLE)
    sites = read_sites(SAMPLE / "sites.csv", settings)
    profiles = load_profiles(SAMPLE)
    files = [*expected["checks_followup"]["halo_files"],
             "counters/K07_Skogsleden_2024-06-10.csv.gz"]
    parts = []
    for rel in files:
        got = read_counter_file(SAMPLE / rel, detect_profile(SAMPLE / rel, profiles),
                                settings=settings, source=rel, known_sites=set(sites["site_id"]))
        parts.append(got.table)
    vehicles = pd.concat(parts, ignore_index=True)
    done = read_checks_done(SAMPLE, settings=settings, sites=sites).table
    return measure_halo(vehicles, done, sites, settings,
                        baseline_weeks=settings.learning.halo_baseline_weeks)


@pytest.mark.slow
def test_sample_halo_recovers_the_planted_halo_within_its_interval(sample_halo, expected):
    pooled = sample_halo.pooled.set_index(["from_hours", "to_hours"])
    for planted in expected["checks_followup"]["halo_kmh"]:
        row = pooled.loc[(planted["from_hours"], planted["to_hours"])]
        assert row["mean_diff_lo"] <= planted["mean_change_kmh"] <= row["mean_diff_hi"], row
        assert row["mean_diff_hi"] < 0 and row["share_diff_hi"] < 0
        assert row["checks_n"] == 2
    # nothing was planted after 48 h: the later windows cover 0, the halo is 48 h
    for window in ((48.0, 96.0), (96.0, 168.0)):
        row = pooled.loc[window]
        assert row["mean_diff_lo"] <= 0 <= row["mean_diff_hi"]
    assert sample_halo.halo_hours == 48.0
    decay = halo_decay(sample_halo)
    assert decay["remaining"].iloc[0] == 1.0
    assert 0.3 < decay["remaining"].iloc[1] < 0.7  # -2 of -4 km/h
    assert (decay["remaining"].iloc[2:] == 0).all()


def test_sample_checks_without_a_baseline_or_data_are_reported(sample_halo):
    status = sample_halo.checks.set_index(["site_id", "start"])["status"]
    used = {s for (s, _), v in status.items() if v == "used"}
    assert {"K09", "K19"} <= used
    # K07's counter started the day before its first check: no weeks before it
    k07 = status.loc["K07"]
    assert (k07 == "no_matching_hours").any() or (k07 == "no_baseline").any()
    # checks at K09 / K19 outside the counter deployments have no data after them
    assert (status == "no_data_after").sum() >= 3
    table = halo_table(sample_halo)
    assert set(table["level"]) == {"pooled", "check"}
    assert (table["halo_hours"] == 48.0).all()


def test_one_cell_is_exactly_welch_and_newcombe():
    rng = np.random.default_rng(5)
    a = rng.normal(44.0, 6.0, 37)
    b = rng.normal(47.0, 8.0, 120)
    diff, lo, hi, df = weighted_mean_difference(
        np.array([1.0]), np.array([a.mean()]), np.array([a.var(ddof=1)]), np.array([37.0]),
        np.array([b.mean()]), np.array([b.var(ddof=1)]), np.array([120.0]))
    welch = sps.ttest_ind(a, b, equal_var=False)
    ci = welch.confidence_interval(0.95)
    assert diff == pytest.approx(a.mean() - b.mean())
    assert (lo, hi) == pytest.approx((ci.low, ci.high), rel=1e-9)
    assert df == pytest.approx(welch.df)
    for ka, na, kb, nb in ((9, 41, 30, 212), (0, 25, 4, 80), (15, 15, 40, 60)):
        p_a, p_b, d, lo, hi = weighted_share_difference(
            np.array([1.0]), np.array([ka]), np.array([na]), np.array([kb]), np.array([nb]))
        sm_lo, sm_hi = confint_proportions_2indep(ka, na, kb, nb, method="newcomb",
                                                  compare="diff")
        assert (p_a, p_b) == pytest.approx((ka / na, kb / nb))
        assert d == pytest.approx(ka / na - kb / nb)
        assert (lo, hi) == pytest.approx((sm_lo, sm_hi), abs=1e-9)
        _, n_lo, n_hi = newcombe_difference(ka, na, kb, nb)
        assert (lo, hi) == pytest.approx((float(n_lo), float(n_hi)))


def test_weights_standardise_the_baseline_to_the_windows_hours():
    # two cells with different speeds; the after window is mostly cell 2
    w = np.array([0.2, 0.8])
    diff, lo, hi, _ = weighted_mean_difference(
        w, np.array([40.0, 50.0]), np.array([49.0, 49.0]), np.array([20.0, 80.0]),
        np.array([41.0, 51.0]), np.array([49.0, 49.0]), np.array([200.0, 200.0]))
    assert diff == pytest.approx(-1.0)  # a naive mean difference would mix the hours
    var = 0.04 * (49 / 20 + 49 / 200) + 0.64 * (49 / 80 + 49 / 200)
    assert hi - diff == pytest.approx(diff - lo)
    assert (hi - diff) / np.sqrt(var) == pytest.approx(1.96, abs=0.05)


# --- simulations ------------------------------------------------------------------------

_PROFILE = np.array([2, 1, 1, 1, 2, 5, 15, 40, 35, 25, 25, 28, 30, 28, 30, 38, 45, 42, 30,
                     22, 16, 12, 8, 4], dtype=float)


def _simulate(seed: int, effect=((0, 24, 0.0),), start="2024-01-08", days=29,
              check_day=21, check_hour=14):
    """One site, hourly Poisson traffic, speeds by hour of day, a halo after one check."""
    rng = np.random.default_rng(seed)
    t0 = pd.Timestamp(start, tz=TZ)
    hours = pd.date_range(t0, t0 + pd.Timedelta(days=days), freq="h", inclusive="left")
    hod = hours.hour.to_numpy()
    counts = rng.poisson(_PROFILE[hod])
    idx = np.repeat(np.arange(len(hours)), counts)
    hour_ns = hours.tz_convert("UTC").as_unit("ns").asi8
    t = hour_ns[idx] + (rng.random(idx.size) * 3.6e12).astype(np.int64)
    check_start = t0 + pd.Timedelta(days=check_day, hours=check_hour)
    check_end = check_start + pd.Timedelta(hours=2)
    end_ns = check_end.tz_convert("UTC").value
    shift = np.zeros(idx.size)
    for lo, hi, kmh in effect:
        m = (hour_ns[idx] >= end_ns + lo * 3_600_000_000_000) & (
            hour_ns[idx] < end_ns + hi * 3_600_000_000_000)
        shift[m] += kmh
    speed = 46.0 + 3.0 * np.cos(2 * np.pi * (hod[idx] - 3) / 24) + shift + rng.normal(
        0, 7.0, idx.size)
    vehicles = pd.DataFrame({"site_id": "S", "time": pd.to_datetime(t, utc=True),
                             "speed": speed, "vehicle_class": "car"})
    checks = pd.DataFrame({"team": ["T"], "start": [check_start.tz_convert("UTC")],
                           "end": [check_end.tz_convert("UTC")], "site_id": ["S"]})
    sites = pd.DataFrame({"site_id": ["S"], "speed_limit": [50.0]})
    return vehicles, checks, sites


def test_planted_synthetic_halo_is_found_and_ends_where_planted():
    v, c, s = _simulate(1, effect=((0, 24, -5.0), (24, 48, -3.0), (48, 96, -2.0)))
    res = measure_halo(v, c, s, SETTINGS)
    assert res.halo_hours == 96.0
    pooled = res.pooled
    for (lo, hi), kmh in zip([(0, 24), (24, 48), (48, 96)], [-5.0, -3.0, -2.0], strict=True):
        row = pooled[(pooled["from_hours"] == lo) & (pooled["to_hours"] == hi)].iloc[0]
        assert row["mean_diff_lo"] <= kmh <= row["mean_diff_hi"]


@pytest.mark.slow
def test_without_an_effect_the_intervals_cover_zero_about_95_percent():
    sims = 120
    cover_mean = np.zeros((sims, 4), bool)
    cover_share = np.zeros((sims, 4), bool)
    halo = np.zeros(sims)
    for seed in range(sims):
        v, c, s = _simulate(1000 + seed)
        res = measure_halo(v, c, s, SETTINGS)
        p = res.pooled
        cover_mean[seed] = (p["mean_diff_lo"] <= 0) & (0 <= p["mean_diff_hi"])
        cover_share[seed] = (p["share_diff_lo"] <= 0) & (0 <= p["share_diff_hi"])
        halo[seed] = res.halo_hours
    # binomial(120, 0.95): 0.90 is more than 2.5 standard errors below 0.95
    assert 0.90 <= cover_mean.mean(axis=0).min() and cover_mean.mean() <= 0.99
    assert 0.90 <= cover_share.mean(axis=0).min() and cover_share.mean() <= 0.995
    assert (halo == 0).mean() >= 0.93


def test_a_later_check_cuts_the_window_and_halo_hours_are_no_baseline():
    v, c, s = _simulate(3, effect=((0, 24, -5.0),))
    later = c.copy()
    later["start"] = c["start"] + pd.Timedelta(days=2)
    later["end"] = c["end"] + pd.Timedelta(days=2)
    two = pd.concat([c, later], ignore_index=True)
    res = measure_halo(v, two, s, SETTINGS)
    first = res.per_check[res.per_check["start"] == c["start"].iloc[0]]
    # the first check's windows stop at the second check's start (48 h later)
    assert first["to_hours"].max() <= 96 and first["n_after"].sum() > 0
    assert (first["from_hours"] < 48).all()
    # the second check's baseline leaves out the first check and the week after it
    second = res.checks[res.checks["start"] == later["start"].iloc[0]]
    assert second["status"].iloc[0] == "used"
