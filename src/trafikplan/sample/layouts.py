"""Writers of the raw counter layouts the sample ships (A radar, B generic, C bins).

Every writer turns a canonical vehicles table (:data:`trafikplan.columns.VEHICLES`)
into the bytes a counter would deliver, in bulk (pandas ``to_csv`` over
pre-formatted columns, no Python loop per row). Files ending in ``.gz`` are
gzip-compressed deterministically (``mtime=0``, no file name in the header),
so the same table always gives the same bytes.

Layouts (the contract with the readers in :mod:`trafikplan.io`):

A ``se_radar``
    Windows-1252, ``;``, decimal comma, CRLF, local wall-clock time, a
    metadata block (``Mätplats-ID;<id>``), raw classes (PB, PBS, LBU, LBS,
    BUSS, MC, MOPED, CYKEL, OKÄND), ``Tidlucka (s)`` = headway in the same
    direction.
B ``generic_vehicles``
    UTF-8, ``,``, decimal point, ``site_id,time,direction,speed,length,vehicle_class``
    with ISO 8601 times (offset or ``Z``).
C ``se_bins``
    UTF-8 with BOM, ``;``, hourly counts per direction and speed class in
    Swedish normal time (``fixed+01:00``) all year.
"""

from __future__ import annotations

import gzip
import io
import itertools
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "GENERIC_HEADER",
    "RADAR_HEADER",
    "RAW_CLASSES",
    "SPEED_CLASS_EDGES",
    "bin_counts",
    "generic_text",
    "gzip_bytes",
    "radar_text",
    "raw_radar_classes",
    "write_bytes",
    "write_generic_vehicles",
    "write_se_bins",
    "write_se_radar",
]

SPEED_CLASS_EDGES = (0, 30, 40, 50, 60, 70, 80, 90)
"""Lower edges of layout C's speed classes [km/h]; a class is ``lo < v <= hi``."""

RADAR_HEADER = "Datum;Tid;Riktning;Hastighet (km/h);Längd (m);Tidlucka (s);Klass"
"""Column header line of layout A."""

GENERIC_HEADER = "site_id,time,direction,speed,length,vehicle_class"
"""Column header line of layout B."""

_CLOCK = np.array([f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86400)],
                  dtype=object)


_CLOCK_ARROW = pa.array(_CLOCK.tolist(), type=pa.string())


def _arrow_text(values: pd.Series | np.ndarray) -> pa.Array:
    """Return a column as an Arrow string array (nulls stay null)."""
    if isinstance(values, pd.Series):
        arr = pa.array(values, from_pandas=True)
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks()
        if not pa.types.is_string(arr.type):
            arr = pc.cast(arr, pa.string())
        return arr
    return pa.array(np.asarray(values, dtype=object), type=pa.string(), from_pandas=True)


def _arrow_fixed1(values: np.ndarray, decimal: str) -> pa.Array:
    """Non-negative numbers as text with one decimal (``46,5``); NaN -> null."""
    tenths = np.round(np.asarray(values, dtype=np.float64) * 10.0)
    ints = pa.array(tenths, type=pa.float64(), from_pandas=True).cast(pa.int64())
    digits = pc.utf8_lpad(ints.cast(pa.string()), 2, "0")
    return pc.binary_join_element_wise(pc.utf8_slice_codeunits(digits, 0, -1),
                                       pc.utf8_slice_codeunits(digits, -1, 2**31 - 1),
                                       decimal)


def _arrow_dates(seconds: np.ndarray, date_fmt: str = "%Y-%m-%d") -> tuple[pa.Array, pa.Array]:
    """Split wall-clock seconds into Arrow date strings and ``HH:MM:SS`` strings."""
    day = seconds // 86400
    first = int(day.min()) if len(day) else 0
    span = np.arange(first, (int(day.max()) if len(day) else 0) + 1)
    labels = pa.array(pd.to_datetime(span * 86400, unit="s").strftime(date_fmt).tolist(),
                      type=pa.string())
    dates = pc.take(labels, pa.array(day - first))
    clock = pc.take(_CLOCK_ARROW, pa.array(seconds - day * 86400))
    return dates, clock


