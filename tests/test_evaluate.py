import datetime as dt

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from trafikplan.stats.before_after import did_difference, welch_difference
from trafikplan.stats.evaluate import EVALUATION_COLUMNS, evaluate_measures

TZ = "Europe/Stockholm"


# ----------------------------------------------------------------------------- helpers

def simulate(site, first_day, days, mean, *, sd=6.5, seed=0, per_hour=40.0, hours=range(24),
             night_extra=0.0):
    """Vehicles at one site: Poisson arrivals per local hour, normal speeds."""
    rng = np.random.default_rng(seed)
    local = pd.date_range(pd.Timestamp(first_day), periods=days * 24, freq="h", tz=TZ)
    local = local[local.hour.isin(list(hours))]
    profile = np.where((local.hour >= 6) & (local.hour <= 21), 1.0, 0.25)
    counts = rng.poisson(per_hour * profile)
    starts = np.repeat(local.tz_convert("UTC").as_unit("ns").asi8, counts)
    times = starts + rng.integers(0, 3600 * 10**9, size=starts.size)
    hour = np.repeat(local.hour.to_numpy(), counts)
    night = (hour >= 22) | (hour <= 4)
    speed = rng.normal(mean, sd, size=starts.size) + night_extra * night
    return pd.DataFrame({
        "site_id": site, "time": pd.to_datetime(np.sort(times), utc=True, unit="ns"),
        "direction": "1",
        "speed": speed, "length": 4.5, "headway": np.nan, "vehicle_class": "car",
        "source": "sim",
    })


SITES = pd.DataFrame({
    "site_id": ["A1", "C1", "N1", "F1"],
    "street": ["Ringvägen", "Åkerbovägen", "Hagavägen", "Långtbortavägen"],
    "lat": [59.5145, 59.5060, 59.5120, 59.70],
    "lon": [15.9740, 15.9860, 15.9760, 16.30],
    "speed_limit": [40.0, 50.0, 40.0, 50.0],
    "area": "Söder", "check_spot": True,
})


def measures(comparison="C1", built=dt.date(2024, 7, 1)):
    return pd.DataFrame({
        "measure_id": ["M1"], "street": ["Ringvägen"], "site_id": ["A1"],
        "kind": ["upphöjd passage"], "built": pd.Series([built], dtype=object),
        "description": ["x"], "comparison_site_id": pd.Series([comparison], dtype=object),
    })


def scenario(effect=-5.0, trend=-1.0, seed=1, before_mean=38.0):
    parts = [
        simulate("A1", "2024-04-15", 14, before_mean, seed=seed),
        simulate("A1", "2024-09-16", 14, before_mean + trend + effect, seed=seed + 1),
        simulate("C1", "2024-04-15", 14, 46.0, seed=seed + 2),
        simulate("C1", "2024-09-16", 14, 46.0 + trend, seed=seed + 3),
    ]
    return pd.concat(parts, ignore_index=True)


# ----------------------------------------------------------------------------- methods

def test_welch_matches_scipy():
    rng = np.random.default_rng(3)
    a, b = rng.normal(35, 5, 80), rng.normal(38, 9, 50)
    d, lo, hi, df = welch_difference(a, b)
    ref = sps.ttest_ind(a, b, equal_var=False)
    ci = ref.confidence_interval(0.95)
    assert d == pytest.approx(a.mean() - b.mean())
    assert (lo, hi) == (pytest.approx(ci.low, rel=1e-10), pytest.approx(ci.high, rel=1e-10))
    assert df == pytest.approx(ref.df, rel=1e-10)


def test_did_by_hand():
    groups = [np.array([30.0, 32, 34, 36]), np.array([40.0, 41, 42]),
              np.array([44.0, 46, 45, 47, 48]), np.array([45.0, 47, 49])]
    did, lo, hi, df = did_difference(groups, [1, -1, -1, 1])
    means = [g.mean() for g in groups]
    assert did == pytest.approx((means[0] - means[1]) - (means[2] - means[3]))
    v = [g.var(ddof=1) / g.size for g in groups]
    se = np.sqrt(sum(v))
    nu = sum(v) ** 2 / sum(vi**2 / (g.size - 1) for vi, g in zip(v, groups, strict=True))
    assert df == pytest.approx(nu)
    assert hi - did == pytest.approx(sps.t.ppf(0.975, nu) * se)
    assert did - lo == pytest.approx(hi - did)


def test_did_needs_two_values_per_group():
    assert np.isnan(did_difference([np.ones(3), np.ones(1)], [1, -1])[0])


# ----------------------------------------------------------------------------- measures

def test_measure_effect_and_trend_separated_by_did():
    v = scenario(effect=-5.0, trend=-1.0)
    out = evaluate_measures(v, SITES, measures(), tz=TZ)
    assert list(out.columns) == list(EVALUATION_COLUMNS)
    r = out.iloc[0]
    assert r["mean_diff_lo"] <= -6.0 <= r["mean_diff_hi"]
    assert r["did_lo"] <= -5.0 <= r["did_hi"]
    assert r["did_hi"] < -4.0
    assert r["comparison_site_id"] == "C1" and r["comparison_source"] == "named"
    assert r["comparison_mean_diff"] == pytest.approx(-1.0, abs=0.3)
    assert r["cells"] == 168 and r["days_before"] == 14 and r["days_after"] == 14
    assert r["before_from"] == dt.date(2024, 4, 15) and r["after_to"] == dt.date(2024, 9, 29)
    assert "Medelhastigheten sjönk" in r["verdict"] and "Åkerbovägen" in r["verdict"]
    assert abs(r["volume_change"]) < 0.05
    assert not r["regression_to_mean"]


