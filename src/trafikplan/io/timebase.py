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

Everything is vectorised; the fall-back rule looks only at the few rows
inside a repeated hour, and its state carries over from chunk to chunk of
one file through :class:`FoldState`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from trafikplan._errors import InputError

__all__ = [
    "ISO",
    "LOCAL_STANDARD",
    "FoldState",
    "fixed_offset",
    "localize_ns",
    "localize_wall",
    "parse_wall",
    "standard_basis",
    "to_utc",
    "to_utc_first_format",
    "transitions",
    "wall_to_utc",
]

ISO = "iso"
"""Time format name for ISO 8601 strings."""

_FIXED = re.compile(r"^fixed([+-])(\d{2}):(\d{2})$")
_HAS_OFFSET = r"(Z|z|[+-]\d{2}(:?\d{2})?)$"


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


def parse_wall(values: pa.Array | pa.ChunkedArray, fmt: str) -> pd.Series:
    """Parse strings with a ``strftime``-style format into naive times.

    Parameters
    ----------
    values : pyarrow string array
        The raw time strings (surrounding spaces already removed).
    fmt : str
        Format such as ``"%Y-%m-%d %H:%M:%S"`` or ``"%m/%d/%Y %I:%M:%S %p"``.

    Returns
    -------
    Series of datetime64[ns]
        Naive; NaT where a value does not fit the format.
    """
    parsed = pc.strptime(values, format=fmt, unit="s", error_is_null=True)
    seconds = parsed.cast(pa.int64())  # years nanoseconds cannot hold are unparsable
    fits = pc.and_(pc.greater(seconds, -9_000_000_000), pc.less(seconds, 9_000_000_000))
    # strptime reads 24:00 and a leap second 23:59:60 as the next midnight; counters
    # write neither
    fits = pc.and_(fits, pc.invert(pc.fill_null(pc.match_substring_regex(
        values, r"(?:^|[ T])(?:24:\d\d|\d\d:\d\d:60)"), False)))
    parsed = pc.if_else(fits, parsed, pa.scalar(None, parsed.type))
    return pd.Series(_ns(parsed.cast(pa.timestamp("ns"))))


