"""A block of a counter file to canonical rows.

Vehicles (with headways) or bins (with the check of the vendor's totals).

Part of :mod:`trafikplan.io.counters`.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import pandas as pd
import pyarrow as pa

from trafikplan.io.counters.blocks import (
    LINE,
)
from trafikplan.io.counters.layout import FOOT, MPH, Layout
from trafikplan.io.counters.values import (
    CLOCK_SAMPLE,
    ReadState,
    RejectCounter,
    arrow_strings,
    column_times,
    const_dictionary,
    const_series,
    parse_numbers,
    site_and_direction,
    strip_values,
    unknown_sites,
    vehicle_classes,
)
from trafikplan.io.profiles.profile import Profile
from trafikplan.io.times.clockcheck import add_hours
from trafikplan.io.times.timebase import ISO
from trafikplan.settings import Settings

__all__ = [
    "convert_bins",
    "convert_vehicles",
]

_UTC = pd.DatetimeTZDtype("ns", "UTC")
"""The dtype of times (:data:`trafikplan.columns.UTC`)."""


def convert_vehicles(table: pa.Table, layout: Layout, profile: Profile,
                      settings: Settings, source: str, state: ReadState,
                      known_sites: Collection[str] | None) -> tuple[pa.Table, list]:
    """Convert a block of per-vehicle rows to canonical vehicles, setting aside bad rows."""
    n = table.num_rows
    lines = table.column(LINE).to_numpy()
    rej = RejectCounter(n, lines)
    site, direction = site_and_direction(table, layout, profile, n, rej)
    units = profile.section("units")
    time_fmt = profile.section("time").get("format", ISO)
    times = column_times(table, layout.time_cols, time_fmt, profile, settings, site,
                   state.fold_start, rej, layout)
    speed_raw = strip_values(table.column(layout.mapped["speed"]), profile)
    speed, empty, bad = parse_numbers(speed_raw, profile.decimal)
    if units.get("speed", "km/h") == "mph":
        speed = speed * MPH
    col = layout.mapped["speed"]
    rej.add(empty, col, "value_missing", speed_raw)
    rej.add(bad, col, "speed_unparsable", speed_raw)
    lim = settings.import_
    rej.add(np.isnan(speed) & ~empty & ~bad, col, "speed_unparsable", speed_raw)  # "NaN"
    with np.errstate(invalid="ignore"):  # a vehicle measured at 0 (or -0) km/h did not pass
        impossible = ~np.isnan(speed) & ((speed < lim.min_speed_kmh) | (speed <= 0)
                                         | (speed > lim.max_speed_kmh))
    rej.add(impossible, col, "speed_impossible", speed_raw)
    extra: dict[str, np.ndarray] = {}
    for name, factor in (("length", FOOT if units.get("length", "m") == "ft" else 1.0),
                         ("headway", 1.0)):
        if name in layout.mapped:
            raw = strip_values(table.column(layout.mapped[name]), profile)
            values, _, bad = parse_numbers(raw, profile.decimal)
            rej.add(bad, layout.mapped[name], "value_unparsable", raw)
            with np.errstate(invalid="ignore"):
                rej.add((values < 0) | np.isinf(values), layout.mapped[name],
                        "value_impossible", raw)
            extra[name] = values * factor if factor != 1.0 else values
    if "vehicle_class" in layout.mapped:
        raw = strip_values(table.column(layout.mapped["vehicle_class"]), profile)
        vclass = vehicle_classes(raw, profile)
    else:
        vclass = const_dictionary("unknown", n)
    if known_sites is not None:
        rej.add(unknown_sites(site, known_sites), layout.site_col or "site_id", "site_unknown",
                site)
    keep = ~rej.taken
    all_kept = bool(keep.all())
    idx = None if all_kept else pa.array(np.flatnonzero(keep))

    def take(arr: pa.Array) -> pa.Array:
        return arr if idx is None else arr.take(idx)

    def kept(values: np.ndarray) -> np.ndarray:
        return values if all_kept else values[keep]

    t_ns = kept(np.asarray(times.array.asi8, dtype=np.int64))
    m = len(t_ns)
    step = max(1, m // CLOCK_SAMPLE)  # the clock check needs the daily shape, not every vehicle
    add_hours(state.hours, t_ns[::step], np.full(len(t_ns[::step]), step) if step > 1 else None)
    if "headway" in extra:
        headway = kept(extra["headway"])
    else:
        headway = _headway(take(site), take(direction), t_ns, state)
    out = pa.table({
        "site_id": take(site),
        "time": pa.array(t_ns, pa.timestamp("ns", "UTC")),
        "direction": take(direction),
        "speed": kept(speed),
        "length": kept(extra["length"]) if "length" in extra else np.full(m, np.nan),
        "headway": headway,
        "vehicle_class": take(vclass),
        "source": const_dictionary(source, m),
        "line": kept(lines).astype(np.int64),
    })
    return out, rej.parts


def _codes(arr: pa.DictionaryArray) -> tuple[np.ndarray, list[str]]:
    """Integer code per row and the distinct values."""
    return arr.indices.to_numpy(zero_copy_only=False), arr.dictionary.to_pylist()


def _headway(site: pa.Array, direction: pa.Array, t: np.ndarray, state: ReadState) -> np.ndarray:
    """Seconds since the previous vehicle of the same site and direction.

    Parameters
    ----------
    site, direction : pyarrow dictionary arrays
        Per kept row.
    t : ndarray of int64
        Passage times [ns since epoch, UTC], in file order.
    state : ReadState
        The last time of each site and direction carries over to the next
        chunk of the file.

    Returns
    -------
    ndarray of float64 [s]
        In file order, computed in time order within each site and direction;
        NaN for the first vehicle of a site and direction in the file.
    """
    n = len(t)
    if n == 0:
        return np.zeros(0)
    s_codes, s_uni = _codes(site)
    d_codes, d_uni = _codes(direction)
    n_dir = len(d_uni)
    small = len(s_uni) * n_dir < 2**15  # few keys: 16-bit, and a stable sort is a radix sort
    kind = np.int16 if small else np.int64
    key: np.ndarray = s_codes.astype(kind)
    key = key * kind(n_dir) + d_codes.astype(kind)
    if small and np.all(t[1:] >= t[:-1]):
        order = np.argsort(key, kind="stable")  # file in time order
    else:
        order = np.lexsort((t, key))
    ks, ts = key[order], t[order]
    starts = np.flatnonzero(np.r_[True, ks[1:] != ks[:-1]])
    ends = np.r_[starts[1:] - 1, n - 1]
    prev = np.empty(n)
    prev[1:] = ts[:-1]
    for first, last in zip(starts, ends, strict=True):  # one per site and direction
        label = (s_uni[int(ks[first]) // n_dir], d_uni[int(ks[first]) % n_dir])
        prev[first] = state.last_time.get(label, np.nan)
        state.last_time[label] = ts[last]
    np.subtract(ts, prev, out=prev)
    prev /= 1e9
    out = np.empty(n)
    out[order] = prev
    return out


def convert_bins(table: pa.Table, layout: Layout, profile: Profile,
                  settings: Settings, source: str, state: ReadState,
                  known_sites: Collection[str] | None) -> tuple[pd.DataFrame, list]:
    """Convert a block of binned rows to canonical bins, setting aside bad rows."""
    n = table.num_rows
    lines = table.column(LINE).to_numpy()
    rej = RejectCounter(n, lines)
    site, direction = site_and_direction(table, layout, profile, n, rej)
    time = profile.section("time")
    fmt = time.get("format", "iso")
    label_end = time.get("label", "start") == "end"
    times = column_times(table, layout.time_cols, fmt, profile, settings, site,
                   state.fold_start, rej, layout)
    if layout.end_cols:
        end = column_times(table, layout.end_cols, time.get("end_format", fmt), profile, settings,
                     site, state.fold_end, rej, layout)
        start = times
    else:
        step = pd.Timedelta(minutes=int(time["interval_minutes"]))
        start, end = (times - step, times) if label_end else (times, times + step)
    if layout.class_cols:
        count_cols = [c for c, _, _ in layout.class_cols]
        lo = np.array([c[1] for c in layout.class_cols])
        hi = np.array([c[2] for c in layout.class_cols])
        dirs = (np.array(layout.class_dirs, dtype=object)
                if any(d is not None for d in layout.class_dirs) else None)
    elif layout.dir_cols:
        count_cols = [c for c, _ in layout.dir_cols]
        lo = np.zeros(len(count_cols))
        hi = np.full(len(count_cols), np.inf)
        dirs = np.array([d for _, d in layout.dir_cols], dtype=object)
    else:
        count_cols = [layout.mapped["count"]]
        lo_raw = strip_values(table.column(layout.mapped["speed_lo"]), profile)
        hi_raw = strip_values(table.column(layout.mapped["speed_hi"]), profile)
        lo_v, lo_e, lo_b = parse_numbers(lo_raw, profile.decimal)
        hi_v, hi_e, hi_b = parse_numbers(hi_raw, profile.decimal)
        rej.add(lo_b | lo_e, layout.mapped["speed_lo"], "value_unparsable", lo_raw)
        rej.add(hi_b, layout.mapped["speed_hi"], "value_unparsable", hi_raw)
        factor = MPH if profile.section("units").get("speed", "km/h") == "mph" else 1.0
        lo = (lo_v * factor)[:, None]
        hi = (np.where(hi_e, np.inf, hi_v) * factor)[:, None]
        dirs = None
    counts = np.empty((n, len(count_cols)), dtype=np.float64)
    for j, c in enumerate(count_cols):  # one per column, not per row
        raw = strip_values(table.column(c), profile)
        values, empty, bad = parse_numbers(raw, profile.decimal, integer=True)
        with np.errstate(invalid="ignore"):
            negative = values < 0
        rej.add(bad | negative, c, "value_unparsable", raw)
        rej.add(empty, c, "value_missing", raw)
        counts[:, j] = values
    if known_sites is not None:
        rej.add(unknown_sites(site, known_sites), layout.site_col or "site_id", "site_unknown",
                site)
    if layout.total_col:
        _check_totals(table, layout, profile, counts, ~rej.taken, lines, state)
    keep = np.flatnonzero(~rej.taken)
    k = len(count_cols)
    rows = np.repeat(keep, k)
    idx = pa.array(rows)
    if dirs is not None:
        direction_out = pd.Series(pd.array(np.tile(dirs, len(keep)), dtype="string"))
    else:
        assert direction is not None  # a direction column when no count column names one
        direction_out = arrow_strings(direction.take(idx))
    if lo.ndim == 2:  # long layout: one class per row
        lo_out, hi_out = lo[keep, 0], hi[keep, 0]
    else:
        lo_out, hi_out = np.tile(lo, len(keep)), np.tile(hi, len(keep))
    out = pd.DataFrame({
        "site_id": arrow_strings(site.take(idx)),
        "start": start.iloc[rows].reset_index(drop=True).astype(_UTC),
        "end": end.iloc[rows].reset_index(drop=True).astype(_UTC),
        "direction": direction_out,
        "speed_lo": lo_out.astype(np.float64),
        "speed_hi": hi_out.astype(np.float64),
        "count": counts[keep].ravel().astype(np.int64),
        "source": const_series(source, len(rows)),
        "line": lines[rows].astype(np.int64),
    })
    add_hours(state.hours, out["start"].array.asi8, out["count"].to_numpy())
    return out, rej.parts


def _check_totals(table: pa.Table, layout: Layout, profile: Profile, counts: np.ndarray,
                  kept: np.ndarray, lines: np.ndarray, state: ReadState) -> None:
    """Compare the vendor's total per row with the sum of its classes (a warning)."""
    raw = strip_values(table.column(layout.total_col), profile)
    total, _, _ = parse_numbers(raw, profile.decimal, integer=True)
    with np.errstate(invalid="ignore"):
        differ = kept & ~np.isnan(total) & (np.nansum(counts, axis=1) != total)
    state.total_rows += int((kept & ~np.isnan(total)).sum())
    if differ.any():
        state.total_differ += int(differ.sum())
        if state.total_first is None:
            i = int(np.flatnonzero(differ)[0])
            state.total_first = (int(lines[i]), int(total[i]), int(np.nansum(counts[i])))
