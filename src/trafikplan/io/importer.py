"""Import the raw files of a data folder into its store.

``counters/`` holds counter files (profiles of kind ``vehicles`` and
``bins``), ``embrace/`` report exports (kind ``reports``). Every raw file is
identified by the SHA-256 of its content: a file already imported adds
nothing, a changed file replaces its earlier rows, a removed file takes its
rows out of the store, and a copy of an imported file under another name is
noted as a duplicate and not counted twice.

An import is all or nothing. Every new file is read and checked first; a file
that cannot be read stops the import with one line (file:line, column, what
was expected, a hint) before anything is written, so the store stays exactly
as it was. Only then is the store's lock taken, the parts written and the
manifest replaced in one atomic step (:mod:`trafikplan.io.store`). Two imports
started together are serialised by the lock; the second finds the files
already imported.

When what an import depends on changes (``sites.csv``, the time zone, the
``[import]`` and ``[categories]`` settings, the format profiles) the whole
store is rebuilt, so for example rows once rejected for an unknown site are
read again after the site was added to ``sites.csv``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from trafikplan import columns
from trafikplan._errors import InputError
from trafikplan.io.counters import iter_counter_file
from trafikplan.io.profiles import Profile, detect_profile, load_profiles
from trafikplan.io.reports import read_report_file
from trafikplan.io.sites import read_sites
from trafikplan.io.store import STORE_FORMAT, Store
from trafikplan.settings import Settings, load_settings

RAW_FOLDERS: dict[str, tuple[str, ...]] = {
    "counters": ("vehicles", "bins"),
    "embrace": ("reports",),
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
        ``rejects``) and ``reports_unmatched``.
    rebuilt : bool
        The whole store was rebuilt (sites, settings or profiles changed).
    """

    files: pd.DataFrame
    rejects: pd.DataFrame
    totals: dict[str, int] = field(default_factory=dict)
    rebuilt: bool = False

    @property
    def changed(self) -> bool:
        """True when the import changed the store."""
        return bool(self.rebuilt or (self.files["status"] != "unchanged").any())


@dataclass
class _Parsed:
    entry: dict[str, Any]
    parts: list[tuple[str, pd.DataFrame]]


def raw_files(data_dir: Path) -> list[tuple[str, Path, tuple[str, ...]]]:
    """Return ``(relative name, path, kinds)`` of every raw file, sorted by name."""
    found = []
    for folder, kinds in RAW_FOLDERS.items():
        base = data_dir / folder
        if not base.is_dir():
            continue
        for path in base.rglob("*"):
            if not path.is_file() or any(
                part.startswith(_SKIP_PREFIXES) for part in path.relative_to(base).parts
            ):
                continue
            found.append((path.relative_to(data_dir).as_posix(), path, kinds))
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
    h.update(f"format {STORE_FORMAT}\n".encode())
    sites = data_dir / "sites.csv"
    h.update(sites.read_bytes() if sites.is_file() else b"")
    h.update(settings.timezone.encode())
    h.update(json.dumps(dataclasses.asdict(settings.import_), sort_keys=True).encode())
    h.update(json.dumps(settings.category_rules, sort_keys=True).encode())
    for profile in sorted(profiles, key=lambda p: p.name):
        h.update(profile.name.encode())
        h.update(profile.path.read_bytes())
    return h.hexdigest()


def _split_by_site_month(table: pd.DataFrame, kind: str) -> list[tuple[str, str, pd.DataFrame]]:
    if table.empty:
        return []
    tcol = "time" if kind == "vehicles" else "start"
    month = table[tcol].dt.strftime("%Y-%m")
    out = []
    for (site, mon), part in table.groupby(
        [table["site_id"].astype(str), month], sort=True, observed=True
    ):
        out.append((str(site), str(mon), part))
    return out


