"""Reading each raw file of an import into parts and its manifest entry.

A counter file is streamed chunk by chunk (memory bounded by the chunk size)
and hashed while it is read; a small whole-file table (Embrace reports,
completed checks) is read at once. A file that changes while it is read
stops the import, naming it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from trafikplan import columns
from trafikplan._errors import InputError
from trafikplan.io.counters import iter_counter_file
from trafikplan.io.embrace.reports import read_report_file
from trafikplan.io.files.textfile import Digest
from trafikplan.io.importing import overlaps
from trafikplan.io.importing.part_writer import PartWriter, split_by_site_month
from trafikplan.io.importing.raw_files import file_hash
from trafikplan.io.profiles.detect import detect_profile
from trafikplan.io.profiles.profile import Profile
from trafikplan.io.user_tables.checks_done import read_checks_done_file
from trafikplan.settings import Settings

__all__ = ["ProgressCallback", "read_all", "read_counter", "read_records"]

ProgressCallback = Callable[[int, int, str], None]
"""Called as ``progress(done_bytes, total_bytes, current_file)``."""


def read_counter(
    path: Path,
    name: str,
    profile: Profile,
    settings: Settings,
    known_sites: set[str],
    writer: PartWriter,
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
        for site, month, part in split_by_site_month(table, profile.kind):
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


def read_records(
    path: Path,
    name: str,
    profile: Profile,
    settings: Settings,
    sites: pd.DataFrame,
    writer: PartWriter,
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
    writer: PartWriter,
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


def read_all(
    todo: list[tuple[str, Path, tuple[str, ...]]],
    hashes: dict[str, str],
    profiles: list[Profile],
    settings: Settings,
    sites: pd.DataFrame,
    writer: PartWriter,
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
                out[name] = read_records(path, name, profile, settings, sites, writer)
            else:
                out[name] = read_counter(path, name, profile, settings, known_sites, writer)
            hashes[name] = out[name]["sha256"]
            read_hashes.add(hashes[name])
        done += path.stat().st_size
    if progress is not None and todo:
        progress(total, total, "")
    return out
