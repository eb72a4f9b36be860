"""The ``stats`` command: speed statistics per group with 95 % intervals.

``trafikplan stats [DATA_DIR] [--by KEYS] [--from DATE] [--to DATE] [--site ID ...]
[--free-flow] [--engine pandas|dask] [--scheduler ADDRESS] [-o FILE]``

``--engine dask`` computes the same statistics with Dask over the partitioned
store (:mod:`trafikplan.stats.engine_dask`): on a local cluster, or on the
cluster whose scheduler ``--scheduler`` names.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from trafikplan.cli._app import (
    app,
    console,
    csv_dialect_option,
    data_dir_argument,
    emit_table,
    load_tables,
    out_file_option,
    step,
)

if TYPE_CHECKING:
    import pandas as pd

    from trafikplan.settings import Settings

__all__ = ["stats_command"]

_HEADINGS = {
    "mean": ("medel [km/h] (95 %)", "mean [km/h] (95 %)"),
    "v85": ("V85 [km/h] (95 %)", "V85 [km/h] (95 %)"),
    "over": ("över gränsen (95 %)", "over the limit (95 %)"),
}
"""Headings of the printed value-with-interval columns (files get every column)."""


def _with_interval(value: pd.Series, lo: pd.Series, hi: pd.Series, language: str, *,
                   percent: bool) -> list[str]:
    """Format ``value (lo till hi)`` in the language's number format; empty where NaN."""
    from trafikplan.i18n import interval

    if percent:
        return [interval(v, a, b, 0, language, scale=100.0, unit=" %")
                for v, a, b in zip(value, lo, hi, strict=True)]
    return [interval(v, a, b, 1, language) for v, a, b in zip(value, lo, hi, strict=True)]


def _for_terminal(stats: pd.DataFrame, keys: tuple[str, ...], language: str) -> pd.DataFrame:
    """Return a narrow table for the terminal: keys, street, n, main figures with intervals."""
    i = 0 if language == "sv" else 1
    out = stats[list(keys)].copy()
    if "site_id" in keys:
        out["street"] = stats["street"]
        out["speed_limit"] = stats["speed_limit"]
    out["n"] = stats["n"]
    out["n_days"] = stats["n_days"]
    out[_HEADINGS["mean"][i]] = _with_interval(stats["mean_speed"], stats["mean_speed_lo"],
                                               stats["mean_speed_hi"], language, percent=False)
    out[_HEADINGS["v85"][i]] = _with_interval(stats["v85"], stats["v85_lo"], stats["v85_hi"],
                                              language, percent=False)
    out[_HEADINGS["over"][i]] = _with_interval(
        stats["share_over_limit"], stats["share_over_limit_lo"], stats["share_over_limit_hi"],
        language, percent=True)
    out["vehicles_per_hour"] = stats["vehicles_per_hour"].round(1)
    if stats["basis"].eq("bins").any():
        out["basis"] = stats["basis"]
    return out


def _dask_stats(
    data_dir: Path,
    keys: tuple[str, ...],
    sites: list[str],
    first: date | None,
    last: date | None,
    free_flow: bool,
    scheduler: str | None,
) -> tuple[pd.DataFrame, Settings]:
    """Statistics with the Dask engine; a missing Dask or unreachable scheduler is user error."""
    from trafikplan._errors import InputError
    from trafikplan.settings import load_settings

    try:
        from trafikplan.stats.engine_dask import dask_speed_stats
    except ImportError as exc:
        raise InputError("err_dask_missing", name=exc.name) from None
    settings = load_settings(data_dir)
    try:
        stats = dask_speed_stats(data_dir, by=keys, sites=sites or None, start=first, end=last,
                                 free_flow=free_flow, scheduler=scheduler)
    except OSError as exc:  # connecting to the scheduler failed (timeout, refused)
        if scheduler is None:
            raise
        raise InputError("err_dask_scheduler", scheduler=scheduler, detail=exc) from None
    return stats, settings


def _day(value: datetime | None) -> date | None:
    return None if value is None else value.date()


@app.command("stats")
@data_dir_argument
@click.option("--by", "by", default="site_id,direction,hour_start", show_default=True,
              help="Comma list of keys: site_id, direction, date, hour_start, weekday, "
                   "hour_of_day (local time).")
@click.option("--from", "start", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="First local date (YYYY-MM-DD).")
@click.option("--to", "end", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Last local date (YYYY-MM-DD).")
@click.option("--site", "site_ids", multiple=True,
              help="Only this site (repeat for several; commas also separate).")
@click.option("--free-flow", is_flag=True,
              help="Leave vehicles with a headway below [stats] free_flow_headway_s "
                   "out of the speed distribution.")
@click.option("--engine", type=click.Choice(["pandas", "dask"]), default="pandas",
              show_default=True,
              help="pandas: in memory on this machine; dask: per site on a Dask cluster "
                   "(install trafikplan[dask]).")
@click.option("--scheduler", "scheduler", default=None, metavar="ADDRESS",
              help="With --engine dask: address of a running Dask scheduler "
                   "(tcp://host:8786); default a local cluster.")
@out_file_option
@csv_dialect_option("plain")
def stats_command(
    data_dir: Path,
    by: str,
    start: datetime | None,
    end: datetime | None,
    site_ids: tuple[str, ...],
    free_flow: bool,
    engine: str,
    scheduler: str | None,
    output: Path | None,
    csv_dialect: str,
) -> None:
    """Speed statistics (mean, V85, shares over the limit) with 95 % intervals per group."""
    from trafikplan._errors import InputError
    from trafikplan.pipeline import folder_stats, stats_vehicle_columns
    from trafikplan.stats import parse_keys

    keys = parse_keys(by)
    first, last = _day(start), _day(end)
    if first is not None and last is not None and last < first:
        raise InputError("err_to_before_from", last=last, first=first)
    sites = sorted({s.strip() for item in site_ids for s in item.split(",") if s.strip()})
    if scheduler and engine != "dask":
        raise InputError("err_scheduler_needs_dask")
    if engine == "dask":
        stats, settings = _dask_stats(data_dir, keys, sites, first, last, free_flow, scheduler)
    else:
        tables = load_tables(data_dir, sites=sites or None, start=first, end=last,
                             vehicle_columns=stats_vehicle_columns(free_flow=free_flow))
        settings = tables.settings
        if sites:
            unknown = sorted(set(sites) - set(tables.sites["site_id"].astype(str)))
            if unknown:
                raise InputError("err_unknown_site_option", site=unknown[0],
                                 path=Path(data_dir) / "sites.csv")
        with step("working_stats", settings.language):
            stats = folder_stats(tables, keys, free_flow=free_flow)
    from trafikplan.i18n import column, integer, number, text

    lang = settings.language
    if output is None:
        shown = _for_terminal(stats, keys, lang)
        names = ", ".join(column(k, lang) for k in keys) or text("everything", lang)
        title = text("stats_title", lang, keys=names, n=integer(len(stats), lang))
        emit_table(shown, None, title=title, language=lang)
        if stats.empty:
            console.print(text("no_vehicles", lang), markup=False)
        else:
            scope = stats["interval_scope"]
            console.print(text("interval_long_run" if (scope == "long_run").any()
                               else "interval_days_measured", lang), markup=False)
        if not stats.empty and free_flow:
            left = int(stats["n_excluded_headway"].sum())
            thr = settings.stats.free_flow_headway_s
            console.print(text("free_flow_left", lang, n=integer(left, lang),
                               s=number(thr, 1, lang)), markup=False)
    else:
        emit_table(stats, output, language=lang, dialect=csv_dialect, tz=settings.timezone,
                   table="stats")
