"""The score of a site-hour: the value of one hour of police presence there.

The score is a sum of three non-negative terms, each monotone in its evidence,
so more speeding, more reckless driving or more reports never lower it:

``score = score_speed + score_reckless + score_reports``

score_speed (the power model)
    Nilsson's power model: injury crashes change with the ratio of speeds to
    the power 2, serious injuries 3, fatal crashes 4. A vehicle at speed ``v``
    on a street with limit ``L`` carries the excess risk
    ``f(v) = w_i ((v/L)**2 - 1) + w_s ((v/L)**3 - 1) + w_f ((v/L)**4 - 1)``
    over a vehicle at the limit (``weight_injury``, ``weight_serious``,
    ``weight_fatal``, default 1 each). The speed distribution above the limit
    comes from the statistics' shares over the limit and over +10, +20, +30
    km/h; each class counts at its midpoint (``L+5``, ``L+15``, ``L+25``) and
    the open top class at ``L+35``. With ``q`` the vehicles per hour
    (exposure),
    ``score_speed = q * sum_c (share_c - share_c+1) * f(v_c)``
    i.e. the expected excess risk passing per hour. A vehicle added over the
    limit in the same observed hours only adds; a vehicle made faster moves to
    a class with a larger ``f``.

    The term is not gated by the speeding flag: a lower 95 % limit can drop
    when a vehicle a little over the limit joins (it adds to ``n`` more than
    to the upper tail), so a score that switched with the flag could fall
    with more speeding. An ordinary rush hour on a busy 50 road therefore
    keeps a real, smaller score (on the Köping sample up to about a third of
    the planted buskörning nights); the ``flagged`` column says where the
    evidence survives its interval.
score_reckless
    ``reckless_weight`` (10) times reckless events per observed hour: extreme
    passes, lap passes, vehicles in slow groups and short headways at speed.
score_reports
    ``report_weight`` (10) times the smoothed report count of the site-hour.

Focus streets get no extra score (they are marked in the ``focus`` column).

Every row of the flags table has a score, flagged or not: the score values an
hour of presence, the flag says whether the evidence survives its interval.
A planner covers flagged rows and uses the score to choose among them.
Rates are per observed hour of the data, so adding a speeding vehicle within
the observed hours only adds to the score (the property tests check this).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from trafikplan.settings import FlagSettings

__all__ = ["excess_risk", "reckless_score", "report_score", "score", "speed_score"]

_CLASS_EDGES = (0.0, 10.0, 20.0, 30.0)
"""Lower edges of the classes over the limit [km/h above the limit]."""
_CLASS_MIDS = (5.0, 15.0, 25.0, 35.0)
"""Speed at which each class counts [km/h above the limit]."""


def excess_risk(speed: np.ndarray, limit: np.ndarray, settings: FlagSettings) -> np.ndarray:
    """Excess crash risk of a vehicle at ``speed`` over one at the limit (power model).

    Parameters
    ----------
    speed : ndarray [km/h]
        Speeds.
    limit : ndarray [km/h]
        Speed limits.
    settings : FlagSettings
        ``weight_injury``, ``weight_serious``, ``weight_fatal``.

    Returns
    -------
    ndarray
        ``w_i (r**2 - 1) + w_s (r**3 - 1) + w_f (r**4 - 1)`` with ``r = speed / limit``
        floored at 1 (no credit for driving slower), so never negative.
    """
    r = np.maximum(np.asarray(speed, dtype=float) / np.asarray(limit, dtype=float), 1.0)
    return (
        settings.weight_injury * (r**2 - 1)
        + settings.weight_serious * (r**3 - 1)
        + settings.weight_fatal * (r**4 - 1)
    )


def speed_score(df: pd.DataFrame, settings: FlagSettings) -> np.ndarray:
    """Power-model term of the score (see the module docstring).

    Parameters
    ----------
    df : DataFrame
        ``speed_limit`` [km/h], ``vehicles_per_hour`` [1/h], ``share_over_limit``,
        ``share_over_10``, ``share_over_20``, ``share_over_30`` [share].
    settings : FlagSettings
        The power-model weights.

    Returns
    -------
    ndarray
        Expected excess risk passing per hour, 0 where there is no speed data.
    """
    limit = df["speed_limit"].astype(float).to_numpy()
    q = np.nan_to_num(df["vehicles_per_hour"].astype(float).to_numpy(), nan=0.0)
    shares = [
        np.nan_to_num(df[c].astype(float).to_numpy(), nan=0.0)
        for c in ("share_over_limit", "share_over_10", "share_over_20", "share_over_30")
    ]
    total = np.zeros(len(df))
    for k, mid in enumerate(_CLASS_MIDS):
        upper = shares[k + 1] if k + 1 < len(shares) else 0.0
        in_class = np.clip(shares[k] - upper, 0.0, None)
        f = excess_risk(limit + mid, limit, settings)
        total += q * in_class * np.nan_to_num(f, nan=0.0)
    return total


def reckless_score(df: pd.DataFrame, settings: FlagSettings) -> np.ndarray:
    """Reckless term: ``reckless_weight`` x reckless events per observed hour.

    Parameters
    ----------
    df : DataFrame
        ``extreme_n``, ``lap_passes``, ``slow_group_vehicles``,
        ``short_headways_at_speed`` [events] and ``hours_observed`` [h].
    settings : FlagSettings
        ``reckless_weight``.

    Returns
    -------
    ndarray
        0 where there is no per-vehicle data.
    """
    events = sum(
        np.nan_to_num(df[c].astype(float).to_numpy(), nan=0.0)
        for c in ("extreme_n", "lap_passes", "slow_group_vehicles", "short_headways_at_speed")
    )
    hours = np.nan_to_num(df["hours_observed"].astype(float).to_numpy(), nan=0.0)
    rate = np.divide(events, hours, out=np.zeros(len(df)), where=hours > 0)
    return settings.reckless_weight * rate


def report_score(df: pd.DataFrame, settings: FlagSettings) -> np.ndarray:
    """Report term: ``report_weight`` x ``reports_smoothed``.

    Parameters
    ----------
    df : DataFrame
        ``reports_smoothed`` [reports].
    settings : FlagSettings
        ``report_weight``.

    Returns
    -------
    ndarray
        0 where there are no reports.
    """
    return settings.report_weight * np.nan_to_num(
        df["reports_smoothed"].astype(float).to_numpy(), nan=0.0
    )


def score(df: pd.DataFrame, settings: FlagSettings) -> pd.DataFrame:
    """All score terms and their sum.

    Parameters
    ----------
    df : DataFrame
        The evidence columns used by :func:`speed_score`, :func:`reckless_score`
        and :func:`report_score`.
    settings : FlagSettings
        Weights.

    Returns
    -------
    DataFrame
        Same index as ``df``: ``score_speed``, ``score_reckless``,
        ``score_reports`` and ``score`` (their sum), all float >= 0.
    """
    out = pd.DataFrame(index=df.index)
    out["score_speed"] = speed_score(df, settings)
    out["score_reckless"] = reckless_score(df, settings)
    out["score_reports"] = report_score(df, settings)
    out["score"] = out["score_speed"] + out["score_reckless"] + out["score_reports"]
    return out
