"""Readers of traffic-counter files: per-vehicle records and binned counts.

One reader for every vendor: the layout is the file's format profile
(:mod:`trafikplan.io.profiles`, :mod:`trafikplan.io.counter_layout`). The
body is parsed by :mod:`pyarrow.csv` in blocks of raw bytes
(:mod:`trafikplan.io.counter_blocks`): typed straight to numbers and times
where that cannot differ from reading text, else every column as text, then
converted vectorised (decimal comma, units, times per the profile's time
basis). Counter files hold one row per physical line (no line breaks inside
quoted fields), so the 1-based line of a row is known exactly.

Rows that cannot be used go to the rejects table (``source, line, column,
reason, value``; reasons of :data:`trafikplan.columns.REJECT_REASONS`), one
reject per row (its first problem), so counts are exact. A file that cannot be
read at all raises :class:`~trafikplan._errors.InputError` with file, line,
column and what was expected. Blank lines (every field empty) are skipped.
The readers never write anything.

Output columns (units as in :mod:`trafikplan.columns`):

vehicles
    ``site_id, time [UTC], direction, speed [km/h], length [m], headway [s],
    vehicle_class, source, line``. ``headway`` is the file's own value when
    the profile maps it, else the time since the previous vehicle of the same
    site and direction in this file (NaN for the first).
bins
    ``site_id, start [UTC], end [UTC], direction, speed_lo [km/h] (exclusive),
    speed_hi [km/h] (inclusive, inf = open), count, source, line``; one row
    per interval, direction and speed class, zero counts kept.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from trafikplan import columns as cols
from trafikplan._errors import Code, InputError, Phrase
from trafikplan.io.clockcheck import add_hours, clock_warning
from trafikplan.io.counter_blocks import (
    LINE,
    UTC,
    WALL,
    Block,
    Typing,
    dictionary_encode,
    iter_blocks,
    read_ahead,
)
from trafikplan.io.counter_layout import FOOT, MPH, Layout, layout_of
from trafikplan.io.profiles import Header, Profile, ReadResult, locate_header
from trafikplan.io.textfile import Digest
from trafikplan.io.timebase import ISO, FoldState, parse_wall, to_utc, wall_to_utc
from trafikplan.settings import Settings

__all__ = ["FOOT", "MPH", "counts_by_reason", "iter_counter_file", "read_counter_file"]

BLOCK_BYTES = 16 << 20
"""Raw bytes parsed at a time (cut at a line end)."""

BLOCK_BYTES_PER_ROW = 64
"""Raw bytes per row of ``chunk_rows`` when a small chunk size caps the block size."""

_NUMBER = r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$"
_INTEGER = r"^[+-]?\d+$"
_VALUE_CHARS = 200
_CLOCK_SAMPLE = 100_000
"""Vehicles per chunk counted for the clock check (every k-th when there are more)."""
_MIDNIGHT = r"(^|[ T])24[:.]00(?:[:.]00)?$"
_NS_S = 1_000_000_000


# ---------------------------------------------------------------- conversion


def _strip(arr: pa.Array, profile: Profile) -> pa.Array:
    if not profile.strip_fields:
        return arr
    if pa.types.is_dictionary(arr.type):
        arr = _dict(arr)
        return pa.DictionaryArray.from_arrays(arr.indices, pc.utf8_trim_whitespace(arr.dictionary))
    return pc.utf8_trim_whitespace(arr) if pa.types.is_string(arr.type) else arr


def _numbers(arr: pa.Array, decimal: str, *, integer: bool = False
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
class _State:
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


class _Rejects:
    """Collects one reject per row (its first problem)."""

    def __init__(self, n: int, lines: np.ndarray) -> None:
        self.taken = np.zeros(n, dtype=bool)
        self.lines = lines
        self.parts: list[pd.DataFrame] = []

    def add(self, mask: np.ndarray | None, column: str | None, reason: str,
            values: pa.Array | np.ndarray | None) -> None:
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
            "value": [str(v)[:_VALUE_CHARS] for v in vals],
        }))


def _rejects_frame(parts: list[pd.DataFrame], source: str) -> pd.DataFrame:
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


def _const(value: str, n: int) -> pd.Series:
    return pd.Series(pd.array(_repeat(value, n), dtype="string"))


def _repeat(value: str, n: int) -> pa.Array:
    return pa.repeat(pa.scalar(value, pa.string()), n)


def _const_dict(value: str, n: int) -> pa.DictionaryArray:
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


def _unknown(site: pa.Array, known_sites: Collection[str]) -> np.ndarray:
    """Rows whose site id is not among ``known_sites`` (tested once per distinct id)."""
    site = _dict(site)
    unknown = np.array([v not in known_sites for v in site.dictionary.to_pylist()], dtype=bool)
    return unknown[site.indices.to_numpy(zero_copy_only=False)]


def _arrow_str(arr: pa.Array) -> pd.Series:
    if pa.types.is_dictionary(arr.type):
        arr = arr.dictionary_decode()
    return pd.Series(pd.array(arr, dtype="string"))


def _join(table: pa.Table, names: tuple[str, ...], profile: Profile, *,
          cut_range: bool = False) -> pa.Array:
    parts = [_strip(table.column(c), profile) for c in names]
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


def _classes(arr: pa.Array, profile: Profile) -> pa.DictionaryArray:
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


def _site_and_direction(table: pa.Table, layout: Layout, profile: Profile, n: int,
                        rej: _Rejects) -> tuple[pa.DictionaryArray, pa.DictionaryArray | None]:
    """Site and direction per row, dictionary-encoded (empty ones tested once per value)."""
    if layout.site_col:
        site = _dict(_strip(table.column(layout.site_col), profile))
        rej.add(_empty_mask(site), layout.site_col, "value_missing", site)
    else:
        site = _const_dict(layout.site_value, n)
    fixed = profile.section("fixed")
    direction = None
    if "direction" in fixed:
        direction = _const_dict(str(fixed["direction"]), n)
    elif "direction" in layout.mapped:
        raw = layout.mapped["direction"]
        direction = _dict(_strip(table.column(raw), profile))
        rej.add(_empty_mask(direction), raw, "value_missing", direction)
    elif layout.direction_value is not None:
        direction = _const_dict(layout.direction_value, n)
    return site, direction


def _times(table: pa.Table, names: tuple[str, ...], fmt: str, profile: Profile,
           settings: Settings, site: pa.Array, fold: FoldState, rej: _Rejects,
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
                 settings: Settings, site: pa.Array, fold: FoldState, rej: _Rejects,
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


def _typing(layout: Layout, profile: Profile) -> Typing:
    """Return how the fast path parses a vehicles file's blocks (:mod:`.counter_blocks`)."""
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


