"""``trafikplan halo [DATA_DIR] [-o FILE]``: speeds after past checks, the measured time halo."""

from __future__ import annotations

from pathlib import Path

from trafikplan.cli._app import app, console, data_dir_argument, emit_table, out_file_option

_PRINTED = ("from_hours", "to_hours", "checks_n", "n_after", "n_baseline", "mean_diff",
            "mean_diff_lo", "mean_diff_hi", "share_diff", "share_diff_lo", "share_diff_hi")
"""Columns shown in the terminal (files get every column, per check too)."""


@app.command("halo")
@data_dir_argument
@out_file_option
def halo_command(data_dir: Path, output: Path | None) -> None:
    """Speeds after past checks against the same hours before them: the measured time halo."""
    from trafikplan.io.checks_done import read_checks_done
    from trafikplan.io.store import load
    from trafikplan.plan.learning import planner_halo
    from trafikplan.stats.halo import halo_table, measure_halo

    tables = load(data_dir)
    settings = tables.settings
    checks = getattr(tables, "checks_done", None)
    if checks is None:  # until the import store holds checks_done/
        checks = read_checks_done(data_dir, settings=settings, sites=tables.sites).table
    result = measure_halo(tables.vehicles, checks, tables.sites, settings,
                          baseline_weeks=settings.learning.halo_baseline_weeks)
    if output is not None:
        emit_table(halo_table(result), output)
        return
    sv = settings.language == "sv"
    used = result.checks_used
    title = (f"Hastighet efter kontroller mot samma timmar veckorna före ({used} kontroller "
             "med mätdata)" if sv else
             f"Speeds after checks against the same hours in the weeks before ({used} checks "
             "with counter data)")
    emit_table(result.pooled[list(_PRINTED)].round(3), None, title=title)
    if used == 0:
        console.print("Ingen kontroll har mätdata före och efter: tidshalon kan inte mätas."
                      if sv else "No check has counter data before and after it: the time "
                      "halo cannot be measured.")
    else:
        console.print(f"Uppmätt tidshalo: {result.halo_hours:g} h" if sv else
                      f"Measured time halo: {result.halo_hours:g} h")
    console.print(planner_halo(result, settings).note)
