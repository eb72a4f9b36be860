r"""Planning that keeps learning: the value of a site-hour from counters, reports and checks.

The check planner (:func:`trafikplan.plan.checks.plan_checks`) values one hour
of police presence at a site and local hour of the week by the flags table's
``score``. :func:`learning_value` returns the flags table with that ``score``
replaced by a value that also uses what earlier checks found and keeps
exploring site-hours with little evidence, so that the plan does not lock onto
the same few places.

The rule
--------
For site ``s`` and local hour of the week ``h``:

1. *What checks found* (hierarchical Beta shrinkage). With ``k, n`` the
   violations and vehicles checked (:func:`trafikplan.stats.outcomes.violation_rates`;
   a check counts for every hour it overlaps), ``p0`` the rate of all checks
   and ``m = [learning] prior_vehicles``:
   ``p_site = (k_s + m p0) / (n_s + m)``, ``p_sh = (k_sh + m p_site) / (n_sh + m)``
   (the posterior mean under a Beta prior of strength ``m`` centred on the
   level above). The *lift* is ``p_sh / p0`` clipped to
   ``[1 / max_lift, max_lift]``; 1 without any check.
2. *Exploit*: ``score_sh * lift`` -- the flags' score (counters and reports)
   times what the checks add. Monotone: more speeding, more reports or more
   violations found never lower it.
3. *Evidence* ``e_sh = checks_sh + counter_day_weight * n_days_sh`` [check
   units]: checks there, and days of counter data at that hour.
4. *Exploration* (upper-confidence style, as UCB1): at a check spot
   ``bonus = exploration_weight * R * sqrt((1 + ln(1 + T)) / (1 + e_sh))`` with
   ``R`` the reference score (the median positive flag score at check spots;
   1 when none) and ``T`` the number of checks done so far. The bonus is
   proportional to the width of a confidence interval (``1 / sqrt(evidence)``),
   so it vanishes as evidence grows; the slowly growing ``ln T`` makes a
   site-hour that is never visited worth a visit sooner or later. Check spots
   without any row in the flags table get all 168 hours with score 0 and the
   full bonus.
5. ``value = exploit + bonus`` becomes ``score``; the flags' own score is kept
   in ``score_flags``.

The measured time halo
----------------------
:func:`planner_halo` turns :func:`trafikplan.stats.halo.measure_halo` into the
planner's time-halo rule when ``[learning] halo_min_checks`` (10) checks with
counter data support its first window (0-24 h; the checks are the units of
the halo's interval, :mod:`trafikplan.stats.halo`): ``time_halo_hours`` = the
measured halo duration and
``repeat_factor`` = ``1 -`` the time-weighted mean of the remaining reduction
over the halo's windows (a check soon after another gains only what the first
one's halo has not already done). Otherwise the ``[checks]`` defaults stay.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from trafikplan.i18n import number, text
from trafikplan.settings import Settings
from trafikplan.stats.halo import HaloResult, halo_decay
from trafikplan.stats.outcomes import violation_rates

__all__ = ["LEARNING_COLUMNS", "PlannerHalo", "learning_value", "planner_halo",
           "with_planner_halo"]

LEARNING_COLUMNS = ("score_flags", "checks_n", "vehicles_checked", "violations",
                    "violation_rate_post", "lift", "evidence_units", "exploration", "value")
"""Columns :func:`learning_value` adds to the flags table."""

_KEYS = ["site_id", "weekday", "hour_of_day"]


def _short(value: float, language: str) -> str:
    """Return ``value`` with as few decimals as ``:g`` gives, in the language's number format."""
    return number(value, len(f"{value:g}".partition(".")[2]), language)


def _grid(sites: pd.DataFrame) -> pd.DataFrame:
    ids = sites["site_id"].astype(str).to_numpy()
    n = len(ids)
    return pd.DataFrame({"site_id": np.repeat(ids, 168),
                         "weekday": np.tile(np.repeat(np.arange(1, 8), 24), n),
                         "hour_of_day": np.tile(np.arange(24), 7 * n)})


