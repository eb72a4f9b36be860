"""Rows that arrive twice: the same vehicles or completed checks in two differently named files.

Exact copies of a file are caught by their hash, and counter files that
cover the same site, direction and time are refused as ambiguous
(:mod:`trafikplan.io.importing.overlaps`). One case of an overlap is not ambiguous:
the same counter period exported twice under two names (re-saved, other
line ends, another header), where the overlapping hours hold exactly the
same vehicles (site, time, direction, speed) in both files. Those vehicles
are counted once: they are taken out of the newer file's parts (the file
imported later, or the later by name when both are new), the manifest notes
how many (``repeats``: earlier file -> rows), and the import summary says
so in a line. The same completed checks (team, start, end, site, vehicles
checked, violations) in two ``checks_done`` files are likewise counted once
(:func:`checks_repeats` notes them, :func:`drop_repeated_checks` drops them
when the store is loaded).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from trafikplan.i18n import integer, text
from trafikplan.io.importing.overlaps import TOTAL, Overlap

__all__ = [
    "CHECK_KEYS",
    "PartWriter",
    "checks_repeats",
    "drop_repeated_checks",
    "repeated_lines",
    "resolve_same_vehicles",
]

CHECK_KEYS = ("team", "start", "end", "site_id", "vehicles_checked", "violations")
"""Columns that identify one completed check."""

PartWriter = Callable[..., dict[str, Any]]
"""``part(table, kind, file, seq, site_id=..., month=...)`` writes a part, returns its entry."""


def resolve_same_vehicles(found: Sequence[Overlap], files: dict[str, dict[str, Any]],
                          new: Collection[str], root: Any, part: PartWriter) -> list[Overlap]:
    """Count the same vehicles of two overlapping files once; return the overlaps left.

    Parameters
    ----------
    found : sequence of Overlap
        Overlaps between counter files (:func:`trafikplan.io.importing.overlaps.find_overlaps`).
    files : dict
        Manifest entries by file; the newer file's ``parts``, ``rows`` and
        ``repeats`` are updated in place.
    new : collection of str
        Files read in this import (only their parts are rewritten).
    root : Path
        The store folder (part paths are relative to it).
    part : callable
        Writes a rewritten part (the import's writer).

    Returns
    -------
    list of Overlap
        The overlaps that are not the same vehicles: still refused.
    """
    left = []
    for o in found:
        ea, eb = files[o.a], files[o.b]
        if o.a in eb.get("repeats", {}) or o.b in ea.get("repeats", {}):
            continue  # counted once by an earlier import
        newer = o.b if o.b in new else o.a if o.a in new else None
        if (ea.get("kind") != "vehicles" or eb.get("kind") != "vehicles" or newer is None
                or TOTAL in (o.direction_a, o.direction_b)):
            left.append(o)
            continue
        older = o.a if newer == o.b else o.b
        windows = _windows(files[o.a], files[o.b])
        if any(d == TOTAL for _, d, _, _ in windows) or not all(
                _same(root, files[older], files[newer], *w) for w in windows):
            left.append(o)
            continue
        removed = sum(_drop(root, files[newer], newer, *w, part) for w in windows)
        files[newer]["rows"] = int(files[newer]["rows"]) - removed
        repeats = files[newer].setdefault("repeats", {})
        repeats[older] = int(repeats.get(older, 0)) + removed
    return left


def _windows(ea: dict[str, Any], eb: dict[str, Any]) -> list[tuple[str, str, pa.Scalar,
                                                                   pa.Scalar]]:
    """Every site, direction and time span two files both cover (UTC, inclusive)."""
    out = []
    for site, da, a0, a1 in ea.get("coverage", ()):
        for site_b, db, b0, b1 in eb.get("coverage", ()):
            if site_b != site or (da != db and TOTAL not in (da, db)):
                continue
            lo, hi = max(pd.Timestamp(a0), pd.Timestamp(b0)), min(pd.Timestamp(a1),
                                                                  pd.Timestamp(b1))
            if lo <= hi:
                out.append((site, TOTAL if TOTAL in (da, db) else da,
                            pa.scalar(lo.value, pa.timestamp("ns", "UTC")),
                            pa.scalar(hi.value, pa.timestamp("ns", "UTC"))))
    return out


def _same(root: Any, older: dict[str, Any], newer: dict[str, Any], site: str, direction: str,
          lo: pa.Scalar, hi: pa.Scalar) -> bool:
    """Tell whether both files hold exactly the same vehicles in a window (and some)."""
    mine = _keys(root, newer, site, direction, lo, hi)
    return len(mine) > 0 and mine.equals(_keys(root, older, site, direction, lo, hi))


def _window(table: pa.Table, direction: str, lo: pa.Scalar, hi: pa.Scalar) -> pa.Array:
    """Mask of the rows of ``direction`` with ``lo <= time <= hi``."""
    return pc.and_(pc.equal(table.column("direction").cast(pa.string()), direction),
                   pc.and_(pc.greater_equal(table.column("time"), lo),
                           pc.less_equal(table.column("time"), hi)))


def _site_parts(entry: dict[str, Any], site: str) -> list[dict[str, Any]]:
    return [p for p in entry.get("parts", [])
            if p["table"] == "vehicles" and p.get("site_id") == site]


def _keys(root: Any, entry: dict[str, Any], site: str, direction: str,
          lo: pa.Scalar, hi: pa.Scalar) -> pd.DataFrame:
    """Sorted ``time, speed`` of one file's vehicles at a site, direction and time window."""
    frames = []
    for p in _site_parts(entry, site):
        t = pq.read_table(root / p["path"], columns=["time", "direction", "speed"])
        frames.append(t.filter(_window(t, direction, lo, hi)).select(["time", "speed"])
                      .to_pandas())
    if not frames:
        return pd.DataFrame({"time": [], "speed": []})
    keys = pd.concat(frames, ignore_index=True)
    return keys.sort_values(["time", "speed"], ignore_index=True)


def _drop(root: Any, entry: dict[str, Any], name: str, site: str, direction: str,
          lo: pa.Scalar, hi: pa.Scalar, part: PartWriter) -> int:
    """Rewrite ``entry``'s parts at ``site`` without the window's vehicles; return how many."""
    removed = 0
    for p in _site_parts(entry, site):
        table = pq.read_table(root / p["path"])
        drop = _window(table, direction, lo, hi)
        n = pc.sum(drop).as_py() or 0
        if not n:
            continue
        removed += n
        entry["parts"].remove(p)
        kept = table.filter(pc.invert(drop))
        if kept.num_rows:
            seq = 100_000 + len(entry["parts"]) + removed  # unique beside the file's own parts
            entry["parts"].append(part(kept, "vehicles", name, seq, site_id=site,
                                       month=p["month"]))
    return removed


def checks_repeats(files: dict[str, dict[str, Any]], root: Any) -> None:
    """Note in each ``checks_done`` entry how many of its checks an earlier file already holds.

    Files are taken in name order (the order the store is read in); the counts
    go to ``repeats`` (earlier file -> checks) of the later file.
    """
    seen: dict[tuple[Any, ...], str] = {}
    for name, entry in sorted(files.items()):
        if entry.get("kind") != "checks_done":
            continue
        entry.pop("repeats", None)
        for p in entry.get("parts", []):
            if p["table"] != "checks_done":
                continue
            df = pq.read_table(root / p["path"]).to_pandas()
            cols = [c for c in CHECK_KEYS if c in df.columns]
            for key in df[cols].astype(str).itertuples(index=False, name=None):
                first = seen.setdefault(key, name)
                if first != name:
                    repeats = entry.setdefault("repeats", {})
                    repeats[first] = int(repeats.get(first, 0)) + 1


def drop_repeated_checks(checks: pd.DataFrame) -> pd.DataFrame:
    """Drop the completed checks an earlier file (by name: the order read) already holds."""
    cols = [c for c in CHECK_KEYS if c in checks.columns]
    if checks.empty or not cols or "source" not in checks.columns:
        return checks
    keys = checks[cols].astype(object).where(checks[cols].notna(), "").astype(str)
    keys["source"] = checks["source"].astype(str)
    first = keys.groupby(cols, sort=False)["source"].transform("first")
    return checks[(keys["source"] == first).to_numpy()]


def repeated_lines(files: dict[str, dict[str, Any]], language: str = "en") -> list[str]:
    """One line per file with rows another file already held (import summary, ``language``)."""
    lines = []
    for name, entry in sorted(files.items()):
        key = ("warn_repeated_checks" if entry.get("kind") == "checks_done"
               else "warn_repeated_vehicles")
        for earlier, n in sorted(entry.get("repeats", {}).items()):
            lines.append(text(key, language, n=integer(n, language), name=name,
                              earlier=earlier))
    return lines
