"""Read the police's records of completed speed checks (``DATA_DIR/checks_done/``).

Records are read through format profiles of kind ``"checks_done"`` (common
schema in :mod:`trafikplan.io.profiles.profile`), the rows by
:mod:`trafikplan.io.user_tables.smalltable` like every hand-kept table: ``,`` or ``;``
(whatever the profile's ``delimiter``), UTF-8 or Windows-1252, ``.xlsx``
(header rows matched joined with ``|``); with ``format = "iso"`` dates may be
day/month/year where the column tells the order (an ambiguous column stops
the read naming both readings). Shipped: ``checks_done`` (CSV,
DESIGN.md's ``team,start,end,site_id,vehicles_checked,violations`` with the
optional columns) and ``checks_done_xlsx`` (the same columns in Excel).

Checks-done profile keys
------------------------
Top-level keys as for every profile (``encodings``, ``delimiter``,
``decimal``, ``header_match``, ``header_within``, ``file_type``,
``time_basis``, ``optional``), plus:

``[columns]`` : canonical name -> raw header name
    ``team``, ``start``, ``end``, ``vehicles_checked``, ``violations`` are
    required; ``site_id`` and ``street`` (at least one of them per file),
    ``max_speed``, ``fines``, ``warnings``, ``notes`` may be listed in
    ``optional``.
``[time]``
    ``format`` : str or list of str -- ``strftime`` formats tried in order,
    or ``"iso"`` (default). Times go to UTC by ``time_basis``
    (:mod:`trafikplan.io.times.timebase`; ``offset``: ISO with offset, a value
    without offset is local wall time).
``[xlsx]``
    ``sheet`` : str, optional -- sheet to read (the first when absent).

The checks_done table (column contract)
---------------------------------------
One row per completed check, in file order:

- ``team`` : string, the police team
- ``start``, ``end`` : datetime64[ns, UTC], the check (``end > start``)
- ``site_id`` : string, the site (NA when the record names only a street
  that does not identify one check spot)
- ``street`` : string, the site's street (from ``sites.csv`` when the site is
  known, else as written)
- ``vehicles_checked`` : int64 [vehicles], vehicles measured during the check
- ``violations`` : int64 [vehicles], of them over the limit (``<= vehicles_checked``)
- ``max_speed`` : float64 [km/h], highest speed measured (NaN if not given)
- ``fines``, ``warnings`` : Int64 [count], nullable
- ``notes`` : string, free text redacted of personal data (NA if empty)
- ``source`` : string, the raw file relative to the data folder
- ``line`` : int64, 1-based line (sheet row for ``.xlsx``) of the record

What the reader does
--------------------
* A record names its site by ``site_id``, or by ``street`` alone: a street with
  exactly one check spot in ``sites.csv`` gets that site; otherwise the
  record keeps ``site_id`` NA and the street (evidence for the street).
* Rows are set aside one by one (``columns.REJECTS``), with the first problem
  found: wrong field count (``field_count``), empty team, time, count or
  place (``value_missing``), unreadable time (``time_unparsable``), a local
  time in the spring-forward gap (``time_in_dst_gap``), a count that is not a
  whole number in ``0..MAX_COUNT`` or an unreadable optional number
  (``value_unparsable``),
  a ``max_speed`` outside ``[import]`` min/max speed (``speed_impossible``),
  a ``site_id`` not in ``sites.csv`` (``site_unknown``), and records that
  contradict themselves: end not after start, a check longer than
  :data:`MAX_CHECK_HOURS`, more violations than vehicles checked
  (``value_inconsistent``, see :data:`REJECT_REASONS`).
* ``notes`` and every reject value are redacted (:func:`trafikplan.io.redact.redact`).
* ``team``, ``site_id`` and ``street`` are NFC with invisible and control
  characters removed (``K01`` + a zero-width space is ``K01``).
* A record repeated in one file (same team, start and place) keeps its first
  row; later ones are counted in ``meta["duplicates"]``.
* Bad files raise :class:`~trafikplan._errors.InputError`: empty, binary,
  wrong encoding, no header line, duplicate or missing column, broken .xlsx.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from trafikplan import columns
from trafikplan._errors import InputError
from trafikplan.columns import CHECKS_DONE, empty
from trafikplan.io.embrace.reports import shape_rejects
from trafikplan.io.files.safe_text import clean_identifier, strip_control
from trafikplan.io.profiles.detect import detect_profile
from trafikplan.io.profiles.profile import Profile, ReadResult, load_profiles
from trafikplan.io.redact import redact
from trafikplan.io.redact.rejects import redacted_rejects, stack_rejects
from trafikplan.io.times import timebase
from trafikplan.io.user_tables import smalltable
from trafikplan.settings import Settings

__all__ = [
    "CHECKS_DONE_DIR",
    "MAX_CHECK_HOURS",
    "MAX_COUNT",
    "REJECT_REASONS",
    "read_checks_done",
    "read_checks_done_file",
]

CHECKS_DONE_DIR = "checks_done"
"""Sub-folder of a data folder with the police's records of completed checks."""

