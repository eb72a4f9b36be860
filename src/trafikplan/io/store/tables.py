"""The canonical tables of a data folder, as every stage takes them: :class:`Tables`."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from trafikplan import columns
from trafikplan.settings import Settings

__all__ = ["DIRECTION_LABELS", "Tables"]


DIRECTION_LABELS = ["site_id", "direction", "label", "first", "last", "file"]
"""Columns of :attr:`Tables.directions`."""


@dataclass
class Tables:
    """The canonical tables of a data folder (see :mod:`trafikplan.columns`).

    Attributes
    ----------
    data_dir : Path
        The data folder.
    settings : Settings
        Its ``trafikplan.toml``.
    sites, vehicles, bins, reports, rejects, checks_done : DataFrame
        Canonical tables; times UTC.
    imports : DataFrame
        One row per imported raw file: ``file, sha256, profile, kind, rows,
        rejected, first, last, imported_at``.
    directions : DataFrame
        What the counter files call their directions: ``site_id, direction,
        label, first, last, file`` (see :func:`trafikplan.io.store.read.direction_labels_table`).
    """

    data_dir: Path
    settings: Settings
    sites: pd.DataFrame
    vehicles: pd.DataFrame
    bins: pd.DataFrame
    reports: pd.DataFrame
    rejects: pd.DataFrame
    imports: pd.DataFrame
    checks_done: pd.DataFrame = dataclasses.field(
        default_factory=lambda: columns.empty("checks_done")
    )
    directions: pd.DataFrame = dataclasses.field(
        default_factory=lambda: pd.DataFrame(columns=DIRECTION_LABELS)
    )
