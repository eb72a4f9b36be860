"""Readers of traffic-counter files: per-vehicle records and binned counts.

One reader for every vendor: the layout is the file's format profile
(:mod:`trafikplan.io.profiles`). The body is parsed by :mod:`pyarrow.csv` in
blocks of raw bytes; every column is read as text and converted vectorised
(decimal comma, units, times per the profile's time basis). Counter files
hold one row per physical line (no line breaks inside quoted fields), so the
1-based line of a row is known exactly: blocks are cut at line ends and rows
with a wrong field count are located by their row number within the block.

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
import functools
import io
import re
import zlib
from collections import Counter
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from trafikplan import columns as cols
from trafikplan._errors import InputError
from trafikplan.io import textfile
from trafikplan.io.profiles import Header, Profile, ReadResult, locate_header
from trafikplan.io.timebase import FoldState, to_utc
from trafikplan.settings import Settings

MPH = 1.609344
"""km/h per mph."""
FOOT = 0.3048
"""m per foot."""

BLOCK_BYTES = 16 << 20
"""Raw bytes parsed at a time (cut at a line end)."""

BLOCK_BYTES_PER_ROW = 64
"""Raw bytes per row of ``chunk_rows`` when a small chunk size caps the block size."""

_NUMBER = r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$"
_INTEGER = r"^[+-]?\d+$"
_VALUE_CHARS = 200


# ---------------------------------------------------------------- layout


@dataclass(frozen=True)
class _Layout:
    """What a profile needs from one file's header."""

    header: Header
    time_cols: tuple[str, ...]
    end_cols: tuple[str, ...]
    mapped: dict[str, str]          # canonical -> raw present in the file
    site_col: str | None
    site_value: str | None
    class_cols: tuple[tuple[str, float, float], ...]  # raw, lo, hi [km/h] (bins)
    dir_cols: tuple[tuple[str, str], ...]             # raw, direction (bins)

    @property
    def needed(self) -> list[str]:
        names = [*self.time_cols, *self.end_cols, *self.mapped.values()]
        if self.site_col:
            names.append(self.site_col)
        names += [c for c, _, _ in self.class_cols] + [c for c, _ in self.dir_cols]
        return list(dict.fromkeys(names))


def _as_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def _edge(text: str | None, factor: float) -> float:
    if text is None or text == "":
        return float("inf")
    return float(text.replace(",", ".")) * factor


def _layout(path: Path, profile: Profile, header: Header) -> _Layout:
    names = header.names
    present = set(names)

    def missing(raw: str, what: str) -> InputError:
        return InputError(
            f"missing required column {raw!r} ({what}) of format profile {profile.name!r}; "
            f"the header has: {', '.join(names)}",
            path=path, line=header.line, column=raw,
        )

    time = profile.section("time")
    time_cols = _as_tuple(time.get("columns"))
    end_cols = _as_tuple(time.get("end_columns"))
    for raw in (*time_cols, *end_cols):
        if raw not in present:
            raise missing(raw, "time")
    mapped: dict[str, str] = {}
    for canonical, raw in profile.columns.items():
        if raw in present:
            mapped[canonical] = raw
        elif canonical not in profile.optional:
            raise missing(raw, canonical)
    site = profile.section("site")
    site_col = None
    site_value = None
    if "column" in site and site["column"] in present:
        site_col = site["column"]
    else:
        site_value = _site_from_file(path, profile, header)
        if site_value is None:
            if "column" in site:
                raise missing(site["column"], "site id")
            raise InputError(
                f"no site id: format profile {profile.name!r} expects it in "
                + " or ".join(
                    f"{k} {site[k]!r}" for k in ("metadata", "filename") if k in site
                ),
                path=path, line=header.line,
            )
    class_cols: list[tuple[str, float, float]] = []
    dir_cols: list[tuple[str, str]] = []
    if profile.kind == "bins":
        bins = profile.section("bins")
        factor = MPH if profile.section("units").get("speed", "km/h") == "mph" else 1.0
        if bins.get("speed_columns"):
            pattern = re.compile(bins["speed_columns"])
            for raw in names:
                m = pattern.fullmatch(raw)
                if m:
                    lo = _edge(m.group("lo"), factor)
                    hi = _edge(m.groupdict().get("hi"), factor)
                    class_cols.append((raw, lo if lo != float("inf") else 0.0, hi))
            if not class_cols:
                raise InputError(
                    f"no speed-class columns: expected column names matching "
                    f"{pattern.pattern!r} (format profile {profile.name!r})",
                    path=path, line=header.line,
                )
        elif bins.get("direction_columns"):
            pattern = re.compile(bins["direction_columns"])
            for raw in names:
                m = pattern.fullmatch(raw)
                if m:
                    dir_cols.append((raw, m.group("direction")))
            if not dir_cols:
                raise InputError(
                    f"no count columns: expected column names matching "
                    f"{pattern.pattern!r} (format profile {profile.name!r})",
                    path=path, line=header.line,
                )
    return _Layout(header, time_cols, end_cols, mapped, site_col, site_value,
                   tuple(class_cols), tuple(dir_cols))