MAX_CHECK_HOURS = 12.0
"""A record of a longer check is taken for a typing error [h]."""

MAX_COUNT = 1_000_000
"""Larger vehicle, violation, fine or warning counts of one check are typing errors."""

REJECT_REASONS = {"value_inconsistent": columns.REJECT_REASONS["value_inconsistent"]}
"""Reject reasons this reader adds (defined in :data:`trafikplan.columns.REJECT_REASONS`)."""

_REQUIRED = ("team", "start", "end", "vehicles_checked", "violations")
_COUNTS = ("vehicles_checked", "violations")
_OPTIONAL_COUNTS = ("fines", "warnings")



def _times(values: pd.Series, lines: np.ndarray, column: str, path: Path, profile: Profile,
           settings: Settings) -> tuple[pd.Series, np.ndarray]:
    """UTC times of one column and where they fall in the spring-forward gap.

    With the default ``format = "iso"`` dates may also be day/month/year
    (:func:`trafikplan.io.user_tables.smalltable.normalize_datetimes`: an ambiguous
    column is refused); other formats are ``strftime`` formats tried in order.
    """
    fmts = profile.section("time").get("format", "iso")
    fmts = [fmts] if isinstance(fmts, str) else list(fmts)
    text = values.tolist()
    if fmts == ["iso"]:
        text = [v or "" for v in smalltable.normalize_datetimes(text, lines.tolist(),
                                                                path=path, column=column)]
    return timebase.to_utc_first_format(text, fmts, profile.time_basis, settings.timezone)


def _identifier(values: pd.Series) -> pd.Series:
    """Team, site id or street as compared: NFC, no invisible or control characters."""
    return values.map(lambda v: strip_control(clean_identifier(v)),
                      na_action="ignore").astype("string")



def _column_index(names: list[str], profile: Profile, path: Path,
                  header_line: int) -> dict[str, int]:
    lookup = {n.strip().casefold(): i for i, n in enumerate(names)}
    out: dict[str, int] = {}
    for canonical, raw in profile.columns.items():
        key = str(raw).strip().casefold()
        if key in lookup:
            out[canonical] = lookup[key]
        elif canonical not in profile.optional:
            raise InputError(
                "err_missing_profile_column", raw=str(raw), canonical=canonical,
                names=", ".join(names), profile=profile.name,
                path=path, line=header_line, column=str(raw))
    missing = [c for c in _REQUIRED if c not in profile.columns]
    if missing:
        raise InputError("err_profile_maps_no", profile=profile.name, column_name=missing[0],
                         path=profile.path)
    if "site_id" not in out and "street" not in out:
        raise InputError("err_checks_where", path=path, line=header_line, column="site_id")
    return out


