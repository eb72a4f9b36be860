"""Import the raw files of a data folder into its store.

``counters/`` holds counter files (profiles of kind ``vehicles`` and
``bins``), ``embrace/`` report exports (kind ``reports``), ``checks_done/``
the police's records of completed checks (kind ``checks_done``). Every raw file is
identified by the SHA-256 of its content (a file new to the store is hashed
while it is read, not in a pass of its own): a file already imported adds
nothing, a changed file replaces its earlier rows, a removed file takes its
rows out of the store, and a copy of an imported file under another name is
noted as a duplicate and not counted twice. Counter files that are no copies
but cover the same site, direction and time (a total next to its directions,
one count exported twice) stop the import naming both; ``choices.toml`` says
which to keep (:mod:`trafikplan.io.overlaps`).

An import is all or nothing. Every new file's layout is detected first, so a
file that fits no profile (or is empty, binary, in the wrong encoding) stops
the import before anything is written. Then, holding the store's lock, each
file is read chunk by chunk and its parts are written under new names (memory
stays bounded by the chunk size, so a file larger than memory imports); a
file that turns out broken half-way stops the import with one line (file:line,
column, what was expected, a hint) and every part this import wrote is
deleted again. Only when every file has been read is the manifest replaced in
one atomic step (:mod:`trafikplan.io.store`). A process killed half-way
leaves parts no manifest names; they are never read and the next import
sweeps them away. Two imports started together are serialised by the lock;
the second finds the files already imported.

When what an import depends on changes (``sites.csv``, the time zone, the
``[import]`` and ``[categories]`` settings, the format profiles) the whole
store is rebuilt, so for example rows once rejected for an unknown site are
read again after the site was added to ``sites.csv``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import shutil
import uuid
from collections import Counter, deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from trafikplan import columns
from trafikplan._errors import InputError
from trafikplan.i18n import text
from trafikplan.io import overlaps, repeats
from trafikplan.io.checks_done import read_checks_done_file
from trafikplan.io.counters import iter_counter_file
from trafikplan.io.profiles import Profile, detect_profile, load_profiles
from trafikplan.io.reports import read_report_file
from trafikplan.io.sites import read_sites
from trafikplan.io.store import STORE_FORMAT, Store
from trafikplan.io.textfile import Digest, use_limits
from trafikplan.settings import Settings, load_settings

__all__ = [
    "RAW_FOLDERS",
    "ImportSummary",
    "ProgressCallback",
    "file_hash",
    "import_data",
    "raw_files",
]

RAW_FOLDERS: dict[str, tuple[str, ...]] = {
    "counters": ("vehicles", "bins"),
    "embrace": ("reports",),
    "checks_done": ("checks_done",),
}
"""Raw sub-folders of a data folder and the profile kinds tried on their files."""

_SKIP_PREFIXES = (".", "~$", "README", "readme")

ProgressCallback = Callable[[int, int, str], None]
"""Called as ``progress(done_bytes, total_bytes, current_file)``."""


@dataclass
class ImportSummary:
    """What an import did.

    Attributes
    ----------
    files : DataFrame
        One row per raw file: ``file, status`` (``new``, ``changed``,
        ``unchanged``, ``duplicate``, ``removed``), ``profile, kind, rows,
        rejected``.
    rejects : DataFrame
        ``reason, description, count``: rows set aside in the whole store.
    totals : dict
        Rows in the store per table (``vehicles``, ``bins``, ``reports``,
        ``rejects``), ``bin_vehicles`` (the vehicles the bin rows count) and
        ``reports_unmatched``.
    rebuilt : bool
        The whole store was rebuilt (sites, settings or profiles changed).
    warnings : list of str
        For people, one line each (``file: what``): a symbolic link out of the
        data folder that was not read, and what was read but looks
        wrong (gaps between speed classes, vendor totals that disagree, a
        device clock that looks like another), for the files read now.
    skipped : list of str
        Raw files not imported because ``choices.toml`` says ``skip``
        (:mod:`trafikplan.io.overlaps`).
    repeated : list of str
        One line per file whose rows (the same vehicles, the same completed
        checks) another file already holds: counted once (:mod:`trafikplan.io.repeats`).
    """

    files: pd.DataFrame
    rejects: pd.DataFrame
    totals: dict[str, int] = field(default_factory=dict)
    rebuilt: bool = False
    warnings: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    repeated: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """True when the import changed the store (a duplicate adds nothing)."""
        return bool(self.rebuilt
                    or (~self.files["status"].isin(["unchanged", "duplicate"])).any())


class _Writer:
    """Writes the parts of one import and can take them all back.

    Parts are written by one background thread (Parquet encoding releases the
    GIL), so writing a chunk overlaps with reading the next one; parts of at
    most ``max_rows`` rows wait (:data:`_PENDING` chunks), which keeps memory
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
        for future, _ in self._pending:
            with contextlib.suppress(BaseException):
                future.result()
        self._pending.clear()
        self._pending_rows = 0
        for path in self.written:
            path.unlink(missing_ok=True)
        self.written.clear()

    def close(self) -> None:
        self._pool.shutdown(wait=True)


