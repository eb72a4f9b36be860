"""The plan's days and the deployment options: which counter group may go to which candidate when.

An *option* (:class:`Option`) is a candidate with a group of interchangeable
counters (same kind, same first available day) and the work days it may be
installed and removed on; :func:`deployment_value` is what a deployment of it
installed on a given day is worth (module docstring of
:mod:`trafikplan.plan.measurements`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import pandas as pd

from trafikplan.columns import table_rows
from trafikplan.settings import MeasurementSettings

__all__ = ["WEEKDAY_BONUS", "WEEK_BONUS", "Option", "counter_groups", "day_index", "day_pairs",
           "deployment_options", "deployment_value", "name_counters", "work_days"]

WEEK_BONUS = 10
"""Points for installing in one of the candidate's preferred ISO weeks of the year."""

WEEKDAY_BONUS = 5
"""Points for installing on the candidate's preferred weekday."""

def work_days(start: dt.date, weeks: int) -> np.ndarray:
    """Day indices (0 = ``start``) of the plan's work days.

    Parameters
    ----------
    start : datetime.date
        First local day.
    weeks : int [weeks]
        Plan length.

    Returns
    -------
    ndarray of int64
        Indices of the days that are Monday–Friday and no Swedish public
        holiday nor de facto holiday (``holidays.Sweden`` categories
        ``public`` and ``de_facto``: midsummer, Christmas and New Year's eves).
    """
    import holidays

    n = 7 * weeks
    days = [start + dt.timedelta(days=i) for i in range(n)]
    hol = holidays.Sweden(years=range(start.year, days[-1].year + 1),
                          categories=("public", "de_facto"))
    ok = [d.isoweekday() <= 5 and d not in hol for d in days]
    return np.flatnonzero(np.array(ok, dtype=bool)).astype(np.int64)


def day_index(d: dt.date | str | None, start: dt.date, default: int) -> int:
    """Return the day index of date ``d`` (0 = ``start``), ``default`` when ``d`` is empty."""
    if d is None or (not isinstance(d, dt.date) and pd.isna(d)):
        return default
    return (pd.Timestamp(d).date() - start).days


@dataclass
class Option:
    """A candidate (``cand``, its row) with a group of interchangeable ``counters``.

    ``starts`` and ``ends`` are the work days it may be installed and removed on,
    ``week_days`` and ``weekday_days`` the install days that earn the week and weekday
    bonus, ``value`` its points before the bonuses.
    """

    counters: tuple[str, ...]
    counter_kind: str
    cand: int
    value: int
    starts: np.ndarray
    ends: np.ndarray
    week_days: np.ndarray
    weekday_days: np.ndarray


def deployment_options(candidates: pd.DataFrame, fleet: pd.DataFrame, start: dt.date, weeks: int,
                       settings: MeasurementSettings, work: np.ndarray) -> list[Option]:
    """Return every (candidate, counter group) option that can fit the plan's days."""
    n_days = 7 * weeks
    lo, hi = settings.min_days, max(settings.max_days, settings.min_days)
    iso_week = np.array([(start + dt.timedelta(days=int(i))).isocalendar()[1] for i in work])
    iso_day = np.array([(start + dt.timedelta(days=int(i))).isoweekday() for i in work])
    pairs = []
    groups = counter_groups(fleet, start)
    for j, cand in enumerate(table_rows(candidates)):  # candidates x groups
        earliest = day_index(cand.earliest, start, 0)
        latest = day_index(cand.latest, start, n_days - 1)
        text = cand.prefer_weeks if isinstance(cand.prefer_weeks, str) else ""
        weeks_pref = {int(w) for w in text.split(";") if w.strip()}
        weekday_pref = int(cand.prefer_weekday) if pd.notna(cand.prefer_weekday) else 0
        for (kind, avail), names in groups.items():
            s_min = max(0, earliest, avail)
            e_max = min(n_days - 1, latest)
            starts = work[(work >= s_min) & (work <= e_max - lo)]
            ends = work[(work >= s_min + lo) & (work <= e_max)]
            if not len(starts) or not len(ends):
                continue
            gap = ends[None, :] - starts[:, None]
            fit = ((gap >= lo) & (gap <= hi))
            starts, ends = starts[fit.any(axis=1)], ends[fit.any(axis=0)]
            if not len(starts):
                continue
            sel = np.isin(work, starts)
            want = cand.counter_kind if isinstance(cand.counter_kind, str) else ""
            kind_ok = want in ("", kind)
            value = int(cand.priority) if kind_ok else int(cand.priority) // 2
            pairs.append(Option(
                counters=names, counter_kind=kind, cand=j, value=value,
                starts=starts, ends=ends,
                week_days=work[sel & np.isin(iso_week, list(weeks_pref))],
                weekday_days=work[sel & (iso_day == weekday_pref)],
            ))
    return pairs


def counter_groups(fleet: pd.DataFrame, start: dt.date) -> dict[tuple[str, int],
                                                                    tuple[str, ...]]:
    """Interchangeable counters: same kind and same first available day."""
    groups: dict[tuple[str, int], list[str]] = defaultdict(list)
    for c in table_rows(fleet):
        key = (str(c.kind), max(0, day_index(c.available_from, start, 0)))
        groups[key].append(str(c.counter))
    return {k: tuple(sorted(v)) for k, v in sorted(groups.items())}


def name_counters(chosen: list[tuple[Option, int, int]]) -> list[tuple[Option, int, int, str]]:
    """Give each deployment a counter of its group, by start day (interval colouring).

    Within a group at most ``len(counters)`` deployments overlap (the model's
    cumulative constraint), so taking deployments by install day and giving
    each the free counter with the smallest name never runs out (interval
    graphs are perfect).
    """
    free_from: dict[str, int] = {}
    out = []
    for p, s, e in sorted(chosen, key=lambda x: (x[1], x[2], x[0].cand)):
        name = next(c for c in p.counters if free_from.get(c, -1) <= s)
        free_from[name] = e
        out.append((p, s, e, name))
    return out


def deployment_value(pair: Option, s: int) -> int:
    """Return the points of a deployment of ``pair`` installed on day ``s``."""
    return (pair.value + (WEEK_BONUS if s in set(pair.week_days.tolist()) else 0)
            + (WEEKDAY_BONUS if s in set(pair.weekday_days.tolist()) else 0))


def day_pairs(p: Option, settings: MeasurementSettings) -> list[tuple[int, int]]:
    """All (install, removal) day pairs of one deployment option."""
    lo, hi = settings.min_days, max(settings.max_days, settings.min_days)
    out = []
    for s in p.starts.tolist():
        out += [(s, e) for e in p.ends[(p.ends >= s + lo) & (p.ends <= s + hi)].tolist()]
    return out
