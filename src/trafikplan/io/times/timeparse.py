"""Parsing a counter file's time strings: ``strftime`` formats and ISO 8601, vectorised.

Arrow's fast parsers first; odd values fall back to pandas. A time that
nanoseconds cannot hold (years before 1678 or from 2262) is unparsable, never
wrapped into another century. What the times mean (which clock) is
:mod:`trafikplan.io.times.timebase`'s concern.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["arrow_ns", "parse_iso", "parse_wall"]

_HAS_OFFSET = r"(Z|z|[+-]\d{2}(:?\d{2})?)$"


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
    return pd.Series(arrow_ns(parsed.cast(pa.timestamp("ns"))))


def arrow_ns(arr: pa.Array | pa.ChunkedArray) -> np.ndarray:
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
        return arrow_ns(pc.cast(values, target))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        strings = pd.Series(values.to_numpy(zero_copy_only=False), dtype=object)
        parsed = pd.to_datetime(strings, format="ISO8601", utc=utc, errors="coerce")
        if parsed.dt.tz is not None:
            parsed = parsed.dt.tz_convert("UTC").dt.tz_localize(None)
        # pandas reads years nanoseconds cannot hold (0224, 9999) at a coarser unit;
        # cast as they are, they would wrap around into another century
        parsed = parsed.where((parsed >= _NS_MIN) & (parsed < _NS_MAX))
        return parsed.to_numpy(dtype="datetime64[ns]")


def parse_iso(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """ISO 8601 strings -> (UTC or naive wall times as datetime64[ns], has_offset mask)."""
    empty = pc.equal(pc.utf8_length(values), 0)
    if pc.any(empty).as_py():  # rare: spares a copy of every string in the usual case
        values = pc.if_else(empty, pa.scalar(None, pa.string()), values)
    try:
        utc = arrow_ns(pc.cast(values, pa.timestamp("ns", "UTC")))
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

