"""One reader for the small tables a person keeps by hand.

``sites.csv``, ``roster.csv``, ``measures.csv``, ``counter_fleet.csv`` and the
files of ``checks_done/`` are written in a text editor or saved from Excel.
This module reads all of them the same way:

* delimiter ``,`` or ``;`` (taken from the header line: the one it holds
  more of; Swedish Excel writes ``;``), with ``;`` a decimal comma in numbers;
* UTF-8 with or without BOM, or Windows-1252 (what Excel's "CSV" writes);
  gzip is decompressed;
* ``.xlsx`` (the first sheet, or the one named): date cells become ISO text;
* quoted fields may hold the delimiter, quotes and line breaks; the line of
  a record is the physical line where it starts (the row for ``.xlsx``);
* dates and times in ISO 8601 (``2024-11-04``, ``2024-11-04 07:00``,
  ``2024-11-04T07:00:00+01:00``) or day/month/year with ``/``, ``-`` or ``.``
  (``04/11/2024 07:00``). The order of day and month is decided per column:
  a value whose first number is over 12 can only be day-first, one whose
  second is over 12 only month-first. A column whose values all read both
  ways (``04/11/2024``), or that has values of both kinds, is refused with
  the line and both readings; nothing is guessed.

Every problem is one :class:`~trafikplan._errors.InputError` naming the file,
the line and the column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from trafikplan._errors import InputError
from trafikplan.i18n.phrase import Phrase
from trafikplan.io.files import decoding, textfile

__all__ = [
    "DELIMITERS",
    "ENCODINGS",
    "SmallTable",
    "cell_text",
    "first",
    "normalize_datetimes",
    "numbers",
    "parse_dates",
    "read_table",
]

ENCODINGS = ("utf-8", "cp1252")
"""Encodings tried in order (a UTF-8 BOM is always accepted)."""

DELIMITERS = (",", ";")
"""Delimiters a small table may use."""

_ISO = re.compile(
    r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[T ]+(?P<H>\d{1,2})[:.](?P<M>\d{2})(?:[:.](?P<S>\d{2})(?P<f>\.\d+)?)?)?"
    r"\s*(?P<z>Z|[+-]\d{2}:?\d{2})?$"
)
_DMY = re.compile(
    r"^(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})"
    r"(?:[T ]+(?P<H>\d{1,2})[:.](?P<M>\d{2})(?:[:.](?P<S>\d{2}))?)?"
    r"\s*(?P<z>Z|[+-]\d{2}:?\d{2})?$"
)


@dataclass(frozen=True)
class SmallTable:
    """A small table as read: header, records and where each came from.

    Attributes
    ----------
    path : Path
        The file.
    names : list of str
        Column names as written (surrounding spaces removed).
    rows : list of list of str
        Records (blank ones dropped), fields as written (not stripped).
    lines : list of int
        1-based line (sheet row) where each record starts.
    header_line : int
        1-based line of the header.
    delimiter : str
        ``","`` or ``";"`` (``""`` for ``.xlsx``).
    """

    path: Path
    names: list[str]
    rows: list[list[str]]
    lines: list[int]
    header_line: int
    delimiter: str

    @property
    def keys(self) -> list[str]:
        """Column names case-folded (for lookups)."""
        return [n.casefold() for n in self.names]

    @property
    def decimal_comma(self) -> bool:
        """Numbers may use a decimal comma (``;``-separated or Excel)."""
        return self.delimiter != ","

    def error(self, message: str, *, line: int | None = None,
              column: str | None = None, **values: object) -> InputError:
        """Return an :class:`InputError` in this file (``message``: a dictionary key)."""
        return InputError(message, path=self.path, line=line, column=column, **values)

    def require(self, required: Sequence[str], expected: str = "") -> None:
        """Raise naming the first of ``required`` (case-insensitive) missing from the header."""
        have = set(self.keys)
        for name in required:
            if name.casefold() not in have:
                raise self.error(
                    "err_missing_column", name=name,
                    expected=expected or ", ".join(required),
                    found=", ".join(self.names) or Phrase("err_nothing"),
                    delimiter=self.delimiter or "Excel",
                    line=self.header_line, column=name)

    def check_widths(self) -> None:
        """Raise naming the first record with another number of fields than the header."""
        width = len(self.names)
        for row, line in zip(self.rows, self.lines, strict=True):
            if len(row) != width:
                raise self.error("err_field_count", n=len(row), width=width,
                                 delimiter=self.delimiter, line=line)

    def records(self) -> list[tuple[int, dict[str, str]]]:
        """``(line, {casefolded name: stripped value})`` per record (widths checked)."""
        self.check_widths()
        keys = self.keys
        return [(line, {k: f.strip() for k, f in zip(keys, row, strict=True)})
                for row, line in zip(self.rows, self.lines, strict=True)]


def _sniff(header: str, path: Path, line: int) -> str:
    semi, comma = header.count(";"), header.count(",")
    if semi == 0 and comma == 0:
        other = next((d for d in ("\t", "|") if d in header), None)
        if other is None:
            return ","  # one column
        raise InputError("err_wrong_delimiter", other=other, path=path, line=line)
    return ";" if semi >= comma else ","


def _text_table(path: Path, header_match: re.Pattern[str] | None,
                encodings: Sequence[str]) -> SmallTable:
    data = textfile.read_all(path)
    decoding.check_not_empty_or_binary(data[: 1 << 16], path)
    text = decoding.decode(data, encodings, path).text
    lines = text.split("\n")
    header_idx = None
    for i, raw in enumerate(lines[:50]):
        line = raw.removesuffix("\r")
        if header_match is None and line.strip():
            header_idx = i
            break
        if header_match is not None and header_match.search(line):
            header_idx = i
            break
    if header_idx is None:
        if header_match:
            raise InputError("err_no_header_match_50", pattern=header_match.pattern, path=path)
        raise InputError("err_no_header_50", path=path)
    delimiter = _sniff(lines[header_idx], path, header_idx + 1)
    body = "\n".join(lines[header_idx:])
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    starts: list[int] = []
    start = header_idx + 1
    try:
        for row in reader:
            if any(f.strip() for f in row):
                rows.append(row)
                starts.append(start)
            start = header_idx + reader.line_num + 1
    except csv.Error as exc:
        raise InputError("err_broken_quoting", detail=exc, path=path, line=start) from None
    if not rows:
        raise InputError("err_header_only_quotes", path=path, line=header_idx + 1)
    names = [n.strip() for n in rows[0]]
    if len(rows) > 1 and len(rows[-1]) < len(names) and "\n" in rows[-1][-1]:
        raise InputError("err_unterminated_quote", path=path, line=starts[-1])
    return SmallTable(path, names, [[f.removesuffix("\r") for f in r] for r in rows[1:]],
                      starts[1:], starts[0], delimiter)


def cell_text(value: Any) -> str:
    """Text of an Excel cell (dates ISO, whole numbers without ``.0``)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0) and value.tzinfo is None:
            return value.strftime("%Y-%m-%d")
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M" if value.second == 0 else "%H:%M:%S")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_table(path: Path, header_match: re.Pattern[str] | None,
                sheet: str | None) -> SmallTable:
    from trafikplan.io.files.xlsxfile import open_workbook, sheet_rows

    wb = open_workbook(path)
    try:
        ws = wb[sheet] if sheet and sheet in wb.sheetnames else wb.worksheets[0]
        numbered = [(n, [cell_text(v) for v in row]) for n, row in sheet_rows(ws, path)]
    finally:
        wb.close()
    numbered = [(n, r) for n, r in numbered if any(c.strip() for c in r)]
    header_at = None
    for i, (n, row) in enumerate(numbered):
        if n > 50:
            break
        if header_match is None or header_match.search("|".join(row).rstrip("|")):
            header_at = i
            break
    if header_at is None:
        if not numbered:
            raise InputError("err_empty_sheet", path=path, line=1)
        if header_match:
            raise InputError("err_no_header_row_match", pattern=header_match.pattern,
                             path=path)
        raise InputError("err_no_header_row", path=path)
    names = [c.strip() for c in numbered[header_at][1]]
    while names and names[-1] == "":
        names.pop()
    rows, lines = [], []
    for n, row in numbered[header_at + 1:]:
        fields = row[: len(names)] + [""] * max(0, len(names) - len(row))
        rows.append(fields + [c for c in row[len(names):] if c.strip()])
        lines.append(n)
    return SmallTable(path, names, rows, lines, numbered[header_at][0], "")


