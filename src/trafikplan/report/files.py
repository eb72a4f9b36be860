"""Writing output files safely: see :mod:`trafikplan.io.files` (one helper for every writer).

Kept as the report layer's name for the same functions.
"""

from __future__ import annotations

from trafikplan.io.files import (
    PRIVATE_DIR_MODE,
    PRIVATE_FILE_MODE,
    atomic_path,
    make_dir,
    write_bytes,
    write_text,
)

__all__ = ["PRIVATE_DIR_MODE", "PRIVATE_FILE_MODE", "atomic_path", "make_dir", "write_bytes",
           "write_text"]
