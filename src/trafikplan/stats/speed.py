"""Speed statistics per group of site, direction and local time, with 95 % intervals.

:func:`speed_stats` is the entry point: per-vehicle data (``vehicles``) and
binned counts (``bins``) in, one row per group out. The columns are listed in
:data:`STATS_COLUMNS` and documented on :func:`speed_stats`.

Methods (each tested against an independent implementation or by simulation):

* mean speed: Student t interval whose variance carries the between-day
  component of the site when the group pools several days
  (:func:`~trafikplan.stats.dayvar.mean_interval`);
* percentiles V50, V85, V95: one definition everywhere, linear interpolation
  between order statistics (Hyndman & Fan definition 7, as ``numpy.quantile``;
  :func:`percentile_rank`); interval from the distribution-free
  order-statistic interval with exact binomial ranks
  (:func:`~trafikplan.stats.intervals.quantile_ranks`) on Woodruff's
  effective sample size (:mod:`~trafikplan.stats.dayvar`);
* shares over the limit (+10, +20, +30 km/h): Wilson score interval on the
  effective sample size ``n / deff`` (design effect of the day-to-day
  variation); the heavy share: Wilson on vehicles.

Unit of independence: the (site, local date) cluster when a group pools days
(``interval_scope == "long_run"``: the interval is for the long-run value of
that hour of the week); vehicles when the keys fix one date
(``"days_measured"``: for that day only). See :mod:`trafikplan.stats.dayvar`.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from trafikplan._errors import InputError
from trafikplan.stats import _groups
from trafikplan.stats.stats_table import DEFAULT_BY, empty_stats
from trafikplan.stats.vehicles import vehicle_stats

__all__ = ["speed_stats"]


def speed_stats(
    vehicles: pd.DataFrame,
    sites: pd.DataFrame,
    *,
    bins: pd.DataFrame | None = None,
    by: Sequence[str] | str = DEFAULT_BY,
    tz: str = "Europe/Stockholm",
    free_flow_headway_s: float | None = None,
    include_bicycles: bool = False,
    min_n_percentile: int = 0,
    level: float = 0.95,
) -> pd.DataFrame:
    """Speed statistics per group, each with its sample size and 95 % interval.

    Parameters
    ----------
    vehicles : DataFrame
        Canonical vehicles table (:data:`trafikplan.columns.VEHICLES`):
        ``site_id``, ``time`` (datetime64[ns, UTC]), ``direction``,
        ``speed`` [km/h], and where present ``headway`` [s] and
        ``vehicle_class``.
    sites : DataFrame
        Canonical sites table: ``site_id``, ``street``, ``speed_limit`` [km/h].
        A site missing here gets NA street and NaN limit (and NaN shares).
    bins : DataFrame, optional
        Canonical bins table (:data:`trafikplan.columns.BINS`); statistics
        from bins as :func:`trafikplan.stats.binned.binned_stats`. Where a site
        has per-vehicle data for a local hour, its bins starting in that hour
        are dropped (per-vehicle data wins; nothing is counted twice).
    by : sequence of str or comma string
        Grouping keys from ``site_id, direction, date, hour_start, weekday,
        hour_of_day`` (local time in ``tz``). Empty: one group of everything.
        Bins whose direction is ``"all"`` (both directions together) form
        their own group with ``direction == "all"`` when ``direction`` is a
        key; without ``direction`` among the keys they join the other rows of
        their site.
    tz : str
        IANA time zone of the local keys.
    free_flow_headway_s : float [s], optional
        When given, vehicles with a headway below this are left out of the
        speed distribution (mean, sd, percentiles and shares), as speed
        surveys measure free-flowing vehicles; ``n_excluded_headway`` counts
        them. A missing headway counts as free flow. ``vehicles_per_hour``
        and ``share_heavy`` still count every vehicle.
    include_bicycles : bool
        Keep ``vehicle_class == "bicycle"`` (default: left out of
        motor-vehicle statistics).
    min_n_percentile : int
        Extra floor on ``n`` for a percentile, on top of the order-statistic
        rule (``[stats] min_vehicles_percentile``).
    level : float
        Confidence level of every interval (0.95).

    Returns
    -------
    DataFrame
        One row per group and basis, sorted by the keys (``hour_start``
        chronologically, by its instant), columns:

        * the keys: ``site_id`` (str), ``direction`` (str), ``date`` (str,
          local ``YYYY-MM-DD``), ``hour_start`` (str, ISO 8601 with offset, see
          :mod:`trafikplan.stats.localtime`), ``weekday`` (int, 1 = Monday),
          ``hour_of_day`` (int, 0..23);
        * ``street`` (str; streets joined by ``"; "`` when the group spans
          several sites), ``speed_limit`` (float [km/h]; NaN when the group's
          sites have different limits);
        * ``basis`` (str): ``"vehicles"`` (per-vehicle data) or ``"bins"``
          (speed-class counts). A group with per-vehicle data for some hours
          and bins for others has one row of each;
        * ``n`` (int): vehicles in the speed statistics;
          ``n_days`` (int): local dates with data in the group (when 1, every
          figure rests on a single day); ``n_hours`` (float [h]): measured
          hours in the group, counted per site (per site and direction when
          ``direction`` is a key), so a group over two sites for one hour has 2;
        * ``n_eff`` (float [vehicles]) and ``design_effect`` (float [1]): the
          effective sample size ``n / design_effect`` of the mean, where
          ``design_effect`` is its variance over the variance of independent
          vehicles (1 when the interval is for the days measured);
          ``day_sd`` (float [km/h]): the between-day standard deviation of the
          mean speed of the group's site(s), estimated over all its hours of the
          week (NaN where not estimable); ``interval_scope`` (str):
          ``"long_run"`` -- the intervals answer "what is the value of this hour
          of the week" and include the day-to-day variation; ``"days_measured"``
          -- they answer "what was it on the days measured" (the keys fix one
          date, or the site has no hour of the week measured on two dates);
        * ``mean_speed``, ``mean_speed_lo``, ``mean_speed_hi`` (float [km/h]):
          mean with the Student t interval (day term included); ``sd`` (float [km/h]);
        * ``v50``, ``v85``, ``v95`` (float [km/h]) each with ``_lo``/``_hi``:
          percentiles (:func:`percentile_rank`) with the order-statistic
          interval (exact binomial ranks on Woodruff's effective n); NaN when
          the group is too small for the interval's ranks to exist (95 %:
          n < 6 for V50, n < 23 for V85, n < 72 for V95) or below
          ``min_n_percentile``; limits NaN when the effective n is too small;
          ``v85_class_width`` (float [km/h]): for bins, the width of the speed
          class holding V85 (NaN for per-vehicle data);
        * ``share_over_limit``, ``share_over_10``, ``share_over_20``,
          ``share_over_30`` (float [0..1]) each with ``_lo``/``_hi``: share of
          vehicles with speed > limit (+ 10, 20, 30 km/h), Wilson interval on
          the effective sample size, each vehicle against the limit of its
          own site; ``share_design_effect`` (float [1]) the design effect of
          ``share_over_limit``;
        * ``vehicles_per_hour`` (float [vehicles/h]): all vehicles (also the
          ones left out by the free-flow rule) per measured hour, i.e.
          ``n_all / n_hours``: the mean flow at one site (and direction);
        * ``n_classified`` (int), ``share_heavy`` (+ ``_lo``/``_hi``, float
          [0..1]): share of ``vehicle_class == "heavy"`` among vehicles with a
          known class, Wilson interval; NaN for bins and unclassified data;
        * ``n_excluded_headway`` (int): vehicles left out by the free-flow rule.

    Notes
    -----
    A figure pooled over several days has the (site, date) cluster as its
    unit: its interval carries the between-day variance component
    (:mod:`trafikplan.stats.dayvar`). Vehicles in platoons within one hour
    are still treated as independent. Measured hours of per-vehicle data
    are the hours with a vehicle plus gaps of up to :data:`GAP_FILL_HOURS`
    hours without one (a counter sees no record in an hour without traffic).
    Statistics from bins are approximate within a bin; see
    :func:`trafikplan.stats.binned.binned_stats`.
    """
    by = _groups.check_by(by)
    if not 0.0 < level < 1.0:
        raise InputError("err_confidence_level", level=level)
    veh, coverage = vehicle_stats(
        vehicles, sites, by=by, tz=tz, free_flow_headway_s=free_flow_headway_s,
        include_bicycles=include_bicycles, min_n_percentile=min_n_percentile, level=level,
    )
    parts = [veh]
    if bins is not None and len(bins):
        from trafikplan.stats.binned import binned_stats  # scipy.interpolate only when needed

        parts.append(binned_stats(bins, sites, by=by, tz=tz, min_n_percentile=min_n_percentile,
                                  level=level, exclude=coverage))
    parts = [p for p in parts if len(p)]
    if not parts:
        return empty_stats(by)
    res = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    ikeys = _groups.internal_keys(by)
    res = res.sort_values([*ikeys, "basis"], kind="stable").reset_index(drop=True)
    return res.drop(columns=["hour_start_utc"], errors="ignore")