def _arrow_lines(columns: list[pa.Array], sep: str, newline: str,
                 defects: Sequence[tuple[int, str]], first_line: int) -> tuple[bytes, list[int]]:
    """Join columns into CSV lines (nulls empty) and insert raw defect lines.

    Returns the UTF-8 body and the 1-based line numbers of the inserted lines.
    """
    joined = pc.binary_join_element_wise(*columns, sep, null_handling="replace",
                                         null_replacement="")
    lines = pc.binary_join_element_wise(joined, "", newline).cast(pa.large_string())
    n = len(lines)
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int64)[lines.offset:lines.offset + n + 1]
    data = lines.buffers()[2].to_pybytes() if n else b""
    base = int(offsets[0]) if n else 0
    parts: list[bytes] = []
    numbers: list[int] = []
    pos = 0
    for k, (row, text) in enumerate(sorted(defects, key=lambda d: d[0])):
        cut = int(offsets[row]) - base
        parts.append(data[base + pos:base + cut])
        parts.append((text + newline).encode("utf-8"))
        numbers.append(first_line + row + k)
        pos = cut
    end = int(offsets[-1]) - base if n else 0
    parts.append(data[base + pos:base + end])
    return b"".join(parts), numbers


def gzip_bytes(data: bytes, compresslevel: int = 6) -> bytes:
    """Compress ``data`` reproducibly: gzip with ``mtime=0`` and no file name."""
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0,
                       compresslevel=compresslevel) as gz:
        gz.write(data)
    return buf.getvalue()


