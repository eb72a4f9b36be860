"""Parsing one raw block of a counter file with :mod:`pyarrow.csv`: typed or as text.

typed (the fast path)
    When the reader passes a :class:`Typing`, pyarrow's multi-threaded reader
    converts the block straight to numbers (decimal comma included) and times,
    without transcoding a single-byte encoding such as Windows-1252 (only the
    few distinct values of the text columns are decoded). It is taken only
    when it cannot differ from the text path: every row has the header's
    field count, no value needed is empty or unparsable, no field has spaces
    around it that the text path would keep, and the bytes are valid in the
    file's encoding (:func:`parse_typed` returns None otherwise). Otherwise
    the block is
text
    read with every needed column as text, the rows with a wrong field count
    set aside with their line (:func:`parse_text`).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from trafikplan.io.counters.block_encoding import RawBlock, raw_encoding
from trafikplan.io.profiles.profile import Profile

__all__ = ["UTC", "WALL", "Typing", "dictionary_encode", "parse_text", "parse_typed"]

WALL = "__wall"
"""Typed block column: local wall time [ns since epoch, naive] (int64)."""
UTC = "__utc"
"""Typed block column: time [UTC] parsed from ISO 8601 with offset."""

_NS_S = 1_000_000_000
_ARROW_BLOCK = 1 << 22


@dataclass(frozen=True)
class Typing:
    """How the fast path parses a block: pyarrow types per column.

    Attributes
    ----------
    types : dict
        Raw column -> pyarrow type (``string`` for text, ``float64`` for numbers,
        ``date32``/``timestamp`` for times).
    decimal : str
        Decimal mark of the numbers.
    time : str
        ``"iso"``: the one time column holds ISO 8601 with offset (becomes
        :data:`UTC`); ``"date_hms"``: a ``YYYY-MM-DD`` and an ``HH:MM:SS``
        column (become :data:`WALL`); ``""``: the time columns stay text.
    time_cols : tuple of str
        The raw time columns.
    text_cols : tuple of str
        Text columns other than times (decoded from a single-byte encoding when
        needed, then dictionary-encoded).
    required : tuple of str
        Typed columns in which an empty value sends the block to the text path.
    """

    types: dict[str, pa.DataType]
    decimal: str
    time: str
    time_cols: tuple[str, ...]
    text_cols: tuple[str, ...]
    required: tuple[str, ...]


def _one_byte(arr: pa.Array) -> np.ndarray | None:
    """Return the bytes of text whose every value is one byte long, else None."""
    n = len(arr)
    if arr.null_count or not (pa.types.is_string(arr.type) or pa.types.is_binary(arr.type)):
        return None
    offsets = np.frombuffer(arr.buffers()[1], np.int32, n + 1, arr.offset * 4)
    if n == 0 or offsets[n] - offsets[0] != n or bool((np.diff(offsets) != 1).any()):
        return None
    return np.frombuffer(arr.buffers()[2], np.uint8, n, int(offsets[0]))


def dictionary_encode(arr: pa.Array | pa.ChunkedArray) -> pa.DictionaryArray:
    """Dictionary-encode text, the values in order of first occurrence.

    Values of exactly one ASCII byte each (direction labels such as ``1`` and
    ``2``) go through a 256-entry table instead of a hash of every string
    (about three times faster); anything else through
    :func:`pyarrow.compute.dictionary_encode`.
    """
    chunks = arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
    data = [d for d in map(_one_byte, chunks) if d is not None]
    if chunks and len(data) == len(chunks):
        codes = np.concatenate(data) if len(data) > 1 else data[0]
        present = pc.unique(pa.array(codes)).to_numpy()  # in order of first occurrence
        if present.max() < 128:
            table = np.zeros(256, np.int32)
            table[present] = np.arange(len(present), dtype=np.int32)
            values = pa.array([bytes([v]) for v in present], pa.binary()).cast(arr.type)
            return pa.DictionaryArray.from_arrays(
                pc.take(pa.array(table), pa.array(codes)), values)
    encoded = pc.dictionary_encode(arr)
    return encoded.combine_chunks() if isinstance(encoded, pa.ChunkedArray) else encoded


def _decoded(arr: pa.ChunkedArray, enc: str) -> pa.DictionaryArray:
    """Decode text read raw from a single-byte encoding, one distinct value at a time."""
    encoded = dictionary_encode(arr.cast(pa.binary()))
    values = [v.decode(enc) for v in encoded.dictionary.to_pylist()]
    return pa.DictionaryArray.from_arrays(encoded.indices, pa.array(values, pa.string()))


def _hms_seconds(arr: pa.ChunkedArray) -> np.ndarray | None:
    """Seconds of the day of ``HH:MM:SS`` texts (exactly that form), else None.

    Vectorised on the fixed-width bytes: eight per value, read as one 64-bit
    word; each digit must be 0-9, hours < 24, minutes and seconds < 60.
    """
    a = arr.combine_chunks()
    n = len(a)
    if a.null_count:
        return None
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.frombuffer(a.buffers()[1], dtype=np.int32, count=n + 1, offset=a.offset * 4)
    if bool((np.diff(offsets) != 8).any()):
        return None
    words = np.frombuffer(a.buffers()[2], dtype="<u8", count=n, offset=int(offsets[0]))
    x = words - np.uint64(0x3030_3A30_303A_3030)  # '0' digits, ':' separators -> 0
    digit_bits = np.uint64(0xF0F0_FFF0_F0FF_F0F0)
    over_nine = (x + np.uint64(0x0606_0006_0600_0606)) & np.uint64(0xF0F0_00F0_F000_F0F0)
    if bool(((x & digit_bits) | over_nine).any()):
        return None

    def digits(first: int) -> np.ndarray:  # two digits from byte ``first`` on
        byte = np.uint64(0xFF)
        return ((x >> np.uint64(8 * first)) & byte) * np.uint64(10) + (
            (x >> np.uint64(8 * first + 8)) & byte)

    h, m, s = digits(0), digits(3), digits(6)
    if bool((h > 23).any() or (m > 59).any() or (s > 59).any()):
        return None
    return (h * np.uint64(3600) + m * np.uint64(60) + s).astype(np.int64)


def parse_typed(raw: RawBlock, enc: str, names: list[str], profile: Profile,
                 typing: Typing) -> pa.Table | None:
    """Parse a block the fast way; None when it must take the text path."""
    if not profile.strip_fields and (raw.has(b" ") or raw.has(b"\t")):
        return None  # pyarrow trims spaces around numbers; the text path would not
    raw_enc = raw_encoding(raw, enc)
    if raw_enc is None or (raw_enc and typing.time == ""):
        return None  # (time text is parsed as text: it must be UTF-8 then)
    try:
        table = pcsv.read_csv(
            pa.BufferReader(pa.py_buffer(raw.view())),  # pyarrow copies what it keeps
            read_options=pcsv.ReadOptions(column_names=names, block_size=_ARROW_BLOCK),
            parse_options=pcsv.ParseOptions(delimiter=profile.delimiter,
                                            ignore_empty_lines=False),
            convert_options=pcsv.ConvertOptions(
                column_types=typing.types, include_columns=list(typing.types),
                null_values=[""], strings_can_be_null=False, check_utf8=False,
                decimal_point=typing.decimal),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if any(table.column(c).null_count for c in typing.required):
        return None
    if typing.time == "date_hms":
        date, clock = typing.time_cols
        seconds = _hms_seconds(table.column(clock))
        if seconds is None:
            return None
        days = table.column(date).combine_chunks().cast(pa.int32()).to_numpy()
        if len(days) and (days.min() < -100_000 or days.max() > 100_000):
            return None  # beyond 1696..2243: nanoseconds would wrap; the text path rejects it
        wall = (days.astype(np.int64) * 86_400 + seconds) * _NS_S
        table = table.drop_columns([date, clock]).append_column(WALL, pa.array(wall))
    elif typing.time == "iso":
        (col,) = typing.time_cols
        utc = table.column(col)
        table = table.drop_columns([col]).append_column(UTC, utc)
    if raw_enc:
        for c in typing.text_cols:
            table = table.set_column(table.schema.get_field_index(c), c,
                                     _decoded(table.column(c), raw_enc))
    return table


def parse_text(data: bytes, names: list[str], needed: list[str], profile: Profile, *,
                threads: bool) -> tuple[pa.Table, list[Any]]:
    """Parse UTF-8 ``data`` with every needed column as text; also the rows set aside."""
    invalid: list[Any] = []

    def handler(row: Any) -> str:
        invalid.append((row.number, row.text, row.actual_columns))
        return "skip"

    table = pcsv.read_csv(
        io.BytesIO(data),
        read_options=pcsv.ReadOptions(column_names=names, use_threads=threads,
                                      block_size=_ARROW_BLOCK),
        parse_options=pcsv.ParseOptions(delimiter=profile.delimiter,
                                        invalid_row_handler=handler,
                                        ignore_empty_lines=False),
        convert_options=pcsv.ConvertOptions(
            column_types=dict.fromkeys(needed, pa.string()),
            include_columns=needed, strings_can_be_null=False, check_utf8=False),
    )
    return table, invalid
