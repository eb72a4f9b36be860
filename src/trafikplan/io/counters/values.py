"""From the Arrow columns of a counter file to typed values.

Numbers, texts, vehicle classes, sites and directions, times.

Part of :mod:`trafikplan.io.counters`.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from trafikplan import columns as cols
from trafikplan.i18n.phrase import Phrase
from trafikplan.io.counters.block_parse import UTC, WALL, Typing, dictionary_encode
from trafikplan.io.counters.layout import Layout
from trafikplan.io.profiles.profile import Profile
from trafikplan.io.times.clockcheck import clock_warning
from trafikplan.io.times.localize import FoldState
from trafikplan.io.times.timebase import ISO, to_utc, wall_to_utc
from trafikplan.io.times.timeparse import parse_wall
from trafikplan.settings import Settings

__all__ = [
    "BLOCK_BYTES",
    "BLOCK_BYTES_PER_ROW",
    "CLOCK_SAMPLE",
    "VALUE_CHARS",
    "ReadState",
    "RejectCounter",
    "arrow_strings",
    "column_times",
    "const_dictionary",
    "const_series",
    "parse_numbers",
    "rejects_frame",
    "site_and_direction",
    "strip_values",
    "typing_of",
    "unknown_sites",
    "vehicle_classes",
]


BLOCK_BYTES = 16 << 20
"""Raw bytes parsed at a time (cut at a line end)."""

BLOCK_BYTES_PER_ROW = 64
"""Raw bytes per row of ``chunk_rows`` when a small chunk size caps the block size."""

_NUMBER = r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$"
_INTEGER = r"^[+-]?\d+$"
VALUE_CHARS = 200
CLOCK_SAMPLE = 100_000
"""Vehicles per chunk counted for the clock check (every k-th when there are more)."""
_MIDNIGHT = r"(^|[ T])24[:.]00(?:[:.]00)?$"
_NS_S = 1_000_000_000




def strip_values(arr: pa.Array, profile: Profile) -> pa.Array:
    """Return the values with the profile's surrounding characters stripped."""
    if not profile.strip_fields:
        return arr
    if pa.types.is_dictionary(arr.type):
        arr = _dict(arr)
        return pa.DictionaryArray.from_arrays(arr.indices, pc.utf8_trim_whitespace(arr.dictionary))
    return pc.utf8_trim_whitespace(arr) if pa.types.is_string(arr.type) else arr