def _site_from_file(path: Path, profile: Profile, header: Header) -> str | None:
    site = profile.section("site")
    if "metadata" in site:
        pattern = re.compile(site["metadata"])
        for line in header.metadata:
            m = pattern.search(line)
            if m and m.group(1).strip():
                return m.group(1).strip()
    if "filename" in site:
        m = re.search(site["filename"], path.name)
        if m and m.group(1):
            return m.group(1)
    if "value" in site:
        return str(site["value"])
    return None


# ---------------------------------------------------------------- raw blocks


@dataclass
class _Invalid:
    number: int | None
    text: str
    actual: int


@dataclass
class _Blocks:
    """Parsed raw blocks of one file's body, each with line numbers."""

    path: Path
    profile: Profile
    layout: _Layout
    encoding: str
    invalid: list[tuple[int, str, int]] = field(default_factory=list)  # line, text, fields


@functools.lru_cache(maxsize=32)
def _ascii_compatible(encoding: str) -> bool:
    """Tell whether ``encoding`` writes the 128 ASCII characters as themselves."""
    try:
        return "".join(map(chr, range(128))).encode(encoding) == bytes(range(128))
    except (LookupError, UnicodeEncodeError):
        return False


def _decode_block(block: bytes, enc: str, profile: Profile, path: Path,
                  first_line: int) -> tuple[bytes, str]:
    """Validate/transcode ``block`` to UTF-8; return (bytes, encoding used).

    A block of pure ASCII (the usual body of a counter file: digits, times,
    separators) is the same text in every ASCII-compatible encoding and
    already valid UTF-8, so it is passed on without decoding.
    """
    if _ascii_compatible(enc) and block.isascii():
        return block, enc
    order = [enc] + [e for e in profile.encodings if e != enc]
    first_exc: UnicodeDecodeError | None = None
    for e in order:
        try:
            text = block.decode(e)
        except UnicodeDecodeError as exc:
            first_exc = first_exc or exc
            continue
        if e.replace("_", "-").lower() in ("utf-8", "utf8"):
            return block, e
        return text.encode("utf-8"), e
    assert first_exc is not None
    raise textfile.encoding_error(block, first_exc, order, path, first_line=first_line)


def _parse_block(data: bytes, layout: _Layout, profile: Profile, *,
                 threads: bool) -> tuple[pa.Table, list[_Invalid]]:
    invalid: list[_Invalid] = []

    def handler(row: Any) -> str:
        invalid.append(_Invalid(row.number, row.text, row.actual_columns))
        return "skip"

    names = list(layout.header.names)
    needed = layout.needed
    table = pcsv.read_csv(
        io.BytesIO(data),
        read_options=pcsv.ReadOptions(column_names=names, use_threads=threads,
                                      block_size=1 << 22),
        parse_options=pcsv.ParseOptions(delimiter=profile.delimiter,
                                        invalid_row_handler=handler,
                                        ignore_empty_lines=False),
        convert_options=pcsv.ConvertOptions(
            column_types=dict.fromkeys(needed, pa.string()),
            include_columns=needed, strings_can_be_null=False, check_utf8=False),
    )
    return table, invalid


