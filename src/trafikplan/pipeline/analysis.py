"""The analysis of a loaded data folder with its own settings: stats, flags, halo, evaluation."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal, overload

if TYPE_CHECKING:
    import pandas as pd

    from trafikplan.io.store.tables import Tables
    from trafikplan.stats.halo import HaloResult

__all__ = [
    "MEASURES_FILE",
    "check_measure_sites",
    "evaluate_folder",
    "folder_flags",
    "folder_halo",
    "folder_stats",
    "read_folder_measures",
    "stats_vehicle_columns",
]

MEASURES_FILE = "measures.csv"


def stats_vehicle_columns(*, free_flow: bool = False) -> tuple[str, ...]:
    """Return the vehicles columns :func:`folder_stats` reads (``headway`` only with ``free_flow``).

    Loading only these (``load_folder(..., vehicle_columns=...)``) spares
    reading and holding the others.
    """
    from trafikplan.stats.vehicles import used_columns

    return used_columns(free_flow=free_flow)


def folder_stats(tables: Tables, by: Sequence[str], *, free_flow: bool = False,
                 min_n_percentile: bool = True) -> pd.DataFrame:
    """Speed statistics of the folder grouped ``by`` (:func:`trafikplan.stats.speed_stats`).

    The folder's time zone and vehicle rules (``[stats] include_bicycles``,
    ``min_vehicles_percentile``) apply; the unit of independence of the
    intervals is the day (see :mod:`trafikplan.stats.speed`).

    Parameters
    ----------
    tables : Tables
        The loaded folder.
    by : sequence of str
        Keys (``site_id, direction, date, hour_start, weekday, hour_of_day``).
    free_flow : bool
        Leave vehicles with a headway below ``[stats] free_flow_headway_s`` out.
    min_n_percentile : bool
        Apply ``[stats] min_vehicles_percentile`` to the percentiles.
    """
    from trafikplan.stats import speed_stats

    s = tables.settings
    kwargs = {"min_n_percentile": s.stats.min_vehicles_percentile} if min_n_percentile else {}
    return speed_stats(
        tables.vehicles, tables.sites, bins=tables.bins, by=tuple(by), tz=s.timezone,
        free_flow_headway_s=s.stats.free_flow_headway_s if free_flow else None,
        include_bicycles=s.stats.include_bicycles, **kwargs,
    )


def folder_flags(tables: Tables) -> pd.DataFrame:
    """Return every site-hour with evidence and whether it is flagged (``flags_of``)."""
    from trafikplan.flags import flags_of

    return flags_of(tables)


def folder_halo(tables: Tables) -> HaloResult:
    """Speeds after the folder's completed checks against the same hours before them.

    :func:`trafikplan.stats.halo.measure_halo` with ``[learning]
    halo_baseline_weeks``.
    """
    from trafikplan.stats.halo import measure_halo

    s = tables.settings
    return measure_halo(tables.vehicles, tables.checks_done, tables.sites, s,
                        baseline_weeks=s.learning.halo_baseline_weeks)


@overload
def read_folder_measures(folder: Path | str | Tables, *, measure_id: str | None = None,
                         required: Literal[True] = True) -> pd.DataFrame: ...


@overload
def read_folder_measures(folder: Path | str | Tables, *, measure_id: str | None = None,
                         required: bool) -> pd.DataFrame | None: ...


def read_folder_measures(folder: Path | str | Tables, *, measure_id: str | None = None,
                         required: bool = True) -> pd.DataFrame | None:
    """Read ``measures.csv`` of a folder (:func:`trafikplan.io.user_tables.measures.read_measures`).

    Parameters
    ----------
    folder : Path, str or Tables
        The data folder, or its tables (then the sites are checked as by
        :func:`check_measure_sites`).
    measure_id : str, optional
        A measure that must be in the file.
    required : bool
        Raise when the file is missing (else return None).

    Raises
    ------
    InputError
        No ``measures.csv`` (when required), an unknown ``measure_id``, or a
        broken file (file, line, column).
    """
    from trafikplan._errors import InputError
    from trafikplan.io.store.tables import Tables
    from trafikplan.io.user_tables.measures import read_measures

    data_dir = folder.data_dir if isinstance(folder, Tables) else folder
    path = Path(data_dir) / MEASURES_FILE
    if not path.is_file():
        if not required:
            return None
        raise InputError("err_no_measures", path=path)
    measures = read_measures(path)
    if measure_id is not None and measure_id not in set(measures["measure_id"]):
        raise InputError("err_unknown_measure", measure=measure_id,
                         known=", ".join(measures["measure_id"]), path=path)
    if isinstance(folder, Tables):
        check_measure_sites(folder, measures)
    return measures


def check_measure_sites(tables: Tables, measures: pd.DataFrame) -> None:
    """Raise InputError (file, line, column) for a site of ``measures`` not in ``sites.csv``."""
    from trafikplan._errors import InputError
    from trafikplan.columns import table_rows

    path = Path(tables.data_dir) / MEASURES_FILE
    known = set(tables.sites["site_id"].astype(str))
    for row in table_rows(measures):
        for col in ("site_id", "comparison_site_id"):
            value = getattr(row, col)
            if isinstance(value, str) and value and value not in known:
                raise InputError("err_site_not_in_sites", site=value, path=path,
                                 line=int(row.line), column=col)


@overload
def evaluate_folder(tables: Tables, *, measures: pd.DataFrame, measure_id: str | None = None,
                    language: str | None = None) -> pd.DataFrame: ...


@overload
def evaluate_folder(tables: Tables, *, measures: None = None, measure_id: str | None = None,
                    language: str | None = None) -> pd.DataFrame | None: ...


def evaluate_folder(tables: Tables, *, measures: pd.DataFrame | None = None,
                    measure_id: str | None = None,
                    language: str | None = None) -> pd.DataFrame | None:
    """Evaluate the measures of the folder's ``measures.csv`` with its settings.

    Before against after on the same weekdays and hours, and the difference
    in differences against a comparison site
    (:func:`trafikplan.stats.evaluate.evaluate_measures`).

    Parameters
    ----------
    tables : Tables
        The loaded folder (its ``data_dir`` holds ``measures.csv``).
    measures : DataFrame, optional
        Already read (:func:`read_folder_measures`); read when None.
    measure_id : str, optional
        Evaluate only this measure.
    language : str, optional
        Language of the verdicts (default ``settings.language``).

    Returns
    -------
    DataFrame or None
        :data:`trafikplan.stats.evaluate.EVALUATION_COLUMNS`, one row per
        measure; None when the folder has no ``measures.csv``.
    """
    from trafikplan.stats.evaluate import evaluate_measures

    if measures is None:
        measures = read_folder_measures(tables, measure_id=measure_id, required=False)
        if measures is None:
            return None
    s = tables.settings
    m = s.measurements
    return evaluate_measures(
        tables.vehicles, tables.sites, measures, tz=s.timezone, measure_id=measure_id,
        after_weeks=m.after_weeks, window_days=m.evaluation_window_days,
        neighbour_radius_km=m.neighbour_radius_km, diversion_min_change=m.diversion_min_change,
        bootstrap_reps=m.bootstrap_reps, seed=m.seed, v85_margin_kmh=s.flags.v85_margin_kmh,
        share_over_limit_min=s.flags.share_over_limit_min,
        include_bicycles=s.stats.include_bicycles, language=language or s.language,
        bins=tables.bins,
    )