def _not_a_count(value: np.ndarray) -> np.ndarray:
    """Return True where a number is no whole count in ``0..MAX_COUNT`` (NaN included)."""
    with np.errstate(invalid="ignore"):
        ok = np.isfinite(value) & (value >= 0) & (value <= MAX_COUNT)
        ok &= np.mod(np.where(ok, value, 0.0), 1) == 0
    return ~ok


def _number(raw: pd.Series, decimal: str) -> pd.Series:
    text = raw.str.strip().str.replace(r"[\s\u00a0]", "", regex=True)
    if decimal == ",":
        text = text.str.replace(",", ".", regex=False)
    return pd.to_numeric(text.mask(text == ""), errors="coerce").astype(float)


def _site_lookup(sites: pd.DataFrame | None) -> tuple[pd.Series, pd.Series]:
    """``site_id -> street`` and ``street key -> the one check spot of that street``."""
    if sites is None or sites.empty:
        empty = pd.Series(dtype="string")
        return empty, empty
    ids = sites["site_id"].astype(str)
    street = pd.Series(sites["street"].astype(str).to_numpy(), index=ids.to_numpy())
    street = street[~street.index.duplicated()]
    spots = sites[sites["check_spot"].fillna(False).astype(bool)] if "check_spot" in sites \
        else sites
    keys = spots["street"].astype(str).str.strip().str.casefold()
    counts = keys.value_counts()
    single = keys[keys.map(counts) == 1]
    by_street = pd.Series(spots.loc[single.index, "site_id"].astype(str).to_numpy(),
                          index=single.to_numpy())
    return street, by_street


