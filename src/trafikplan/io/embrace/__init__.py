"""Embrace exports (citizens' reports): reading, categories, matching to sites.

Reading an export into the ``reports`` table (:mod:`.reports`), raw categories to
the canonical ones (:mod:`.categories`), reports matched to sites by street name
and coordinates (:mod:`.matching`). Personal data in the free text is removed by
:mod:`trafikplan.io.redact`. The package exports nothing itself.
"""

from __future__ import annotations

__all__: list[str] = []
