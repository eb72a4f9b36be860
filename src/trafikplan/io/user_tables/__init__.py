"""The small tables a person keeps by hand in a data folder, and their one reader.

The reader (:mod:`.smalltable`) under ``sites.csv`` (:mod:`.sites`), ``roster.csv``
(:mod:`.roster`), ``measures.csv`` and ``counter_fleet.csv`` (:mod:`.measures`) and
the police's records of completed checks (:mod:`.checks_done`). Not named
``tables``: the canonical ``Tables`` of a folder live in :mod:`trafikplan.io.store.tables`.
The package exports nothing itself.
"""

from __future__ import annotations

__all__: list[str] = []
