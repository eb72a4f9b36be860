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

from trafikplan.cli._app import app, console, data_dir_argument, emit_table, out_file_option

if TYPE_CHECKING:
    import pandas as pd

    from trafikplan.settings import Settings

_HEADINGS = {
    "sv": {"street": "gata", "speed_limit": "gräns", "n": "n", "n_days": "dagar",
           "mean": "medel (95 %)", "v85": "V85 (95 %)", "over": "> gräns (95 %)",
           "vph": "fordon/h"},
    "en": {"street": "street", "speed_limit": "limit", "n": "n", "n_days": "days",
           "mean": "mean (95 %)", "v85": "V85 (95 %)", "over": "> limit (95 %)",
           "vph": "vehicles/h"},
}
"""Headings of the printed table (files get every column under its own name)."""


def _with_interval(value: pd.Series, lo: pd.Series, hi: pd.Series, *, percent: bool) -> pd.Series:
    """Format ``value (lo–hi)``; empty where the value is NaN."""
    import pandas as pd

    scale, fmt = (100.0, "{:.0f}") if percent else (1.0, "{:.1f}")
    unit = " %" if percent else ""

    def one(v: float, a: float, b: float) -> str:
        if pd.isna(v):
            return ""
        return f"{fmt.format(v * scale)}{unit} ({fmt.format(a * scale)}–{fmt.format(b * scale)})"

    return pd.Series([one(*t) for t in zip(value, lo, hi, strict=True)], index=value.index,
                     dtype=object)


def _for_terminal(stats: pd.DataFrame, keys: tuple[str, ...], language: str) -> pd.DataFrame:
    """Return a narrow table for the terminal: keys, street, n, main figures with intervals."""
    import pandas as pd

    h = _HEADINGS.get(language, _HEADINGS["sv"])
    out = stats[list(keys)].copy()
    if "site_id" in keys:
        out[h["street"]] = stats["street"]
        out[h["speed_limit"]] = stats["speed_limit"].map(
            lambda x: "" if pd.isna(x) else f"{x:g}")
    out[h["n"]] = stats["n"]
    out[h["n_days"]] = stats["n_days"]
    out[h["mean"]] = _with_interval(stats["mean_speed"], stats["mean_speed_lo"],
                                    stats["mean_speed_hi"], percent=False)
    out[h["v85"]] = _with_interval(stats["v85"], stats["v85_lo"], stats["v85_hi"], percent=False)
    out[h["over"]] = _with_interval(stats["share_over_limit"], stats["share_over_limit_lo"],
                                    stats["share_over_limit_hi"], percent=True)
    out[h["vph"]] = stats["vehicles_per_hour"].round(1)
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
        raise InputError(f"--engine dask needs Dask ({exc.name} is missing); "
                         "install it with: pip install 'trafikplan[dask]'") from None
    settings = load_settings(data_dir)
    try:
        stats = dask_speed_stats(data_dir, by=keys, sites=sites or None, start=first, end=last,
                                 free_flow=free_flow, scheduler=scheduler)
    except OSError as exc:  # connecting to the scheduler failed (timeout, refused)
        if scheduler is None:
            raise
        raise InputError(f"cannot reach the Dask scheduler {scheduler!r} ({exc}); "
                         "expected the address of a running scheduler, e.g. "
                         "tcp://host:8786") from None
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
) -> None:
    """Speed statistics (mean, V85, shares over the limit) with 95 % intervals per group."""
    from trafikplan._errors import InputError
    from trafikplan.io.store import load
    from trafikplan.stats import parse_keys, speed_stats

    keys = parse_keys(by)
    first, last = _day(start), _day(end)
    if first is not None and last is not None and last < first:
        raise InputError(f"--to {last} is before --from {first}")
    sites = sorted({s.strip() for item in site_ids for s in item.split(",") if s.strip()})
    if scheduler and engine != "dask":
        raise InputError("--scheduler needs --engine dask")
    if engine == "dask":
        stats, settings = _dask_stats(data_dir, keys, sites, first, last, free_flow, scheduler)
    else:
        tables = load(data_dir, sites=sites or None, start=first, end=last)
        settings = tables.settings
        if sites:
            unknown = sorted(set(sites) - set(tables.sites["site_id"].astype(str)))
            if unknown:
                raise InputError(f"unknown site {unknown[0]!r} (--site); see sites.csv",
                                 path=Path(data_dir) / "sites.csv")
        stats = speed_stats(
            tables.vehicles,
            tables.sites,
            bins=tables.bins,
            by=keys,
            tz=settings.timezone,
            free_flow_headway_s=settings.stats.free_flow_headway_s if free_flow else None,
            include_bicycles=settings.stats.include_bicycles,
            min_n_percentile=settings.stats.min_vehicles_percentile,
        )
    en = settings.language == "en"
    if output is None:
        shown = _for_terminal(stats, keys, settings.language)
        title = (f"Speed statistics by {', '.join(keys) or 'everything'} ({len(stats)} groups)"
                 if en else
                 f"Hastighetsstatistik per {', '.join(keys) or 'allt'} ({len(stats)} grupper)")
        emit_table(shown, None, title=title)
        if stats.empty:
            console.print("No vehicles in the selection." if en
                          else "Inga fordon i urvalet.")
        else:
            from trafikplan.report.i18n import texts

            scope = stats["interval_scope"]
            say = texts(settings.language)
            console.print(say["interval_long_run"] if (scope == "long_run").any()
                          else say["interval_days_measured"])
        if not stats.empty and free_flow:
            left = int(stats["n_excluded_headway"].sum())
            thr = settings.stats.free_flow_headway_s
            console.print(f"Free flow: {left} vehicles with headway < {thr:g} s left out."
                          if en else
                          f"Fritt flöde: {left} fordon med tidlucka < {thr:g} s utelämnade.")
    else:
        emit_table(stats, output)