def _parse_counter(
    path: Path,
    name: str,
    sha: str,
    profile: Profile,
    settings: Settings,
    known_sites: set[str],
    store: Store,
    commit_id: str,
) -> _Parsed:
    parts: list[tuple[str, pd.DataFrame]] = []
    part_meta: list[dict[str, Any]] = []
    rejects: list[pd.DataFrame] = []
    rows = 0
    first = last = None
    seq = 0
    for chunk in iter_counter_file(
        path, profile, settings=settings, source=name, known_sites=known_sites
    ):
        rows += len(chunk.table)
        if len(chunk.rejects):
            rejects.append(chunk.rejects)
        for site, month, part in _split_by_site_month(chunk.table, profile.kind):
            rel = (
                store.part_dir(profile.kind, site, month) / f"{sha[:16]}-{commit_id}-{seq}.parquet"
            )
            rel_s = rel.relative_to(store.root).as_posix()
            parts.append((rel_s, part))
            part_meta.append(
                {
                    "path": rel_s,
                    "table": profile.kind,
                    "site_id": site,
                    "month": month,
                    "rows": len(part),
                }
            )
            seq += 1
        if chunk.meta.get("first") is not None:
            first = chunk.meta["first"] if first is None else min(first, chunk.meta["first"])
        if chunk.meta.get("last") is not None:
            last = chunk.meta["last"] if last is None else max(last, chunk.meta["last"])
    rej = pd.concat(rejects, ignore_index=True) if rejects else columns.empty("rejects")
    return _finish(name, sha, profile, rows, rej, parts, part_meta, store, commit_id, first, last)


def _parse_reports(
    path: Path,
    name: str,
    sha: str,
    profile: Profile,
    settings: Settings,
    sites: pd.DataFrame,
    store: Store,
    commit_id: str,
) -> _Parsed:
    result = read_report_file(path, profile, settings=settings, sites=sites, source=name)
    rel = (
        (store.part_dir("reports") / f"{sha[:16]}-{commit_id}-0.parquet")
        .relative_to(store.root)
        .as_posix()
    )
    parts = [(rel, result.table)] if len(result.table) else []
    meta = [{"path": rel, "table": "reports", "rows": len(result.table)}] if parts else []
    parsed = _finish(
        name,
        sha,
        profile,
        len(result.table),
        result.rejects,
        parts,
        meta,
        store,
        commit_id,
        result.meta.get("first"),
        result.meta.get("last"),
    )
    match = result.meta.get("match", {})
    parsed.entry["reports_unmatched"] = int(match.get("unmatched", match.get("none", 0)))
    return parsed


