"""The derived store ``DATA_DIR/.trafikplan/``: Parquet parts, a manifest, a lock.

Layout::

    .trafikplan/
      manifest.json          the committed state: raw files, their hashes and parts
      lock                   advisory lock (portalocker) shared by readers, exclusive for commits
      sweep-pending          present while parts may exist that no manifest names
      tables/vehicles/<site>/<YYYY-MM>/<file>-<commit>-<n>.parquet
      tables/bins/<site>/<YYYY-MM>/...
      tables/reports/<file>-<commit>-<n>.parquet
      tables/rejects/<file>-<commit>-<n>.parquet

``<file>`` is the start of the SHA-256 of the raw file's name, ``<commit>``
the import's id, ``<n>`` the part's number. Only parts named in
``manifest.json`` are ever read, so a part that a crash
left half-written (it would still carry its temporary name) or orphaned (not
yet in the manifest) is never seen. A commit writes every new part under a
new name first, then replaces the manifest atomically (``os.replace``), then
deletes the parts no manifest names any more. Vehicles and bins are
partitioned by site and UTC month, so statistics over a few sites or a
period read only those files (the manifest lists each part's site and month).

The whole store can be deleted at any time; the next import rebuilds it from
the raw files.

The store's parts are read by :mod:`trafikplan.io.store.read`; a data folder
is opened (new raw files imported first) by :func:`trafikplan.io.loading.load`,
into :class:`~trafikplan.io.store.tables.Tables`.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import pandas as pd

from trafikplan._errors import LockTimeoutError, ReadOnlyStoreError
from trafikplan.io.files.atomic import atomic_path, sweep_temp_files, write_bytes, write_text
from trafikplan.io.files.safe_text import safe_slug

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "CATEGORICAL",
    "PARTITIONED",
    "STORE_DIR",
    "STORE_FORMAT",
    "Store",
    "empty_manifest",
    "say_waiting",
]

STORE_DIR = ".trafikplan"
STORE_FORMAT = 1
"""Bumped when the layout of the store changes (forces a rebuild)."""

PARTITIONED = ("vehicles", "bins")
"""Tables partitioned by site and month."""

CATEGORICAL = {
    "vehicles": ("site_id", "direction", "vehicle_class", "source"),
    "bins": ("site_id", "direction", "source"),
}
"""Low-cardinality text columns loaded as pandas categoricals (memory)."""


class Store:
    """The store of one data folder.

    Parameters
    ----------
    data_dir : Path
        The data folder.
    """

    def __init__(self, data_dir: Path | str) -> None:
        self.data_dir = Path(data_dir)
        self.root = self.data_dir / STORE_DIR
        self.manifest_path = self.root / "manifest.json"
        self.lock_path = self.root / "lock"

    # -- manifest -------------------------------------------------------------
    def read_manifest(self) -> dict[str, Any]:
        """Return the committed manifest (an empty one when there is no store)."""
        try:
            text = self.manifest_path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return empty_manifest()
        try:
            manifest = json.loads(text)
        except json.JSONDecodeError:
            # Never written non-atomically, so this is outside damage: rebuild.
            return empty_manifest()
        if manifest.get("format") != STORE_FORMAT:
            return empty_manifest()
        return manifest

    # -- locking --------------------------------------------------------------
    @contextlib.contextmanager
    def lock(
        self,
        *,
        exclusive: bool,
        timeout_s: float = 600.0,
        on_wait: Callable[[str], None] | None = None,
    ) -> Iterator[None]:
        """Hold the store's lock (shared for reading, exclusive for a commit).

        The lock is an advisory lock on the file ``lock`` (``portalocker``:
        ``flock`` on POSIX, ``LockFileEx`` on Windows). A reader in a folder it
        cannot write (a read-only shared drive) takes a shared lock on an
        existing lock file opened for reading, or reads without a lock when
        there is none: nobody can import into such a folder from this machine.

        Parameters
        ----------
        exclusive : bool
            True for a commit, False for reading.
        timeout_s : float [s]
            Give up after this long with :class:`LockTimeoutError`.
        on_wait : callable, optional
            Called once with a message when the lock is busy.

        Raises
        ------
        ReadOnlyStoreError
            ``exclusive`` in a folder that cannot be written.
        """
        import portalocker  # imported here: it needs fcntl (POSIX) or pywin32 (Windows)

        fh = self._open_lock_file(exclusive)
        if fh is None:
            yield
            return
        flags = portalocker.LOCK_EX if exclusive else portalocker.LOCK_SH
        deadline = time.monotonic() + timeout_s
        told = False
        try:
            while True:
                try:
                    portalocker.lock(fh, flags | portalocker.LOCK_NB)
                    break
                except portalocker.exceptions.LockException:
                    if not told and on_wait is not None:
                        on_wait(
                            f"{self.data_dir}: another trafikplan process is importing; waiting "
                            f"(up to {timeout_s:.0f} s)"
                        )
                        told = True
                    if time.monotonic() > deadline:
                        raise LockTimeoutError(
                            f"{self.data_dir}: another trafikplan process has held the store "
                            f"for over {timeout_s:.0f} s; try again when it has finished"
                        ) from None
                    time.sleep(0.1)
            yield
        finally:
            with contextlib.suppress(Exception):
                portalocker.unlock(fh)
            fh.close()

    def _open_lock_file(self, exclusive: bool) -> IO[bytes] | None:
        """Open (creating) the lock file; None for a reader of a read-only folder."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0),
                         0o600)
            return os.fdopen(fd, "r+b")
        except OSError as exc:
            if exc.errno not in _READ_ONLY:
                raise
            if exclusive:
                raise ReadOnlyStoreError(
                    f"{self.data_dir}: the data folder is read-only ({exc.strerror}); new or "
                    "changed raw files cannot be imported here. Hint: import on a copy you "
                    "can write, or ask for write access") from None
        try:
            return open(self.lock_path, "rb")  # closed by lock()
        except OSError:
            return None  # no store or no lock file: nothing to wait for

    # -- parts ----------------------------------------------------------------
    def part_dir(self, table: str, site_id: str | None = None, month: str | None = None) -> Path:
        """Folder of a table's parts (per site and month for partitioned tables).

        The site's folder is :func:`trafikplan.io.files.safe_text.safe_slug` of its
        id (``..`` or a 120-character id never leaves or breaks the store).
        """
        base = self.root / "tables" / table
        if site_id is None:
            return base
        return base / safe_slug(str(site_id)) / str(month)

    def write_part(self, df: pd.DataFrame, rel: str) -> None:
        """Write one Parquet part at ``rel`` (relative to the store) atomically."""
        with atomic_path(self.root / rel) as tmp:
            _write_parquet(df, tmp)

    # -- commit and sweep -----------------------------------------------------
    @property
    def sweep_pending(self) -> bool:
        """True when an import wrote parts and no sweep has finished since (a kill)."""
        return (self.root / _DIRTY).exists()

    def begin(self) -> None:
        """Note that parts are about to be written (call with the exclusive lock held).

        The note stays until :meth:`commit` (or :meth:`sweep`) has removed every
        part no manifest names, so a sweep a kill cut short is finished by the
        next import, even one with nothing to import.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        write_bytes(self.root / _DIRTY, b"")

    def commit(self, manifest: dict[str, Any]) -> None:
        """Make ``manifest`` the committed state, then delete unreferenced parts.

        Call with the exclusive lock held, after every part it names is written.
        """
        self.begin()
        self.publish(manifest)
        self.sweep(manifest)

    def publish(self, manifest: dict[str, Any]) -> None:
        """Replace the manifest atomically (fsync'ed); its parts must be on disk already."""
        write_text(self.manifest_path, json.dumps(manifest, indent=1, sort_keys=True,
                                                  default=str))

    def sweep(self, manifest: dict[str, Any]) -> None:
        """Delete every part and temporary file ``manifest`` does not name.

        Call with the exclusive lock held. Idempotent: a kill half-way leaves
        the pending note, and the next import sweeps again.
        """
        keep = {p["path"] for f in manifest["files"].values() for p in f.get("parts", [])}
        sweep_temp_files(self.root)  # a manifest or part a kill cut short
        tables = self.root / "tables"
        if tables.exists():
            for path in tables.rglob("*"):
                if path.is_file() and path.relative_to(self.root).as_posix() not in keep:
                    path.unlink(missing_ok=True)
            for path in sorted(tables.rglob("*"), key=lambda p: len(p.parts), reverse=True):
                if path.is_dir():
                    with contextlib.suppress(OSError):
                        path.rmdir()
        self.end()

    def end(self) -> None:
        """Take back the note of :meth:`begin`: no part outside the manifest is left."""
        (self.root / _DIRTY).unlink(missing_ok=True)


_DIRTY = "sweep-pending"
"""File in the store while parts may exist that no manifest names."""

_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}
"""``errno`` of a folder that cannot be written."""