def _iter_raw(path: Path, profile: Profile, layout: _Layout,
              block_bytes: int) -> Iterator[tuple[pa.Table, list[tuple[int, str, int]], bool]]:
    """Yield (table with ``__line``, invalid rows as (line, text, fields), has blank lines)."""
    header = layout.header
    enc = header.encoding
    n_fields = len(header.names)
    next_line = header.line + 1
    with textfile.open_binary(path) as fh:
        skipped = fh.read(header.body_offset)
        if len(skipped) < header.body_offset:
            return
        rest = b""
        eof = False
        first_block = True
        while not eof:
            try:
                chunk = fh.read(block_bytes)
            except (EOFError, OSError, zlib.error) as exc:
                raise InputError(
                    f"compressed file is cut off or damaged ({exc}); the file looks like an "
                    "incomplete copy (copy it again from the counter)",
                    path=path, line=next_line,
                ) from None
            eof = not chunk
            data = rest + chunk
            if not eof:
                cut = data.rfind(b"\n")
                if cut < 0:
                    rest = data
                    continue
                block, rest = data[: cut + 1], data[cut + 1:]
            else:
                block, rest = data, b""
            if not block:
                continue
            utf8, enc = _decode_block(block, enc, profile, path, next_line)
            table, invalid = _parse_block(utf8, layout, profile, threads=True)
            if invalid and any(r.number is None for r in invalid):
                table, invalid = _parse_block(utf8, layout, profile, threads=False)
            n_rows = table.num_rows + len(invalid)
            n_lines = block.count(b"\n") + (0 if block.endswith(b"\n") else 1)
            if n_rows != n_lines:
                raise InputError(
                    f"{n_lines} lines but {n_rows} rows from line {next_line} on: a quoted "
                    "field holds a line break, or lines end in a bare CR; expected one row "
                    "per line ending in LF or CR LF",
                    path=path, line=next_line,
                )
            bad_numbers = np.array([r.number for r in invalid], dtype=np.int64)
            keep = np.ones(n_rows, dtype=bool)
            keep[bad_numbers - 1] = False
            lines = next_line + np.flatnonzero(keep)
            table = table.append_column("__line", pa.array(lines, pa.int64()))
            bad = [(next_line + r.number - 1, r.text, r.actual) for r in invalid]
            if first_block and len(bad) >= 5 and len(bad) > n_rows // 2:
                counts = Counter(r.actual for r in invalid).most_common(1)[0][0]
                raise InputError(
                    f"most rows do not fit the header: it has {n_fields} fields, "
                    f"{len(bad)} of the first {n_rows} rows have a different number "
                    f"(mostly {counts}); expected {profile.delimiter!r} between fields as "
                    f"in format profile {profile.name!r}",
                    path=path, line=bad[0][0],
                )
            first_block = False
            if eof and bad and not block.endswith(b"\n"):
                line, _text, actual = bad[-1]
                if line == next_line + n_rows - 1 and actual < n_fields:
                    raise InputError(
                        f"truncated last line: {actual} of {n_fields} fields and no line "
                        "end; the file looks like an incomplete copy (copy it again from "
                        "the counter)",
                        path=path, line=line,
                    )
            next_line += n_lines
            blank = (b"\n\n" in utf8 or b"\n\r\n" in utf8
                     or utf8.startswith((b"\n", b"\r\n")))
            yield table, bad, blank


# ---------------------------------------------------------------- conversion


