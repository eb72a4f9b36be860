"""Opening raw files: gzip transparently, encodings tried in order, BOM, CRLF.

Raw counter and report files are never modified; these helpers only read.
A file is gzip-compressed when its first two bytes are the gzip magic
(``1f 8b``), whatever its name (``.csv.gz``, ``.txt.gz`` are the usual).

Supported encodings are those in which a line end is the single byte ``0x0A``
(UTF-8, Windows-1252, ISO 8859-x, ...); UTF-16 is not supported. A UTF-8 byte
order mark is always accepted and removed, whatever encodings a profile lists.

Limits. What is read is bounded by the ``[limits]`` settings
(:class:`trafikplan.settings.LimitSettings`), made current for an import by
:func:`use_limits`: the decompressed size and the compression ratio of a gzip
stream (checked while it is read, so a bomb stops after a few MiB of
output), the size of a small table read whole, the longest line and field.
Exceeding one raises :class:`LimitError` naming the setting.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import gzip
import hashlib
import io
import re
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from trafikplan._errors import InputError, Phrase
from trafikplan.settings import LimitSettings

__all__ = [
    "BOM",
    "RATIO_AFTER",
    "UTF16_BOMS",
    "Decoded",
    "Digest",
    "LimitError",
    "check_line_lengths",
    "check_not_empty_or_binary",
    "decode",
    "encoding_error",
    "limits",
    "open_binary",
    "open_text",
    "read_all",
    "read_head",
    "read_text",
    "refuse_utf8_inside",
    "split_lines",
    "use_limits",
]

BOM = b"\xef\xbb\xbf"
"""The UTF-8 byte order mark."""

_GZIP_MAGIC = b"\x1f\x8b"
_HEAD_BYTES = 1 << 16
_MIB = 1 << 20
RATIO_AFTER = 16 * _MIB
"""Decompressed bytes after which the compression ratio is checked [bytes]."""

_limits = LimitSettings()


class LimitError(InputError):
    """An input larger or deeper than a ``[limits]`` setting allows."""

    def __init__(self, what: Phrase | str, setting: str, *, path: Path | str | None = None,
                 line: int | None = None) -> None:
        value = getattr(_limits, setting)
        shown = f"{value:g}" if isinstance(value, float) else str(value)
        super().__init__("err_limit", what=what, setting=setting, shown=shown, path=path,
                         line=line)


def limits() -> LimitSettings:
    """Return the limits in force (the defaults unless :func:`use_limits` set others)."""
    return _limits


@contextlib.contextmanager
def use_limits(new: LimitSettings) -> Iterator[LimitSettings]:
    """Make ``new`` the limits of every reader (all threads) within the block.

    Also sets :func:`csv.field_size_limit` to ``max_field_kb``.
    """
    global _limits
    old, old_field = _limits, csv.field_size_limit()
    _limits = new
    csv.field_size_limit(int(new.max_field_kb * 1024))
    try:
        yield new
    finally:
        _limits = old
        csv.field_size_limit(old_field)


def check_line_lengths(data: bytes | bytearray, path: Path | str, first_line: int = 1,
                       end: int | None = None) -> None:
    """Raise :class:`LimitError` when a line of ``data`` is longer than ``max_line_kb``.

    Only ``data[:end]`` is looked at. Jumps from the last line end of one
    window of the limit's width to the next (a few C-speed searches per MiB,
    no per-line work or extra memory).
    """
    limit = int(_limits.max_line_kb * 1024)
    view = data
    pos, n = 0, len(data) if end is None else end
    while n - pos > limit:
        end = view.rfind(b"\n", pos, pos + limit + 1)
        if end < 0:
            stop = view.find(b"\n", pos, n)
            length = (n if stop < 0 else stop) - pos
            raise LimitError(Phrase("err_limit_line", kib=f"{length / 1024:.0f}"), "max_line_kb",
                             path=path,
                             line=first_line + view.count(b"\n", 0, pos))
        pos = end + 1


UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
"""Byte order marks of UTF-16 (little, big endian)."""

_ASCII = bytes(range(128))
_UTF8_PAIR = re.compile(rb"[\xC2-\xF4][\x80-\xBF]")


def _from_utf16(data: bytes, path: Path | str, *, partial: bool) -> bytes:
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


class Digest:
    """SHA-256 of the raw bytes of a file, taken while the file is read.

    Attributes
    ----------
    size : int [bytes]
        Raw bytes hashed so far.
    """

    def __init__(self) -> None:
        self._sha = hashlib.sha256()
        self.size = 0

    def update(self, data: bytes | bytearray | memoryview) -> None:
        """Hash the next raw bytes (releases the GIL on large buffers)."""
        self._sha.update(data)
        self.size += len(data)

    def hexdigest(self) -> str:
        """SHA-256 (hex) of the bytes hashed so far."""
        return self._sha.hexdigest()


class _Counting(io.RawIOBase):
    """A raw file that counts the bytes read (and feeds them through a :class:`Digest`)."""

    def __init__(self, fh: BinaryIO, digest: Digest | None) -> None:
        self._fh = fh
        self._digest = digest
        self.size = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = self._fh.readinto(buffer)
        if n:
            self.size += n
            if self._digest is not None:
                self._digest.update(memoryview(buffer)[:n])
        return n

    def close(self) -> None:
        self._fh.close()
        super().close()


def open_binary(path: Path | str, digest: Digest | None = None, *,
                utf16_ok: bool = False) -> BinaryIO:
    """Open ``path`` for reading bytes, decompressing gzip transparently.

    A gzip stream is limited while it is read: more than ``max_decompressed_mb``
    out, or more than :data:`RATIO_AFTER` out at a ratio above
    ``max_compression_ratio``, raises :class:`LimitError`.

    Parameters
    ----------
    path : Path or str
        The raw file.
    digest : Digest, optional
        Hashes the raw (still compressed) bytes as they are read.

    Returns
    -------
    BinaryIO
        A binary stream of the (decompressed) content; close it after use.

    Raises
    ------
    InputError
        The file does not exist or cannot be read.
    """
    path = Path(path)
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise InputError("err_cannot_open", detail=exc.strerror, path=path) from None
    magic = fh.read(2)
    fh.seek(0)
    if magic in UTF16_BOMS and not utf16_ok:
        fh.close()
        raise InputError("err_utf16_counter", bom=magic.hex(" "), path=path, line=1)
    if magic != _GZIP_MAGIC:
        if digest is None:
            return fh
        return io.BufferedReader(_Counting(fh, digest), _MIB)  # type: ignore[return-value]
    raw = _Counting(fh, digest)  # unbuffered: counts what the inflater has consumed
    return _Gzip(raw, raw, path)  # type: ignore[arg-type]


class _Gzip(gzip.GzipFile):
    """A gzip stream that closes the raw file it reads from and enforces the limits."""

    def __init__(self, fh: Any, raw: _Counting, path: Path) -> None:
        super().__init__(fileobj=fh, mode="rb")
        self._raw = fh
        self._counted = raw
        self._path = path
        self._out = 0

    def _take(self, n: int) -> None:
        self._out += n
        if self._out > _limits.max_decompressed_mb * _MIB:
            raise LimitError(Phrase("err_limit_gzip", mib=f"{_limits.max_decompressed_mb:g}"),
                             "max_decompressed_mb", path=self._path)
        if (self._out > RATIO_AFTER
                and self._out > _limits.max_compression_ratio * max(self._counted.size, 1)):
            raise LimitError(
                Phrase("err_limit_gzip_ratio",
                       ratio=f"{self._out / max(self._counted.size, 1):.0f}"),
                "max_compression_ratio",
                path=self._path)

    def read(self, size: int | None = -1) -> bytes:  # readinto() calls it too
        data = super().read(size)
        self._take(len(data))
        return data

    def read1(self, size: int = -1) -> bytes:
        data = super().read1(size)
        self._take(len(data))
        return data

    def readline(self, size: int | None = -1) -> bytes:
        data = super().readline(size)
        self._take(len(data))
        return data

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._raw.close()


def read_head(path: Path | str, max_bytes: int = _HEAD_BYTES) -> bytes:
    """Return up to ``max_bytes`` of the (decompressed) start of ``path``.

    Raises
    ------
    InputError
        Unreadable or broken gzip file.
    """
    with open_binary(path, utf16_ok=True) as fh:
        try:
            head = fh.read(max_bytes)
        except (OSError, EOFError, zlib.error) as exc:
            raise _read_error(path, exc) from None
    return _from_utf16(head, path, partial=True) if head[:2] in UTF16_BOMS else head


def _read_error(path: Path | str, exc: BaseException) -> InputError:
    if isinstance(exc, EOFError | gzip.BadGzipFile | zlib.error):
        return InputError(
            "err_gzip_cut", detail=exc,
            path=path,
        )
    return InputError("err_cannot_read", detail=exc, path=path)


def read_all(path: Path | str) -> bytes:
    """Return the whole (decompressed) content of a small raw file.

    Raises
    ------
    InputError
        The file cannot be opened, or its gzip stream is cut off or damaged.
    LimitError
        Larger than ``max_table_mb``, a gzip bomb, or a line over ``max_line_kb``.
    """
    path = Path(path)
    cap = int(_limits.max_table_mb * _MIB)
    data = bytearray()
    with open_binary(path, utf16_ok=True) as fh:
        try:  # in pieces, so that a gzip bomb stops at its first few MiB
            while len(data) <= cap and (piece := fh.read(min(_MIB, cap + 1 - len(data)))):
                data += piece
        except (OSError, EOFError, zlib.error) as exc:
            raise _read_error(path, exc) from None
    if len(data) > cap:
        raise LimitError(Phrase("err_limit_table", mib=f"{_limits.max_table_mb:g}"),
                         "max_table_mb", path=path)
    if data[:2] in UTF16_BOMS:  # an Excel "Unicode text" export
        return _from_utf16(bytes(data), path, partial=False)
    check_line_lengths(data, path)
    return bytes(data)


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
        if not _is_utf8(enc):
            refuse_utf8_inside(body, enc, path, end=len(body) - (3 if partial else 0))
        return Decoded(text, enc, bom)
    assert first_error is not None
    raise encoding_error(body, first_error, tried, path, offset=len(BOM) if bom else 0)


def _is_utf8(encoding: str) -> bool:
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


def read_text(path: Path | str, encodings: Sequence[str] = ("utf-8",)) -> Decoded:
    """Read a whole (small) file as text with the first encoding that fits.

    Empty and binary files are refused; gzip is decompressed; a UTF-8 BOM is
    removed. Line ends are kept as in the file (use ``newline=""`` semantics:
    the :mod:`csv` module handles CR LF).

    Parameters
    ----------
    path : Path or str
        The raw file.
    encodings : sequence of str
        Codec names tried in order.

    Returns
    -------
    Decoded

    Raises
    ------
    InputError
        Empty file, binary content, or bytes none of ``encodings`` decodes.
    """
    data = read_all(path)
    check_not_empty_or_binary(data[:_HEAD_BYTES], path)
    return decode(data, encodings, path)


def open_text(path: Path | str, encodings: Sequence[str] = ("utf-8",)) -> io.StringIO:
    """Open a whole (small) file as a text stream, e.g. for :mod:`csv`.

    Same checks as :func:`read_text`; the stream behaves like a file opened
    with ``newline=""``.
    """
    return io.StringIO(read_text(path, encodings).text, newline="")
