"""Raw blocks of a counter file's body, parsed by :mod:`pyarrow.csv`.

The body is read in blocks of raw bytes cut at a line end, so the 1-based
line of every row is known exactly (counter files hold one row per physical
line). Each block is parsed one of two ways:

typed (the fast path)
    When the reader passes a :class:`Typing`, pyarrow's multi-threaded reader
    converts the block straight to numbers (decimal comma included) and times,
    without transcoding a single-byte encoding such as Windows-1252 (only the
    few distinct values of the text columns are decoded). It is taken only
    when it cannot differ from the text path: every row has the header's
    field count, no value needed is empty or unparsable, no field has spaces
    around it that the text path would keep, and the bytes are valid in the
    file's encoding. Otherwise the block is
text
    transcoded to UTF-8 and every column read as text; rows with a wrong
    field count are set aside with their line, and the values are converted
    (and bad ones rejected with reason) by :mod:`trafikplan.io.counters`.

Both give the same canonical values; the typed block simply has no rejects
from parsing.
"""

from __future__ import annotations

import functools
import io
import zlib
from collections import Counter, deque
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from trafikplan._errors import InputError, Phrase
from trafikplan.io import textfile
from trafikplan.io.profiles import Header, Profile

__all__ = [
    "LINE",
    "READ_AHEAD",
    "UTC",
    "WALL",
    "Block",
    "Typing",
    "dictionary_encode",
    "iter_blocks",
    "read_ahead",
]

WALL = "__wall"
"""Typed block column: local wall time [ns since epoch, naive] (int64)."""
UTC = "__utc"
"""Typed block column: time [UTC] parsed from ISO 8601 with offset."""
LINE = "__line"
"""Column of every block: 1-based line of the row in the file."""

_NS_S = 1_000_000_000
_ARROW_BLOCK = 1 << 22

READ_AHEAD = 3
"""Blocks parsed ahead of the one being converted."""


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


@dataclass
class Block:
    """One parsed block.

    Attributes
    ----------
    table : pyarrow Table
        The columns read (typed or text) and :data:`LINE`.
    bad : list of (int, str, int)
        Rows with a wrong field count: line, raw text, fields found.
    blank : bool
        The block may hold blank lines (text blocks only).
    typed : bool
        Parsed by the fast path.
    """

    table: pa.Table
    bad: list[tuple[int, str, int]]
    blank: bool
    typed: bool


@functools.lru_cache(maxsize=32)
def _ascii_compatible(encoding: str) -> bool:
    """Tell whether ``encoding`` writes the 128 ASCII characters as themselves."""
    try:
        return "".join(map(chr, range(128))).encode(encoding) == bytes(range(128))
    except (LookupError, UnicodeEncodeError):
        return False


def _is_utf8(encoding: str) -> bool:
    return encoding.replace("_", "-").lower() in ("utf-8", "utf8")


@functools.lru_cache(maxsize=32)
def _undefined_bytes(encoding: str) -> tuple[bytes, ...] | None:
    """Bytes a single-byte ``encoding`` cannot decode, or None if it is not single-byte.

    Single-byte: ASCII-compatible, and every byte that decodes on its own is
    one character whatever surrounds it (Windows-1252, ISO 8859-x).
    """
    if not _ascii_compatible(encoding) or _is_utf8(encoding):
        return None
    ok, undefined = [], []
    for b in range(256):
        try:
            char = bytes([b]).decode(encoding)
        except UnicodeDecodeError:
            undefined.append(bytes([b]))
            continue
        if len(char) != 1:
            return None
        ok.append(b)
    try:
        whole = bytes(ok).decode(encoding)
    except UnicodeDecodeError:
        return None
    if whole != "".join(bytes([b]).decode(encoding) for b in ok):
        return None
    return tuple(undefined)


def _decode_block(block: bytes, enc: str, profile: Profile, path: Path,
                  first_line: int, settled: bool = False) -> tuple[bytes, str]:
    """Validate/transcode ``block`` to UTF-8; return (bytes, encoding used).

    A block of pure ASCII (the usual body of a counter file: digits, times,
    separators) is the same text in every ASCII-compatible encoding and
    already valid UTF-8, so it is passed on without decoding. Once non-ASCII
    text has fixed the file's encoding (``settled``), a block is decoded in
    that encoding only: a file is one encoding.
    """
    if _ascii_compatible(enc) and block.isascii():
        return block, enc
    order = [enc] if settled else [enc] + [e for e in profile.encodings if e != enc]
    first_exc: UnicodeDecodeError | None = None
    for e in order:
        try:
            text = block.decode(e)
        except UnicodeDecodeError as exc:
            first_exc = first_exc or exc
            continue
        if _is_utf8(e):
            return block, e
        return text.encode("utf-8"), e
    assert first_exc is not None
    raise textfile.encoding_error(block, first_exc, order, path, first_line=first_line)


