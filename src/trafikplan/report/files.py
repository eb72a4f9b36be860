"""Writing files safely: atomic replace, and owner-only permissions for plans.

A speed-check plan tells drivers where the police will be, so plan files are
created readable by the owner only (0600; folders 0700) whatever the umask.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

PRIVATE_FILE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700


def make_dir(path: Path, *, private: bool = False) -> Path:
    """Create ``path`` (and parents); a private folder gets mode 0700.

    When ``private``, every folder this call creates (missing parents too) is
    0700 whatever the umask; ``path`` itself is set to 0700 even if it existed.
    Existing parents are left as they are.
    """
    path = Path(path)
    if private:
        _make_missing(path)
        os.chmod(path, PRIVATE_DIR_MODE)
    else:
        path.mkdir(parents=True, exist_ok=True)
    return path


def _make_missing(path: Path) -> None:
    """Create ``path`` and its missing parents, each with mode 0700."""
    missing = []
    while not path.exists():
        missing.append(path)
        path = path.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=PRIVATE_DIR_MODE)
            os.chmod(folder, PRIVATE_DIR_MODE)  # mkdir's mode is subject to the umask


@contextlib.contextmanager
def atomic_path(path: Path, *, private: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path``.

    The temporary file is created with mode 0600 when ``private`` (else the
    usual 0644 less the umask), so a plan is never readable by others, not
    even while it is written. On an exception the temporary file is removed
    and ``path`` is left as it was.
    """
    path = Path(path)
    if private:
        _make_missing(path.parent)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        os.chmod(tmp_path, PRIVATE_FILE_MODE if private else 0o644 & ~_umask())
        yield tmp_path
        os.chmod(tmp_path, PRIVATE_FILE_MODE if private else 0o644 & ~_umask())
        os.replace(tmp_path, path)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str, *, private: bool = False) -> Path:
    """Write UTF-8 ``text`` to ``path`` atomically (0600 when ``private``)."""
    with atomic_path(path, private=private) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return path


def write_bytes(path: Path, data: bytes, *, private: bool = False) -> Path:
    """Write ``data`` to ``path`` atomically (0600 when ``private``)."""
    with atomic_path(path, private=private) as tmp:
        tmp.write_bytes(data)
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
