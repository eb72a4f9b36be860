r"""Tables out: CSV, Parquet and Excel files, and tables printed in the terminal.

Free text can never run as a formula: in CSV and XLSX a text cell that starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is prefixed with
an apostrophe (the OWASP rule for CSV injection); in XLSX every text cell is
also stored as a string, never as a formula. In CSV every text field is quoted,
so a field holding ``;`` (``Skogsleden;=1+1;``) stays one field also when a
Swedish Excel splits the comma file on semicolons. Control characters (a NUL,
an escape) are removed from text before any file is written, and a printed
table shows them escaped (``\x1b``), never raw. Time-zone-aware times are written
as ISO 8601 with offset (``2024-10-27T02:00:00+01:00``).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from trafikplan._errors import InputError
from trafikplan.columns import table_rows
from trafikplan.i18n.phrase import Phrase
from trafikplan.io.files.atomic import atomic_path
from trafikplan.io.files.safe_text import printable, strip_control

if TYPE_CHECKING:
    from rich.console import Console

__all__ = [
    "CSV_DIALECTS",
    "READABLE",
    "SUFFIXES",
    "for_people",
    "for_people_text",
    "neutralise",
    "print_table",
    "write_table",
    "write_xlsx",
]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SUFFIXES = (".csv", ".parquet", ".xlsx")


def neutralise(value: object) -> object:
    """Return text without control characters, with an apostrophe if it could be a formula."""
    if isinstance(value, str):
        if not (value.isascii() and value.isprintable()):  # else nothing to strip
            value = strip_control(value)
        if value.startswith(_FORMULA_START):
            return "'" + value
    return value


def _map_text(s: pd.Series, func: Callable[[str], object]) -> pd.Series:
    """``s`` as objects with ``func`` applied to each string (once per distinct string).

    Other values (NA, numbers) are kept as they are. A table of 10^4 rows has
    few distinct texts per column (site ids, streets, hours), so ``func`` runs
    far fewer times than there are cells.
    """
    values = s.to_numpy(dtype=object)
    is_text = np.fromiter((isinstance(v, str) for v in values), dtype=bool, count=len(values))
    if not is_text.any():  # nothing to change; the dtype as Series.map infers it
        return s.astype(object).map(lambda v: v)
    codes, uniques = pd.factorize(values[is_text])
    done = np.empty(len(uniques), dtype=object)
    done[:] = [func(u) for u in uniques]
    out = values.copy()
    out[is_text] = done[codes]
    return pd.Series(out, index=s.index, name=s.name)  # dtype inferred as Series.map does


def _text_columns(df: pd.DataFrame) -> list[str]:
    return [
        c
        for c in df.columns
        if df[c].dtype == object or isinstance(df[c].dtype, pd.StringDtype | pd.CategoricalDtype)
    ]


def for_people(df: pd.DataFrame) -> pd.DataFrame:
    """Return a copy fit for CSV/XLSX: ISO times with offset, neutralised text."""
    out = df.copy()
    text_cols = set(_text_columns(out))
    for col in out.columns:
        s = out[col]
        if isinstance(s.dtype, pd.DatetimeTZDtype):
            text = s.map(lambda t: t.isoformat() if pd.notna(t) else "")
            out[col] = text.astype(object)
        elif col in text_cols:
            out[col] = _map_text(s, neutralise)
    return out


_STAT = ("n", "n_days", "mean_speed", "mean_speed_lo", "mean_speed_hi", "v85", "v85_lo",
         "v85_hi", "share_over_limit", "share_over_limit_lo", "share_over_limit_hi")

READABLE: dict[str, tuple[str, ...]] = {
    "stats": ("site_id", "street", "direction", "date", "hour_start", "weekday", "hour_of_day",
              "speed_limit", "basis", *_STAT, "vehicles_per_hour", "share_heavy"),
    "flags": ("site_id", "street", "weekday", "hour_of_day", "focus", "score", "kind", "reason",
              *_STAT, "reports_window_n"),
    "evaluation": ("measure_id", "street", "site_id", "kind", "built", "n_before", "n_after",
                   "mean_before", "mean_after", "mean_diff", "mean_diff_lo", "mean_diff_hi",
                   "v85_diff", "v85_diff_lo", "v85_diff_hi", "share_diff", "share_diff_lo",
                   "share_diff_hi", "comparison_site_id", "did", "did_lo", "did_hi", "verdict"),
    "halo": ("level", "team", "site_id", "start", "from_hours", "to_hours", "checks_n",
             "n_after", "n_baseline", "mean_diff", "mean_diff_lo", "mean_diff_hi", "share_diff",
             "share_diff_lo", "share_diff_hi"),
    "checks": ("team", "start", "end", "site_id", "street", "reason"),
    "measurements": ("counter", "site_id", "street", "install", "remove", "purpose", "reason"),
}
"""Per table, the columns of the first sheet of its ``.xlsx`` (for reading; all follow)."""

CSV_DIALECTS = ("excel", "plain")
"""CSV dialects: ``excel`` opens right in Swedish Excel (``;``, decimal comma, UTF-8 with
BOM); ``plain`` is the contract for scripts (``,``, decimal point, UTF-8 without BOM)."""


def write_table(
    df: pd.DataFrame, path: Path, *, private: bool = False, sheet: str = "data",
    dialect: str = "plain", language: str | None = None, tz: str | None = None,
    table: str | None = None,
) -> Path:
    """Write ``df`` to ``path``; the format follows the suffix.

    Parameters
    ----------
    df : DataFrame
        Any table.
    path : Path
        ``.csv``, ``.parquet`` or ``.xlsx``.
    private : bool
        Create the file with mode 0600 (plans).
    sheet : str
        Sheet name for ``.xlsx``.
    dialect : str
        ``.csv`` only, one of :data:`CSV_DIALECTS`: ``plain`` (default; the
        contract scripts read) or ``excel`` (Swedish Excel: ``;``, decimal
        comma, UTF-8 with BOM). Column names stay the API's in both.
    language : str, optional
        ``.xlsx`` only: headers and code values for people in this language
        (:func:`trafikplan.i18n.for_people`); None keeps the column names.
    tz : str, optional
        ``.xlsx`` only: time zone of the date-times shown (Excel has no time
        zones; default each column's own).
    table : str, optional
        ``.xlsx`` only: which table this is (a key of :data:`READABLE`): its
        readable columns make a first sheet, named for people; the whole
        table follows on a second sheet.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    InputError
        For an unknown suffix or dialect.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError("err_write_suffix", suffix=suffix or Phrase("err_no_suffix"),
                         suffixes=", ".join(SUFFIXES), path=path)
    if dialect not in CSV_DIALECTS:
        raise InputError("err_csv_dialect", dialects=", ".join(CSV_DIALECTS), dialect=dialect)
    with atomic_path(path, private=private) as tmp:
        if suffix == ".csv":
            people = _csv_line_breaks(for_people(df))
            if dialect == "excel":
                people.to_csv(tmp, index=False, sep=";", decimal=",", encoding="utf-8-sig",
                              quoting=csv.QUOTE_NONNUMERIC)
            else:
                people.to_csv(tmp, index=False, encoding="utf-8",
                              quoting=csv.QUOTE_NONNUMERIC)
        elif suffix == ".parquet":
            df.to_parquet(tmp, index=False)
        else:
            sheets = {sheet: df}
            if table is not None:
                from trafikplan.i18n import text

                lang = language or "en"
                first = [c for c in READABLE[table] if c in df.columns]
                sheets = {text(f"sheet_{table}", lang): df[first], text("sheet_all", lang): df}
            write_xlsx(sheets, tmp, language=language, tz=tz)
    return path


def _csv_line_breaks(df: pd.DataFrame) -> pd.DataFrame:
    """Write a lone or paired CR in text as LF, so the CSV writer quotes the field.

    Python's csv module (3.11) quotes a field holding LF but not one holding a
    lone CR, which a reader then takes for the end of the row.
    """
    for col in _text_columns(df):
        df[col] = _map_text(df[col], lambda v: v.replace("\r\n", "\n").replace("\r", "\n"))
    return df


_PERCENT = ("share", "violation_rate", "volume_change")
"""Columns starting with one of these hold shares (0–1): shown as per cent."""

_KEEP_OFFSET = ("hour_start",)
"""Time columns kept as ISO text with offset in Excel: local hour keys, whose two 02:00
hours of the autumn night must stay apart (an Excel date-time has no offset)."""


def write_xlsx(sheets: dict[str, pd.DataFrame], path: Path, *, language: str | None = None,
               tz: str | None = None) -> Path:
    """Write one or more tables as sheets of an Excel workbook a person can use.

    Header row bold and frozen, an autofilter over the table, column widths
    from the content (8–60 characters); cells typed: date-times as Excel
    date-times (local time of ``tz``), dates as dates, counts as integers
    (``#,##0``), shares as per cent (``0.0%``, columns starting with
    ``share``), other numbers with one decimal, every text cell a string
    (never a formula).

    Parameters
    ----------
    sheets : dict
        Sheet name -> table.
    path : Path
        The ``.xlsx`` to write.
    language : str, optional
        Headers and code values for people (:func:`trafikplan.i18n.for_people`);
        None keeps the column names.
    tz : str, optional
        Time zone of the date-times shown (default each column's own).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    if wb.active is not None:
        wb.remove(wb.active)
    for name, frame in sheets.items():
        ws = wb.create_sheet(title=name[:31])
        typed, formats = _excel_values(frame, tz)
        shown = typed
        if language is not None:
            from trafikplan.i18n import for_people as named

            shown = named(typed, language, weekday_names=True)
        ws.append([str(c) for c in shown.columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        values = shown.astype(object).where(shown.notna(), None).to_numpy()
        for row in values:
            ws.append([_cell(v) for v in row])
        for j, (col, fmt) in enumerate(zip(shown.columns, formats, strict=True), start=1):
            letter = get_column_letter(j)
            for cell in ws[letter][1:]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
                elif fmt and cell.value is not None:
                    cell.number_format = fmt
            width = max([len(str(col))] + [len(_shown(v, fmt)) for v in shown[col].head(500)])
            ws.column_dimensions[letter].width = min(60, max(8, width + 2))
        ws.freeze_panes = "A2"
        if len(frame.columns):
            ws.auto_filter.ref = f"A1:{get_column_letter(len(frame.columns))}{len(frame) + 1}"
    wb.save(path)
    return path


def _excel_values(frame: pd.DataFrame, tz: str | None) -> tuple[pd.DataFrame, list[str]]:
    """Return the table with Excel-typed values and each column's number format.

    Time-zone-aware times become local wall-clock times (Excel has none);
    ``YYYY-MM-DD`` text and dates become dates; floats holding only whole
    numbers (counts with gaps) stay numbers shown as integers.
    """
    import datetime as dt

    out = frame.copy()
    formats: list[str] = []
    for col in frame.columns:
        s = frame[col]
        name = str(col)
        fmt = ""
        if isinstance(s.dtype, pd.DatetimeTZDtype) and name in _KEEP_OFFSET:
            out[col] = s.map(lambda t: t.isoformat() if pd.notna(t) else None).astype(object)
        elif isinstance(s.dtype, pd.DatetimeTZDtype):
            local = s.dt.tz_convert(tz) if tz else s
            out[col] = local.dt.tz_localize(None).astype(object).where(s.notna(), None)
            fmt = "yyyy-mm-dd hh:mm"
        elif pd.api.types.is_datetime64_dtype(s):
            fmt = "yyyy-mm-dd hh:mm"
        elif pd.api.types.is_bool_dtype(s):
            fmt = ""
        elif pd.api.types.is_integer_dtype(s):
            fmt = "#,##0"
        elif pd.api.types.is_float_dtype(s):
            whole = s.dropna()
            if name.startswith(_PERCENT):
                fmt = "0.0%"
            elif len(whole) and bool((whole == whole.round()).all()) and not name.endswith(
                    ("_lo", "_hi")) and whole.abs().max() < 1e12:
                fmt = "#,##0"
            else:
                fmt = "0.0"
        elif s.dtype == object:
            sample = s.dropna()
            if len(sample) and sample.map(lambda v: isinstance(v, dt.date)).all():
                fmt = "yyyy-mm-dd"
            elif len(sample) and sample.map(lambda v: isinstance(v, str)).all() and bool(
                    sample.str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()):
                out[col] = pd.to_datetime(s, format="%Y-%m-%d").dt.date.astype(object).where(
                    s.notna(), None)
                fmt = "yyyy-mm-dd"
        formats.append(fmt)
    return for_people_text(out), formats


def for_people_text(df: pd.DataFrame) -> pd.DataFrame:
    """Return a copy with every text cell neutralised (no formula can start)."""
    out = df.copy()
    for col in _text_columns(out):
        out[col] = out[col].astype(object).map(neutralise)
    return out


def _shown(value: object, fmt: str) -> str:
    """Rough width of a cell as Excel shows it [characters]."""
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return ""
    if fmt.startswith("yyyy"):
        return fmt
    if isinstance(value, float | np.floating):
        return f"{value:,.1f}"
    return str(value)


def _cell(v: object) -> object:
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and not np.isfinite(v):
        return None
    return v


def print_table(df: pd.DataFrame, console: Console, *, title: str = "", max_rows: int = 60,
                language: str | None = None, codes: dict[str, str] | None = None) -> None:
    """Print ``df`` as a rich table (first ``max_rows`` rows).

    Parameters
    ----------
    df : DataFrame
        The table.
    console : Console
        Where to print.
    title : str
        Title above the table.
    max_rows : int
        Rows printed; a line says how many more there are.
    language : str, optional
        For people: headers and code values named, weekdays as names, numbers
        in the language's format (:mod:`trafikplan.i18n`), shares as per cent.
        None prints the column names and plain numbers.
    codes : dict, optional
        Column -> code vocabulary on top of the usual ones (with ``language``).
    """
    from rich.table import Table

    table = Table(title=printable(title) or None, show_lines=False)
    names = [str(c) for c in df.columns]
    shown = df.head(max_rows)
    if language is not None:
        from trafikplan.i18n import for_people as named

        shown = named(shown, language, codes=codes, weekday_names=True)
    for name, header in zip(names, shown.columns, strict=True):
        numeric = pd.api.types.is_numeric_dtype(df[name]) and not pd.api.types.is_bool_dtype(
            df[name])
        table.add_column(printable(str(header)), overflow="fold",
                         justify="right" if numeric else "left")
    for row in table_rows(shown):
        table.add_row(*(printable(_fmt(v, n, language))
                        for v, n in zip(row, names, strict=True)))
    console.print(table)
    if len(df) > max_rows:
        more = len(df) - max_rows
        if language is None:
            console.print(f"... {more} more rows (use -o FILE to write them all)")
        else:
            from trafikplan.i18n import integer, text

            console.print(text("more_rows", language, n=integer(more, language)), markup=False)


def _fmt(v: object, name: str = "", language: str | None = None) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA or v is pd.NaT:
        return ""
    if language is not None:
        from trafikplan.i18n import code, integer, number, percent

        if isinstance(v, bool | np.bool_):
            return code("bool", bool(v), language)
        if isinstance(v, int | np.integer):
            return integer(int(v), language)
        if isinstance(v, float | np.floating):
            x = float(v)
            if name.startswith(_PERCENT):
                return percent(x, language, 1)
            if x.is_integer() and abs(x) < 1e12:
                return integer(x, language)
            return number(x, 3 if abs(x) < 1 else 1, language)
        if isinstance(v, pd.Timestamp):
            return v.isoformat(sep=" ", timespec="minutes")
        return str(v)
    if isinstance(v, float | np.floating):
        x = float(v)
        return f"{x:.3f}" if abs(x) < 1 else f"{x:.1f}"
    if isinstance(v, pd.Timestamp):
        return v.isoformat()
    return printable(v)
