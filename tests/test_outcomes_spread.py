"""Violation rates with checks as the units: coverage when rates vary between checks."""

from __future__ import annotations

import numpy as np
import pandas as pd

from trafikplan.settings import Settings
from trafikplan.stats.intervals import wilson_interval
from trafikplan.stats.outcomes import violation_rates

SETTINGS = Settings(municipality="Köping", timezone="Europe/Stockholm")


def checks(seed: int, n_sites: int, per_site: int, mean: float, sd: float) -> pd.DataFrame:
    """Checks whose own violation rates vary as Beta(mean, sd) around the site's rate."""
    rng = np.random.default_rng(seed)
    a = mean * (mean * (1 - mean) / sd**2 - 1) if sd > 0 else np.inf
    b = a * (1 - mean) / mean if sd > 0 else np.inf
    k = n_sites * per_site
    rate = rng.beta(a, b, k) if sd > 0 else np.full(k, mean)
    n = rng.poisson(40, k) + 5
    start = pd.Timestamp("2024-03-04T08:00Z") + pd.to_timedelta(
        np.tile(np.arange(per_site), n_sites) * 7, unit="D")
    return pd.DataFrame({
        "team": "T", "start": start, "end": start + pd.Timedelta(hours=1),
        "site_id": np.repeat([f"S{i:03d}" for i in range(n_sites)], per_site),
        "street": "Gatan", "vehicles_checked": n, "violations": rng.binomial(n, rate)})


def test_pooled_rate_covers_the_mean_rate_when_rates_vary_between_checks():
    done = checks(11, n_sites=400, per_site=8, mean=0.2, sd=0.1)
    rates = violation_rates(done, SETTINGS, by=("site_id",))
    cover = np.mean((rates.violation_rate_lo <= 0.2) & (0.2 <= rates.violation_rate_hi))
    lo, hi = wilson_interval(rates.violations, rates.vehicles_checked)
    vehicles_only = np.mean((lo <= 0.2) & (0.2 <= hi))
    print(f"coverage: checks as units {cover:.3f}, vehicles as units {vehicles_only:.3f}")
    assert 0.92 <= cover <= 0.99
    assert vehicles_only < 0.85  # the old vehicle-pooled interval was too narrow


def test_equal_rates_keep_about_nominal_coverage():
    done = checks(12, n_sites=400, per_site=8, mean=0.2, sd=0.0)
    rates = violation_rates(done, SETTINGS, by=("site_id",))
    cover = np.mean((rates.violation_rate_lo <= 0.2) & (0.2 <= rates.violation_rate_hi))
    assert 0.93 <= cover <= 0.995


def test_one_check_is_its_own_wilson_interval():
    done = checks(13, n_sites=3, per_site=1, mean=0.2, sd=0.1)
    rates = violation_rates(done, SETTINGS, by=("site_id",))
    lo, hi = wilson_interval(rates.violations, rates.vehicles_checked)
    assert np.allclose(rates.violation_rate_lo, lo) and np.allclose(rates.violation_rate_hi, hi)
