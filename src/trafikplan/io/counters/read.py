"""Reading a counter file with its profile.

Block by block (:func:`iter_counter_file`) or whole (:func:`read_counter_file`).

Part of :mod:`trafikplan.io.counters`.
"""

from __future__ import annotations

import bisect
from collections.abc import Collection, Generator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pandas.api.typing import NaTType

from trafikplan._errors import InputError
from trafikplan.i18n.phrase import Code, Phrase
from trafikplan.io.counters.blocks import (
    LINE,
    Block,
    iter_blocks,
    read_ahead,
)
from trafikplan.io.counters.convert import (
    convert_bins,
    convert_vehicles,
)
from trafikplan.io.counters.layout import Layout, direction_labels, layout_of
from trafikplan.io.counters.values import (
    BLOCK_BYTES,
    BLOCK_BYTES_PER_ROW,
    VALUE_CHARS,
    ReadState,
    rejects_frame,
    typing_of,
)
from trafikplan.io.files.textfile import Digest
from trafikplan.io.profiles.detect import Header, locate_header
from trafikplan.io.profiles.profile import Profile, ReadResult
from trafikplan.io.times.timebase import ISO
from trafikplan.settings import Settings

__all__ = [
    "counts_by_reason",
    "iter_counter_file",
    "read_counter_file",
]


def _meta(kind: str, table: pd.DataFrame | pa.Table, rejects: pd.DataFrame,
          profile: Profile, header: Header, site_value: str | None) -> dict[str, Any]:
    time_col = "time" if kind == "vehicles" else "start"
    last_col = "time" if kind == "vehicles" else "end"
    if isinstance(table, pa.Table):
        sites = sorted({value for chunk in table.column("site_id").chunks
                        for value in _present(chunk)})
        first: pd.Timestamp | NaTType = pd.NaT
        last: pd.Timestamp | NaTType = pd.NaT
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
        "direction_labels": direction_labels(profile, header),
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
) -> Generator[ReadResult, None, None]:
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
    convert = convert_vehicles if vehicles else convert_bins
    typing = typing_of(layout, profile) if vehicles else None
    state = ReadState()
    seen: dict[str, Any] = {"rows": 0, "rejected": 0, "sample": []}
    pending: list[_Converted] = []
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
                "value": [f"{b[2]} of {len(layout.header.names)} fields: {b[1]}"[:VALUE_CHARS]
                          for b in bad],
            }))
        table: pa.Table | pd.DataFrame
        if vehicles:
            arrow: pa.Table = pa.concat_tables(tables) if len(tables) > 1 else tables[0]
            table = arrow if as_arrow else arrow.to_pandas()
        else:
            table = pd.concat(tables, ignore_index=True) if len(tables) > 1 else tables[0]
        rejects = rejects_frame(parts, source)
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
    return {str(k): int(v) for k, v in rejects["reason"].value_counts().items()}
