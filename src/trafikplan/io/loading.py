"""Opening a data folder: import its new raw files, then read its tables (:func:`load`).

Also the per-site reading the Dask engine uses (:func:`scan`, :func:`read_site`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from trafikplan import columns
from trafikplan._errors import InputError, ReadOnlyStoreError
from trafikplan.io.files.limits import use_limits
from trafikplan.io.importing.repeats import drop_repeated_checks
from trafikplan.settings import Settings, load_settings

if TYPE_CHECKING:
    pass

from trafikplan.io.store.read import (
    between_times,
    direction_labels_table,
    imports_table,
    months_between,
    part_paths,
    read_parts,
    read_paths,
)
from trafikplan.io.store.store import PARTITIONED, Store, say_waiting
from trafikplan.io.store.tables import Tables

__all__ = ["Scan", "SiteParts", "load", "read_site", "scan"]


def _bounds(
    settings: Settings, start: date | str | None, end: date | str | None
) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """UTC instants of the first local date's start and the day after the last local date."""
    tz = settings.tz
    lo = None if start is None else pd.Timestamp(str(start)).tz_localize(tz).tz_convert("UTC")
    hi = (
        None
        if end is None
        else ((pd.Timestamp(str(end)) + timedelta(days=1)).tz_localize(tz).tz_convert("UTC"))
    )
    return lo, hi


def _check_sites(
    data_dir: Path, site_table: pd.DataFrame, sites: Iterable[str] | None
) -> set[str] | None:
    wanted = None if sites is None else {str(s) for s in sites}
    if wanted is not None:
        unknown = sorted(wanted - set(site_table["site_id"]))
        if unknown:
            raise InputError(
                "err_unknown_site_store", site=unknown[0], known=", ".join(site_table["site_id"]),
                path=data_dir / "sites.csv",
            )
    return wanted


@dataclass(frozen=True)
class SiteParts:
    """The committed parts of one site: the unit of work of a distributed engine.

    Attributes
    ----------
    site_id : str
        The site.
    vehicles, bins : tuple of str
        Absolute paths of its vehicles and bins parts (only the months wanted).
    rows : int
        Rows in those parts (before the date filter), for balancing work.
    """

    site_id: str
    vehicles: tuple[str, ...]
    bins: tuple[str, ...]
    rows: int


@dataclass(frozen=True)
class Scan:
    """What :func:`scan` found: the parts to read, per site, without reading them.

    Attributes
    ----------
    data_dir : Path
        The data folder.
    settings : Settings
        Its ``trafikplan.toml``.
    sites : DataFrame
        The canonical sites table.
    parts : list of SiteParts
        One entry per site with data, largest first.
    lo, hi : Timestamp or None
        UTC bounds of the period (``lo <= time < hi``); None when open.
    """

    data_dir: Path
    settings: Settings
    sites: pd.DataFrame
    parts: list[SiteParts]
    lo: pd.Timestamp | None
    hi: pd.Timestamp | None


def _open(
    data_dir: Path,
    sites: Iterable[str] | None,
    start: date | str | None,
    end: date | str | None,
    import_new: bool,
    on_wait: Callable[[str], None] | None,
) -> tuple[Settings, pd.DataFrame, set[str] | None, pd.Timestamp | None, pd.Timestamp | None]:
    """Import new files, then return settings, sites, wanted site ids and UTC bounds."""
    from trafikplan.io.importing.importer import import_data
    from trafikplan.io.user_tables.sites import read_sites

    if not data_dir.is_dir():
        raise InputError("err_no_data_folder", path=data_dir)
    settings = load_settings(data_dir)
    if import_new:
        try:
            import_data(data_dir, on_wait=on_wait or say_waiting)
        except ReadOnlyStoreError as exc:  # a shared drive: read what was imported
            (on_wait or say_waiting)(f"{exc}; reading what was imported before")
    with use_limits(settings.limits):
        site_table = read_sites(data_dir / "sites.csv", settings)
    wanted = _check_sites(data_dir, site_table, sites)
    lo, hi = _bounds(settings, start, end)
    return settings, site_table, wanted, lo, hi


