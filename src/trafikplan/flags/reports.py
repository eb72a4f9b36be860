"""Report evidence: Embrace reports per site (or street) and local weekday x hour.

Only the categories of ``[flags] report_categories`` count (default
``speeding``, ``reckless``, ``noise``). Each report is placed by its local
weekday (1 = Monday) and hour of day in the settings' time zone, and at

- its matched site (``site_id``), when it has one;
- otherwise every site on its street (names compared without case and extra
  spaces): a report about "Ringvägen" without coordinates speaks for every
  section of Ringvägen. When ``measured_sites`` is given and some sites of the
  street have speed data, only those: the report adds to the measured evidence
  rather than asking for a counter beside one that exists;
- otherwise its street alone, with ``site_id`` NA: a street with reports but
  no counter site, which becomes a "measure here" row of the flags table.

Reports with neither a site nor a street cannot be placed and are left out.

Counts are smoothed over neighbouring hours of the week, circularly (Sunday
23:00 neighbours Monday 00:00), with triangular weights: with
``report_smoothing_hours = s`` a report ``d`` hours away counts
``(s + 1 - |d|) / (s + 1)`` for ``|d| <= s`` (1, then 0.5 for ``s = 1``). The
raw counts are kept beside the smoothed value: ``reports_n`` in the hour itself
and ``reports_window_n`` within +-s hours.
"""

from __future__ import annotations

from typing import cast

import numpy as np
import pandas as pd

from trafikplan._errors import InputError
from trafikplan.columns import REPORT_CATEGORIES
from trafikplan.stats.localtime import hour_codes

__all__ = ["HOURS_OF_WEEK", "REPORT_COLUMNS", "report_evidence", "street_key"]

HOURS_OF_WEEK = 168

REPORT_COLUMNS = (
    "site_id",
    "street",
    "weekday",
    "hour_of_day",
    "reports_n",
    "reports_window_n",
    "reports_smoothed",
    "reports_by_category",
)
"""Columns of :func:`report_evidence`."""


def street_key(street: pd.Series) -> pd.Series:
    """Normalise street names for comparison: case-folded, single spaces, stripped."""
    return (
        street.astype("string")
        .str.strip()
        .str.replace(r"\s+", " ", regex=True)
        .str.casefold()
    )


def _empty() -> pd.DataFrame:
    out = pd.DataFrame({
        "site_id": pd.Series(dtype="string"),
        "street": pd.Series(dtype="string"),
        "weekday": pd.Series(dtype="int64"),
        "hour_of_day": pd.Series(dtype="int64"),
        "reports_n": pd.Series(dtype="int64"),
        "reports_window_n": pd.Series(dtype="int64"),
        "reports_smoothed": pd.Series(dtype="float64"),
        "reports_by_category": pd.Series(dtype="string"),
    })
    return out


def _targets(reports: pd.DataFrame, sites: pd.DataFrame,
             measured_sites: set[str] | None = None) -> pd.DataFrame:
    """One row per (report, target): target is a site or a street without sites."""
    site_ids = set(sites["site_id"].astype("string").dropna())
    r = reports.reset_index(drop=True)
    rid = pd.Series(np.arange(len(r)))
    sid = r["site_id"].astype("string")
    has_site = sid.notna() & sid.isin(site_ids)
    key = street_key(r["street"])
    site_streets = pd.DataFrame({
        "site_id": sites["site_id"].astype("string"),
        "street": sites["street"].astype("string"),
        "key": street_key(sites["street"]),
    })
    direct = pd.DataFrame({"row": rid[has_site], "site_id": sid[has_site]})
    direct["street"] = direct["site_id"].map(
        site_streets.drop_duplicates("site_id").set_index("site_id")["street"]
    )
    rest = pd.DataFrame({"row": rid[~has_site], "key": key[~has_site],
                         "street": r["street"].astype("string")[~has_site]})
    rest = rest[rest["key"].notna() & (rest["key"] != "")]
    spread = site_streets
    if measured_sites is not None:
        measured = site_streets["site_id"].isin(list(measured_sites))
        street_measured = measured.groupby(site_streets["key"]).transform("any")
        spread = site_streets[measured | ~street_measured]
    on_street = rest.merge(spread[["site_id", "key", "street"]], on="key",
                           suffixes=("_report", ""))
    on_street = on_street[["row", "site_id", "street"]]
    alone = rest[~rest["key"].isin(site_streets["key"])].copy()
    # Show the most common spelling of a street that has no site.
    spelled = alone.groupby("key")["street"].agg(lambda x: x.mode().iloc[0])
    alone["street"] = alone["key"].map(spelled).astype("string")
    alone["site_id"] = pd.Series(pd.NA, index=alone.index, dtype="string")
    out = pd.concat(
        [direct[["row", "site_id", "street"]], on_street, alone[["row", "site_id", "street"]]],
        ignore_index=True,
    )
    out["site_id"] = out["site_id"].astype("string")
    out["street"] = out["street"].astype("string")
    return out


