"""Read ``roster.csv``: the police shifts available for speed checks.

Contract (DESIGN.md)::

    team,start,end[,area]
    Team A,2024-10-07T14:00:00+02:00,2024-10-07T22:00:00+02:00,Centrum

``start`` and ``end`` are ISO 8601 local times with offset (or ``Z``); a time
without offset is read as wall-clock time in the settings' time zone (a time
in the spring-forward gap or an ambiguous fall-back time is then an error,
since a shift cannot be guessed). Dates may also be written day/month/year
(``04/11/2024 07:00``) when the column tells the order; an ambiguous column is
refused naming both readings. The file is read by
:mod:`trafikplan.io.user_tables.smalltable` (``,`` or ``;``, UTF-8 or Windows-1252,
``.xlsx``). ``area`` is optional: a shift with an area
only checks sites of that area. Extra columns are ignored. Any problem stops
with an :class:`~trafikplan._errors.InputError` naming file, line and column.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from trafikplan._errors import InputError
from trafikplan.i18n.phrase import Phrase
from trafikplan.io.files.safe_text import check_identifiers
from trafikplan.io.user_tables import smalltable

__all__ = ["MAX_SHIFT_HOURS", "REQUIRED", "ROSTER_FILE", "read_roster"]

ROSTER_FILE = "roster.csv"
REQUIRED = ("team", "start", "end")
MAX_SHIFT_HOURS = 24.0
"""A longer shift is taken for a date read wrongly or a typing error [h]."""


def _parse_time(text: str, tz: str, path: Path, line: int, column: str) -> pd.Timestamp:
    value = text.strip()
    if not value:
        raise InputError("err_empty_time", path=path, line=line, column=column)
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError):
        raise InputError("err_time_iso", value=value, path=path, line=line,
                         column=column) from None
    if ts is pd.NaT or pd.isna(ts):
        raise InputError("err_time", value=value, path=path, line=line, column=column)
    if ts.tzinfo is None:
        try:
            ts = ts.tz_localize(tz, ambiguous="raise", nonexistent="raise")
        except Exception:  # pytz/zoneinfo versions raise different classes
            raise InputError("err_local_time", value=value, tz=tz, path=path, line=line,
                             column=column) from None
    return ts.tz_convert("UTC")


def read_roster(path: Path | str, *, tz: str = "Europe/Stockholm") -> pd.DataFrame:
    """Read a roster file.

    Parameters
    ----------
    path : Path or str
        ``roster.csv`` (or ``.xlsx``; see :mod:`trafikplan.io.user_tables.smalltable`).
    tz : str
        IANA time zone for times written without offset.

    Returns
    -------
    DataFrame
        One row per shift, in file order:

        - ``team`` : str, the team's name (NFC, invisible characters removed:
          :func:`trafikplan.io.files.safe_text.check_identifiers`)
        - ``start``, ``end`` : datetime64[ns, UTC], the shift
        - ``area`` : str or NA, the area the shift is restricted to
        - ``line`` : int, 1-based line in the file

    Raises
    ------
    InputError
        Missing file or column, an unreadable or ambiguous time, an empty
        team, a team name with a control character (a line break) or two
        spellings of one team that differ only in case or invisible
        characters, or a shift whose end is not after its start (naming the
        line).
    """
    path = Path(path)
    if not path.is_file():
        raise InputError("err_no_roster", path=path)
    table = smalltable.read_table(path)
    table.require(REQUIRED, "team,start,end[,area]")
    for row, line in zip(table.rows, table.lines, strict=True):
        if len(row) < len(table.names):
            raise InputError("err_row_fields", n=len(row), width=len(table.names),
                             path=path, line=line, column=table.names[len(row)])
    idx = {k: table.keys.index(k) for k in (*REQUIRED, "area") if k in table.keys}
    lines = table.lines
    raw = {k: [r[idx[k]].strip() for r in table.rows] for k in ("start", "end")}
    iso = {k: smalltable.normalize_datetimes(v, lines, path=path, column=k)
           for k, v in raw.items()}
    rows = []
    for i, (fields, line_no) in enumerate(zip(table.rows, lines, strict=True)):
        team = fields[idx["team"]].strip()
        if not team:
            raise InputError("err_empty_team", path=path, line=line_no, column="team")
        start = _parse_time(iso["start"][i] or "", tz, path, line_no, "start")
        end = _parse_time(iso["end"][i] or "", tz, path, line_no, "end")
        if end <= start:
            raise InputError("err_shift_order", end=raw["end"][i], start=raw["start"][i],
                             path=path, line=line_no, column="end")
        if end - start > pd.Timedelta(hours=MAX_SHIFT_HOURS):
            raise InputError("err_shift_long",
                             hours=f"{(end - start) / pd.Timedelta(hours=1):.0f}",
                             start=raw["start"][i], end=raw["end"][i],
                             most=f"{MAX_SHIFT_HOURS:.0f}", path=path, line=line_no,
                             column="end")
        area = fields[idx["area"]].strip() if "area" in idx else ""
        rows.append((team, start, end, area or None, line_no))
    df = pd.DataFrame(rows, columns=["team", "start", "end", "area", "line"])
    df["team"] = check_identifiers(df["team"].astype("string"), df["line"].to_numpy(), path,
                                   "team", what=Phrase("err_what_team"))
    df["area"] = df["area"].astype("string")
    df["start"] = pd.to_datetime(df["start"], utc=True).astype("datetime64[ns, UTC]")
    df["end"] = pd.to_datetime(df["end"], utc=True).astype("datetime64[ns, UTC]")
    df["line"] = df["line"].astype("int64")
    return df
