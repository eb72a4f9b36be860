"""trafikplan.io: raw files to canonical tables, and the store of a data folder.

The entry points (imported lazily, so ``import trafikplan.io`` stays light)::

    from trafikplan.io import Tables, import_data, load
    tables = load("data/measurements")   # imports new raw files first

One subpackage per concern, each module with one job (see ARCHITECTURE.md):

``files``
    opening raw files, bytes to text, the input limits, ``.xlsx``, safe text, atomic writes
``times``
    time strings, wall clock to UTC, the time bases, the device-clock check
``profiles``
    format profiles (the shipped TOMLs in ``profiles/formats/``), detecting and drafting them
``counters``
    reading counter files block by block into vehicles or bins
``embrace``
    Embrace report exports, their categories, matching reports to sites
``redact``
    personal data removed from free text
``user_tables``
    the hand-kept tables: ``sites.csv``, ``roster.csv``, ``measures.csv``, completed checks
``importing``
    the import of a data folder's raw files into its store
``store``
    the store's Parquet parts and manifest, and the canonical ``Tables``

:mod:`trafikplan.io.loading` opens a data folder: import, then read.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Tables", "import_data", "load"]


def __getattr__(name: str) -> Any:
    if name == "Tables":
        from trafikplan.io.store.tables import Tables

        return Tables
    if name == "load":
        from trafikplan.io.loading import load

        return load
    if name == "import_data":
        from trafikplan.io.importing.importer import import_data

        return import_data
    raise AttributeError(f"module 'trafikplan.io' has no attribute {name!r}")
