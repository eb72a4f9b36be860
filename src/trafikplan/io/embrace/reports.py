"""Read Embrace report exports into the canonical ``reports`` table.

Embrace layouts are read through format profiles of kind ``"reports"`` (the
common schema is in :mod:`trafikplan.io.profiles.profile`). Shipped: ``embrace_csv``
(CSV, Windows-1252, ``;``), ``embrace_xlsx`` (Excel, sheet ``Ärenden``) and
``generic_reports`` (DESIGN.md's ``report_id,time,category,street,lat,lon,text``).

Report profile keys
-------------------
Top-level keys as for every profile (``encodings``, ``delimiter``,
``decimal``, ``header_match``, ``header_within``, ``file_type``,
``time_basis``, ``optional``), plus:

``[columns]`` : canonical name -> raw header name
    ``report_id`` and the time columns are required; ``category``,
    ``street``, ``text`` and the coordinates may be listed in ``optional``
    (a missing optional column gives NA). Coordinates are either ``lat`` and
    ``lon`` (degrees) or ``northing`` and ``easting`` (metres) of the CRS in
    ``[coordinates]``.
``[time]``
    ``columns`` : str or list of str -- raw column(s) of when the event
    happened, joined with one space (an Excel date cell is written
    ``YYYY-MM-DD``, an Excel time cell ``HH:MM`` or ``HH:MM:SS``).
    ``fallback_columns`` : str or list of str, optional -- used where all of
    ``columns`` are empty (Embrace's ``Skapad`` when ``Händelsetid`` is empty).
    ``format`` : str or list of str -- ``strftime`` formats tried in order, or
    ``"iso"``. Times go to UTC by ``time_basis`` with :mod:`trafikplan.io.times.timebase`
    (``local``: a time in the spring-forward gap is a rejected row; a repeated
    fall-back time is resolved by file order).
``[coordinates]``
    ``crs`` : str, default ``"EPSG:4326"`` -- CRS of the coordinates; anything
    else (``"EPSG:3006"``, SWEREF 99 TM) is converted to WGS 84 with pyproj.
``[xlsx]``
    ``sheet`` : str, optional -- sheet to read; the first sheet when absent
    or not found.

What the reader does
--------------------
* Quoted free text may hold the delimiter, quotes and line breaks; a row's
  line number is the physical line where its record starts (for ``.xlsx``
  the sheet's row number).
* ``text``, ``street`` and ``category_raw`` are redacted of personal data
  (:func:`trafikplan.io.redact.redact`, after Unicode normalisation) before
  anything else is done with them. The free ``text`` is used for the category
  keywords and then dropped (NA) unless ``[reports] keep_text = true``.
  Columns the profile does not map (reporter name, e-mail, phone, address)
  are never read into the table or the rejects: a rejected row keeps its
  line, reason, the column and the (redacted) value of a mapped column only;
  a row with the wrong number of fields keeps no value at all.
* A street that matches no site street and is neither a known street
  (``[reports] known_streets``, ``focus_streets``) nor shaped like a street
  name becomes NA, "okänd plats" (:mod:`trafikplan.io.embrace.matching`).
* Categories are mapped by :func:`trafikplan.io.embrace.categories.map_categories`
  with ``settings.category_rules``; reports are matched to sites by
  :func:`trafikplan.io.embrace.matching.match_reports` with
  ``settings.import_.match_radius_m``.
* Rejected rows (``columns.REJECTS``): wrong field count (``field_count``),
  empty id (``value_missing``), unparsable time (``time_unparsable``), time in
  the spring-forward gap (``time_in_dst_gap``).
* A coordinate that is not a number or lies outside WGS 84 / the CRS's range
  does not reject the report: it becomes NaN and is counted in
  ``meta["coordinates_dropped"]``. A report id repeated in one file keeps its
  first row; later ones are counted in ``meta["duplicate_ids"]``.
* Bad files raise :class:`~trafikplan._errors.InputError`: empty, binary,
  wrong encoding, no header line, duplicate or missing column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from trafikplan._errors import InputError
from trafikplan.columns import REPORTS
from trafikplan.io.embrace.categories import map_categories
from trafikplan.io.embrace.matching import match_counts, match_reports
from trafikplan.io.files import decoding, textfile
from trafikplan.io.files.xlsxfile import open_workbook, sheet_rows
from trafikplan.io.profiles.detect import locate_header
from trafikplan.io.profiles.profile import Profile, ReadResult
from trafikplan.io.redact import redact
from trafikplan.io.redact.rejects import redacted_rejects, stack_rejects
from trafikplan.io.times import timebase
from trafikplan.settings import Settings

__all__ = ["read_report_file", "shape_rejects"]

_WGS84 = "EPSG:4326"


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]



def _cell_text(value: Any) -> str:
    """Text of an Excel cell (dates as ISO, whole-minute times as HH:MM)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.strftime("%Y-%m-%d")
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M" if value.second == 0 else "%H:%M:%S")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_text_rows(path: Path, profile: Profile) -> tuple[list[str], int, list[list[str]],
                                                          list[int]]:
    """Header names, header line, records and their starting lines of a text file."""
    data = textfile.read_all(path)
    header = locate_header(path, profile, data[: 1 << 16])
    text = decoding.decode(data, profile.encodings, path).text
    body_lines = text.split("\n")[header.line:]
    reader = csv.reader(io.StringIO("\n".join(body_lines), newline=""),
                        delimiter=profile.delimiter)
    rows: list[list[str]] = []
    lines: list[int] = []
    start = 1
    try:
        for row in reader:
            if any(field.strip() for field in row):
                rows.append(row)
                lines.append(header.line + start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError("err_broken_quoting", detail=exc, path=path,
                         line=header.line + start) from None
    width = len(header.names)
    # an unterminated quote swallows the rest of the file into the last field
    if rows and len(rows[-1]) < width and "\n" in rows[-1][-1]:
        raise InputError(
            "err_unterminated_quote_rest",
            path=path, line=lines[-1],
        )
    names = list(header.names)
    if profile.strip_fields:
        rows = [[f.strip() for f in r] for r in rows]
    return names, header.line, rows, lines


def _read_xlsx_rows(path: Path, profile: Profile) -> tuple[list[str], int, list[list[str]],
                                                          list[int]]:
    wb = open_workbook(path)
    try:
        want = profile.section("xlsx").get("sheet")
        ws = wb[want] if want and want in wb.sheetnames else wb.worksheets[0]
        numbered = [(n, [_cell_text(v) for v in row]) for n, row in sheet_rows(ws, path)]
    finally:
        wb.close()
    numbered = [(n, r) for n, r in numbered if any(c.strip() for c in r)]
    if not numbered:
        raise InputError("err_empty_sheet_reports", path=path, line=1)
    header_at = None
    for i, (n, row) in enumerate(numbered):
        if n > profile.header_within:
            break
        joined = profile.delimiter.join(row).rstrip(profile.delimiter)
        if profile.header_match.search(joined):
            header_at = i
            break
    if header_at is None:
        raise InputError("err_no_header_profile_rows", n=profile.header_within,
                         pattern=profile.header_match.pattern, profile=profile.name, path=path)
    header_line = numbered[header_at][0]
    names = [c.strip() for c in numbered[header_at][1]]
    while names and names[-1] == "":
        names.pop()
    seen: dict[str, int] = {}
    for j, name in enumerate(names):
        if name and name in seen:
            raise InputError("err_duplicate_column_name", name=name, first=seen[name] + 1,
                             second=j + 1, path=path, line=header_line, column=name)
        seen[name] = j
    rows, lines = [], []
    for n, row in numbered[header_at + 1:]:
        trimmed = row[: len(names)] + [""] * max(0, len(names) - len(row))
        extra = [c for c in row[len(names):] if c.strip()]
        rows.append(trimmed + extra)
        lines.append(n)
    return names, header_line, rows, lines


def _column_index(names: Sequence[str], profile: Profile, path: Path,
                  header_line: int) -> dict[str, int | list[int]]:
    """Map canonical names (and time columns) to header positions."""
    lookup = {n: i for i, n in enumerate(names)}
    folded = {n.casefold(): i for i, n in enumerate(names)}

    def find(raw: str, canonical: str, required: bool) -> int | None:
        raw = raw.strip()
        if raw in lookup:
            return lookup[raw]
        if raw.casefold() in folded:
            return folded[raw.casefold()]
        if required:
            raise InputError(
                "err_missing_profile_column", raw=raw, canonical=canonical,
                names=", ".join(names), profile=profile.name,
                path=path, line=header_line, column=raw,
            )
        return None

    optional = profile.optional
    out: dict[str, Any] = {}
    for canonical, raw in profile.columns.items():
        idx = find(str(raw), canonical, canonical not in optional)
        if idx is not None:
            out[canonical] = idx
    if "report_id" not in out:
        raise InputError("err_profile_maps_no", profile=profile.name, column_name="report_id",
                         path=profile.path)
    time = profile.section("time")
    cols = _as_list(time.get("columns"))
    if not cols:
        raise InputError("err_profile_no_time", profile=profile.name, path=profile.path)
    out["_time"] = [find(c, "time", True) for c in cols]
    fallback = [find(c, "time", False) for c in _as_list(time.get("fallback_columns"))]
    out["_fallback"] = [i for i in fallback if i is not None]
    return out


def _join(frame: pd.DataFrame, idx: list[int]) -> pd.Series:
    parts = [frame[i].str.strip() for i in idx]
    joined = parts[0]
    for p in parts[1:]:
        joined = joined + " " + p
    return joined.str.strip()


def _times(values: pd.Series, profile: Profile, settings: Settings) -> tuple[pd.Series,
                                                                             np.ndarray]:
    fmts = _as_list(profile.section("time").get("format", "iso")) or ["iso"]
    text = [v if isinstance(v, str) else "" for v in values.tolist()]
    return timebase.to_utc_first_format(text, fmts, profile.time_basis, settings.timezone)


def _coordinates(frame: pd.DataFrame, cols: Mapping[str, Any], profile: Profile,
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = len(frame)

    def num(key: str) -> tuple[np.ndarray, np.ndarray]:
        if key not in cols:
            return np.full(n, np.nan), np.zeros(n, dtype=bool)
        raw = frame[cols[key]].str.strip().str.replace(r"[\s\u00a0]", "", regex=True)
        if profile.decimal == ",":
            raw = raw.str.replace(",", ".", regex=False)
        values = pd.to_numeric(raw.mask(raw == ""), errors="coerce").to_numpy(dtype=float)
        bad = np.isnan(values) & (raw != "").to_numpy()
        return values, bad

    crs = str(profile.section("coordinates").get("crs", _WGS84))
    if "lat" in cols or "lon" in cols:
        a, bad_a = num("lat")
        b, bad_b = num("lon")
        if crs != _WGS84:
            a, b = _project(b, a, crs)
        lat, lon = a, b
    else:
        north, bad_a = num("northing")
        east, bad_b = num("easting")
        lat, lon = _project(east, north, crs) if crs != _WGS84 else (north, east)
    bad = bad_a | bad_b | (np.abs(lat) > 90) | (np.abs(lon) > 180)
    half = np.isnan(lat) ^ np.isnan(lon)
    drop = bad | half
    lat = np.where(drop, np.nan, lat)
    lon = np.where(drop, np.nan, lon)
    return lat, lon, drop


def _project(east: np.ndarray, north: np.ndarray, crs: str) -> tuple[np.ndarray, np.ndarray]:
    from pyproj import Transformer

    ok = np.isfinite(east) & np.isfinite(north)
    lat = np.full(len(east), np.nan)
    lon = np.full(len(east), np.nan)
    if ok.any():
        tr = Transformer.from_crs(crs, _WGS84, always_xy=True)
        x, y = tr.transform(east[ok], north[ok])
        lon[ok], lat[ok] = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    lat[~np.isfinite(lat)] = np.nan
    lon[~np.isfinite(lon)] = np.nan
    return lat, lon



def shape_rejects(source: str, lines: np.ndarray, rows: list[list[str]], width: int,
                  ) -> tuple[pd.DataFrame, np.ndarray]:
    """Rejects for rows with the wrong number of fields, and which rows are whole.

    The value says how many fields the row had, never what they were (a
    misaligned row cannot be mapped, so none of its text is kept).

    Parameters
    ----------
    source : str
        The raw file relative to the data folder.
    lines : ndarray of int
        Line where each row starts.
    rows : list of list of str
        The rows.
    width : int
        Number of header columns.

    Returns
    -------
    (DataFrame, ndarray of bool)
        ``columns.REJECTS`` rows with reason ``field_count``, and a mask of
        rows with exactly ``width`` fields.
    """
    counts = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))
    good = counts == width
    bad = counts[~good]
    return redacted_rejects(source, lines[~good], [pd.NA] * len(bad), "field_count",
                         [f"{int(k)} fields, expected {width}" for k in bad]), good


