"""Grouping machinery shared by per-vehicle and binned statistics.

Every grouping key (:data:`trafikplan.columns.STAT_KEYS`) is a function of
(site, direction, local hour). So rows are first reduced to *cells*, the
distinct (site, direction, local hour) triples that occur, and the groups are
formed on that small cell table with pandas; each row then finds its group by
index arithmetic (cell code -> group id), with no per-group Python loop.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from trafikplan._errors import InputError
from trafikplan.columns import STAT_KEYS

_DENSE_MAX = 50_000_000
"""Largest cell-code range handled with a dense lookup table."""


def check_by(by: Sequence[str] | str) -> tuple[str, ...]:
    """Validate grouping keys; a comma string is split.

    Raises
    ------
    InputError
        For an unknown or repeated key.
    """
    if isinstance(by, str):
        by = [k.strip() for k in by.split(",") if k.strip()]
    keys = tuple(by)
    for key in keys:
        if key not in STAT_KEYS:
            raise InputError("err_group_key_unknown", key=key, known=", ".join(STAT_KEYS))
    if len(set(keys)) != len(keys):
        raise InputError("err_group_key_repeated", keys=",".join(keys))
    return keys


def internal_keys(by: Sequence[str]) -> list[str]:
    """Columns that group and sort like ``by`` (``hour_start`` by its UTC instant)."""
    return ["hour_start_utc" if k == "hour_start" else k for k in by]


def _factorize(values: pd.Series, *, sort: bool) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize(values, sort=sort)`` as int64 codes (-1 for NA) and object uniques.

    A categorical (as the store reads site ids and directions) is coded by
    pandas from its category codes, without hashing the rows.
    """
    codes, uniques = pd.factorize(values, sort=sort, use_na_sentinel=True)
    return codes.astype(np.int64, copy=False), np.asarray(uniques, dtype=object)


