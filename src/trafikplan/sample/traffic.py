"""Vectorised traffic simulation: arrivals, vehicle classes, lengths and speeds.

The simulator draws vehicles hour by hour. For one site and direction the
number of vehicles in a local hour is Poisson (or multinomial, when the total
is fixed) with a mean from a daily profile (morning and afternoon peaks on
weekdays, a midday peak at weekends, quiet nights) times a weekday factor.
Within an hour the passages are spread as a Poisson process with a minimum
gap: ``n`` sorted uniform points on ``[0, 3600 - n * h_min]`` plus ``k * h_min``
for the k-th vehicle, so that headways are a shifted exponential and never
shorter than ``h_min`` (1.2 s), as in real free-flowing traffic.

Speeds are normal per vehicle class with a mean that depends on the speed
limit, a little higher at night. Everything is drawn with one
:class:`numpy.random.Generator`, so a seed reproduces every number.

Columns of the returned vehicles table follow :data:`trafikplan.columns.VEHICLES`:
``site_id, time [UTC], direction, speed [km/h], length [m], headway [s],
vehicle_class, source, line``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

__all__ = [
    "CANONICAL_CLASS",
    "CLASSES",
    "HOURLY_PROFILE",
    "MIN_HEADWAY_S",
    "NIGHT_HOURS",
    "WEEKDAY_FACTOR",
    "ClassMix",
    "arrow_strings",
    "car_speed_params",
    "draw_classes",
    "draw_lengths",
    "draw_speeds",
    "headways",
    "hour_grid",
    "simulate_vehicles",
    "spread_in_hours",
    "vehicles_frame",
]

MIN_HEADWAY_S = 1.2
"""Shortest gap between two vehicles in one direction of normal traffic [s]."""

_WEEKDAY_PROFILE = np.array(
    [0.5, 0.3, 0.2, 0.2, 0.4, 1.2, 3.5, 7.5, 6.5, 5.0, 5.0, 5.5,
     6.0, 5.8, 6.0, 7.0, 8.5, 8.0, 6.0, 4.5, 3.5, 2.8, 1.8, 1.0]
)
_FRIDAY_PROFILE = np.array(
    [0.5, 0.3, 0.2, 0.2, 0.4, 1.1, 3.2, 7.0, 6.2, 5.0, 5.0, 5.6,
     6.2, 6.0, 6.3, 7.3, 8.3, 7.6, 6.2, 5.0, 4.2, 3.6, 2.8, 2.0]
)
_SATURDAY_PROFILE = np.array(
    [1.6, 1.1, 0.7, 0.4, 0.3, 0.5, 1.0, 2.0, 3.5, 5.5, 7.0, 8.0,
     8.5, 8.0, 7.5, 7.0, 6.5, 6.0, 5.0, 4.2, 3.8, 3.5, 3.0, 2.2]
)
_SUNDAY_PROFILE = np.array(
    [1.9, 1.3, 0.8, 0.5, 0.3, 0.4, 0.7, 1.2, 2.5, 4.0, 5.5, 7.0,
     8.0, 8.0, 8.0, 7.5, 7.5, 7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0]
)
HOURLY_PROFILE = np.vstack(
    [_WEEKDAY_PROFILE] * 4 + [_FRIDAY_PROFILE, _SATURDAY_PROFILE, _SUNDAY_PROFILE]
)
"""Share of a day's traffic per local hour, rows weekday 1..7 (Monday first)."""
HOURLY_PROFILE = HOURLY_PROFILE / HOURLY_PROFILE.sum(axis=1, keepdims=True)

WEEKDAY_FACTOR = np.array([0.98, 1.0, 1.0, 1.02, 1.06, 0.74, 0.64])
"""Traffic of a weekday relative to an average working day, Monday first."""

NIGHT_HOURS = (23, 0, 1, 2, 3, 4)
"""Local hours with slightly higher speeds (empty streets)."""

