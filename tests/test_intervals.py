"""Intervals against hand-computed values and independent implementations."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from trafikplan.stats.intervals import (
    newcombe_difference,
    quantile_ranks,
    t_interval,
    wilson_interval,
    z_value,
)


def test_z_value_95():
    assert z_value(0.95) == pytest.approx(1.959964, abs=1e-6)


def test_t_interval_by_hand():
    # mean 50 km/h, sd 10, n 25: t(24, 0.975) = 2.063899 -> half width 4.127798
    lo, hi = t_interval(50.0, 10.0, 25)
    assert lo == pytest.approx(50 - 4.127798, abs=1e-5)
    assert hi == pytest.approx(50 + 4.127798, abs=1e-5)


def test_t_interval_against_scipy_vectorised():
    mean = np.array([31.2, 47.9, 58.0, 40.0])
    sd = np.array([4.0, 7.5, 9.1, 2.0])
    n = np.array([2, 30, 1000, 12])
    lo, hi = t_interval(mean, sd, n)
    for i in range(len(n)):
        elo, ehi = stats.t.interval(0.95, n[i] - 1, loc=mean[i], scale=sd[i] / np.sqrt(n[i]))
        assert lo[i] == pytest.approx(elo, rel=1e-10)
        assert hi[i] == pytest.approx(ehi, rel=1e-10)


def test_t_interval_nan_below_two():
    lo, hi = t_interval(np.array([50.0, 50.0]), np.array([np.nan, 3.0]), np.array([1, 0]))
    assert np.isnan(lo).all() and np.isnan(hi).all()


def test_wilson_by_hand_zero_successes():
    # k = 0, n = 10: upper limit z^2 / (n + z^2) = 3.8415 / 13.8415 = 0.27754
    lo, hi = wilson_interval(0, 10)
    assert lo == 0.0
    assert hi == pytest.approx(0.277540, abs=1e-5)


def test_wilson_nan_for_no_trials():
    lo, hi = wilson_interval(np.array([0, 3]), np.array([0, 10]))
    assert np.isnan(lo[0]) and np.isnan(hi[0])
    assert 0 < lo[1] < 0.3 < hi[1] < 1


@settings(max_examples=200, deadline=None)
@given(n=st.integers(1, 5000), frac=st.floats(0, 1))
def test_wilson_against_statsmodels(n, frac):
    k = round(frac * n)
    lo, hi = wilson_interval(k, n)
    elo, ehi = proportion_confint(k, n, alpha=0.05, method="wilson")
    assert lo == pytest.approx(elo, abs=1e-12)
    assert hi == pytest.approx(ehi, abs=1e-12)


@pytest.mark.parametrize(
    ("k1", "n1", "k2", "n2"),
    [(56, 70, 48, 80), (9, 10, 3, 10), (0, 25, 4, 30), (120, 400, 160, 420), (5, 5, 0, 7)],
)
def test_newcombe_against_statsmodels(k1, n1, k2, n2):
    diff, lo, hi = newcombe_difference(k1, n1, k2, n2)
    elo, ehi = confint_proportions_2indep(k1, n1, k2, n2, method="newcomb", compare="diff")
    assert diff == pytest.approx(k1 / n1 - k2 / n2)
    assert lo == pytest.approx(elo, abs=1e-10)
    assert hi == pytest.approx(ehi, abs=1e-10)


def test_newcombe_published_example():
    # Newcombe (1998), table II example (a): 56/70 vs 48/80 -> 0.0524 .. 0.3339
    _, lo, hi = newcombe_difference(56, 70, 48, 80)
    assert lo == pytest.approx(0.0524, abs=5e-4)
    assert hi == pytest.approx(0.3339, abs=5e-4)


def test_median_ranks_from_table():
    # classical table: n = 100, 95 % interval for the median = X(40) .. X(61)
    lo, hi, ok = quantile_ranks(100, 0.5)
    assert (int(lo), int(hi), bool(ok)) == (40, 61, True)


@pytest.mark.parametrize("q", [0.5, 0.85, 0.95])
def test_ranks_against_scipy_binomial(q):
    n = np.arange(1, 4000)
    lo, hi, ok = quantile_ranks(n, q)
    elo = stats.binom.ppf(0.025, n, q).astype(int)
    ehi = stats.binom.ppf(0.975, n, q).astype(int) + 1
    eok = (elo >= 1) & (ehi <= n)
    assert np.array_equal(ok, eok)
    assert np.array_equal(lo[ok], elo[ok])
    assert np.array_equal(hi[ok], ehi[ok])
    # coverage P(l <= B <= u - 1) >= 95 % wherever valid
    cover = stats.binom.cdf(hi - 1, n, q) - stats.binom.cdf(lo - 1, n, q)
    assert (cover[ok] >= 0.95 - 1e-12).all()


@pytest.mark.parametrize(("q", "n_min"), [(0.5, 6), (0.85, 23), (0.95, 72)])
def test_too_few_vehicles_rule(q, n_min):
    _, _, ok = quantile_ranks(np.array([n_min - 1, n_min]), q)
    assert list(ok) == [False, True]


@pytest.mark.parametrize("n", [23, 40, 157, 1000])
def test_ranks_match_scipy_quantile_test(n):
    rng = np.random.default_rng(n)
    x = rng.normal(48, 7, n)
    ci = stats.quantile_test(x, q=48, p=0.85).confidence_interval(0.95)
    lo, hi, ok = quantile_ranks(n, 0.85)
    xs = np.sort(x)
    assert ok
    assert xs[lo - 1] == ci.low
    assert xs[hi - 1] == ci.high


def test_ranks_for_large_counts():
    n = np.array([10_000, 123_457, 2_000_000])
    lo, hi, ok = quantile_ranks(n, 0.85)
    assert ok.all()
    assert np.array_equal(lo, stats.binom.ppf(0.025, n, 0.85).astype(int))
    assert np.array_equal(hi, stats.binom.ppf(0.975, n, 0.85).astype(int) + 1)