def _strip(arr: pa.Array, profile: Profile) -> pa.Array:
    return pc.utf8_trim_whitespace(arr) if profile.strip_fields else arr


def _numbers(arr: pa.Array, decimal: str, *, integer: bool = False
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Parse text to numbers, vectorised.

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


def _category(arr: pa.Array | pa.ChunkedArray) -> pd.Series:
    """Text column as a pandas categorical (Arrow hashing; no Python string per row)."""
    encoded = pc.dictionary_encode(arr)
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.unify_dictionaries() if encoded.num_chunks > 1 else encoded
    series = encoded.to_pandas()
    return pd.Series(series.array if isinstance(series, pd.Series) else series)


def _const_category(value: str, n: int) -> pd.Series:
    """Return ``value`` on each of ``n`` rows, as a one-category categorical."""
    return pd.Series(pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), [value]))


def _arrow_str(arr: pa.Array) -> pd.Series:
    return pd.Series(pd.array(arr, dtype="string"))


def _join(table: pa.Table, names: tuple[str, ...], profile: Profile) -> pa.Array:
    parts = [_strip(table.column(c), profile) for c in names]
    if len(parts) == 1:
        return parts[0]
    return pc.binary_join_element_wise(*parts, " ")


def _classes(arr: pa.Array, profile: Profile) -> pa.Array:
    """Map raw classes to canonical ones (unmapped -> unknown), vectorised."""
    mapping = profile.section("classes")
    folded = {str(k).strip().casefold(): v for k, v in mapping.items()}
    uniques = pc.unique(arr)
    targets = []
    for raw in uniques.to_pylist():  # one per distinct raw class, not per row
        key = (raw or "").strip().casefold()
        if folded:
            targets.append(folded.get(key, "unknown"))
        else:
            targets.append(key if key in cols.VEHICLE_CLASSES else "unknown")
    idx = pc.index_in(arr, value_set=uniques)
    return pc.take(pa.array(targets, pa.string()), idx)


def _site_and_direction(table: pa.Table, layout: _Layout, profile: Profile, n: int,
                        rej: _Rejects) -> tuple[pa.Array, pa.Array | None]:
    if layout.site_col:
        site = _strip(table.column(layout.site_col), profile)
        rej.add(_empty_mask(site), layout.site_col, "value_missing", site)
    else:
        site = _repeat(layout.site_value, n)
    fixed = profile.section("fixed")
    direction = None
    if "direction" in fixed:
        direction = _repeat(str(fixed["direction"]), n)
    elif "direction" in layout.mapped:
        raw = layout.mapped["direction"]
        direction = _strip(table.column(raw), profile)
        rej.add(_empty_mask(direction), raw, "value_missing", direction)
    return site, direction


def _times(table: pa.Table, names: tuple[str, ...], fmt: str, profile: Profile,
           settings: Settings, site: pa.Array, fold: FoldState, rej: _Rejects,
           layout: _Layout) -> pd.Series:
    values = _join(table, names, profile)
    groups = site if layout.site_col else None
    times, gap = to_utc(values, fmt, profile.time_basis, settings.timezone,
                        groups=groups, state=fold)
    nat = times.isna().to_numpy()
    label = " ".join(names)
    rej.add(gap, label, "time_in_dst_gap", values)
    rej.add(nat & ~gap, label, "time_unparsable", values)
    return times


