"""The planning instance of one week: time grid, site values, candidate checks.

Shared by the CP-SAT model (:mod:`trafikplan.plan.checks.model`), the greedy
baseline (:mod:`trafikplan.plan.checks.greedy`), the local search and the bound, so
all plan on exactly the same data (the shifts from :mod:`~trafikplan.plan.checks.shifts`,
the candidate checks from :mod:`~trafikplan.plan.checks.candidates`). Everything is on a
grid of ``step_minutes`` slots counted from the week's start (Monday 00:00 local; whole
UTC hours, so slots of 30 or 60 minutes fall on local :00 and :30 also across a
daylight-saving change).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import overload

import numpy as np
import pandas as pd

from trafikplan._errors import InfeasiblePlanError, InputError
from trafikplan.columns import table_rows
from trafikplan.i18n import text
from trafikplan.plan.checks.candidates import candidate_checks, check_lengths
from trafikplan.plan.checks.geo import haversine_km
from trafikplan.plan.checks.shifts import prior_checks, recent_hours, roster_shifts
from trafikplan.plan.checks.visit import visit_curve
from trafikplan.settings import CheckSettings, Settings
from trafikplan.weeks import week_bounds

__all__ = ["AREA_SCALE", "FLAG_NEEDS", "Instance", "area_quota", "build_instance"]

FLAG_NEEDS = ("site_id", "street", "weekday", "hour_of_day", "score", "reason")
"""Flags columns the planner reads (the flags contract has more)."""


@dataclass
class Instance:
    """One week's planning data; arrays are indexed by site and by slot.

    Attributes
    ----------
    site_ids, street, area, section : ndarray of str
        Sites with coordinates that can host a check or earn value.
    speed_limit : ndarray of float [km/h]
        NaN when ``sites.csv`` has none.
    lat, lon : ndarray of float [deg]
    check_spot, focus : ndarray of bool
        Police can set up a check here / the street is a focus street.
    value : ndarray of float, shape (sites, slots) [score x h]
        Flag score of the slot's local hour times the slot's share of the hour,
        times ``1 - recency_penalty`` where the site-hour is in ``recent``.
    need_score : ndarray of float, shape (sites, 168) [score]
        The flag score of each site and local hour of the week that is flagged
        (the flags' ``flagged`` column; every positive score without it), before
        the recency penalty: the need :func:`trafikplan.plan.checks.value.direct_coverage`
        measures a plan against.
    recent : ndarray of bool, shape (sites, 168)
        Site and local hour of the week (``(weekday - 1) * 24 + hour``) checked by
        a check of an earlier plan that started in the ``recency_weeks`` weeks
        before the week.
    halo_w : ndarray of float, shape (sites, sites) [1]
        Partial credit a check at row site gives column site (0 on the diagonal,
        beyond the halo radius and, with ``distance_halo_same_street``, on other streets).
    visit : ndarray of float, shape (max length,) [1]
        Weight of the ``j``-th slot of a check: the visit curve
        ``0.5 ** (minutes since the start / visit_halflife_minutes)`` averaged over
        the slot (all 1 without a half-life). A check's direct value and its halo
        weights are multiplied by it.
    gap : ndarray of int, shape (sites, sites) [slots]
        Slots a team needs between the end of a check at row site and the
        start of its next check at column site (setup + travel, rounded up).
    same_site_gap : int [slots]
        Slots between the end of a check and the next start at the same site.
    shifts : DataFrame
        ``team, area, start, end`` (UTC), ``first, last`` (slots; the
        shift's grid slots are ``first <= t < last``) and ``break_first,
        break_last`` (the break's slots, -1 when none).
    cand : DataFrame
        Candidate checks ``shift, team, site, start, length, end`` (slots;
        site is an index into the site arrays), ``direct`` (own-site value along the
        visit curve [score x h]), ``halo`` (uncapped halo value if nothing else
        covered [score x h]), ``full_ok``
        (bool: no check in an earlier plan at this site started less than
        ``time_halo_hours`` before), ``focus``, ``area``, ``locked`` (bool: a
        check the planner keeps, :mod:`trafikplan.plan.edits`).
    need : dict of str to float
        Value of each reachable area's check spots during the week's shift
        hours (any team on duty) [score x h].
    area_q : dict of str to int
        Area rule in thousandths: ``1000 * minutes(area) >= q * minutes(all)``
        (see :func:`area_quota`).
    """

    settings: Settings
    week: str
    t0: pd.Timestamp
    t1: pd.Timestamp
    step: int
    n_slots: int
    site_ids: np.ndarray
    street: np.ndarray
    area: np.ndarray
    section: np.ndarray
    speed_limit: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    check_spot: np.ndarray
    focus: np.ndarray
    value: np.ndarray
    need_score: np.ndarray
    recent: np.ndarray
    halo_w: np.ndarray
    visit: np.ndarray
    dist: np.ndarray
    gap: np.ndarray
    same_site_gap: int
    lengths: tuple[int, ...]
    shifts: pd.DataFrame
    cand: pd.DataFrame
    need: dict[str, float]
    area_q: dict[str, int]
    prior: pd.DataFrame
    reasons: pd.DataFrame
    messages: list[str] = field(default_factory=list)

    @property
    def rules(self) -> CheckSettings:
        """The ``[checks]`` settings."""
        return self.settings.checks

    @overload
    def slot_time(self, slot: int) -> pd.Timestamp: ...

    @overload
    def slot_time(self, slot: np.ndarray) -> pd.DatetimeIndex: ...

    def slot_time(self, slot: np.ndarray | int) -> pd.DatetimeIndex | pd.Timestamp:
        """Return the UTC time at the start of ``slot`` (a slot or an array of slots)."""
        if isinstance(slot, int | np.integer):
            return self.t0 + pd.Timedelta(minutes=int(slot) * self.step)
        return pd.DatetimeIndex(self.t0 + pd.to_timedelta(np.asarray(slot) * self.step,
                                                          unit="min"))


def _site_table(sites: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    need = {"site_id", "street", "lat", "lon"}
    missing = need - set(sites.columns)
    if missing:
        raise InputError("plan_err_sites_lack", columns=", ".join(sorted(missing)))
    df = pd.DataFrame({
        "site_id": sites["site_id"].astype(str).to_numpy(),
        "street": sites["street"].astype(str).to_numpy(),
        "lat": pd.to_numeric(sites["lat"], errors="coerce").to_numpy(float),
        "lon": pd.to_numeric(sites["lon"], errors="coerce").to_numpy(float),
        "section": (sites["section"].astype(object).where(sites["section"].notna(), "")
                    .astype(str).to_numpy() if "section" in sites.columns
                    else np.full(len(sites), "")),
        "speed_limit": (pd.to_numeric(sites["speed_limit"], errors="coerce").to_numpy(float)
                        if "speed_limit" in sites.columns else np.full(len(sites), np.nan)),
        "area": (sites["area"].astype(object).where(sites["area"].notna(), "").astype(str)
                 .to_numpy() if "area" in sites.columns else np.full(len(sites), "")),
        "check_spot": (sites["check_spot"].fillna(False).astype(bool).to_numpy()
                       if "check_spot" in sites.columns else np.ones(len(sites), bool)),
    })
    df = df[np.isfinite(df["lat"]) & np.isfinite(df["lon"])]
    df = df.drop_duplicates("site_id").sort_values("site_id", kind="stable")
    focus = {s.casefold() for s in settings.focus_streets}
    df["focus"] = df["street"].str.casefold().isin(focus)
    return df.reset_index(drop=True)


def _hour_codes(t0: pd.Timestamp, n_hours: int, tz: str) -> tuple[np.ndarray, np.ndarray]:
    hours = (t0.tz_convert("UTC") + pd.to_timedelta(np.arange(n_hours), unit="h")).tz_convert(tz)
    return hours.day_of_week.to_numpy() + 1, hours.hour.to_numpy()


def build_instance(
    flags: pd.DataFrame,
    sites: pd.DataFrame,
    roster: pd.DataFrame,
    settings: Settings,
    week: str,
    *,
    prior: pd.DataFrame | None = None,
    keep: pd.DataFrame | None = None,
) -> Instance:
    """Build the planning instance of ``week``.

    Parameters
    ----------
    flags : DataFrame
        The flags table (``site_id, street, weekday, hour_of_day, score,
        reason``; ``focus`` marks focus streets too).
    sites : DataFrame
        ``site_id, street, lat, lon`` [deg], ``area``, ``check_spot``.
    roster : DataFrame
        ``team, start, end`` (tz-aware) and optional ``area``.
    settings : Settings
        ``[checks]``, ``timezone``, ``focus_streets``, ``language``.
    week : str
        ISO week ``YYYY-Www``.
    prior : DataFrame, optional
        Checks of earlier saved plans: ``site_id, start, end`` (tz-aware).
    keep : DataFrame, optional
        Checks ``team, site_id, start, end`` (tz-aware) that stay candidates whatever
        the start rule and the pair ranking (the planner's locked checks).

    Returns
    -------
    Instance

    Raises
    ------
    InfeasiblePlanError
        No shift in the week, no check spot, or rules that leave no check.
    """
    rules = settings.checks
    tz = settings.timezone
    missing = [c for c in FLAG_NEEDS if c not in flags.columns]
    if missing:
        raise InputError("plan_err_flags_lack", columns=", ".join(missing))
    lengths = check_lengths(rules)
    if not lengths:
        raise InfeasiblePlanError("plan_err_no_length", min_minutes=rules.min_minutes,
                                  max_minutes=rules.max_minutes, step_minutes=rules.step_minutes)
    start_local, end_local = week_bounds(week, tz)
    t0, t1 = start_local.tz_convert("UTC"), end_local.tz_convert("UTC")
    step = rules.step_minutes
    week_min = int((t1 - t0).total_seconds() // 60)
    n_slots = math.ceil(week_min / step)
    n_hours = week_min // 60

    st = _site_table(sites, settings)
    if not st["check_spot"].any():
        raise InfeasiblePlanError("plan_err_no_check_spots")
    n = len(st)
    index = pd.Series(np.arange(n), index=st["site_id"].to_numpy())

    # Flag score per site and hour of the week [score per hour].
    fl = flags[flags["site_id"].notna()]
    fl = fl[fl["site_id"].astype(str).isin(index.index)]
    code = ((fl["weekday"].astype(int).to_numpy() - 1) * 24
            + fl["hour_of_day"].astype(int).to_numpy())
    table = np.zeros((n, 168))
    sidx = index.loc[fl["site_id"].astype(str).tolist()].to_numpy()
    np.maximum.at(table, (sidx, code), np.clip(fl["score"].astype(float).to_numpy(), 0, None))
    if "focus" in fl.columns:
        flagged_focus = np.unique(sidx[fl["focus"].fillna(False).astype(bool).to_numpy()])
        st.loc[flagged_focus, "focus"] = True
    wd, hr = _hour_codes(t0, n_hours, tz)
    need_score = table.copy()
    if "flagged" in fl.columns:
        marked = np.zeros((n, 168), bool)
        np.logical_or.at(marked, (sidx, code), fl["flagged"].fillna(False).astype(bool).to_numpy())
        need_score = np.where(marked, need_score, 0.0)
    recent = recent_hours(prior, index, t0, rules, tz)
    table = np.where(recent, table * (1.0 - rules.recency_penalty), table)
    per_hour = table[:, (wd - 1) * 24 + hr]
    per_min = np.zeros((n, n_slots * step))
    per_min[:, : n_hours * 60] = np.repeat(per_hour / 60.0, 60, axis=1)
    value = per_min.reshape(n, n_slots, step).sum(axis=2)

    reasons = pd.DataFrame({
        "site": sidx, "code": code,
        "score": fl["score"].astype(float).to_numpy(),
        "reason": fl["reason"].astype(object).where(fl["reason"].notna(), "").astype(str)
        .to_numpy(),
    }).sort_values(["site", "code", "score"]).drop_duplicates(["site", "code"], keep="last")

    dist = haversine_km(st["lat"].to_numpy(), st["lon"].to_numpy())
    halo_w = np.where(dist <= rules.distance_halo_radius_km,
                      0.5 ** (dist / rules.distance_halo_km), 0.0)
    if rules.distance_halo_same_street:
        key = st["street"].str.casefold().to_numpy()
        halo_w = np.where(key[:, None] == key[None, :], halo_w, 0.0)
    np.fill_diagonal(halo_w, 0.0)
    visit = visit_curve(rules, max(lengths))
    travel_min = 60.0 * dist / rules.travel_kmh
    gap = np.ceil((rules.setup_minutes + travel_min) / step - 1e-9).astype(int)
    same_gap = math.ceil(rules.min_hours_between_same_site * 60 / step - 1e-9)

    shifts, messages = roster_shifts(roster, t0, t1, step, week, settings)
    prior_df = prior_checks(prior, index, t0, step)
    forced = []
    if keep is not None and len(keep):
        for lk in table_rows(keep):
            a = (pd.Timestamp(lk.start) - t0).total_seconds() / 60 / step
            begin, end = pd.Timestamp(lk.start), pd.Timestamp(lk.end)
            slots = (end - begin).total_seconds() / 60 / step
            if str(lk.site_id) in index.index and a == int(a) and slots == int(slots):
                forced.append((str(lk.team), int(index[str(lk.site_id)]), int(a),
                               int(slots)))
    cand = candidate_checks(shifts, st, value, halo_w, visit, lengths, prior_df, rules, step,
                       keep=forced)
    if cand.empty:
        raise InfeasiblePlanError("plan_err_no_check_fits", week=week,
                                  min_minutes=rules.min_minutes, max_minutes=rules.max_minutes)

    spots = st[st["check_spot"]]
    on_duty = np.zeros(n_slots, bool)
    for first, last in zip(shifts["first"], shifts["last"], strict=True):
        on_duty[first:last] = True
    need_by_area = value[spots.index.to_numpy()][:, on_duty].sum(axis=1)
    need = pd.Series(need_by_area, index=spots["area"].to_numpy()).groupby(level=0).sum()
    reachable = sorted(set(cand["area"]))
    for a in sorted(set(need.index) - set(reachable)):
        if need[a] > 0:
            messages.append(text("plan_msg_area_unreachable", settings.language, area=a or "-"))
    need = need.reindex(reachable, fill_value=0.0)
    return Instance(
        settings=settings, week=week, t0=t0, t1=t1, step=step, n_slots=n_slots,
        site_ids=st["site_id"].to_numpy(), street=st["street"].to_numpy(),
        area=st["area"].to_numpy(), section=st["section"].to_numpy(),
        speed_limit=st["speed_limit"].to_numpy(), lat=st["lat"].to_numpy(),
        lon=st["lon"].to_numpy(),
        check_spot=st["check_spot"].to_numpy(), focus=st["focus"].to_numpy(),
        value=value, need_score=need_score, recent=recent, halo_w=halo_w, visit=visit,
        dist=dist, gap=gap, same_site_gap=same_gap,
        lengths=lengths, shifts=shifts, cand=cand,
        need={str(k): float(v) for k, v in need.items()}, area_q=area_quota(need, rules),
        prior=prior_df, reasons=reasons,
        messages=messages,
    )


AREA_SCALE = 1000
"""Area shares are rounded up to thousandths in the area rule."""


def area_quota(need: pd.Series, rules: CheckSettings) -> dict[str, int]:
    """Return each area's minimum share of check minutes, in thousandths.

    ``q = ceil(1000 * (1 - area_share_slack) * need / total need)`` over the
    areas a shift can reach; empty when there is a single area or no need.
    """
    total = float(need.sum())
    if len(need) < 2 or total <= 0:
        return {}
    share = (1.0 - rules.area_share_slack) * need.to_numpy(float) / total
    q = np.ceil(share * AREA_SCALE - 1e-9).astype(int)
    return {str(a): int(v) for a, v in zip(need.index, q, strict=True) if v > 0}
