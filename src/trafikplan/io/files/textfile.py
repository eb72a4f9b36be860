"""Opening raw files: gzip transparently and within the limits, hashed while read.

Raw counter and report files are never modified; these helpers only read.
A file is gzip-compressed when its first two bytes are the gzip magic
(``1f 8b``), whatever its name (``.csv.gz``, ``.txt.gz`` are the usual).

Decoding (encodings tried in order, BOM, UTF-16, mixed encodings) is
:mod:`trafikplan.io.files.decoding`; its names are also importable from here.

Limits. What is read is bounded by the ``[limits]`` settings
(:class:`trafikplan.settings.LimitSettings`), made current for an import by
:func:`use_limits`: the decompressed size and the compression ratio of a gzip
stream (checked while it is read, so a bomb stops after a few MiB of
output), the size of a small table read whole, the longest line and field.
Exceeding one raises :class:`LimitError` naming the setting (:mod:`trafikplan.io.files.limits`).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from trafikplan._errors import InputError
from trafikplan.i18n.phrase import Phrase
from trafikplan.io.files.decoding import (
    UTF16_BOMS,
    Decoded,
    check_not_empty_or_binary,
    decode,
    from_utf16,
)
from trafikplan.io.files.limits import LimitError, check_line_lengths, limits

__all__ = [
    "RATIO_AFTER",
    "Digest",
    "open_binary",
    "open_text",
    "read_all",
    "read_head",
    "read_text",
]


_GZIP_MAGIC = b"\x1f\x8b"
_HEAD_BYTES = 1 << 16
_MIB = 1 << 20
RATIO_AFTER = 16 * _MIB
"""Decompressed bytes after which the compression ratio is checked [bytes]."""


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

    def __init__(self, fh: io.BufferedIOBase, digest: Digest | None) -> None:
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
                utf16_ok: bool = False) -> io.BufferedIOBase:
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
    io.BufferedIOBase
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
        return io.BufferedReader(_Counting(fh, digest), _MIB)
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
        if self._out > limits().max_decompressed_mb * _MIB:
            raise LimitError(Phrase("err_limit_gzip", mib=f"{limits().max_decompressed_mb:g}"),
                             "max_decompressed_mb", path=self._path)
        if (self._out > RATIO_AFTER
                and self._out > limits().max_compression_ratio * max(self._counted.size, 1)):
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
    return from_utf16(head, path, partial=True) if head[:2] in UTF16_BOMS else head


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
    cap = int(limits().max_table_mb * _MIB)
    data = bytearray()
    with open_binary(path, utf16_ok=True) as fh:
        try:  # in pieces, so that a gzip bomb stops at its first few MiB
            while len(data) <= cap and (piece := fh.read(min(_MIB, cap + 1 - len(data)))):
                data += piece
        except (OSError, EOFError, zlib.error) as exc:
            raise _read_error(path, exc) from None
    if len(data) > cap:
        raise LimitError(Phrase("err_limit_table", mib=f"{limits().max_table_mb:g}"),
                         "max_table_mb", path=path)
    if data[:2] in UTF16_BOMS:  # an Excel "Unicode text" export
        return from_utf16(bytes(data), path, partial=False)
    check_line_lengths(data, path)
    return bytes(data)



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