@dataclass(frozen=True)
class _Raw:
    """The bytes ``buf[:end]`` of the reused read buffer, used without copying them."""

    buf: bytearray
    end: int

    def has(self, sub: bytes) -> bool:
        return self.buf.find(sub, 0, self.end) >= 0

    def count_byte(self, byte: int) -> int:
        """Occurrences of one byte (NumPy: about three times as fast as ``bytearray.count``)."""
        return int(np.count_nonzero(np.frombuffer(self.buf, np.uint8, self.end) == byte))

    def ends_with_newline(self) -> bool:
        return self.end > 0 and self.buf[self.end - 1] == 0x0A

    def view(self) -> memoryview:
        return memoryview(self.buf)[: self.end]


def _raw_encoding(raw: _Raw, enc: str) -> str | None:
    """Return the encoding the text columns of a block parsed raw need decoding from.

    ``""`` when none is needed (ASCII, or valid UTF-8); None when the block
    must take the text path (invalid bytes, or a multi-byte encoding). The
    ASCII test looks at the whole buffer (cheap, and only ever too careful).
    """
    if raw.buf.isascii() and _ascii_compatible(enc):
        return ""
    if _is_utf8(enc):
        try:
            str(raw.view(), "utf-8")
        except UnicodeDecodeError:
            return None
        return ""
    undefined = _undefined_bytes(enc)
    if undefined is None or any(raw.has(b) for b in undefined):
        return None
    return enc


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
    data = [_one_byte(c) for c in chunks]
    if chunks and all(d is not None for d in data):
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


def _parse_typed(raw: _Raw, enc: str, names: list[str], profile: Profile,
                 typing: Typing) -> pa.Table | None:
    """Parse a block the fast way; None when it must take the text path."""
    if not profile.strip_fields and (raw.has(b" ") or raw.has(b"\t")):
        return None  # pyarrow trims spaces around numbers; the text path would not
    raw_enc = _raw_encoding(raw, enc)
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