def _finish(
    name: str,
    sha: str,
    profile: Profile,
    rows: int,
    rejects: pd.DataFrame,
    parts: list[tuple[str, pd.DataFrame]],
    part_meta: list[dict[str, Any]],
    store: Store,
    commit_id: str,
    first: Any,
    last: Any,
) -> _Parsed:
    if len(rejects):
        rel = (store.part_dir("rejects") / f"{sha[:16]}-{commit_id}-0.parquet").relative_to(
            store.root
        )
        parts.append((rel.as_posix(), rejects))
        part_meta.append({"path": rel.as_posix(), "table": "rejects", "rows": len(rejects)})
    entry = {
        "sha256": sha,
        "profile": profile.name,
        "kind": profile.kind,
        "rows": int(rows),
        "rejected": len(rejects),
        "reasons": dict(Counter(rejects["reason"].astype(str))) if len(rejects) else {},
        "first": None if first is None else pd.Timestamp(first).isoformat(),
        "last": None if last is None else pd.Timestamp(last).isoformat(),
        "imported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "parts": part_meta,
    }
    return _Parsed(entry=entry, parts=parts)


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
        raise InputError("no such data folder", path=data_dir)
    settings = load_settings(data_dir)
    sites_path = data_dir / "sites.csv"
    if not sites_path.is_file():
        raise InputError("no sites.csv: the data folder needs its list of sites", path=sites_path)
    sites = read_sites(sites_path, settings)
    profiles = load_profiles(data_dir)
    fingerprint = _fingerprint(data_dir, settings, profiles)
    store = Store(data_dir)
    files = raw_files(data_dir)
    hashes = {name: file_hash(path) for name, path, _ in files}

    def plan(manifest: dict[str, Any]) -> tuple[bool, list[tuple[str, Path, tuple[str, ...]]]]:
        rebuild = manifest.get("fingerprint") != fingerprint
        known = {} if rebuild else manifest["files"]
        todo = [(n, p, k) for n, p, k in files if known.get(n, {}).get("sha256") != hashes[n]]
        return rebuild, todo

    rebuild, todo = plan(store.read_manifest())
    commit_id = uuid.uuid4().hex[:8]
    parsed = _parse_all(todo, hashes, profiles, settings, sites, store, commit_id, progress)
    with store.lock(exclusive=True, timeout_s=lock_timeout_s, on_wait=on_wait):
        manifest = store.read_manifest()
        rebuild2, todo2 = plan(manifest)
        if rebuild2 != rebuild or {n for n, _, _ in todo2} - set(parsed):
            # Another import committed meanwhile with other inputs: read what is still missing.
            rebuild = rebuild2
            missing = [t for t in todo2 if t[0] not in parsed]
            parsed.update(
                _parse_all(missing, hashes, profiles, settings, sites, store, commit_id, None)
            )
        todo_names = {n for n, _, _ in todo2}
        old_files = {} if rebuild else manifest["files"]
        new_files: dict[str, Any] = {}
        statuses: dict[str, str] = {}
        # A file already in the store keeps its rows; a later copy of it is the duplicate.
        seen_hash = {hashes[n]: n for n, _, _ in files if n not in todo_names and n in old_files}
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
            if name in todo_names:
                new_files[name] = parsed[name].entry
                statuses[name] = "changed" if name in manifest["files"] else "new"
            else:
                new_files[name] = old_files[name]
                statuses[name] = "unchanged"
        removed = sorted(set(manifest["files"]) - set(new_files))
        changed = rebuild or removed or any(s != "unchanged" for s in statuses.values())
        if changed:
            for name, status in statuses.items():
                if status in ("new", "changed"):
                    for rel, df in parsed[name].parts:
                        store.write_part(df, rel)
            store.commit({"format": STORE_FORMAT, "fingerprint": fingerprint, "files": new_files})
    return _summary(new_files, statuses, removed, rebuild and bool(manifest["files"]))


def _parse_all(
    todo: list[tuple[str, Path, tuple[str, ...]]],
    hashes: dict[str, str],
    profiles: list[Profile],
    settings: Settings,
    sites: pd.DataFrame,
    store: Store,
    commit_id: str,
    progress: ProgressCallback | None,
) -> dict[str, _Parsed]:
    total = sum(p.stat().st_size for _, p, _ in todo)
    done = 0
    out: dict[str, _Parsed] = {}
    first_of_hash: dict[str, str] = {}
    known_sites = set(sites["site_id"].astype(str))
    for name, path, kinds in todo:
        if progress is not None:
            progress(done, total, name)
        sha = hashes[name]
        if sha in first_of_hash:  # same content under two names: read once
            out[name] = out[first_of_hash[sha]]
        else:
            profile = detect_profile(path, profiles, kinds=kinds)
            if profile.kind == "reports":
                out[name] = _parse_reports(
                    path, name, sha, profile, settings, sites, store, commit_id
                )
            else:
                out[name] = _parse_counter(
                    path, name, sha, profile, settings, known_sites, store, commit_id
                )
            first_of_hash[sha] = name
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
    for entry in files.values():
        reasons.update(entry.get("reasons", {}))
        for part in entry.get("parts", []):
            totals[part["table"]] += int(part["rows"])
        totals["reports_unmatched"] += int(entry.get("reports_unmatched", 0))
    rejects = pd.DataFrame(
        [
            {"reason": r, "description": columns.REJECT_REASONS.get(r, r), "count": c}
            for r, c in sorted(reasons.items())
        ],
        columns=["reason", "description", "count"],
    )
    for table_name in ("vehicles", "bins", "reports", "rejects"):
        totals.setdefault(table_name, 0)
    return ImportSummary(files=table, rejects=rejects, totals=dict(totals), rebuilt=rebuilt)