CLASSES = ("PB", "PBS", "LBU", "LBS", "BUSS", "MC", "MOPED", "CYKEL", "OKÄND")
"""Raw radar classes, in the order of the class index used internally."""

CANONICAL_CLASS = {
    "PB": "car", "PBS": "car", "LBU": "heavy", "LBS": "heavy", "BUSS": "heavy",
    "MC": "motorcycle", "MOPED": "motorcycle", "CYKEL": "bicycle", "OKÄND": "unknown",
}
"""Raw radar class -> canonical vehicle class."""

_LENGTH = {  # mean, sd [m]
    "PB": (4.6, 0.35), "PBS": (9.0, 1.2), "LBU": (9.5, 1.4), "LBS": (18.5, 2.2),
    "BUSS": (12.6, 0.5), "MC": (2.2, 0.15), "MOPED": (1.85, 0.12), "CYKEL": (1.75, 0.1),
    "OKÄND": (5.0, 2.5),
}
_SPEED_OFFSET = {  # mean offset against cars [km/h], sd factor
    "PB": (0.0, 1.0), "PBS": (-4.0, 0.8), "LBU": (-3.0, 0.8), "LBS": (-4.0, 0.7),
    "BUSS": (-3.0, 0.7), "MC": (1.5, 1.3), "OKÄND": (-2.0, 1.2),
}
_MOPED_SPEED = (36.0, 6.0)
_BICYCLE_SPEED = (19.0, 4.5)


def car_speed_params(speed_limit: float) -> tuple[float, float]:
    """Mean and standard deviation of car speeds on a street with ``speed_limit``.

    Parameters
    ----------
    speed_limit : float [km/h]
        Posted limit.

    Returns
    -------
    tuple of float [km/h]
        ``(mean, sd)``: 30 -> (32, 5.5), 40 -> (39, 5.5), 50 -> (46.5, 7),
        60 -> (57, 7.5); linear in between.
    """
    limits = np.array([30.0, 40.0, 50.0, 60.0, 70.0])
    means = np.array([32.0, 39.0, 46.5, 57.0, 66.0])
    sds = np.array([5.5, 5.5, 7.0, 7.5, 8.0])
    return float(np.interp(speed_limit, limits, means)), float(np.interp(speed_limit, limits, sds))


@dataclass(frozen=True)
class ClassMix:
    """Shares of the raw classes in a street's traffic (they need not sum to 1).

    Attributes
    ----------
    heavy : float
        Share of LBU + LBS + BUSS.
    trailer : float
        Share of PBS (car with trailer).
    motorcycle : float
        Share of MC.
    moped : float
        Share of MOPED.
    bicycle : float
        Share of CYKEL (bicycles the radar picks up).
    unknown : float
        Share of OKÄND.
    """

    heavy: float = 0.05
    trailer: float = 0.015
    motorcycle: float = 0.008
    moped: float = 0.007
    bicycle: float = 0.01
    unknown: float = 0.004

    def probabilities(self) -> np.ndarray:
        """Return the probability of each class of :data:`CLASSES`."""
        heavy = self.heavy * np.array([0.55, 0.30, 0.15])
        rest = np.array([self.trailer, *heavy, self.motorcycle, self.moped,
                         self.bicycle, self.unknown])
        return np.concatenate([[1.0 - rest.sum()], rest])


def hour_grid(start: pd.Timestamp, end: pd.Timestamp, tz: str) -> pd.DataFrame:
    """Return the UTC hours in ``[start, end)`` with their local hour and weekday.

    Parameters
    ----------
    start, end : Timestamp
        Time-zone aware bounds, on whole UTC hours.
    tz : str
        IANA time zone of the local hour and weekday.

    Returns
    -------
    DataFrame
        ``hour_start`` (int64 [s since epoch, UTC]), ``hour_of_day`` (int, local),
        ``weekday`` (int, local, 1 = Monday), ``date`` (local date as
        ``datetime64[ns]`` midnight).
    """
    idx = pd.date_range(start.tz_convert("UTC"), end.tz_convert("UTC"), freq="h",
                        inclusive="left")
    local = idx.tz_convert(tz)
    return pd.DataFrame({
        "hour_start": idx.as_unit("s").asi8,
        "hour_of_day": local.hour.to_numpy(),
        "weekday": local.day_of_week.to_numpy() + 1,
        "date": local.tz_localize(None).normalize(),
    })