def _parse_text(data: bytes, names: list[str], needed: list[str], profile: Profile, *,
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


def _fill(fh: Any, buf: bytearray, start: int) -> int:
    """Read into ``buf`` from ``start`` until it is full or the file ends; return its bytes."""
    view = memoryview(buf)
    pos = start
    while pos < len(buf):
        n = fh.readinto(view[pos:])
        if not n:
            break
        pos += n
    return pos


def _keep_rest(buf: bytearray, end: int, size: int) -> int:
    """Move the incomplete line after ``end`` to the front of ``buf``; return its length."""
    rest = bytes(buf[end:size])
    buf[: len(rest)] = rest
    return len(rest)


def iter_blocks(path: Path, profile: Profile, header: Header, needed: list[str],
                block_bytes: int, typing: Typing | None = None,
                digest: textfile.Digest | None = None) -> Iterator[Block]:
    """Yield the parsed blocks of a counter file's body, in file order.

    Parameters
    ----------
    path : Path
        The raw file (gzip decompressed transparently).
    profile : Profile
        Its format profile (delimiter, encodings).
    header : Header
        Where the body starts, the column names, the encoding.
    needed : list of str
        The raw columns to read.
    block_bytes : int
        Raw bytes read at a time (cut at the last line end).
    typing : Typing, optional
        Try the fast typed parse first.
    digest : textfile.Digest, optional
        Hashes the file's raw bytes as they are read (all of them once the
        blocks are exhausted).

    Raises
    ------
    InputError
        Wrong encoding, a quoted line break or bare CR line ends, most rows
        not fitting the header, a truncated last line, a damaged gzip stream.
    """
    enc = header.encoding
    names = list(header.names)
    settled = not all(t.isascii() for t in (*header.metadata, *header.names))
    n_fields = len(names)
    next_line = header.line + 1
    with textfile.open_binary(path, digest) as fh:
        skipped = fh.read(header.body_offset)
        if len(skipped) < header.body_offset:
            return
        buf = bytearray(block_bytes)
        have = 0  # bytes of a line not yet complete, at the front of ``buf``
        eof = False
        first_block = True
        while not eof:
            if have == len(buf):  # a line longer than the buffer
                if have > textfile.limits().max_line_kb * 1024:
                    raise textfile.LimitError(Phrase("err_limit_line_longer",
                                                     kib=f"{have / 1024:.0f}"),
                                              "max_line_kb", path=path, line=next_line)
                buf += bytearray(len(buf))
            try:
                size = _fill(fh, buf, have)
            except (EOFError, OSError, zlib.error) as exc:
                raise InputError(
                    "err_gzip_cut_counter", detail=exc,
                    path=path, line=next_line,
                ) from None
            eof = size < len(buf)
            end = size if eof else buf.rfind(b"\n", 0, size) + 1
            if end == 0:
                have = size
                continue
            textfile.check_line_lengths(buf, path, next_line, end)
            if not _is_utf8(enc):
                textfile.refuse_utf8_inside(buf, enc, path, first_line=next_line, end=end)
            raw = _Raw(buf, end)
            typed = None if typing is None else _parse_typed(raw, enc, names, profile, typing)
            if typed is not None and not raw.has(b"\r") and not raw.has(b'"'):
                n_lines = typed.num_rows  # every LF ends a row, and nothing else does
            else:
                n_lines = raw.count_byte(0x0A) + (0 if raw.ends_with_newline() else 1)
            block_ends_newline = raw.ends_with_newline()
            if typed is not None and typed.num_rows == n_lines:
                lines = np.arange(next_line, next_line + n_lines, dtype=np.int64)
                first_block = False
                next_line += n_lines
                have = _keep_rest(buf, end, size)
                yield Block(typed.append_column(LINE, pa.array(lines)), [], False, True)
                continue
            block = bytes(raw.view())
            have = _keep_rest(buf, end, size)
            utf8, enc = _decode_block(block, enc, profile, path, next_line, settled)
            settled = settled or not block.isascii()
            table, invalid = _parse_text(utf8, names, needed, profile, threads=True)
            if invalid and any(r[0] is None for r in invalid):
                table, invalid = _parse_text(utf8, names, needed, profile, threads=False)
            n_rows = table.num_rows + len(invalid)
            if n_rows != n_lines:
                raise InputError(
                    "err_lines_rows", n_lines=n_lines, n_rows=n_rows, start=next_line,
                    path=path, line=next_line,
                )
            keep = np.ones(n_rows, dtype=bool)
            keep[np.array([r[0] for r in invalid], dtype=np.int64) - 1] = False
            lines = next_line + np.flatnonzero(keep)
            table = table.append_column(LINE, pa.array(lines, pa.int64()))
            bad = [(next_line + number - 1, text, actual) for number, text, actual in invalid]
            if first_block and len(bad) >= 5 and len(bad) > n_rows // 2:
                counts = Counter(r[2] for r in invalid).most_common(1)[0][0]
                raise InputError(
                    "err_rows_misfit", n_fields=n_fields, n_bad=len(bad), n_rows=n_rows,
                    mostly=counts, delimiter=profile.delimiter, profile=profile.name,
                    path=path, line=bad[0][0],
                )
            first_block = False
            if eof and bad and not block_ends_newline:
                line, _text, actual = bad[-1]
                if line == next_line + n_rows - 1 and actual < n_fields:
                    raise InputError(
                        "err_truncated_line", actual=actual, n_fields=n_fields,
                        path=path, line=line,
                    )
            next_line += n_lines
            blank = (b"\n\n" in utf8 or b"\n\r\n" in utf8
                     or utf8.startswith((b"\n", b"\r\n")))
            yield Block(table, bad, blank, False)


def read_ahead(blocks: Iterator[Block], depth: int = READ_AHEAD) -> Iterator[Block]:
    """Yield from ``blocks`` while a thread already reads and parses the next ones.

    The caller converts one block while the next are parsed, so that both
    cores work (pyarrow and NumPy release the GIL); ``depth`` blocks more are
    held in memory, so that the parser keeps going while the caller does
    something else now and then (splits a chunk into parts). Errors surface
    in file order, where the block they belong to would be.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="trafikplan-read") as pool:
        try:
            ahead = deque(pool.submit(next, blocks, None) for _ in range(depth))
            while (block := ahead.popleft().result()) is not None:
                ahead.append(pool.submit(next, blocks, None))
                yield block
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            close = getattr(blocks, "close", None)
            if close is not None:
                close()