def _convert_vehicles(table: pa.Table, layout: Layout, profile: Profile,
                      settings: Settings, source: str, state: _State,
                      known_sites: Collection[str] | None) -> tuple[pa.Table, list]:
    n = table.num_rows
    lines = table.column(LINE).to_numpy()
    rej = _Rejects(n, lines)
    site, direction = _site_and_direction(table, layout, profile, n, rej)
    units = profile.section("units")
    time_fmt = profile.section("time").get("format", ISO)
    times = _times(table, layout.time_cols, time_fmt, profile, settings, site,
                   state.fold_start, rej, layout)
    speed_raw = _strip(table.column(layout.mapped["speed"]), profile)
    speed, empty, bad = _numbers(speed_raw, profile.decimal)
    if units.get("speed", "km/h") == "mph":
        speed = speed * MPH
    col = layout.mapped["speed"]
    rej.add(empty, col, "value_missing", speed_raw)
    rej.add(bad, col, "speed_unparsable", speed_raw)
    lim = settings.import_
    rej.add(np.isnan(speed) & ~empty & ~bad, col, "speed_unparsable", speed_raw)  # "NaN"
    with np.errstate(invalid="ignore"):  # a vehicle measured at 0 (or -0) km/h did not pass
        impossible = ~np.isnan(speed) & ((speed < lim.min_speed_kmh) | (speed <= 0)
                                         | (speed > lim.max_speed_kmh))
    rej.add(impossible, col, "speed_impossible", speed_raw)
    extra: dict[str, np.ndarray] = {}
    for name, factor in (("length", FOOT if units.get("length", "m") == "ft" else 1.0),
                         ("headway", 1.0)):
        if name in layout.mapped:
            raw = _strip(table.column(layout.mapped[name]), profile)
            values, _, bad = _numbers(raw, profile.decimal)
            rej.add(bad, layout.mapped[name], "value_unparsable", raw)
            with np.errstate(invalid="ignore"):
                rej.add((values < 0) | np.isinf(values), layout.mapped[name],
                        "value_impossible", raw)
            extra[name] = values * factor if factor != 1.0 else values
    if "vehicle_class" in layout.mapped:
        vclass = _classes(_strip(table.column(layout.mapped["vehicle_class"]), profile), profile)
    else:
        vclass = _const_dict("unknown", n)
    if known_sites is not None:
        rej.add(_unknown(site, known_sites), layout.site_col or "site_id", "site_unknown", site)
    keep = ~rej.taken
    all_kept = bool(keep.all())
    idx = None if all_kept else pa.array(np.flatnonzero(keep))

    def take(arr: pa.Array) -> pa.Array:
        return arr if idx is None else arr.take(idx)

    def kept(values: np.ndarray) -> np.ndarray:
        return values if all_kept else values[keep]

    t_ns = kept(np.asarray(times.array.asi8, dtype=np.int64))
    m = len(t_ns)
    step = max(1, m // _CLOCK_SAMPLE)  # the clock check needs the daily shape, not every vehicle
    add_hours(state.hours, t_ns[::step], np.full(len(t_ns[::step]), step) if step > 1 else None)
    if "headway" in extra:
        headway = kept(extra["headway"])
    else:
        headway = _headway(take(site), take(direction), t_ns, state)
    out = pa.table({
        "site_id": take(site),
        "time": pa.array(t_ns, pa.timestamp("ns", "UTC")),
        "direction": take(direction),
        "speed": kept(speed),
        "length": kept(extra["length"]) if "length" in extra else np.full(m, np.nan),
        "headway": headway,
        "vehicle_class": take(vclass),
        "source": _const_dict(source, m),
        "line": kept(lines).astype(np.int64),
    })
    return out, rej.parts


def _codes(arr: pa.DictionaryArray) -> tuple[np.ndarray, list[str]]:
    """Integer code per row and the distinct values."""
    return arr.indices.to_numpy(zero_copy_only=False), arr.dictionary.to_pylist()


def _headway(site: pa.Array, direction: pa.Array, t: np.ndarray, state: _State) -> np.ndarray:
    """Seconds since the previous vehicle of the same site and direction.

    Parameters
    ----------
    site, direction : pyarrow dictionary arrays
        Per kept row.
    t : ndarray of int64
        Passage times [ns since epoch, UTC], in file order.
    state : _State
        The last time of each site and direction carries over to the next
        chunk of the file.

    Returns
    -------
    ndarray of float64 [s]
        In file order, computed in time order within each site and direction;
        NaN for the first vehicle of a site and direction in the file.
    """
    n = len(t)
    if n == 0:
        return np.zeros(0)
    s_codes, s_uni = _codes(site)
    d_codes, d_uni = _codes(direction)
    n_dir = len(d_uni)
    small = len(s_uni) * n_dir < 2**15  # few keys: 16-bit, and a stable sort is a radix sort
    kind = np.int16 if small else np.int64
    key = s_codes.astype(kind) * kind(n_dir) + d_codes.astype(kind)
    if small and np.all(t[1:] >= t[:-1]):
        order = np.argsort(key, kind="stable")  # file in time order
    else:
        order = np.lexsort((t, key))
    ks, ts = key[order], t[order]
    starts = np.flatnonzero(np.r_[True, ks[1:] != ks[:-1]])
    ends = np.r_[starts[1:] - 1, n - 1]
    prev = np.empty(n)
    prev[1:] = ts[:-1]
    for first, last in zip(starts, ends, strict=True):  # one per site and direction
        label = (s_uni[int(ks[first]) // n_dir], d_uni[int(ks[first]) % n_dir])
        prev[first] = state.last_time.get(label, np.nan)
        state.last_time[label] = ts[last]
    np.subtract(ts, prev, out=prev)
    prev /= 1e9
    out = np.empty(n)
    out[order] = prev
    return out


def _convert_bins(table: pa.Table, layout: Layout, profile: Profile,
                  settings: Settings, source: str, state: _State,
                  known_sites: Collection[str] | None) -> tuple[pd.DataFrame, list]:
    n = table.num_rows
    lines = table.column(LINE).to_numpy()
    rej = _Rejects(n, lines)
    site, direction = _site_and_direction(table, layout, profile, n, rej)
    time = profile.section("time")
    fmt = time.get("format", "iso")
    label_end = time.get("label", "start") == "end"
    times = _times(table, layout.time_cols, fmt, profile, settings, site,
                   state.fold_start, rej, layout)
    if layout.end_cols:
        end = _times(table, layout.end_cols, time.get("end_format", fmt), profile, settings,
                     site, state.fold_end, rej, layout)
        start = times
    else:
        step = pd.Timedelta(minutes=int(time["interval_minutes"]))
        start, end = (times - step, times) if label_end else (times, times + step)
    if layout.class_cols:
        count_cols = [c for c, _, _ in layout.class_cols]
        lo = np.array([c[1] for c in layout.class_cols])
        hi = np.array([c[2] for c in layout.class_cols])
        dirs = (np.array(layout.class_dirs, dtype=object)
                if any(d is not None for d in layout.class_dirs) else None)
    elif layout.dir_cols:
        count_cols = [c for c, _ in layout.dir_cols]
        lo = np.zeros(len(count_cols))
        hi = np.full(len(count_cols), np.inf)
        dirs = np.array([d for _, d in layout.dir_cols], dtype=object)
    else:
        count_cols = [layout.mapped["count"]]
        lo_raw = _strip(table.column(layout.mapped["speed_lo"]), profile)
        hi_raw = _strip(table.column(layout.mapped["speed_hi"]), profile)
        lo_v, lo_e, lo_b = _numbers(lo_raw, profile.decimal)
        hi_v, hi_e, hi_b = _numbers(hi_raw, profile.decimal)
        rej.add(lo_b | lo_e, layout.mapped["speed_lo"], "value_unparsable", lo_raw)
        rej.add(hi_b, layout.mapped["speed_hi"], "value_unparsable", hi_raw)
        factor = MPH if profile.section("units").get("speed", "km/h") == "mph" else 1.0
        lo = (lo_v * factor)[:, None]
        hi = (np.where(hi_e, np.inf, hi_v) * factor)[:, None]
        dirs = None
    counts = np.empty((n, len(count_cols)), dtype=np.float64)
    for j, c in enumerate(count_cols):  # one per column, not per row
        raw = _strip(table.column(c), profile)
        values, empty, bad = _numbers(raw, profile.decimal, integer=True)
        with np.errstate(invalid="ignore"):
            negative = values < 0
        rej.add(bad | negative, c, "value_unparsable", raw)
        rej.add(empty, c, "value_missing", raw)
        counts[:, j] = values
    if known_sites is not None:
        rej.add(_unknown(site, known_sites), layout.site_col or "site_id", "site_unknown", site)
    if layout.total_col:
        _check_totals(table, layout, profile, counts, ~rej.taken, lines, state)
    keep = np.flatnonzero(~rej.taken)
    k = len(count_cols)
    rows = np.repeat(keep, k)
    idx = pa.array(rows)
    if dirs is not None:
        direction_out = pd.Series(pd.array(np.tile(dirs, len(keep)), dtype="string"))
    else:
        direction_out = _arrow_str(direction.take(idx))
    if lo.ndim == 2:  # long layout: one class per row
        lo_out, hi_out = lo[keep, 0], hi[keep, 0]
    else:
        lo_out, hi_out = np.tile(lo, len(keep)), np.tile(hi, len(keep))
    out = pd.DataFrame({
        "site_id": _arrow_str(site.take(idx)),
        "start": start.iloc[rows].reset_index(drop=True).astype(cols.UTC),
        "end": end.iloc[rows].reset_index(drop=True).astype(cols.UTC),
        "direction": direction_out,
        "speed_lo": lo_out.astype(np.float64),
        "speed_hi": hi_out.astype(np.float64),
        "count": counts[keep].ravel().astype(np.int64),
        "source": _const(source, len(rows)),
        "line": lines[rows].astype(np.int64),
    })
    add_hours(state.hours, out["start"].array.asi8, out["count"].to_numpy())
    return out, rej.parts


def _check_totals(table: pa.Table, layout: Layout, profile: Profile, counts: np.ndarray,
                  kept: np.ndarray, lines: np.ndarray, state: _State) -> None:
    """Compare the vendor's total per row with the sum of its classes (a warning)."""
    raw = _strip(table.column(layout.total_col), profile)
    total, _, _ = _numbers(raw, profile.decimal, integer=True)
    with np.errstate(invalid="ignore"):
        differ = kept & ~np.isnan(total) & (np.nansum(counts, axis=1) != total)
    state.total_rows += int((kept & ~np.isnan(total)).sum())
    if differ.any():
        state.total_differ += int(differ.sum())
        if state.total_first is None:
            i = int(np.flatnonzero(differ)[0])
            state.total_first = (int(lines[i]), int(total[i]), int(np.nansum(counts[i])))


# ---------------------------------------------------------------- public


def _meta(kind: str, table: pd.DataFrame | pa.Table, rejects: pd.DataFrame,
          profile: Profile, header: Header, site_value: str | None) -> dict[str, Any]:
    time_col = "time" if kind == "vehicles" else "start"
    last_col = "time" if kind == "vehicles" else "end"
    if isinstance(table, pa.Table):
        sites = sorted({value for chunk in table.column("site_id").chunks
                        for value in _present(chunk)})
        first = last = pd.NaT
        if table.num_rows:
            bounds = pc.min_max(table.column(time_col))
            first = pd.Timestamp(bounds["min"].value, tz="UTC")
            last = pd.Timestamp(bounds["max"].value, tz="UTC")
    else:
        sites = sorted(table["site_id"].dropna().unique().tolist())
        first = table[time_col].min() if len(table) else pd.NaT
        last = table[last_col].max() if len(table) else pd.NaT
    if not sites and site_value is not None:
        sites = [site_value]
    return {
        "site_ids": sites,
        "first": first,
        "last": last,
        "rows": len(table),
        "rejected": len(rejects),
        "encoding": header.encoding,
        "header_line": header.line,
        "profile": profile.name,
    }


def _present(arr: pa.DictionaryArray) -> list[str]:
    """Return the dictionary values that occur in ``arr``."""
    counts = np.bincount(arr.indices.to_numpy(zero_copy_only=False).astype(np.int64),
                         minlength=len(arr.dictionary))
    values = arr.dictionary.to_pylist()
    return [values[i] for i in np.flatnonzero(counts)]


def _check_kind(path: Path, profile: Profile) -> None:
    if profile.kind not in ("vehicles", "bins"):
        raise InputError("err_profile_not_counters", profile=profile.name, kind=profile.kind,
                         path=path)
    if profile.file_type != "text":
        raise InputError("err_profile_not_text", profile=profile.name, path=path)


def iter_counter_file(
    path: Path | str,
    profile: Profile,
    *,
    settings: Settings,
    source: str,
    known_sites: Collection[str] | None = None,
    chunk_rows: int | None = None,
    block_bytes: int | None = None,
    as_arrow: bool = False,
    digest: Digest | None = None,
) -> Iterator[ReadResult]:
    """Read a counter file in chunks of at most ``chunk_rows`` raw rows.

    Memory stays bounded by the chunk size, so a file larger than memory can
    be imported chunk by chunk. Headways and the fall-back rule of local
    times carry over from chunk to chunk.

    Parameters
    ----------
    path : Path or str
        The raw file (``.gz`` decompressed transparently).
    profile : Profile
        Its format profile (kind ``vehicles`` or ``bins``).
    settings : Settings
        Time zone and ``[import]`` limits (``min_speed_kmh``, ``max_speed_kmh``
        [km/h], ``chunk_rows``).
    source : str
        The file's path relative to the data folder, stored in ``source``.
    known_sites : collection of str, optional
        When given, rows of other sites are rejected (``site_unknown``).
    chunk_rows : int, optional
        Raw rows per chunk; default ``settings.import_.chunk_rows``.
    block_bytes : int, optional
        Raw bytes parsed at a time; default :data:`BLOCK_BYTES`, less for a
        small ``chunk_rows`` (:data:`BLOCK_BYTES_PER_ROW` per row, at least
        64 KiB), so that the raw bytes held stay in proportion to the chunk.
    as_arrow : bool
        Vehicles as a pyarrow Table (text columns dictionary-encoded, ``time``
        ``timestamp[ns, UTC]``) instead of a DataFrame, for the importer:
        nothing is converted twice on the way to the store.
    digest : Digest, optional
        Hashes the file's raw bytes while they are read (for the importer: no
        separate pass over the file).

    Yields
    ------
    ReadResult
        ``table`` with the VEHICLES or BINS columns (see the module
        docstring), ``rejects`` with the REJECTS columns; at least one result,
        possibly with an empty table.

    Raises
    ------
    InputError
        Empty or binary file, wrong encoding, no header line, duplicate or
        missing required columns, no site id, or a truncated last line.
    """
    path = Path(path)
    _check_kind(path, profile)
    chunk_rows = chunk_rows or settings.import_.chunk_rows
    if block_bytes is None:
        block_bytes = int(min(BLOCK_BYTES, max(1 << 16, chunk_rows * BLOCK_BYTES_PER_ROW)))
    header = locate_header(path, profile)
    layout = layout_of(path, profile, header)
    vehicles = profile.kind == "vehicles"
    convert = _convert_vehicles if vehicles else _convert_bins
    typing = _typing(layout, profile) if vehicles else None
    state = _State()
    seen: dict[str, Any] = {"rows": 0, "rejected": 0, "sample": []}
    pending: list[Block] = []
    pending_rows = 0
    pending_bad: list[tuple[int, str, int]] = []
    yielded = False

    def convert_block(block: Block) -> _Converted:
        # a typed and a text block convert alike, each on its own, in file order
        raw = _drop_blank(block.table, layout) if block.blank else block.table
        table, parts = convert(raw, layout, profile, settings, source, state, known_sites)
        return _Converted(block.table.column(LINE).to_numpy(), table, parts)

    def emit(done: list[_Converted], bad: list[tuple[int, str, int]]) -> ReadResult:
        if not done:
            empty = pa.table({**{c: pa.array([], pa.string()) for c in layout.needed},
                              LINE: pa.array([], pa.int64())})
            done = [convert_block(Block(empty, [], False, False))]
        tables = [d.table for d in done]
        parts = [p for d in done for p in d.parts]
        if bad:
            parts.append(pd.DataFrame({
                "line": [b[0] for b in bad], "column": None, "reason": "field_count",
                "value": [f"{b[2]} of {len(layout.header.names)} fields: {b[1]}"[:_VALUE_CHARS]
                          for b in bad],
            }))
        if vehicles:
            table = pa.concat_tables(tables) if len(tables) > 1 else tables[0]
            if not as_arrow:
                table = table.to_pandas()
        else:
            table = pd.concat(tables, ignore_index=True) if len(tables) > 1 else tables[0]
        rejects = _rejects_frame(parts, source)
        seen["rows"] += len(table)
        seen["rejected"] += len(rejects)
        if len(seen["sample"]) < _SAMPLE_REJECTS and len(rejects):
            seen["sample"].append(rejects.head(_SAMPLE_REJECTS))
        meta = _meta(profile.kind, table, rejects, profile, header, layout.site_value)
        meta["warnings"] = state.warnings(layout, profile, settings.timezone,
                                          settings.language)
        return ReadResult(profile.kind, table, rejects, profile.name, meta)

    blocks = iter_blocks(path, profile, header, layout.needed, block_bytes, typing, digest)
    for block in read_ahead(blocks):  # converted as it comes, while the next are parsed
        pending.append(convert_block(block))
        pending_rows += block.table.num_rows
        pending_bad += block.bad
        while pending_rows >= chunk_rows:
            head, tail, cut_line = _cut(pending, chunk_rows)
            split = (len(pending_bad) if cut_line is None
                     else bisect.bisect_left([b[0] for b in pending_bad], cut_line))
            now, pending_bad = pending_bad[:split], pending_bad[split:]
            yield emit(head, now)
            yielded = True
            pending, pending_rows = tail, sum(len(d.lines) for d in tail)
    if pending or pending_bad or not yielded:
        yield emit(pending, pending_bad)
    if seen["rows"] == 0 and seen["rejected"]:
        raise _all_set_aside(path, profile, layout, pd.concat(seen["sample"]),
                             seen["rejected"])


_SAMPLE_REJECTS = 5
"""Rejected rows shown when every row of a file was set aside."""

_EXPECTED = {
    "time_unparsable": "exp_time_unparsable",
    "time_in_dst_gap": "exp_time_in_dst_gap",
    "speed_unparsable": "exp_number",
    "speed_impossible": "exp_speed_impossible",
    "value_unparsable": "exp_number",
    "value_missing": "exp_value_missing",
    "site_unknown": "exp_site_unknown",
    "field_count": "exp_field_count",
}
"""Reject reason -> the dictionary key of what was expected instead."""


def _all_set_aside(path: Path, profile: Profile, layout: Layout, sample: pd.DataFrame,
                   total: int) -> InputError:
    """Return the error of a file whose every row was set aside: which column and format."""
    first = sample.iloc[0]
    same = sample[(sample["reason"] == first["reason"])
                  & (sample["column"].fillna("") == ("" if pd.isna(first["column"])
                                                     else first["column"]))]
    shown = [Phrase("err_line_value", n=int(r.line), value=repr(str(r.value)[:40]))
             for r in same.head(3).itertuples()]
    time = profile.section("time")
    expected = Phrase(
        _EXPECTED.get(str(first["reason"]), "exp_usable"),
        fmt=time.get("format", ISO), decimal=profile.decimal,
        unit=profile.section("units").get("speed", "km/h"),
        fields=len(layout.header.names), delimiter=profile.delimiter)
    return InputError(
        "err_all_set_aside", total=total, reason=Code("reject", first["reason"]),
        shown=Phrase("; ".join(f"{{s{k}}}" for k in range(len(shown))),
                     **{f"s{k}": s for k, s in enumerate(shown)}),
        expected=expected, profile=profile.name,
        path=path, line=int(first["line"]),
        column=None if pd.isna(first["column"]) else str(first["column"]),
    )


@dataclass
class _Converted:
    """One parsed block, converted.

    Attributes
    ----------
    lines : ndarray of int64
        1-based line of each of its raw rows.
    table : pyarrow Table or DataFrame
        The rows kept (column ``line`` ascending).
    parts : list of DataFrame
        Its rejects (column ``line``).
    """

    lines: np.ndarray
    table: pa.Table | pd.DataFrame
    parts: list[pd.DataFrame]


def _cut(done: list[_Converted], rows: int
         ) -> tuple[list[_Converted], list[_Converted], int | None]:
    """Split ``done`` after ``rows`` raw rows; also the first line of the tail (None: no tail)."""
    head: list[_Converted] = []
    tail: list[_Converted] = []
    cut_line = None
    for d in done:
        if cut_line is not None:
            tail.append(d)
        elif len(d.lines) <= rows:
            head.append(d)
            rows -= len(d.lines)
        else:
            cut_line = int(d.lines[rows])
            table = d.table
            lines = (table["line"] if isinstance(table, pd.DataFrame)
                     else table.column("line")).to_numpy()
            k = int(np.searchsorted(lines, cut_line))
            early = [p["line"].to_numpy() < cut_line for p in d.parts]
            head.append(_Converted(d.lines[:rows], _rows(table, 0, k),
                                   [p[m] for p, m in zip(d.parts, early, strict=True)]))
            tail.append(_Converted(d.lines[rows:], _rows(table, k, len(table)),
                                   [p[~m] for p, m in zip(d.parts, early, strict=True)]))
    return head, tail, cut_line


def _rows(table: pa.Table | pd.DataFrame, start: int, stop: int) -> pa.Table | pd.DataFrame:
    if isinstance(table, pd.DataFrame):
        return table.iloc[start:stop].reset_index(drop=True)
    return table.slice(start, stop - start)


def _drop_blank(table: pa.Table, layout: Layout) -> pa.Table:
    """Drop rows whose every read field is empty (blank lines)."""
    if table.num_rows == 0:
        return table
    blank = None
    for name in layout.needed:  # cheap first test on one column: blank lines are rare
        empty = pc.equal(pc.utf8_length(table.column(name)), 0)
        blank = empty if blank is None else pc.and_(blank, empty)
        if not pc.any(blank).as_py():
            return table
    if blank is None:
        return table
    return table.filter(pc.invert(blank))


def read_counter_file(
    path: Path | str,
    profile: Profile,
    *,
    settings: Settings,
    source: str,
    known_sites: Collection[str] | None = None,
) -> ReadResult:
    """Read a whole counter file (see :func:`iter_counter_file`).

    Parameters
    ----------
    path : Path or str
        The raw file (``.gz`` decompressed transparently).
    profile : Profile
        Its format profile (kind ``vehicles`` or ``bins``).
    settings : Settings
        Time zone and ``[import]`` limits.
    source : str
        The file's path relative to the data folder.
    known_sites : collection of str, optional
        When given, rows of other sites are rejected (``site_unknown``).

    Returns
    -------
    ReadResult
        ``table``: VEHICLES or BINS columns; ``rejects``: REJECTS columns;
        ``meta``: ``site_ids``, ``first``, ``last`` [UTC], ``rows``,
        ``rejected``, ``encoding``, ``header_line``, ``profile``.
    """
    parts = list(iter_counter_file(path, profile, settings=settings, source=source,
                                   known_sites=known_sites, chunk_rows=1 << 62))
    if len(parts) == 1:
        return parts[0]
    table = pd.concat([p.table for p in parts], ignore_index=True)
    rejects = pd.concat([p.rejects for p in parts], ignore_index=True)
    first = parts[0]
    meta = dict(first.meta)
    meta.update(rows=len(table), rejected=len(rejects))
    return ReadResult(first.kind, table, rejects, first.profile, meta)


def counts_by_reason(rejects: pd.DataFrame) -> Mapping[str, int]:
    """Return the number of rejected rows per reason (for an import summary)."""
    return rejects["reason"].value_counts().astype(int).to_dict()
