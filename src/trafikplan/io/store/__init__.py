"""The derived store of a data folder: Parquet parts, a manifest, a lock.

The store itself (:mod:`.store`: :class:`~trafikplan.io.store.store.Store`, its
manifest, lock and parts), reading parts into tables (:mod:`.read`) and the
canonical tables every stage takes (:mod:`.tables`: ``Tables``). Opening a data
folder (import, then read) is :mod:`trafikplan.io.loading`, above both the store
and the import. The package exports nothing itself.
"""

from __future__ import annotations

__all__: list[str] = []