def parse_numbers(arr: pa.Array, decimal: str, *, integer: bool = False
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Parse text to numbers, vectorised (numbers of a typed block pass through).

    Returns
    -------
    values : ndarray of float64
        NaN where empty or unparsable.
    empty : ndarray of bool
        The field is empty.
    bad : ndarray of bool
        The field is not empty and not a number.
    """
    n = len(arr)
    if pa.types.is_floating(arr.type):  # typed block: null = empty field
        values = np.asarray(arr.to_numpy(zero_copy_only=False), dtype=np.float64)
        empty = (np.asarray(pc.is_null(arr).to_numpy(zero_copy_only=False), dtype=bool)
                 if arr.null_count else np.zeros(n, dtype=bool))
        return values, empty, np.zeros(n, dtype=bool)
    empty_arr = pc.equal(pc.utf8_length(arr), 0)
    if pc.any(empty_arr).as_py():
        empty = np.asarray(empty_arr.to_numpy(zero_copy_only=False), dtype=bool)
        arr = pc.if_else(empty_arr, pa.scalar(None, pa.string()), arr)
    else:
        empty = np.zeros(n, dtype=bool)
    if decimal == ",":
        arr = pc.replace_substring(arr, ",", ".")
    target = pa.int64() if integer else pa.float64()
    try:
        values = pc.cast(arr, target)
        bad = np.zeros(n, dtype=bool)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        ok = pc.fill_null(pc.match_substring_regex(arr, _INTEGER if integer else _NUMBER), False)
        if integer:  # at most 18 digits: anything longer cannot be an int64 count
            ok = pc.and_(ok, pc.less_equal(pc.utf8_length(pc.fill_null(arr, "")), 18))
        bad = ~np.asarray(ok.to_numpy(zero_copy_only=False), dtype=bool) & ~empty
        values = pc.cast(pc.if_else(ok, arr, pa.scalar(None, pa.string())), target)
    out = np.asarray(values.to_numpy(zero_copy_only=False), dtype=np.float64)
    return out, empty, bad


def _empty_mask(arr: pa.Array) -> np.ndarray | None:
    """Rows where ``arr`` is empty, or None when there are none (the usual case)."""
    if pa.types.is_dictionary(arr.type):
        arr = _dict(arr)
        empty = np.asarray(pc.equal(pc.utf8_length(arr.dictionary), 0)
                           .to_numpy(zero_copy_only=False), dtype=bool)
        if not empty.any():
            return None
        return empty[arr.indices.to_numpy(zero_copy_only=False)]
    empty = pc.equal(pc.utf8_length(arr), 0)
    if not pc.any(empty).as_py():
        return None
    return np.asarray(empty.to_numpy(zero_copy_only=False), dtype=bool)


def _texts(arr: pa.Array) -> np.ndarray:
    return np.asarray(arr.to_numpy(zero_copy_only=False), dtype=object)


@dataclass
class ReadState:
    """What carries over from chunk to chunk of one file."""

    fold_start: FoldState = field(default_factory=FoldState)
    fold_end: FoldState = field(default_factory=FoldState)
    last_time: dict[tuple[str, str], np.int64] = field(default_factory=dict)
    total_rows: int = 0
    total_differ: int = 0
    total_first: tuple[int, int, int] | None = None
    hours: dict[int, int] = field(default_factory=dict)  # vehicles per UTC hour [ns]

    def warnings(self, layout: Layout, profile: Profile, tz: str,
                 language: str = "en") -> list[str]:
        """Warnings for people about what was read so far, in ``language``."""
        out = list(layout.warnings)
        clock = clock_warning(self.hours, profile.time_basis, tz)
        if clock:
            out.append(clock)
        if self.total_first is not None:
            line, total, summed = self.total_first
            out.append(Phrase("warn_vendor_total", column=layout.total_col,
                              differ=self.total_differ, rows=self.total_rows, line=line,
                              total=total, summed=summed))
        return [w.text(language) for w in out]


class RejectCounter:
    """Collects one reject per row (its first problem)."""

    def __init__(self, n: int, lines: np.ndarray) -> None:
        self.taken = np.zeros(n, dtype=bool)
        self.lines = lines
        self.parts: list[pd.DataFrame] = []

    def add(self, mask: np.ndarray | None, column: str | None, reason: str,
            values: pa.Array | np.ndarray | None) -> None:
        """Set aside the rows ``mask`` marks for ``reason`` (``column`` named)."""
        if mask is None or not mask.any():
            return
        new = mask & ~self.taken
        if not new.any():
            return
        assert reason in cols.REJECT_REASONS
        self.taken |= new
        idx = np.flatnonzero(new)
        if values is None:
            vals = np.full(len(idx), "", dtype=object)
        elif isinstance(values, np.ndarray):
            vals = values[idx]
        else:
            vals = _texts(values.take(pa.array(idx)))
        self.parts.append(pd.DataFrame({
            "line": self.lines[idx], "column": column, "reason": reason,
            "value": [str(v)[:VALUE_CHARS] for v in vals],
        }))


def rejects_frame(parts: list[pd.DataFrame], source: str) -> pd.DataFrame:
    """Return the rows set aside of a file as one table (``source`` named)."""
    if not parts:
        return cols.empty("rejects")
    df = pd.concat(parts, ignore_index=True).sort_values("line", kind="stable")
    return pd.DataFrame({
        "source": pd.array([source] * len(df), dtype="string"),
        "line": df["line"].to_numpy(dtype=np.int64),
        "column": pd.array(df["column"].to_numpy(), dtype="string"),
        "reason": pd.array(df["reason"].to_numpy(), dtype="string"),
        "value": pd.array(df["value"].to_numpy(), dtype="string"),
    })


def const_series(value: str, n: int) -> pd.Series:
    """Return ``n`` copies of ``value`` as a string series."""
    return pd.Series(pd.array(_repeat(value, n), dtype="string"))


def _repeat(value: str, n: int) -> pa.Array:
    return pa.repeat(pa.scalar(value, pa.string()), n)


def const_dictionary(value: str, n: int) -> pa.DictionaryArray:
    """``value`` on each of ``n`` rows, as a one-value dictionary array."""
    return pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, dtype=np.int32)),
                                          pa.array([value], pa.string()))


def _dict(arr: pa.Array | pa.ChunkedArray) -> pa.DictionaryArray:
    """Text as a dictionary array of distinct values (Arrow hashing; no Python string per row)."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if pa.types.is_dictionary(arr.type):
        if pc.count_distinct(arr.dictionary).as_py() == len(arr.dictionary):
            return arr
        arr = arr.dictionary_decode()
    return dictionary_encode(arr)


def unknown_sites(site: pa.Array, known_sites: Collection[str]) -> np.ndarray:
    """Rows whose site id is not among ``known_sites`` (tested once per distinct id)."""
    site = _dict(site)
    unknown = np.array([v not in known_sites for v in site.dictionary.to_pylist()], dtype=bool)
    return unknown[site.indices.to_numpy(zero_copy_only=False)]


def arrow_strings(arr: pa.Array) -> pd.Series:
    """Return an Arrow string array as a pandas string series."""
    if pa.types.is_dictionary(arr.type):
        arr = arr.dictionary_decode()
    return pd.Series(pd.array(arr, dtype="string"))


def _join(table: pa.Table, names: tuple[str, ...], profile: Profile, *,
          cut_range: bool = False) -> pa.Array:
    parts = [strip_values(table.column(c), profile) for c in names]
    sep = profile.section("time").get("range_separator")
    if cut_range and sep:  # '14:00 - 14:59': the start, up to the separator after a time
        if pa.types.is_dictionary(parts[-1].type):
            parts[-1] = parts[-1].dictionary_decode()
        parts[-1] = pc.replace_substring_regex(
            parts[-1], pattern=r"^(.*?\d{1,2}[:.]\d{2}(?:[:.]\d{2})?)\s*" + re.escape(sep) + ".*$",
            replacement=r"\1")
    if len(parts) == 1:
        return parts[0]
    return pc.binary_join_element_wise(*parts, " ")


def vehicle_classes(arr: pa.Array, profile: Profile) -> pa.DictionaryArray:
    """Map raw classes to canonical ones (unmapped -> unknown), vectorised."""
    mapping = profile.section("classes")
    folded = {str(k).strip().casefold(): v for k, v in mapping.items()}
    raw = _dict(arr)
    targets = []
    for value in raw.dictionary.to_pylist():  # one per distinct raw class, not per row
        key = (value or "").strip().casefold()
        if folded:
            targets.append(folded.get(key, "unknown"))
        else:
            targets.append(key if key in cols.VEHICLE_CLASSES else "unknown")
    names = list(dict.fromkeys(targets))
    code = pa.array([names.index(t) for t in targets], pa.int32())
    return pa.DictionaryArray.from_arrays(pc.take(code, raw.indices), pa.array(names, pa.string()))


def site_and_direction(table: pa.Table, layout: Layout, profile: Profile, n: int,
                        rej: RejectCounter) -> tuple[pa.DictionaryArray, pa.DictionaryArray | None]:
    """Site and direction per row, dictionary-encoded (empty ones tested once per value)."""
    if layout.site_col:
        site = _dict(strip_values(table.column(layout.site_col), profile))
        rej.add(_empty_mask(site), layout.site_col, "value_missing", site)
    else:
        assert layout.site_value is not None  # the layout found one, or refused the file
        site = const_dictionary(layout.site_value, n)
    fixed = profile.section("fixed")
    direction = None
    if "direction" in fixed:
        direction = const_dictionary(str(fixed["direction"]), n)
    elif "direction" in layout.mapped:
        raw = layout.mapped["direction"]
        direction = _dict(strip_values(table.column(raw), profile))
        rej.add(_empty_mask(direction), raw, "value_missing", direction)
    elif layout.direction_value is not None:
        direction = const_dictionary(layout.direction_value, n)
    return site, direction


def column_times(table: pa.Table, names: tuple[str, ...], fmt: str, profile: Profile,
           settings: Settings, site: pa.Array, fold: FoldState, rej: RejectCounter,
           layout: Layout) -> pd.Series:
    """Return the times [UTC] of a block; reject unreadable, gap and implausible ones.

    A time outside ``[import] first_year``..``last_year`` (a typo such as 2204,
    the epoch 1970 of an unset clock) is a rejected row, never kept or wrapped.
    """
    times = _parse_times(table, names, fmt, profile, settings, site, fold, rej, layout)
    lo, hi = settings.import_.time_window()
    with np.errstate(invalid="ignore"):
        outside = (times.notna() & ((times < lo) | (times >= hi))).to_numpy()
    if outside.any():
        text = np.full(len(times), "", dtype=object)
        text[outside] = times[outside].dt.strftime("%Y-%m-%dT%H:%M:%SZ").to_numpy()
        rej.add(outside, " ".join(names), "time_out_of_range", text)
    return times


def _parse_times(table: pa.Table, names: tuple[str, ...], fmt: str, profile: Profile,
                 settings: Settings, site: pa.Array, fold: FoldState, rej: RejectCounter,
                 layout: Layout) -> pd.Series:
    groups = site if layout.site_col else None
    label = " ".join(names)
    if UTC in table.column_names:  # typed block: ISO 8601 with offset
        return table.column(UTC).to_pandas().reset_index(drop=True)
    if WALL in table.column_names:  # typed block: YYYY-MM-DD and HH:MM:SS
        wall = pd.Series(table.column(WALL).to_numpy().view("datetime64[ns]"))
        times, gap = wall_to_utc(wall, profile.time_basis, settings.timezone, groups, fold)
        if gap.any():  # the raw text, exactly: both fields have a fixed width
            text = np.full(len(wall), "", dtype=object)
            text[gap] = wall[gap].dt.strftime("%Y-%m-%d %H:%M:%S").to_numpy()
            rej.add(gap, label, "time_in_dst_gap", text)
        return times
    values = _join(table, names, profile, cut_range=names == layout.time_cols)
    midnight = (None if fmt == ISO or not len(values) else
                pc.fill_null(pc.match_substring_regex(values, _MIDNIGHT), False))
    if midnight is not None and pc.any(midnight).as_py():
        # '24:00' closes a day: the next day's 00:00 (as wall time, before the clock)
        wall = parse_wall(pc.replace_substring_regex(values, _MIDNIGHT, r"\100:00"), fmt)
        wall = wall + pd.to_timedelta(np.asarray(midnight.to_numpy(zero_copy_only=False),
                                                 dtype=bool) * 86_400, unit="s")
        times, gap = wall_to_utc(wall, profile.time_basis, settings.timezone, groups, fold)
    else:
        times, gap = to_utc(values, fmt, profile.time_basis, settings.timezone,
                            groups=groups, state=fold)
    nat = times.isna().to_numpy()
    rej.add(gap, label, "time_in_dst_gap", values)
    rej.add(nat & ~gap, label, "time_unparsable", values)
    return times


def typing_of(layout: Layout, profile: Profile) -> Typing:
    """Return how the fast path parses a vehicles file's blocks (:mod:`.blocks`)."""
    types = dict.fromkeys(layout.needed, pa.string())
    for name in ("speed", "length", "headway"):
        if name in layout.mapped:
            types[layout.mapped[name]] = pa.float64()
    fmt = profile.section("time").get("format", ISO)
    time = ""
    if fmt == ISO and len(layout.time_cols) == 1 and profile.time_basis in ("offset", "utc"):
        time = "iso"
        types[layout.time_cols[0]] = pa.timestamp("ns", "UTC")
    elif fmt == "%Y-%m-%d %H:%M:%S" and len(layout.time_cols) == 2:
        time = "date_hms"
        types[layout.time_cols[0]] = pa.date32()
    required = ((layout.time_cols[0],) if time else ()) + (layout.mapped["speed"],)
    text = tuple(c for c, t in types.items() if t == pa.string() and c not in layout.time_cols)
    return Typing(types, profile.decimal, time, layout.time_cols, text, required)
