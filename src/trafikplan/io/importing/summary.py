"""What an import did: the manifest's new file entries, each file's status, the summary.

A file already in the store keeps its rows; a later copy of it is noted as a
duplicate of it; a removed file's rows leave the store. :class:`ImportSummary`
is what :func:`trafikplan.io.importing.importer.import_data` returns.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from trafikplan import columns

__all__ = ["ImportSummary", "copy_kept", "merge_entries", "summarize"]


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
        (:mod:`trafikplan.io.importing.overlaps`).
    repeated : list of str
        One line per file whose rows (the same vehicles, the same completed
        checks) another file already holds: counted once (:mod:`trafikplan.io.importing.repeats`).
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


def copy_kept(entry: dict[str, Any], hashes: dict[str, str]) -> bool:
    """Tell whether the file a duplicate was copied from is still there, unchanged.

    True for an entry that is no duplicate; False sends a duplicate whose
    original was removed or changed to be read again.
    """
    original = entry.get("duplicate_of")
    return original is None or hashes.get(original) == entry.get("sha256")


def merge_entries(
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


def summarize(
    files: dict[str, Any], statuses: dict[str, str], removed: list[str], rebuilt: bool
) -> ImportSummary:
    """Return the summary of the store's ``files`` after an import (statuses by file)."""
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
    binned = 0.0
    for entry in files.values():
        reasons.update(entry.get("reasons", {}))
        for part in entry.get("parts", []):
            totals[part["table"]] += int(part["rows"])
            if part["table"] == "bins":  # unknown in a store written before it was kept
                binned += part.get("vehicles", np.nan)
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