def scan(
    data_dir: Path | str,
    *,
    sites: Iterable[str] | None = None,
    start: date | str | None = None,
    end: date | str | None = None,
    import_new: bool = True,
    on_wait: Callable[[str], None] | None = None,
) -> Scan:
    """List the vehicles and bins parts of a data folder per site, without reading them.

    The partition pruning of :func:`load` (sites, months) applied to the
    manifest; the parts are read later, e.g. by workers of a Dask cluster, with
    :func:`read_site`. Hold ``Store(data_dir).lock(exclusive=False)`` while they
    are read, so that no import sweeps them away meanwhile.

    Parameters
    ----------
    data_dir : Path or str
        The data folder.
    sites : iterable of str, optional
        Only these site ids.
    start, end : date or str, optional
        First and last LOCAL date (inclusive).
    import_new : bool
        Import new raw files first (as :func:`load`).
    on_wait : callable, optional
        Told once when another process holds the store (default: one line on stderr).

    Returns
    -------
    Scan
    """
    data_dir = Path(data_dir)
    settings, site_table, wanted, lo, hi = _open(data_dir, sites, start, end, import_new, on_wait)
    store = Store(data_dir)
    with store.lock(exclusive=False, on_wait=on_wait or say_waiting):
        manifest = store.read_manifest()
    months = months_between(lo, hi)
    by_site: dict[str, dict[str, list[str]]] = {}
    rows: dict[str, int] = {}
    for table in PARTITIONED:
        for site, path, n in part_paths(store, manifest, table, sites=wanted, months=months):
            key = str(site)
            by_site.setdefault(key, {t: [] for t in PARTITIONED})[table].append(str(path))
            rows[key] = rows.get(key, 0) + n
    parts = [
        SiteParts(site, tuple(p["vehicles"]), tuple(p["bins"]), rows[site])
        for site, p in by_site.items()
    ]
    parts.sort(key=lambda sp: (-sp.rows, sp.site_id))
    return Scan(data_dir, settings, site_table, parts, lo, hi)


def read_site(
    parts: SiteParts, lo: pd.Timestamp | None = None, hi: pd.Timestamp | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read one site's vehicles and bins (``lo <= time < hi``; bins by ``start``).

    Returns
    -------
    vehicles, bins : DataFrame
        Canonical VEHICLES and BINS columns (see :mod:`trafikplan.columns`).
    """
    vehicles = between_times(read_paths(parts.vehicles, "vehicles"), "time", lo, hi)
    bins = between_times(read_paths(parts.bins, "bins"), "start", lo, hi)
    return vehicles.reset_index(drop=True), bins.reset_index(drop=True)


def load(
    data_dir: Path | str,
    *,
    sites: Iterable[str] | None = None,
    start: date | str | None = None,
    end: date | str | None = None,
    import_new: bool = True,
    on_wait: Callable[[str], None] | None = None,
    vehicle_columns: Sequence[str] | None = None,
) -> Tables:
    """Return the canonical tables of a data folder.

    New or changed raw files are imported first (``import_new``), so the
    tables always reflect the raw files; an import of nothing new costs one
    hash per raw file.

    Parameters
    ----------
    data_dir : Path or str
        The data folder.
    sites : iterable of str, optional
        Only these site ids (vehicles, bins, reports, rejects of their files).
    start, end : date or str, optional
        First and last LOCAL date (inclusive) of vehicles, bins and reports.
    import_new : bool
        Import new raw files before loading.
    on_wait : callable, optional
        Told once when another process holds the store (default: one line on stderr).
    vehicle_columns : sequence of str, optional
        Read only these columns of the vehicles (e.g. what the statistics
        need); the others are left out of ``Tables.vehicles``. Default all.

    Returns
    -------
    Tables
        Validated against :mod:`trafikplan.columns` (the vehicles' columns
        read, when ``vehicle_columns`` leaves some out).
    """
    data_dir = Path(data_dir)
    settings, site_table, wanted, lo, hi = _open(data_dir, sites, start, end, import_new, on_wait)
    store = Store(data_dir)
    with store.lock(exclusive=False, on_wait=on_wait or say_waiting):
        manifest = store.read_manifest()
        months = months_between(lo, hi)
        vehicles = read_parts(store, manifest, "vehicles", sites=wanted, months=months,
                              only=vehicle_columns)
        bins = read_parts(store, manifest, "bins", sites=wanted, months=months)
        reports = read_parts(store, manifest, "reports", sites=None, months=None)
        rejects = read_parts(store, manifest, "rejects", sites=None, months=None)
        checks_done = read_parts(store, manifest, "checks_done", sites=None, months=None)
    vehicles = between_times(vehicles, "time", lo, hi)
    bins = between_times(bins, "start", lo, hi)
    reports = between_times(reports, "time", lo, hi)
    checks_done = between_times(checks_done, "start", lo, hi)
    if wanted is not None:
        reports = reports[reports["site_id"].isin(wanted)]
        checks_done = checks_done[checks_done["site_id"].isin(wanted)]
        vehicles = vehicles[vehicles["site_id"].isin(wanted)]
        bins = bins[bins["site_id"].isin(wanted)]
    if len(reports):
        reports = reports.drop_duplicates("report_id", keep="first")
    checks_done = drop_repeated_checks(checks_done)
    for name, df in (
        ("vehicles", vehicles),
        ("bins", bins),
        ("reports", reports),
        ("rejects", rejects),
        ("checks_done", checks_done),
    ):
        columns.validate(df, name, where=str(store.root),
                         partial=name == "vehicles" and vehicle_columns is not None)
    return Tables(
        data_dir=data_dir,
        settings=settings,
        sites=site_table,
        vehicles=vehicles.reset_index(drop=True),
        bins=bins.reset_index(drop=True),
        reports=reports.reset_index(drop=True),
        rejects=rejects.reset_index(drop=True),
        imports=imports_table(manifest),
        checks_done=checks_done.reset_index(drop=True),
        directions=direction_labels_table(manifest),
    )
