"""Readers of the planning inputs ``measures.csv`` and ``counter_fleet.csv``.

Both are small hand-kept files, so they are read with the :mod:`csv` module,
which knows the physical line of every record (quoted descriptions may span
lines). Every problem stops the read with an :class:`~trafikplan._errors.InputError`
naming the file, the line, the column and what was expected.

Delimiter: a comma, or a semicolon when the header line holds semicolons and
no commas (what Swedish Excel writes). Encoding: UTF-8 with or without BOM.

``measures.csv``
    ``measure_id, street, site_id, kind, built, description`` (+ optional
    ``comparison_site_id``). ``built`` is a local date ``YYYY-MM-DD``; empty
    means planned, not yet built (so does a date after the day of planning:
    see :func:`measure_status`).
``counter_fleet.csv``
    ``counter, kind`` (``radar`` or ``tube``) (+ optional ``available_from``,
    a local date; empty = available now).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pandas as pd

from trafikplan._errors import InputError

__all__ = [
    "COUNTER_KINDS",
    "FLEET_COLUMNS",
    "MEASURE_COLUMNS",
    "measure_status",
    "read_counter_fleet",
    "read_measures",
]

MEASURE_COLUMNS = ("measure_id", "street", "site_id", "kind", "built", "description")
"""Required columns of ``measures.csv``; ``comparison_site_id`` is optional."""

FLEET_COLUMNS = ("counter", "kind")
"""Required columns of ``counter_fleet.csv``; ``available_from`` is optional."""

COUNTER_KINDS = ("radar", "tube")
"""Kinds of counters: radar (side-fire, per vehicle) and pneumatic tube."""


def _rows(path: Path, required: tuple[str, ...]) -> tuple[list[str], list[tuple[int, dict]]]:
    """Read ``path`` into ``(header, [(line, record), ...])`` checking the header."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"file not found; expected a CSV with columns {', '.join(required)}",
                         path=path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start}); save the file as UTF-8 CSV",
                         path=path) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if (";" in first and "," not in first) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise InputError(f"empty file; expected a header with {', '.join(required)}",
                         path=path, line=1) from None
    for name in required:
        if name not in header:
            raise InputError(
                f"missing column; the header must name {', '.join(required)} "
                f"(found {', '.join(header) or 'nothing'})",
                path=path, line=1, column=name,
            )
    records: list[tuple[int, dict]] = []
    line = reader.line_num
    try:
        for fields in reader:
            start = line + 1
            line = reader.line_num
            if not any(f.strip() for f in fields):
                continue
            if len(fields) != len(header):
                raise InputError(
                    f"{len(fields)} fields, expected {len(header)} as in the header",
                    path=path, line=start,
                )
            records.append((start, {h: f.strip() for h, f in zip(header, fields, strict=True)}))
    except csv.Error as exc:
        raise InputError(f"broken CSV ({exc})", path=path, line=reader.line_num) from None
    return header, records


def _date(value: str, path: Path, line: int, column: str) -> dt.date | None:
    if value == "":
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"expected a date YYYY-MM-DD or nothing, got {value!r}",
                         path=path, line=line, column=column) from None


def _need(rec: dict, column: str, path: Path, line: int, what: str) -> str:
    value = rec[column]
    if value == "":
        raise InputError(f"empty; expected {what}", path=path, line=line, column=column)
    return value


