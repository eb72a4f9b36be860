"""Bytes to text: encodings tried in order, a UTF-8 BOM, UTF-16, mixed encodings refused.

Supported encodings are those in which a line end is the single byte ``0x0A``
(UTF-8, Windows-1252, ISO 8859-x, ...); UTF-16 with a byte order mark is
turned into UTF-8 where a whole file is read. A UTF-8 byte order mark is
always accepted and removed, whatever encodings a profile lists. Errors name
the line and the bytes that do not decode.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from trafikplan._errors import InputError
from trafikplan.i18n.phrase import Phrase

__all__ = [
    "BOM",
    "UTF16_BOMS",
    "Decoded",
    "check_not_empty_or_binary",
    "decode",
    "encoding_error",
    "from_utf16",
    "is_utf8",
    "refuse_utf8_inside",
    "split_lines",
]

BOM = b"\xef\xbb\xbf"
"""The UTF-8 byte order mark."""

UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
"""Byte order marks of UTF-16 (little, big endian)."""

_ASCII = bytes(range(128))
_UTF8_PAIR = re.compile(rb"[\xC2-\xF4][\x80-\xBF]")


def from_utf16(data: bytes, path: Path | str, *, partial: bool) -> bytes:
    """UTF-16 text with a byte order mark -> UTF-8 with a BOM (the readers' form)."""
    try:
        text = codecs.getincrementaldecoder("utf-16")().decode(data, final=not partial)
    except UnicodeDecodeError as exc:
        raise InputError("err_utf16_broken", detail=exc.reason, path=path) from None
    return BOM + text.encode("utf-8")


def refuse_utf8_inside(data: bytes | bytearray, encoding: str, path: Path | str, *,
                       first_line: int = 1, end: int | None = None) -> None:
    """Refuse a file read as a single-byte ``encoding`` that holds UTF-8 text too.

    A file is one encoding. A UTF-8 row pasted into a Windows-1252 file decodes
    without error as mojibake (``Ã¤`` for ``ä``), and a Windows-1252 byte in a
    UTF-8 file sends the whole file to the Windows-1252 fallback, turning every
    UTF-8 ``ä`` into mojibake; both are refused, naming the line of the first
    UTF-8 character. Swedish Windows-1252 text practically never holds a valid
    UTF-8 sequence (a letter ``Ã``/``Å`` followed by a symbol such as ``¤``).
    Fast: the non-ASCII bytes are searched first, the whole data only if they
    hold a candidate pair.

    Raises
    ------
    InputError
        Naming the line, the character and its bytes.
    """
    end = len(data) if end is None else end
    if not _UTF8_PAIR.search(data.translate(None, _ASCII)):
        return
    pos = 0
    while (m := _UTF8_PAIR.search(data, pos, end)) is not None:
        start = m.start()
        for size in (2, 3, 4):
            try:
                char = bytes(data[start:start + size]).decode("utf-8")
            except UnicodeDecodeError:
                continue
            other: Phrase | str = ""
            try:
                bytes(data[:end]).decode("utf-8")
            except UnicodeDecodeError as exc:
                where = first_line + data.count(b"\n", 0, exc.start)
                other = Phrase("err_mixed_other", line=where, byte=f"{data[exc.start]:02x}")
            raise InputError(
                "err_mixed_encodings", char=char,
                hex=bytes(data[start:start + size]).hex(" "), encoding=encoding, other=other,
                path=path, line=first_line + data.count(b"\n", 0, start))
        pos = start + 1



def check_not_empty_or_binary(head: bytes, path: Path | str) -> None:
    """Raise :class:`InputError` for an empty file or one with binary content.

    A file is empty when it holds nothing but white space; it is binary when
    its first bytes contain a NUL byte or many other control characters (more
    than 1 % outside tab, CR, LF, form feed).
    """
    if not head.strip(b" \t\r\n\x0c" + BOM):
        raise InputError(
            "err_empty_file",
            path=path,
            line=1,
        )
    sample = head[:8192]
    if b"\r" in sample and b"\n" not in sample:
        raise InputError(
            "err_bare_cr",
            path=path,
            line=1,
        )
    odd, even = sample[1::2].count(0), sample[::2].count(0)  # UTF-16 ASCII: one half NUL
    if max(odd, even) * 10 > len(sample) * 4 and min(odd, even) * 10 < len(sample):
        raise InputError("err_utf16_no_bom", path=path, line=1)
    nul = sample.find(b"\x00")
    controls = sum(sample.count(bytes([c])) for c in range(32) if c not in (9, 10, 12, 13))
    if nul >= 0 or controls > max(1, len(sample) // 100):
        line = sample[: nul if nul >= 0 else len(sample)].count(b"\n") + 1
        raise InputError(
            "err_binary",
            path=path,
            line=line,
        )


@dataclass(frozen=True)
class Decoded:
    """Text decoded from bytes, with the encoding that worked.

    Attributes
    ----------
    text : str
        The text, BOM removed, line ends as in the file.
    encoding : str
        The codec name that decoded it (``"utf-8"`` when a BOM was present).
    bom : bool
        Whether the bytes started with a UTF-8 BOM.
    """

    text: str
    encoding: str
    bom: bool


def decode(
    data: bytes,
    encodings: Sequence[str],
    path: Path | str,
    *,
    partial: bool = False,
) -> Decoded:
    """Decode ``data`` with the first of ``encodings`` that fits.

    Parameters
    ----------
    data : bytes
        Raw bytes (the whole file, or its start when ``partial``).
    encodings : sequence of str
        Codec names tried in order; a UTF-8 BOM overrides them.
    path : Path or str
        Shown in the error.
    partial : bool
        ``data`` is a prefix that may end inside a multi-byte character; a
        cut character at the very end is not an error.

    Returns
    -------
    Decoded

    Raises
    ------
    InputError
        No encoding decodes the bytes; names the line and the offending bytes.
    """
    bom = data.startswith(BOM)
    body = data[len(BOM):] if bom else data
    tried = ("utf-8",) if bom else tuple(encodings)
    first_error: UnicodeDecodeError | None = None
    for enc in tried:
        try:
            text = body.decode(enc)
        except UnicodeDecodeError as exc:
            if partial and exc.start >= len(body) - 3 and exc.reason == "unexpected end of data":
                text = body[: exc.start].decode(enc, errors="strict")
                return Decoded(text, enc, bom)
            first_error = first_error or exc
            continue
        if not is_utf8(enc):
            refuse_utf8_inside(body, enc, path, end=len(body) - (3 if partial else 0))
        return Decoded(text, enc, bom)
    assert first_error is not None
    raise encoding_error(body, first_error, tried, path, offset=len(BOM) if bom else 0)


def is_utf8(encoding: str) -> bool:
    """Tell whether ``encoding`` (any alias: ``utf8``, ``UTF_8``) is UTF-8."""
    return codecs.lookup(encoding).name == "utf-8"


def encoding_error(
    data: bytes,
    exc: UnicodeDecodeError,
    encodings: Sequence[str],
    path: Path | str,
    *,
    offset: int = 0,
    first_line: int = 1,
) -> InputError:
    """Build the :class:`InputError` for bytes that ``encodings`` cannot decode.

    Parameters
    ----------
    data : bytes
        The bytes that were decoded.
    exc : UnicodeDecodeError
        The error of the first encoding tried.
    encodings : sequence of str
        Every encoding tried (named in the message).
    path : Path or str
        The file.
    offset : int
        Unused bytes before ``data`` (kept for symmetry with callers).
    first_line : int
        1-based line number of the first line in ``data``.
    """
    del offset
    line = first_line + data.count(b"\n", 0, exc.start)
    bad = data[exc.start : exc.end].hex(" ")
    return InputError(
        "err_wrong_encoding", bad=bad, encodings=" or ".join(encodings),
        path=path,
        line=line,
    )


def split_lines(data: bytes, limit: int | None = None) -> list[bytes]:
    """Split bytes into lines without their line ends (LF or CR LF).

    A final line without a line end is kept; a final empty piece is not.
    """
    parts = data.split(b"\n", limit if limit is not None else -1)
    if parts and parts[-1] == b"":
        parts.pop()
    return [p[:-1] if p.endswith(b"\r") else p for p in parts]
