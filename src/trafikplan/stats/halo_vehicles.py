"""The vehicles the measured time halo can use: a fast pre-filter around the checks."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["halo_vehicles"]

_HALO_MARGIN_S = 3600
"""Extra time kept around each check's halo span when pre-filtering vehicles [s]."""


def halo_vehicles(vehicles: pd.DataFrame, checks: pd.DataFrame,
                   baseline_weeks: int, horizon_hours: float) -> pd.DataFrame:
    """Return the vehicles :func:`~trafikplan.stats.halo.measure_halo` can use.

    A vehicle matters only at a site with a check, from ``baseline_weeks``
    before a check's start to ``horizon_hours`` (+ 1 h, the rounding of the
    end to the hour) after its end. One vehicle per checked site is kept
    besides, so that a site with data but none near its checks still counts
    as measured. The result of ``measure_halo`` is identical; it only has
    fewer rows to scan (one vectorised interval lookup over integer keys
    ``site code * 2**33 + seconds``).
    """
    cols = [c for c in ("site_id", "time", "speed", "vehicle_class") if c in vehicles]
    checks = checks.loc[checks["site_id"].notna()]
    if vehicles.empty or checks.empty:
        return vehicles.iloc[:0][cols]
    site = pd.Categorical(vehicles["site_id"].astype("string") if not isinstance(
        vehicles["site_id"].dtype, pd.CategoricalDtype) else vehicles["site_id"])
    cats = pd.Index(site.categories.astype(str))
    vk = site.codes.astype(np.int64)
    ck = cats.get_indexer(checks["site_id"].astype(str))
    ok = ck >= 0
    if not ok.any():
        return vehicles.iloc[:0][cols]
    sec = 1_000_000_000
    tv = vehicles["time"].dt.tz_convert("UTC").dt.as_unit("ns").array.asi8 // sec
    lo = (checks["start"].dt.tz_convert("UTC").dt.as_unit("ns").array.asi8[ok] // sec
          - baseline_weeks * 7 * 86400 - _HALO_MARGIN_S)
    hi = (checks["end"].dt.tz_convert("UTC").dt.as_unit("ns").array.asi8[ok] // sec
          + int(horizon_hours * 3600) + 2 * _HALO_MARGIN_S)
    ck = ck[ok]
    base = min(int(tv.min()), int(lo.min()))
    block = np.int64(1) << 33
    klo = ck * block + (lo - base)
    khi = ck * block + (hi - base)
    kv = vk * block + (tv - base)
    order = np.argsort(klo, kind="stable")
    klo = klo[order]
    khi = np.maximum.accumulate(khi[order])
    i = np.searchsorted(klo, kv, side="right") - 1
    keep = (i >= 0) & (kv <= khi[np.maximum(i, 0)])
    _, first = np.unique(vk, return_index=True)
    keep[first[np.isin(vk[first], ck)]] = True
    return vehicles.loc[keep, cols]
