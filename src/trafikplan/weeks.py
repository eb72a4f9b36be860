"""ISO weeks as users type them: the one parser every command and stage uses.

``2024-W45``, ``2024W45``, ``2024-w5`` and ``2024W05`` all name ISO week 45 (or 5) of
2024; :func:`iso_week` returns the canonical ``YYYY-Www`` spelling that plan files,
the plan archive and calendars are keyed by, and :func:`week_bounds` the week's local
Monday-to-Monday interval.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pandas as pd

from trafikplan._errors import InputError

__all__ = ["iso_week", "week_bounds", "week_of"]

_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


def _monday(week: str) -> date:
    m = _WEEK.match(week.strip())
    if not m:
        raise InputError("err_week_not_iso", week=week, column="--week")
    year, num = int(m.group(1)), int(m.group(2))
    try:
        return date.fromisocalendar(year, num, 1)
    except ValueError:
        raise InputError("err_week_missing", num=num, year=year, week=week,
                         column="--week") from None


def iso_week(week: str) -> str:
    """Return the canonical ``YYYY-Www`` of a week the user typed.

    Parameters
    ----------
    week : str
        ``YYYY-Www``, ``YYYYWww`` or with a one-digit week, any case.

    Returns
    -------
    str
        ``YYYY-Www`` with a two-digit week.

    Raises
    ------
    InputError
        When ``week`` is not an ISO week or the year has no such week.
    """
    iso = _monday(week).isocalendar()
    return f"{iso[0]:04d}-W{iso[1]:02d}"


def week_bounds(week: str, tz: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Return the start and end of an ISO week in local time.

    Parameters
    ----------
    week : str
        As for :func:`iso_week`.
    tz : str
        IANA time zone.

    Returns
    -------
    (Timestamp, Timestamp)
        Monday 00:00 local and the next Monday 00:00 local, both tz-aware in ``tz``
        (a week with a daylight-saving change lasts 167 or 169 hours).
    """
    monday = _monday(week)
    zone = ZoneInfo(tz)
    start = datetime.combine(monday, time(0), tzinfo=zone)
    end = datetime.combine(monday + timedelta(days=7), time(0), tzinfo=zone)
    return pd.Timestamp(start), pd.Timestamp(end)


def week_of(ts: pd.Timestamp) -> str:
    """Return the ISO week ``YYYY-Www`` of a (local) time."""
    iso = ts.isocalendar()
    return f"{iso[0]:04d}-W{iso[1]:02d}"
