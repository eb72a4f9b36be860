"""Readers of the planning inputs ``measures.csv`` and ``counter_fleet.csv``.

Both are small hand-kept files, read by :mod:`trafikplan.io.user_tables.smalltable`
(``,`` or ``;``, UTF-8 with or without BOM or Windows-1252, ``.xlsx``; dates
ISO or unambiguous day/month/year). Every problem stops the read with an
:class:`~trafikplan._errors.InputError` naming the file, the line, the column
and what was expected.

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

import datetime as dt
from pathlib import Path

import pandas as pd

from trafikplan._errors import InputError
from trafikplan.i18n.phrase import Phrase
from trafikplan.io.user_tables import smalltable

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
    """Read ``path`` into ``(header, [(line, record), ...])`` checking the header.

    Column names are case-folded; records map them to stripped values.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError("err_measures_missing", columns=", ".join(required), path=path)
    table = smalltable.read_table(path)
    table.require(required)
    return table.keys, table.records()


def _dates(records: list[tuple[int, dict]], column: str, path: Path) -> list[dt.date | None]:
    values = [rec.get(column, "") for _, rec in records]
    return smalltable.parse_dates(values, [line for line, _ in records], path=path,
                                  column=column)


def _need(rec: dict, column: str, path: Path, line: int, what: str) -> str:
    value = rec[column]
    if value == "":
        raise InputError("err_empty_expected", what=Phrase(what), path=path, line=line,
                         column=column)
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
    built = _dates(records, "built", path)
    out = []
    seen: dict[str, int] = {}
    for (line, rec), built_on in zip(records, built, strict=True):
        mid = _need(rec, "measure_id", path, line, "err_need_measure_id")
        if mid in seen:
            raise InputError("err_measure_twice", mid=mid, first=seen[mid], path=path,
                             line=line, column="measure_id")
        seen[mid] = line
        row = {
            "measure_id": mid,
            "street": _need(rec, "street", path, line, "err_need_street"),
            "site_id": _need(rec, "site_id", path, line, "err_need_measure_site"),
            "kind": rec["kind"],
            "built": built_on,
            "description": rec["description"],
            "comparison_site_id": (rec.get("comparison_site_id") or None) if has_cmp else None,
            "line": line,
        }
        if row["comparison_site_id"] == row["site_id"]:
            raise InputError("err_comparison_own", path=path, line=line,
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
    avail_on = _dates(records, "available_from", path) if has_avail else [None] * len(records)
    out = []
    seen: dict[str, int] = {}
    for (line, rec), avail in zip(records, avail_on, strict=True):
        name = _need(rec, "counter", path, line, "err_need_counter")
        if name in seen:
            raise InputError("err_counter_twice", name=name, first=seen[name], path=path,
                             line=line, column="counter")
        seen[name] = line
        kind = rec["kind"].lower()
        if kind not in COUNTER_KINDS:
            raise InputError("err_one_of", choices=", ".join(COUNTER_KINDS), value=rec["kind"],
                             path=path, line=line, column="kind")
        out.append({"counter": name, "kind": kind, "available_from": avail, "line": line})
    if not out:
        raise InputError("err_no_counters", path=path, line=2)
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
