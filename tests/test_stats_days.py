"""Pooled statistics carry the day-to-day variation: coverage by simulation with a known truth."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from trafikplan.stats import speed_stats

HOURS = (7, 8, 16)
LIMIT = 50.0


def simulate(seed: int, day_sd: tuple[float, float], n_sites: int = 200, weeks: int = 3,
             per_hour: int = 150) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Sites measured ``weeks`` weeks in three hours of every day; truth per hour of the week.

    Speeds at site s, date d, hour h: ``mu_s + profile_h + a_sd + e`` with the
    day effect ``a_sd ~ N(0, tau_s²)`` shared by the hours of the date.
    """
    rng = np.random.default_rng(seed)
    days = 7 * weeks
    base = rng.uniform(40, 52, n_sites)
    sigma = rng.uniform(5, 8, n_sites)
    tau = rng.uniform(*day_sd, n_sites)
    profile = np.array([2.0, 0.0, -3.0])
    a = rng.normal(0, 1, (n_sites, days)) * tau[:, None]
    counts = rng.poisson(per_hour, (n_sites, days, len(HOURS)))
    s_idx, d_idx, h_idx = np.nonzero(counts >= 0)
    reps = counts[s_idx, d_idx, h_idx]
    s = np.repeat(s_idx, reps)
    d = np.repeat(d_idx, reps)
    h = np.repeat(h_idx, reps)
    speed = base[s] + profile[h] + a[s, d] + sigma[s] * rng.standard_normal(s.size)
    start = pd.Timestamp("2024-05-05T22:00Z").value  # Monday 2024-05-06 00:00 local
    t = start + ((d * 24 + np.asarray(HOURS)[h]) * 3600 + rng.uniform(0, 3600, s.size)) * 1e9
    ids = np.array([f"S{i:03d}" for i in range(n_sites)])
    vehicles = pd.DataFrame({
        "site_id": pd.array(ids[s], dtype="str"),
        "time": pd.to_datetime(t.astype(np.int64), utc=True),
        "direction": pd.array(["1"] * s.size, dtype="str"),
        "speed": speed,
    })
    sites = pd.DataFrame({"site_id": ids, "street": ids, "speed_limit": LIMIT})
    su, hu = np.meshgrid(np.arange(n_sites), np.arange(len(HOURS)), indexing="ij")
    su, hu = su.ravel(), hu.ravel()
    mu = base[su] + profile[hu]
    total = np.sqrt(sigma[su] ** 2 + tau[su] ** 2)  # long-run spread of the hour of the week
    truth = pd.DataFrame({"site_id": ids[su], "hour_of_day": np.asarray(HOURS)[hu],
                          "true_mean": mu, "true_v85": mu + sps.norm.ppf(0.85) * total,
                          "true_share": sps.norm.sf((LIMIT - mu) / total)})
    return vehicles, sites, truth


def coverage(seed: int, day_sd: tuple[float, float]) -> tuple[dict[str, float], pd.DataFrame]:
    vehicles, sites, truth = simulate(seed, day_sd)
    res = speed_stats(vehicles, sites, by=("site_id", "weekday", "hour_of_day"))
    m = res.merge(truth, on=["site_id", "hour_of_day"])
    assert len(m) == len(res) == 7 * len(truth)

    def covers(col: str, true: str) -> float:
        return float(np.mean((m[f"{col}_lo"] <= m[true]) & (m[true] <= m[f"{col}_hi"])))

    return {"mean": covers("mean_speed", "true_mean"), "v85": covers("v85", "true_v85"),
            "share": covers("share_over_limit", "true_share")}, m


@pytest.mark.slow
def test_hour_of_week_intervals_cover_with_day_to_day_variation():
    # 200 sites x 21 hours of the week, 3 weeks, ~150 vehicles an hour, day SD 1-3 km/h
    cover, m = coverage(20261202, (1.0, 3.0))
    print("coverage with day SD 1-3 km/h:", cover)
    for name, c in cover.items():
        assert 0.90 <= c <= 0.99, (name, c)
    assert (m.interval_scope == "long_run").all()
    assert (m.n_days == 3).all()
    assert (m.design_effect > 2).mean() > 0.9  # 150 vehicles a day: the days dominate
    assert np.allclose(m.n_eff, m.n / m.design_effect)


@pytest.mark.slow
def test_hour_of_week_intervals_cover_without_day_variation():
    cover, m = coverage(7, (0.0, 0.0))
    print("coverage without day variation:", cover)
    for name, c in cover.items():
        assert 0.93 <= c <= 0.975, (name, c)
    assert m.design_effect.median() < 1.05


def test_one_date_is_an_interval_for_that_day():
    vehicles, sites, _ = simulate(3, (2.0, 2.0), n_sites=3, weeks=1)
    by_hour = speed_stats(vehicles, sites, by=("site_id", "hour_start"))
    assert (by_hour.interval_scope == "days_measured").all()
    assert (by_hour.design_effect == 1.0).all()
    one_week = speed_stats(vehicles, sites, by=("site_id", "weekday", "hour_of_day"))
    # every hour of the week measured on one date only: the day variance cannot be estimated
    assert (one_week.n_days == 1).all() and (one_week.interval_scope == "days_measured").all()
