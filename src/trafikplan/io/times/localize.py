"""Local wall-clock times -> UTC across daylight-saving changes, vectorised.

A time in the spring-forward gap (e.g. 02:00-02:59 on 2024-03-31 in
Europe/Stockholm) does not exist: it becomes NaT and is flagged so the reader
sets the row aside with reason ``time_in_dst_gap``. A repeated fall-back time
(02:00-02:59 on 2024-10-27) is resolved by file order: the first pass through
the repeated hour is summer time; once the wall time goes backwards inside
the repeated hour the clock has gone back, and that row and every later
repeated time (of the same site, same night) are winter time. The rule looks
only at the few rows inside a repeated hour, and its state carries over from
chunk to chunk of one file through :class:`FoldState`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

__all__ = ["FoldState", "localize_ns", "localize_wall", "transitions", "utc_series"]


@dataclass
class FoldState:
    """Fall-back resolution state carried from chunk to chunk of one file.

    Attributes
    ----------
    seen : dict
        ``(group, local date) -> (latest repeated wall time seen, clock went back)``.
    """

    seen: dict[tuple[object, object], tuple[pd.Timestamp, bool]] = field(default_factory=dict)


def _second_pass(
    wall: pd.Series,
    groups: pd.Series,
    state: FoldState,
) -> np.ndarray:
    """For repeated wall times (in file order), True where the clock went back.

    Parameters
    ----------
    wall : Series of datetime64[ns]
        The repeated (ambiguous) wall times, in file order.
    groups : Series
        Group key per row (site id); the rule is applied per group and night.
    state : FoldState
        Updated in place.
    """
    n = len(wall)
    if n == 0:
        return np.zeros(0, dtype=bool)
    frame = pd.DataFrame({
        "g": groups.to_numpy(), "d": wall.dt.normalize().to_numpy(),
        "w": wall.to_numpy(), "back0": False,
    })
    keys = pd.MultiIndex.from_frame(frame[["g", "d"]]).unique()
    prior = [
        {"g": g, "d": d, "w": state.seen[(g, d)][0], "back0": state.seen[(g, d)][1]}
        for g, d in keys if (g, d) in state.seen
    ]
    if prior:
        frame = pd.concat([pd.DataFrame(prior), frame], ignore_index=True)
    grouped = frame.groupby(["g", "d"], sort=False, dropna=False)
    prev_max = grouped["w"].cummax()
    prev_max = prev_max.groupby([frame["g"], frame["d"]], sort=False, dropna=False).shift(1)
    back = (frame["w"] < prev_max).fillna(False).astype(bool) | frame["back0"].astype(bool)
    went_back = back.groupby([frame["g"], frame["d"]], sort=False, dropna=False).cummax()
    last = frame.assign(m=grouped["w"].transform("max"), b=went_back).drop_duplicates(
        ["g", "d"], keep="last")
    for g, d, m, b in zip(last["g"], last["d"], last["m"], last["b"], strict=True):
        state.seen[(g, d)] = (m, bool(b))
    return went_back.to_numpy(dtype=bool)[len(prior):]


_NS_S = 1_000_000_000
_NS_DAY = 86_400 * _NS_S
_NAT = np.iinfo(np.int64).min


def _offsets(utc_ns: np.ndarray, timezone: str) -> np.ndarray:
    """UTC offsets [ns] of ``timezone`` at the UTC instants ``utc_ns`` [ns since epoch]."""
    aware = pd.DatetimeIndex(utc_ns.view("datetime64[ns]"), tz="UTC").tz_convert(timezone)
    return np.asarray(aware.tz_localize(None).asi8, dtype=np.int64) - utc_ns


def transitions(lo_ns: int, hi_ns: int, timezone: str) -> tuple[np.ndarray, np.ndarray]:
    """UTC offset changes of ``timezone`` around the wall times ``lo_ns .. hi_ns``.

    Offsets are sampled daily over the span (two days wider on each side) and
    every change is narrowed down to the second by bisection, vectorised over
    the changes. Zones change their offset at most once a day.

    Parameters
    ----------
    lo_ns, hi_ns : int [ns since epoch]
        First and last wall time.
    timezone : str
        IANA time zone.

    Returns
    -------
    at : ndarray of int64 [ns since epoch, UTC]
        The first instant of each new offset, ascending (often empty).
    offsets : ndarray of int64 [ns]
        ``len(at) + 1`` offsets: before the first change, then after each.
    """
    days = np.arange(lo_ns // _NS_DAY - 2, hi_ns // _NS_DAY + 3, dtype=np.int64) * _NS_DAY
    off = _offsets(days, timezone)
    change = np.flatnonzero(off[1:] != off[:-1])
    a, b = days[change], days[change + 1]  # offset(a) = old, offset(b) = new
    old = off[change]
    while len(a) and bool(((b - a) > _NS_S).any()):
        mid = a + (b - a) // 2 // _NS_S * _NS_S
        moved = _offsets(mid, timezone) == old
        a, b = np.where(moved, mid, a), np.where(moved, b, mid)
    return b, np.r_[off[:1], off[change + 1]]


def localize_ns(
    wall: np.ndarray,
    timezone: str,
    *,
    groups: pd.Series | pa.Array | None = None,
    state: FoldState | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Turn naive wall-clock times of ``timezone`` into UTC, vectorised.

    A lookup in the zone's offset changes near the data (:func:`transitions`):
    a wall time before a change's first possible wall time keeps the old
    offset, one after its last takes the new; in between it lies in a
    spring-forward gap (no such time) or in a repeated fall-back hour, which
    is resolved by file order (see the module docstring).

    Parameters
    ----------
    wall : ndarray of int64 [ns since epoch, naive]
        Local times in file order; ``int64`` minimum for NaT.
    timezone : str
        IANA time zone, e.g. ``"Europe/Stockholm"``.
    groups : Series or pyarrow Array, optional
        Group per row (site id) for the fall-back rule; one group if absent.
    state : FoldState, optional
        Carries the fall-back rule over chunks of one file.

    Returns
    -------
    utc : ndarray of int64 [ns since epoch, UTC]
        ``int64`` minimum (NaT) where ``wall`` is NaT or in the spring-forward gap.
    in_gap : ndarray of bool
        True where the wall time does not exist (spring-forward gap).
    """
    wall = np.asarray(wall, dtype=np.int64)
    n = len(wall)
    valid = wall != _NAT
    in_gap = np.zeros(n, dtype=bool)
    if not valid.any():
        return wall.copy(), in_gap
    lo, hi = int(wall[valid].min()), int(wall[valid].max())
    at, offsets = transitions(lo, hi, timezone)
    if len(at) == 0:
        return np.where(valid, wall - offsets[0], _NAT), in_gap
    old, new = offsets[:-1], offsets[1:]
    # wall-time edges of each change: [at + min(old, new), at + max(old, new))
    edges = np.column_stack([at + np.minimum(old, new), at + np.maximum(old, new)]).ravel()
    pos = np.searchsorted(edges, wall, side="right")
    inside = (pos % 2 == 1) & valid
    utc = np.where(valid, wall - offsets[(pos + 1) // 2], _NAT)
    if inside.any():
        rows = np.flatnonzero(inside)
        k = pos[rows] // 2
        gap = new[k] > old[k]
        in_gap[rows[gap]] = True
        utc[rows[gap]] = _NAT
        amb, k = rows[~gap], k[~gap]
        if len(amb):
            if groups is None:
                g = pd.Series(np.zeros(len(amb), dtype=np.int8))
            elif isinstance(groups, pa.Array | pa.ChunkedArray):
                g = pd.Series(groups.take(pa.array(amb)).to_pylist())
            else:
                g = pd.Series(pd.Series(groups).to_numpy()[amb])
            amb_wall = pd.Series(wall[amb].view("datetime64[ns]"))
            winter = _second_pass(amb_wall, g, state if state is not None else FoldState())
            utc[amb] = wall[amb] - np.where(winter, new[k], old[k])
    return utc, in_gap


def localize_wall(
    wall: pd.Series,
    timezone: str,
    *,
    groups: pd.Series | pa.Array | None = None,
    state: FoldState | None = None,
) -> tuple[pd.Series, np.ndarray]:
    """Turn naive wall-clock times of ``timezone`` into UTC (see :func:`localize_ns`).

    Parameters
    ----------
    wall : Series of datetime64[ns]
        Naive local times in file order (NaT allowed).
    timezone : str
        IANA time zone, e.g. ``"Europe/Stockholm"``.
    groups : Series or pyarrow Array, optional
        Group per row (site id) for the fall-back rule; one group if absent.
    state : FoldState, optional
        Carries the fall-back rule over chunks of one file.

    Returns
    -------
    times : Series of datetime64[ns, UTC]
        NaT where ``wall`` is NaT or in the spring-forward gap.
    in_gap : ndarray of bool
        True where the wall time does not exist (spring-forward gap).
    """
    wall = pd.Series(wall).reset_index(drop=True)
    if wall.dt.tz is not None:
        raise ValueError("localize_wall expects naive times")
    ns = wall.astype("datetime64[ns]").to_numpy(dtype="datetime64[ns]").view(np.int64)
    utc, in_gap = localize_ns(ns, timezone, groups=groups, state=state)
    return utc_series(utc), in_gap


def utc_series(utc: np.ndarray) -> pd.Series:
    """int64 ns since epoch (int64 minimum = NaT) -> Series of datetime64[ns, UTC]."""
    return pd.Series(utc.view("datetime64[ns]")).dt.tz_localize("UTC")

