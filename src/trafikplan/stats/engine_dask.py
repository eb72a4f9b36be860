"""Speed statistics over the partitioned store with Dask (``stats --engine dask``).

The same numbers as the in-memory path (:func:`trafikplan.stats.speed_stats`
over :func:`trafikplan.io.loading.load`), computed by the workers of a
``dask.distributed`` cluster: a :class:`~distributed.LocalCluster` on this
machine when no scheduler address is given, or an existing cluster.

How the work is split, and why the numbers are exact
----------------------------------------------------
Every grouping key is a function of (site, direction, local hour), and the
store is partitioned by site and month (:mod:`trafikplan.io.store.store`). The unit
of work is **one site**: a task reads the parts of its site for the months
wanted (:func:`trafikplan.io.loading.read_site`) and computes everything that
needs the site's vehicles together.

* ``site_id`` among the keys (the default ``site_id,direction,hour_start``,
  and every per-site figure the flags use): no group spans two sites, so each
  task runs :func:`~trafikplan.stats.speed_stats` on its site and returns the
  finished rows of its groups; the client only concatenates and sorts them.
  Counts (``n``, ``n_days``, ``n_hours``, ...) equal the in-memory path's to
  the last digit. Means, sd, percentiles and their intervals come from the
  same arithmetic on the same rows, but a few float steps depend on the
  whole table handed to :func:`~trafikplan.stats.speed_stats` (the mean is
  summed around the table's overall mean; the one-argsort sort key of
  ``group * K + speed`` rounds by the number of groups), so they agree to
  floating-point rounding (measured on the sample: 1e-14 km/h for means,
  4e-11 km/h for percentiles).
* no ``site_id`` among the keys (``--by weekday,hour_of_day`` over the whole
  municipality): a group spans sites, and an exact percentile needs all of a
  group's speeds in one place. Measured hours need each site's neighbouring
  hours (quiet hours between two hours with traffic count as measured), so
  the groups cannot simply be shuffled apart. Each task therefore reads and
  prunes its site (columns the statistics need, the period asked for) in
  parallel, and the client computes the statistics over the gathered rows
  with the in-memory code: exact, but bounded by the client's memory (about
  45 bytes per vehicle). Add ``site_id`` to the keys to keep the work on the
  workers.

Each task holds one site's rows in memory (about 100 bytes per vehicle while
computing); a site with 50 million vehicles in the period asked for needs a
worker with some 5 GB.

Workers must see the data folder under the same path as the client (one
machine, or a shared file system). The store's shared lock is held by the
client while the workers read, so no import sweeps a part away meanwhile.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from trafikplan.io.loading import SiteParts, read_site, scan
from trafikplan.io.store.store import Store
from trafikplan.stats import _groups
from trafikplan.stats.speed import speed_stats
from trafikplan.stats.stats_table import DEFAULT_BY

if TYPE_CHECKING:
    from distributed import Client

__all__ = ["connect", "dask_speed_stats"]

_NEEDED = ("site_id", "time", "direction", "speed", "headway", "vehicle_class")
"""Vehicle columns the statistics read (the rest stays on the workers)."""


@contextlib.contextmanager
def connect(
    scheduler: str | None = None,
    *,
    n_workers: int | None = None,
    processes: bool = True,
) -> Iterator[Client]:
    """Open a ``dask.distributed`` client; close it (and its local cluster) on exit.

    Parameters
    ----------
    scheduler : str, optional
        Address of a running scheduler (``tcp://host:8786``); without it a
        :class:`~distributed.LocalCluster` is started on this machine.
    n_workers : int, optional
        Workers of the local cluster (default: one per core, at most 8).
    processes : bool
        Local workers as processes (True; parallel pandas/NumPy without the
        GIL) or threads of this process (False; starts faster, for tests).

    Yields
    ------
    distributed.Client
    """
    from distributed import Client, LocalCluster

    if scheduler:
        client = Client(scheduler, timeout="10s")
        try:
            yield client
        finally:
            client.close()
        return
    import os

    workers = n_workers or max(1, min(os.cpu_count() or 1, 8))
    # A local cluster listens on this machine only, its dashboard on any free
    # port (never clashing with another cluster); threads talk in-process.
    where = {"host": "127.0.0.1"} if processes else {}
    cluster = LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=processes,
        dashboard_address="127.0.0.1:0",
        silence_logs=40,
        **where,
    )
    try:
        with Client(cluster) as client:
            yield client
    finally:
        cluster.close()


def _site_stats(
    parts: SiteParts,
    lo: pd.Timestamp | None,
    hi: pd.Timestamp | None,
    sites: pd.DataFrame,
    options: dict[str, Any],
) -> pd.DataFrame:
    """Statistics of one site's groups (``site_id`` is a key): runs on a worker."""
    vehicles, bins = read_site(parts, lo, hi)
    if vehicles.empty and bins.empty:
        return pd.DataFrame()
    return speed_stats(vehicles, sites, bins=bins, **options)


def _site_rows(
    parts: SiteParts, lo: pd.Timestamp | None, hi: pd.Timestamp | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One site's rows, pruned to the columns the statistics read: runs on a worker."""
    vehicles, bins = read_site(parts, lo, hi)
    keep = [c for c in _NEEDED if c in vehicles.columns]
    return vehicles[keep], bins


def _sort_like_memory(stats: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """Order rows as :func:`speed_stats` does: by the keys (hour_start by instant), basis."""
    if stats.empty:
        return stats.reset_index(drop=True)
    frame = stats
    if "hour_start" in by:
        frame = stats.assign(
            hour_start_utc=pd.to_datetime(stats["hour_start"], format="ISO8601", utc=True)
        )
    frame = frame.sort_values([*_groups.internal_keys(by), "basis"], kind="stable")
    return frame.drop(columns=["hour_start_utc"], errors="ignore").reset_index(drop=True)


def _concat_categories(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate per-site tables; categoricals become their values' common type."""
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame()
    out = pd.concat(
        [f.astype({c: "object" for c in f.columns if isinstance(f[c].dtype, pd.CategoricalDtype)})
         for f in frames],
        ignore_index=True,
    )
    for col in ("site_id", "direction", "vehicle_class"):
        if col in out.columns and out[col].dtype == object:
            out[col] = out[col].astype("category")
    return out


def dask_speed_stats(
    data_dir: Path | str,
    *,
    by: Sequence[str] | str = DEFAULT_BY,
    sites: Iterable[str] | None = None,
    start: date | str | None = None,
    end: date | str | None = None,
    free_flow: bool = False,
    client: Client | None = None,
    scheduler: str | None = None,
    n_workers: int | None = None,
    processes: bool = True,
    import_new: bool = True,
) -> pd.DataFrame:
    """Speed statistics of a data folder computed with Dask.

    Parameters
    ----------
    data_dir : Path or str
        The data folder (its store is imported first when ``import_new``).
    by : sequence of str or comma string
        Grouping keys, as :func:`~trafikplan.stats.speed_stats`.
    sites : iterable of str, optional
        Only these site ids.
    start, end : date or str, optional
        First and last LOCAL date (inclusive).
    free_flow : bool
        Leave vehicles with a headway below ``[stats] free_flow_headway_s`` [s]
        out of the speed distribution (as ``stats --free-flow``).
    client : distributed.Client, optional
        A client to use (left open); otherwise one is made by :func:`connect`
        from ``scheduler``, ``n_workers`` and ``processes``.
    scheduler : str, optional
        Address of a running Dask scheduler; without it a local cluster.
    n_workers : int, optional
        Workers of the local cluster.
    processes : bool
        Local workers as processes (True) or threads (False).
    import_new : bool
        Import new raw files before computing.

    Returns
    -------
    DataFrame
        The rows and columns of :func:`~trafikplan.stats.speed_stats` with the
        settings' time zone and ``[stats]`` options, in the same order.
    """
    by = _groups.check_by(by)
    found = scan(data_dir, sites=sites, start=start, end=end, import_new=import_new)
    settings = found.settings
    options: dict[str, Any] = {
        "by": by,
        "tz": settings.timezone,
        "free_flow_headway_s": settings.stats.free_flow_headway_s if free_flow else None,
        "include_bicycles": settings.stats.include_bicycles,
        "min_n_percentile": settings.stats.min_vehicles_percentile,
    }
    with contextlib.ExitStack() as stack:
        if client is None:
            client = stack.enter_context(
                connect(scheduler, n_workers=n_workers, processes=processes)
            )
        stack.enter_context(Store(found.data_dir).lock(exclusive=False))
        if "site_id" in by:
            sites_future = client.scatter(found.sites, broadcast=True)
            futures = client.map(
                _site_stats, found.parts, lo=found.lo, hi=found.hi, sites=sites_future,
                options=options, pure=False,
            )
            frames = [f for f in client.gather(futures) if len(f)]
            if not frames:
                return speed_stats(_empty_vehicles(), found.sites, **options)
            return _sort_like_memory(pd.concat(frames, ignore_index=True), by)
        row_futures = client.map(_site_rows, found.parts, lo=found.lo, hi=found.hi, pure=False)
        pairs = client.gather(row_futures)
    vehicles = _concat_categories([v for v, _ in pairs])
    bins = _concat_categories([b for _, b in pairs])
    if vehicles.empty:
        vehicles = _empty_vehicles()
    return speed_stats(vehicles, found.sites, bins=bins if len(bins) else None, **options)


def _empty_vehicles() -> pd.DataFrame:
    from trafikplan import columns

    return columns.empty("vehicles")