def _convert_vehicles(table: pa.Table, layout: _Layout, profile: Profile,
                      settings: Settings, source: str, state: _State,
                      known_sites: Collection[str] | None) -> tuple[pd.DataFrame, list]:
    n = table.num_rows
    lines = table.column("__line").to_numpy()
    rej = _Rejects(n, lines)
    site, direction = _site_and_direction(table, layout, profile, n, rej)
    units = profile.section("units")
    time_fmt = profile.section("time").get("format", "iso")
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
    with np.errstate(invalid="ignore"):
        impossible = ~np.isnan(speed) & ((speed < lim.min_speed_kmh) | (speed > lim.max_speed_kmh))
    rej.add(impossible, col, "speed_impossible", speed_raw)
    extra: dict[str, np.ndarray] = {}
    for name, factor in (("length", FOOT if units.get("length", "m") == "ft" else 1.0),
                         ("headway", 1.0)):
        if name in layout.mapped:
            raw = _strip(table.column(layout.mapped[name]), profile)
            values, _, bad = _numbers(raw, profile.decimal)
            rej.add(bad, layout.mapped[name], "value_unparsable", raw)
            extra[name] = values * factor
    if "vehicle_class" in layout.mapped:
        raw = _strip(table.column(layout.mapped["vehicle_class"]), profile)
        vclass = _classes(raw, profile)
    else:
        vclass = _repeat("unknown", n)
    if known_sites is not None:
        unknown = ~np.asarray(pc.is_in(site, value_set=pa.array(list(known_sites), pa.string()))
                              .to_numpy(zero_copy_only=False), dtype=bool)
        rej.add(unknown, layout.site_col or "site_id", "site_unknown", site)
    keep = ~rej.taken
    all_kept = bool(keep.all())
    idx = None if all_kept else pa.array(np.flatnonzero(keep))

    def take(arr: pa.Array) -> pa.Array:
        return arr if idx is None else arr.take(idx)

    out = pd.DataFrame({
        "site_id": _category(take(site)),
        "time": (times if all_kept else times[keep].reset_index(drop=True)).astype(cols.UTC),
        "direction": _category(take(direction)),
        "speed": speed[keep],
        "length": extra["length"][keep] if "length" in extra else np.full(keep.sum(), np.nan),
        "headway": (extra["headway"][keep] if "headway" in extra
                    else np.full(keep.sum(), np.nan)),
        "vehicle_class": _category(take(vclass)),
        "source": _const_category(source, int(keep.sum())),
        "line": lines[keep].astype(np.int64),
    })
    if "headway" not in extra:
        t_ns = np.asarray(out["time"].dt.as_unit("ns").array.asi8, dtype=np.int64)
        out["headway"] = _headway(take(site), take(direction), t_ns, state)
    return out, rej.parts


def _codes(arr: pa.Array) -> tuple[np.ndarray, list[str]]:
    """Integer code per row and the distinct values (vectorised, Arrow hash)."""
    uniques = pc.unique(arr)
    codes = pc.index_in(arr, value_set=uniques)
    return np.asarray(codes.to_numpy(zero_copy_only=False), dtype=np.int64), uniques.to_pylist()


