"""Read ``roster.csv``: the police shifts available for speed checks.

Contract (DESIGN.md)::

    team,start,end[,area]
    Team A,2024-10-07T14:00:00+02:00,2024-10-07T22:00:00+02:00,Centrum

``start`` and ``end`` are ISO 8601 local times with offset (or ``Z``); a time
without offset is read as wall-clock time in the settings' time zone (a time
in the spring-forward gap or an ambiguous fall-back time is then an error,
since a shift cannot be guessed). ``area`` is optional: a shift with an area
only checks sites of that area. Extra columns are ignored. Any problem stops
with an :class:`~trafikplan._errors.InputError` naming file, line and column.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from trafikplan._errors import InputError

ROSTER_FILE = "roster.csv"
REQUIRED = ("team", "start", "end")


def _parse_time(text: str, tz: str, path: Path, line: int, column: str) -> pd.Timestamp:
    value = text.strip()
    if not value:
        raise InputError("empty time; expected ISO 8601 with offset, e.g. "
                         "2024-10-07T14:00:00+02:00", path=path, line=line, column=column)
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError):
        raise InputError(f"cannot read {value!r} as a time; expected ISO 8601 with offset, "
                         "e.g. 2024-10-07T14:00:00+02:00", path=path, line=line,
                         column=column) from None
    if ts is pd.NaT or pd.isna(ts):
        raise InputError(f"cannot read {value!r} as a time", path=path, line=line, column=column)
    if ts.tzinfo is None:
        try:
            ts = ts.tz_localize(tz, ambiguous="raise", nonexistent="raise")
        except Exception:  # pytz/zoneinfo versions raise different classes
            raise InputError(f"local time {value!r} does not exist or is ambiguous in {tz}; "
                             "write it with its offset", path=path, line=line,
                             column=column) from None
    return ts.tz_convert("UTC")


def read_roster(path: Path | str, *, tz: str = "Europe/Stockholm") -> pd.DataFrame:
    """Read a roster file.

    Parameters
    ----------
    path : Path or str
        ``roster.csv`` (UTF-8, comma-separated, header row).
    tz : str
        IANA time zone for times written without offset.

    Returns
    -------
    DataFrame
        One row per shift, in file order:

        - ``team`` : str, the team's name
        - ``start``, ``end`` : datetime64[ns, UTC], the shift
        - ``area`` : str or NA, the area the shift is restricted to
        - ``line`` : int, 1-based line in the file

    Raises
    ------
    InputError
        Missing file or column, an unreadable time, an empty team, or a shift
        whose end is not after its start (naming the line).
    """
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise InputError("no roster.csv: the police shifts (team,start,end) are needed to "
                         "plan checks", path=path) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason})", path=path) from None
    reader = csv.reader(io.StringIO(text, newline=None))  # universal line ends (CR too)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise InputError("empty file; expected a header team,start,end", path=path,
                         line=1) from None
    for col in REQUIRED:
        if col not in header:
            raise InputError(f"missing column {col!r}; expected team,start,end[,area]",
                             path=path, line=1, column=col)
    idx = {name: header.index(name) for name in (*REQUIRED, "area") if name in header}
    rows = []
    for line_no, fields in enumerate(reader, start=2):
        if not fields or all(not f.strip() for f in fields):
            continue
        if len(fields) < len(header):
            missing = header[len(fields)]
            raise InputError(f"row has {len(fields)} fields, expected {len(header)}",
                             path=path, line=line_no, column=missing)
        team = fields[idx["team"]].strip()
        if not team:
            raise InputError("empty team name", path=path, line=line_no, column="team")
        start = _parse_time(fields[idx["start"]], tz, path, line_no, "start")
        end = _parse_time(fields[idx["end"]], tz, path, line_no, "end")
        if end <= start:
            raise InputError(f"shift ends ({fields[idx['end']].strip()}) before or when it "
                             f"starts ({fields[idx['start']].strip()})", path=path,
                             line=line_no, column="end")
        area = fields[idx["area"]].strip() if "area" in idx else ""
        rows.append((team, start, end, area or None, line_no))
    df = pd.DataFrame(rows, columns=["team", "start", "end", "area", "line"])
    df["team"] = df["team"].astype("string")
    df["area"] = df["area"].astype("string")
    df["start"] = pd.to_datetime(df["start"], utc=True).astype("datetime64[ns, UTC]")
    df["end"] = pd.to_datetime(df["end"], utc=True).astype("datetime64[ns, UTC]")
    df["line"] = df["line"].astype("int64")
    return df
