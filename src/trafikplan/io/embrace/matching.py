"""Match Embrace reports to sites, by street name and by coordinates.

Street names
------------
A street is compared by a *key*: case-folded, white space and punctuation
removed, diacritics other than å, ä, ö removed (``é`` -> ``e``), common
abbreviations expanded (``v.``, ``vg``, ``vg.`` -> ``vägen``; ``g.``, ``gt``,
``gt.`` -> ``gatan``) and a house number with an optional letter and
anything after it dropped (``Östanåsgatan 12 B`` -> ``östanåsgatan``). Text
after ``,``, ``/``, ``(`` or the words ``vid``, ``mot``, ``nära``,
``utanför``, ``mellan``, ``och``, ``x`` is not part of the name
(``Ringvägen vid Nygårdsskolan`` -> ``ringvägen``).

Å, ä and ö are letters of their own in Swedish (``Kvarngatan`` and
``Kvärngatan`` could both exist), so they are kept in the key. Only when no
site street has the exact key is the report's key compared with å/ä -> a and
ö -> o folded on both sides, and it matches when exactly one site street
folds to it (``Ostanasgatan`` -> Östanåsgatan; ambiguous folds match
nothing). As a last resort a site street whose key occurs inside the report's
key matches (``Korsningen Ringvägen/Skogsleden`` -> Ringvägen; the earliest,
then the longest occurrence wins).

Choosing the site
-----------------
1. The report's street matches a site street with one site: that site.
2. The street has several sites (sections) and the report has coordinates:
   the nearest of that street's sites (whatever the distance: the street
   named in the report wins over the coordinates).
3. The street has several sites and the report has no coordinates:
   ``site_id`` stays NA, but ``street`` is set to the site table's spelling
   so that evidence can still be counted per street.
4. No street (empty, or a placeholder such as ``okänd``, ``okänd plats``,
   ``ej angiven``, ``saknas``, ``vet ej``, ``-``, ``?``) and the report has
   coordinates: the nearest site within ``radius_m`` (great-circle distance,
   haversine on a sphere of radius 6 371 008.8 m); farther than that -> NA.
5. Otherwise NA. In particular a report that *names* a street which has no
   site keeps ``site_id`` NA even when its coordinates are near a site of
   another street: such streets are the "tips" (streets with reports but no
   counter) that the measurement plan needs, and a report on a side street is
   not evidence about the main street next to it.

In every case where the report's street was matched, ``street`` becomes the
site table's spelling; a report without street matched by coordinates gets
its site's street; otherwise ``street`` is the report's street without house
number (a house number with a street is a resident's address).

Unknown places
--------------
A report street that matched no site street is kept only when it is a known
street (``known_streets``: the settings' ``[reports] known_streets``,
``focus_streets`` and the streets of ``measures.csv``, compared by key) or is
shaped like a Swedish street name (its last word ends in one of
:data:`trafikplan.io.redact.STREET_SUFFIXES`, ``Glasgatan``, ``Stora Gatan``,
``Kalle Anderssons väg``; or a road such as ``E18``, ``väg 250``). Anything
else typed into the street field (a name, a sentence, an address fragment) is
set to NA with ``match`` ``"street_unknown"``: reports show it as "okänd
plats", and it never becomes a street of its own (a tip) in the measurement
plan.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "EARTH_RADIUS_M",
    "MATCH_METHODS",
    "haversine_m",
    "match_counts",
    "match_reports",
    "street_key",
    "street_name",
    "street_shaped",
]

EARTH_RADIUS_M = 6_371_008.8
"""Mean Earth radius used for great-circle distances [m]."""

MATCH_METHODS = ("street", "street_nearest", "street_only", "nearest", "none", "street_unknown")
"""Values of the ``match`` column of :func:`match_reports`."""

_CUT = r"\s*(?:[,/(;]|\b(?:vid|mot|nära|utanför|mellan|och|x|i höjd med)\b).*$"
_HOUSE = r"\s+(?:\d+\s*[a-zA-Z]?\b|\[husnr\]).*$"  # a redacted house number too
_PLACEHOLDER = r"(?:okänd|okand|ej angiven|ingen|saknas|vet ej|okänd plats|okänd adress|-+|\?+)"
_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o"})
_ROAD = r"(?i)(?:e ?\d{1,3}|rv ?\d{1,3}|lv ?\d{1,4}|(?:riks|läns|europa)?väg(?: \d{1,4})?)"


def street_shaped(names: pd.Series) -> pd.Series:
    """Return whether each name is shaped like a Swedish street or road name.

    Parameters
    ----------
    names : Series of str
        Street names as returned by :func:`street_name` (no house number).

    Returns
    -------
    Series of bool
        True when the last word ends in a street ending (``gatan``, ``vägen``,
        ``leden`` ...: :data:`trafikplan.io.redact.STREET_SUFFIXES`) or the
        name is a road (``E18``, ``Rv 56``, ``väg 250``); False for NA.
    """
    from trafikplan.io.redact import STREET_SUFFIXES

    s = names.astype("string").str.strip()
    ends = "|".join(sorted(set(STREET_SUFFIXES), key=len, reverse=True))
    shaped = s.str.contains(rf"(?i)^[^\d@\[\]<>]{{0,60}}(?:{ends})$", regex=True)
    road = s.str.fullmatch(_ROAD)
    return (shaped.fillna(False) | road.fillna(False)).astype(bool)


def street_name(values: pd.Series) -> pd.Series:
    """Return street names without house number and trailing place words.

    Parameters
    ----------
    values : Series of str
        Street or address as written (``Ringvägen 14``, ``Ringv. vid skolan``).

    Returns
    -------
    Series of str
        Stripped of house numbers and of what follows ``,``, ``/``, ``vid`` ...,
        abbreviations expanded, white space collapsed; NA for empty values.
    """
    s = values.astype("string").str.replace(r"\s+", " ", regex=True).str.strip()
    s = s.str.replace(_CUT, "", regex=True, case=False)
    s = s.str.replace(_HOUSE, "", regex=True)
    s = s.str.replace(r"(?i)(?<=\w)(?:v\.|vg\.?)(?=\s|$)", "vägen", regex=True)
    s = s.str.replace(r"(?i)(?<=\w)(?:g\.|gt\.?)(?=\s|$)", "gatan", regex=True)
    s = s.str.strip(" .-")
    return s.mask(s == "")


def street_key(values: pd.Series) -> pd.Series:
    """Return the comparison key of street names (see the module docstring).

    Parameters
    ----------
    values : Series of str

    Returns
    -------
    Series of str
        Lowercase, only letters (å, ä, ö kept) and digits; NA for empty.
    """
    s = street_name(values).str.casefold()
    # protect å ä ö, strip other diacritics
    s = s.str.replace("å", "\x01").str.replace("ä", "\x02").str.replace("ö", "\x03")
    s = s.str.normalize("NFKD").str.replace(r"[\u0300-\u036f]", "", regex=True)
    s = s.str.replace("\x01", "å").str.replace("\x02", "ä").str.replace("\x03", "ö")
    s = s.str.replace(r"[^0-9a-zåäö]", "", regex=True)
    return s.mask(s == "")


def haversine_m(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray,
                lon2: np.ndarray) -> np.ndarray:
    """Great-circle distance between points (broadcasting) [m].

    Parameters
    ----------
    lat1, lon1, lat2, lon2 : ndarray [deg]
        WGS 84 coordinates; arrays broadcast against each other.

    Returns
    -------
    ndarray [m]
        Haversine distance on a sphere of radius :data:`EARTH_RADIUS_M`.
    """
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp = p2 - p1
    dl = np.radians(lon2) - np.radians(lon1)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def _resolve_keys(report_keys: pd.Series, site_keys: pd.Index) -> pd.Series:
    """Map each report street key to a site street key (NA if none)."""
    known = set(site_keys)
    folded: dict[str, list[str]] = {}
    for k in known:
        folded.setdefault(k.translate(_FOLD), []).append(k)
    by_length = sorted(known, key=len, reverse=True)
    resolved: dict[str, str | None] = {}
    for key in report_keys.dropna().unique():  # one pass per distinct street
        if key in known:
            resolved[key] = key
            continue
        cands = folded.get(key.translate(_FOLD), [])
        if len(cands) == 1:
            resolved[key] = cands[0]
            continue
        hits = [(key.find(k), -len(k), k) for k in by_length if k and k in key]
        resolved[key] = min(hits)[2] if hits else None
    return report_keys.map(resolved).astype("string")


def match_reports(reports: pd.DataFrame, sites: pd.DataFrame, radius_m: float,
                  known_streets: tuple[str, ...] | list[str] = ()) -> pd.DataFrame:
    """Set ``site_id`` (and a tidy ``street``) of reports from the sites table.

    The rules are in the module docstring.

    Parameters
    ----------
    reports : DataFrame
        With ``street`` (str, may be NA), ``lat``, ``lon`` (float [deg], may be
        NaN).
    sites : DataFrame
        :data:`trafikplan.columns.SITES`: ``site_id``, ``street``, ``lat``,
        ``lon`` [deg].
    radius_m : float [m]
        Largest distance for a match by coordinates alone.
    known_streets : sequence of str
        Further streets of the municipality (see "Unknown places" in the
        module docstring).

    Returns
    -------
    DataFrame
        A copy of ``reports`` with ``site_id`` (string, NA when unmatched),
        ``street`` (site spelling when the street matched, else the report's
        street without house number) and ``match`` (one of
        :data:`MATCH_METHODS`).
    """
    out = reports.copy()
    n = len(out)
    lat = pd.to_numeric(out["lat"], errors="coerce").to_numpy(dtype=float)
    lon = pd.to_numeric(out["lon"], errors="coerce").to_numpy(dtype=float)
    has_xy = np.isfinite(lat) & np.isfinite(lon)

    s_ids = sites["site_id"].astype("string").to_numpy(dtype=object)
    s_lat = pd.to_numeric(sites["lat"], errors="coerce").to_numpy(dtype=float)
    s_lon = pd.to_numeric(sites["lon"], errors="coerce").to_numpy(dtype=float)
    s_keys = street_key(sites["street"]).fillna("").to_numpy(dtype=object)
    first_name = pd.Series(sites["street"].astype("string").to_numpy(), index=s_keys)
    first_name = first_name[~first_name.index.duplicated()]

    r_keys = street_key(out["street"]) if "street" in out else pd.Series(pd.NA, index=out.index)
    matched_key = _resolve_keys(r_keys, pd.Index(first_name.index[first_name.index != ""]))
    mk = matched_key.fillna("").to_numpy(dtype=object)

    if len(sites) and n:
        dist = haversine_m(lat[:, None], lon[:, None], s_lat[None, :], s_lon[None, :])
        dist = np.where(np.isfinite(dist), dist, np.inf)
    else:
        dist = np.full((n, len(sites)), np.inf)
    same_street = (mk[:, None] == s_keys[None, :]) & (mk[:, None] != "")
    n_on_street = same_street.sum(axis=1)

    street_dist = np.where(same_street, dist, np.inf)
    street_pick = street_dist.argmin(axis=1) if len(sites) else np.zeros(n, dtype=int)
    single_pick = same_street.argmax(axis=1) if len(sites) else np.zeros(n, dtype=int)
    near_pick = dist.argmin(axis=1) if len(sites) else np.zeros(n, dtype=int)
    near_ok = has_xy & (dist.min(axis=1, initial=np.inf) <= radius_m)

    single = n_on_street == 1
    multi_xy = (n_on_street > 1) & has_xy
    multi_no = (n_on_street > 1) & ~has_xy
    own = street_name(out["street"]) if "street" in out else pd.Series(
        pd.NA, index=out.index, dtype="string")
    no_street = (own.isna() | own.str.casefold().str.fullmatch(_PLACEHOLDER).fillna(False))
    known_keys = set(street_key(pd.Series(list(known_streets), dtype="string")).dropna())
    unknown = ((n_on_street == 0) & ~no_street.to_numpy(dtype=bool)
               & ~r_keys.isin(known_keys).fillna(False).to_numpy(dtype=bool)
               & ~street_shaped(own).to_numpy(dtype=bool))
    no_street = no_street | unknown  # typed text that is no place: coordinates may still tell
    nearest = (n_on_street == 0) & near_ok & no_street.to_numpy(dtype=bool)
    site_idx = np.select([single, multi_xy, nearest], [single_pick, street_pick, near_pick], -1)
    site = np.asarray(np.where(site_idx >= 0, s_ids[np.clip(site_idx, 0, None)]
                               if len(sites) else None, None), dtype=object)
    out["site_id"] = pd.array(site, dtype="string")
    out["match"] = pd.array(
        np.select([single, multi_xy, multi_no, nearest, unknown],
                  ["street", "street_nearest", "street_only", "nearest", "street_unknown"],
                  "none"),
        dtype="string",
    )
    own_name = own.mask(no_street)
    site_name = matched_key.map(first_name).astype("string")
    street = site_name.fillna(own_name)
    if len(sites):
        near_street = pd.Series(
            sites["street"].astype("string").to_numpy()[np.clip(near_pick, 0, None)],
            index=out.index, dtype="string")
        street = street.mask(street.isna() & nearest, near_street)
    out["street"] = street.astype("string")
    return out


def match_counts(matched: pd.DataFrame) -> dict[str, int]:
    """Count reports per match method (every method present, zeros included).

    Parameters
    ----------
    matched : DataFrame
        Output of :func:`match_reports`.

    Returns
    -------
    dict of str to int
        Method -> number of reports, plus ``"unmatched"`` (``site_id`` NA).
    """
    counts = matched["match"].value_counts()
    result = {m: int(counts.get(m, 0)) for m in MATCH_METHODS}
    result["unmatched"] = int(matched["site_id"].isna().sum())
    return result
