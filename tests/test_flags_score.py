"""Score: hand-computed values of the power model and monotonicity (hypothesis)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trafikplan.flags.score import excess_risk, score
from trafikplan.settings import FlagSettings

S = FlagSettings()


def _frame(**cols) -> pd.DataFrame:
    base = {
        "speed_limit": 50.0, "vehicles_per_hour": 100.0, "share_over_limit": 0.4,
        "share_over_10": 0.2, "share_over_20": 0.1, "share_over_30": 0.05,
        "extreme_n": 0, "lap_passes": 0, "slow_group_vehicles": 0,
        "short_headways_at_speed": 0, "hours_observed": 4, "reports_smoothed": 0.0,
    }
    base.update(cols)
    return pd.DataFrame({k: [v] if np.isscalar(v) else v for k, v in base.items()})


def test_excess_risk_is_the_power_model():
    # 60 km/h on a 50 road: ratio 1.2 -> 0.44 + 0.728 + 1.0736
    assert excess_risk(np.array([60.0]), np.array([50.0]), S)[0] == pytest.approx(2.2416)
    assert excess_risk(np.array([45.0]), np.array([50.0]), S)[0] == 0.0
    only_fatal = dataclasses.replace(S, weight_injury=0.0, weight_serious=0.0)
    assert excess_risk(np.array([60.0]), np.array([50.0]), only_fatal)[0] == pytest.approx(
        1.2**4 - 1)


def test_speed_score_by_hand():
    # classes 0.2 @ 55, 0.1 @ 65, 0.05 @ 75, 0.05 @ 85 km/h, 100 vehicles per hour
    f = {r: (r**2 - 1) + (r**3 - 1) + (r**4 - 1) for r in (1.1, 1.3, 1.5, 1.7)}
    expected = 100 * (0.2 * f[1.1] + 0.1 * f[1.3] + 0.05 * f[1.5] + 0.05 * f[1.7])
    out = score(_frame(), S)
    assert out["score_speed"].iloc[0] == pytest.approx(expected)
    assert expected == pytest.approx(161.746, abs=1e-3)
    assert out["score"].iloc[0] == pytest.approx(expected)


def test_reckless_and_report_terms_by_hand():
    out = score(_frame(extreme_n=4, lap_passes=20, slow_group_vehicles=8,
                       short_headways_at_speed=0, hours_observed=4,
                       reports_smoothed=3.5), S)
    assert out["score_reckless"].iloc[0] == pytest.approx(10.0 * 32 / 4)
    assert out["score_reports"].iloc[0] == pytest.approx(10.0 * 3.5)
    total = out[["score_speed", "score_reckless", "score_reports"]].sum(axis=1)
    assert out["score"].iloc[0] == pytest.approx(total.iloc[0])


def test_no_speed_data_scores_reports_only():
    out = score(_frame(speed_limit=np.nan, vehicles_per_hour=np.nan, share_over_limit=np.nan,
                       share_over_10=np.nan, share_over_20=np.nan, share_over_30=np.nan,
                       hours_observed=0, reports_smoothed=2.0), S)
    assert out["score_speed"].iloc[0] == 0.0
    assert out["score"].iloc[0] == pytest.approx(20.0)


shares = st.lists(st.floats(0.0, 1.0), min_size=4, max_size=4).map(
    lambda xs: sorted(xs, reverse=True))


@settings(max_examples=200, deadline=None)
@given(
    limit=st.sampled_from([30.0, 40.0, 50.0, 60.0, 70.0]),
    counts=st.lists(st.integers(0, 500), min_size=5, max_size=5),
    src=st.integers(0, 4),
    faster=st.integers(0, 4),
    moved=st.integers(0, 200),
    added=st.integers(0, 200),
    hours=st.integers(1, 8),
    reports=st.floats(0.0, 20.0),
    more_reports=st.floats(0.0, 20.0),
    reckless=st.lists(st.integers(0, 50), min_size=4, max_size=4),
    more_reckless=st.lists(st.integers(0, 50), min_size=4, max_size=4),
)
@pytest.mark.slow
def test_more_speeding_or_reports_never_lower_the_score(
    limit, counts, src, faster, moved, added, hours, reports, more_reports, reckless, more_reckless
):
    """Counts per class: at/below limit, +0-10, +10-20, +20-30, over +30 in ``hours`` hours.

    More speeding: ``moved`` vehicles of class ``src`` go up ``faster`` classes, ``added``
    vehicles over the limit join; more reports and more reckless events are added.
    """
    def frame(c, rep, rk):
        c = np.asarray(c, dtype=float)
        n = c.sum()
        share = [c[k:].sum() / n if n else np.nan for k in (1, 2, 3, 4)]
        return _frame(speed_limit=limit, vehicles_per_hour=n / hours,
                      share_over_limit=share[0], share_over_10=share[1],
                      share_over_20=share[2], share_over_30=share[3],
                      extreme_n=rk[0], lap_passes=rk[1], slow_group_vehicles=rk[2],
                      short_headways_at_speed=rk[3], hours_observed=hours,
                      reports_smoothed=rep)

    before = score(frame(counts, reports, reckless), S)["score"].iloc[0]
    c = list(counts)
    m = min(moved, c[src])
    c[src] -= m
    c[min(src + faster, 4)] += m
    c[1 + (added % 4)] += added
    rk = [a + b for a, b in zip(reckless, more_reckless, strict=True)]
    after = score(frame(c, reports + more_reports, rk), S)["score"].iloc[0]
    assert after >= before - 1e-9 * max(1.0, before)
    assert before >= 0.0


def test_focus_is_not_an_input_of_the_score():
    a = score(_frame(), S)
    b = score(_frame().assign(focus=True), S)
    pd.testing.assert_frame_equal(a, b)
