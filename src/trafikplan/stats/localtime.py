"""UTC instants -> local grouping keys, vectorised and safe across daylight saving.

The keys every stage groups by (:data:`trafikplan.columns.STAT_KEYS`) are local:

* ``date`` : str, the local date ``YYYY-MM-DD``;
* ``hour_start`` : str, the start of the local hour as ISO 8601 with its UTC
  offset, e.g. ``2024-10-27T02:00:00+02:00``. On the autumn night the two
  02:00 hours are ``...T02:00:00+02:00`` and ``...T02:00:00+01:00``: different
  hours, never merged; on the spring night there is no 02:00 hour;
* ``weekday`` : int, 1 = Monday .. 7 = Sunday;
* ``hour_of_day`` : int, 0..23 (wall-clock hour; on the autumn night hour 2
  occurs twice, so it holds two hours of traffic).

Decision: ``hour_start`` is a string because every writer (CSV, Parquet,
XLSX, terminal) keeps it exactly and a reader sees the offset. Strings with
different offsets do not sort chronologically, so tables are sorted by the
instant (:func:`hour_table` keeps ``hour_start_utc``), never by the string.

The work is done once per distinct quarter hour of the data, not per row:
every real UTC offset is a multiple of 15 minutes, so the offset is constant
within each UTC quarter hour and rows only need an index into that grid.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["hour_codes", "hour_table", "iso_with_offset", "local_keys"]

_NS_Q = 15 * 60 * 1_000_000_000
_NS_H = 3600 * 1_000_000_000
_NS_D = 86400 * 1_000_000_000
_MAX_GRID = 20_000_000
"""Largest span of quarter hours handled by direct indexing (about 570 years)."""


def _utc_ns(times: Any) -> np.ndarray:
    """Return int64 nanoseconds since the epoch (UTC) of aware or int input."""
    if isinstance(times, np.ndarray) and times.dtype.kind in "iu":
        return times.astype(np.int64, copy=False)
    idx = pd.DatetimeIndex(times)
    if idx.tz is None:
        raise ValueError("times must be time-zone aware (UTC); naive times are ambiguous")
    return idx.tz_convert("UTC").as_unit("ns").asi8


def _offsets_ns(instants_ns: np.ndarray, tz: str) -> np.ndarray:
    """UTC offset [ns] in ``tz`` at each instant (vectorised over a small grid)."""
    idx = pd.DatetimeIndex(instants_ns.astype("datetime64[ns]")).tz_localize("UTC")
    wall = idx.tz_convert(tz).tz_localize(None).as_unit("ns").asi8
    return wall - instants_ns


def iso_with_offset(utc_ns: np.ndarray, offset_ns: np.ndarray) -> np.ndarray:
    """Format instants as local ISO 8601 with offset, ``YYYY-MM-DDTHH:MM:SS+HH:MM``.

    Parameters
    ----------
    utc_ns : ndarray of int64 [ns since epoch, UTC]
        The instants.
    offset_ns : ndarray of int64 [ns]
        UTC offset of each instant in the local time zone.

    Returns
    -------
    ndarray of str
    """
    if len(utc_ns) == 0:
        return np.zeros(0, dtype=object)
    wall = (utc_ns + offset_ns).astype("datetime64[ns]").astype("datetime64[s]")
    text = np.datetime_as_string(wall, unit="s")
    off_min = offset_ns // 60_000_000_000
    sign = np.where(off_min < 0, "-", "+")
    a = np.abs(off_min)
    hh = np.char.zfill((a // 60).astype(str), 2)
    mm = np.char.zfill((a % 60).astype(str), 2)
    out = np.char.add(np.char.add(np.char.add(text.astype(str), sign), np.char.add(hh, ":")), mm)
    return out.astype(object)


def hour_codes(times: Any, tz: str = "Europe/Stockholm") -> tuple[np.ndarray, pd.DataFrame]:
    """Local hour of each instant as an index into a table of distinct local hours.

    Parameters
    ----------
    times : array_like of datetime64[ns, UTC], or ndarray of int64 [ns since epoch, UTC]
        Instants (e.g. ``vehicles.time``).
    tz : str
        IANA time zone of the local keys.

    Returns
    -------
    codes : ndarray of int64
        Row of ``hours`` for each instant.
    hours : DataFrame
        One row per local hour from the first to the last instant (including
        hours without any instant), in chronological order, with the columns of
        :func:`hour_table` (no rows for no instants).
    """
    t = _utc_ns(times)
    if len(t) == 0:
        return np.zeros(0, dtype=np.int64), hour_table(np.zeros(0, dtype=np.int64), tz)
    tmin = (int(t.min()) // _NS_Q) * _NS_Q
    q = t - tmin
    q //= _NS_Q
    nq = int(q.max()) + 1 if len(q) else 0
    if nq <= _MAX_GRID:
        grid = tmin + np.arange(nq, dtype=np.int64) * _NS_Q
        qcode = q
    else:  # sparse data over a very long span: index only the used quarters
        uq, qcode = np.unique(q, return_inverse=True)
        grid = tmin + uq * _NS_Q
    off = _offsets_ns(grid, tz)
    hour_utc = ((grid + off) // _NS_H) * _NS_H - off
    starts, per_q = np.unique(hour_utc, return_inverse=True)
    return per_q[qcode], hour_table(starts, tz)


def hour_table(hour_start_utc: np.ndarray, tz: str = "Europe/Stockholm") -> pd.DataFrame:
    """Local keys of hour starts given as UTC instants.

    Parameters
    ----------
    hour_start_utc : ndarray of int64 [ns since epoch, UTC]
        Start instants of local hours.
    tz : str
        IANA time zone.

    Returns
    -------
    DataFrame
        ``hour_start_utc`` : int64 [ns since epoch, UTC], the instant (sort by this);
        ``offset_s`` : int64 [s], UTC offset of the hour;
        ``date`` : str, local date ``YYYY-MM-DD``;
        ``hour_start`` : str, ISO 8601 with offset;
        ``weekday`` : int64, 1 = Monday;
        ``hour_of_day`` : int64, 0..23.
    """
    h = np.asarray(hour_start_utc, dtype=np.int64)
    off = _offsets_ns(h, tz)
    wall = h + off
    days = wall // _NS_D
    return pd.DataFrame(
        {
            "hour_start_utc": h,
            "offset_s": off // 1_000_000_000,
            "date": np.datetime_as_string(days.astype("datetime64[D]"), unit="D").astype(object),
            "hour_start": iso_with_offset(h, off),
            # 1970-01-01 was a Thursday (ISO weekday 4).
            "weekday": ((days + 3) % 7 + 1).astype(np.int64),
            "hour_of_day": ((wall - days * _NS_D) // _NS_H).astype(np.int64),
        }
    )


def local_keys(times: Any, tz: str = "Europe/Stockholm") -> pd.DataFrame:
    """Local grouping keys of each instant.

    Parameters
    ----------
    times : Series or array_like of datetime64[ns, UTC]
        The instants (e.g. ``vehicles.time`` or ``reports.time``).
    tz : str
        IANA time zone (the settings' ``timezone``).

    Returns
    -------
    DataFrame
        Aligned with ``times`` (same index when a Series is given), columns
        ``date`` (str ``YYYY-MM-DD``), ``hour_start`` (str, ISO 8601 with
        offset), ``weekday`` (int, 1 = Monday), ``hour_of_day`` (int, 0..23).
    """
    index = times.index if isinstance(times, pd.Series) else None
    t = _utc_ns(times)
    cols = ["date", "hour_start", "weekday", "hour_of_day"]
    if len(t) == 0:
        return pd.DataFrame(
            {
                "date": pd.Series(dtype=object),
                "hour_start": pd.Series(dtype=object),
                "weekday": pd.Series(dtype=np.int64),
                "hour_of_day": pd.Series(dtype=np.int64),
            },
            index=index,
        )
    codes, hours = hour_codes(t, tz)
    out = {c: hours[c].to_numpy()[codes] for c in cols}
    return pd.DataFrame(out, index=index)
