"""Writing files safely: one atomic-write helper, owner-only files, temp-file sweeps.

Every file trafikplan writes (store parts, the manifest, reports, plans) is
written under a temporary name beside its target, flushed to disk
(``fsync``), and then renamed over the target (``os.replace``, atomic on
POSIX and Windows), so a reader sees the old file or the new one, never half
of one. A process killed while writing leaves only the temporary file; its
name matches :data:`TEMP_PATTERN`, and :func:`sweep_temp_files` removes it on
the next run.

Permissions. A speed-check plan tells drivers where the police will be, so
plan files are *created* with mode 0600 (folders 0700) on POSIX, by the mode
argument of ``os.open``/``mkdir`` plus an explicit ``chmod``; the process's
umask is never changed (it is process-wide state, shared with every thread).
Other files get the usual 0644 less the umask. On Windows the mode bits mean
nothing: a file inherits the access list (ACL) of its folder, so plans are
owner-only when the output folder is, e.g. a folder under the user's profile
(``%USERPROFILE%``, private to its owner by default), or one restricted with
``icacls DIR /inheritance:r /grant:r "%USERNAME%":(OI)(CI)F``.

Running out of disk space while writing raises :class:`DiskFullError` (one
line, exit 2), and the target is left as it was.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

from trafikplan._errors import DiskFullError

__all__ = [
    "PRIVATE_DIR_MODE",
    "PRIVATE_FILE_MODE",
    "PUBLIC_FILE_MODE",
    "TEMP_PATTERN",
    "TEMP_SUFFIX",
    "atomic_path",
    "disk_full",
    "fsync_dir",
    "make_dir",
    "sweep_temp_files",
    "temp_name",
    "write_bytes",
    "write_text",
]

PRIVATE_FILE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700
PUBLIC_FILE_MODE = 0o644
"""Mode of a new non-private file, before the umask."""

TEMP_SUFFIX = ".tptmp"
TEMP_PATTERN = re.compile(r"\..+\.[0-9a-f]{12}\.tptmp")
"""Names of this module's temporary files: ``.<name>.<12 hex>.tptmp``."""

_POSIX = os.name == "posix"
_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG}


def make_dir(path: Path | str, *, private: bool = False) -> Path:
    """Create ``path`` (and parents); a private folder gets mode 0700 on POSIX.

    When ``private``, every folder this call creates (missing parents too) is
    0700 whatever the umask; ``path`` itself is set to 0700 even if it existed.
    Existing parents are left as they are.
    """
    path = Path(path)
    if private:
        _make_missing(path)
        if _POSIX:
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
            if _POSIX:
                os.chmod(folder, PRIVATE_DIR_MODE)  # mkdir's mode is subject to the umask


def temp_name(path: Path) -> Path:
    """Return a fresh temporary name beside ``path`` (matches :data:`TEMP_PATTERN`)."""
    return path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}{TEMP_SUFFIX}")


@contextlib.contextmanager
def atomic_path(path: Path | str, *, private: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path``.

    The temporary file exists (empty) when yielded, created with mode 0600
    when ``private`` (else 0644 less the umask), so a plan is never readable
    by others, not even while it is written. After the block its content is
    flushed to disk, it is renamed over ``path``, and the folder entry is
    flushed too (POSIX). On an exception the temporary file is removed and
    ``path`` is left as it was.

    Raises
    ------
    DiskFullError
        The disk (or the user's quota) is full.
    """
    path = Path(path)
    try:
        make_dir(path.parent, private=private)
        tmp = temp_name(path)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                     PRIVATE_FILE_MODE if private else PUBLIC_FILE_MODE)
        os.close(fd)
    except OSError as exc:
        raise disk_full(exc, path.parent) or exc  # noqa: B904 (the original stays on __context__)
    try:
        yield tmp
        if private and _POSIX:  # a writer that re-created the file got the umask's mode
            os.chmod(tmp, PRIVATE_FILE_MODE)
        with open(tmp, "rb+") as fh:  # Windows flushes only handles open for writing
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        full = disk_full(exc, path.parent)
        if full is not None:
            raise full from None
        raise


def write_text(path: Path | str, text: str, *, private: bool = False) -> Path:
    """Write UTF-8 ``text`` to ``path`` atomically (0600 when ``private``)."""
    with atomic_path(path, private=private) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def write_bytes(path: Path | str, data: bytes, *, private: bool = False) -> Path:
    """Write ``data`` to ``path`` atomically (0600 when ``private``)."""
    with atomic_path(path, private=private) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def fsync_dir(folder: Path) -> None:
    """Flush a folder's entries to disk (POSIX; Windows needs and allows no such call)."""
    if not _POSIX:
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sweep_temp_files(folder: Path | str) -> int:
    """Remove the temporary files a killed process left in ``folder`` (recursively).

    Only names matching :data:`TEMP_PATTERN` are touched. Call it where no
    other process is writing into ``folder`` (the store sweeps under its
    exclusive lock; ``run`` sweeps its output folder when it starts).

    Returns
    -------
    int
        Files removed.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return 0
    removed = 0
    for p in folder.rglob(f"*{TEMP_SUFFIX}"):
        if TEMP_PATTERN.fullmatch(p.name) and p.is_file():
            with contextlib.suppress(OSError):
                p.unlink()
                removed += 1
    return removed


def disk_full(exc: BaseException, folder: Path | str) -> DiskFullError | None:
    """Return a :class:`DiskFullError` (one line) for an out-of-space ``exc``, else None.

    Recognises ``ENOSPC``, ``EDQUOT`` and ``EFBIG`` and the message of
    libraries (pyarrow) that report them without an ``errno``.
    """
    if isinstance(exc, DiskFullError):
        return exc
    if not isinstance(exc, OSError):
        return None
    if exc.errno in _FULL or "No space left" in str(exc) or "Disk quota" in str(exc):
        return DiskFullError(
            f"{folder}: the disk is full; nothing was changed. Hint: free some space "
            "(or ask for a larger quota) and run the command again")
    return None
