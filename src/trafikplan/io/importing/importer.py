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
which to keep (:mod:`trafikplan.io.importing.overlaps`).

An import is all or nothing. Every new file's layout is detected first, so a
file that fits no profile (or is empty, binary, in the wrong encoding) stops
the import before anything is written. Then, holding the store's lock, each
file is read chunk by chunk and its parts are written under new names (memory
stays bounded by the chunk size, so a file larger than memory imports); a
file that turns out broken half-way stops the import with one line (file:line,
column, what was expected, a hint) and every part this import wrote is
deleted again. Only when every file has been read is the manifest replaced in
one atomic step (:mod:`trafikplan.io.store.store`). A process killed half-way
leaves parts no manifest names; they are never read and the next import
sweeps them away. Two imports started together are serialised by the lock;
the second finds the files already imported.

When what an import depends on changes (``sites.csv``, the time zone, the
``[import]`` and ``[categories]`` settings, the format profiles) the whole
store is rebuilt, so for example rows once rejected for an unknown site are
read again after the site was added to ``sites.csv``.

The raw files are listed by :mod:`trafikplan.io.importing.raw_files`, read into parts
by :mod:`trafikplan.io.importing.read` (written by :mod:`trafikplan.io.importing.part_writer`)
and summed up by :mod:`trafikplan.io.importing.summary`; this module holds the
import's order of steps.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from trafikplan._errors import InputError
from trafikplan.i18n import text
from trafikplan.io.files.limits import use_limits
from trafikplan.io.importing import overlaps, repeats
from trafikplan.io.importing.part_writer import PENDING, PartWriter
from trafikplan.io.importing.raw_files import file_hash, raw_files
from trafikplan.io.importing.read import ProgressCallback, read_all
from trafikplan.io.importing.summary import ImportSummary, copy_kept, merge_entries, summarize
from trafikplan.io.profiles.detect import detect_profile
from trafikplan.io.profiles.profile import Profile, load_profiles
from trafikplan.io.store.store import STORE_FORMAT, Store
from trafikplan.io.user_tables.sites import read_sites
from trafikplan.settings import Settings, load_settings

__all__ = ["import_data"]


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
                or not copy_kept(known[n], hashes)]
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
        summary = summarize(committed["files"], statuses, [], False)
        summary.repeated = repeats.repeated_lines(committed["files"], settings.language)
        summary.warnings = link_warnings
        return summary
    for _name, path, kinds in todo:
        detect_profile(path, profiles, kinds=kinds)
    created_root = not store.root.exists()
    writer = PartWriter(store, uuid.uuid4().hex[:8], PENDING * settings.import_.chunk_rows)
    try:
        with store.lock(exclusive=True, timeout_s=lock_timeout_s, on_wait=on_wait):
            manifest = store.read_manifest()
            rebuild, todo = plan(manifest)
            pending = store.sweep_pending
            store.begin()
            try:
                entries = read_all(todo, hashes, profiles, settings, sites, writer, progress)
                writer.flush()
                new_files, statuses = merge_entries(files, hashes, entries, manifest, rebuild)
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
    summary = summarize(new_files, statuses, removed, rebuild and bool(manifest["files"]))
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