def learning_value(
    flags: pd.DataFrame,
    checks_done: pd.DataFrame,
    sites: pd.DataFrame,
    settings: Settings,
) -> pd.DataFrame:
    """Return the flags table valued by counters, reports and earlier checks together.

    Parameters
    ----------
    flags : DataFrame
        The flags table (contract: ``site_id, street, area, speed_limit,
        weekday, hour_of_day, focus, score, flagged, kind, reason, n_days``
        ...).
    checks_done : DataFrame
        Completed checks (:mod:`trafikplan.io.user_tables.checks_done`: ``team, start,
        end, site_id, street, vehicles_checked, violations``); may be empty.
    sites : DataFrame
        The sites table (``site_id, street, area, speed_limit, check_spot``).
    settings : Settings
        ``[learning]`` (``exploration_weight``, ``counter_day_weight``,
        ``prior_vehicles``, ``max_lift``), ``timezone``, ``language``,
        ``focus_streets``.

    Returns
    -------
    DataFrame
        The flags rows (street-only rows unchanged) plus rows for every hour of
        check spots without a flags row, with ``score`` = ``value`` (the
        rule in the module docstring) and the columns of
        :data:`LEARNING_COLUMNS`: ``score_flags`` (the flags' score),
        ``checks_n`` [checks], ``vehicles_checked``, ``violations``
        [vehicles] at the site-hour, ``violation_rate_post`` [share, the
        shrunken rate; NaN without any check], ``lift`` [1],
        ``evidence_units`` [check units], ``exploration`` (the bonus, in score
        units), ``value`` (>= 0). ``reason`` tells when exploration dominates.
        Sorted by ``site_id, street, weekday, hour_of_day``.
    """
    ls = settings.learning
    st = sites.drop_duplicates("site_id").copy()
    st["site_id"] = st["site_id"].astype(str)
    spot = (st["check_spot"].fillna(False).astype(bool) if "check_spot" in st
            else pd.Series(True, index=st.index))
    spot_ids = set(st.loc[spot.to_numpy(), "site_id"])

    fl = flags.copy()
    fl["site_id"] = fl["site_id"].astype("string")
    at_site = fl["site_id"].notna()
    street_rows = fl[~at_site]
    fl = fl[at_site]
    have = pd.MultiIndex.from_frame(fl[_KEYS].astype({"site_id": str}))
    grid = _grid(st[st["site_id"].isin(spot_ids)])
    new = grid[~pd.MultiIndex.from_frame(grid).isin(have)]
    if len(new):
        info = st.set_index("site_id")
        focus = {s.casefold() for s in settings.focus_streets}
        add = pd.DataFrame({
            "site_id": new["site_id"].astype("string").to_numpy(),
            "street": new["site_id"].map(info["street"]).astype("string").to_numpy(),
            "weekday": new["weekday"].to_numpy(), "hour_of_day": new["hour_of_day"].to_numpy(),
            "score": 0.0, "flagged": False, "kind": "", "reason": "",
        })
        for c in ("area", "speed_limit"):
            if c in info:
                add[c] = new["site_id"].map(info[c]).to_numpy()
        add["focus"] = add["street"].str.casefold().isin(focus).fillna(False).astype(bool)
        fl = pd.concat([fl, add], ignore_index=True)
    fl = fl.reset_index(drop=True)
    score = fl["score"].fillna(0.0).clip(lower=0.0).to_numpy(float)

    # 1. what checks found: hierarchical shrinkage of the violation rate
    done = checks_done[checks_done["site_id"].notna()] if len(checks_done) else checks_done
    total_checks = len(checks_done)
    n_all = float(checks_done["vehicles_checked"].sum()) if total_checks else 0.0
    p0 = float(checks_done["violations"].sum()) / n_all if n_all > 0 else np.nan
    m = ls.prior_vehicles
    sh = pd.DataFrame(columns=[*_KEYS, "checks_n", "vehicles_checked", "violations"])
    if len(done):
        sh = violation_rates(done, settings)[[*_KEYS, "checks_n", "vehicles_checked",
                                              "violations"]]
        site_rates = violation_rates(done, settings, by=("site_id",))
    else:
        site_rates = pd.DataFrame(columns=["site_id", "vehicles_checked", "violations"])
    sh = sh.astype({"site_id": str})
    merged = fl[_KEYS].astype({"site_id": str}).merge(sh, on=_KEYS, how="left")
    checks_n = merged["checks_n"].fillna(0).to_numpy(float)
    n_sh = merged["vehicles_checked"].fillna(0).to_numpy(float)
    k_sh = merged["violations"].fillna(0).to_numpy(float)
    site_idx = site_rates.astype({"site_id": str}).set_index("site_id")
    ids = fl["site_id"].astype(str)
    n_s = ids.map(site_idx["vehicles_checked"]).fillna(0).to_numpy(float)
    k_s = ids.map(site_idx["violations"]).fillna(0).to_numpy(float)
    if np.isfinite(p0) and p0 > 0:
        p_site = (k_s + m * p0) / (n_s + m)
        p_sh = (k_sh + m * p_site) / (n_sh + m)
        lift = np.clip(p_sh / p0, 1.0 / ls.max_lift, ls.max_lift)
        post = np.where(n_s > 0, p_sh, p0)
    else:
        lift = np.ones(len(fl))
        post = np.full(len(fl), p0 if np.isfinite(p0) else np.nan)
    exploit = score * lift

    # 3.-4. evidence and the exploration bonus
    n_days = (pd.to_numeric(fl["n_days"], errors="coerce").fillna(0).to_numpy(float)
              if "n_days" in fl else np.zeros(len(fl)))
    evidence = checks_n + ls.counter_day_weight * n_days
    ref_rows = flags[flags["site_id"].astype("string").isin(spot_ids).fillna(False)]
    positive = ref_rows["score"].to_numpy(float)
    positive = positive[np.isfinite(positive) & (positive > 0)]
    ref = float(np.median(positive)) if positive.size else 1.0
    is_spot = ids.isin(spot_ids).to_numpy()
    bonus = np.where(is_spot, ls.exploration_weight * ref
                     * np.sqrt((1.0 + np.log1p(total_checks)) / (1.0 + evidence)), 0.0)

    out = fl.copy()
    out["score_flags"] = score
    out["checks_n"] = checks_n.astype(np.int64)
    out["vehicles_checked"] = n_sh.astype(np.int64)
    out["violations"] = k_sh.astype(np.int64)
    out["violation_rate_post"] = post
    out["lift"] = lift
    out["evidence_units"] = evidence
    out["exploration"] = bonus
    out["value"] = exploit + bonus
    out["score"] = out["value"]
    explore = bonus > exploit
    reason = out["reason"].astype("string").fillna("")
    note = pd.Series(
        [text("plan_msg_little_evidence", settings.language, checks=int(c),
              days=_short(d, settings.language))
         for c, d in zip(checks_n[explore], n_days[explore], strict=True)],
        index=out.index[explore], dtype="string")
    sep = np.where(reason[explore] != "", "; ", "")
    reason.loc[explore] = reason[explore] + sep + note
    out["reason"] = reason
    if len(street_rows):
        street_rows = street_rows.copy()
        street_rows["score_flags"] = street_rows["score"]
        street_rows["value"] = street_rows["score"]
        for c, fill in (("checks_n", 0), ("vehicles_checked", 0), ("violations", 0),
                        ("violation_rate_post", np.nan), ("lift", 1.0),
                        ("evidence_units", 0.0), ("exploration", 0.0)):
            street_rows[c] = fill
        out = pd.concat([out, street_rows], ignore_index=True)
    return out.sort_values(["site_id", "street", "weekday", "hour_of_day"], kind="stable",
                           na_position="last", ignore_index=True)


