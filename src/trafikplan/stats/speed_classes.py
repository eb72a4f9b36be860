"""Speed-class counts per site: the distribution of speeds for the report's figures."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["SPEED_CLASS_KMH", "speed_class_counts"]

SPEED_CLASS_KMH = 2.0
"""Width of the speed classes made from per-vehicle speeds [km/h]."""

_CLASSES = 100
"""Classes from 0 km/h; faster vehicles count in the last [classes]."""


def speed_class_counts(vehicles: pd.DataFrame, bins: pd.DataFrame | None, *,
                       include_bicycles: bool = False,
                       width_kmh: float = SPEED_CLASS_KMH) -> dict[str, pd.DataFrame]:
    """Count vehicles per site and speed class: from single vehicles, else the counters' classes.

    Counts, not rates: no interval. A site with single vehicles gets classes
    ``width_kmh`` wide from 0 (one ``np.bincount`` over site and class for
    all vehicles); a site with only binned counts gets the counters' own
    classes summed over its bins.

    Parameters
    ----------
    vehicles : DataFrame
        Canonical vehicles (``site_id, speed, vehicle_class``).
    bins : DataFrame
        Canonical bins (``site_id, speed_lo, speed_hi, count``).
    include_bicycles : bool
        Count bicycles too.
    width_kmh : float [km/h]
        Width of the classes made from single vehicles.

    Returns
    -------
    dict of str to DataFrame
        Site -> ``speed_lo, speed_hi`` [km/h], ``count`` [vehicles], up to the
        highest class with a vehicle.
    """
    out: dict[str, pd.DataFrame] = {}
    v = vehicles
    if not include_bicycles and "vehicle_class" in v.columns:
        v = v.loc[v["vehicle_class"].astype(str) != "bicycle"]
    if len(v):
        site = pd.Categorical(v["site_id"].astype(str))
        n_cls = _CLASSES
        idx = np.clip((v["speed"].to_numpy(dtype=float) // width_kmh).astype(np.int64),
                      0, n_cls - 1)
        counts = np.bincount(site.codes.astype(np.int64) * n_cls + idx,
                             minlength=len(site.categories) * n_cls).reshape(-1, n_cls)
        lo = np.arange(n_cls) * width_kmh
        for i, sid in enumerate(site.categories):
            last = int(np.nonzero(counts[i])[0].max()) + 1 if counts[i].any() else 0
            out[str(sid)] = pd.DataFrame({"speed_lo": lo[:last],
                                          "speed_hi": lo[:last] + width_kmh,
                                          "count": counts[i, :last]})
    b = bins
    if b is not None and len(b):
        summed = (b.assign(site_id=b["site_id"].astype(str))
                  .groupby(["site_id", "speed_lo", "speed_hi"], sort=True)["count"].sum()
                  .reset_index())
        for sid, part in summed.groupby("site_id", sort=True):
            if sid not in out and part["count"].sum() > 0:
                out[str(sid)] = part[["speed_lo", "speed_hi", "count"]].reset_index(drop=True)
    return out
