"""Time bases of counter files: wall-clock or ISO times -> UTC.

A counter file's times are read in one of four bases (DESIGN.md):

``utc``
    Naive times are UTC.
``offset``
    ISO 8601 strings with an offset or ``Z``; a value without one is local wall
    time in the settings' time zone (and then handled as ``local``).
``local``
    Wall-clock time in the settings' time zone. A time in the spring-forward
    gap (e.g. 02:00-02:59 on 2024-03-31 in Europe/Stockholm) does not exist:
    it becomes NaT and is flagged so the reader sets the row aside with reason
    ``time_in_dst_gap``. A repeated fall-back time (02:00-02:59 on 2024-10-27)
    is resolved by file order: the first pass through the repeated hour is
    summer time; once the wall time goes backwards inside the repeated hour
    the clock has gone back, and that row and every later repeated time (of
    the same site, same night) are winter time.
``fixed+HH:MM`` / ``fixed-HH:MM``
    A fixed offset from UTC all year (Swedish normal time: ``fixed+01:00``).

Everything is vectorised. The strings are parsed by :mod:`trafikplan.io.times.timeparse`,
local wall times localised across daylight-saving changes by
:mod:`trafikplan.io.times.localize` (the fall-back rule, :class:`FoldState`); this
module applies the basis.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd
import pyarrow as pa

from trafikplan._errors import InputError
from trafikplan.io.times.localize import (
    FoldState,
    localize_wall,
    utc_series,
)
from trafikplan.io.times.timeparse import parse_iso, parse_wall

__all__ = [
    "ISO",
    "LOCAL_STANDARD",
    "fixed_offset",
    "standard_basis",
    "to_utc",
    "to_utc_first_format",
    "wall_to_utc",
]

ISO = "iso"
"""Time format name for ISO 8601 strings."""

_FIXED = re.compile(r"^fixed([+-])(\d{2}):(\d{2})$")

LOCAL_STANDARD = "local_standard"
"""Time basis of a device clock that keeps the zone's standard time all year (no DST)."""


