"""The raw files of a data folder: which sub-folder holds which kind, and their hashes.

``counters/`` holds counter files (profiles of kind ``vehicles`` and
``bins``), ``embrace/`` report exports (kind ``reports``), ``checks_done/``
the police's records of completed checks (kind ``checks_done``). Hidden
files, Office lock files (``~$``) and READMEs are no raw files; a symbolic
link leading out of the data folder is not followed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

__all__ = ["RAW_FOLDERS", "file_hash", "raw_files"]

RAW_FOLDERS: dict[str, tuple[str, ...]] = {
    "counters": ("vehicles", "bins"),
    "embrace": ("reports",),
    "checks_done": ("checks_done",),
}
"""Raw sub-folders of a data folder and the profile kinds tried on their files."""

_SKIP_PREFIXES = (".", "~$", "README", "readme")


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
