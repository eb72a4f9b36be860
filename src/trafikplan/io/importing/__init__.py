"""The import: a data folder's raw files into its store, all or nothing.

Its steps (:mod:`.importer`: ``import_data``), the raw files and their hashes
(:mod:`.raw_files`), reading each file into parts (:mod:`.read`), writing parts in
the background and taking them back on failure (:mod:`.part_writer`), counter
files covering the same time (:mod:`.overlaps`) and rows that arrive twice
(:mod:`.repeats`), what the import did (:mod:`.summary`). The package exports
nothing itself.
"""

from __future__ import annotations

__all__: list[str] = []
