"""Reasons: Swedish and English text that names its numbers, singular and plural."""

from __future__ import annotations

import numpy as np
import pandas as pd

from trafikplan.flags.reasons import build_reasons


def _row(**cols) -> pd.DataFrame:
    base = {
        "weekday": 6, "hour_of_day": 23, "speed_limit": 40.0,
        "v85": 58.2, "v85_lo": 55.4, "v85_hi": 61.0,
        "share_over_limit": 0.62, "share_over_limit_lo": 0.55, "share_over_limit_hi": 0.69,
        "share_over_20": 0.14, "n": 212.0, "n_days": 1.0,
        "extreme_n": 4, "extreme_fires": True,
        "lap_passes": 9, "lap_nights": 1, "laps_fire": True,
        "slow_groups": 2, "slow_groups_fire": True,
        "short_headways_at_speed": 6, "short_headways_fire": True,
        "night_excess": 9.4, "night_excess_lo": 6.1, "night_excess_fires": True,
        "reports_window_n": 1, "reports_by_category": "reckless:1",
        "measure_here": False,
    }
    base.update(cols)
    return pd.DataFrame({k: [v] for k, v in base.items()})


def test_swedish_reason_names_every_number():
    r = build_reasons(_row()).iloc[0]
    assert r == (
        "Lördagar 23–24: V85 58 km/h (55–61) på 40-väg, 62 % (55–69) över gränsen, "
        "14 % över +20 (n 212, 1 dag); 4 fordon över +30; "
        "9 snabba passager i varvkörning (1 natt); "
        "2 grupper långsamma fordon (A-traktor/moped); 6 tidluckor under 1 s över gränsen; "
        "natt-V85 9 km/h över dagtid (minst 6); 1 Embrace-rapport (1 buskörning) ±1 h"
    )


def test_english_reason_and_plurals():
    df = _row(n_days=4.0, lap_nights=3, reports_window_n=6,
              reports_by_category="speeding:2;reckless:3;noise:1", extreme_fires=False,
              slow_groups_fire=False, short_headways_fire=False, night_excess_fires=False)
    r = build_reasons(df, language="en", smoothing_hours=2).iloc[0]
    assert r == (
        "Saturdays 23–24: V85 58 km/h (55–61) on a 40 road, 62 % (55–69) over the limit, "
        "14 % over +20 (n 212, 4 days); 9 fast passes in laps (3 nights); "
        "6 Embrace reports (2 speeding, 3 reckless driving, 1 noise) ±2 h"
    )


def test_measure_here_without_speed_data():
    df = _row(weekday=1, hour_of_day=7, speed_limit=np.nan, v85=np.nan, v85_lo=np.nan,
              v85_hi=np.nan, share_over_limit=np.nan, share_over_limit_lo=np.nan,
              share_over_limit_hi=np.nan, share_over_20=np.nan, n=np.nan, n_days=np.nan,
              extreme_fires=False, laps_fire=False, slow_groups_fire=False,
              short_headways_fire=False, night_excess_fires=False, reports_window_n=3,
              reports_by_category="speeding:3", measure_here=True)
    assert build_reasons(df).iloc[0] == (
        "Måndagar 07–08: 3 Embrace-rapporter (3 fortkörning) ±1 h; "
        "inga hastighetsmätningar – mät här")


def test_too_few_vehicles_for_v85_shows_the_share_only():
    df = _row(v85=np.nan, v85_lo=np.nan, v85_hi=np.nan, n=15.0, share_over_20=0.0,
              extreme_fires=False, laps_fire=False, slow_groups_fire=False,
              short_headways_fire=False, night_excess_fires=False, reports_window_n=0,
              reports_by_category="")
    assert build_reasons(df).iloc[0] == (
        "Lördagar 23–24: 62 % (55–69) över gränsen på 40-väg (n 15, 1 dag)")
