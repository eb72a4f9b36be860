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
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import pandas as pd

from trafikplan import columns
from trafikplan._errors import InputError, LockTimeoutError, ReadOnlyStoreError
from trafikplan.io.files import atomic_path, sweep_temp_files, write_bytes, write_text
from trafikplan.io.repeats import drop_repeated_checks
from trafikplan.io.safe_text import safe_slug
from trafikplan.io.textfile import use_limits
from trafikplan.settings import Settings, load_settings

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "CATEGORICAL",
    "PARTITIONED",
    "STORE_DIR",
    "STORE_FORMAT",
    "Scan",
    "SiteParts",
    "Store",
    "Tables",
    "empty_manifest",
    "imports_table",
    "load",
    "read_paths",
    "read_site",
    "say_waiting",
    "scan",
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

        The site's folder is :func:`trafikplan.io.safe_text.safe_slug` of its
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


@dataclass
class Tables:
    """The canonical tables of a data folder (see :mod:`trafikplan.columns`).

    Attributes
    ----------
    data_dir : Path
        The data folder.
    settings : Settings
        Its ``trafikplan.toml``.
    sites, vehicles, bins, reports, rejects, checks_done : DataFrame
        Canonical tables; times UTC.
    imports : DataFrame
        One row per imported raw file: ``file, sha256, profile, kind, rows,
        rejected, first, last, imported_at``.
    """

    data_dir: Path
    settings: Settings
    sites: pd.DataFrame
    vehicles: pd.DataFrame
    bins: pd.DataFrame
    reports: pd.DataFrame
    rejects: pd.DataFrame
    imports: pd.DataFrame
    checks_done: pd.DataFrame = dataclasses.field(
        default_factory=lambda: columns.empty("checks_done")
    )


def _months(start: pd.Timestamp | None, end: pd.Timestamp | None) -> set[str] | None:
    if start is None and end is None:
        return None
    lo = (start or pd.Timestamp("1970-01-01", tz="UTC")).tz_convert("UTC")
    hi = (end or pd.Timestamp("2100-01-01", tz="UTC")).tz_convert("UTC")
    return {
        p.strftime("%Y-%m")
        for p in pd.period_range(lo.tz_localize(None), hi.tz_localize(None), freq="M")
    }


def _part_paths(
    store: Store,
    manifest: dict[str, Any],
    table: str,
    *,
    sites: set[str] | None,
    months: set[str] | None,
) -> list[tuple[str | None, Path, int]]:
    """``(site_id, path, rows)`` of the committed parts of ``table`` that may hold rows wanted."""
    return [
        (part.get("site_id"), store.root / part["path"], int(part.get("rows", 0)))
        for name in sorted(manifest["files"])
        for part in manifest["files"][name].get("parts", [])
        if part["table"] == table
        and (sites is None or part.get("site_id") is None or part["site_id"] in sites)
        and (months is None or part.get("month") is None or part["month"] in months)
    ]


