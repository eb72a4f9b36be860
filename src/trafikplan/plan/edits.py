"""The planner's changes to a week: locked checks, forbidden sites or hours, teams away.

A police planner edits the plan through ``DATA_DIR/plan_edits.toml`` (or a file
given with ``trafikplan plan checks --edits FILE``)::

    [[lock]]                       # this check stays as it is
    team = "Ingripande Köping 1"
    site_id = "K01"
    start = 2024-11-04T10:00:00+01:00
    end = 2024-11-04T10:40:00+01:00

    [[forbid]]                     # no check at K03 this week
    site_id = "K03"

    [[forbid]]                     # no check at all on Wednesday evening
    start = 2024-11-06T18:00:00+01:00
    end = 2024-11-07T00:00:00+01:00

    [[away]]                       # the team is elsewhere from Wednesday on
    team = "Trafikgruppen Västmanland"
    start = 2024-11-06T00:00:00+01:00

Times are TOML date-times with an offset, or without one in the settings' time
zone; a missing ``start``/``end`` is open (the whole week). A ``forbid`` names
a site, a time span or both. A locked check must be one the rules allow (on
the grid, inside a shift of its team, at a check spot); it is kept in every
plan of the week and the other checks are planned around it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from trafikplan._errors import InputError
from trafikplan.columns import table_rows

__all__ = [
    "EDITS_FILE",
    "PlanEdits",
    "edits_toml",
    "forbidden",
    "read_edits",
    "roster_without",
    "write_edits",
]

EDITS_FILE = "plan_edits.toml"
"""The plan edit file in the data folder."""

_KEYS = {"lock": ("team", "site_id", "start", "end"), "forbid": ("site_id", "start", "end"),
         "away": ("team", "start", "end")}
_REQUIRED = {"lock": ("team", "site_id", "start", "end"), "forbid": (), "away": ("team",)}


def _frame(columns: tuple[str, ...]) -> pd.DataFrame:
    out = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    for c in ("start", "end"):
        if c in out.columns:
            out[c] = pd.Series(dtype="datetime64[ns, UTC]")
    return out


@dataclass
class PlanEdits:
    """The planner's changes (all times UTC; NaT = open).

    Attributes
    ----------
    lock : DataFrame
        ``team, site_id, start, end``: checks that stay.
    forbid : DataFrame
        ``site_id`` ("" = every site), ``start, end``: no check overlaps the span there.
    away : DataFrame
        ``team, start, end``: the team runs no check in the span.
    """

    lock: pd.DataFrame = field(default_factory=lambda: _frame(_KEYS["lock"]))
    forbid: pd.DataFrame = field(default_factory=lambda: _frame(_KEYS["forbid"]))
    away: pd.DataFrame = field(default_factory=lambda: _frame(_KEYS["away"]))

    def __bool__(self) -> bool:
        return bool(len(self.lock) or len(self.forbid) or len(self.away))


def _time(value: object, tz: str, where: str, path: Path | None) -> pd.Timestamp | None:
    if value is None:
        return None
    if isinstance(value, datetime | str):
        try:
            ts = pd.Timestamp(value)
        except ValueError:
            ts = None
        if ts is not None and not pd.isna(ts):
            return (ts.tz_localize(tz) if ts.tz is None else ts).tz_convert("UTC")
    raise InputError("plan_err_edit_time", path=path, where=where, value=value)


def read_edits(path: Path | str, tz: str) -> PlanEdits:
    """Read a plan edit file (module docstring).

    Parameters
    ----------
    path : Path or str
        The TOML file.
    tz : str
        Time zone of date-times without an offset.

    Returns
    -------
    PlanEdits

    Raises
    ------
    InputError
        Not TOML, an unknown table or key, a missing key, a time that is not a
        date-time, or an end before its start (file and entry named).
    """
    path = Path(path)
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError("plan_err_edits_unreadable", path=path, detail=exc) from None
    unknown = sorted(set(doc) - set(_KEYS))
    if unknown:
        raise InputError("plan_err_edits_unknown_table", path=path, name=unknown[0])
    out = {}
    for kind, keys in _KEYS.items():
        rows = doc.get(kind, [])
        if not isinstance(rows, list):
            raise InputError("plan_err_edits_not_list", path=path, kind=kind)
        recs = []
        for k, row in enumerate(rows, start=1):
            where = f"[[{kind}]] #{k}"
            extra = sorted(set(row) - set(keys))
            if extra:
                raise InputError("plan_err_edits_unknown_key", path=path, where=where,
                                 name=extra[0], expected=", ".join(keys))
            missing = [c for c in _REQUIRED[kind] if c not in row]
            if missing:
                raise InputError("plan_err_edits_missing_key", path=path, where=where,
                                 name=missing[0])
            rec: dict[str, object] = {c: str(row.get(c, "")) for c in keys
                                      if c not in ("start", "end")}
            rec["start"] = begin = _time(row.get("start"), tz, f"{where} start", path)
            rec["end"] = end = _time(row.get("end"), tz, f"{where} end", path)
            if begin is not None and end is not None and end <= begin:
                raise InputError("plan_err_edits_end_before_start", path=path, where=where)
            recs.append(rec)
        frame = pd.DataFrame(recs, columns=list(keys)) if recs else _frame(keys)
        for c in ("start", "end"):
            frame[c] = pd.to_datetime(frame[c], utc=True)
        out[kind] = frame
    return PlanEdits(**out)


def roster_without(roster: pd.DataFrame, away: pd.DataFrame) -> pd.DataFrame:
    """Return ``roster`` with each team's ``away`` spans cut out of its shifts.

    Parameters
    ----------
    roster : DataFrame
        ``team, start, end`` (tz-aware) and optional ``area``.
    away : DataFrame
        ``team, start, end`` (UTC; NaT = open).
    """
    if away is None or away.empty or roster is None or roster.empty:
        return roster
    keep: list[int] = []  # the roster row of each piece
    starts: list[pd.Timestamp] = []
    ends: list[pd.Timestamp] = []
    for i, r in enumerate(table_rows(roster[["team", "start", "end"]])):
        pieces = [(pd.Timestamp(r.start), pd.Timestamp(r.end))]
        mine = away[away["team"] == str(r.team)]
        for a_start, a_end in zip(mine["start"].tolist(), mine["end"].tolist(), strict=True):
            lo = pd.Timestamp(a_start) if pd.notna(a_start) else pd.Timestamp.min.tz_localize("UTC")
            hi = pd.Timestamp(a_end) if pd.notna(a_end) else pd.Timestamp.max.tz_localize("UTC")
            cut = []
            for s, e in pieces:
                if e <= lo or s >= hi:
                    cut.append((s, e))
                    continue
                if s < lo:
                    cut.append((s, lo.tz_convert(s.tz)))
                if e > hi:
                    cut.append((hi.tz_convert(e.tz), e))
            pieces = cut
        keep += [i] * len(pieces)
        starts += [s for s, _ in pieces]
        ends += [e for _, e in pieces]
    out = roster.iloc[keep].reset_index(drop=True)
    out["start"], out["end"] = pd.Series(starts, dtype=object), pd.Series(ends, dtype=object)
    for c in ("start", "end"):
        out[c] = pd.to_datetime(out[c], utc=True).dt.tz_convert(
            pd.to_datetime(roster[c]).dt.tz)
    return out


def forbidden(cand_site_ids: np.ndarray, start: pd.DatetimeIndex, end: pd.DatetimeIndex,
              forbid: pd.DataFrame) -> np.ndarray:
    """Return whether each check overlaps a forbidden span at its site (bool per check)."""
    out = np.zeros(len(cand_site_ids), bool)
    for site_id, f_start, f_end in zip(forbid["site_id"].tolist(), forbid["start"].tolist(),
                                       forbid["end"].tolist(), strict=True):
        at = np.ones(len(out), bool) if not site_id else cand_site_ids == site_id
        if pd.notna(f_start):
            at &= np.asarray(end > pd.Timestamp(f_start))
        if pd.notna(f_end):
            at &= np.asarray(start < pd.Timestamp(f_end))
        out |= at
    return out


def _toml_value(value: object, tz: str) -> str:
    if isinstance(value, pd.Timestamp):
        return value.tz_convert(tz).isoformat()
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def edits_toml(edits: PlanEdits, tz: str) -> str:
    """Return ``edits`` as the text of a plan edit file (local times with their offset).

    :func:`read_edits` of the text gives ``edits`` back; open times and empty
    site ids are left out.
    """
    lines = ["# The planner's changes (trafikplan plan checks / trafikplan serve).", ""]
    for kind, keys in _KEYS.items():
        for row in table_rows(getattr(edits, kind)):
            lines.append(f"[[{kind}]]")
            for k in keys:
                v = getattr(row, k, None)
                if v is None or (k in ("start", "end") and pd.isna(v)) or v == "":
                    continue
                v = pd.Timestamp(v) if k in ("start", "end") else v
                lines.append(f"{k} = {_toml_value(v, tz)}")
            lines.append("")
    return "\n".join(lines)


def write_edits(edits: PlanEdits, path: Path | str, tz: str) -> Path:
    """Write ``edits`` to ``path`` atomically (:func:`edits_toml`) and return the path."""
    from trafikplan.io.files.atomic import write_text

    return write_text(Path(path), edits_toml(edits, tz))
