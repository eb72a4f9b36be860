"""Distances between sites and the ISO week of a plan."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from trafikplan._errors import InputError

EARTH_RADIUS_KM = 6371.0088
"""Mean Earth radius (IUGG) [km]."""

_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


def haversine_km(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Return the great-circle distance between every pair of points.

    Parameters
    ----------
    lat, lon : ndarray of float [deg]
        WGS 84 coordinates of n points.

    Returns
    -------
    ndarray of float, shape (n, n) [km]
        Haversine distance on a sphere of radius :data:`EARTH_RADIUS_KM`
        (within 0.5 % of the ellipsoidal distance: ample for travel times).
    """
    phi = np.radians(np.asarray(lat, dtype=float))
    lam = np.radians(np.asarray(lon, dtype=float))
    dphi = phi[:, None] - phi[None, :]
    dlam = lam[:, None] - lam[None, :]
    a = np.sin(dphi / 2) ** 2 + np.cos(phi)[:, None] * np.cos(phi)[None, :] * np.sin(dlam / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def parse_week(week: str, tz: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Return the start and end of an ISO week in local time.

    Parameters
    ----------
    week : str
        ``YYYY-Www`` (e.g. ``2024-W41``).
    tz : str
        IANA time zone.

    Returns
    -------
    (Timestamp, Timestamp)
        Monday 00:00 local and the next Monday 00:00 local, both tz-aware in
        ``tz`` (a week with a daylight-saving change lasts 167 or 169 hours).

    Raises
    ------
    InputError
        When ``week`` is not an ISO week.
    """
    m = _WEEK.match(week.strip())
    if not m:
        raise InputError(f"week {week!r} is not an ISO week; expected e.g. 2024-W41",
                         column="--week")
    year, num = int(m.group(1)), int(m.group(2))
    try:
        monday = date.fromisocalendar(year, num, 1)
    except ValueError:
        raise InputError(f"week {week!r} does not exist (year {year} has no week {num})",
                         column="--week") from None
    zone = ZoneInfo(tz)
    start = datetime.combine(monday, time(0), tzinfo=zone)
    end = datetime.combine(monday + timedelta(days=7), time(0), tzinfo=zone)
    return pd.Timestamp(start), pd.Timestamp(end)


def week_label(ts: pd.Timestamp) -> str:
    """Return the ISO week ``YYYY-Www`` of a (local) time."""
    iso = ts.isocalendar()
    return f"{iso[0]:04d}-W{iso[1]:02d}"