def read_paths(paths: Sequence[Path | str], table: str) -> pd.DataFrame:
    """Read Parquet parts of ``table`` into one DataFrame (text columns as categoricals).

    Parameters
    ----------
    paths : sequence of Path or str
        Part files (as :func:`scan` lists them).
    table : str
        ``"vehicles"``, ``"bins"``, ``"reports"`` or ``"rejects"``.

    Returns
    -------
    DataFrame
        The columns of :mod:`trafikplan.columns` for ``table``; the low-cardinality
        text columns of :data:`CATEGORICAL` as pandas categoricals.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not paths:
        return columns.empty(table)
    arrow = pa.concat_tables(_same_codes([pq.read_table(p) for p in paths]),
                             promote_options="default")
    # Dictionary columns become categoricals directly (no 10^7 Python strings).
    df = arrow.to_pandas(strings_to_categorical=False)
    for col in CATEGORICAL.get(table, ()):
        if col in df.columns and not isinstance(df[col].dtype, pd.CategoricalDtype):
            df[col] = df[col].astype("category")
    return df


def _same_codes(tables: list[pa.Table]) -> list[pa.Table]:
    """Give each dictionary column the narrowest code type that fits it in every table.

    Parts written by different versions (8-bit codes from pandas, 32-bit from
    Arrow) then concatenate, and hold no wider codes than needed.
    """
    import pyarrow as pa

    sizes: dict[str, int] = {}
    for table in tables:
        for i, f in enumerate(table.schema):
            if pa.types.is_dictionary(f.type):
                longest = max((len(c.dictionary) for c in table.column(i).chunks), default=0)
                sizes[f.name] = max(sizes.get(f.name, 0), longest)
    out = []
    for table in tables:
        for name, size in sizes.items():
            i = table.schema.get_field_index(name)
            if i < 0:
                continue
            f = table.schema.field(i)
            codes = pa.int8() if size < 2**7 else pa.int16() if size < 2**15 else pa.int32()
            if pa.types.is_dictionary(f.type) and f.type.index_type != codes:
                table = table.set_column(i, name, table.column(i).cast(
                    pa.dictionary(codes, f.type.value_type)))
        out.append(table)
    return out


def _read_parts(
    store: Store,
    manifest: dict[str, Any],
    table: str,
    *,
    sites: set[str] | None,
    months: set[str] | None,
) -> pd.DataFrame:
    paths = [p for _, p, _ in _part_paths(store, manifest, table, sites=sites, months=months)]
    return read_paths(paths, table)


def _bounds(
    settings: Settings, start: date | str | None, end: date | str | None
) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """UTC instants of the first local date's start and the day after the last local date."""
    tz = settings.tz
    lo = None if start is None else pd.Timestamp(str(start)).tz_localize(tz).tz_convert("UTC")
    hi = (
        None
        if end is None
        else ((pd.Timestamp(str(end)) + timedelta(days=1)).tz_localize(tz).tz_convert("UTC"))
    )
    return lo, hi


def _check_sites(
    data_dir: Path, site_table: pd.DataFrame, sites: Iterable[str] | None
) -> set[str] | None:
    wanted = None if sites is None else {str(s) for s in sites}
    if wanted is not None:
        unknown = sorted(wanted - set(site_table["site_id"]))
        if unknown:
            raise InputError(
                "err_unknown_site_store", site=unknown[0], known=", ".join(site_table["site_id"]),
                path=data_dir / "sites.csv",
            )
    return wanted


@dataclass(frozen=True)
class SiteParts:
    """The committed parts of one site: the unit of work of a distributed engine.

    Attributes
    ----------
    site_id : str
        The site.
    vehicles, bins : tuple of str
        Absolute paths of its vehicles and bins parts (only the months wanted).
    rows : int
        Rows in those parts (before the date filter), for balancing work.
    """

    site_id: str
    vehicles: tuple[str, ...]
    bins: tuple[str, ...]
    rows: int


@dataclass(frozen=True)
class Scan:
    """What :func:`scan` found: the parts to read, per site, without reading them.

    Attributes
    ----------
    data_dir : Path
        The data folder.
    settings : Settings
        Its ``trafikplan.toml``.
    sites : DataFrame
        The canonical sites table.
    parts : list of SiteParts
        One entry per site with data, largest first.
    lo, hi : Timestamp or None
        UTC bounds of the period (``lo <= time < hi``); None when open.
    """

    data_dir: Path
    settings: Settings
    sites: pd.DataFrame
    parts: list[SiteParts]
    lo: pd.Timestamp | None
    hi: pd.Timestamp | None