def read_checks_done_file(
    path: Path,
    profile: Profile,
    *,
    settings: Settings,
    sites: pd.DataFrame,
    source: str,
) -> ReadResult:
    """Read one file of completed speed checks into the checks_done table.

    Parameters
    ----------
    path : Path
        The raw file (``.csv``, ``.csv.gz``, ``.xlsx``).
    profile : Profile
        A profile of kind ``"checks_done"`` (keys in the module docstring).
    settings : Settings
        ``timezone`` (local times without offset), ``import_.min_speed_kmh``
        and ``import_.max_speed_kmh`` [km/h] (plausible ``max_speed``).
    sites : DataFrame
        The sites table (:data:`trafikplan.columns.SITES`): known site ids,
        their streets, and the check spots a street-only record can name.
    source : str
        The file relative to the data folder, stored in ``source``.

    Returns
    -------
    ReadResult
        ``kind="checks_done"``; ``table`` with the :data:`CHECKS_DONE`
        columns (module docstring), rows in file order; ``rejects`` with
        ``columns.REJECTS`` sorted by line; ``meta``: ``n_rows`` (records
        read), ``n_checks``, ``n_rejected``, ``first``/``last`` (UTC start
        of the first and last check, or None), ``duplicates``,
        ``street_only`` (records kept without a site), ``site_ids``.

    Raises
    ------
    InputError
        Empty, binary or wrongly encoded file, no header line, duplicate or
        missing column, a broken .xlsx, or a profile of another kind.
    """
    path = Path(path)
    if profile.kind != "checks_done":
        raise InputError("err_profile_kind", profile=profile.name, kind=profile.kind,
                         expected="checks_done", path=path)
    small = smalltable.read_table(path, header_match=profile.header_match,
                                  encodings=profile.encodings,
                                  sheet=profile.section("xlsx").get("sheet"))
    names, header_line, rows, lines_list = small.names, small.header_line, small.rows, \
        small.lines
    cols = _column_index(names, profile, path, header_line)
    width = len(names)
    lines = np.asarray(lines_list, dtype=np.int64)
    shape_rej, shape_ok = shape_rejects(source, lines, rows, width)
    rejects = [shape_rej]
    kept = [r for r, ok in zip(rows, shape_ok, strict=True) if ok]
    lines = lines[shape_ok]
    frame = (pd.DataFrame(kept, columns=range(width), dtype="string") if kept
             else pd.DataFrame({i: pd.Series(dtype="string") for i in range(width)}))
    frame = frame.fillna("")
    n = len(frame)

    def raw(key: str) -> pd.Series:
        if key not in cols:
            return pd.Series("", index=frame.index, dtype="string")
        return frame[cols[key]].str.strip()

    def header(key: str) -> str:
        return names[cols[key]] if key in cols else str(profile.columns.get(key, key))

    open_ = np.ones(n, dtype=bool)  # rows without a problem found so far

    def reject(mask: np.ndarray, key: str, reason: str, values: pd.Series) -> None:
        hit = mask & open_
        if hit.any():
            rejects.append(redacted_rejects(source, lines[hit], [header(key)] * int(hit.sum()),
                                         reason, values[hit].tolist()))
            open_[hit] = False

    team = _identifier(raw("team"))
    reject((team == "").to_numpy(), "team", "value_missing", team)
    start_raw, end_raw = raw("start"), raw("end")
    start, gap_s = _times(start_raw, lines, header("start"), path, profile, settings)
    end, gap_e = _times(end_raw, lines, header("end"), path, profile, settings)
    for key, text, times, gap in (("start", start_raw, start, gap_s),
                                  ("end", end_raw, end, gap_e)):
        empty = (text == "").to_numpy()
        reject(empty, key, "value_missing", text)
        reject(gap, key, "time_in_dst_gap", text)
        reject(times.isna().to_numpy(), key, "time_unparsable", text)
    counts: dict[str, np.ndarray] = {}
    for key in _COUNTS:
        text = raw(key)
        value = _number(text, profile.decimal).to_numpy()
        reject((text == "").to_numpy(), key, "value_missing", text)
        bad = _not_a_count(value)
        reject(bad, key, "value_unparsable", text)
        counts[key] = np.where(bad, 0, value).astype(np.int64)
    extra: dict[str, np.ndarray] = {}
    for key in ("max_speed", *_OPTIONAL_COUNTS):
        text = raw(key)
        value = _number(text, profile.decimal).to_numpy()
        bad = (text != "").to_numpy() & ~np.isfinite(value)
        if key in _OPTIONAL_COUNTS:
            bad |= np.isfinite(value) & _not_a_count(value)
        reject(bad, key, "value_unparsable", text)
        extra[key] = np.where(bad, np.nan, value)
    vmax = extra["max_speed"]
    imp = settings.import_
    reject(np.isfinite(vmax) & ((vmax < imp.min_speed_kmh) | (vmax > imp.max_speed_kmh)),
           "max_speed", "speed_impossible", raw("max_speed"))

    street_of, spot_of = _site_lookup(sites)
    site_raw, street_raw = _identifier(raw("site_id")), _identifier(raw("street"))
    reject(((site_raw == "") & (street_raw == "")).to_numpy(),
           "site_id" if "site_id" in cols else "street", "value_missing", site_raw)
    known = site_raw.isin(street_of.index).to_numpy()
    reject((site_raw != "").to_numpy() & ~known, "site_id", "site_unknown", site_raw)
    by_street = street_raw.str.casefold().map(spot_of)
    site_id = site_raw.mask(site_raw == "", by_street).astype("string")
    street = site_id.map(street_of).astype("string")
    street = street.fillna(street_raw.mask(street_raw == "")).astype("string")

    hours = ((end - start).dt.total_seconds() / 3600.0).fillna(1.0).to_numpy(dtype=float)
    reject(hours <= 0, "end", "value_inconsistent", end_raw)
    reject(hours > MAX_CHECK_HOURS, "end", "value_inconsistent", end_raw)
    reject(counts["violations"] > counts["vehicles_checked"], "violations",
           "value_inconsistent", raw("violations") + " > " + raw("vehicles_checked"))

    notes = raw("notes").str.replace("\r\n", "\n", regex=False)
    table = pd.DataFrame({
        "team": team.astype("string"),
        "start": start.array,
        "end": end.array,
        "site_id": site_id,
        "street": street,
        "vehicles_checked": counts["vehicles_checked"],
        "violations": counts["violations"],
        "max_speed": vmax.astype(float),
        "fines": pd.array(np.round(np.where(np.isfinite(extra["fines"]), extra["fines"],
                                            np.nan)), dtype="Float64").astype("Int64"),
        "warnings": pd.array(np.round(np.where(np.isfinite(extra["warnings"]),
                                               extra["warnings"], np.nan)),
                             dtype="Float64").astype("Int64"),
        "notes": redact(notes.mask(notes == "").astype("string")),
        "source": pd.array([source] * n, dtype="string"),
        "line": lines,
    }, index=frame.index)
    table = table[open_].reset_index(drop=True)
    for c in ("start", "end"):
        table[c] = pd.to_datetime(table[c], utc=True).astype("datetime64[ns, UTC]")
    place = table["site_id"].fillna("\x00" + table["street"].fillna(""))
    dup = pd.DataFrame({"t": table["team"], "s": table["start"], "p": place}).duplicated()
    table = table[~dup.to_numpy()].reset_index(drop=True)

    rej = stack_rejects(rejects)
    meta = {
        "n_rows": len(rows),
        "n_checks": len(table),
        "n_rejected": len(rej),
        "first": table["start"].min() if len(table) else None,
        "last": table["start"].max() if len(table) else None,
        "duplicates": int(dup.sum()),
        "street_only": int(table["site_id"].isna().sum()),
        "site_ids": sorted(table["site_id"].dropna().unique().tolist()),
    }
    return ReadResult(kind="checks_done", table=table, rejects=rej, profile=profile.name,
                      meta=meta)


