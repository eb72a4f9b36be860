"""Before/after evaluation of built traffic-safety measures, with honest intervals.

For each measure of ``measures.csv`` (:func:`trafikplan.io.user_tables.measures.read_measures`)
the speeds at its site before the measure are compared with the speeds after
it, on the same local weekdays and hours, and where possible against a
comparison site on a street without a measure (difference in differences),
so that a town-wide trend is not credited to the measure.

Periods (local dates, ``built`` = the day the measure was finished)

* before: ``built - window_days <= date < built``;
* after: ``built + after_weeks·7 <= date < built + after_weeks·7 + window_days``
  (the first ``after_weeks`` weeks are left out: drivers get used to a new
  measure, and the builders may still be there).

Same weekdays and hours: both periods are restricted to the local
weekday × hour-of-day cells (7 × 24) that hold vehicles in both, so a
before measurement with more night hours cannot pass for a speed change.

The unit of analysis is the day. Each local date gives a *standardised daily
value*: the mean over the day's common weekday × hour cells of the cell
means, each cell weighted by the measure site's vehicles in it over both
periods (the same weights before and after, so a change in the mix of hours
is not a change in speed). Methods:

* mean speed difference (after − before): Welch's t interval over the daily
  values, :func:`welch_difference`;
* V85 difference: the pooled V85s (the one percentile definition,
  :func:`trafikplan.stats.speed.percentile_rank`) with a normal interval
  whose variance adds the between-day variance of the daily means to the
  order-statistic variance of each V85 (:func:`compare_periods`);
* share over the limit difference: Newcombe's hybrid score interval on the
  effective sample sizes (the daily shares' variance over the binomial one);
* difference in differences against a comparison site: the daily
  differences measure site − comparison site on the same date, over the
  same cells and weights; after minus before with a standard error clustered
  by date and Student t with ``G − 1`` degrees of freedom (:func:`paired_did`,
  equal to ``statsmodels`` OLS with cluster-robust errors). A comparison site
  measured on other dates falls back on four independent sets of daily
  values (:func:`did_difference`);
* placebo calibration: the same paired analysis on pairs of sites on streets
  without a measure, on the measure's dates and cells: their estimates show
  how large a "change" chance alone produces (:func:`_placebo`);
* power: the minimum detectable effect ``(t(0.975) + t(0.8)) · se``
  (:func:`minimum_detectable`), named in the verdict;
* volume change: vehicles per measured hour (hours with at least one vehicle
  in the common cells), after / before − 1; a point figure, no interval.

Comparison site: the measure's ``comparison_site_id`` when named, else the
nearest site within ``neighbour_radius_km`` on a street without any measure
that has vehicles in both periods. Its periods are the measure site's
measured date spans (± 7 days). Neighbouring streets (other streets within
``neighbour_radius_km``) whose volume grows by ``diversion_min_change`` or more
are reported as possible diversion of traffic.

Regression to the mean: a site chosen because its speeds were high would
likely show lower speeds at a second measurement even without a measure. The
evaluation warns when the before measurement would itself have been flagged
for speeding (V85's lower limit above limit + ``v85_margin_kmh`` and the share
over the limit's lower Wilson limit above ``share_over_limit_min``, the two
rules of ``[flags]``).

The verdict says "no detectable change" whenever an interval spans zero, and
names the number of days and the minimum detectable effect.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from trafikplan.columns import table_rows
from trafikplan.i18n.verdicts import measure_verdict
from trafikplan.stats.before_after import (
    compare_periods,
    day_number,
    observations,
    period_of,
    periods_of,
    site_name,
    would_flag,
)
from trafikplan.stats.comparison_sites import comparison, diversion, haversine_km, placebo

__all__ = ["EVALUATION_COLUMNS", "evaluate_measures"]

EVALUATION_COLUMNS = (
    "measure_id", "street", "site_id", "kind", "built", "speed_limit",
    "before_from", "before_to", "after_from", "after_to", "cells", "days_before", "days_after",
    "n_before", "n_after", "mean_before", "mean_after", "mean_diff", "mean_diff_lo",
    "mean_diff_hi", "v85_before", "v85_after", "v85_diff", "v85_diff_lo", "v85_diff_hi",
    "share_over_limit_before", "share_over_limit_after", "share_diff", "share_diff_lo",
    "share_diff_hi", "vehicles_per_hour_before", "vehicles_per_hour_after", "volume_change",
    "comparison_site_id", "comparison_street", "comparison_source", "comparison_mean_diff",
    "did", "did_lo", "did_hi", "did_cells", "regression_to_mean", "diversion", "verdict",
    "mean_diff_mde", "did_se", "did_df", "did_days", "did_paired", "did_mde", "mde",
    "placebo_n", "placebo_sd", "placebo_p",
)
"""Columns of :func:`evaluate_measures`, in order."""

def _missing_row(m: pd.Series, limit: float) -> dict:
    row: dict[str, Any] = dict.fromkeys(EVALUATION_COLUMNS, np.nan)
    row.update({
        "measure_id": m["measure_id"], "street": m["street"], "site_id": m["site_id"],
        "kind": m["kind"], "built": m["built"], "speed_limit": limit,
        "before_from": None, "before_to": None, "after_from": None, "after_to": None,
        "cells": 0, "days_before": 0, "days_after": 0, "n_before": 0, "n_after": 0,
        "comparison_site_id": None, "comparison_street": None, "comparison_source": None,
        "did_cells": 0, "regression_to_mean": False, "diversion": "",
        "did_days": 0, "did_paired": False, "placebo_n": 0,
    })
    return row


def evaluate_measures(
    vehicles: pd.DataFrame,
    sites: pd.DataFrame,
    measures: pd.DataFrame,
    *,
    tz: str = "Europe/Stockholm",
    measure_id: str | None = None,
    after_weeks: int = 4,
    window_days: int = 365,
    neighbour_radius_km: float = 1.5,
    diversion_min_change: float = 0.10,
    bootstrap_reps: int = 2000,
    seed: int = 0,
    v85_margin_kmh: float = 5.0,
    share_over_limit_min: float = 0.15,
    include_bicycles: bool = False,
    language: str = "sv",
    level: float = 0.95,
    as_of: dt.date | None = None,
    bins: pd.DataFrame | None = None,
    max_placebo_sites: int = 12,
) -> pd.DataFrame:
    """Evaluate each built measure: before against after, and against a comparison site.

    Parameters
    ----------
    vehicles : DataFrame
        Canonical vehicles table (:data:`trafikplan.columns.VEHICLES`):
        ``site_id``, ``time`` [UTC], ``speed`` [km/h], ``vehicle_class``.
    sites : DataFrame
        Canonical sites table: ``site_id, street, lat, lon`` [deg], ``speed_limit`` [km/h].
    measures : DataFrame
        From :func:`trafikplan.io.user_tables.measures.read_measures`.
    tz : str
        Time zone of local dates, weekdays and hours.
    measure_id : str, optional
        Evaluate only this measure.
    after_weeks : int [weeks]
        Weeks after ``built`` left out before the after period starts.
    window_days : int [days]
        Length of the before and the after period.
    neighbour_radius_km : float [km]
        Radius for a nearby comparison site and for neighbouring streets.
    diversion_min_change : float [share]
        Volume growth on a neighbouring street reported as possible diversion.
    bootstrap_reps, seed : int
        Accepted for compatibility (``[measurements] bootstrap_reps``); the
        intervals are computed over days and resample nothing.
    v85_margin_kmh : float [km/h]
        Regression-to-the-mean warning when the before V85's lower limit
        exceeds the limit + this ...
    share_over_limit_min : float [share]
        ... and the before share over the limit's lower limit exceeds this.
    include_bicycles : bool
        Keep ``vehicle_class == "bicycle"`` (left out by default, as in the statistics).
    language : str
        ``"sv"`` or ``"en"`` for the verdict.
    level : float
        Confidence level of every interval.
    as_of : datetime.date, optional
        The day of the evaluation (default: today in ``tz``); a measure whose
        ``built`` date is later is planned, not built, and is not evaluated.
    bins : DataFrame, optional
        Canonical bins table (``site_id, start`` [UTC]). Binned counts are not
        evaluated (their class width hides changes of a few km/h and they
        cannot be restricted to free vehicles); a period measured only in bins
        gets a verdict saying so instead of "no measurement".
    max_placebo_sites : int
        At most this many sites on streets without a measure form the placebo
        pairs (:func:`placebo`).

    Returns
    -------
    DataFrame
        One row per measure, columns :data:`EVALUATION_COLUMNS`:

        * ``measure_id, street, site_id, kind`` : str; ``built`` : date or None;
          ``speed_limit`` : float [km/h];
        * ``before_from, before_to, after_from, after_to`` : date, measured days used;
        * ``cells`` : int, weekday × hour cells common to before and after;
          ``days_before, days_after`` : int, measured days;
        * ``n_before, n_after`` : int [vehicles]; ``mean_before, mean_after`` [km/h];
        * ``mean_before, mean_after`` [km/h] are means of the standardised
          daily means; ``mean_diff, mean_diff_lo, mean_diff_hi`` : float
          [km/h], after − before (Welch over days, :func:`compare_periods`);
        * ``v85_before, v85_after, v85_diff, v85_diff_lo, v85_diff_hi`` : float [km/h]
          (pooled V85s, interval with the day term);
        * ``share_over_limit_before, share_over_limit_after, share_diff,
          share_diff_lo, share_diff_hi`` : float [share] (Newcombe on effective n);
        * ``vehicles_per_hour_before, vehicles_per_hour_after`` : float [vehicles/h];
          ``volume_change`` : float [share], after / before − 1;
        * ``comparison_site_id, comparison_street`` : str or None;
          ``comparison_source`` : ``named`` or ``nearby`` or None;
          ``comparison_mean_diff`` : float [km/h], the trend at the comparison site;
        * ``did, did_lo, did_hi`` : float [km/h], difference in differences of
          mean speeds over days (:func:`paired_did`; NaN without comparison);
          ``did_cells`` : int, cells common to all four groups;
        * ``regression_to_mean`` : bool; ``diversion`` : str (neighbouring
          streets with more traffic, "" if none); ``verdict`` : str;
        * ``mean_diff_mde`` [km/h]: the smallest change of the mean the
          before/after days could detect (80 % power, 5 % two-sided);
          ``did_se`` [km/h], ``did_df``, ``did_days`` (dates ``G``),
          ``did_paired`` (bool: paired by date), ``did_mde`` [km/h];
          ``mde`` [km/h]: ``did_mde`` when there is a comparison, else
          ``mean_diff_mde`` (the figure the verdict names);
        * ``placebo_n`` (pairs of untreated sites), ``placebo_sd`` [km/h]
          (root mean square of their differences in differences, whose truth
          is 0), ``placebo_p`` (share of placebo estimates at least as large
          as ``did`` in absolute value).
    """
    ms = measures if measure_id is None else measures[measures["measure_id"] == measure_id]
    today = as_of if as_of is not None else dt.datetime.now(ZoneInfo(tz)).date()
    sites = sites.drop_duplicates("site_id").set_index("site_id", drop=False)
    measure_streets = set(measures["street"].astype(str))
    lat = sites["lat"].to_numpy(dtype=float)
    lon = sites["lon"].to_numpy(dtype=float)
    involved: set[str] = set()
    near: dict[str, list[str]] = {}
    for m in table_rows(ms):  # a handful of measures, not rows of data
        involved.add(m.site_id)
        if site_name(m.comparison_site_id):
            involved.add(m.comparison_site_id)
        if m.site_id in sites.index:
            s = sites.loc[m.site_id]
            dist = haversine_km(float(s["lat"]), float(s["lon"]), lat, lon)
            order = np.argsort(dist, kind="stable")
            ok = (dist[order] <= neighbour_radius_km) & (
                sites["street"].to_numpy(dtype=object)[order] != s["street"])
            near[m.measure_id] = list(sites.index[order][ok])
            involved.update(near[m.measure_id])
    untreated = [str(x) for x in sites.index
                 if str(sites.loc[x, "street"]) not in measure_streets][:max_placebo_sites]
    involved.update(untreated)
    obs = observations(vehicles, involved, tz, include_bicycles)

    rows = []
    for _, m in ms.iterrows():
        limit = float(sites.loc[m["site_id"], "speed_limit"]) if m["site_id"] in sites.index \
            else np.nan
        row = _missing_row(m, limit)
        built = m["built"] if isinstance(m["built"], dt.date) else None
        if built is not None and built > today:
            row["_planned"] = True  # a future build date: planned, not built yet
        elif built is not None:
            b0 = day_number(built)
            a0 = b0 + 7 * after_weeks
            rb = obs.select(m["site_id"], b0 - window_days, b0 - 1)
            ra = obs.select(m["site_id"], a0, a0 + window_days - 1)
            row["_has_before"], row["_has_after"] = bool(rb.any()), bool(ra.any())
            row["_bins_only"] = (not (rb.any() and ra.any())) and _binned(
                bins, m["site_id"], b0 - window_days, a0 + window_days, tz)
            common = np.intersect1d(obs.cell[rb], obs.cell[ra])
            in_common = obs.in_cells(common)
            rb &= in_common
            ra &= in_common
            row["n_before"], row["n_after"] = int(rb.sum()), int(ra.sum())
            if rb.any() and ra.any():
                w = np.bincount(obs.cell[rb | ra], minlength=168).astype(float)
                pb = period_of(obs, np.flatnonzero(rb), w, limit, level)
                pa = period_of(obs, np.flatnonzero(ra), w, limit, level)
                row.update(compare_periods(pa, pb, level))
                row.update(periods_of(obs, rb, ra, common))
                row["regression_to_mean"] = would_flag(
                    pb, limit, v85_margin_kmh, share_over_limit_min, level)
                row.update(comparison(obs, m, sites, near.get(m["measure_id"], []),
                                       measure_streets, rb, ra, w, level))
                row.update(placebo(obs, [u for u in untreated if u != m["site_id"]],
                                    pb.days, pa.days, w, row.get("did", np.nan)))
                row["diversion"] = diversion(obs, m, sites, near.get(m["measure_id"], []),
                                              rb, ra, diversion_min_change, language)
                row["mde"] = (row["did_mde"] if np.isfinite(row.get("did_mde", np.nan))
                              else row["mean_diff_mde"])
        row["verdict"] = measure_verdict(row, language)
        rows.append(row)
    out = pd.DataFrame(rows, columns=list(EVALUATION_COLUMNS))
    for c in ("cells", "days_before", "days_after", "n_before", "n_after", "did_cells",
              "did_days", "placebo_n"):
        out[c] = out[c].astype("int64")
    for c in ("regression_to_mean", "did_paired"):
        out[c] = out[c].astype(bool)
    return out


def _binned(bins: pd.DataFrame | None, site: str, first: int, last: int, tz: str) -> bool:
    """Return True when ``bins`` hold counts at ``site`` between the local days."""
    if bins is None or not len(bins):
        return False
    b = bins.loc[bins["site_id"].astype(object) == site, "start"]
    if not len(b):
        return False
    day = b.dt.tz_convert(tz).dt.tz_localize(None).dt.floor("D")
    days = (day - pd.Timestamp("1970-01-01")).dt.days.to_numpy()
    return bool(((days >= first) & (days <= last)).any())
