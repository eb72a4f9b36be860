"""The encoding of a counter file's raw blocks: checked, and transcoded only when needed.

A block of pure ASCII passes as it is; a block of a single-byte encoding
(Windows-1252, ISO 8859-x) may be parsed raw when none of its bytes is
undefined in that encoding, its text columns decoded afterwards one distinct
value at a time; anything else is transcoded to UTF-8 for the text path
(:mod:`trafikplan.io.counters.blocks`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from trafikplan.io.files.decoding import encoding_error, is_utf8
from trafikplan.io.profiles.profile import Profile

__all__ = ["RawBlock", "ascii_compatible", "decode_block", "raw_encoding"]


@functools.lru_cache(maxsize=32)
def ascii_compatible(encoding: str) -> bool:
    """Tell whether ``encoding`` writes the 128 ASCII characters as themselves."""
    try:
        return "".join(map(chr, range(128))).encode(encoding) == bytes(range(128))
    except (LookupError, UnicodeEncodeError):
        return False


@functools.lru_cache(maxsize=32)
def _undefined_bytes(encoding: str) -> tuple[bytes, ...] | None:
    """Bytes a single-byte ``encoding`` cannot decode, or None if it is not single-byte.

    Single-byte: ASCII-compatible, and every byte that decodes on its own is
    one character whatever surrounds it (Windows-1252, ISO 8859-x).
    """
    if not ascii_compatible(encoding) or is_utf8(encoding):
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


def decode_block(block: bytes, enc: str, profile: Profile, path: Path,
                  first_line: int, settled: bool = False) -> tuple[bytes, str]:
    """Validate/transcode ``block`` to UTF-8; return (bytes, encoding used).

    A block of pure ASCII (the usual body of a counter file: digits, times,
    separators) is the same text in every ASCII-compatible encoding and
    already valid UTF-8, so it is passed on without decoding. Once non-ASCII
    text has fixed the file's encoding (``settled``), a block is decoded in
    that encoding only: a file is one encoding.
    """
    if ascii_compatible(enc) and block.isascii():
        return block, enc
    order = [enc] if settled else [enc] + [e for e in profile.encodings if e != enc]
    first_exc: UnicodeDecodeError | None = None
    for e in order:
        try:
            text = block.decode(e)
        except UnicodeDecodeError as exc:
            first_exc = first_exc or exc
            continue
        if is_utf8(e):
            return block, e
        return text.encode("utf-8"), e
    assert first_exc is not None
    raise encoding_error(block, first_exc, order, path, first_line=first_line)


@dataclass(frozen=True)
class RawBlock:
    """The bytes ``buf[:end]`` of the reused read buffer, used without copying them."""

    buf: bytearray
    end: int

    def has(self, sub: bytes) -> bool:
        """Tell whether the bytes hold ``sub``."""
        return self.buf.find(sub, 0, self.end) >= 0

    def count_byte(self, byte: int) -> int:
        """Occurrences of one byte (NumPy: about three times as fast as ``bytearray.count``)."""
        return int(np.count_nonzero(np.frombuffer(self.buf, np.uint8, self.end) == byte))

    def ends_with_newline(self) -> bool:
        """Tell whether the last byte is a line feed."""
        return self.end > 0 and self.buf[self.end - 1] == 0x0A

    def view(self) -> memoryview:
        """Return the bytes as a view (not copied)."""
        return memoryview(self.buf)[: self.end]


def raw_encoding(raw: RawBlock, enc: str) -> str | None:
    """Return the encoding the text columns of a block parsed raw need decoding from.

    ``""`` when none is needed (ASCII, or valid UTF-8); None when the block
    must take the text path (invalid bytes, or a multi-byte encoding). The
    ASCII test looks at the whole buffer (cheap, and only ever too careful).
    """
    if raw.buf.isascii() and ascii_compatible(enc):
        return ""
    if is_utf8(enc):
        try:
            str(raw.view(), "utf-8")
        except UnicodeDecodeError:
            return None
        return ""
    undefined = _undefined_bytes(enc)
    if undefined is None or any(raw.has(b) for b in undefined):
        return None
    return enc