def read_measures(path: Path | str) -> pd.DataFrame:
    """Read ``measures.csv``.

    Parameters
    ----------
    path : Path or str
        The file (``DATA_DIR/measures.csv``).

    Returns
    -------
    DataFrame
        One row per measure, in file order:

        * ``measure_id`` : str, unique;
        * ``street`` : str;
        * ``site_id`` : str, the site where the measure is (and is measured);
        * ``kind`` : str, free text (e.g. ``farthinder``, ``avsmalning``);
        * ``built`` : object of ``datetime.date`` (local) or None (planned);
        * ``description`` : str;
        * ``comparison_site_id`` : str or None, a site on a street without
          a measure, measured in the same weeks (optional column);
        * ``line`` : int, 1-based line of the record in the file.

    Raises
    ------
    InputError
        Missing file or column, wrong field count, an empty ``measure_id``,
        ``street`` or ``site_id``, a duplicate ``measure_id``, a ``built``
        that is not a date, a comparison site equal to the measure's site.
    """
    path = Path(path)
    header, records = _rows(path, MEASURE_COLUMNS)
    has_cmp = "comparison_site_id" in header
    out = []
    seen: dict[str, int] = {}
    for line, rec in records:
        mid = _need(rec, "measure_id", path, line, "a measure id")
        if mid in seen:
            raise InputError(f"measure id {mid!r} already on line {seen[mid]}; ids must be unique",
                             path=path, line=line, column="measure_id")
        seen[mid] = line
        row = {
            "measure_id": mid,
            "street": _need(rec, "street", path, line, "the street name"),
            "site_id": _need(rec, "site_id", path, line, "the site id of the measure (sites.csv)"),
            "kind": rec["kind"],
            "built": _date(rec["built"], path, line, "built"),
            "description": rec["description"],
            "comparison_site_id": (rec.get("comparison_site_id") or None) if has_cmp else None,
            "line": line,
        }
        if row["comparison_site_id"] == row["site_id"]:
            raise InputError("comparison site is the measure's own site; name a site on a "
                             "street without a measure", path=path, line=line,
                             column="comparison_site_id")
        out.append(row)
    cols = [*MEASURE_COLUMNS, "comparison_site_id", "line"]
    df = pd.DataFrame({c: pd.Series([r[c] for r in out], dtype=object) for c in cols})
    df["line"] = df["line"].astype("int64")
    return df


def read_counter_fleet(path: Path | str) -> pd.DataFrame:
    """Read ``counter_fleet.csv``.

    Parameters
    ----------
    path : Path or str
        The file (``DATA_DIR/counter_fleet.csv``).

    Returns
    -------
    DataFrame
        One row per counter, in file order:

        * ``counter`` : str, unique;
        * ``kind`` : str, ``radar`` or ``tube`` (lower case);
        * ``available_from`` : object of ``datetime.date`` or None (available now);
        * ``line`` : int, 1-based line in the file.

    Raises
    ------
    InputError
        Missing file or column, an empty or duplicate ``counter``, an unknown
        ``kind``, an ``available_from`` that is not a date.
    """
    path = Path(path)
    header, records = _rows(path, FLEET_COLUMNS)
    has_avail = "available_from" in header
    out = []
    seen: dict[str, int] = {}
    for line, rec in records:
        name = _need(rec, "counter", path, line, "a counter name")
        if name in seen:
            raise InputError(f"counter {name!r} already on line {seen[name]}; names must be unique",
                             path=path, line=line, column="counter")
        seen[name] = line
        kind = rec["kind"].lower()
        if kind not in COUNTER_KINDS:
            raise InputError(f"expected one of {', '.join(COUNTER_KINDS)}, got {rec['kind']!r}",
                             path=path, line=line, column="kind")
        avail = _date(rec["available_from"], path, line, "available_from") if has_avail else None
        out.append({"counter": name, "kind": kind, "available_from": avail, "line": line})
    if not out:
        raise InputError("no counters listed; the plan needs at least one", path=path, line=2)
    cols = ["counter", "kind", "available_from", "line"]
    df = pd.DataFrame({c: pd.Series([r[c] for r in out], dtype=object) for c in cols})
    df["line"] = df["line"].astype("int64")
    return df


def measure_status(measures: pd.DataFrame, as_of: dt.date) -> pd.Series:
    """Whether each measure is built on ``as_of``.

    Parameters
    ----------
    measures : DataFrame
        From :func:`read_measures`.
    as_of : datetime.date
        The local day of planning.

    Returns
    -------
    Series of str
        ``built`` when ``built`` is a date on or before ``as_of``, else ``planned``.
    """
    built = measures["built"].map(lambda d: d is not None and not pd.isna(d) and d <= as_of)
    return built.map({True: "built", False: "planned"}).astype(object)
