"""Read ``sites.csv``: where counters stand or can stand, and check spots.

File format
-----------
Delimited text, UTF-8 (with or without BOM) or Windows-1252, delimiter ``,``
or ``;`` (detected from the header line; with ``;`` a decimal comma is
accepted in numbers, a decimal point always). Column names are compared
case-insensitively after removing surrounding spaces.

Required columns
    ``site_id`` (unique, non-empty; NFC, invisible characters removed, no
    control characters, and unique also ignoring case: ``K01`` and ``k01``
    are refused as look-alikes), ``street``, ``speed_limit`` [km/h; a
    value written ``35 mph`` is converted, ``50 km/h`` accepted] and
    coordinates: ``lat, lon`` (WGS 84 [deg]) or ``x, y`` (SWEREF 99 TM,
    EPSG:3006 [m]). The SWEREF pair may be written in either order: the value
    between 6 100 000 and 7 700 000 is the northing, as in Sweden. When both
    pairs are present, ``lat, lon`` are used and ``x, y`` fill rows where
    they are empty; ``x, y`` are kept as columns.
Optional columns
    ``section`` (free text), ``area`` (NA when missing), ``check_spot``:
    ``true/false``, ``ja/nej``, ``yes/no``, ``1/0``, ``x``/empty (any case);
    when the column is missing no site is a check spot (the police only stand
    where the file says it is safe).
Free columns
    Kept as text (``string`` dtype).

Text is NFC with invisible and control characters removed. Coordinates are
refused when they are ``0, 0``, when ``lat, lon`` look swapped (the swapped
pair is in Sweden, the given one is not), when a site lies more than
:data:`MAX_SPREAD_KM` from the median of all sites (outside the
municipality's area), and, for a data folder in ``Europe/Stockholm``, when a
site is outside Sweden (latitude 55-69.1, longitude 10.5-24.2).

Every problem is one :class:`~trafikplan._errors.InputError` with file, line,
column, what was expected and a hint.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from trafikplan._errors import InputError
from trafikplan.columns import SITES
from trafikplan.i18n.phrase import Phrase
from trafikplan.io.counters.layout import MPH
from trafikplan.io.files.safe_text import check_identifiers, clean_text
from trafikplan.io.user_tables import smalltable
from trafikplan.settings import Settings

__all__ = ["ENCODINGS", "MAX_SPREAD_KM", "SWEDEN_LAT", "SWEDEN_LON", "read_sites"]

ENCODINGS = smalltable.ENCODINGS
"""Encodings tried in order (a UTF-8 BOM is always accepted)."""

_TRUE = frozenset({"true", "ja", "1", "yes", "x", "j", "y", "sant"})
_FALSE = frozenset({"false", "nej", "0", "no", "", "n", "falskt"})
_NORTHING = (6_100_000.0, 7_700_000.0)
SWEDEN_LAT = (55.0, 69.1)
"""Latitudes of Sweden [deg] (a little beyond its southern and northern tips)."""
SWEDEN_LON = (10.5, 24.2)
"""Longitudes of Sweden [deg]."""
MAX_SPREAD_KM = 200.0
"""A site farther than this from the median site is outside the municipality's area [km]."""
_UNIT = r"(?i)\s*(mph|km/h|kmh|km / h)\s*$"


def _numbers(df: pd.DataFrame, name: str, lines: np.ndarray, path: Path, expected: Phrase,
             *, decimal_comma: bool, required: bool = True) -> pd.Series:
    raw = df[name].str.strip()
    text = raw.str.replace(",", ".", regex=False) if decimal_comma else raw
    text = text.str.replace(r"[\s\u00a0]", "", regex=True)
    values = pd.to_numeric(text.mask(text == ""), errors="coerce").astype("float64")
    bad = values.isna() & (raw != "") | (values.isna() & required)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        value = raw.iloc[i]
        what = Phrase("err_an_empty_value") if value == "" else repr(value)
        raise InputError("err_not_a_number", what=what, expected=expected,
                         path=path, line=int(lines[i]), column=name)
    return values


def _sweref_to_wgs84(x: pd.Series, y: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    from pyproj import Transformer

    xa, ya = x.to_numpy(dtype=float), y.to_numpy(dtype=float)
    x_is_north = (xa >= _NORTHING[0]) & (xa <= _NORTHING[1])
    north = np.where(x_is_north, xa, ya)
    east = np.where(x_is_north, ya, xa)
    tr = Transformer.from_crs("EPSG:3006", "EPSG:4326", always_xy=True)
    lon, lat = tr.transform(east, north)
    return np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)