def site_codes(site_id: pd.Series, sites: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """Code each row's site against the sites table (unknown sites appended).

    Returns
    -------
    codes : ndarray of int64
        Row of ``site_table`` for each row.
    site_table : DataFrame
        ``site_id`` (str), ``street`` (str or NA), ``speed_limit`` (float [km/h]).
    """
    known = sites["site_id"].astype(str).to_numpy(dtype=object)
    codes, found = _factorize(site_id, sort=False)
    uniq = found.astype(str)
    if (codes < 0).any():  # a missing site id: its own unknown site "?"
        codes = np.where(codes < 0, len(uniq), codes)
        uniq = np.append(uniq, "?")
    table = pd.DataFrame({"site_id": uniq.astype(object)})
    info = pd.DataFrame(
        {
            "site_id": known,
            "street": sites["street"].astype(object).to_numpy()
            if "street" in sites
            else np.full(len(known), None, dtype=object),
            "speed_limit": pd.to_numeric(sites["speed_limit"], errors="coerce").to_numpy(float)
            if "speed_limit" in sites
            else np.full(len(known), np.nan),
        }
    ).drop_duplicates("site_id")
    table = table.merge(info, on="site_id", how="left")
    return codes, table


def label_codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Factorize a label column (direction); NA becomes the label ``"?"``."""
    codes, uniq = _factorize(values, sort=True)
    labels = uniq.astype(str).astype(object)
    if (codes < 0).any():
        codes = np.where(codes < 0, len(labels), codes)
        labels = np.append(labels, "?").astype(object)
    return codes, labels


def cells_of_rows(
    site: np.ndarray, direction: np.ndarray, hour: np.ndarray, n_dir: int, n_hour: int
) -> tuple[np.ndarray, pd.DataFrame]:
    """Reduce rows to distinct (site, direction, hour) cells.

    Returns
    -------
    cell_of_row : ndarray of int64
        Row of ``cells`` for each input row.
    cells : DataFrame
        ``site_code, dir_code, hour_code`` (int64), sorted by code.
    """
    code = site * n_dir  # in place: temporaries of 10^7 rows cost page faults
    code += direction
    code *= n_hour
    code += hour
    span = (int(site.max()) + 1) * n_dir * n_hour if len(site) else 0
    if span <= _DENSE_MAX:
        occupied = np.flatnonzero(np.bincount(code, minlength=span))
        lut = np.full(span, -1, dtype=np.int64)
        lut[occupied] = np.arange(len(occupied), dtype=np.int64)
        cell_of_row = lut[code]
    else:
        occupied, cell_of_row = np.unique(code, return_inverse=True)
    hour_code = occupied % n_hour
    sd = occupied // n_hour
    cells = pd.DataFrame(
        {"site_code": sd // n_dir, "dir_code": sd % n_dir, "hour_code": hour_code}
    )
    return cell_of_row, cells


def key_parts(
    site: np.ndarray, direction: np.ndarray, hour: np.ndarray, site_table: pd.DataFrame,
    hours: pd.DataFrame,
) -> dict[str, np.ndarray]:
    """Integer codes of every grouping key that sort like the keys themselves.

    ``site_id`` by its text, ``direction`` by its (sorted) label code,
    ``hour_start`` chronologically, ``date`` by the local date, ``weekday`` and
    ``hour_of_day`` as they are.
    """
    ids = site_table["site_id"].to_numpy(dtype=str)
    rank = np.empty(len(ids), dtype=np.int64)
    rank[np.argsort(ids, kind="stable")] = np.arange(len(ids))
    day_code, _ = pd.factorize(hours["date"].to_numpy(dtype=object), sort=True)
    return {
        "site_id": rank[site],
        "direction": direction,
        "hour_start": hour,
        "date": day_code.astype(np.int64)[hour],
        "weekday": hours["weekday"].to_numpy(np.int64)[hour],
        "hour_of_day": hours["hour_of_day"].to_numpy(np.int64)[hour],
    }


def assign_groups(parts: dict[str, np.ndarray], by: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Group rows of key codes by ``by`` (one lexsort, no per-group loop).

    Returns
    -------
    gid : ndarray of int64
        Group id of each row; ids follow the sorted order of the keys.
    first : ndarray of int64
        For each group id, the index of one row of the group.
    """
    n = len(next(iter(parts.values())))
    if not by:
        return np.zeros(n, dtype=np.int64), np.zeros(1 if n else 0, dtype=np.int64)
    cols = [parts[k] for k in by]
    order = np.lexsort(cols[::-1])
    new = np.ones(n, dtype=bool)
    if n > 1:
        diff = np.zeros(n - 1, dtype=bool)
        for c in cols:  # a few key columns, not a loop over groups
            cs = c[order]
            diff |= cs[1:] != cs[:-1]
        new[1:] = diff
    gid = np.empty(n, dtype=np.int64)
    gid[order] = np.cumsum(new) - 1
    return gid, order[new]


def key_labels(
    site: np.ndarray, direction: np.ndarray, hour: np.ndarray, site_table: pd.DataFrame,
    dir_labels: np.ndarray, hours: pd.DataFrame, by: Sequence[str],
) -> pd.DataFrame:
    """Key columns (as people read them) for rows of codes, plus ``hour_start_utc``.

    ``hour_start_utc`` (int64 [ns since epoch, UTC]) is included when
    ``hour_start`` is a key, for chronological sorting.
    """
    out: dict[str, np.ndarray] = {}
    for key in by:
        if key == "site_id":
            out[key] = site_table["site_id"].to_numpy(dtype=object)[site]
        elif key == "direction":
            out[key] = np.asarray(dir_labels, dtype=object)[direction]
        else:
            out[key] = hours[key].to_numpy()[hour]
    if "hour_start" in by:
        out["hour_start_utc"] = hours["hour_start_utc"].to_numpy(np.int64)[hour]
    return pd.DataFrame(out, index=pd.RangeIndex(len(site)))


def group_sites(
    gid_cell: np.ndarray, site_code_cell: np.ndarray, site_table: pd.DataFrame, n_groups: int
) -> pd.DataFrame:
    """``street``, ``speed_limit`` and ``mixed_limit`` (sites with different limits) per group.

    A group spanning several sites gets the streets joined by ``"; "`` and the
    speed limit when all its sites share one (else NaN).
    """
    code = np.unique(gid_cell * (len(site_table) + 1) + site_code_cell)
    g = code // (len(site_table) + 1)
    s = code % (len(site_table) + 1)
    n_sites = np.bincount(g, minlength=n_groups)
    first = np.r_[0, np.cumsum(n_sites)[:-1]]
    streets = site_table["street"].to_numpy(dtype=object)
    limits = site_table["speed_limit"].to_numpy(float)
    lim = limits[s]
    lim_min = np.full(n_groups, np.nan)
    lim_max = np.full(n_groups, np.nan)
    has = ~np.isnan(lim)
    np.fmin.at(lim_min, g[has], lim[has])
    np.fmax.at(lim_max, g[has], lim[has])
    nan_any = np.bincount(g, weights=~has, minlength=n_groups) > 0
    single = (lim_min == lim_max) & ~nan_any
    mixed = ((lim_min != lim_max) & ~np.isnan(lim_min)) | (nan_any & ~np.isnan(lim_min))
    street = streets[s[np.minimum(first, max(len(s) - 1, 0))]] if len(s) else np.array([])
    street = np.asarray(street, dtype=object).copy()
    multi = np.flatnonzero(n_sites > 1)
    if len(multi):
        pairs = pd.DataFrame({"g": g, "street": streets[s]})
        pairs = pairs[np.isin(g, multi) & pairs["street"].notna().to_numpy()]
        pairs = pairs.astype({"street": str}).drop_duplicates().sort_values(["g", "street"])
        joined = pairs.groupby("g")["street"].agg("; ".join)
        street[multi] = None
        street[joined.index.to_numpy()] = joined.to_numpy(dtype=object)
    return pd.DataFrame(
        {
            "street": street,
            "speed_limit": np.where(single, lim_min, np.nan),
            "mixed_limit": mixed,
        }
    )


def n_days_per_group(gid: np.ndarray, day_code: np.ndarray, n_groups: int) -> np.ndarray:
    """Distinct local dates (day codes) among each group's rows (days with data)."""
    ok = gid >= 0
    width = int(day_code.max()) + 1 if len(day_code) else 1
    pairs = np.unique(gid[ok] * width + day_code[ok])
    return np.bincount(pairs // width, minlength=n_groups).astype(np.int64)
