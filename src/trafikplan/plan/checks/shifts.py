"""The week's shifts and the checks of earlier plans, on the week's slot grid.

A team's overlapping or touching shifts are merged; a long shift gets its break
in the middle. Checks of earlier saved plans become slot times (the same-site
spacing and the time halo hold against them) and site-hours checked recently
(the recency penalty).
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from trafikplan._errors import InfeasiblePlanError, InputError
from trafikplan.columns import table_rows
from trafikplan.settings import CheckSettings, Settings

__all__ = ["Shift", "prior_checks", "recent_hours", "roster_shifts", "shift_rows"]


class Shift(NamedTuple):
    """One shift of ``Instance.shifts`` on the slot grid (break slots -1 without a break)."""

    team: str
    area: str
    first: int
    last: int
    break_first: int
    break_last: int


def shift_rows(shifts: pd.DataFrame) -> list[Shift]:
    """Return the shifts of :func:`roster_shifts`'s table as typed rows, in order."""
    return [Shift(str(t), str(a), int(f), int(la), int(bf), int(bl)) for t, a, f, la, bf, bl
            in zip(shifts["team"].tolist(), shifts["area"].tolist(), shifts["first"].tolist(),
                   shifts["last"].tolist(), shifts["break_first"].tolist(),
                   shifts["break_last"].tolist(), strict=True)]


def roster_shifts(roster: pd.DataFrame, t0: pd.Timestamp, t1: pd.Timestamp, step: int, week: str,
                  settings: Settings) -> tuple[pd.DataFrame, list[str]]:
    """Return the week's shifts on the slot grid (``Instance.shifts``) and notes.

    Raises
    ------
    InfeasiblePlanError
        No shift in the roster, or none in the week.
    InputError
        A team's overlapping shifts in different areas.
    """
    if roster is None or roster.empty:
        raise InfeasiblePlanError("plan_err_no_roster", week=week)
    start = pd.to_datetime(roster["start"], utc=True)
    end = pd.to_datetime(roster["end"], utc=True)
    inside = (end > t0) & (start < t1)
    if not inside.any():
        raise InfeasiblePlanError("plan_err_no_shifts_in_week", week=week)
    r = roster[inside.to_numpy()]
    # pandas-stubs types clip's bounds as numbers only; a Timestamp bound works
    s = start[inside].clip(lower=t0)  # type: ignore[call-overload]
    e = end[inside].clip(upper=t1)  # type: ignore[call-overload]
    mins_s = ((s - t0).dt.total_seconds() / 60).to_numpy()
    mins_e = ((e - t0).dt.total_seconds() / 60).to_numpy()
    area = (r["area"].astype(object).where(r["area"].notna(), "").astype(str).to_numpy()
            if "area" in r.columns else np.full(len(r), ""))
    out = pd.DataFrame({
        "team": r["team"].astype(str).to_numpy(),
        "area": area,
        "start": s.to_numpy(), "end": e.to_numpy(),
        "first": np.ceil(mins_s / step - 1e-9).astype(int),
        "last": np.floor(mins_e / step + 1e-9).astype(int),
    })
    out["start"] = pd.to_datetime(out["start"], utc=True)
    out["end"] = pd.to_datetime(out["end"], utc=True)
    out = out.sort_values(["team", "first", "last"], kind="stable").reset_index(drop=True)
    # A team's overlapping shifts are merged: a team can be at one place at a time.
    merged: list[dict[str, Any]] = []
    for team, grp in out.groupby("team", sort=True):
        cur: dict[str, Any] | None = None
        for row in table_rows(grp):
            if cur is not None and row.first <= cur["last"] and row.area == cur["area"]:
                cur["last"] = max(cur["last"], row.last)
                cur["end"] = max(cur["end"], row.end)
                continue
            if cur is not None and row.first < cur["last"]:
                raise InputError("plan_err_overlapping_shifts", path="roster.csv", team=team,
                                 area=cur["area"] or "-", other=row.area or "-")
            if cur is not None:
                merged.append(cur)
            cur = row._asdict()
        if cur is not None:
            merged.append(cur)
    out = pd.DataFrame(merged).reset_index(drop=True)
    rules = settings.checks
    b = math.ceil(rules.break_minutes / step - 1e-9)
    long = ((out["last"] - out["first"]) * step > rules.break_after_hours * 60) & (b > 0)
    first = out["first"] + (out["last"] - out["first"] - b) // 2
    out["break_first"] = np.where(long, first, -1)
    out["break_last"] = np.where(long, first + b, -1)
    return out, []


def prior_checks(prior: pd.DataFrame | None, index: pd.Series, t0: pd.Timestamp,
                 step: int) -> pd.DataFrame:
    """Return the earlier plans' checks at known sites, in minutes from ``t0``.

    Columns ``site`` (index into the site arrays), ``start_min``, ``end_min``.
    """
    cols = {"site": pd.Series(dtype=int), "start_min": pd.Series(dtype=float),
            "end_min": pd.Series(dtype=float)}
    if prior is None or prior.empty:
        return pd.DataFrame(cols)
    p = prior[prior["site_id"].astype(str).isin(index.index)]
    start = pd.to_datetime(p["start"], utc=True)
    end = pd.to_datetime(p["end"], utc=True)
    return pd.DataFrame({
        "site": index.loc[p["site_id"].astype(str).tolist()].to_numpy(),
        "start_min": ((start - t0).dt.total_seconds() / 60).to_numpy(),
        "end_min": ((end - t0).dt.total_seconds() / 60).to_numpy(),
    })


def recent_hours(prior: pd.DataFrame | None, index: pd.Series, t0: pd.Timestamp,
                 rules: CheckSettings, tz: str) -> np.ndarray:
    """Return (sites, 168): site-hours of the week checked in the recent earlier plans."""
    out = np.zeros((len(index), 168), bool)
    if prior is None or prior.empty or rules.recency_weeks <= 0:
        return out
    start = pd.to_datetime(prior["start"], utc=True)
    end = pd.to_datetime(prior["end"], utc=True)
    keep = ((start < t0) & (start >= t0 - pd.Timedelta(weeks=rules.recency_weeks))
            & prior["site_id"].astype(str).isin(index.index)).to_numpy()
    for sid, a, e in zip(prior["site_id"].astype(str).to_numpy()[keep], start[keep],
                         end[keep], strict=True):
        hours = pd.date_range(a.floor("h"), e, freq="h", inclusive="left").tz_convert(tz)
        out[index[sid], (hours.day_of_week.to_numpy()) * 24 + hours.hour.to_numpy()] = True
    return out