def write_bytes(path: Path | str, data: bytes, compresslevel: int = 6) -> Path:
    """Write ``data`` to ``path``, gzip-compressed when the name ends in ``.gz``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip_bytes(data, compresslevel) if path.suffix == ".gz" else data)
    return path


def _local_seconds(time: pd.Series, tz: str) -> tuple[np.ndarray, np.ndarray]:
    """Return (local wall-clock seconds since epoch, UTC offset [s]) per time."""
    utc_ns = time.dt.tz_convert("UTC").dt.as_unit("ns").astype("int64").to_numpy()
    local_ns = (time.dt.tz_convert(tz).dt.tz_localize(None).dt.as_unit("ns")
                .astype("int64").to_numpy())
    utc_s = utc_ns // 1_000_000_000
    offset = (local_ns - utc_ns) // 1_000_000_000
    return utc_s + offset, offset


RAW_CLASSES = ("PB", "PBS", "LBU", "LBS", "MC", "MOPED", "CYKEL", "OKÄND")
"""Raw radar classes written by :func:`write_se_radar`."""


def _raw_class_codes(vehicle_class: pd.Series, length: pd.Series) -> np.ndarray:
    """Index into :data:`RAW_CLASSES` from canonical class and length [m]."""
    canon = pa.array(["car", "heavy", "motorcycle", "bicycle"])
    idx = pc.index_in(_arrow_text(vehicle_class), value_set=canon)
    c = np.asarray(idx.fill_null(4).to_numpy(zero_copy_only=False), dtype=np.int8)
    ln = length.to_numpy(dtype=np.float64, na_value=np.nan)
    code = np.array([0, 2, 4, 6, 7], dtype=np.int8)[c]
    code[(c == 0) & (ln > 7.0)] = 1
    code[(c == 1) & (ln > 14.0)] = 3
    code[(c == 2) & (ln < 2.0)] = 5
    return code


def raw_radar_classes(vehicle_class: pd.Series, length: pd.Series) -> np.ndarray:
    """Map canonical classes back to raw radar classes using the length [m].

    car -> PB (PBS above 7 m), heavy -> LBU (LBS above 14 m), motorcycle -> MC
    (MOPED below 2.0 m), bicycle -> CYKEL, anything else -> OKÄND.

    Returns
    -------
    ndarray of str
        One raw class per vehicle.
    """
    return np.array(RAW_CLASSES, dtype=object)[_raw_class_codes(vehicle_class, length)]


def _csv_text(frame: pd.DataFrame, sep: str, decimal: str, newline: str) -> str:
    return frame.to_csv(sep=sep, decimal=decimal, float_format="%.1f", header=False,
                        index=False, lineterminator=newline, na_rep="")


def radar_text(vehicles: pd.DataFrame, site_meta: dict, *, tz: str = "Europe/Stockholm",
               defects: Sequence[tuple[int, str]] = ()) -> tuple[bytes, list[int]]:
    """Render one site's vehicles in layout A (see :func:`write_se_radar`).

    Returns
    -------
    tuple
        The file content (Windows-1252 bytes, CRLF line ends) and the 1-based
        line numbers of the ``defects`` lines.
    """
    site_id = site_meta.get("site_id")
    if site_id is None:
        ids = pd.unique(vehicles["site_id"])
        if len(ids) != 1:
            raise ValueError("site_meta needs 'site_id' when vehicles hold several sites")
        site_id = str(ids[0])
    v = vehicles
    if (v["site_id"] != site_id).any():
        v = v[v["site_id"] == site_id]
    if not v["time"].is_monotonic_increasing:
        v = v.sort_values("time", kind="stable")
    local, _ = _local_seconds(v["time"], tz)
    dates, clock = _arrow_dates(local)
    codes = _raw_class_codes(v["vehicle_class"], v["length"])
    columns = [
        dates, clock, _arrow_text(v["direction"]),
        _arrow_fixed1(v["speed"].to_numpy(dtype=np.float64), ","),
        _arrow_fixed1(v["length"].to_numpy(dtype=np.float64, na_value=np.nan), ","),
        _arrow_fixed1(v["headway"].to_numpy(dtype=np.float64, na_value=np.nan), ","),
        pc.take(pa.array(RAW_CLASSES), pa.array(codes)),
    ]
    meta = [
        f"Mätplats;{site_meta.get('name', site_id)}",
        f"Mätplats-ID;{site_id}",
        f"Riktning 1;{site_meta.get('direction_1', 'Riktning 1')}",
        f"Riktning 2;{site_meta.get('direction_2', 'Riktning 2')}",
        f"Utrustning;{site_meta.get('equipment', 'Radar')}",
        RADAR_HEADER,
    ]
    body, lines = _arrow_lines(columns, ";", "\r\n", defects, len(meta) + 1)
    head = ("\r\n".join(meta) + "\r\n").encode("cp1252")
    return head + body.decode("utf-8").encode("cp1252"), lines


def write_se_radar(vehicles: pd.DataFrame, path: Path | str, site_meta: dict, *,
                   tz: str = "Europe/Stockholm",
                   defects: Sequence[tuple[int, str]] = (), compresslevel: int = 6) -> list[int]:
    """Write one site's vehicles as a Swedish radar export (layout A).

    Parameters
    ----------
    vehicles : DataFrame
        Canonical vehicles (``site_id, time [UTC], direction, speed [km/h],
        length [m], headway [s], vehicle_class``). Only the rows of
        ``site_meta['site_id']`` are written (all rows when the table holds one
        site), in passage order.
    path : Path or str
        Target file; ``.gz`` compresses.
    site_meta : dict
        ``site_id``, and optionally ``name`` (Mätplats), ``direction_1``,
        ``direction_2``, ``equipment``.
    tz : str
        Time zone of the wall-clock times written.
    defects : sequence of (int, str)
        Raw lines to insert before the given 0-based data row (for test data).
    compresslevel : int
        gzip level for ``.gz`` targets (1 fastest, 9 smallest).

    Returns
    -------
    list of int
        1-based line numbers of the inserted defect lines.
    """
    data, lines = radar_text(vehicles, site_meta, tz=tz, defects=defects)
    write_bytes(path, data, compresslevel)
    return lines


def generic_text(vehicles: pd.DataFrame, *, tz: str = "Europe/Stockholm", utc: bool = False,
                 defects: Sequence[tuple[int, str]] = ()) -> tuple[bytes, list[int]]:
    """Render vehicles in layout B (see :func:`write_generic_vehicles`) as UTF-8 bytes."""
    v = vehicles
    if not v["time"].is_monotonic_increasing:
        v = v.sort_values(["time", "site_id"], kind="stable")
    if utc:
        secs = v["time"].dt.as_unit("ns").astype("int64").to_numpy() // 1_000_000_000
        dates, clock = _arrow_dates(secs)
        suffix = pa.array(np.full(len(v), "Z", dtype=object), type=pa.string())
    else:
        secs, offset = _local_seconds(v["time"], tz)
        dates, clock = _arrow_dates(secs)
        uniq, inv = np.unique(offset, return_inverse=True)
        labels = pa.array([f"{'+' if o >= 0 else '-'}{abs(o) // 3600:02d}:{abs(o) // 60 % 60:02d}"
                           for o in uniq], type=pa.string())
        suffix = pc.take(labels, pa.array(inv.astype(np.int64)))
    time = pc.binary_join_element_wise(pc.binary_join_element_wise(dates, clock, "T"), suffix, "")
    columns = [
        _arrow_text(v["site_id"]), time, _arrow_text(v["direction"]),
        _arrow_fixed1(v["speed"].to_numpy(dtype=np.float64), "."),
        _arrow_fixed1(v["length"].to_numpy(dtype=np.float64, na_value=np.nan), "."),
        _arrow_text(v["vehicle_class"]),
    ]
    body, lines = _arrow_lines(columns, ",", "\n", defects, 2)
    return (GENERIC_HEADER + "\n").encode("utf-8") + body, lines


def write_generic_vehicles(vehicles: pd.DataFrame, path: Path | str, *,
                           tz: str = "Europe/Stockholm", utc: bool = False,
                           defects: Sequence[tuple[int, str]] = (),
                           compresslevel: int = 6) -> list[int]:
    """Write vehicles as the generic per-vehicle CSV (layout B, DESIGN.md's contract).

    Parameters
    ----------
    vehicles : DataFrame
        Canonical vehicles; several sites may share one file. Written in time order.
    path : Path or str
        Target file; ``.gz`` compresses.
    tz : str
        Time zone of the offsets written (``+01:00`` / ``+02:00``).
    utc : bool
        Write UTC times with ``Z`` instead of local times with an offset.
    defects : sequence of (int, str)
        Raw lines to insert before the given 0-based data row (for test data).
    compresslevel : int
        gzip level for ``.gz`` targets (1 fastest, 9 smallest).

    Returns
    -------
    list of int
        1-based line numbers of the inserted defect lines.
    """
    data, lines = generic_text(vehicles, tz=tz, utc=utc, defects=defects)
    write_bytes(path, data, compresslevel)
    return lines


def bin_counts(vehicles: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Count vehicles per hour, direction and layout-C speed class.

    Parameters
    ----------
    vehicles : DataFrame
        One site's canonical vehicles.
    start, end : Timestamp
        Time-zone aware bounds on whole hours; every hour in ``[start, end)``
        gets a row per direction, zero counts included.

    Returns
    -------
    DataFrame
        ``start`` (Timestamp, UTC), ``direction`` (str), then one int column per
        speed class lower edge of :data:`SPEED_CLASS_EDGES`.
    """
    t0 = start.tz_convert("UTC")
    n_hours = int((end - start) / pd.Timedelta(hours=1))
    secs = vehicles["time"].dt.as_unit("ns").astype("int64").to_numpy() / 1e9
    hour = np.floor((secs - t0.timestamp()) / 3600).astype(np.int64)
    dirs = ["1", "2"]
    d = pd.Index(dirs).get_indexer(pd.Index(vehicles["direction"].astype(object)))
    edges = np.array(SPEED_CLASS_EDGES[1:], dtype=np.float64)
    k = np.searchsorted(edges, vehicles["speed"].to_numpy(dtype=np.float64), side="left")
    n_cls = len(SPEED_CLASS_EDGES)
    ok = (hour >= 0) & (hour < n_hours) & (d >= 0)
    flat = (hour[ok] * 2 + d[ok]) * n_cls + k[ok]
    counts = np.bincount(flat, minlength=n_hours * 2 * n_cls).reshape(n_hours * 2, n_cls)
    starts = pd.date_range(t0, periods=n_hours, freq="h")
    out = pd.DataFrame({"start": np.repeat(starts, 2), "direction": dirs * n_hours})
    for j, lo in enumerate(SPEED_CLASS_EDGES):
        out[lo] = counts[:, j]
    return out


def write_se_bins(vehicles: pd.DataFrame, path: Path | str, site_meta: dict,
                  start: pd.Timestamp, end: pd.Timestamp) -> int:
    """Write one site's vehicles as hourly speed-class counts (layout C, ``fixed+01:00``).

    Parameters
    ----------
    vehicles : DataFrame
        One site's canonical vehicles.
    path : Path or str
        Target file; ``.gz`` compresses.
    site_meta : dict
        ``site_id`` and ``street``.
    start, end : Timestamp
        Deployment bounds (whole hours).

    Returns
    -------
    int
        Number of vehicles counted in the file.
    """
    counts = bin_counts(vehicles, start, end)
    fixed = counts["start"] + pd.Timedelta(hours=1)  # Swedish normal time, UTC+01:00
    fmt = "%Y-%m-%d %H:%M"
    names = [f"{lo}-{hi}" for lo, hi in itertools.pairwise(SPEED_CLASS_EDGES)]
    names.append(f"{SPEED_CLASS_EDGES[-1]}-")
    frame = pd.DataFrame({
        "from": fixed.dt.strftime(fmt),
        "to": (fixed + pd.Timedelta(hours=1)).dt.strftime(fmt),
        "dir": counts["direction"],
    })
    for lo, name in zip(SPEED_CLASS_EDGES, names, strict=True):
        frame[name] = counts[lo]
    meta = [
        f"Mätplats-ID;{site_meta['site_id']}",
        f"Gata;{site_meta['street']}",
        "Tidszon;Normaltid (UTC+01:00) året runt",
        "Intervall;60 min",
        "Från;Till;Riktning;" + ";".join(names),
    ]
    text = "\n".join(meta) + "\n" + _csv_text(frame, ";", ",", "\n")
    write_bytes(path, ("\ufeff" + text).encode("utf-8"))
    return int(counts[list(SPEED_CLASS_EDGES)].to_numpy().sum())