def test_no_effect_says_no_detectable_change():
    v = scenario(effect=0.0, trend=0.0, seed=11)
    r = evaluate_measures(v, SITES, measures(), tz=TZ).iloc[0]
    assert r["mean_diff_lo"] <= 0.0 <= r["mean_diff_hi"]
    assert "Ingen påvisbar förändring av medelhastigheten" in r["verdict"]
    en = evaluate_measures(v, SITES, measures(), tz=TZ, language="en").iloc[0]
    assert "No detectable change in mean speed" in en["verdict"]


def test_only_common_weekday_hours_are_compared():
    # Before: all hours, with nights 15 km/h faster. After: daytime only. No real change.
    before = simulate("A1", "2024-04-15", 14, 38.0, seed=3, night_extra=15.0)
    after = simulate("A1", "2024-09-16", 14, 38.0, seed=4, hours=range(6, 22))
    v = pd.concat([before, after], ignore_index=True)
    r = evaluate_measures(v, SITES, measures(comparison=None), tz=TZ).iloc[0]
    assert r["cells"] == 7 * 16
    assert r["mean_diff_lo"] <= 0.0 <= r["mean_diff_hi"]
    assert np.isnan(r["did"])
    assert "jämförelseplats" in r["verdict"]


def test_regression_to_the_mean_warning():
    v = scenario(effect=-5.0, trend=0.0, before_mean=50.0)  # 50 on a 40 road: would be flagged
    r = evaluate_measures(v, SITES, measures(), tz=TZ).iloc[0]
    assert r["regression_to_mean"]
    assert "regression mot medelvärdet" in r["verdict"]


def test_nearby_comparison_and_diversion():
    v = scenario(effect=-5.0, trend=-1.0)
    neighbour = pd.concat([simulate("N1", "2024-04-15", 14, 38.0, seed=20, per_hour=30),
                           simulate("N1", "2024-09-16", 14, 38.0, seed=21, per_hour=40)])
    v = pd.concat([v[v["site_id"] != "C1"], neighbour], ignore_index=True)
    r = evaluate_measures(v, SITES, measures(comparison=None), tz=TZ).iloc[0]
    assert r["comparison_site_id"] == "N1" and r["comparison_source"] == "nearby"
    assert r["diversion"].startswith("Hagavägen (N1) +3")  # 30 -> 40 vehicles/h by design
    assert "överflyttning" in r["verdict"]


def test_missing_periods_and_planned_measure():
    v = simulate("A1", "2024-04-15", 7, 38.0)
    r = evaluate_measures(v, SITES, measures(), tz=TZ).iloc[0]
    assert r["n_after"] == 0 and "Efter-mätning saknas" in r["verdict"]
    r = evaluate_measures(v, SITES, measures(built=None), tz=TZ).iloc[0]
    assert "inte byggd" in r["verdict"]


def test_filter_by_measure_gives_the_same_numbers():
    v = scenario()
    two = pd.concat([measures(), measures().assign(measure_id="M9")], ignore_index=True)
    all_rows = evaluate_measures(v, SITES, two, tz=TZ, bootstrap_reps=500)
    one = evaluate_measures(v, SITES, two, tz=TZ, bootstrap_reps=500, measure_id="M9")
    assert len(one) == 1
    pd.testing.assert_frame_equal(one.reset_index(drop=True),
                                  all_rows.iloc[[1]].reset_index(drop=True))


def test_future_build_date_is_planned_not_evaluated():
    v = scenario()
    r = evaluate_measures(v, SITES, measures(), tz=TZ, as_of=dt.date(2024, 6, 1),
                          language="en").iloc[0]
    assert "planned (2024-07-01)" in r["verdict"] and r["n_after"] == 0


def test_binned_only_period_is_named():
    before = simulate("A1", "2024-04-15", 7, 38.0)
    t0 = pd.Timestamp("2024-09-16", tz=TZ).tz_convert("UTC")
    bins = pd.DataFrame({"site_id": ["A1"], "start": [t0], "end": [t0 + pd.Timedelta(hours=1)],
                         "direction": ["1"], "speed_lo": [30.0], "speed_hi": [40.0],
                         "count": [25], "source": ["slang.csv"]})
    r = evaluate_measures(before, SITES, measures(), tz=TZ, bins=bins).iloc[0]
    assert "slang" in r["verdict"] and "fordonsdata" in r["verdict"]
    r = evaluate_measures(before, SITES, measures(), tz=TZ).iloc[0]
    assert "Efter-mätning saknas" in r["verdict"]


def test_did_interval_covers_zero_about_95_percent_when_only_the_trend_acts():
    rng = np.random.default_rng(99)
    sims, hits = 400, 0
    for _ in range(sims):
        # Both sites drop by the same town-wide trend of -1 km/h: the measure did nothing.
        groups = [rng.normal(37.0, 6.0, 250), rng.normal(38.0, 6.0, 200),
                  rng.normal(45.0, 7.0, 300), rng.normal(46.0, 7.0, 280)]
        _, lo, hi, _ = did_difference(groups, [1, -1, -1, 1])
        hits += lo <= 0.0 <= hi
    assert 0.92 <= hits / sims <= 0.98