def spread_in_hours(counts: np.ndarray, hour_starts: np.ndarray,
                    rng: np.random.Generator, min_headway: float = MIN_HEADWAY_S) -> np.ndarray:
    """Place ``counts[i]`` passages in hour ``i``, sorted, with a minimum headway.

    Parameters
    ----------
    counts : ndarray of int
        Vehicles per hour.
    hour_starts : ndarray of int [s since epoch]
        Start of each hour.
    rng : Generator
        Random numbers.
    min_headway : float [s]
        Shortest gap between consecutive passages.

    Returns
    -------
    ndarray of float [s since epoch]
        Sorted passage times, ``counts.sum()`` of them.
    """
    counts = np.asarray(counts, dtype=np.int64)
    total = int(counts.sum())
    # an hour too full for the minimum gap (only in stress tests) gets a smaller gap
    gap = np.minimum(min_headway, 1800.0 / np.maximum(counts, 1))
    hour = np.repeat(np.arange(len(counts)), counts)
    key = np.sort(hour + rng.random(total))
    u = key - hour
    first = np.repeat(np.cumsum(counts) - counts, counts)
    rank = np.arange(total) - first
    room = 3600.0 - counts * gap
    t = hour_starts[hour].astype(np.float64) + u * room[hour] + rank * gap[hour]
    # hour boundaries: push a passage that comes too close to its predecessor
    i = np.arange(total) * float(gap.min(initial=min_headway))
    return np.maximum.accumulate(t - i) + i if total else t


def draw_classes(n: int, mix: ClassMix, rng: np.random.Generator) -> np.ndarray:
    """Draw ``n`` raw class indices (into :data:`CLASSES`) from ``mix``."""
    p = mix.probabilities()
    return np.searchsorted(np.cumsum(p), rng.random(n) * p.sum(), side="right").clip(
        0, len(CLASSES) - 1).astype(np.int8)


