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
            raise InputError(
                f"unknown grouping key {key!r}; known keys: {', '.join(STAT_KEYS)}"
            )
    if len(set(keys)) != len(keys):
        raise InputError(f"grouping key repeated in {','.join(keys)!r}")
    return keys


def internal_keys(by: Sequence[str]) -> list[str]:
    """Columns that group and sort like ``by`` (``hour_start`` by its UTC instant)."""
    return ["hour_start_utc" if k == "hour_start" else k for k in by]


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
    codes, uniq = pd.factorize(site_id, sort=False)
    uniq = np.asarray(uniq, dtype=object).astype(str)
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
    return codes.astype(np.int64), table


def label_codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Factorize a label column (direction); NA becomes the label ``"?"``."""
    codes, uniq = pd.factorize(values, sort=True, use_na_sentinel=True)
    labels = np.asarray(uniq, dtype=object).astype(str).astype(object)
    if (codes < 0).any():
        codes = np.where(codes < 0, len(labels), codes)
        labels = np.append(labels, "?").astype(object)
    return codes.astype(np.int64), labels


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


def key_columns(
    frame: pd.DataFrame, site_table: pd.DataFrame, dir_labels: np.ndarray, hours: pd.DataFrame
) -> pd.DataFrame:
    """Add the key columns (and ``hour_start_utc``) to a frame of codes."""
    out = frame.copy()
    h = frame["hour_code"].to_numpy()
    out["site_id"] = site_table["site_id"].to_numpy()[frame["site_code"].to_numpy()]
    if "dir_code" in frame:
        out["direction"] = dir_labels[frame["dir_code"].to_numpy()]
    for col in ("hour_start_utc", "date", "hour_start", "weekday", "hour_of_day"):
        out[col] = hours[col].to_numpy()[h]
    return out


def assign_groups(cells: pd.DataFrame, by: Sequence[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """Group the cells by ``by``.

    Returns
    -------
    group_of_cell : ndarray of int64
        Group id of each cell; ids follow the sorted order of the keys
        (``hour_start`` chronologically).
    groups : DataFrame
        One row per group id (in id order) with the key columns and, when
        ``hour_start`` is a key, ``hour_start_utc``.
    """
    ikeys = internal_keys(by)
    if not ikeys:
        gid = np.zeros(len(cells), dtype=np.int64)
        return gid, pd.DataFrame(index=pd.RangeIndex(1 if len(cells) else 0))
    gid = cells.groupby(ikeys, sort=True, dropna=False).ngroup().to_numpy(np.int64)
    cols = [*ikeys, *(["hour_start"] if "hour_start" in by else [])]
    first = np.unique(gid, return_index=True)[1]
    groups = cells.iloc[first][cols].reset_index(drop=True)
    return gid, groups


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


def n_days_per_group(gid_cell: np.ndarray, date_cell: np.ndarray, n_groups: int) -> np.ndarray:
    """Distinct local dates among each group's cells (days with data)."""
    pairs = pd.DataFrame({"g": gid_cell, "d": date_cell}).drop_duplicates()
    return np.bincount(pairs["g"].to_numpy(), minlength=n_groups).astype(np.int64)


def lookup_groups(
    frame: pd.DataFrame, groups: pd.DataFrame, by: Sequence[str]
) -> np.ndarray:
    """Group id of each row of ``frame`` (with key columns), -1 where no group has its keys."""
    ikeys = internal_keys(by)
    if not ikeys:
        return np.zeros(len(frame), dtype=np.int64) if len(groups) else np.full(len(frame), -1)
    g = groups[ikeys].copy()
    g["_gid"] = np.arange(len(groups), dtype=np.int64)
    m = frame[ikeys].merge(g, on=ikeys, how="left")
    return m["_gid"].fillna(-1).to_numpy(np.int64)