def report_evidence(
    reports: pd.DataFrame,
    sites: pd.DataFrame,
    *,
    tz: str,
    categories: tuple[str, ...] = ("speeding", "reckless", "noise"),
    smoothing_hours: int = 1,
    measured_sites: set[str] | None = None,
) -> pd.DataFrame:
    """Count reports per site (or street) and local weekday x hour, smoothed.

    Parameters
    ----------
    reports : DataFrame
        Canonical reports table (``time`` [UTC], ``category``, ``street``,
        ``site_id``).
    sites : DataFrame
        Canonical sites table (``site_id``, ``street``).
    tz : str
        IANA time zone of the local keys.
    categories : tuple of str
        Canonical categories that count.
    smoothing_hours : int
        Half-width ``s`` of the triangular smoothing window [h].
    measured_sites : set of str, optional
        Sites with speed data; a report placed by street alone goes to these
        sites of its street when there are any (see the module docstring).

    Returns
    -------
    DataFrame
        One row per target and weekday x hour with any report within the window:

        - ``site_id`` : string (NA: a street without a counter site)
        - ``street`` : string
        - ``weekday`` : int (1 = Monday), ``hour_of_day`` : int (0..23), local
        - ``reports_n`` : int [reports] in this hour
        - ``reports_window_n`` : int [reports] within +-``smoothing_hours``
        - ``reports_smoothed`` : float [reports] triangular-weighted count
        - ``reports_by_category`` : string, window counts such as ``"reckless:4;noise:2"``

    Raises
    ------
    InputError
        An unknown category in ``categories`` or a negative ``smoothing_hours``.
    """
    unknown = [c for c in categories if c not in REPORT_CATEGORIES]
    if unknown:
        raise InputError("err_report_category", value=unknown[0],
                         known=", ".join(REPORT_CATEGORIES))
    if smoothing_hours < 0 or smoothing_hours >= HOURS_OF_WEEK // 2:
        raise InputError("err_smoothing_hours", value=smoothing_hours)
    r = reports[reports["category"].astype("string").isin(list(categories))]
    r = r[r["time"].notna()]
    if r.empty:
        return _empty()
    targets = _targets(r, sites, measured_sites)
    if targets.empty:
        return _empty()
    r = r.reset_index(drop=True)
    codes, hours = hour_codes(r["time"], tz)
    how = ((hours["weekday"].to_numpy() - 1) * 24 + hours["hour_of_day"].to_numpy())[codes]
    cat_index = pd.Categorical(r["category"].astype("string"), categories=list(categories)).codes

    tkey = pd.MultiIndex.from_arrays([targets["site_id"].fillna(""), targets["street"]])
    tcode, found = tkey.factorize()
    tuniq = cast(pd.MultiIndex, found)  # pandas-stubs types it Index: a MultiIndex's is one
    rows = targets["row"].to_numpy()
    counts = np.zeros((len(tuniq), HOURS_OF_WEEK, len(categories)), dtype=np.int64)
    np.add.at(counts, (tcode, how[rows], cat_index[rows]), 1)

    s = smoothing_hours
    window = np.zeros_like(counts)
    smoothed = np.zeros(counts.shape[:2], dtype=float)
    total = counts.sum(axis=2)
    for d in range(-s, s + 1):  # 2s + 1 shifts of the whole array, not a loop over rows
        window += np.roll(counts, d, axis=1)
        smoothed += (s + 1 - abs(d)) / (s + 1) * np.roll(total, d, axis=1)
    window_total = window.sum(axis=2)

    ti, hw = np.nonzero(window_total)
    site = pd.Series(tuniq.get_level_values(0), dtype="string").replace("", pd.NA).array
    street = pd.Series(tuniq.get_level_values(1), dtype="string").array
    out = pd.DataFrame({
        "site_id": site[ti],
        "street": street[ti],
        "weekday": (hw // 24 + 1).astype("int64"),
        "hour_of_day": (hw % 24).astype("int64"),
        "reports_n": total[ti, hw].astype("int64"),
        "reports_window_n": window_total[ti, hw].astype("int64"),
        "reports_smoothed": smoothed[ti, hw],
    })
    parts = pd.DataFrame({
        c: np.where(window[ti, hw, k] > 0,
                    c + ":" + window[ti, hw, k].astype(str), "")
        for k, c in enumerate(categories)
    })
    joined = parts.apply(lambda col: col + ";").sum(axis=1) if len(parts.columns) else ""
    out["reports_by_category"] = (
        pd.Series(joined, index=out.index).astype("string")
        .str.replace(r";{2,}", ";", regex=True).str.strip(";")
    )
    return out.sort_values(["street", "site_id", "weekday", "hour_of_day"],
                           kind="stable", ignore_index=True)