def _ns(arr: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Arrow timestamps -> numpy datetime64[ns] (NaT for null), tz dropped (UTC)."""
    if arr.type.tz is not None:
        arr = arr.cast(pa.timestamp("ns"))
    return np.asarray(arr.to_numpy(zero_copy_only=False), dtype="datetime64[ns]")


_NS_MIN = pd.Timestamp("1678-01-01")
_NS_MAX = pd.Timestamp("2262-01-01")
"""Naive bounds of datetime64[ns]; a time outside is unparsable, never wrapped."""


def _cast_or_coerce(values: pa.Array, target: pa.DataType, *, utc: bool) -> np.ndarray:
    """Parse ISO strings with Arrow's fast cast; fall back to pandas for odd values."""
    try:
        return _ns(pc.cast(values, target))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        strings = pd.Series(values.to_numpy(zero_copy_only=False), dtype=object)
        parsed = pd.to_datetime(strings, format="ISO8601", utc=utc, errors="coerce")
        if parsed.dt.tz is not None:
            parsed = parsed.dt.tz_convert("UTC").dt.tz_localize(None)
        # pandas reads years nanoseconds cannot hold (0224, 9999) at a coarser unit;
        # cast as they are, they would wrap around into another century
        parsed = parsed.where((parsed >= _NS_MIN) & (parsed < _NS_MAX))
        return parsed.to_numpy(dtype="datetime64[ns]")


def _parse_iso(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """ISO 8601 strings -> (UTC or naive wall times as datetime64[ns], has_offset mask)."""
    empty = pc.equal(pc.utf8_length(values), 0)
    if pc.any(empty).as_py():  # rare: spares a copy of every string in the usual case
        values = pc.if_else(empty, pa.scalar(None, pa.string()), values)
    try:
        utc = _ns(pc.cast(values, pa.timestamp("ns", "UTC")))
        return utc, np.asarray(pc.is_valid(values).to_numpy(zero_copy_only=False), dtype=bool)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    has = pc.fill_null(pc.match_substring_regex(values, _HAS_OFFSET), False)
    mask = np.asarray(has.to_numpy(zero_copy_only=False), dtype=bool)
    null = pa.scalar(None, pa.string())
    out = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[ns]")
    if mask.any():
        with_offset = _cast_or_coerce(pc.if_else(has, values, null), pa.timestamp("ns", "UTC"),
                                      utc=True)
        out[mask] = with_offset[mask]
    if not mask.all():
        naive = _cast_or_coerce(pc.if_else(has, null, values), pa.timestamp("ns"), utc=False)
        out[~mask] = naive[~mask]
    return out, mask


@dataclass
class FoldState:
    """Fall-back resolution state carried from chunk to chunk of one file.

    Attributes
    ----------
    seen : dict
        ``(group, local date) -> (latest repeated wall time seen, clock went back)``.
    """

    seen: dict[tuple[object, object], tuple[pd.Timestamp, bool]] = field(default_factory=dict)


def _second_pass(
    wall: pd.Series,
    groups: pd.Series,
    state: FoldState,
) -> np.ndarray:
    """For repeated wall times (in file order), True where the clock went back.

    Parameters
    ----------
    wall : Series of datetime64[ns]
        The repeated (ambiguous) wall times, in file order.
    groups : Series
        Group key per row (site id); the rule is applied per group and night.
    state : FoldState
        Updated in place.
    """
    n = len(wall)
    if n == 0:
        return np.zeros(0, dtype=bool)
    frame = pd.DataFrame({
        "g": groups.to_numpy(), "d": wall.dt.normalize().to_numpy(),
        "w": wall.to_numpy(), "back0": False,
    })
    keys = pd.MultiIndex.from_frame(frame[["g", "d"]]).unique()
    prior = [
        {"g": g, "d": d, "w": state.seen[(g, d)][0], "back0": state.seen[(g, d)][1]}
        for g, d in keys if (g, d) in state.seen
    ]
    if prior:
        frame = pd.concat([pd.DataFrame(prior), frame], ignore_index=True)
    grouped = frame.groupby(["g", "d"], sort=False, dropna=False)
    prev_max = grouped["w"].cummax()
    prev_max = prev_max.groupby([frame["g"], frame["d"]], sort=False, dropna=False).shift(1)
    back = (frame["w"] < prev_max).fillna(False).astype(bool) | frame["back0"].astype(bool)
    went_back = back.groupby([frame["g"], frame["d"]], sort=False, dropna=False).cummax()
    last = frame.assign(m=grouped["w"].transform("max"), b=went_back).drop_duplicates(
        ["g", "d"], keep="last")
    for g, d, m, b in zip(last["g"], last["d"], last["m"], last["b"], strict=True):
        state.seen[(g, d)] = (m, bool(b))
    return went_back.to_numpy(dtype=bool)[len(prior):]


_NS_S = 1_000_000_000
_NS_DAY = 86_400 * _NS_S
_NAT = np.iinfo(np.int64).min


def _offsets(utc_ns: np.ndarray, timezone: str) -> np.ndarray:
    """UTC offsets [ns] of ``timezone`` at the UTC instants ``utc_ns`` [ns since epoch]."""
    aware = pd.DatetimeIndex(utc_ns.view("datetime64[ns]"), tz="UTC").tz_convert(timezone)
    return np.asarray(aware.tz_localize(None).asi8, dtype=np.int64) - utc_ns


def transitions(lo_ns: int, hi_ns: int, timezone: str) -> tuple[np.ndarray, np.ndarray]:
    """UTC offset changes of ``timezone`` around the wall times ``lo_ns .. hi_ns``.

    Offsets are sampled daily over the span (two days wider on each side) and
    every change is narrowed down to the second by bisection, vectorised over
    the changes. Zones change their offset at most once a day.

    Parameters
    ----------
    lo_ns, hi_ns : int [ns since epoch]
        First and last wall time.
    timezone : str
        IANA time zone.

    Returns
    -------
    at : ndarray of int64 [ns since epoch, UTC]
        The first instant of each new offset, ascending (often empty).
    offsets : ndarray of int64 [ns]
        ``len(at) + 1`` offsets: before the first change, then after each.
    """
    days = np.arange(lo_ns // _NS_DAY - 2, hi_ns // _NS_DAY + 3, dtype=np.int64) * _NS_DAY
    off = _offsets(days, timezone)
    change = np.flatnonzero(off[1:] != off[:-1])
    a, b = days[change], days[change + 1]  # offset(a) = old, offset(b) = new
    old = off[change]
    while len(a) and bool(((b - a) > _NS_S).any()):
        mid = a + (b - a) // 2 // _NS_S * _NS_S
        moved = _offsets(mid, timezone) == old
        a, b = np.where(moved, mid, a), np.where(moved, b, mid)
    return b, np.r_[off[:1], off[change + 1]]


def localize_ns(
    wall: np.ndarray,
    timezone: str,
    *,
    groups: pd.Series | pa.Array | None = None,
    state: FoldState | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Turn naive wall-clock times of ``timezone`` into UTC, vectorised.

    A lookup in the zone's offset changes near the data (:func:`transitions`):
    a wall time before a change's first possible wall time keeps the old
    offset, one after its last takes the new; in between it lies in a
    spring-forward gap (no such time) or in a repeated fall-back hour, which
    is resolved by file order (see the module docstring).

    Parameters
    ----------
    wall : ndarray of int64 [ns since epoch, naive]
        Local times in file order; ``int64`` minimum for NaT.
    timezone : str
        IANA time zone, e.g. ``"Europe/Stockholm"``.
    groups : Series or pyarrow Array, optional
        Group per row (site id) for the fall-back rule; one group if absent.
    state : FoldState, optional
        Carries the fall-back rule over chunks of one file.

    Returns
    -------
    utc : ndarray of int64 [ns since epoch, UTC]
        ``int64`` minimum (NaT) where ``wall`` is NaT or in the spring-forward gap.
    in_gap : ndarray of bool
        True where the wall time does not exist (spring-forward gap).
    """
    wall = np.asarray(wall, dtype=np.int64)
    n = len(wall)
    valid = wall != _NAT
    in_gap = np.zeros(n, dtype=bool)
    if not valid.any():
        return wall.copy(), in_gap
    lo, hi = int(wall[valid].min()), int(wall[valid].max())
    at, offsets = transitions(lo, hi, timezone)
    if len(at) == 0:
        return np.where(valid, wall - offsets[0], _NAT), in_gap
    old, new = offsets[:-1], offsets[1:]
    # wall-time edges of each change: [at + min(old, new), at + max(old, new))
    edges = np.column_stack([at + np.minimum(old, new), at + np.maximum(old, new)]).ravel()
    pos = np.searchsorted(edges, wall, side="right")
    inside = (pos % 2 == 1) & valid
    utc = np.where(valid, wall - offsets[(pos + 1) // 2], _NAT)
    if inside.any():
        rows = np.flatnonzero(inside)
        k = pos[rows] // 2
        gap = new[k] > old[k]
        in_gap[rows[gap]] = True
        utc[rows[gap]] = _NAT
        amb, k = rows[~gap], k[~gap]
        if len(amb):
            if groups is None:
                g = pd.Series(np.zeros(len(amb), dtype=np.int8))
            elif isinstance(groups, pa.Array | pa.ChunkedArray):
                g = pd.Series(groups.take(pa.array(amb)).to_pylist())
            else:
                g = pd.Series(pd.Series(groups).to_numpy()[amb])
            amb_wall = pd.Series(wall[amb].view("datetime64[ns]"))
            winter = _second_pass(amb_wall, g, state if state is not None else FoldState())
            utc[amb] = wall[amb] - np.where(winter, new[k], old[k])
    return utc, in_gap


def localize_wall(
    wall: pd.Series,
    timezone: str,
    *,
    groups: pd.Series | pa.Array | None = None,
    state: FoldState | None = None,
) -> tuple[pd.Series, np.ndarray]:
    """Turn naive wall-clock times of ``timezone`` into UTC (see :func:`localize_ns`).

    Parameters
    ----------
    wall : Series of datetime64[ns]
        Naive local times in file order (NaT allowed).
    timezone : str
        IANA time zone, e.g. ``"Europe/Stockholm"``.
    groups : Series or pyarrow Array, optional
        Group per row (site id) for the fall-back rule; one group if absent.
    state : FoldState, optional
        Carries the fall-back rule over chunks of one file.

    Returns
    -------
    times : Series of datetime64[ns, UTC]
        NaT where ``wall`` is NaT or in the spring-forward gap.
    in_gap : ndarray of bool
        True where the wall time does not exist (spring-forward gap).
    """
    wall = pd.Series(wall).reset_index(drop=True)
    if wall.dt.tz is not None:
        raise ValueError("localize_wall expects naive times")
    ns = np.asarray(wall.astype("datetime64[ns]").array.asi8, dtype=np.int64)
    utc, in_gap = localize_ns(ns, timezone, groups=groups, state=state)
    return _utc_series(utc), in_gap


def _utc_series(utc: np.ndarray) -> pd.Series:
    """int64 ns since epoch (int64 minimum = NaT) -> Series of datetime64[ns, UTC]."""
    return pd.Series(utc.view("datetime64[ns]")).dt.tz_localize("UTC")


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
        parsed, has_offset = _parse_iso(values)
        if has_offset.all():
            return pd.Series(parsed).dt.tz_localize("UTC"), np.zeros(n, dtype=bool)
        wall = pd.Series(np.where(has_offset, np.datetime64("NaT"), parsed))
        rest, gap = wall_to_utc(wall, basis, timezone, groups, state)
        if has_offset.any():
            merged = np.where(has_offset, parsed, _ns_of(rest))
            rest = pd.Series(merged).dt.tz_localize("UTC")
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
