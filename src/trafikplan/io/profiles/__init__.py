"""Format profiles: how a vendor's file layout maps to the canonical tables.

The profile and its loading (:mod:`.profile`, the TOML schema in its docstring;
the shipped TOMLs in ``formats/``), checking a profile against the schema
(:mod:`.schema`), finding a file's header line and its profile (:mod:`.detect`),
and behind ``trafikplan formats``: which profile reads a file (:mod:`.check`) and
drafting a profile for an unknown file (:mod:`.draft`). The package exports
nothing itself.
"""

from __future__ import annotations

__all__: list[str] = []
