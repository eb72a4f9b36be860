"""Check whether a counter's clock keeps daylight saving time as its profile says.

A counter file's profile declares the device clock (``time_basis``): local
time with daylight saving (``local``) or without it (``local_standard``,
``fixed+01:00``, ``utc``). A wrong declaration shifts every hour of the
summer half by one, silently. It shows in the traffic itself: the daily
profile (vehicles per local hour of the day) is the same shape on the days
before and after a clock change, unless the clock was declared wrongly, in
which case the profile after the change is one hour off.

:func:`clock_warning` compares the mean daily profile of the whole days
before a change with that of the whole days after it (both in local time
as read): when shifting the after-profile by one hour fits clearly better
than no shift (correlation higher by :data:`MIN_GAIN`, at least
:data:`MIN_CORRELATION`), the file's hours look like the other kind of
clock. At least :data:`MIN_DAYS` whole days on each side are needed; files
not spanning a change are not judged. It is a warning for a person, not a
correction: the import still reads the file as the profile says.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from trafikplan.i18n.phrase import Phrase
from trafikplan.io.times.localize import transitions

__all__ = ["MIN_CORRELATION", "MIN_DAYS", "MIN_GAIN", "add_hours", "clock_warning"]

MIN_DAYS = 2
"""Whole days of data needed on each side of a clock change."""
MIN_GAIN = 0.05
"""Correlation gained by the one-hour shift that counts as clearly better."""
MIN_CORRELATION = 0.8
"""Correlation the shifted profiles must reach."""

_NS_H = 3_600_000_000_000


def _profile(hours: np.ndarray, counts: np.ndarray, tz: str) -> tuple[np.ndarray, int]:
    """Mean vehicles per local hour of day over whole days, and the number of whole days."""
    local = pd.DatetimeIndex(hours.astype("datetime64[ns]"), tz="UTC").tz_convert(tz)
    day = local.normalize()
    frame = pd.DataFrame({"day": day, "hour": local.hour, "n": counts})
    per_day = frame.groupby("day")["hour"].nunique()
    whole = per_day[per_day >= 23].index  # 23 hours on the day of a change
    frame = frame[frame["day"].isin(whole)]
    prof = np.zeros(24)
    if len(frame):
        sums = frame.groupby("hour")["n"].sum()
        prof[sums.index.to_numpy()] = sums.to_numpy() / len(whole)
    return prof, len(whole)


def _corr(a: np.ndarray, b: np.ndarray) -> float:
    if a.std() == 0 or b.std() == 0:
        return float("nan")
    return float(np.corrcoef(a, b)[0, 1])


def clock_warning(hour_counts: dict[int, int], basis: str, tz: str) -> Phrase | None:
    """Say when a file's hours look like the other kind of clock than declared.

    Parameters
    ----------
    hour_counts : dict
        Vehicles per UTC hour as read: hour start [ns since epoch, UTC] -> count.
    basis : str
        The profile's ``time_basis``.
    tz : str
        The settings' time zone.

    Returns
    -------
    Phrase or None
        One line for people (worded with ``.text(language)``), or None (nothing to
        say, or too little data).
    """
    if not hour_counts or basis == "offset":
        return None
    hours = np.fromiter(hour_counts, dtype=np.int64, count=len(hour_counts))
    counts = np.fromiter(hour_counts.values(), dtype=np.float64, count=len(hour_counts))
    order = np.argsort(hours)
    hours, counts = hours[order], counts[order]
    at, _ = transitions(int(hours[0]), int(hours[-1]), tz)
    for change in at[(at > hours[0]) & (at < hours[-1])]:
        before = hours < change
        prof_a, days_a = _profile(hours[before], counts[before], tz)
        prof_b, days_b = _profile(hours[~before], counts[~before], tz)
        if min(days_a, days_b) < MIN_DAYS:
            continue
        plain = _corr(prof_a, prof_b)
        _, best = max(((s, _corr(prof_a, np.roll(prof_b, -s))) for s in (-1, 1)),
                          key=lambda x: x[1])
        if np.isnan(best) or best < MIN_CORRELATION or not best > plain + MIN_GAIN:
            continue
        date = pd.Timestamp(int(change), tz="UTC").tz_convert(tz).strftime("%Y-%m-%d")
        declared_dst = basis == "local"
        other = Phrase("warn_clock_no_dst" if declared_dst else "warn_clock_dst")
        return Phrase("warn_clock", date=date, plain=f"{plain:.2f}", best=f"{best:.2f}",
                      other=other, basis=basis)
    return None


def add_hours(into: dict[int, int], times_ns: np.ndarray, counts: np.ndarray | None = None
              ) -> None:
    """Add vehicles per UTC hour of ``times_ns`` [ns since epoch, UTC] to ``into``."""
    if len(times_ns) == 0:
        return
    hour = np.asarray(times_ns, dtype=np.int64) // _NS_H
    base = int(hour.min())
    n = np.bincount(hour - base, weights=None if counts is None
                    else np.asarray(counts, dtype=np.float64))  # O(n): no sort
    for k in np.flatnonzero(n).tolist():
        key = (base + k) * _NS_H
        into[key] = into.get(key, 0) + int(n[k])