_PENDING = 2
"""Chunks waiting to be written at most, counted in rows (memory: two chunks' tables)."""


def raw_files(data_dir: Path, skipped: list[str] | None = None,
              ) -> list[tuple[str, Path, tuple[str, ...]]]:
    """Return ``(relative name, path, kinds)`` of every raw file, sorted by name.

    A file that is (or lies under) a symbolic link leading out of the data
    folder is not read; its name is appended to ``skipped``.
    """
    found = []
    root = Path(data_dir).resolve()
    for folder, kinds in RAW_FOLDERS.items():
        base = data_dir / folder
        if not base.is_dir():
            continue
        for path in base.rglob("*"):
            if not path.is_file() or any(
                part.startswith(_SKIP_PREFIXES) for part in path.relative_to(base).parts
            ):
                continue
            name = path.relative_to(data_dir).as_posix()
            if not path.resolve().is_relative_to(root):
                if skipped is not None:
                    skipped.append(name)
                continue
            found.append((name, path, kinds))
    return sorted(found)


def file_hash(path: Path) -> str:
    """SHA-256 of a file's bytes (hex)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _fingerprint(data_dir: Path, settings: Settings, profiles: list[Profile]) -> str:
    h = hashlib.sha256()
    h.update(f"format {STORE_FORMAT}\ncoverage 1\n".encode())
    sites = data_dir / "sites.csv"
    h.update(sites.read_bytes() if sites.is_file() else b"")
    h.update(settings.timezone.encode())
    h.update(json.dumps(dataclasses.asdict(settings.import_), sort_keys=True).encode())
    h.update(json.dumps(settings.category_rules, sort_keys=True).encode())
    for profile in sorted(profiles, key=lambda p: p.name):
        h.update(profile.name.encode())
        h.update(profile.path.read_bytes())
    return h.hexdigest()


def _split_by_site_month(table: pa.Table, kind: str) -> list[tuple[str, str, pa.Table]]:
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
        kind = np.int16 if len(labels) * (len(bounds) + 1) < 2**15 else np.int64
        key = rank.astype(kind)[site.indices.to_numpy(zero_copy_only=False)]
        if len(bounds):
            month = np.searchsorted(bounds, ns.to_numpy(), side="right").astype(kind)
            key = key * kind(len(bounds) + 1) + month
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


def _read_counter(
    path: Path,
    name: str,
    profile: Profile,
    settings: Settings,
    known_sites: set[str],
    writer: _Writer,
) -> dict[str, Any]:
    """Stream a counter file chunk by chunk into parts (memory bounded by the chunk).

    The file's SHA-256 is taken while it is read (one pass over the file), so
    the hash recorded is of exactly the bytes imported; a file that changed
    meanwhile stops the import (:func:`_unchanged_since`).
    """
    digest = Digest()
    before = _stat(path)
    parts: list[dict[str, Any]] = []
    rejects: list[pd.DataFrame] = []
    rows = 0
    first = last = None
    warnings: dict[str, None] = {}
    labels: dict[str, str] = {}
    cover: dict[tuple[str, str], tuple[int, int]] = {}
    for chunk in iter_counter_file(
        path, profile, settings=settings, source=name, known_sites=known_sites, as_arrow=True,
        digest=digest,
    ):
        rows += len(chunk.table)
        warnings = dict.fromkeys(chunk.meta.get("warnings", ()))  # the last chunk's: all
        labels = chunk.meta.get("direction_labels") or labels
        if len(chunk.rejects):
            rejects.append(chunk.rejects)
        table = chunk.table
        if isinstance(table, pd.DataFrame):
            table = pa.Table.from_pandas(table, preserve_index=False)
        overlaps.merge(cover, overlaps.coverage(table, profile.kind))
        for site, month, part in _split_by_site_month(table, profile.kind):
            parts.append(
                writer.part(part, profile.kind, name, len(parts), site_id=site, month=month)
            )
        if chunk.meta.get("first") is not None:
            first = chunk.meta["first"] if first is None else min(first, chunk.meta["first"])
        if chunk.meta.get("last") is not None:
            last = chunk.meta["last"] if last is None else max(last, chunk.meta["last"])
    rej = pd.concat(rejects, ignore_index=True) if rejects else columns.empty("rejects")
    _unchanged_since(path, name, before, digest.size)
    sha = digest.hexdigest()  # the hash of exactly the bytes imported
    entry = _entry(name, sha, profile, rows, rej, parts, writer, first, last)
    entry["warnings"] = list(warnings)
    entry["coverage"] = overlaps.as_json(cover)
    if labels:
        entry["direction_labels"] = dict(labels)
    return entry


def _read_records(
    path: Path,
    name: str,
    profile: Profile,
    settings: Settings,
    sites: pd.DataFrame,
    writer: _Writer,
) -> dict[str, Any]:
    """Read a small whole-file table (Embrace reports, completed checks) into one part."""
    reader = read_report_file if profile.kind == "reports" else read_checks_done_file
    before = _stat(path)
    sha = file_hash(path)
    result = reader(path, profile, settings=settings, sites=sites, source=name)
    _unchanged_since(path, name, before, None)
    parts = [writer.part(result.table, profile.kind, name, 0)] if len(result.table) else []
    entry = _entry(
        name,
        sha,
        profile,
        len(result.table),
        result.rejects,
        parts,
        writer,
        result.meta.get("first"),
        result.meta.get("last"),
    )
    if profile.kind == "reports":
        match = result.meta.get("match", {})
        entry["reports_unmatched"] = int(match.get("unmatched", match.get("none", 0)))
    return entry


def _stat(path: Path) -> tuple[int, int, int]:
    """Size, modification time [ns] and inode of a raw file: what changes when it is rewritten."""
    st = path.stat()
    return st.st_size, st.st_mtime_ns, st.st_ino


def _unchanged_since(path: Path, name: str, before: tuple[int, int, int],
                     hashed: int | None) -> None:
    """Stop the import when ``path`` changed while it was read (still being copied?).

    The hash recorded for a raw file must be of the bytes imported; a file
    replaced or growing during its import would otherwise leave a store that
    no longer matches it. The import stops (nothing is committed), naming the
    file; the next import reads it again.
    """
    if _stat(path) != before or (hashed is not None and hashed != before[0]):
        raise InputError(
            "err_file_changed", name=name,
            path=path)


def _entry(
    name: str,
    sha: str,
    profile: Profile,
    rows: int,
    rejects: pd.DataFrame,
    parts: list[dict[str, Any]],
    writer: _Writer,
    first: Any,
    last: Any,
) -> dict[str, Any]:
    if len(rejects):
        parts.append(writer.part(rejects, "rejects", name, len(parts)))
    return {
        "sha256": sha,
        "profile": profile.name,
        "kind": profile.kind,
        "rows": int(rows),
        "rejected": len(rejects),
        "reasons": dict(Counter(rejects["reason"].astype(str))) if len(rejects) else {},
        "first": None if first is None else pd.Timestamp(first).isoformat(),
        "last": None if last is None else pd.Timestamp(last).isoformat(),
        "imported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "parts": parts,
    }


def import_data(
    data_dir: Path | str,
    *,
    progress: ProgressCallback | None = None,
    on_wait: Callable[[str], None] | None = None,
    lock_timeout_s: float = 600.0,
) -> ImportSummary:
    """Import new, changed and removed raw files of ``data_dir`` into its store.

    Parameters
    ----------
    data_dir : Path or str
        The data folder (holds ``trafikplan.toml`` and ``sites.csv``).
    progress : callable, optional
        ``progress(done_bytes, total_bytes, current_file)`` while reading.
    on_wait : callable, optional
        Told (once) when another process holds the store's lock.
    lock_timeout_s : float [s]
        Longest wait for that lock.

    Returns
    -------
    ImportSummary

    Raises
    ------
    InputError
        A raw file, ``sites.csv``, ``trafikplan.toml`` or a format profile that
        cannot be read; nothing has been written then.
    """
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise InputError("err_no_data_folder", path=data_dir)
    settings = load_settings(data_dir)
    with use_limits(settings.limits):
        return _import(data_dir, settings, progress, on_wait, lock_timeout_s)


def _import(
    data_dir: Path,
    settings: Settings,
    progress: ProgressCallback | None,
    on_wait: Callable[[str], None] | None,
    lock_timeout_s: float,
) -> ImportSummary:
    """:func:`import_data` with the settings read and their limits in force."""
    sites_path = data_dir / "sites.csv"
    if not sites_path.is_file():
        raise InputError("err_no_sites_csv", path=sites_path)
    sites = read_sites(sites_path, settings)
    profiles = load_profiles(data_dir)
    fingerprint = _fingerprint(data_dir, settings, profiles)
    store = Store(data_dir)
    choices = overlaps.load_choices(data_dir)
    outside: list[str] = []
    files = [f for f in raw_files(data_dir, outside) if f[0] not in choices.skip]
    link_warnings = [text("warn_link_outside", settings.language, name=name)
                     for name in outside]
    hashes: dict[str, str] = {}  # files new to the store are hashed while they are read

    def plan(manifest: dict[str, Any]) -> tuple[bool, list[tuple[str, Path, tuple[str, ...]]]]:
        rebuild = manifest.get("fingerprint") != fingerprint
        known = {} if rebuild else manifest["files"]
        for n, p, _ in files:
            if n in known and n not in hashes:
                hashes[n] = file_hash(p)
        todo = [(n, p, k) for n, p, k in files
                if n not in known or known[n].get("sha256") != hashes[n]
                or not _copy_kept(known[n], hashes)]
        return rebuild, todo

    # Detect every new file's profile before anything is written: a file that fits no
    # profile (or is empty, binary, in the wrong encoding) stops here, folder untouched.
    committed = store.read_manifest()
    rebuild, todo = plan(committed)
    if not (rebuild or todo or set(committed["files"]) - {n for n, _, _ in files}
            or store.sweep_pending):
        # Nothing to write: no lock needed (the folder may be read-only).
        statuses = {n: ("duplicate" if "duplicate_of" in committed["files"][n] else "unchanged")
                    for n, _, _ in files}
        summary = _summary(committed["files"], statuses, [], False)
        summary.repeated = repeats.repeated_lines(committed["files"], settings.language)
        summary.warnings = link_warnings
        return summary
    for _name, path, kinds in todo:
        detect_profile(path, profiles, kinds=kinds)
    created_root = not store.root.exists()
    writer = _Writer(store, uuid.uuid4().hex[:8], _PENDING * settings.import_.chunk_rows)
    try:
        with store.lock(exclusive=True, timeout_s=lock_timeout_s, on_wait=on_wait):
            manifest = store.read_manifest()
            rebuild, todo = plan(manifest)
            pending = store.sweep_pending
            store.begin()
            try:
                entries = _read_all(todo, hashes, profiles, settings, sites, writer, progress)
                writer.flush()
                new_files, statuses = _merge(files, hashes, entries, manifest, rebuild)
                found = repeats.resolve_same_vehicles(
                    overlaps.find_overlaps(new_files, choices), new_files, set(entries),
                    store.root, writer.part_now)
                repeats.checks_repeats(new_files, store.root)
                writer.flush()
                if found:
                    raise overlaps.overlap_error(found, settings.timezone, data_dir)
                removed = sorted(set(manifest["files"]) - set(new_files))
                if rebuild or removed or any(v != "unchanged" for v in statuses.values()):
                    manifest_now = {"format": STORE_FORMAT, "fingerprint": fingerprint,
                                    "files": new_files}
                    store.publish(manifest_now)
                else:
                    manifest_now = manifest
            except BaseException:
                writer.rollback()
                if not pending:  # every part this import wrote is gone again
                    store.end()
                raise
            store.sweep(manifest_now)
    except BaseException:
        if created_root:
            _remove_if_only_lock(store)
        raise
    finally:
        writer.close()
    summary = _summary(new_files, statuses, removed, rebuild and bool(manifest["files"]))
    summary.skipped = sorted(choices.skip)
    summary.repeated = repeats.repeated_lines(new_files, settings.language)
    summary.warnings = link_warnings + [
        f"{name}: {w}" for name, entry in sorted(new_files.items())
        if statuses.get(name) in ("new", "changed") for w in entry.get("warnings", ())]
    return summary


def _remove_if_only_lock(store: Store) -> None:
    """Take back a store folder this failed import created (nothing else in it)."""
    leftovers = [p for p in store.root.rglob("*") if p.is_file() and p != store.lock_path]
    if not leftovers:
        shutil.rmtree(store.root, ignore_errors=True)


def _copy_kept(entry: dict[str, Any], hashes: dict[str, str]) -> bool:
    """Tell whether the file a duplicate was copied from is still there, unchanged.

    True for an entry that is no duplicate; False sends a duplicate whose
    original was removed or changed to be read again.
    """
    original = entry.get("duplicate_of")
    return original is None or hashes.get(original) == entry.get("sha256")


def _merge(
    files: list[tuple[str, Path, tuple[str, ...]]],
    hashes: dict[str, str],
    entries: dict[str, dict[str, Any]],
    manifest: dict[str, Any],
    rebuild: bool,
) -> tuple[dict[str, Any], dict[str, str]]:
    """Return the new manifest's files and each raw file's status."""
    old_files = {} if rebuild else manifest["files"]
    new_files: dict[str, Any] = {}
    statuses: dict[str, str] = {}
    # A file already in the store keeps its rows; a later copy of it is the duplicate.
    seen_hash = {hashes[n]: n for n, _, _ in files
                 if n not in entries and n in old_files and "duplicate_of" not in old_files[n]}
    for name, _, _ in files:
        sha = hashes[name]
        if seen_hash.get(sha, name) != name:
            new_files[name] = {
                "sha256": sha,
                "duplicate_of": seen_hash[sha],
                "parts": [],
                "rows": 0,
                "rejected": 0,
                "reasons": {},
            }
            statuses[name] = "duplicate"
            continue
        seen_hash[sha] = name
        if name in entries:
            new_files[name] = entries[name]
            statuses[name] = "changed" if name in manifest["files"] else "new"
        else:
            new_files[name] = old_files[name]
            statuses[name] = "unchanged"
    return new_files, statuses


def _read_all(
    todo: list[tuple[str, Path, tuple[str, ...]]],
    hashes: dict[str, str],
    profiles: list[Profile],
    settings: Settings,
    sites: pd.DataFrame,
    writer: _Writer,
    progress: ProgressCallback | None,
) -> dict[str, dict[str, Any]]:
    """Read every file to import, writing its parts; return manifest entries by file.

    Files not hashed yet are hashed while read; their hash is added to ``hashes``.
    """
    total = sum(p.stat().st_size for _, p, _ in todo)
    done = 0
    out: dict[str, dict[str, Any]] = {}
    read_hashes: set[str] = set()
    known_sites = set(sites["site_id"].astype(str))
    for name, path, kinds in todo:
        if progress is not None:
            progress(done, total, name)
        sha = hashes.get(name)
        if sha not in read_hashes:  # a second copy in the same import is a duplicate
            profile = detect_profile(path, profiles, kinds=kinds)
            if profile.kind in ("reports", "checks_done"):
                out[name] = _read_records(path, name, profile, settings, sites, writer)
            else:
                out[name] = _read_counter(path, name, profile, settings, known_sites, writer)
            hashes[name] = out[name]["sha256"]
            read_hashes.add(hashes[name])
        done += path.stat().st_size
    if progress is not None and todo:
        progress(total, total, "")
    return out


def _summary(
    files: dict[str, Any], statuses: dict[str, str], removed: list[str], rebuilt: bool
) -> ImportSummary:
    rows = [
        {
            "file": name,
            "status": statuses[name],
            "profile": entry.get("profile", ""),
            "kind": entry.get("kind", ""),
            "rows": int(entry.get("rows", 0)),
            "rejected": int(entry.get("rejected", 0)),
        }
        for name, entry in sorted(files.items())
    ]
    rows += [
        {"file": n, "status": "removed", "profile": "", "kind": "", "rows": 0, "rejected": 0}
        for n in removed
    ]
    table = pd.DataFrame(rows, columns=["file", "status", "profile", "kind", "rows", "rejected"])
    reasons: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    binned: float | None = 0
    for entry in files.values():
        reasons.update(entry.get("reasons", {}))
        for part in entry.get("parts", []):
            totals[part["table"]] += int(part["rows"])
            if part["table"] == "bins":  # unknown in a store written before it was kept
                binned = None if binned is None else binned + part.get("vehicles", np.nan)
        totals["reports_unmatched"] += int(entry.get("reports_unmatched", 0))
    rejects = pd.DataFrame(
        [
            {"reason": r, "description": columns.REJECT_REASONS.get(r, r), "count": c}
            for r, c in sorted(reasons.items())
        ],
        columns=["reason", "description", "count"],
    )
    for table_name in ("vehicles", "bins", "reports", "rejects", "checks_done"):
        totals.setdefault(table_name, 0)
    if binned == binned:  # not NaN
        totals["bin_vehicles"] = int(binned)
    return ImportSummary(files=table, rejects=rejects, totals=dict(totals), rebuilt=rebuilt)
