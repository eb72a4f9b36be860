"""Raw blocks of a counter file's body, parsed by :mod:`pyarrow.csv`.

The body is read in blocks of raw bytes cut at a line end, so the 1-based
line of every row is known exactly (counter files hold one row per physical
line). Each block is checked against the input limits and the file's
encoding (:mod:`trafikplan.io.counters.block_encoding`) and parsed the fast typed way
or as text (:mod:`trafikplan.io.counters.block_parse`); rows with a wrong field count
are set aside with their line, and the text values are converted (and bad
ones rejected with reason) by :mod:`trafikplan.io.counters`. Both ways give
the same canonical values; the typed block simply has no rejects from
parsing. :func:`read_ahead` parses the next blocks in a thread while the
caller converts one.
"""

from __future__ import annotations

import zlib
from collections import Counter, deque
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from trafikplan._errors import InputError
from trafikplan.i18n.phrase import Phrase
from trafikplan.io.counters.block_encoding import RawBlock, decode_block
from trafikplan.io.counters.block_parse import (
    Typing,
    parse_text,
    parse_typed,
)
from trafikplan.io.files import decoding, limits, textfile
from trafikplan.io.files.decoding import is_utf8
from trafikplan.io.profiles.detect import Header
from trafikplan.io.profiles.profile import Profile

__all__ = ["LINE", "READ_AHEAD", "Block", "iter_blocks", "read_ahead"]

LINE = "__line"
"""Column of every block: 1-based line of the row in the file."""

READ_AHEAD = 3
"""Blocks parsed ahead of the one being converted."""


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
                if have > limits.limits().max_line_kb * 1024:
                    raise limits.LimitError(Phrase("err_limit_line_longer",
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
            limits.check_line_lengths(buf, path, next_line, end)
            if not is_utf8(enc):
                decoding.refuse_utf8_inside(buf, enc, path, first_line=next_line, end=end)
            raw = RawBlock(buf, end)
            typed = None if typing is None else parse_typed(raw, enc, names, profile, typing)
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
            utf8, enc = decode_block(block, enc, profile, path, next_line, settled)
            settled = settled or not block.isascii()
            table, invalid = parse_text(utf8, names, needed, profile, threads=True)
            if invalid and any(r[0] is None for r in invalid):
                table, invalid = parse_text(utf8, names, needed, profile, threads=False)
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
