"""Counter files that cover the same site, direction and time: refused, never summed.

A count is often delivered more than once: the total and each direction as
separate exports of one count, the same week exported twice with different
settings, a colleague's copy re-saved. Exact copies are caught by their hash
(:mod:`trafikplan.io.importing.importer`); this module catches the rest. For every
counter file the import notes its **coverage**: per site and direction the
first and last time it holds (vehicles: passages; bins: interval start and
end). Two files of the same kind (``vehicles`` or ``bins``) overlap when
they share a site, their directions are the same (or one of them is ``all``:
a total next to a per-direction file) and their time spans intersect.

An overlap stops the import naming both files, the site, the directions and
the overlapping time; nothing is written. The user says what to do in
``DATA_DIR/choices.toml``::

    # files that stay in counters/ but are not imported
    skip = ["counters/M1_total.csv"]

    # files that count different vehicles at one site (two lanes, two
    # counters): their counts are added, as they should be
    add = [["counters/M1_lane1.csv", "counters/M1_lane2.csv"]]

A per-vehicle and a binned file of one site may overlap: the statistics
already use the vehicles where both exist (:func:`trafikplan.stats.binned.binned_stats`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from trafikplan._errors import InputError
from trafikplan.i18n.phrase import Phrase
from trafikplan.settings import read_toml

__all__ = [
    "CHOICES_FILE",
    "TOTAL",
    "Choices",
    "Overlap",
    "as_json",
    "coverage",
    "find_overlaps",
    "load_choices",
    "merge",
    "overlap_error",
]

CHOICES_FILE = "choices.toml"
"""The user's choices about overlapping files, in the data folder."""

TOTAL = "all"
"""Direction label of a count of both directions together."""


@dataclass(frozen=True)
class Choices:
    """What the user decided in ``choices.toml``.

    Attributes
    ----------
    skip : frozenset of str
        Raw files (relative to the data folder) not to import.
    add : tuple of frozenset of str
        Groups of files whose counts are meant to be added.
    """

    skip: frozenset[str] = frozenset()
    add: tuple[frozenset[str], ...] = ()

    def added(self, a: str, b: str) -> bool:
        """Tell whether the user said ``a`` and ``b`` count different vehicles."""
        return any(a in group and b in group for group in self.add)


def load_choices(data_dir: Path) -> Choices:
    """Read ``DATA_DIR/choices.toml`` (no file: no choices).

    Raises
    ------
    InputError
        Broken TOML, an unknown key, or a value of the wrong shape.
    """
    path = Path(data_dir) / CHOICES_FILE
    if not path.is_file():
        return Choices()
    raw = read_toml(path)
    unknown = set(raw) - {"skip", "add"}
    if unknown:
        raise InputError("err_choices_key", key=sorted(unknown)[0], path=path)
    skip = raw.get("skip", [])
    add = raw.get("add", [])
    if not isinstance(skip, list) or not all(isinstance(s, str) for s in skip):
        raise InputError("err_choices_skip", path=path, column="skip")
    if not isinstance(add, list) or not all(
            isinstance(g, list) and all(isinstance(s, str) for s in g) for g in add):
        raise InputError("err_choices_add", path=path, column="add")
    return Choices(frozenset(_norm(s) for s in skip),
                   tuple(frozenset(_norm(s) for s in g) for g in add))


def _norm(name: str) -> str:
    return name.replace("\\", "/").removeprefix("./")


def coverage(table: pa.Table, kind: str) -> dict[tuple[str, str], tuple[int, int]]:
    """First and last time per site and direction of one chunk [ns since epoch, UTC].

    Parameters
    ----------
    table : pyarrow Table
        Canonical vehicles (``time``) or bins (``start``, ``end``).
    kind : str
        ``"vehicles"`` or ``"bins"``.
    """
    if table.num_rows == 0:
        return {}
    first_col, last_col = ("time", "time") if kind == "vehicles" else ("start", "end")
    keys = pa.table({
        "site_id": _plain(table.column("site_id")),
        "direction": _plain(table.column("direction")),
        "first": table.column(first_col).cast(pa.int64()),
        "last": table.column(last_col).cast(pa.int64()),
    })
    agg = keys.group_by(["site_id", "direction"]).aggregate(
        [("first", "min"), ("last", "max")]).to_pydict()
    return {(s, d): (a, b) for s, d, a, b in zip(
        agg["site_id"], agg["direction"], agg["first_min"], agg["last_max"], strict=True)}