def _open(
    data_dir: Path,
    sites: Iterable[str] | None,
    start: date | str | None,
    end: date | str | None,
    import_new: bool,
    on_wait: Callable[[str], None] | None,
) -> tuple[Settings, pd.DataFrame, set[str] | None, pd.Timestamp | None, pd.Timestamp | None]:
    """Import new files, then return settings, sites, wanted site ids and UTC bounds."""
    from trafikplan.io.importer import import_data
    from trafikplan.io.sites import read_sites

    if not data_dir.is_dir():
        raise InputError("err_no_data_folder", path=data_dir)
    settings = load_settings(data_dir)
    if import_new:
        try:
            import_data(data_dir, on_wait=on_wait or say_waiting)
        except ReadOnlyStoreError as exc:  # a shared drive: read what was imported
            (on_wait or say_waiting)(f"{exc}; reading what was imported before")
    with use_limits(settings.limits):
        site_table = read_sites(data_dir / "sites.csv", settings)
    wanted = _check_sites(data_dir, site_table, sites)
    lo, hi = _bounds(settings, start, end)
    return settings, site_table, wanted, lo, hi


def scan(
    data_dir: Path | str,
    *,
    sites: Iterable[str] | None = None,
    start: date | str | None = None,
    end: date | str | None = None,
    import_new: bool = True,
    on_wait: Callable[[str], None] | None = None,
) -> Scan:
    """List the vehicles and bins parts of a data folder per site, without reading them.

    The partition pruning of :func:`load` (sites, months) applied to the
    manifest; the parts are read later, e.g. by workers of a Dask cluster, with
    :func:`read_site`. Hold ``Store(data_dir).lock(exclusive=False)`` while they
    are read, so that no import sweeps them away meanwhile.

    Parameters
    ----------
    data_dir : Path or str
        The data folder.
    sites : iterable of str, optional
        Only these site ids.
    start, end : date or str, optional
        First and last LOCAL date (inclusive).
    import_new : bool
        Import new raw files first (as :func:`load`).
    on_wait : callable, optional
        Told once when another process holds the store (default: one line on stderr).

    Returns
    -------
    Scan
    """
    data_dir = Path(data_dir)
    settings, site_table, wanted, lo, hi = _open(data_dir, sites, start, end, import_new, on_wait)
    store = Store(data_dir)
    with store.lock(exclusive=False, on_wait=on_wait or say_waiting):
        manifest = store.read_manifest()
    months = _months(lo, hi)
    by_site: dict[str, dict[str, list[str]]] = {}
    rows: dict[str, int] = {}
    for table in PARTITIONED:
        for site, path, n in _part_paths(store, manifest, table, sites=wanted, months=months):
            key = str(site)
            by_site.setdefault(key, {t: [] for t in PARTITIONED})[table].append(str(path))
            rows[key] = rows.get(key, 0) + n
    parts = [
        SiteParts(site, tuple(p["vehicles"]), tuple(p["bins"]), rows[site])
        for site, p in by_site.items()
    ]
    parts.sort(key=lambda sp: (-sp.rows, sp.site_id))
    return Scan(data_dir, settings, site_table, parts, lo, hi)