def _check_spot(raw: pd.Series, lines: np.ndarray, path: Path) -> pd.Series:
    low = raw.str.strip().str.casefold()
    ok = low.isin(_TRUE | _FALSE)
    if not ok.all():
        i = int(np.flatnonzero(~ok.to_numpy())[0])
        raise InputError("err_not_yes_no", value=raw.iloc[i], path=path, line=int(lines[i]),
                         column="check_spot")
    return low.isin(_TRUE).astype(bool)


def _in_sweden(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    (lat0, lat1), (lon0, lon1) = SWEDEN_LAT, SWEDEN_LON
    return (lat >= lat0) & (lat <= lat1) & (lon >= lon0) & (lon <= lon1)


def _check_plausible(lat: np.ndarray, lon: np.ndarray, lines: np.ndarray, path: Path,
                     sweden: bool) -> None:
    """Refuse 0,0, a swapped lat/lon, a site abroad or far from all the others."""
    from trafikplan.io.embrace.matching import haversine_m

    (lat0, lat1), (lon0, lon1) = SWEDEN_LAT, SWEDEN_LON
    zero = (lat == 0) & (lon == 0)
    swapped = ~_in_sweden(lat, lon) & _in_sweden(lon, lat)
    abroad = ~_in_sweden(lat, lon) if sweden else np.zeros(len(lat), dtype=bool)
    far = haversine_m(lat, lon, np.median(lat), np.median(lon)) > MAX_SPREAD_KM * 1000
    bad = zero | swapped | abroad | far
    if not bad.any():
        return
    i = int(np.flatnonzero(bad)[0])
    expected = (Phrase("err_coords_expect_sweden", lat0=lat0, lat1=lat1, lon0=lon0, lon1=lon1)
                if sweden else Phrase("err_coords_expect_near"))
    if zero[i]:
        what = Phrase("err_coords_zero")
    elif swapped[i]:
        what = Phrase("err_coords_swapped", lat=lat[i], lon=lon[i])
    elif abroad[i]:
        what = Phrase("err_coords_abroad", lat=lat[i], lon=lon[i])
    else:
        what = Phrase("err_coords_far", lat=lat[i], lon=lon[i], km=f"{MAX_SPREAD_KM:.0f}")
    raise InputError("err_coords", what=what, expected=expected, path=path,
                     line=int(lines[i]), column="lat")


def read_sites(path: Path, settings: Settings | None = None) -> pd.DataFrame:
    """Read ``sites.csv`` into the canonical sites table.

    Parameters
    ----------
    path : Path
        The sites file (gzip allowed).
    settings : Settings, optional
        Settings of the data folder: with ``timezone = "Europe/Stockholm"``
        every site must lie in Sweden (without settings only the other
        plausibility checks apply).

    Returns
    -------
    DataFrame
        :data:`trafikplan.columns.SITES` columns: ``site_id`` (str),
        ``street`` (str), ``section`` (str), ``lat``, ``lon`` (float [deg],
        WGS 84), ``speed_limit`` (float [km/h]), ``area`` (str),
        ``check_spot`` (bool); plus ``x``, ``y`` (float [m], SWEREF 99 TM)
        when the file has them, plus every free column as text. Rows in file
        order, index 0..n-1.

    Raises
    ------
    InputError
        Empty or binary file, wrong encoding or delimiter, missing required
        column, duplicate column name, a row with too many or too few fields,
        empty or duplicate ``site_id``, a value that is not a number or not a
        yes/no value, coordinates out of range.
    """
    path = Path(path)
    table = smalltable.read_table(path)
    names, keys, header_line = table.names, table.keys, table.header_line
    rows, lines_list, delimiter = table.rows, table.lines, table.delimiter or ";"
    have = set(keys)
    missing = [c for c in ("site_id", "street", "speed_limit") if c not in have]
    if not ({"lat", "lon"} <= have or {"x", "y"} <= have):
        missing.append("lat, lon (or x, y in SWEREF 99 TM)")
    if missing:
        raise InputError("err_sites_missing_column", name=missing[0], found=", ".join(names),
                         path=path, line=header_line, column=missing[0].split(",")[0])
    if not rows:
        raise InputError("err_no_sites", path=path, line=header_line + 1)
    lines = np.asarray(lines_list, dtype=np.int64)
    for row, line in zip(rows, lines, strict=True):
        if len(row) != len(names):
            raise InputError("err_field_count", n=len(row), width=len(names),
                             delimiter=delimiter, path=path, line=int(line))
    df = pd.DataFrame(rows, columns=keys, dtype="string")
    comma = delimiter == ";"
    raw_limit = df["speed_limit"]
    unit = raw_limit.str.extract(_UNIT, expand=False).str.casefold().str.replace(" ", "")
    df["speed_limit"] = raw_limit.str.replace(_UNIT, "", regex=True)

    site_id = check_identifiers(df["site_id"], lines, path, "site_id",
                                what=Phrase("err_what_site_id"))
    empty = site_id == ""
    if empty.any():
        i = int(np.flatnonzero(empty.to_numpy())[0])
        raise InputError("err_empty_site_id", path=path, line=int(lines[i]), column="site_id")
    dup = site_id.duplicated(keep="first")
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        j = int(np.flatnonzero((site_id == site_id.iloc[i]).to_numpy())[0])
        raise InputError("err_duplicate_site", site=site_id.iloc[i], first=lines[j],
                         path=path, line=int(lines[i]), column="site_id")

    limit = _numbers(df, "speed_limit", lines, path,
                     Phrase("err_expect_limit"), decimal_comma=comma)
    limit = limit.where(unit.fillna("") != "mph", limit * MPH)
    bad = (limit <= 0) | (limit > 130)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError("err_limit_implausible", value=raw_limit.iloc[i], path=path,
                         line=int(lines[i]), column="speed_limit")

    n = len(df)
    lat = np.full(n, np.nan)
    lon = np.full(n, np.nan)
    if {"lat", "lon"} <= have:
        lat = _numbers(df, "lat", lines, path, Phrase("err_expect_lat"),
                       decimal_comma=comma, required=False).to_numpy()
        lon = _numbers(df, "lon", lines, path, Phrase("err_expect_lon"),
                       decimal_comma=comma, required=False).to_numpy()
    out_xy = {}
    if {"x", "y"} <= have:
        x = _numbers(df, "x", lines, path, Phrase("err_expect_sweref"),
                     decimal_comma=comma, required=False)
        y = _numbers(df, "y", lines, path, Phrase("err_expect_sweref"),
                     decimal_comma=comma, required=False)
        need = np.isnan(lat) | np.isnan(lon)
        use = need & x.notna().to_numpy() & y.notna().to_numpy()
        if use.any():
            clat, clon = _sweref_to_wgs84(x[use], y[use])
            lat[use], lon[use] = clat, clon
        out_xy = {"x": x.to_numpy(), "y": y.to_numpy()}
    no_xy = np.isnan(lat) | np.isnan(lon)
    if no_xy.any():
        i = int(np.flatnonzero(no_xy)[0])
        raise InputError("err_no_coords", path=path, line=int(lines[i]), column="lat")
    out_of_range = (np.abs(lat) > 90) | (np.abs(lon) > 180)
    if out_of_range.any():
        i = int(np.flatnonzero(out_of_range)[0])
        raise InputError("err_coords_range", lat=lat[i], lon=lon[i], path=path,
                         line=int(lines[i]), column="lat")
    _check_plausible(lat, lon, lines, path,
                     sweden=settings is not None and settings.timezone == "Europe/Stockholm")

    def text_col(name: str) -> pd.Series:
        if name in have:
            s = df[name].map(clean_text, na_action="ignore").astype("string").str.strip()
            return s.mask(s == "").astype("string")
        return pd.Series(pd.NA, index=df.index, dtype="string")

    check = (_check_spot(df["check_spot"], lines, path) if "check_spot" in have
             else pd.Series(False, index=df.index, dtype=bool))
    out = pd.DataFrame({
        "site_id": site_id.astype("string"),
        "street": text_col("street"),
        "section": text_col("section"),
        "lat": lat.astype("float64"),
        "lon": lon.astype("float64"),
        "speed_limit": limit.to_numpy(dtype="float64"),
        "area": text_col("area"),
        "check_spot": check.to_numpy(dtype=bool),
    })
    for k, v in out_xy.items():
        out[k] = v
    canonical = {c.name for c in SITES} | set(out_xy)
    for key, name in zip(keys, names, strict=True):
        if key and key not in canonical:  # a column without a name is not kept
            out[name] = text_col(key).to_numpy()
            out[name] = out[name].astype("string")
    return out
