"""Reading ``.xlsx`` workbooks within the ``[limits]``: streaming, sizes checked first.

An ``.xlsx`` file is a zip archive of XML parts. Before openpyxl opens it, the
sizes its parts declare are checked against ``max_decompressed_mb`` and
``max_compression_ratio`` (Python's zip reader never inflates a part beyond
the size it declares, and a part that lies fails its checksum), so a zip bomb
is refused before anything is inflated. The sheet is then read streaming
(openpyxl ``read_only``) with its declared dimension discarded, since a file
may declare a million rows or 16 384 columns it does not hold: rows are read
as they come, at most ``max_rows_xlsx`` of them and ``max_columns`` wide.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from trafikplan._errors import InputError
from trafikplan.i18n.phrase import Phrase
from trafikplan.io.files.limits import LimitError, limits
from trafikplan.io.files.textfile import RATIO_AFTER

__all__ = ["check_archive", "open_workbook", "sheet_rows"]

_MIB = 1 << 20


def check_archive(path: Path | str) -> None:
    """Refuse an ``.xlsx`` whose parts declare more than the limits allow.

    Raises
    ------
    InputError
        Not a zip archive (so not an ``.xlsx``).
    LimitError
        Declared total size over ``max_decompressed_mb``, or a part over
        :data:`~trafikplan.io.files.textfile.RATIO_AFTER` with a ratio over
        ``max_compression_ratio``.
    """
    lim = limits()
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError("err_xlsx", detail=exc, path=path) from None
    total = sum(i.file_size for i in infos)
    if total > lim.max_decompressed_mb * _MIB:
        raise LimitError(Phrase("err_limit_parts", mib=f"{total / _MIB:.0f}"),
                         "max_decompressed_mb", path=path)
    for info in infos:
        if info.file_size > RATIO_AFTER and (
                info.file_size > lim.max_compression_ratio * max(info.compress_size, 1)):
            raise LimitError(
                Phrase("err_limit_zip_ratio", part=info.filename,
                       ratio=f"{info.file_size / max(info.compress_size, 1):.0f}"),
                "max_compression_ratio", path=path)


def open_workbook(path: Path | str) -> Any:
    """Open an ``.xlsx`` read-only (streaming) after :func:`check_archive`; close it after use.

    Raises
    ------
    InputError
        Not a workbook openpyxl can read, or over a limit.
    """
    import openpyxl

    check_archive(path)
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise InputError("err_xlsx", detail=type(exc).__name__, path=path) from None


def sheet_rows(ws: Any, path: Path | str, *, max_rows: int | None = None
               ) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """Yield ``(row number, values)`` of the rows of ``ws`` that hold a value.

    The declared dimension is ignored (rows as long as their cells), empty
    rows are skipped without being built, and reading stops with
    :class:`LimitError` past ``max_rows_xlsx`` rows or ``max_columns`` columns.

    Parameters
    ----------
    ws : openpyxl read-only worksheet
        The sheet.
    path : Path or str
        The file (named in errors).
    max_rows : int, optional
        Stop (without error) after this many rows, e.g. when looking for a header.
    """
    lim = limits()
    ws.reset_dimensions()  # never trust the declared dimension
    for row in ws.iter_rows(min_row=1, max_row=max_rows):
        cells = [c for c in row if getattr(c, "value", None) is not None]
        if not cells:
            continue
        number = cells[0].row
        if number > lim.max_rows_xlsx:
            raise LimitError(Phrase("err_limit_rows_xlsx", number=number), "max_rows_xlsx",
                             path=path,
                             line=number)
        width = max(c.column for c in cells)
        if width > lim.max_columns:
            raise LimitError(Phrase("err_limit_columns", n=width), "max_columns", path=path,
                             line=number)
        values = [None] * width
        for c in cells:
            values[c.column - 1] = c.value
        yield number, tuple(values)
