"""The value of a set of checks (the objective of :mod:`trafikplan.plan.checks`).

Evaluated in floating point from the instance; the CP-SAT model uses the
same definition with integer-rounded values.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from trafikplan.columns import table_rows
from trafikplan.plan.checks.instance import Instance

__all__ = ["direct_coverage", "evaluate", "predictability", "site_direct"]


def site_direct(direct: np.ndarray, full_ok: np.ndarray, r: float) -> np.ndarray:
    """Return the multiplier (1 or ``r``) of each check at one site.

    Among the checks allowed full value (``full_ok``) the one with the
    largest direct value (the earliest on a tie: rows in time order) earns
    it in full; every other check at the site earns ``r`` times its value.
    """
    mult = np.full(len(direct), r, dtype=float)
    ok = np.flatnonzero(full_ok)
    if ok.size:
        mult[ok[np.argmax(direct[ok])]] = 1.0
    return mult


def evaluate(inst: Instance, sel: pd.DataFrame) -> pd.DataFrame:
    """Return the value each check earns, and the plan's total as their sum.

    Parameters
    ----------
    inst : Instance
        The week.
    sel : DataFrame
        Chosen checks: ``site, start, end`` (slots), ``direct`` [score x h],
        ``full_ok`` (bool).

    Returns
    -------
    DataFrame
        ``sel`` with ``mult`` (1 or repeat factor), ``direct_value``,
        ``halo_value`` [score x h] (its share of the distance-halo credit:
        a site-slot earns ``min(cap, W)`` of its value, ``W`` the sum of the
        weights of the running checks (each ``halo_w`` times the visit curve at
        the check's slot), split in proportion to the weights),
        ``halo_site`` (index of the site it earned most halo at, -1 if none)
        and ``value`` = direct_value + halo_value.
    """
    out = sel.copy().sort_values(["start", "site"], kind="stable")
    r = inst.rules.repeat_factor
    sites = out["site"].to_numpy()
    start, end = out["start"].to_numpy(), out["end"].to_numpy()
    direct = out["direct"].to_numpy(float)
    mult = np.full(len(out), r)
    # per site, the best check allowed full value earns it (the earliest on a tie)
    ok = np.flatnonzero(out["full_ok"].to_numpy(bool))
    if ok.size:
        order = ok[np.lexsort((ok, -direct[ok], sites[ok]))]
        first = np.r_[True, sites[order][1:] != sites[order][:-1]]
        mult[order[first]] = 1.0
    out["mult"] = mult
    out["direct_value"] = direct * mult

    n, t = inst.value.shape
    direct_cov = np.zeros((n, t), bool)
    total_w = np.zeros((n, t))
    curve = inst.visit
    halo_any = np.asarray(inst.halo_w.any(axis=1))
    for s, a, e in zip(sites, start, end, strict=True):
        direct_cov[s, a:e] = True
        if halo_any[s]:
            total_w[:, a:e] += np.outer(inst.halo_w[s], curve[:e - a])
    # capped sum: a site-slot earns min(cap, sum of weights) of its value, shared
    # among the running checks in proportion to their weights
    halo = np.zeros(len(out))
    halo_site = np.full(len(out), -1)
    rows = np.flatnonzero(halo_any[sites])
    if rows.size:
        lo, hi = int(start[rows].min()), int(end[rows].max())
        w_all = total_w[:, lo:hi]
        with np.errstate(divide="ignore", invalid="ignore"):
            per_weight = np.where(direct_cov[:, lo:hi] | (w_all <= 0), 0.0,
                                  np.minimum(inst.rules.distance_halo_cap, w_all)
                                  * inst.value[:, lo:hi] / w_all)
        for k in rows:
            s, a, e = sites[k], start[k], end[k]
            near = np.flatnonzero(inst.halo_w[s])
            w = np.outer(inst.halo_w[s, near], curve[:e - a])
            got = (w * per_weight[near, a - lo:e - lo]).sum(axis=1)
            halo[k] = got.sum()
            if got.max(initial=0.0) > 0:
                halo_site[k] = int(near[got.argmax()])
    out["halo_value"] = halo
    out["halo_site"] = halo_site
    out["value"] = out["direct_value"] + out["halo_value"]
    return out


def direct_coverage(inst: Instance, sel: pd.DataFrame) -> float:
    """Return the share of the week's flagged need that checks cover at their own site.

    The need is the flag score of every check spot's flagged local hours while any
    team is on duty (:attr:`Instance.need_score`, one hour each) [score x h]; an
    hour of a site counts as covered when a check runs at that site during some of
    it (presence in the hour, however short the visit).

    Parameters
    ----------
    inst : Instance
    sel : DataFrame
        Chosen checks ``site, start, end`` (slots).

    Returns
    -------
    float [1]
        Covered need / need (0 when there is no need).
    """
    per_hour = 60 // inst.step
    hours = inst.n_slots * inst.step // 60
    times = inst.t0 + pd.to_timedelta(np.arange(hours), unit="h")
    local = times.tz_convert(inst.settings.timezone)
    code = local.day_of_week.to_numpy() * 24 + local.hour.to_numpy()
    duty = np.zeros(hours, bool)
    for first, last in zip(inst.shifts["first"], inst.shifts["last"], strict=True):
        duty[first // per_hour:(last + per_hour - 1) // per_hour] = True
    hit = np.zeros((len(inst.site_ids), hours), bool)
    for row in table_rows(sel[["site", "start", "end"]]):
        hit[row.site, row.start // per_hour:(row.end + per_hour - 1) // per_hour] = True
    need = inst.need_score[:, code] * duty[None, :] * inst.check_spot[:, None]
    total = float(need.sum())
    return float((need * hit).sum() / total) if total > 0 else 0.0


def predictability(inst: Instance, sel: pd.DataFrame) -> float:
    """Return the share of the plan's site-hours checked in the recent earlier plans.

    A site-hour is a site and a local hour of the week (weekday, hour) in which
    a check runs; recent plans are those of the ``recency_weeks`` weeks before
    (:attr:`Instance.recent`). 0 = nothing repeats, 1 = every site-hour does.
    """
    if sel.empty:
        return 0.0
    times = inst.slot_time(np.arange(inst.n_slots)).tz_convert(inst.settings.timezone)
    code = times.day_of_week.to_numpy() * 24 + times.hour.to_numpy()
    used = {(int(s), int(c)) for s, a, e in zip(sel["site"].tolist(), sel["start"].tolist(),
                                                sel["end"].tolist(), strict=True)
            for c in np.unique(code[a:e])}
    return float(np.mean([inst.recent[s, c] for s, c in used]))
