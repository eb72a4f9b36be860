"""Statistics from speed-class counts: hand-computed values and the real JAMAR count."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps
from scipy.interpolate import PchipInterpolator
from scipy.optimize import brentq

from conftest import REALDATA
from trafikplan.stats import binned_stats, speed_stats

SITES = pd.DataFrame({"site_id": ["K01", "166905"], "street": ["Ringvägen", "Test Rd"],
                      "speed_limit": [40.0, 56.327]})  # 35 mph = 56.327 km/h

JAMAR = REALDATA / "dvrpc-jamar"


def make_bins(classes, start="2024-04-15T05:00Z", minutes=60, site="K01", direction="1"):
    s = pd.Timestamp(start)
    e = s + pd.Timedelta(minutes=minutes)
    return pd.DataFrame({
        "site_id": pd.array([site] * len(classes), dtype="str"),
        "start": [s] * len(classes),
        "end": [e] * len(classes),
        "direction": pd.array([direction] * len(classes), dtype="str"),
        "speed_lo": [float(c[0]) for c in classes],
        "speed_hi": [float(c[1]) for c in classes],
        "count": np.array([c[2] for c in classes], dtype=np.int64),
        "source": "counters/bins.csv",
    })


HAND = [(0, 30, 10), (30, 40, 20), (40, 50, 10)]  # 40 vehicles


def test_hand_computed_bins():
    r = binned_stats(make_bins(HAND), SITES).iloc[0]
    assert (r.basis, r.n, r.n_days, r.n_hours) == ("bins", 40, 1, 1.0)
    assert r.hour_start == "2024-04-15T07:00:00+02:00"
    # percentiles: PCHIP of the log-odds of the cumulative counts at the edges 0, 30, 40, 50,
    # solved for the position q n (V85: 34 of 40) with an independent root finder
    x, cum = [0.0, 30.0, 40.0, 50.0], np.array([0.0, 10.0, 30.0, 40.0])
    pp = PchipInterpolator(x, np.log((cum + 0.5) / (40 - cum + 0.5)))

    def read(pos):
        t = np.log((pos + 0.5) / (40 - pos + 0.5))
        return brentq(lambda v: pp(v) - t, 0.0, 50.0)

    assert r.v50 == pytest.approx(read(20.0), abs=1e-6)
    assert r.v85 == pytest.approx(read(34.0), abs=1e-6)
    assert 40 < r.v85 < 44  # below the uniform-in-class reading (44) where the density falls
    # interval ranks from the exact binomial, read at r - 1/2, moved out by the reading error
    lo_rank = sps.binom.ppf(0.025, 40, 0.85)
    hi_rank = sps.binom.ppf(0.975, 40, 0.85) + 1
    assert (lo_rank, hi_rank) == (29, 39)
    plain = PchipInterpolator(x, cum)
    err = abs(r.v85 - brentq(lambda v: plain(v) - 34.0, 0.0, 50.0))
    assert r.v85_lo == pytest.approx(read(28.5) - err, abs=1e-6)
    assert r.v85_hi == pytest.approx(read(38.5) + err, abs=1e-6)
    assert r.v85_class_width == 10.0
    # mean from midpoints: (10*15 + 20*35 + 10*45) / 40
    assert r.mean_speed == pytest.approx(32.5)
    # Sheppard's correction: minus the within-class variance w²/12 (weighted by counts)
    sd = np.sqrt((10 * 17.5**2 + 20 * 2.5**2 + 10 * 12.5**2) / 39
                 - (10 * 30**2 + 20 * 10**2 + 10 * 10**2) / 12 / 40)
    assert r.sd == pytest.approx(sd)
    half = sps.t.ppf(0.975, 39) * sd / np.sqrt(40)
    assert r.mean_speed_lo == pytest.approx(32.5 - half)
    # limit 40 is a class edge: exactly the 10 vehicles of (40, 50]
    assert r.share_over_limit == pytest.approx(0.25)
    assert r.share_over_10 == 0.0
    assert r.vehicles_per_hour == 40.0
    assert np.isnan(r.share_heavy) and r.n_classified == 0


def test_limit_inside_a_class_is_interpolated():
    sites = SITES.assign(speed_limit=[35.0, 56.0])
    r = binned_stats(make_bins(HAND), sites).iloc[0]
    assert r.share_over_limit == pytest.approx((10 + 10) / 40)  # half of (30, 40] + (40, 50]


def test_open_class_makes_mean_and_upper_percentiles_nan_not_made_up():
    classes = [(0, 30, 10), (30, 40, 60), (40, np.inf, 30)]
    r = binned_stats(make_bins(classes), SITES).iloc[0]
    assert np.isnan(r.mean_speed) and np.isnan(r.sd)
    assert 30 < r.v50 < 40  # in its class, read from the finite edges 0, 30, 40
    assert np.isnan(r.v85)  # 85 of 100 falls in the open class
    assert r.share_over_limit == pytest.approx(0.3)  # the open class starts at the limit
    assert np.isnan(r.share_over_10)  # 50 km/h lies inside the open class


def test_too_few_for_percentile():
    r = binned_stats(make_bins([(0, 30, 5), (30, 40, 10), (40, 50, 7)]), SITES).iloc[0]
    assert r.n == 22 and np.isnan(r.v85) and not np.isnan(r.v50)


def test_quarter_hours_add_up_and_zero_bins_count_as_measured_time():
    quarters = [make_bins(HAND, start=f"2024-04-15T05:{m:02d}Z", minutes=15) for m in (0, 15, 30)]
    quarters.append(make_bins([(0, 30, 0), (30, 40, 0), (40, 50, 0)],
                              start="2024-04-15T05:45Z", minutes=15))
    r = binned_stats(pd.concat(quarters), SITES, by=("site_id",)).iloc[0]
    assert r.n == 120
    assert r.n_hours == 1.0
    assert r.vehicles_per_hour == 120.0
    one = binned_stats(make_bins([(0, 30, 30), (30, 40, 60), (40, 50, 30)]), SITES).iloc[0]
    assert r.v85 == pytest.approx(one.v85)  # the same counts in one hour


def test_direction_all_bins_form_their_own_direction():
    b = pd.concat([make_bins(HAND), make_bins(HAND, direction="all")])
    res = binned_stats(b, SITES, by=("site_id", "direction"))
    assert list(res.direction) == ["1", "all"]
    res = binned_stats(b, SITES, by=("site_id",))
    assert res.n.tolist() == [80]


def test_binned_percentiles_agree_with_grouped_data_formula_on_random_bins():
    rng = np.random.default_rng(3)
    x = rng.normal(47, 7, 5000)
    edges = np.arange(0, 105, 5.0)
    counts, _ = np.histogram(x, bins=edges)
    classes = [(edges[i], edges[i + 1], counts[i]) for i in range(len(counts))]
    r = binned_stats(make_bins(classes), SITES).iloc[0]
    assert abs(r.v85 - np.quantile(x, 0.85)) < 0.5  # within a tenth of the class width
    assert r.v85_lo < r.v85 < r.v85_hi
    assert abs(r.v50 - np.quantile(x, 0.5)) < 0.5


@pytest.fixture(scope="module")
def jamar():
    if not JAMAR.is_dir():
        pytest.skip("../shared/realdata not beside the checkout (set TRAFIKPLAN_REALDATA)")
    return _read_jamar()


def _read_jamar():
    from trafikplan.io.counters import read_counter_file
    from trafikplan.io.profiles.detect import detect_profile
    from trafikplan.io.profiles.profile import load_profiles
    from trafikplan.settings import Settings

    settings = Settings(municipality="DVRPC", timezone="America/New_York")
    profiles = load_profiles()
    out = {}
    for name in ("166905_per_vehicle.txt", "rc166905_15min_speed_bins.txt"):
        path = JAMAR / name
        result = read_counter_file(path, detect_profile(path, profiles), settings=settings,
                                   source=name)
        out[result.kind] = result.table
    return out["vehicles"], out["bins"]


def test_jamar_binned_v85_within_2_kmh_of_per_vehicle_v85(jamar):
    vehicles, bins = jamar
    # The speed-bin report counts channel 1 over its own 15-minute intervals.
    window = (vehicles.time >= bins.start.min()) & (vehicles.time < bins.end.max())
    ch1 = vehicles[window & (vehicles.direction == "1")]
    tz = "America/New_York"
    per_vehicle = speed_stats(ch1, SITES, by=("site_id",), tz=tz, include_bicycles=True)
    binned = binned_stats(bins, SITES, by=("site_id",), tz=tz)
    pv, bn = per_vehicle.iloc[0], binned.iloc[0]
    assert abs(int(pv.n) - int(bn.n)) <= 5  # the same count (3926 vs 3926 +- edge vehicles)
    assert abs(bn.v85 - pv.v85) <= 2.0, (bn.v85, pv.v85)
    assert abs(bn.v50 - pv.v50) <= 2.0, (bn.v50, pv.v50)
    assert bn.n_days == pv.n_days == 3
    # per local date as well
    pv_d = speed_stats(ch1, SITES, by=("date",), tz=tz, include_bicycles=True)
    bn_d = binned_stats(bins, SITES, by=("date",), tz=tz)
    assert list(pv_d.date) == list(bn_d.date)
    assert (np.abs(bn_d.v85.to_numpy() - pv_d.v85.to_numpy()) <= 2.0).all()


def test_jamar_per_vehicle_data_wins_over_bins_of_the_same_hours(jamar):
    vehicles, bins = jamar
    res = speed_stats(vehicles, SITES, bins=bins, by=("site_id",), tz="America/New_York",
                      include_bicycles=True)
    assert list(res.basis) == ["vehicles"]
    assert res.n.iloc[0] == len(vehicles)


@pytest.mark.slow
def test_ten_kmh_classes_v85_close_to_the_truth_and_covered():
    # 400 site-hours of normal speeds counted in 10 km/h classes (edges at 0, 10, ... or
    # 5, 15, ...): the true V85 is known, so bias and coverage can be counted.
    rng = np.random.default_rng(1910)
    sites_n = 400
    mu, sigma = rng.uniform(30, 60, sites_n), rng.uniform(5, 10, sites_n)
    n = rng.integers(150, 1500, sites_n)
    ids = np.array([f"B{i:03d}" for i in range(sites_n)])
    parts = []
    for i in range(sites_n):  # building the test data, not the method under test
        offset = 5.0 * (i % 2)
        edges = np.r_[0.0, np.arange(10.0 + offset, 150.0, 10.0), np.inf]
        counts, _ = np.histogram(rng.normal(mu[i], sigma[i], n[i]), bins=edges)
        parts.append(make_bins([(edges[j], edges[j + 1], counts[j]) for j in range(len(counts))],
                               site=ids[i]))
    sites = pd.DataFrame({"site_id": ids, "street": ids, "speed_limit": 50.0})
    r = binned_stats(pd.concat(parts, ignore_index=True), sites, by=("site_id",))
    r = r.set_index("site_id").loc[ids]
    true = mu + sps.norm.ppf(0.85) * sigma
    err = r.v85.to_numpy() - true
    cover = np.mean((r.v85_lo <= true) & (true <= r.v85_hi))
    print(f"binned V85, 10 km/h classes: mean error {err.mean():+.3f} km/h, "
          f"mean |error| {np.abs(err).mean():.3f} km/h, coverage {cover:.3f}")
    assert abs(err.mean()) <= 0.5 and np.abs(err).mean() <= 0.5
    assert 0.90 <= cover <= 0.995
    # the class holding V85 is named, so the flags can tell a coarse percentile
    assert (r.v85_class_width == 10.0).all()


@pytest.mark.slow
def test_binned_hour_of_week_covers_the_long_run_value_with_day_to_day_variation():
    # 150 sites, one hour on 14 days, the day's mean moving by 1-3 km/h (SD), counted in
    # 10 km/h classes: the pooled interval is for the long-run hour, so it must hold
    # although the vehicles of one day move together.
    rng = np.random.default_rng(7)
    sites_n, days = 150, 14
    parts, true_mean, true_v85 = [], [], []
    for i in range(sites_n):  # building the test data, not the method under test
        mu, sigma, day_sd = rng.uniform(30, 60), rng.uniform(5, 9), rng.uniform(1, 3)
        true_mean.append(mu)
        true_v85.append(mu + sps.norm.ppf(0.85) * np.hypot(sigma, day_sd))
        edges = np.r_[0.0, np.arange(10.0 + 5.0 * (i % 2), 150.0, 10.0), np.inf]
        for d in range(days):
            day_mu = mu + rng.normal(0, day_sd)
            counts, _ = np.histogram(rng.normal(day_mu, sigma, rng.integers(100, 400)), edges)
            start = str(pd.Timestamp("2024-04-15T05:00Z") + pd.Timedelta(days=d))
            parts.append(make_bins([(edges[j], edges[j + 1], counts[j])
                                    for j in range(len(counts))], start=start, site=f"B{i:03d}"))
    ids = [f"B{i:03d}" for i in range(sites_n)]
    sites = pd.DataFrame({"site_id": ids, "street": ids, "speed_limit": 50.0})
    r = binned_stats(pd.concat(parts, ignore_index=True), sites,
                     by=("site_id", "hour_of_day")).set_index("site_id").loc[ids]
    assert (r.n_days == days).all()
    v85, mean = np.array(true_v85), np.array(true_mean)
    cover_v85 = np.mean((r.v85_lo <= v85) & (v85 <= r.v85_hi))
    cover_mean = np.mean((r.mean_speed_lo <= mean) & (mean <= r.mean_speed_hi))
    print(f"binned, 14 days, day SD 1-3: V85 coverage {cover_v85:.3f}, "
          f"mean coverage {cover_mean:.3f}, V85 bias {np.mean(r.v85 - v85):+.3f} km/h")
    assert 0.90 <= cover_v85 <= 0.99
    assert 0.90 <= cover_mean <= 0.99
    assert abs(np.mean(r.v85 - v85)) <= 0.5
