"""trafikplan.io: raw files to canonical tables, and the store of a data folder.

The entry points (imported lazily, so ``import trafikplan.io`` stays light)::

    from trafikplan.io import Tables, import_data, load
    tables = load("data/measurements")   # imports new raw files first

Readers of single files live in their modules (``sites``, ``roster``,
``measures``, ``checks_done``, ``reports``, ``counters``); see ARCHITECTURE.md.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Tables", "import_data", "load"]


def __getattr__(name: str) -> Any:
    if name == "Tables":
        from trafikplan.io.tables import Tables

        return Tables
    if name == "load":
        from trafikplan.io.loading import load

        return load
    if name == "import_data":
        from trafikplan.io.importer import import_data

        return import_data
    raise AttributeError(f"module 'trafikplan.io' has no attribute {name!r}")
