"""trafikplan: speed statistics, flags and CP-SAT plans for speed checks and counters.

The public API returns pandas DataFrames with the columns documented in
:mod:`trafikplan.columns`::

    import trafikplan
    tables = trafikplan.load("data/measurements")
    tables.vehicles.head()
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = ["__version__", "import_data", "load", "load_settings"]


def __getattr__(name: str) -> Any:
    # Lazy re-exports keep ``import trafikplan`` (and the CLI's --help) fast.
    if name == "load":
        from trafikplan.io.loading import load

        return load
    if name == "import_data":
        from trafikplan.io.importing.importer import import_data

        return import_data
    if name == "load_settings":
        from trafikplan.settings import load_settings

        return load_settings
    raise AttributeError(f"module 'trafikplan' has no attribute {name!r}")
