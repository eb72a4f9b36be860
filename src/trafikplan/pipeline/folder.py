"""A data folder: import its new raw files into the store, load its tables."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from trafikplan.pipeline.progress import Progress, report_progress

if TYPE_CHECKING:
    from trafikplan.io.importing.summary import ImportSummary
    from trafikplan.io.store.tables import Tables

__all__ = ["import_folder", "load_folder"]


def import_folder(
    data_dir: Path | str,
    *,
    progress: Progress | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> ImportSummary:
    """Import the new, changed and removed raw files of ``data_dir`` into its store.

    Parameters
    ----------
    data_dir : Path or str
        The data folder.
    progress : Progress, optional
        Called as ``progress(file name, bytes done, bytes total)`` while reading.
    on_wait : callable, optional
        Called with one line when another process holds the store's lock.

    Returns
    -------
    ImportSummary
        Files, rows set aside, totals, warnings (:mod:`trafikplan.io.importing.importer`).

    Raises
    ------
    InputError
        A raw file cannot be read; the store is left as it was.
    """
    from trafikplan.io.importing.importer import import_data

    def on_file(done: int, total: int, name: str) -> None:
        report_progress(progress, name or "import", done, total)

    return import_data(data_dir, progress=on_file if progress is not None else None,
                       on_wait=on_wait)


def load_folder(
    data_dir: Path | str,
    *,
    import_new: bool = True,
    sites: Iterable[str] | None = None,
    start: date | str | None = None,
    end: date | str | None = None,
    progress: Progress | None = None,
    on_wait: Callable[[str], None] | None = None,
    vehicle_columns: Sequence[str] | None = None,
) -> Tables:
    """Return the canonical tables of ``data_dir`` (importing new raw files first).

    Parameters
    ----------
    data_dir : Path or str
        The data folder.
    import_new : bool
        Import new raw files before reading the store.
    sites : iterable of str, optional
        Read only these sites' vehicles and bins.
    start, end : date or str, optional
        Read only these local dates (inclusive).
    progress : Progress, optional
        Called with ``"load"`` when the reading starts.
    on_wait : callable, optional
        Called with one line when another process holds the store's lock.
    vehicle_columns : sequence of str, optional
        Read only these vehicles columns (for the statistics:
        :func:`trafikplan.pipeline.analysis.stats_vehicle_columns`); default all.
    """
    from trafikplan.io.loading import load

    report_progress(progress, "load")
    return load(data_dir, sites=sites, start=start, end=end, import_new=import_new,
                on_wait=on_wait, vehicle_columns=vehicle_columns)
