"""Writing an import's Parquet parts in the background, and taking them back.

A chunk of a counter file is split into its (site, UTC month) parts
(:func:`split_by_site_month`); :class:`PartWriter` writes them under new names
in one background thread while the next chunk is read, and deletes every part
it wrote when the import fails (:mod:`trafikplan.io.importing.importer`).
"""

from __future__ import annotations

import contextlib
import hashlib
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from trafikplan.io.store.store import Store

__all__ = ["PENDING", "PartWriter", "split_by_site_month"]


class PartWriter:
    """Writes the parts of one import and can take them all back.

    Parts are written by one background thread (Parquet encoding releases the
    GIL), so writing a chunk overlaps with reading the next one; parts of at
    most ``max_rows`` rows wait (:data:`PENDING` chunks), which keeps memory
    bounded by the chunk size.
    """

    def __init__(self, store: Store, commit_id: str, max_rows: int) -> None:
        self.store = store
        self.commit_id = commit_id
        self.written: list[Path] = []
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="trafikplan-write")
        self._pending: deque[tuple[Future[None], int]] = deque()
        self._pending_rows = 0
        self._max_rows = max_rows

    def part(
        self, df: pd.DataFrame | pa.Table, table: str, name: str, seq: int, **where: str
    ) -> dict[str, Any]:
        """Queue one part of raw file ``name`` for writing; return its manifest record."""
        folder = self.store.part_dir(table, where.get("site_id"), where.get("month"))
        key = hashlib.sha256(name.encode()).hexdigest()[:16]  # the raw file's name
        rel = (folder / f"{key}-{self.commit_id}-{seq}.parquet").relative_to(self.store.root)
        self.written.append(self.store.root / rel)
        while self._pending and self._pending_rows + len(df) > self._max_rows:
            self._wait_one()
        self._pending.append((self._pool.submit(self.store.write_part, df, rel.as_posix()),
                              len(df)))
        self._pending_rows += len(df)
        record = {"path": rel.as_posix(), "table": table, "rows": len(df), **where}
        if table == "bins":  # the vehicles its rows count: one vehicle total everywhere
            counts = df["count"]
            total = counts.sum() if isinstance(df, pd.DataFrame) else pc.sum(counts).as_py()
            record["vehicles"] = int(total or 0)
        return record

    def part_now(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """:meth:`part`, on disk when it returns (it is read again soon)."""
        entry = self.part(*args, **kwargs)
        self.flush()
        return entry

    def flush(self) -> None:
        """Wait until every part is on disk; raise the first write error."""
        while self._pending:
            self._wait_one()

    def _wait_one(self) -> None:
        future, rows = self._pending.popleft()
        self._pending_rows -= rows
        future.result()

    def rollback(self) -> None:
        """Wait for the writes under way, then delete every part this import wrote."""
        for future, _ in self._pending:
            with contextlib.suppress(BaseException):
                future.result()
        self._pending.clear()
        self._pending_rows = 0
        for path in self.written:
            path.unlink(missing_ok=True)
        self.written.clear()

    def close(self) -> None:
        """Stop the writing thread (after the writes under way)."""
        self._pool.shutdown(wait=True)


PENDING = 2
"""Chunks waiting to be written at most, counted in rows (memory: two chunks' tables)."""


def split_by_site_month(table: pa.Table, kind: str) -> list[tuple[str, str, pa.Table]]:
    """Split a chunk into its (site, UTC month) parts, rows in file order within each.

    Vectorised per record batch (one per parsed block, so nothing is
    concatenated first): integer site and month codes, and one stable argsort
    and gather per batch, skipped when the batch is already in site and month
    order (a one-site file). Parts come in site, then month order.
    """
    tcol = "time" if kind == "vehicles" else "start"
    if not pa.types.is_dictionary(table.schema.field("site_id").type):
        table = table.set_column(table.schema.get_field_index("site_id"), "site_id",
                                 pc.dictionary_encode(table.column("site_id")))
    pieces: dict[tuple[str, int], list[pa.RecordBatch]] = {}
    for batch in table.to_batches():
        if batch.num_rows == 0:
            continue
        ns = batch.column(tcol).cast(pa.int64())
        # month number by a lookup in the few month starts the batch spans
        span = pc.min_max(ns)
        first, last = np.array([span["min"].as_py(), span["max"].as_py()]).view(
            "datetime64[ns]").astype("datetime64[M]")
        bounds = np.arange(first + 1, last + 1).astype("datetime64[ns]").astype(np.int64)
        site = batch.column("site_id")
        labels = site.dictionary.to_pylist()
        rank = np.argsort(np.argsort(np.array(labels, dtype=object)))
        # few distinct keys: 16 bits, and a 16-bit stable sort is a radix sort
        code = np.int16 if len(labels) * (len(bounds) + 1) < 2**15 else np.int64
        key = rank.astype(code)[site.indices.to_numpy(zero_copy_only=False)]
        if len(bounds):
            month = np.searchsorted(bounds, ns.to_numpy(), side="right").astype(code)
            key = key * code(len(bounds) + 1) + month
        if len(key) > 1 and bool((key[1:] < key[:-1]).any()):
            order = np.argsort(key, kind="stable")
            key = key[order]
            batch = batch.take(pa.array(order))  # one gather; the parts are slices of it
        starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
        by_rank = sorted(labels)
        mon0 = int(first.astype(np.int64))
        for a, b in zip(starts, np.r_[starts[1:], len(key)], strict=True):
            k = int(key[a])
            where = (str(by_rank[k // (len(bounds) + 1)]), mon0 + k % (len(bounds) + 1))
            pieces.setdefault(where, []).append(batch.slice(a, b - a))
    return [
        (site, str(np.datetime64(mon, "M")), pa.Table.from_batches(batches))
        for (site, mon), batches in sorted(pieces.items())
    ]