def standard_basis(timezone: str) -> str:
    """Return ``fixed+HH:MM`` of the standard (non-DST) offset of ``timezone``.

    The standard offset is the smaller of the offsets on 1 January and 1 July
    (daylight saving adds to it in either hemisphere).
    """
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(timezone)
    offsets = [dt.datetime(2024, m, 1, tzinfo=zone).utcoffset() for m in (1, 7)]
    minutes = int(min(o for o in offsets if o is not None).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"fixed{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def fixed_offset(basis: str) -> pd.Timedelta:
    """Return the UTC offset of a ``fixed+HH:MM`` basis.

    Raises
    ------
    InputError
        ``basis`` is not of that form.
    """
    m = _FIXED.match(basis)
    if not m:
        raise InputError("err_basis_fixed", basis=basis)
    sign = 1 if m.group(1) == "+" else -1
    return sign * pd.Timedelta(hours=int(m.group(2)), minutes=int(m.group(3)))



def to_utc(
    values: pa.Array | pa.ChunkedArray,
    fmt: str,
    basis: str,
    timezone: str,
    *,
    groups: pd.Series | pa.Array | None = None,
    state: FoldState | None = None,
) -> tuple[pd.Series, np.ndarray]:
    """Parse time strings and convert them to UTC according to ``basis``.

    Parameters
    ----------
    values : pyarrow string array
        Raw time strings (surrounding spaces removed).
    fmt : str
        ``strftime``-style format, or ``"iso"`` for ISO 8601.
    basis : str
        ``"utc"``, ``"offset"``, ``"local"`` or ``"fixed+HH:MM"``.
    timezone : str
        The settings' time zone (for ``local`` and naive ``offset`` values).
    groups : Series or pyarrow Array, optional
        Site id per row, for the fall-back rule of local times.
    state : FoldState, optional
        Fall-back state carried over chunks of one file.

    Returns
    -------
    times : Series of datetime64[ns, UTC]
        NaT where unparsable or in the spring-forward gap.
    in_gap : ndarray of bool
        True where a local time falls in the spring-forward gap (the rest of
        the NaT are unparsable).
    """
    n = len(values)
    if fmt == ISO:
        parsed, has_offset = parse_iso(values)
        if has_offset.all():
            return pd.Series(parsed).dt.tz_localize("UTC"), np.zeros(n, dtype=bool)
        wall = pd.Series(np.where(has_offset, np.datetime64("NaT"), parsed))
        rest, gap = wall_to_utc(wall, basis, timezone, groups, state)
        if has_offset.any():
            merged = np.where(has_offset, parsed, _ns_of(rest))
            rest = utc_series(merged.view(np.int64))
        return rest, gap & ~has_offset
    return wall_to_utc(parse_wall(values, fmt), basis, timezone, groups, state)


def _ns_of(times: pd.Series) -> np.ndarray:
    """UTC-aware Series -> naive datetime64[ns] array in UTC, without Python objects."""
    return times.dt.as_unit("ns").array.asi8.view("datetime64[ns]")


def wall_to_utc(
    wall: pd.Series,
    basis: str,
    timezone: str,
    groups: pd.Series | pa.Array | None = None,
    state: FoldState | None = None,
) -> tuple[pd.Series, np.ndarray]:
    """Naive times read from a file -> UTC according to the time ``basis``.

    Parameters
    ----------
    wall : Series of datetime64[ns]
        Naive times in file order (NaT allowed).
    basis : str
        ``"utc"``, ``"local"``, ``"local_standard"`` (the time zone's
        standard time all year: a clock without daylight saving),
        ``"fixed+HH:MM"``, or ``"offset"`` (a time without an offset is local
        wall time).
    timezone : str
        The settings' time zone.
    groups : Series or pyarrow Array, optional
        Site id per row, for the fall-back rule of local times.
    state : FoldState, optional
        Fall-back state carried over chunks of one file.

    Returns
    -------
    times : Series of datetime64[ns, UTC]
        NaT where ``wall`` is NaT or in the spring-forward gap.
    in_gap : ndarray of bool
        True where a local time falls in the spring-forward gap.
    """
    wall = wall.reset_index(drop=True).astype("datetime64[ns]")
    no_gap = np.zeros(len(wall), dtype=bool)
    if basis == "utc":
        return wall.dt.tz_localize("UTC"), no_gap
    if basis == LOCAL_STANDARD:
        basis = standard_basis(timezone)
    if basis.startswith("fixed"):
        return (wall - fixed_offset(basis)).dt.tz_localize("UTC"), no_gap
    if basis in ("local", "offset"):
        return localize_wall(wall, timezone, groups=groups, state=state)
    raise InputError("err_basis_unknown", basis=basis)


def to_utc_first_format(
    text: list[str], formats: list[str], basis: str, tz: str,
) -> tuple[pd.Series, np.ndarray]:
    """Read each time with the first of ``formats`` that fits it.

    Parameters
    ----------
    text : list of str
        Raw times; ``""`` is missing.
    formats : list of str
        ``"iso"`` or ``strftime`` formats, tried in order (see :func:`to_utc`).
    basis : str
        Time basis (see :func:`to_utc`).
    tz : str
        IANA time zone of local wall-clock times.

    Returns
    -------
    times : Series of datetime64[ns, UTC]
        NaT where no format fits or the time is missing.
    in_gap : ndarray of bool
        Local times in the spring-forward gap (they do not exist).
    """
    n = len(text)
    times = pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns, UTC]")
    gap = np.zeros(n, dtype=bool)
    todo = np.array([v != "" for v in text], dtype=bool)
    for fmt in formats:
        if not todo.any():
            break
        idx = np.flatnonzero(todo)
        got, in_gap = to_utc(pa.array([text[i] for i in idx], type=pa.string()), fmt, basis, tz)
        got_np = got.to_numpy()
        ok = ~pd.isna(got_np)
        times.iloc[idx[ok]] = got_np[ok]
        gap[idx[in_gap]] = True
        todo[idx[ok | in_gap]] = False
    return times, gap
