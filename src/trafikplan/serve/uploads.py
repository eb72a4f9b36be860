"""Uploaded files into the data folder's raw folders, imported all or nothing.

An upload is written under its own (cleaned) name into ``counters/``,
``embrace/`` or ``checks_done/`` atomically; a name already there is refused
(a changed file is uploaded under a new name or replaced in the folder by
hand). The import runs in the background; when it refuses the files (a layout
no profile reads, an overlap with a file already imported ...) the uploaded
files are removed again, so the folder is as it was, and the page shows the
import's one-line reason.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from trafikplan.io.files.atomic import atomic_path

if TYPE_CHECKING:
    from trafikplan.serve.jobs import Job
    from trafikplan.serve.users import User
    from trafikplan.serve.web import ServeState

__all__ = ["MAX_UPLOAD_MB", "clean_name", "import_job", "save_uploads"]

MAX_UPLOAD_MB = 512
"""Largest upload of one file [MiB]."""


def clean_name(name: str) -> str:
    """Return a safe file name for an upload (no folders, no leading dot, ASCII-ish)."""
    base = Path(name.replace("\\", "/")).name
    base = unicodedata.normalize("NFC", base)
    base = re.sub(r"[^\w.\-]+", "_", base).lstrip("._")
    return base[:120]


async def save_uploads(state: ServeState, uploads: list, folder: str,
                       ) -> tuple[list[str], str]:
    """Write ``uploads`` into ``DATA_DIR/folder``; return their names and an error ("" if none).

    Nothing is written when one of them is refused (no name, a name already in
    the folder, too large).
    """
    from trafikplan.i18n import text

    lang = state.language
    files = [u for u in uploads if hasattr(u, "filename") and u.filename]
    if not files:
        return [], text("serve_no_file", lang)
    target = state.data_dir / folder
    names = [clean_name(u.filename) for u in files]
    for name in names:
        if not name or (target / name).exists() or names.count(name) > 1:
            return [], text("serve_file_exists", lang, file=f"{folder}/{name}")
    written: list[Path] = []
    try:
        for upload, name in zip(files, names, strict=True):
            size = 0
            with atomic_path(target / name) as tmp, open(tmp, "wb") as out:
                while chunk := await upload.read(1 << 20):
                    size += len(chunk)
                    if size > MAX_UPLOAD_MB << 20:
                        raise ValueError(text("serve_file_too_large", lang, file=name,
                                              mb=MAX_UPLOAD_MB))
                    out.write(chunk)
            written.append(target / name)
    except ValueError as exc:
        for path in written:
            path.unlink(missing_ok=True)
        return [], str(exc)
    return [f"{folder}/{n}" for n in names], ""


def import_job(state: ServeState, user: User, names: list[str], *, next_base: str,
               restore: dict[str, str | None] | None = None) -> Job:
    """Import the folder in the background; on failure remove the uploaded ``names`` again.

    ``restore`` maps a name to its text before the change (None: it did not
    exist); on failure that text is written back instead.
    """
    from trafikplan.i18n import text
    from trafikplan.io.files.atomic import write_text
    from trafikplan.serve.planning import import_folder
    from trafikplan.serve.views import one_line

    def work(job: Job):
        job.message = text("serve_importing", state.language)
        try:
            summary = import_folder(state.data_dir, progress=_progress(job, state.language))
        except Exception:
            for name in names:
                old = (restore or {}).get(name)
                if old is None:
                    (state.data_dir / name).unlink(missing_ok=True)
                else:
                    write_text(state.data_dir / name, old, private=True)
            raise
        finally:
            state.forget()
        state.log_change(user, "import", ", ".join(names))
        return summary, names

    return state.jobs.start("import", user.name, user.role, work,
                            next_url=lambda job: f"{next_base}/{job.id}",
                            describe_error=lambda e: one_line(e, state.language))


def _progress(job: Job, language: str):
    from trafikplan.i18n import integer, text

    def progress(name: str, done: int | None = None, total: int | None = None) -> None:
        share = f"{100 * done / total:.0f} %" if done is not None and total else ""
        job.message = text("serve_import_progress", language, file=name or "",
                           mb=integer((done or 0) / 2**20, language), share=share)

    return progress
