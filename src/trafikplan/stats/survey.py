"""The per-site survey's own numbers: vehicles per day, speed classes, vehicle classes, gaps.

What a speed-survey report adds to :func:`trafikplan.stats.speed_stats` for
one deployment and direction: the vehicles per day over whole days (a t
interval, days the unit) and an ÅDT-style average, the vehicles per speed
class, the vehicles per vehicle class, the heavy share over the hours
(Wilson, vehicles the unit: the hourly statistics carry no day term for a
share pooled this way) and the runs of hours without any record.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "FULL_DAY_HOURS",
    "GAP_HOURS",
    "SPEED_CLASS_KMH",
    "gaps",
    "heavy_share",
    "per_day_summary",
    "speed_classes",
    "vehicle_class_counts",
]

SPEED_CLASS_KMH = 5.0
"""Width of the speed classes of the speed-class table for per-vehicle data [km/h]."""

GAP_HOURS = 4
"""A run of at least this many hours without any record inside a deployment is a gap [h]."""

FULL_DAY_HOURS = 23
"""A day with at least this many measured hours is whole (23 on the spring DST day) [h]."""

_UNKNOWN_CLASSES = ("unknown", "nan", "<NA>", "None")
"""Vehicle-class texts that say the counter did not classify the vehicle."""


def per_day_summary(days: pd.DataFrame) -> dict[str, float]:
    """Vehicles per day over whole days, mean with a t interval (days are the unit).

    Parameters
    ----------
    days : DataFrame
        One direction's statistics by local date: ``n`` [vehicles],
        ``n_hours`` [h] and ``weekday`` (1 = Monday).

    Returns
    -------
    dict
        ``days`` (whole days), ``mean, lo, hi`` [vehicles/day] and ``adt``:
        the ÅDT-style average ``(5 · weekday mean + 2 · weekend mean) / 7``
        of the deployment's whole days (not adjusted for season; NaN without
        both weekdays and weekend days).
    """
    from scipy import stats as st

    whole = days.loc[days["n_hours"] >= FULL_DAY_HOURS, ["n", "weekday"]]
    n = len(whole)
    out: dict[str, float] = {"days": n, "mean": np.nan, "lo": np.nan, "hi": np.nan, "adt": np.nan}
    if n == 0:
        return out
    x = whole["n"].to_numpy(dtype=float)
    out["mean"] = float(x.mean())
    if n > 1:
        half = float(st.t.ppf(0.975, n - 1) * x.std(ddof=1) / np.sqrt(n))
        out["lo"], out["hi"] = out["mean"] - half, out["mean"] + half
    wd = whole.loc[whole["weekday"] <= 5, "n"]
    we = whole.loc[whole["weekday"] >= 6, "n"]
    if len(wd) and len(we):
        out["adt"] = float((5 * wd.mean() + 2 * we.mean()) / 7)
    return out


def speed_classes(vehicles: pd.DataFrame, bins: pd.DataFrame, direction: str,
                  include_bicycles: bool = False) -> pd.DataFrame:
    """Vehicles per speed class of one direction: ``speed_lo, speed_hi, count``.

    Counts, not rates: no interval. Per-vehicle data in
    :data:`SPEED_CLASS_KMH` classes from the first class with a vehicle;
    bins in the counter's own classes (summed over the deployment).
    """
    v = vehicles.loc[vehicles["direction"].astype(str) == direction]
    if not include_bicycles and "vehicle_class" in v.columns:
        v = v.loc[v["vehicle_class"].astype(str) != "bicycle"]
    if len(v):
        top = max(SPEED_CLASS_KMH * 2, np.ceil(v["speed"].max() / SPEED_CLASS_KMH) *
                  SPEED_CLASS_KMH)
        edges = np.arange(0.0, top + SPEED_CLASS_KMH, SPEED_CLASS_KMH)
        count, _ = np.histogram(v["speed"].to_numpy(dtype=float), bins=edges)
        out = pd.DataFrame({"speed_lo": edges[:-1], "speed_hi": edges[1:], "count": count})
        first = int(np.argmax(count > 0)) if count.any() else 0
        return out.iloc[first:].reset_index(drop=True)
    b = bins.loc[bins["direction"].astype(str) == direction]
    if b.empty:
        return pd.DataFrame({"speed_lo": [], "speed_hi": [], "count": []})
    return b.groupby(["speed_lo", "speed_hi"], sort=True)["count"].sum().reset_index()


def vehicle_class_counts(vehicles: pd.DataFrame, direction: str) -> pd.Series:
    """Vehicles per vehicle class of one direction, most first; classified vehicles only.

    Counts, not rates: no interval. Empty when the data has no vehicle classes.
    """
    v = vehicles.loc[vehicles["direction"].astype(str) == direction]
    if "vehicle_class" not in v.columns or v.empty:
        return pd.Series(dtype="int64")
    known = v["vehicle_class"].astype(str)
    known = known.loc[~known.isin(_UNKNOWN_CLASSES)]
    return known.value_counts()


def heavy_share(hourly: pd.DataFrame) -> tuple[float, float, float] | None:
    """Share of heavy vehicles over the hours of one direction with a Wilson interval.

    Parameters
    ----------
    hourly : DataFrame
        :func:`trafikplan.stats.speed_stats` rows (``share_heavy``, ``n_classified``).

    Returns
    -------
    tuple of float or None
        Share, lower and upper bound of its 95 % interval (vehicles the unit);
        None when no vehicle was classified.
    """
    from trafikplan.stats.intervals import wilson_interval

    with_class = hourly.loc[hourly["n_classified"] > 0]
    if with_class.empty:
        return None
    k = float((with_class["share_heavy"] * with_class["n_classified"]).sum())
    n = int(with_class["n_classified"].sum())
    lo, hi = wilson_interval(np.array([k]), np.array([n]))
    return k / n, float(lo[0]), float(hi[0])


def gaps(vehicles: pd.DataFrame, bins: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp,
         tz: str, min_hours: int = GAP_HOURS) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """Return the runs of ``min_hours`` or more hours without any record within the span.

    Returns
    -------
    list of (Timestamp, Timestamp)
        Start and end of each gap, local time.
    """
    hours = [vehicles["time"].dt.floor("h")] if len(vehicles) else []
    if len(bins):
        hours.append(bins["start"].dt.floor("h"))
    if not hours:
        return []
    seen = pd.DatetimeIndex(pd.concat(hours).unique()).sort_values()
    span = pd.date_range(first.floor("h"), last.floor("h"), freq="h")
    empty = ~span.isin(seen)
    out = []
    run_start: pd.Timestamp | None = None
    for t, missing in zip(span, empty, strict=True):
        if missing and run_start is None:
            run_start = t
        elif not missing and run_start is not None:
            if (t - run_start) >= pd.Timedelta(hours=min_hours):
                out.append((run_start.tz_convert(tz), t.tz_convert(tz)))
            run_start = None
    return out