def _headway(site: pa.Array, direction: pa.Array, t: np.ndarray, state: _State) -> np.ndarray:
    """Seconds since the previous vehicle of the same site and direction.

    Parameters
    ----------
    site, direction : pyarrow string arrays
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
    key = s_codes * n_dir + d_codes
    if len(s_uni) * n_dir < 2**15 and np.all(t[1:] >= t[:-1]):
        order = np.argsort(key.astype(np.int16), kind="stable")  # file in time order
    else:
        order = np.lexsort((t, key))
    ks, ts = key[order], t[order]
    starts = np.flatnonzero(np.r_[True, ks[1:] != ks[:-1]])
    ends = np.r_[starts[1:] - 1, n - 1]
    prev = np.r_[0, ts[:-1]].astype(np.float64)
    for first, last in zip(starts, ends, strict=True):  # one per site and direction
        label = (s_uni[ks[first] // n_dir], d_uni[ks[first] % n_dir])
        prev[first] = state.last_time.get(label, np.nan)
        state.last_time[label] = ts[last]
    out = np.empty(n)
    out[order] = (ts - prev) / 1e9
    return out


def _convert_bins(table: pa.Table, layout: _Layout, profile: Profile,
                  settings: Settings, source: str, state: _State,
                  known_sites: Collection[str] | None) -> tuple[pd.DataFrame, list]:
    n = table.num_rows
    lines = table.column("__line").to_numpy()
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
        dirs = None
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
        unknown = ~np.asarray(pc.is_in(site, value_set=pa.array(list(known_sites), pa.string()))
                              .to_numpy(zero_copy_only=False), dtype=bool)
        rej.add(unknown, layout.site_col or "site_id", "site_unknown", site)
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
    return out, rej.parts


# ---------------------------------------------------------------- public


def _meta(kind: str, table: pd.DataFrame, rejects: pd.DataFrame, profile: Profile,
          header: Header, site_value: str | None) -> dict[str, Any]:
    time_col = "time" if kind == "vehicles" else "start"
    last_col = "time" if kind == "vehicles" else "end"
    sites = sorted(table["site_id"].dropna().unique().tolist())
    if not sites and site_value is not None:
        sites = [site_value]
    return {
        "site_ids": sites,
        "first": table[time_col].min() if len(table) else pd.NaT,
        "last": table[last_col].max() if len(table) else pd.NaT,
        "rows": len(table),
        "rejected": len(rejects),
        "encoding": header.encoding,
        "header_line": header.line,
        "profile": profile.name,
    }


def _check_kind(path: Path, profile: Profile) -> None:
    if profile.kind not in ("vehicles", "bins"):
        raise InputError(f"format profile {profile.name!r} is for {profile.kind}, "
                         "not for counter files", path=path)
    if profile.file_type != "text":
        raise InputError(f"format profile {profile.name!r}: counter files must be "
                         "delimited text (file_type = 'text')", path=path)


def iter_counter_file(
    path: Path | str,
    profile: Profile,
    *,
    settings: Settings,
    source: str,
    known_sites: Collection[str] | None = None,
    chunk_rows: int | None = None,
    block_bytes: int | None = None,
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
    layout = _layout(path, profile, header)
    convert = _convert_vehicles if profile.kind == "vehicles" else _convert_bins
    state = _State()
    pending: list[pa.Table] = []
    pending_rows = 0
    pending_bad: list[tuple[int, str, int]] = []
    yielded = False

    def emit(tables: list[pa.Table], bad: list[tuple[int, str, int]]) -> ReadResult:
        raw = (pa.concat_tables(tables) if tables else
               pa.table({**{c: pa.array([], pa.string()) for c in layout.needed},
                         "__line": pa.array([], pa.int64())}))
        if blank:
            raw = _drop_blank(raw, layout)
        table, parts = convert(raw, layout, profile, settings, source, state, known_sites)
        if bad:
            parts = [*parts, pd.DataFrame({
                "line": [b[0] for b in bad], "column": None, "reason": "field_count",
                "value": [f"{b[2]} of {len(layout.header.names)} fields: {b[1]}"[:_VALUE_CHARS]
                          for b in bad],
            })]
        rejects = _rejects_frame(parts, source)
        return ReadResult(profile.kind, table, rejects, profile.name,
                          _meta(profile.kind, table, rejects, profile, header,
                                layout.site_value))

    blank = False
    for table, bad, has_blank in _iter_raw(path, profile, layout, block_bytes):
        blank = blank or has_blank
        pending.append(table)
        pending_rows += table.num_rows
        pending_bad += bad
        while pending_rows >= chunk_rows:
            whole = pa.concat_tables(pending)
            head, tail = whole.slice(0, chunk_rows), whole.slice(chunk_rows)
            cut_line = tail.column("__line")[0].as_py() if tail.num_rows else None
            split = (len(pending_bad) if cut_line is None
                     else bisect.bisect_left([b[0] for b in pending_bad], cut_line))
            now, pending_bad = pending_bad[:split], pending_bad[split:]
            yield emit([head], now)
            yielded = True
            pending, pending_rows = ([tail] if tail.num_rows else []), tail.num_rows
    if pending or pending_bad or not yielded:
        yield emit(pending, pending_bad)


def _drop_blank(table: pa.Table, layout: _Layout) -> pa.Table:
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
