"""Speed statistics with honest intervals.

Public API::

    from trafikplan.stats import speed_stats
    stats = speed_stats(tables.vehicles, tables.sites, bins=tables.bins,
                        by=("site_id", "weekday", "hour_of_day"))

Modules: :mod:`~trafikplan.stats.intervals` (t, Wilson, Newcombe, order-statistic
ranks), :mod:`~trafikplan.stats.localtime` (UTC -> local keys),
:mod:`~trafikplan.stats.speed` (per-group statistics),
:mod:`~trafikplan.stats.binned` (statistics from speed-class counts),
:mod:`~trafikplan.stats.dayvar` (the between-day variance of pooled statistics).
"""

from __future__ import annotations

from trafikplan.stats._groups import check_by as parse_keys
from trafikplan.stats.binned import ClassCdf, binned_stats
from trafikplan.stats.estimators import percentile_rank
from trafikplan.stats.intervals import (
    newcombe_difference,
    quantile_ranks,
    t_interval,
    wilson_interval,
    z_value,
)
from trafikplan.stats.localtime import hour_codes, hour_table, iso_with_offset, local_keys
from trafikplan.stats.speed import speed_stats
from trafikplan.stats.stats_table import (
    DEFAULT_BY,
    GAP_FILL_HOURS,
    PERCENTILES,
    SHARES,
    STATS_COLUMNS,
)
from trafikplan.stats.vehicles import vehicle_stats

__all__ = [
    "DEFAULT_BY",
    "GAP_FILL_HOURS",
    "PERCENTILES",
    "SHARES",
    "STATS_COLUMNS",
    "ClassCdf",
    "binned_stats",
    "hour_codes",
    "hour_table",
    "iso_with_offset",
    "local_keys",
    "newcombe_difference",
    "parse_keys",
    "percentile_rank",
    "quantile_ranks",
    "speed_stats",
    "t_interval",
    "vehicle_stats",
    "wilson_interval",
    "z_value",
]
