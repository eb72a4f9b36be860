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
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from trafikplan._errors import InputError
from trafikplan.io.safe_text import printable, strip_control
from trafikplan.report.files import atomic_path

if TYPE_CHECKING:
    from rich.console import Console

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SUFFIXES = (".csv", ".parquet", ".xlsx")


def neutralise(value: object) -> object:
    """Return text without control characters, with an apostrophe if it could be a formula."""
    if isinstance(value, str):
        value = strip_control(value)
        if value.startswith(_FORMULA_START):
            return "'" + value
    return value


def _text_columns(df: pd.DataFrame) -> list[str]:
    return [
        c
        for c in df.columns
        if df[c].dtype == object or isinstance(df[c].dtype, pd.StringDtype | pd.CategoricalDtype)
    ]


def for_people(df: pd.DataFrame) -> pd.DataFrame:
    """Return a copy fit for CSV/XLSX: ISO times with offset, neutralised text."""
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if isinstance(s.dtype, pd.DatetimeTZDtype):
            text = s.map(lambda t: t.isoformat() if pd.notna(t) else "")
            out[col] = text.astype(object)
        elif col in _text_columns(out):
            out[col] = s.astype(object).map(neutralise)
    return out


def write_table(
    df: pd.DataFrame, path: Path, *, private: bool = False, sheet: str = "data"
) -> Path:
    """Write ``df`` to ``path``; the format follows the suffix.

    Parameters
    ----------
    df : DataFrame
        Any table.
    path : Path
        ``.csv`` (UTF-8, comma, decimal point, text quoted), ``.parquet`` or
        ``.xlsx``.
    private : bool
        Create the file with mode 0600 (plans).
    sheet : str
        Sheet name for ``.xlsx``.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    InputError
        For an unknown suffix.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(
            f"cannot write {suffix or 'a file without suffix'}; use one of {', '.join(SUFFIXES)}",
            path=path,
        )
    with atomic_path(path, private=private) as tmp:
        if suffix == ".csv":
            _csv_line_breaks(for_people(df)).to_csv(tmp, index=False, encoding="utf-8",
                                                    quoting=csv.QUOTE_NONNUMERIC)
        elif suffix == ".parquet":
            df.to_parquet(tmp, index=False)
        else:
            write_xlsx({sheet: df}, tmp)
    return path


def _csv_line_breaks(df: pd.DataFrame) -> pd.DataFrame:
    """Write a lone or paired CR in text as LF, so the CSV writer quotes the field.

    Python's csv module (3.11) quotes a field holding LF but not one holding a
    lone CR, which a reader then takes for the end of the row.
    """
    for col in _text_columns(df):
        df[col] = df[col].map(
            lambda v: v.replace("\r\n", "\n").replace("\r", "\n") if isinstance(v, str) else v
        )
    return df


def write_xlsx(sheets: dict[str, pd.DataFrame], path: Path) -> Path:
    """Write one or more tables as sheets of an Excel workbook.

    Header row bold and frozen, column widths from the content (capped at
    60 characters), numbers with two decimals (shares as per cent when the
    column name starts with ``share``), every text cell a string.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    for name, frame in sheets.items():
        ws = wb.create_sheet(title=name[:31])
        people = for_people(frame)
        ws.append([str(c) for c in people.columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        values = people.astype(object).where(people.notna(), None).to_numpy()
        for row in values:
            ws.append([_cell(v) for v in row])
        for j, col in enumerate(people.columns, start=1):
            letter = get_column_letter(j)
            kind = frame[col].dtype
            if pd.api.types.is_float_dtype(kind):
                fmt = "0.0%" if str(col).startswith("share") else "0.00"
                for cell in ws[letter][1:]:
                    cell.number_format = fmt
            for cell in ws[letter][1:]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
            width = max([len(str(col))] + [len(str(v)) for v in people[col].head(500)])
            ws.column_dimensions[letter].width = min(60, max(8, width + 2))
        ws.freeze_panes = "A2"
    wb.save(path)
    return path


def _cell(v: object) -> object:
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and not np.isfinite(v):
        return None
    return v


def print_table(df: pd.DataFrame, console: Console, *, title: str = "", max_rows: int = 60) -> None:
    """Print ``df`` as a rich table (first ``max_rows`` rows; floats rounded)."""
    from rich.table import Table

    table = Table(title=printable(title) or None, show_lines=False)
    for col in df.columns:
        table.add_column(printable(col), overflow="fold")
    for row in df.head(max_rows).itertuples(index=False):
        table.add_row(*(_fmt(v) for v in row))
    console.print(table)
    if len(df) > max_rows:
        console.print(f"... {len(df) - max_rows} more rows (use -o FILE to write them all)")


def _fmt(v: object) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA or v is pd.NaT:
        return ""
    if isinstance(v, float | np.floating):
        return f"{v:.3f}" if abs(v) < 1 else f"{v:.1f}"
    if isinstance(v, pd.Timestamp):
        return v.isoformat()
    return printable(v)