def read_table(path: Path | str, *, header_match: re.Pattern[str] | str | None = None,
               encodings: Sequence[str] = ENCODINGS, sheet: str | None = None) -> SmallTable:
    """Read a small hand-kept table (``.csv``/``.txt``, gzip allowed, or ``.xlsx``).

    Parameters
    ----------
    path : Path or str
        The file.
    header_match : regular expression, optional
        Finds the header line among the first 50 (the first non-blank line
        when not given); rows of ``.xlsx`` are joined with ``|`` for it.
    encodings : sequence of str
        Tried in order for text files.
    sheet : str, optional
        Sheet of an ``.xlsx`` file (the first when absent or not found).

    Returns
    -------
    SmallTable

    Raises
    ------
    InputError
        Missing, empty or binary file, wrong encoding or delimiter, no header
        line, duplicate column names, broken quoting or a broken workbook.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError("err_file_not_found", path=path)
    pattern = re.compile(header_match) if isinstance(header_match, str) else header_match
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        table = _xlsx_table(path, pattern, sheet)
    else:
        table = _text_table(path, pattern, encodings)
    seen: dict[str, int] = {}
    for j, key in enumerate(table.keys):
        if key and key in seen:
            raise InputError("err_duplicate_column", name=table.names[j], first=seen[key] + 1,
                             second=j + 1, path=path, line=table.header_line,
                             column=table.names[j])
        seen[key] = j
    return table


# ---------------------------------------------------------------- dates


def _readings(a: int, b: int, y: int) -> tuple[dt.date | None, dt.date | None]:
    """(day-first, month-first) dates of ``a/b/y``, None where impossible."""
    def make(d: int, m: int) -> dt.date | None:
        try:
            return dt.date(y, m, d)
        except ValueError:
            return None
    return make(a, b), make(b, a)


def _fmt(d: dt.date) -> str:
    return f"{d.day} {d.strftime('%B')} {d.year}"


def normalize_datetimes(values: Sequence[str], lines: Sequence[int], *, path: Path | str,
                        column: str) -> list[str | None]:
    """Rewrite dates (and times) of one column as ISO 8601 text.

    Parameters
    ----------
    values : sequence of str
        The column's values (stripped); empty ones stay None.
    lines : sequence of int
        1-based line of each value (for errors).
    path : Path or str
        The file (for errors).
    column : str
        The column's name (for errors).

    Returns
    -------
    list of str or None
        ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM:SS`` plus the offset as written
        (``Z``, ``+01:00``); None for an empty value, the value unchanged for
        one that is no date at all (the caller says what it expected).

    Raises
    ------
    InputError
        A day/month/year column whose order of day and month cannot be told
        (every value reads both ways), or that mixes both orders; names the
        line and both readings.
    """
    out: list[str | None] = []
    pending: list[tuple[int, re.Match[str]]] = []
    day_first: int | None = None  # line of a value that can only be day-first
    month_first: int | None = None
    for i, (value, line) in enumerate(zip(values, lines, strict=True)):
        if not value:
            out.append(None)
            continue
        m = _ISO.match(value)
        if m:
            out.append(_iso(int(m["y"]), int(m["m"]), int(m["d"]), m, value))
            continue
        m = _DMY.match(value)
        if not m:
            out.append(value)
            continue
        a, b = int(m["a"]), int(m["b"])
        dfirst, mfirst = _readings(a, b, int(m["y"]))
        if dfirst is not None and mfirst is None and day_first is None:
            day_first = line
        elif mfirst is not None and dfirst is None and month_first is None:
            month_first = line
        pending.append((i, m))
        out.append(value)
    if not pending:
        return out
    if day_first is not None and month_first is not None:
        raise InputError("err_dates_both_orders", day_first=day_first, month_first=month_first,
                         path=path, line=max(day_first, month_first), column=column)
    for i, m in pending:
        a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
        dfirst, mfirst = _readings(a, b, y)
        if month_first is not None:
            dfirst = None
        elif day_first is not None:
            mfirst = None
        if dfirst is not None and mfirst is not None and dfirst != mfirst:
            raise InputError("err_ambiguous_date", value=values[i], day_first=_fmt(dfirst),
                             month_first=_fmt(mfirst), path=path, line=lines[i], column=column)
        date = dfirst or mfirst
        if date is None:
            continue  # no date: left as written, the caller names it
        out[i] = _iso(date.year, date.month, date.day, m, values[i])
    return out


def _iso(y: int, mo: int, d: int, m: re.Match[str], value: str) -> str:
    try:
        dt.date(y, mo, d)
    except ValueError:
        return value
    text = f"{y:04d}-{mo:02d}-{d:02d}"
    if m["H"] is not None:
        text += f"T{int(m['H']):02d}:{m['M']}:{m['S'] or '00'}"
        if m.groupdict().get("f"):
            text += m["f"]
    if m["z"]:
        z = m["z"]
        text += z if z == "Z" or ":" in z else f"{z[:3]}:{z[3:]}"
    return text


def parse_dates(values: Sequence[str], lines: Sequence[int], *, path: Path | str,
                column: str) -> list[dt.date | None]:
    """Dates of one column (ISO or unambiguous day/month/year); None where empty.

    Raises
    ------
    InputError
        A value that is no date (or carries a time), or an ambiguous column
        (see :func:`normalize_datetimes`).
    """
    out: list[dt.date | None] = []
    for value, iso, line in zip(values, normalize_datetimes(values, lines, path=path,
                                                            column=column), lines, strict=True):
        if iso is None:
            out.append(None)
            continue
        try:
            out.append(dt.date.fromisoformat(iso))
        except ValueError:
            raise InputError("err_date", value=value, path=path, line=line,
                             column=column) from None
    return out


def numbers(values: pd.Series, *, decimal_comma: bool) -> pd.Series:
    """Numbers of a text column (spaces as thousands separators allowed); NaN where not."""
    text = values.astype("string").str.strip()
    if decimal_comma:
        text = text.str.replace(",", ".", regex=False)
    text = text.str.replace(r"[\s\u00a0]", "", regex=True)
    return pd.to_numeric(text.mask(text == ""), errors="coerce").astype("float64")


def first(mask: np.ndarray | pd.Series) -> int:
    """Return the index of the first True."""
    return int(np.flatnonzero(np.asarray(mask))[0])