def read_report_file(
    path: Path,
    profile: Profile,
    *,
    settings: Settings,
    sites: pd.DataFrame | None,
    source: str,
) -> ReadResult:
    """Read one Embrace export (or generic report CSV) into the reports table.

    Parameters
    ----------
    path : Path
        The raw file (``.csv``, ``.csv.gz``, ``.xlsx``).
    profile : Profile
        A profile of kind ``"reports"`` (see the module docstring for its keys).
    settings : Settings
        ``timezone`` (local times), ``category_rules``,
        ``import_.match_radius_m`` [m].
    sites : DataFrame or None
        The sites table (:data:`trafikplan.columns.SITES`) to match reports to;
        None or empty leaves every ``site_id`` NA.
    source : str
        The file relative to the data folder, stored in ``source``.

    Returns
    -------
    ReadResult
        ``kind="reports"``; ``table`` with exactly the
        :data:`trafikplan.columns.REPORTS` columns: ``report_id`` (str),
        ``time`` (datetime64[ns, UTC]), ``category`` (one of
        ``REPORT_CATEGORIES``), ``category_raw`` (str, redacted), ``street``
        (str: site spelling when matched, else as written without house
        number), ``site_id`` (str, NA when unmatched), ``lat``, ``lon``
        (float [deg] WGS 84, NaN if none), ``text`` (str, redacted; NA unless
        ``settings.reports.keep_text``),
        ``source`` (str); rows in file order. ``rejects`` with
        ``columns.REJECTS``. ``meta``: ``n_rows`` (data rows read),
        ``n_reports``, ``n_rejected``, ``first``/``last`` (UTC times or None),
        ``categories`` (count per category), ``match`` (count per match method
        and ``unmatched``), ``coordinates_dropped``, ``duplicate_ids``.

    Raises
    ------
    InputError
        Empty, binary or wrongly encoded file, no header line, duplicate or
        missing column, a broken .xlsx.
    """
    path = Path(path)
    if profile.kind != "reports":
        raise InputError("err_profile_kind", profile=profile.name, kind=profile.kind,
                         expected="reports", path=path)
    if profile.file_type == "xlsx":
        names, header_line, rows, lines_list = _read_xlsx_rows(path, profile)
    else:
        names, header_line, rows, lines_list = _read_text_rows(path, profile)
    cols = _column_index(names, profile, path, header_line)
    lines = np.asarray(lines_list, dtype=np.int64)
    width = len(names)
    shape_rej, good_shape = shape_rejects(source, lines, rows, width)
    rejects = [shape_rej]
    kept_rows = [r for r, ok in zip(rows, good_shape, strict=True) if ok]
    lines = lines[good_shape]
    frame = (pd.DataFrame(kept_rows, columns=range(width), dtype="string") if kept_rows
             else pd.DataFrame({i: pd.Series(dtype="string") for i in range(width)}))
    frame = frame.fillna("")

    id_col, time_cols, fallback = cols["report_id"], cols["_time"], cols["_fallback"]
    assert isinstance(id_col, int) and isinstance(time_cols, list)
    assert isinstance(fallback, list)
    report_id = frame[id_col].str.strip()
    time_raw = _join(frame, time_cols)
    time_col = pd.Series(names[time_cols[0]], index=frame.index, dtype="string")
    if fallback:
        use_fallback = time_raw == ""
        time_raw = time_raw.where(~use_fallback, _join(frame, fallback))
        time_col = time_col.mask(use_fallback, names[fallback[0]])
    times, gap = _times(time_raw, profile, settings)

    missing_id = (report_id == "").to_numpy()
    bad_time = times.isna().to_numpy() & ~gap & ~missing_id
    in_gap = gap & ~missing_id
    rejects.append(redacted_rejects(source, lines[missing_id], [names[id_col]] *
                                 int(missing_id.sum()), "value_missing",
                                 [""] * int(missing_id.sum())))
    rejects.append(redacted_rejects(source, lines[bad_time], time_col[bad_time].tolist(),
                                 "time_unparsable", time_raw[bad_time].tolist()))
    rejects.append(redacted_rejects(source, lines[in_gap], time_col[in_gap].tolist(),
                                 "time_in_dst_gap", time_raw[in_gap].tolist()))
    keep = ~(missing_id | bad_time | in_gap)

    def text_of(key: str) -> pd.Series:
        if key not in cols:
            return pd.Series(pd.NA, index=frame.index, dtype="string")
        s = frame[cols[key]].str.replace("\r\n", "\n", regex=False).str.strip()
        return redact(s.mask(s == ""))

    lat, lon, dropped = _coordinates(frame, cols, profile)
    table = pd.DataFrame({
        "report_id": report_id.astype("string"),
        "time": times.to_numpy(),
        "category_raw": text_of("category"),
        "street": text_of("street"),
        "lat": lat,
        "lon": lon,
        "text": text_of("text"),
    }, index=frame.index)
    table["time"] = pd.to_datetime(table["time"], utc=True)
    table = table[keep].reset_index(drop=True)
    dup = table["report_id"].duplicated(keep="first")
    duplicate_ids = int(dup.sum())
    table = table[~dup].reset_index(drop=True)

    table["category"] = map_categories(table["category_raw"], table["text"],
                                       settings.category_rules)
    if not settings.reports.keep_text:  # used for the category, then not kept
        table["text"] = pd.Series(pd.NA, index=table.index, dtype="string")
    site_table = sites if sites is not None else pd.DataFrame(
        {"site_id": [], "street": [], "lat": [], "lon": []})
    matched = match_reports(table, site_table, settings.import_.match_radius_m,
                            known_streets=(*settings.reports.known_streets,
                                           *settings.focus_streets))
    match = match_counts(matched)
    matched["source"] = pd.array([source] * len(matched), dtype="string")
    out = matched[[c.name for c in REPORTS]].copy()
    for c in REPORTS:
        if c.dtype == "string":
            out[c.name] = out[c.name].astype("string")
        elif c.dtype == "float64":
            out[c.name] = out[c.name].astype("float64")

    rej = stack_rejects(rejects)
    meta = {
        "n_rows": len(rows),
        "n_reports": len(out),
        "n_rejected": len(rej),
        "first": out["time"].min() if len(out) else None,
        "last": out["time"].max() if len(out) else None,
        "categories": {k: int(v) for k, v in out["category"].value_counts().items()},
        "match": match,
        "coordinates_dropped": int(dropped[keep].sum()),
        "duplicate_ids": duplicate_ids,
    }
    return ReadResult(kind="reports", table=out, rejects=rej, profile=profile.name, meta=meta)

