"""The candidate checks of a week: which (team, shift, site, start, length) the planners see.

A check starts on the ``start_step_minutes`` grid or fits tightly
(:func:`start_allowed`); a site is a candidate in a shift when the pair ranks
among the best (:func:`best_pairs`); the planner's locked checks always stay.
Each candidate carries its own value (``direct``) and its uncapped halo value
(``halo``) along the visit curve.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from trafikplan._errors import InputError
from trafikplan.columns import table_rows
from trafikplan.plan.checks.shifts import Shift, shift_rows
from trafikplan.plan.checks.visit import visit_tables
from trafikplan.settings import CheckSettings

__all__ = ["CANDIDATE_COLUMNS", "best_pairs", "candidate_checks", "check_lengths",
           "start_allowed"]

CANDIDATE_COLUMNS = ("shift", "team", "site", "start", "length", "end", "direct", "halo",
                     "full_ok", "focus", "area", "locked")
"""Columns of :func:`candidate_checks` (``Instance.cand``)."""


def check_lengths(rules: CheckSettings) -> tuple[int, ...]:
    """Return the allowed check lengths [slots].

    ``min_minutes`` .. ``max_minutes`` by ``length_step_minutes``, in whole slots of
    ``step_minutes``.
    """
    step = rules.step_minutes
    if step <= 0:
        raise InputError("plan_err_step_minutes")
    by = rules.length_step_minutes
    return tuple(k for k in range(1, rules.max_minutes // step + 1)
                 if rules.min_minutes <= k * step <= rules.max_minutes
                 and (by <= 0 or (k * step - rules.min_minutes) % by == 0))


def start_allowed(starts: np.ndarray, length: int, sh: Shift, rules: CheckSettings,
                  step: int) -> np.ndarray:
    """Return which ``starts`` of a check of ``length`` slots in shift ``sh`` are allowed.

    A check starts on the ``start_step_minutes`` grid (quarter hours; slots count from
    Monday 00:00 local and local offsets are whole hours, so the grid is local time), or
    fits tightly: it starts at the shift's first slot or right after the break, or ends
    at the break, at the shift's last slot or on a full local hour. Every start when the
    grid is 0, no coarser than ``step_minutes`` or not a multiple of it.
    """
    every = rules.start_step_minutes
    if every <= step or every % step:
        return np.ones(starts.size, bool)
    ends = starts + length
    ok = (starts % (every // step) == 0) | (starts == sh.first) | (ends == sh.last)
    if 60 % step == 0:
        ok |= ends % (60 // step) == 0
    if sh.break_first >= 0:
        ok |= (starts == sh.break_last) | (ends == sh.break_first)
    return ok


def best_pairs(shift: np.ndarray, site: np.ndarray, worth: np.ndarray, n_shifts: int,
                n_sites: int, rules: CheckSettings) -> np.ndarray:
    """Return which (shift, site) pairs keep their candidates, as a (shifts, sites) mask.

    ``worth`` is each candidate's own value (direct + halo); a pair is worth its best
    candidate. A pair is kept when the shift is among the site's ``shifts_per_site``
    best or the site among the shift's ``sites_per_shift`` best (ties in index order);
    every pair when both are 0.
    """
    per_site, per_shift = rules.shifts_per_site, rules.sites_per_shift
    if per_site <= 0 and per_shift <= 0:
        return np.ones((n_shifts, n_sites), bool)
    best = np.full((n_shifts, n_sites), -np.inf)
    np.maximum.at(best, (shift, site), worth)
    keep = np.zeros_like(best, dtype=bool)
    for axis, top in ((0, per_site), (1, per_shift)):
        if top <= 0:
            continue
        order = np.argsort(-best, axis=axis, kind="stable")
        rank = np.argsort(order, axis=axis, kind="stable")
        keep |= rank < top
    return keep & np.isfinite(best)


def candidate_checks(shifts: pd.DataFrame, st: pd.DataFrame, value: np.ndarray,
                     halo_w: np.ndarray, visit: np.ndarray, lengths: tuple[int, ...],
                     prior: pd.DataFrame, rules: CheckSettings, step: int,
                     keep: list[tuple[str, int, int, int]] | None = None) -> pd.DataFrame:
    """Return the candidate checks of the week (columns :data:`CANDIDATE_COLUMNS`).

    ``keep`` lists ``(team, site, start, length)`` (slots) that stay candidates
    whatever the start rule and the pair ranking say (the planner's locked checks).
    """
    spots = np.flatnonzero(st["check_spot"].to_numpy())
    areas = st["area"].to_numpy()
    known = set(areas[spots])
    keep = keep or []
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
    for shift_no, sh in enumerate(shift_rows(shifts)):
        restricted = bool(sh.area) and sh.area in known
        hosts = spots[areas[spots] == sh.area] if restricted else spots
        for n_slots in lengths:
            starts = np.arange(sh.first, sh.last - n_slots + 1)
            if hosts.size == 0 or starts.size == 0:
                continue
            if sh.break_first >= 0:
                starts = starts[(starts >= sh.break_last) | (starts + n_slots <= sh.break_first)]
            allowed = start_allowed(starts, n_slots, sh, rules, step)
            wanted = {a for team, _, a, n in keep if team == sh.team and n == n_slots}
            if wanted:
                allowed |= np.isin(starts, sorted(wanted))
            site_grid, start_grid = np.meshgrid(hosts, starts[allowed], indexing="ij")
            parts.append((np.full(site_grid.size, shift_no), site_grid.ravel(),
                          start_grid.ravel(), np.full(site_grid.size, n_slots)))
    if not parts:
        return pd.DataFrame(columns=list(CANDIDATE_COLUMNS))
    k = np.concatenate([p[0] for p in parts])
    s = np.concatenate([p[1] for p in parts])
    a = np.concatenate([p[2] for p in parts])
    length = np.concatenate([p[3] for p in parts])
    teams, team_code = np.unique(shifts["team"].astype(str).to_numpy(), return_inverse=True)
    team = pd.Categorical.from_codes(team_code[k], categories=pd.Index(teams))
    forced = np.zeros(k.size, dtype=np.bool_)
    for t, site, start, n in keep:
        forced |= (np.asarray(team == t)) & (s == site) & (a == start) & (length == n)
    e = a + length
    direct, halo = np.zeros(k.size), np.zeros(k.size)
    by_length = visit_tables(value, visit, lengths)
    halo_by_length = visit_tables(halo_w @ value, visit, lengths)
    for n in lengths:
        on = length == n
        direct[on] = by_length[n][s[on], a[on]]
        halo[on] = halo_by_length[n][s[on], a[on]]
    full_ok = np.ones(k.size, dtype=np.bool_)
    ok = np.ones(k.size, dtype=np.bool_)
    if not prior.empty:
        gap_min = rules.min_hours_between_same_site * 60
        halo_min = rules.time_halo_hours * 60
        a_min, e_min = a * step, e * step
        for p in table_rows(prior):
            same = s == p.site
            ok &= ~(same & (a_min < p.end_min + gap_min) & (p.start_min < e_min + gap_min))
            full_ok &= ~(same & (p.start_min <= a_min) & (a_min - p.start_min < halo_min))
    focus = st["focus"].to_numpy()[s]
    ok &= (direct > 0) | (halo > 0) | focus
    pairs = best_pairs(k[ok], s[ok], (direct + halo)[ok], len(shifts), len(st), rules)
    ok &= pairs[k, s] | forced
    cand = pd.DataFrame({"shift": k[ok], "team": team[ok], "site": s[ok], "start": a[ok],
                         "length": length[ok], "end": e[ok], "direct": direct[ok],
                         "halo": halo[ok], "full_ok": full_ok[ok], "focus": focus[ok],
                         "area": areas[s[ok]], "locked": False})
    return cand.reset_index(drop=True)