def empty_checks_done() -> pd.DataFrame:
    """Return an empty table with the :data:`CHECKS_DONE` columns and dtypes."""
    return pd.DataFrame({c.name: pd.Series(dtype=c.dtype) for c in CHECKS_DONE})


def read_checks_done(
    data_dir: Path | str, *, settings: Settings, sites: pd.DataFrame
) -> ReadResult:
    """Read every file of ``DATA_DIR/checks_done/`` (until the import store holds them).

    Files (``.csv``, ``.csv.gz``, ``.txt``, ``.xlsx``) are read in name order,
    each through the first format profile of kind ``checks_done`` whose header
    fits (user profiles in ``DATA_DIR/formats/`` first).

    Parameters
    ----------
    data_dir : Path or str
        The data folder.
    settings : Settings
        As for :func:`read_checks_done_file`.
    sites : DataFrame
        The sites table.

    Returns
    -------
    ReadResult
        ``table`` of all files (the :data:`CHECKS_DONE` columns), ``rejects``
        of all files, ``meta["files"]`` mapping each file to its own meta.
        An absent or empty folder gives empty tables.

    Raises
    ------
    InputError
        A file that fits no profile or cannot be read (see
        :func:`read_checks_done_file`).
    """
    data_dir = Path(data_dir)
    folder = data_dir / CHECKS_DONE_DIR
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")
                   and p.name.lower().endswith((".csv", ".csv.gz", ".txt", ".xlsx"))) \
        if folder.is_dir() else []
    profiles = load_profiles(data_dir) if files else []
    tables, rejects, meta = [], [], {}
    for path in files:
        profile = detect_profile(path, profiles, kinds=("checks_done",))
        rel = path.relative_to(data_dir).as_posix()
        got = read_checks_done_file(path, profile, settings=settings, sites=sites, source=rel)
        tables.append(got.table)
        rejects.append(got.rejects)
        meta[rel] = {**got.meta, "profile": profile.name}
    table = (pd.concat([t for t in tables if len(t)], ignore_index=True)
             if any(len(t) for t in tables) else empty_checks_done())
    rej = (pd.concat([r for r in rejects if len(r)], ignore_index=True)
           if any(len(r) for r in rejects) else empty("rejects"))
    return ReadResult(kind="checks_done", table=table, rejects=rej, profile="",
                      meta={"files": meta})
