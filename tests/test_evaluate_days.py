"""Before/after with days as units: false claims, power and agreement with a cluster-robust OLS."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from trafikplan.stats.before_after import paired_did
from trafikplan.stats.evaluate import evaluate_measures

TZ = "Europe/Stockholm"
SITES = pd.DataFrame({
    "site_id": ["A", "C", "P1", "P2", "P3"],
    "street": ["Ringvägen", "Åkerbovägen", "Hagavägen", "Skolgatan", "Torggatan"],
    "lat": [59.51, 59.50, 59.52, 59.53, 59.54], "lon": [15.97, 15.98, 15.96, 15.95, 15.94],
    "speed_limit": 40.0, "area": "Söder", "check_spot": True,
})
MEASURE = pd.DataFrame({
    "measure_id": ["M1"], "street": ["Ringvägen"], "site_id": ["A"], "kind": ["avsmalning"],
    "built": pd.Series([dt.date(2024, 7, 1)], dtype=object), "description": ["x"],
    "comparison_site_id": pd.Series(["C"], dtype=object),
})
BEFORE, AFTER = "2024-06-17", "2024-07-29"  # 14 days each: before building, 4 weeks after


def site_days(rng, site, first, days, mean, day_sd, per_hour=20, hours=range(7, 19)):
    """Vehicles at a site: each date shifts the site's speeds by N(0, day_sd²)."""
    local = pd.date_range(pd.Timestamp(first), periods=days * 24, freq="h", tz=TZ)
    local = local[local.hour.isin(list(hours))]
    shift = np.repeat(rng.normal(0.0, day_sd, days), len(list(hours)))
    counts = rng.poisson(per_hour, len(local))
    t = np.repeat(local.tz_convert("UTC").as_unit("ns").asi8, counts)
    t = t + rng.integers(0, 3600 * 10**9, t.size)
    speed = np.repeat(mean + shift, counts) + rng.normal(0.0, 7.0, t.size)
    return pd.DataFrame({"site_id": site, "time": pd.to_datetime(t, utc=True), "direction": "1",
                         "speed": speed, "vehicle_class": "car"})


def measure_data(rng, effect, day_sd=1.5, placebo_sites=()):
    parts = []
    for site, base in (("A", 38.0), ("C", 45.0), *((p, 42.0) for p in placebo_sites)):
        parts.append(site_days(rng, site, BEFORE, 14, base, day_sd))
        parts.append(site_days(rng, site, AFTER, 14, base + (effect if site == "A" else 0.0),
                               day_sd))
    return pd.concat(parts, ignore_index=True)


def evaluate(v):
    return evaluate_measures(v, SITES, MEASURE, tz=TZ, after_weeks=4, window_days=14,
                             as_of=dt.date(2024, 12, 1), max_placebo_sites=0).iloc[0]


@pytest.mark.slow
def test_no_true_effect_claims_a_change_rarely_and_a_real_one_is_found():
    # 120 measures that changed nothing, day-to-day SD 1.5 km/h at every site, 14 + 14 days;
    # then 40 measures with a true -3 km/h.
    rng = np.random.default_rng(20261202)
    null = [evaluate(measure_data(rng, 0.0)) for _ in range(120)]
    claims = np.mean([not (r.did_lo <= 0.0 <= r.did_hi) for r in null])
    found = [evaluate(measure_data(rng, -3.0)) for _ in range(40)]
    power = np.mean([r.did_hi < 0 for r in found])
    print(f"false claims {claims:.3f}, power at -3 km/h {power:.3f}, "
          f"mde {np.mean([r.did_mde for r in found]):.2f} km/h")
    assert claims <= 0.10
    assert all("ingen påvisbar" in r.verdict.lower() for r in null if r.did_lo <= 0 <= r.did_hi)
    assert power >= 0.8
    assert all("påvisas" in r.verdict for r in found)
    assert np.mean([r.did_lo <= -3.0 <= r.did_hi for r in found]) >= 0.88


def test_paired_did_agrees_with_statsmodels_cluster_robust_ols():
    rng = np.random.default_rng(4)
    v = measure_data(rng, -2.0)
    r = evaluate(v)
    # independently: per local date and weekday x hour cell, mean at A and at C; the
    # day's difference is the mean over its cells weighted by A's vehicles per cell
    local = v["time"].dt.tz_convert(TZ)
    f = v.assign(date=local.dt.date, cell=local.dt.day_of_week * 24 + local.dt.hour)
    weights = f[f.site_id == "A"].groupby("cell").size()
    means = f.groupby(["site_id", "date", "cell"]).speed.mean().unstack("site_id")
    diff = (means["A"] - means["C"]).dropna().rename("d").reset_index()
    diff["w"] = diff["cell"].map(weights)
    daily = diff.groupby("date").apply(lambda g: np.average(g.d, weights=g.w),
                                       include_groups=False).rename("d").reset_index()
    daily["after"] = (daily["date"] >= dt.date(2024, 7, 1)).astype(float)
    fit = sm.OLS(daily["d"], sm.add_constant(daily["after"])).fit(
        cov_type="cluster", cov_kwds={"groups": np.arange(len(daily))}, use_t=True)
    lo, hi = fit.conf_int().loc["after"]
    assert r.did == pytest.approx(fit.params["after"], abs=1e-9)
    assert (r.did_lo, r.did_hi) == (pytest.approx(lo, abs=1e-9), pytest.approx(hi, abs=1e-9))
    assert r.did_days == len(daily) == 28 and r.did_df == 27 and r.did_paired
    assert fit.df_resid_inference == 27


def test_paired_did_needs_two_dates_per_period():
    assert np.isnan(paired_did(np.array([1.0]), np.array([1.0, 2.0]))["did"])


def test_placebo_pairs_of_untreated_sites():
    rng = np.random.default_rng(9)
    v = measure_data(rng, -4.0, placebo_sites=("P1", "P2", "P3"))
    r = evaluate_measures(v, SITES, MEASURE, tz=TZ, after_weeks=4, window_days=14,
                          as_of=dt.date(2024, 12, 1)).iloc[0]
    assert r.placebo_n == 6  # C, P1, P2, P3: four untreated sites, six pairs
    assert 0.3 < r.placebo_sd < 2.0  # what chance makes of two streets over 14 + 14 days
    assert r.placebo_p <= 0.5
    assert "par av platser utan åtgärd" in r.verdict