def read_site(
    parts: SiteParts, lo: pd.Timestamp | None = None, hi: pd.Timestamp | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read one site's vehicles and bins (``lo <= time < hi``; bins by ``start``).

    Returns
    -------
    vehicles, bins : DataFrame
        Canonical VEHICLES and BINS columns (see :mod:`trafikplan.columns`).
    """
    vehicles = _between(read_paths(parts.vehicles, "vehicles"), "time", lo, hi)
    bins = _between(read_paths(parts.bins, "bins"), "start", lo, hi)
    return vehicles.reset_index(drop=True), bins.reset_index(drop=True)


def load(
    data_dir: Path | str,
    *,
    sites: Iterable[str] | None = None,
    start: date | str | None = None,
    end: date | str | None = None,
    import_new: bool = True,
    on_wait: Callable[[str], None] | None = None,
) -> Tables:
    """Return the canonical tables of a data folder.

    New or changed raw files are imported first (``import_new``), so the
    tables always reflect the raw files; an import of nothing new costs one
    hash per raw file.

    Parameters
    ----------
    data_dir : Path or str
        The data folder.
    sites : iterable of str, optional
        Only these site ids (vehicles, bins, reports, rejects of their files).
    start, end : date or str, optional
        First and last LOCAL date (inclusive) of vehicles, bins and reports.
    import_new : bool
        Import new raw files before loading.
    on_wait : callable, optional
        Told once when another process holds the store (default: one line on stderr).

    Returns
    -------
    Tables
        Validated against :mod:`trafikplan.columns`.
    """
    data_dir = Path(data_dir)
    settings, site_table, wanted, lo, hi = _open(data_dir, sites, start, end, import_new, on_wait)
    store = Store(data_dir)
    with store.lock(exclusive=False, on_wait=on_wait or say_waiting):
        manifest = store.read_manifest()
        months = _months(lo, hi)
        vehicles = _read_parts(store, manifest, "vehicles", sites=wanted, months=months)
        bins = _read_parts(store, manifest, "bins", sites=wanted, months=months)
        reports = _read_parts(store, manifest, "reports", sites=None, months=None)
        rejects = _read_parts(store, manifest, "rejects", sites=None, months=None)
        checks_done = _read_parts(store, manifest, "checks_done", sites=None, months=None)
    vehicles = _between(vehicles, "time", lo, hi)
    bins = _between(bins, "start", lo, hi)
    reports = _between(reports, "time", lo, hi)
    checks_done = _between(checks_done, "start", lo, hi)
    if wanted is not None:
        reports = reports[reports["site_id"].isin(wanted)]
        checks_done = checks_done[checks_done["site_id"].isin(wanted)]
        vehicles = vehicles[vehicles["site_id"].isin(wanted)]
        bins = bins[bins["site_id"].isin(wanted)]
    if len(reports):
        reports = reports.drop_duplicates("report_id", keep="first")
    checks_done = drop_repeated_checks(checks_done)
    for name, df in (
        ("vehicles", vehicles),
        ("bins", bins),
        ("reports", reports),
        ("rejects", rejects),
        ("checks_done", checks_done),
    ):
        columns.validate(df, name, where=str(store.root))
    return Tables(
        data_dir=data_dir,
        settings=settings,
        sites=site_table,
        vehicles=vehicles.reset_index(drop=True),
        bins=bins.reset_index(drop=True),
        reports=reports.reset_index(drop=True),
        rejects=rejects.reset_index(drop=True),
        imports=imports_table(manifest),
        checks_done=checks_done.reset_index(drop=True),
    )


def _between(
    df: pd.DataFrame, col: str, lo: pd.Timestamp | None, hi: pd.Timestamp | None
) -> pd.DataFrame:
    if (lo is None and hi is None) or df.empty:
        return df
    mask = pd.Series(True, index=df.index)
    if lo is not None:
        mask &= df[col] >= lo
    if hi is not None:
        mask &= df[col] < hi
    return df[mask]


def imports_table(manifest: dict[str, Any]) -> pd.DataFrame:
    """One row per imported raw file, from a manifest."""
    rows = [
        {
            "file": name,
            "sha256": entry["sha256"],
            "profile": entry.get("profile"),
            "kind": entry.get("kind"),
            "rows": entry.get("rows", 0),
            "rejected": entry.get("rejected", 0),
            "first": entry.get("first"),
            "last": entry.get("last"),
            "imported_at": entry.get("imported_at"),
            "duplicate_of": entry.get("duplicate_of"),
        }
        for name, entry in sorted(manifest["files"].items())
    ]
    cols = [
        "file",
        "sha256",
        "profile",
        "kind",
        "rows",
        "rejected",
        "first",
        "last",
        "imported_at",
        "duplicate_of",
    ]
    return pd.DataFrame(rows, columns=cols)
