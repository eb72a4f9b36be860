"""Glossary of the canonical tables: column names, dtypes and units.

Every stage refers here instead of restating units. The tables are the
contract between stages (DESIGN.md); :func:`validate` checks a DataFrame
against it where data enters a stage.

Units: speeds km/h, lengths m, headways s, distances km unless stated.
Times are ``datetime64[ns, UTC]`` in storage; every hour, date or weekday a
person sees is local time in the settings' time zone.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pandas as pd

from trafikplan._errors import InputError
from trafikplan.i18n.phrase import Phrase

__all__ = [
    "BINS",
    "CHECKS_DONE",
    "REJECTS",
    "REJECT_REASONS",
    "REPORTS",
    "REPORT_CATEGORIES",
    "SITES",
    "STAT_KEYS",
    "TABLES",
    "UTC",
    "VEHICLES",
    "VEHICLE_CLASSES",
    "Column",
    "empty",
    "table_rows",
    "validate",
]

VEHICLE_CLASSES = ("car", "heavy", "motorcycle", "bicycle", "unknown")
"""Canonical vehicle classes; ``motorcycle`` includes mopeds."""

REPORT_CATEGORIES = ("speeding", "reckless", "parking", "noise", "other")
"""Canonical Embrace report categories."""

STAT_KEYS = ("site_id", "direction", "date", "hour_start", "weekday", "hour_of_day")
"""Grouping keys of the statistics (all local time; ``weekday`` 1 = Monday)."""

UTC = "datetime64[ns, UTC]"

REJECT_REASONS = {
    "field_count": "row has too few or too many fields",
    "time_unparsable": "time could not be read",
    "time_in_dst_gap": "local time does not exist (spring-forward gap)",
    "time_out_of_order": "time far out of order in the file",
    "time_out_of_range": "time outside the plausible years of [import] first_year/last_year",
    "speed_unparsable": "speed could not be read as a number",
    "speed_impossible": "speed outside the plausible range of [import] settings",
    "value_unparsable": "a number (length, headway, count, coordinate) could not be read",
    "value_missing": "a required value is empty",
    "value_impossible": "a length or headway that cannot be (negative or infinite)",
    "site_unknown": "site id not in sites.csv",
    "value_inconsistent": "values contradict each other (end not after start, a check longer "
    "than 12 h, more violations than vehicles checked)",
}
"""Reject reasons (the ``reason`` column of the rejects table) and what they mean."""


@dataclass(frozen=True)
class Column:
    """One column of a canonical table."""

    name: str
    dtype: str
    unit: str = ""
    doc: str = ""
    required: bool = True


SITES = (
    Column("site_id", "string", "", "site identifier, unique"),
    Column("street", "string", "", "street name as written locally"),
    Column("section", "string", "", "part of the street (free text)", required=False),
    Column("lat", "float64", "deg", "WGS 84 latitude"),
    Column("lon", "float64", "deg", "WGS 84 longitude"),
    Column("speed_limit", "float64", "km/h", "posted limit"),
    Column("area", "string", "", "police/municipal area"),
    Column("check_spot", "bool", "", "police can run a speed check here safely"),
)

VEHICLES = (
    Column("site_id", "string", "", "site of the counter"),
    Column("time", UTC, "", "passage time"),
    Column("direction", "string", "", "direction label as the counter gives it"),
    Column("speed", "float64", "km/h", "spot speed"),
    Column("length", "float64", "m", "vehicle length (NaN if not measured)"),
    Column("headway", "float64", "s", "time since the previous vehicle, same site and direction"),
    Column("vehicle_class", "string", "", f"one of {', '.join(VEHICLE_CLASSES)}"),
    Column("source", "string", "", "raw file, relative to the data folder"),
    Column("line", "int64", "", "1-based line of the row in its raw file", required=False),
)

BINS = (
    Column("site_id", "string", "", "site of the counter"),
    Column("start", UTC, "", "interval start (inclusive)"),
    Column("end", UTC, "", "interval end (exclusive)"),
    Column("direction", "string", "", "direction label ('all' when both directions)"),
    Column("speed_lo", "float64", "km/h", "speed class lower edge (exclusive)"),
    Column("speed_hi", "float64", "km/h", "speed class upper edge (inclusive; inf = open)"),
    Column("count", "int64", "vehicles", "vehicles in the interval and speed class"),
    Column("source", "string", "", "raw file, relative to the data folder"),
    Column("line", "int64", "", "1-based line of the row in its raw file", required=False),
)

REPORTS = (
    Column("report_id", "string", "", "Embrace case id"),
    Column("time", UTC, "", "when the event happened (or was reported)"),
    Column("category", "string", "", f"one of {', '.join(REPORT_CATEGORIES)}"),
    Column("category_raw", "string", "", "category text as exported"),
    Column("street", "string", "", "street as written in the report"),
    Column("site_id", "string", "", "matched site (NA when none matched)"),
    Column("lat", "float64", "deg", "WGS 84 latitude (NaN if none)"),
    Column("lon", "float64", "deg", "WGS 84 longitude (NaN if none)"),
    Column("text", "string", "", "free text, personal data redacted"),
    Column("source", "string", "", "raw file, relative to the data folder"),
)

REJECTS = (
    Column("source", "string", "", "raw file, relative to the data folder"),
    Column("line", "int64", "", "1-based line in the raw file"),
    Column("column", "string", "", "column the problem is in (NA if the whole row)"),
    Column("reason", "string", "", "short reason, same text for the same problem"),
    Column("value", "string", "", "the offending value (redacted)"),
)

CHECKS_DONE = (
    Column("team", "string", "", "police team"),
    Column("start", "datetime64[ns, UTC]", "", "start of the check"),
    Column("end", "datetime64[ns, UTC]", "", "end of the check (after start)"),
    Column("site_id", "string", "", "site of the check (NA: only a street is known)"),
    Column("street", "string", "", "street of the check"),
    Column("vehicles_checked", "int64", "vehicles", "vehicles measured"),
    Column("violations", "int64", "vehicles", "of them over the limit"),
    Column("max_speed", "float64", "km/h", "highest speed measured (NaN if not given)"),
    Column("fines", "Int64", "count", "fines issued (NA if not given)"),
    Column("warnings", "Int64", "count", "warnings given (NA if not given)"),
    Column("notes", "string", "", "free text, personal data redacted"),
    Column("source", "string", "", "raw file, relative to the data folder"),
    Column("line", "int64", "", "1-based line (sheet row) of the record"),
)
"""Column contract of the ``checks_done`` table (police records of completed checks)."""

TABLES: dict[str, tuple[Column, ...]] = {
    "sites": SITES,
    "vehicles": VEHICLES,
    "bins": BINS,
    "reports": REPORTS,
    "rejects": REJECTS,
    "checks_done": CHECKS_DONE,
}


def empty(table: str) -> pd.DataFrame:
    """Return an empty DataFrame with the columns and dtypes of ``table``."""
    return pd.DataFrame({c.name: pd.Series(dtype=c.dtype) for c in TABLES[table]})


def validate(df: pd.DataFrame, table: str, *, where: str = "",
             partial: bool = False) -> pd.DataFrame:
    """Check ``df`` against the column contract of ``table``.

    All problems are collected and reported together.

    Parameters
    ----------
    df : DataFrame
        The table to check.
    table : str
        A key of :data:`TABLES`.
    where : str
        Shown in the error (e.g. the file the table came from).
    partial : bool
        Check only the columns ``df`` has (a table read with some columns
        left out on purpose); a missing required column is then no problem.

    Returns
    -------
    DataFrame
        ``df`` itself, unchanged, so calls can be chained.

    Raises
    ------
    InputError
        Listing every missing column and every dtype that does not match.
    """
    problems: list[Phrase] = []
    for col in TABLES[table]:
        if col.name not in df.columns:
            if col.required and not partial:
                problems.append(Phrase("err_contract_missing", name=col.name))
            continue
        actual = str(df[col.name].dtype)
        expected = col.dtype
        ok = (
            actual == expected
            or (
                expected == "string"
                and (
                    actual in ("string", "object", "category", "str") or actual.startswith("string")
                )
            )
            or (
                expected.startswith("datetime64")
                and actual.startswith("datetime64")
                and "UTC" in actual
            )
        )
        if expected == "float64" and actual in ("float32", "Float64"):
            ok = True
        if expected == "int64" and actual in ("int32", "Int64", "int16", "uint32"):
            ok = True
        if not ok:
            problems.append(Phrase("err_contract_dtype", name=col.name, actual=actual,
                                   expected=expected))
    if problems:
        raise InputError("err_contract", table=table, problems=Phrase.joined(problems),
                         path=where or None)
    return df


def table_rows(table: pd.DataFrame) -> Iterator[Any]:
    """Iterate the rows of ``table`` as named tuples: ``row.site_id``, ``row.speed``.

    The same as ``table.itertuples(index=False)``. A field has its column's
    dtype, which a type checker cannot know from a DataFrame (pandas-stubs
    types each field as any scalar), so the rows are typed ``Any``: convert a
    field where it is used (``int(row.n)``, ``str(row.site_id)``).
    """
    return table.itertuples(index=False)