def _plain(arr: pa.ChunkedArray | pa.Array) -> pa.Array | pa.ChunkedArray:
    """Text keys as they come (dictionary arrays are grouped without decoding them)."""
    if isinstance(arr, pa.ChunkedArray) and pa.types.is_dictionary(arr.type):
        return arr.unify_dictionaries()
    return arr


def merge(into: dict[tuple[str, str], tuple[int, int]],
          more: Mapping[tuple[str, str], tuple[int, int]]) -> None:
    """Widen ``into`` by the spans of ``more`` (chunks of one file)."""
    for key, (a, b) in more.items():
        if key in into:
            a, b = min(a, into[key][0]), max(b, into[key][1])
        into[key] = (a, b)


def as_json(cov: Mapping[tuple[str, str], tuple[int, int]]) -> list[list[Any]]:
    """Coverage as JSON-able rows ``[site, direction, first ISO, last ISO]``."""
    return [[s, d, pd.Timestamp(a, tz="UTC").isoformat(), pd.Timestamp(b, tz="UTC").isoformat()]
            for (s, d), (a, b) in sorted(cov.items())]


@dataclass(frozen=True)
class Overlap:
    """Two files that cover the same site, direction and time.

    Attributes
    ----------
    a, b : str
        The files (relative to the data folder), ``a`` before ``b`` by name.
    site_id : str
    direction_a, direction_b : str
        Their directions (one of them ``all`` for a total next to a direction).
    start, end : Timestamp [UTC]
        The time both cover.
    """

    a: str
    b: str
    site_id: str
    direction_a: str
    direction_b: str
    start: pd.Timestamp
    end: pd.Timestamp

    @property
    def total(self) -> bool:
        """One file counts both directions together, the other one direction."""
        return (self.direction_a == TOTAL) != (self.direction_b == TOTAL)


def find_overlaps(files: Mapping[str, Mapping[str, Any]], choices: Choices) -> list[Overlap]:
    """Overlaps between counter files of the manifest (one per pair of files).

    Parameters
    ----------
    files : mapping
        Manifest entries by file; counter entries carry ``kind`` and
        ``coverage`` rows (:func:`as_json`).
    choices : Choices
        Pairs the user declared as counting different vehicles are skipped.
    """
    names: dict[str, set[str]] = {n: {n} for n in files}  # a file and its exact copies
    for name, entry in files.items():
        if entry.get("duplicate_of") in names:
            names[entry["duplicate_of"]].add(name)
    spans: dict[tuple[str, str], list[tuple[str, str, pd.Timestamp, pd.Timestamp]]] = {}
    for name, entry in sorted(files.items()):
        for site, direction, first, last in entry.get("coverage", ()):
            spans.setdefault((entry["kind"], site), []).append(
                (name, direction, pd.Timestamp(first), pd.Timestamp(last)))
    found: dict[tuple[str, str], Overlap] = {}
    for (_, site), items in sorted(spans.items()):
        for (fa, da, a0, a1), (fb, db, b0, b1) in itertools.combinations(items, 2):
            if fa == fb or (fa, fb) in found or any(
                    choices.added(a, b) for a in names[fa] for b in names[fb]):
                continue
            if da != db and TOTAL not in (da, db):
                continue
            start, end = max(a0, b0), min(a1, b1)
            if start < end:
                found[(fa, fb)] = Overlap(fa, fb, site, da, db, start, end)
    return list(found.values())


def overlap_error(overlaps: Iterable[Overlap], tz: str, data_dir: Path) -> InputError:
    """Return the one-line error naming the first overlap, both files and how to choose."""
    items = list(overlaps)
    o = items[0]
    fmt = "%Y-%m-%d %H:%M"
    span = Phrase("err_overlap_span", start=o.start.tz_convert(tz).strftime(fmt),
                  end=o.end.tz_convert(tz).strftime(fmt))
    if o.total:
        whole, part = (o.a, o.b) if o.direction_a == TOTAL else (o.b, o.a)
        what = Phrase("err_overlap_total", whole=whole, part=part,
                      direction=o.direction_b if whole == o.a else o.direction_a)
        keep = Phrase("err_overlap_keep_dirs", whole=whole)
    else:
        what = Phrase("err_overlap_both", a=o.a, b=o.b, direction=o.direction_a)
        keep = Phrase("err_overlap_keep", a=o.a, b=o.b)
    more: Phrase | str = Phrase("err_overlap_more", n=len(items) - 1) if len(items) > 1 else ""
    return InputError(
        "err_overlap", what=what, site=o.site_id, span=span, more=more, choices=CHOICES_FILE,
        keep=keep,
        path=data_dir / o.b)