def draw_lengths(cls: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Draw a length per vehicle from its class [m], rounded to 0.1 m."""
    mean = np.array([_LENGTH[c][0] for c in CLASSES])[cls]
    sd = np.array([_LENGTH[c][1] for c in CLASSES])[cls]
    return np.round(np.maximum(mean + sd * rng.standard_normal(len(cls)), 1.2), 1)


def draw_speeds(cls: np.ndarray, speed_limit: np.ndarray, hour_of_day: np.ndarray,
                rng: np.random.Generator, shift: np.ndarray | float = 0.0) -> np.ndarray:
    """Draw a spot speed per vehicle [km/h], rounded to 0.1 km/h.

    Parameters
    ----------
    cls : ndarray of int
        Class index into :data:`CLASSES`.
    speed_limit : ndarray of float [km/h]
        Limit at the vehicle's site.
    hour_of_day : ndarray of int
        Local hour of the passage (night hours are 1.5 km/h faster).
    rng : Generator
        Random numbers.
    shift : ndarray or float [km/h]
        Added to the mean of motor vehicles (planted speeding, measures, trends).

    Returns
    -------
    ndarray of float [km/h]
        At least 3 km/h.
    """
    limits = np.asarray(speed_limit, dtype=np.float64)
    lim_axis = np.array([30.0, 40.0, 50.0, 60.0, 70.0])
    mean = np.interp(limits, lim_axis, np.array([32.0, 39.0, 46.5, 57.0, 66.0]))
    sd = np.interp(limits, lim_axis, np.array([5.5, 5.5, 7.0, 7.5, 8.0]))
    off = np.array([_SPEED_OFFSET.get(c, (0.0, 1.0))[0] for c in CLASSES])[cls]
    fac = np.array([_SPEED_OFFSET.get(c, (0.0, 1.0))[1] for c in CLASSES])[cls]
    night = np.isin(hour_of_day, NIGHT_HOURS)
    mu = mean + off + 1.5 * night + shift
    sigma = sd * fac
    moped = cls == CLASSES.index("MOPED")
    bike = cls == CLASSES.index("CYKEL")
    mu = np.where(moped, _MOPED_SPEED[0], np.where(bike, _BICYCLE_SPEED[0], mu))
    sigma = np.where(moped, _MOPED_SPEED[1], np.where(bike, _BICYCLE_SPEED[1], sigma))
    return np.round(np.maximum(mu + sigma * rng.standard_normal(len(cls)), 3.0), 1)


def headways(time_s: np.ndarray, group: np.ndarray, *, time_sorted: bool = False) -> np.ndarray:
    """Time since the previous passage of the same group [s]; NaN for the first.

    Parameters
    ----------
    time_s : ndarray of float [s]
        Passage times, sorted within each group.
    group : ndarray of int
        Group code (site and direction, below 32768) per passage.
    time_sorted : bool
        ``time_s`` is already sorted within each group (saves a sort).

    Returns
    -------
    ndarray of float [s]
    """
    if time_sorted or np.all(np.diff(time_s) >= 0):
        order = np.argsort(group.astype(np.int16), kind="stable")
    else:
        order = np.lexsort((time_s, group))
    t = time_s[order]
    g = group[order]
    h = np.empty(len(t))
    if len(t):
        h[0] = np.nan
        h[1:] = np.where(g[1:] == g[:-1], np.diff(t), np.nan)
    out = np.empty_like(h)
    out[order] = h
    return out


def arrow_strings(codes: np.ndarray,
                  labels: list[str] | tuple[str, ...]) -> pd.arrays.ArrowStringArray:
    """Return ``labels[codes]`` as a pandas ``string`` array (fast for millions of rows)."""
    dictionary = pa.array(list(labels), type=pa.string())
    arr = pa.DictionaryArray.from_arrays(pa.array(np.asarray(codes, dtype=np.int32)), dictionary)
    return pd.arrays.ArrowStringArray(arr.cast(pa.string()))


def vehicles_frame(site_codes: np.ndarray, site_labels: list[str], time_s: np.ndarray,
                   direction: np.ndarray, speed: np.ndarray, length: np.ndarray,
                   cls: np.ndarray, source: str) -> pd.DataFrame:
    """Assemble a canonical vehicles table sorted by site, time and direction.

    Parameters
    ----------
    site_codes : ndarray of int
        Index into ``site_labels`` per vehicle.
    site_labels : list of str
        Site ids.
    time_s : ndarray of float [s since epoch, UTC]
        Passage times.
    direction : ndarray of int
        Direction 1 or 2.
    speed, length : ndarray of float [km/h], [m]
        Spot speed and length.
    cls : ndarray of int
        Raw class index into :data:`CLASSES`.
    source : str
        Value of the ``source`` column.

    Returns
    -------
    DataFrame
        Columns of :data:`trafikplan.columns.VEHICLES` (``line`` is the row's
        1-based position + 1, as in a file with one header line).
    """
    by_time = np.argsort(time_s, kind="stable")  # few sorted runs: a fast merge
    order = by_time[np.argsort(site_codes[by_time].astype(np.int16), kind="stable")]
    site_codes, time_s = site_codes[order], time_s[order]
    direction, speed, length, cls = direction[order], speed[order], length[order], cls[order]
    group = site_codes.astype(np.int64) * 8 + direction
    canon = sorted(set(CANONICAL_CLASS.values()))
    cls_to_canon = np.array([canon.index(CANONICAL_CLASS[c]) for c in CLASSES])
    n = len(time_s)
    return pd.DataFrame({
        "site_id": arrow_strings(site_codes, site_labels),
        "time": pd.to_datetime(np.round(time_s * 1e6).astype(np.int64), unit="us",
                               utc=True).as_unit("ns"),
        "direction": arrow_strings(direction - 1, ["1", "2"]),
        "speed": speed.astype(np.float64),
        "length": length.astype(np.float64),
        "headway": headways(time_s, group, time_sorted=True),
        "vehicle_class": arrow_strings(cls_to_canon[cls], canon),
        "source": arrow_strings(np.zeros(n, dtype=np.int32), [source]),
        "line": np.arange(2, n + 2, dtype=np.int64),
    })


def simulate_vehicles(n_vehicles: int, n_sites: int, start: str, days: int, seed: int,
                      speed_limit: float | list[float] = 50, *, tz: str = "Europe/Stockholm",
                      mix: ClassMix | None = None, speed_shift: float = 0.0,
                      site_prefix: str = "S") -> pd.DataFrame:
    """Simulate a canonical vehicles table: ``n_vehicles`` passages over ``days`` days.

    Vehicles are spread over sites (equal shares), two directions and the local
    hours of the period by a multinomial draw with the daily and weekly
    profile (:data:`HOURLY_PROFILE`, :data:`WEEKDAY_FACTOR`); within an hour
    they form a Poisson process with a minimum headway of
    :data:`MIN_HEADWAY_S`. Fast: about a second per few million rows.

    Parameters
    ----------
    n_vehicles : int
        Total number of vehicles.
    n_sites : int
        Number of sites, named ``S01``, ``S02``, ...
    start : str
        First local day, ``YYYY-MM-DD`` (midnight in ``tz``).
    days : int
        Length of the period [days].
    seed : int
        Seed of the :class:`numpy.random.Generator`.
    speed_limit : float or list of float [km/h]
        Limit of every site, or one per site.
    tz : str
        Time zone of the local hours.
    mix : ClassMix, optional
        Class shares (default :class:`ClassMix`).
    speed_shift : float [km/h]
        Added to the mean speed of motor vehicles (e.g. +10 for a speeding site).
    site_prefix : str
        Prefix of the site ids.

    Returns
    -------
    DataFrame
        ``site_id, time [UTC], direction ('1'/'2'), speed [km/h], length [m],
        headway [s] (same site and direction; NaN for the first), vehicle_class,
        source ('simulated'), line``; sorted by site, time.
    """
    rng = np.random.default_rng(seed)
    t0 = pd.Timestamp(start, tz=tz)
    grid = hour_grid(t0, t0 + pd.Timedelta(days=days), tz)
    wd = grid["weekday"].to_numpy() - 1
    w = HOURLY_PROFILE[wd, grid["hour_of_day"].to_numpy()] * WEEKDAY_FACTOR[wd]
    limits = np.broadcast_to(np.asarray(speed_limit, dtype=np.float64), (n_sites,))
    n_groups = n_sites * 2
    per_group = rng.multinomial(n_vehicles, np.full(n_groups, 1.0 / n_groups))
    hour_starts = grid["hour_start"].to_numpy()
    times, sites, dirs, hours = [], [], [], []
    for g, n_g in enumerate(per_group):  # one draw per site and direction, not per row
        counts = rng.multinomial(n_g, w / w.sum())
        t = spread_in_hours(counts, hour_starts, rng)
        times.append(t)
        sites.append(np.full(len(t), g // 2, dtype=np.int32))
        dirs.append(np.full(len(t), g % 2 + 1, dtype=np.int8))
        hours.append(np.repeat(grid["hour_of_day"].to_numpy(), counts))
    time_s = np.concatenate(times)
    site = np.concatenate(sites)
    direction = np.concatenate(dirs)
    hod = np.concatenate(hours)
    cls = draw_classes(len(time_s), mix or ClassMix(), rng)
    speed = draw_speeds(cls, limits[site], hod, rng, shift=speed_shift)
    length = draw_lengths(cls, rng)
    labels = [f"{site_prefix}{i + 1:02d}" for i in range(n_sites)]
    return vehicles_frame(site, labels, time_s, direction, speed, length, cls, "simulated")
