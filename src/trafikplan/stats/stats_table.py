"""The statistics table: its columns, grouping defaults and the pieces every basis fills alike.

Shared by the per-vehicle statistics (:mod:`trafikplan.stats.vehicles`) and
the binned ones (:mod:`trafikplan.stats.binned`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from trafikplan.stats import dayvar

__all__ = [
    "DEFAULT_BY",
    "GAP_FILL_HOURS",
    "PERCENTILES",
    "SHARES",
    "STATS_COLUMNS",
    "day_columns",
    "empty_stats",
    "hour_of_week_units",
]

DEFAULT_BY = ("site_id", "direction", "hour_start")
"""Default grouping keys (as the ``stats`` command)."""

PERCENTILES = (("v50", 0.50), ("v85", 0.85), ("v95", 0.95))
"""Percentile columns and their quantiles."""

SHARES = (("share_over_limit", 0.0), ("share_over_10", 10.0), ("share_over_20", 20.0),
          ("share_over_30", 30.0))
"""Share columns and their margin over the speed limit [km/h]."""

GAP_FILL_HOURS = 6
"""Per-vehicle data: up to this many hours without a vehicle between two hours
with vehicles count as measured hours with no traffic (a quiet night); longer
gaps count as no measurement [h]."""

def _stat_columns() -> list[str]:
    cols = ["n", "n_days", "n_hours", "n_eff", "design_effect", "day_sd", "interval_scope",
            "mean_speed", "mean_speed_lo", "mean_speed_hi", "sd"]
    for name, _ in PERCENTILES:
        cols += [name, f"{name}_lo", f"{name}_hi"]
    cols += ["v85_class_width"]
    for name, _ in SHARES:
        cols += [name, f"{name}_lo", f"{name}_hi"]
    cols += ["share_design_effect", "vehicles_per_hour", "n_classified", "share_heavy",
             "share_heavy_lo", "share_heavy_hi", "n_excluded_headway"]
    return cols


STATS_COLUMNS = ("street", "speed_limit", "basis", *_stat_columns())
"""Columns after the grouping keys, in order."""


def empty_stats(by: Sequence[str]) -> pd.DataFrame:
    """Return the statistics table with no row: the keys ``by`` and :data:`STATS_COLUMNS`."""
    key_dtypes = {"site_id": object, "direction": object, "date": object,
                  "hour_start": object, "weekday": np.int64, "hour_of_day": np.int64}
    data = {k: pd.Series(dtype=key_dtypes[k]) for k in by}
    for c in STATS_COLUMNS:
        dt = (np.int64 if c in ("n", "n_days", "n_classified", "n_excluded_headway")
              else object if c in ("street", "basis", "interval_scope") else float)
        data[c] = pd.Series(dtype=dt)
    return pd.DataFrame(data)


def hour_of_week_units(cs: np.ndarray, cd: np.ndarray, ch: np.ndarray, n_dir: int,
                        hours: pd.DataFrame) -> np.ndarray:
    """Hour-of-week unit (site, direction, weekday x hour of day) of each cell."""
    how = ((hours["weekday"].to_numpy(np.int64) - 1) * 24
           + hours["hour_of_day"].to_numpy(np.int64))[ch]
    return (cs * n_dir + cd) * 168 + how


def day_columns(res: pd.DataFrame, n: np.ndarray, deff: np.ndarray,
                 day: dayvar.DayTerms) -> None:
    """Add ``n_eff``, ``design_effect``, ``day_sd`` and ``interval_scope`` to ``res``."""
    with np.errstate(invalid="ignore", divide="ignore"):
        res["n_eff"] = np.where(np.isfinite(deff) & (deff > 0), n / deff, n.astype(float))
    res["design_effect"] = np.where(np.isfinite(deff), deff, 1.0)
    res["day_sd"] = day.day_sd
    res["interval_scope"] = day.scope()