@dataclass(frozen=True)
class PlannerHalo:
    """The time-halo rule the check planner should use.

    Attributes
    ----------
    hours : float [h]
        ``[checks] time_halo_hours`` to use.
    repeat_factor : float [1]
        ``[checks] repeat_factor`` to use.
    measured : bool
        True when the values come from the measured halo.
    checks_used : int
        Checks with counter data behind the measurement of the first window.
    decay : DataFrame
        :func:`trafikplan.stats.halo.halo_decay` (empty when not measured).
    note : str
        One line for the plan's messages (Swedish or English).
    """

    hours: float
    repeat_factor: float
    measured: bool
    checks_used: int
    decay: pd.DataFrame
    note: str


def planner_halo(result: HaloResult | None, settings: Settings) -> PlannerHalo:
    """Choose the planner's time halo: measured when the evidence suffices, else the default.

    Parameters
    ----------
    result : HaloResult or None
        :func:`trafikplan.stats.halo.measure_halo` (None: nothing measured).
    settings : Settings
        ``[checks] time_halo_hours, repeat_factor``, ``[learning] halo_min_checks``.

    Returns
    -------
    PlannerHalo
        Measured: ``hours`` = the measured halo duration [h] and ``repeat_factor``
        = 1 - the time-weighted mean of ``remaining`` over the halo's windows
        (module docstring). Not measured: the ``[checks]`` values.
    """
    rules = settings.checks
    used = 0
    if result is not None and len(result.pooled):
        used = int(result.pooled["checks_n"].iloc[0])  # checks behind the first window
    if result is None or used < settings.learning.halo_min_checks:
        return PlannerHalo(
            hours=rules.time_halo_hours, repeat_factor=rules.repeat_factor, measured=False,
            checks_used=used, decay=pd.DataFrame(columns=["from_hours", "to_hours", "remaining"]),
            note=text("plan_msg_halo_default", settings.language,
                      hours=_short(rules.time_halo_hours, settings.language),
                      checks=used))
    decay = halo_decay(result)
    inside = decay[decay["to_hours"] <= result.halo_hours]
    if len(inside):
        width = (inside["to_hours"] - inside["from_hours"]).to_numpy(float)
        mean_remaining = float((inside["remaining"].to_numpy(float) * width).sum() / width.sum())
    else:
        mean_remaining = 0.0
    factor = float(np.clip(1.0 - mean_remaining, 0.0, 1.0))
    return PlannerHalo(
        hours=float(result.halo_hours), repeat_factor=factor, measured=True, checks_used=used,
        decay=decay,
        note=text("plan_msg_halo_measured", settings.language,
                  hours=_short(result.halo_hours, settings.language), checks=used,
                  factor=number(factor, 2, settings.language)))


def with_planner_halo(settings: Settings, halo: PlannerHalo) -> Settings:
    """Return ``settings`` with ``[checks] time_halo_hours`` and ``repeat_factor`` from ``halo``."""
    checks = dataclasses.replace(settings.checks, time_halo_hours=halo.hours,
                                 repeat_factor=halo.repeat_factor)
    return dataclasses.replace(settings, checks=checks)