def _write_parquet(df: pd.DataFrame | pa.Table, path: Path) -> None:
    """Write a table as Parquet: LZ4, dictionary encoding but for the delta-encoded columns.

    Line numbers and times, ascending within a part, are delta-encoded (cheap,
    and a quarter of the plain size). Every other column is dictionary-encoded:
    measured speeds and lengths have few distinct values (one decimal), so
    their dictionary pages are smaller and faster to write and read than
    LZ4-compressed plain floats (a column with too many values falls back to
    plain by itself). The record batches of a part share one dictionary per
    text column (else Parquet falls back to hashing every string of the
    batches after the first). Columns without nulls are stored as required (no
    definition levels to write or read). Statistics only for the time columns
    (nothing filters on the others).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = df if isinstance(df, pa.Table) else pa.Table.from_pandas(df, preserve_index=False)
    table = table.unify_dictionaries().cast(pa.schema(
        [f.with_nullable(table.column(i).null_count > 0) for i, f in enumerate(table.schema)],
        metadata=table.schema.metadata))
    delta = {f.name: "DELTA_BINARY_PACKED" for f in table.schema
             if f.name in _DELTA and (pa.types.is_integer(f.type) or pa.types.is_timestamp(f.type))}
    encoded = [f.name for f in table.schema if f.name not in delta]
    stats = [f.name for f in table.schema if pa.types.is_timestamp(f.type)]
    pq.write_table(table, path, compression="lz4", use_dictionary=encoded or False,
                   column_encoding=delta or None, write_statistics=stats or False)


_DELTA = ("line", "time", "start", "end")
"""Integer and time columns stored delta-encoded."""


def say_waiting(message: str) -> None:
    """Tell the user on stderr (one line) that the store is busy and we wait."""
    print(f"trafikplan: {message}", file=sys.stderr, flush=True)


def empty_manifest() -> dict[str, Any]:
    """Return the manifest of an empty store."""
    return {"format": STORE_FORMAT, "fingerprint": None, "files": {}}
