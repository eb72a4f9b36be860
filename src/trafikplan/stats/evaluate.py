"""Before/after evaluation of built traffic-safety measures, with honest intervals.

For each measure of ``measures.csv`` (:func:`trafikplan.io.measures.read_measures`)
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

Methods, each tested against an independent implementation:

* mean speed difference (after − before): Welch's t interval (unequal
  variances, Welch–Satterthwaite degrees of freedom), :func:`welch_difference`;
* V85 difference: seeded percentile bootstrap of the difference of the two
  85th percentiles (order statistic ``x_(⌈0.85 n⌉)``), :func:`bootstrap_quantile_difference`;
  each replicate is drawn exactly as resampling ``n`` vehicles with
  replacement would give it, through the Beta distribution of uniform order
  statistics, without materialising the resamples;
* share over the limit difference: Newcombe's hybrid score interval
  (method 10, from :func:`trafikplan.stats.intervals.newcombe_difference`);
* difference in differences of mean speeds, ``(A_after − A_before) −
  (C_after − C_before)``, with a Welch-type standard error combining the four
  groups and Satterthwaite degrees of freedom, :func:`did_difference`;
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

All intervals assume independent vehicles (see :mod:`trafikplan.stats.intervals`);
day-to-day variation makes the true uncertainty somewhat larger, so the
verdict reports the number of days behind each figure.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from scipy import special

from trafikplan.stats.intervals import newcombe_difference, quantile_ranks, wilson_interval
from trafikplan.stats.localtime import local_keys

__all__ = [
    "EVALUATION_COLUMNS",
    "bootstrap_quantile_difference",
    "compare_speeds",
    "did_difference",
    "evaluate_measures",
    "welch_difference",
]

EVALUATION_COLUMNS = (
    "measure_id", "street", "site_id", "kind", "built", "speed_limit",
    "before_from", "before_to", "after_from", "after_to", "cells", "days_before", "days_after",
    "n_before", "n_after", "mean_before", "mean_after", "mean_diff", "mean_diff_lo",
    "mean_diff_hi", "v85_before", "v85_after", "v85_diff", "v85_diff_lo", "v85_diff_hi",
    "share_over_limit_before", "share_over_limit_after", "share_diff", "share_diff_lo",
    "share_diff_hi", "vehicles_per_hour_before", "vehicles_per_hour_after", "volume_change",
    "comparison_site_id", "comparison_street", "comparison_source", "comparison_mean_diff",
    "did", "did_lo", "did_hi", "did_cells", "regression_to_mean", "diversion", "verdict",
)
"""Columns of :func:`evaluate_measures`, in order."""

_NS_D = 86400 * 1_000_000_000


# ----------------------------------------------------------------------------- methods

def welch_difference(
    after: np.ndarray, before: np.ndarray, level: float = 0.95
) -> tuple[float, float, float, float]:
    """Difference of two means with Welch's t interval.

    ``d = mean(after) − mean(before)``, ``se = √(s_a²/n_a + s_b²/n_b)``,
    degrees of freedom by Welch–Satterthwaite
    ``ν = se⁴ / ((s_a²/n_a)²/(n_a−1) + (s_b²/n_b)²/(n_b−1))``, limits
    ``d ± t(ν, 1−α/2)·se``.

    Parameters
    ----------
    after, before : ndarray of float [km/h]
        The two samples (speeds).
    level : float
        Confidence level.

    Returns
    -------
    diff, lo, hi : float [km/h]
        NaN when either sample has fewer than 2 values.
    df : float
        Welch–Satterthwaite degrees of freedom.
    """
    return did_difference([after, before], [1.0, -1.0], level)


def did_difference(
    samples: Sequence[np.ndarray], signs: Sequence[float], level: float = 0.95
) -> tuple[float, float, float, float]:
    """Compute a signed sum of independent means with a Welch-type t interval.

    ``d = Σ c_i·mean_i`` with ``c_i = ±1``; ``se² = Σ s_i²/n_i``; degrees of
    freedom by Satterthwaite, ``ν = se⁴ / Σ (s_i²/n_i)²/(n_i − 1)``. With
    the samples ``[A_after, A_before, C_after, C_before]`` and signs
    ``[1, −1, −1, 1]`` this is the difference in differences of mean speeds
    (measure site A against comparison site C); with two samples it is
    Welch's interval.

    Parameters
    ----------
    samples : sequence of ndarray of float [km/h]
        Independent samples.
    signs : sequence of float
        ``+1`` or ``−1`` per sample.
    level : float
        Confidence level.

    Returns
    -------
    diff, lo, hi : float [km/h]
        NaN when any sample has fewer than 2 values.
    df : float
        Satterthwaite degrees of freedom.
    """
    arrays = [np.asarray(s, dtype=float) for s in samples]
    ns = np.array([a.size for a in arrays], dtype=float)
    if (ns < 2).any():
        return np.nan, np.nan, np.nan, np.nan
    means = np.array([a.mean() for a in arrays])
    v = np.array([a.var(ddof=1) for a in arrays]) / ns
    diff = float(np.dot(np.asarray(signs, dtype=float), means))
    se2 = float(v.sum())
    if se2 == 0.0:
        return diff, diff, diff, np.inf
    df = se2**2 / float((v**2 / (ns - 1.0)).sum())
    half = float(special.stdtrit(df, 0.5 + level / 2.0)) * np.sqrt(se2)
    return diff, diff - half, diff + half, df


def _order_quantile(sorted_x: np.ndarray, q: float) -> float:
    """Order statistic ``x_(⌈q·n⌉)`` of a sorted sample (inverted-CDF quantile)."""
    n = sorted_x.size
    k = max(int(np.ceil(q * n - 1e-9)), 1)
    return float(sorted_x[k - 1])


def _bootstrap_order_stat(sorted_x: np.ndarray, q: float, reps: int,
                          rng: np.random.Generator) -> np.ndarray:
    """Bootstrap replicates of ``x_(⌈q·n⌉)``, drawn exactly without resampling.

    A resample is ``F_n⁻¹(U_1..U_n)`` with ``U`` uniform, and ``F_n⁻¹`` is
    monotone, so its ``k``-th order statistic is ``F_n⁻¹(U_(k))`` with
    ``U_(k) ~ Beta(k, n − k + 1)`` and ``F_n⁻¹(u) = x_(⌈n·u⌉)``.
    """
    n = sorted_x.size
    k = max(int(np.ceil(q * n - 1e-9)), 1)
    u = rng.beta(k, n - k + 1, size=reps)
    idx = np.clip(np.ceil(u * n).astype(np.int64), 1, n) - 1
    return sorted_x[idx]


def bootstrap_quantile_difference(
    after: np.ndarray,
    before: np.ndarray,
    *,
    q: float = 0.85,
    reps: int = 2000,
    seed: int | Sequence[int] = 0,
    level: float = 0.95,
) -> tuple[float, float, float]:
    """Difference of two percentiles with a seeded percentile-bootstrap interval.

    Point value ``x_a(⌈q·n_a⌉) − x_b(⌈q·n_b⌉)`` (inverted-CDF percentiles).
    Each of ``reps`` replicates resamples both samples with replacement
    (independently) and takes the difference of their percentiles; the limits
    are the ``α/2`` and ``1 − α/2`` quantiles of the replicates (percentile
    bootstrap, Efron & Tibshirani 1993, ch. 13). The replicate percentile is
    drawn exactly through the Beta law of uniform order statistics
    (:func:`_bootstrap_order_stat`), so the cost does not grow with ``n``.

    Parameters
    ----------
    after, before : ndarray of float [km/h]
        The two samples.
    q : float
        The quantile (0.85 for V85).
    reps : int
        Bootstrap replicates.
    seed : int or sequence of int
        Seed of the NumPy generator (same seed, same interval).
    level : float
        Confidence level.

    Returns
    -------
    diff, lo, hi : float [km/h]
        NaN when either sample is empty.
    """
    a = np.sort(np.asarray(after, dtype=float))
    b = np.sort(np.asarray(before, dtype=float))
    if a.size == 0 or b.size == 0:
        return np.nan, np.nan, np.nan
    rng = np.random.default_rng(seed)
    reps_a = _bootstrap_order_stat(a, q, reps, rng)
    reps_b = _bootstrap_order_stat(b, q, reps, rng)
    d = reps_a - reps_b
    alpha = 1.0 - level
    lo, hi = np.quantile(d, [alpha / 2.0, 1.0 - alpha / 2.0])
    return _order_quantile(a, q) - _order_quantile(b, q), float(lo), float(hi)


def compare_speeds(
    after: np.ndarray,
    before: np.ndarray,
    speed_limit: float,
    *,
    reps: int = 2000,
    seed: int | Sequence[int] = 0,
    level: float = 0.95,
) -> dict[str, float]:
    """Before/after comparison of two speed samples at one site.

    Parameters
    ----------
    after, before : ndarray of float [km/h]
        Speeds in the common weekday × hour cells.
    speed_limit : float [km/h]
        Posted limit (share over the limit = share with speed > limit).
    reps : int
        Bootstrap replicates for the V85 difference.
    seed : int or sequence of int
        Bootstrap seed.
    level : float
        Confidence level.

    Returns
    -------
    dict
        ``n_before, n_after, mean_before, mean_after`` [km/h], ``mean_diff,
        mean_diff_lo, mean_diff_hi`` [km/h] (Welch), ``v85_before, v85_after,
        v85_diff, v85_diff_lo, v85_diff_hi`` [km/h] (bootstrap),
        ``share_over_limit_before, share_over_limit_after, share_diff,
        share_diff_lo, share_diff_hi`` [share] (Newcombe).
    """
    a = np.asarray(after, dtype=float)
    b = np.asarray(before, dtype=float)
    md, mlo, mhi, _ = welch_difference(a, b, level)
    vd, vlo, vhi = bootstrap_quantile_difference(a, b, reps=reps, seed=seed, level=level)
    ka, kb = float((a > speed_limit).sum()), float((b > speed_limit).sum())
    sd, slo, shi = newcombe_difference(ka, a.size, kb, b.size, level)
    return {
        "n_before": int(b.size), "n_after": int(a.size),
        "mean_before": float(b.mean()) if b.size else np.nan,
        "mean_after": float(a.mean()) if a.size else np.nan,
        "mean_diff": md, "mean_diff_lo": mlo, "mean_diff_hi": mhi,
        "v85_before": _order_quantile(np.sort(b), 0.85) if b.size else np.nan,
        "v85_after": _order_quantile(np.sort(a), 0.85) if a.size else np.nan,
        "v85_diff": vd, "v85_diff_lo": vlo, "v85_diff_hi": vhi,
        "share_over_limit_before": kb / b.size if b.size else np.nan,
        "share_over_limit_after": ka / a.size if a.size else np.nan,
        "share_diff": float(sd), "share_diff_lo": float(slo), "share_diff_hi": float(shi),
    }


# ----------------------------------------------------------------------------- data

@dataclass
class _Obs:
    """Vehicles of the sites involved, with local keys as arrays."""

    site: np.ndarray
    speed: np.ndarray
    day: np.ndarray  # local date as days since 1970-01-01
    cell: np.ndarray  # (weekday - 1) * 24 + hour_of_day
    hour: np.ndarray  # local hour start, as a code (distinct per hour)

    def select(self, site: str, first: int, last: int) -> np.ndarray:
        """Row mask of ``site`` with ``first <= day <= last``."""
        return (self.site == site) & (self.day >= first) & (self.day <= last)


def _observations(vehicles: pd.DataFrame, site_ids: set[str], tz: str,
                  include_bicycles: bool) -> _Obs:
    v = vehicles[vehicles["site_id"].isin(site_ids)]
    if not include_bicycles and "vehicle_class" in v.columns:
        v = v[v["vehicle_class"].astype(object) != "bicycle"]
    v = v[np.isfinite(v["speed"].to_numpy(dtype=float))]
    keys = local_keys(v["time"], tz)
    day = np.asarray(keys["date"].to_numpy(dtype=object).astype(str), dtype="datetime64[D]")
    day = day.astype(np.int64)
    hour = pd.factorize(keys["hour_start"].to_numpy())[0] if len(v) else np.zeros(0, np.int64)
    return _Obs(
        site=v["site_id"].astype(object).to_numpy(),
        speed=v["speed"].to_numpy(dtype=float),
        day=day,
        cell=((keys["weekday"].to_numpy(np.int64) - 1) * 24
              + keys["hour_of_day"].to_numpy(np.int64)),
        hour=np.asarray(hour, dtype=np.int64),
    )


def _name(x: object) -> str | None:
    """Return a site id, or None for empty/NA."""
    return x if isinstance(x, str) and x else None


def _day(d: dt.date) -> int:
    return (d - dt.date(1970, 1, 1)).days


def _date(day: int) -> dt.date:
    return dt.date(1970, 1, 1) + dt.timedelta(days=int(day))


def _haversine_km(lat1: float, lon1: float, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dl = np.radians(lon2 - lon1)
    h = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * 6371.0088 * np.arcsin(np.sqrt(np.minimum(h, 1.0)))


def _volume(obs: _Obs, mask: np.ndarray) -> float:
    """Vehicles per measured hour (hours holding at least one vehicle)."""
    hours = np.unique(obs.hour[mask]).size
    return float(mask.sum()) / hours if hours else np.nan


# ----------------------------------------------------------------------------- text

def _num(x: float, lang: str, digits: int = 1) -> str:
    text = f"{x:.{digits}f}".replace("-", "−")
    return text.replace(".", ",") if lang == "sv" else text


def _pct(x: float, lang: str) -> str:
    return _num(100.0 * x, lang, 0) + " %" if lang == "sv" else _num(100.0 * x, lang, 0) + "%"


def _interval_text(d: float, lo: float, hi: float, lang: str, unit: str = "km/h") -> str:
    ci = "95 % KI" if lang == "sv" else "95% CI"
    to = " till " if lang == "sv" else " to "
    return f"{_num(d, lang)} {unit} ({ci} {_num(lo, lang)}{to}{_num(hi, lang)})"


def _verdict(row: dict, lang: str) -> str:
    sv = lang == "sv"
    if not isinstance(row["built"], dt.date):
        return ("Åtgärden är inte byggd; ingen utvärdering." if sv
                else "The measure is not built; no evaluation.")
    if row.get("_planned"):
        return (f"Åtgärden är planerad ({row['built'].isoformat()}), inte byggd än: "
                "ingen utvärdering; mät före." if sv else
                f"The measure is planned ({row['built'].isoformat()}), not built yet: "
                "no evaluation; measure before.")
    if row.get("_bins_only"):
        return ("Platsen är mätt med slang (klassade hastigheter) före eller efter: "
                "utvärderingen behöver fordonsdata (radar) både före och efter." if sv else
                "The site was measured in speed classes (tube bins) before or after: the "
                "evaluation needs per-vehicle data (radar) both before and after.")
    if not row.get("_has_before", row["n_before"] > 0):
        return ("Före-mätning saknas på platsen; ingen utvärdering möjlig." if sv
                else "No before measurement at the site; cannot evaluate.")
    if not row.get("_has_after", row["n_after"] > 0):
        return ("Efter-mätning saknas ännu; planera en (trafikplan plan measurements)." if sv
                else "No after measurement yet; plan one (trafikplan plan measurements).")
    if row["cells"] == 0:
        return ("Före- och efter-mätningen har inga gemensamma veckodagar och timmar." if sv
                else "Before and after share no weekday and hour; cannot compare.")
    parts = []
    d, lo, hi = row["mean_diff"], row["mean_diff_lo"], row["mean_diff_hi"]
    days = (f"{row['days_before']} + {row['days_after']} mätdagar" if sv
            else f"{row['days_before']} + {row['days_after']} measured days")
    if lo <= 0.0 <= hi:
        parts.append(("Ingen påvisbar förändring av medelhastigheten: " if sv
                      else "No detectable change in mean speed: ")
                     + _interval_text(d, lo, hi, lang) + f", {days}.")
    else:
        word = ("sjönk" if d < 0 else "steg") if sv else ("fell" if d < 0 else "rose")
        parts.append((f"Medelhastigheten {word}: " if sv else f"Mean speed {word}: ")
                     + _interval_text(d, lo, hi, lang) + f", {days}.")
    vlo, vhi = row["v85_diff_lo"], row["v85_diff_hi"]
    v85 = "V85 " + _interval_text(row["v85_diff"], vlo, vhi, lang)
    if vlo <= 0.0 <= vhi:
        v85 += "; ingen påvisbar förändring" if sv else "; no detectable change"
    pp = "procentenheter" if sv else "percentage points"
    share = (("Andel över gränsen " if sv else "Share over the limit ")
             + f"{_pct(row['share_over_limit_before'], lang)} → "
             + f"{_pct(row['share_over_limit_after'], lang)} ("
             + _interval_text(100 * row["share_diff"], 100 * row["share_diff_lo"],
                              100 * row["share_diff_hi"], lang, pp) + ")")
    parts.append(f"{v85}. {share}.")
    if np.isfinite(row["did"]):
        cmp = f"{row['comparison_site_id']} ({row['comparison_street']})"
        if row["did_lo"] <= 0.0 <= row["did_hi"]:
            parts.append((f"Jämfört med {cmp}: ingen påvisbar förändring utöver den allmänna "
                          "trenden, skillnad i skillnader " if sv
                          else f"Against {cmp}: no detectable change beyond the general "
                          "trend, difference in differences ")
                         + _interval_text(row["did"], row["did_lo"], row["did_hi"], lang) + ".")
        else:
            parts.append((f"Jämfört med {cmp} (trend {_num(row['comparison_mean_diff'], lang)} "
                          "km/h): skillnad i skillnader " if sv
                          else f"Against {cmp} (trend {_num(row['comparison_mean_diff'], lang)} "
                          "km/h): difference in differences ")
                         + _interval_text(row["did"], row["did_lo"], row["did_hi"], lang) + ".")
    else:
        parts.append("Ingen jämförelseplats mätt samma veckor: en allmän trend kan ingå i "
                     "förändringen." if sv else "No comparison site measured in the same "
                     "weeks: a town-wide trend may be part of the change.")
    if row["regression_to_mean"]:
        parts.append("Varning: platsen valdes för sina höga hastigheter, så en del av "
                     "minskningen kan vara regression mot medelvärdet." if sv else
                     "Warning: the site was chosen for its high speeds, so part of the "
                     "decrease may be regression to the mean.")
    if row["diversion"]:
        parts.append(("Möjlig överflyttning av trafik: " if sv
                      else "Possible diversion of traffic: ") + row["diversion"] + ".")
    return " ".join(parts)


# ----------------------------------------------------------------------------- main

def _missing_row(m: pd.Series, limit: float) -> dict:
    row = dict.fromkeys(EVALUATION_COLUMNS, np.nan)
    row.update({
        "measure_id": m["measure_id"], "street": m["street"], "site_id": m["site_id"],
        "kind": m["kind"], "built": m["built"], "speed_limit": limit,
        "before_from": None, "before_to": None, "after_from": None, "after_to": None,
        "cells": 0, "days_before": 0, "days_after": 0, "n_before": 0, "n_after": 0,
        "comparison_site_id": None, "comparison_street": None, "comparison_source": None,
        "did_cells": 0, "regression_to_mean": False, "diversion": "",
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
        From :func:`trafikplan.io.measures.read_measures`.
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
    bootstrap_reps : int
        Replicates of the V85 bootstrap.
    seed : int
        Bootstrap seed; each measure's generator is seeded with
        ``(seed, crc32(measure_id))``, so filtering does not change results.
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
        * ``mean_diff, mean_diff_lo, mean_diff_hi`` : float [km/h], after − before (Welch);
        * ``v85_before, v85_after, v85_diff, v85_diff_lo, v85_diff_hi`` : float [km/h]
          (bootstrap);
        * ``share_over_limit_before, share_over_limit_after, share_diff,
          share_diff_lo, share_diff_hi`` : float [share] (Newcombe);
        * ``vehicles_per_hour_before, vehicles_per_hour_after`` : float [vehicles/h];
          ``volume_change`` : float [share], after / before − 1;
        * ``comparison_site_id, comparison_street`` : str or None;
          ``comparison_source`` : ``named`` or ``nearby`` or None;
          ``comparison_mean_diff`` : float [km/h], the trend at the comparison site;
        * ``did, did_lo, did_hi`` : float [km/h], difference in differences of
          mean speeds (NaN without comparison); ``did_cells`` : int, cells common
          to all four groups;
        * ``regression_to_mean`` : bool; ``diversion`` : str (neighbouring
          streets with more traffic, "" if none); ``verdict`` : str.
    """
    ms = measures if measure_id is None else measures[measures["measure_id"] == measure_id]
    today = as_of if as_of is not None else dt.datetime.now(ZoneInfo(tz)).date()
    sites = sites.drop_duplicates("site_id").set_index("site_id", drop=False)
    measure_streets = set(measures["street"].astype(str))
    lat = sites["lat"].to_numpy(dtype=float)
    lon = sites["lon"].to_numpy(dtype=float)
    involved: set[str] = set()
    near: dict[str, list[str]] = {}
    for m in ms.itertuples(index=False):  # a handful of measures, not rows of data
        involved.add(m.site_id)
        if _name(m.comparison_site_id):
            involved.add(m.comparison_site_id)
        if m.site_id in sites.index:
            s = sites.loc[m.site_id]
            dist = _haversine_km(float(s["lat"]), float(s["lon"]), lat, lon)
            order = np.argsort(dist, kind="stable")
            ok = (dist[order] <= neighbour_radius_km) & (
                sites["street"].to_numpy(dtype=object)[order] != s["street"])
            near[m.measure_id] = list(sites.index[order][ok])
            involved.update(near[m.measure_id])
    obs = _observations(vehicles, involved, tz, include_bicycles)

    rows = []
    for _, m in ms.iterrows():
        limit = float(sites.loc[m["site_id"], "speed_limit"]) if m["site_id"] in sites.index \
            else np.nan
        row = _missing_row(m, limit)
        built = m["built"] if isinstance(m["built"], dt.date) else None
        if built is not None and built > today:
            row["_planned"] = True  # a future build date: planned, not built yet
        elif built is not None:
            b0 = _day(built)
            a0 = b0 + 7 * after_weeks
            rb = obs.select(m["site_id"], b0 - window_days, b0 - 1)
            ra = obs.select(m["site_id"], a0, a0 + window_days - 1)
            row["_has_before"], row["_has_after"] = bool(rb.any()), bool(ra.any())
            row["_bins_only"] = (not (rb.any() and ra.any())) and _binned(
                bins, m["site_id"], b0 - window_days, a0 + window_days, tz)
            common = np.intersect1d(obs.cell[rb], obs.cell[ra])
            rb &= np.isin(obs.cell, common)
            ra &= np.isin(obs.cell, common)
            row["n_before"], row["n_after"] = int(rb.sum()), int(ra.sum())
            if rb.any() and ra.any():
                seed_m = (seed, zlib.crc32(str(m["measure_id"]).encode()))
                row.update(compare_speeds(obs.speed[ra], obs.speed[rb], limit,
                                          reps=bootstrap_reps, seed=seed_m, level=level))
                row.update(_periods(obs, rb, ra, common))
                row["regression_to_mean"] = _would_flag(
                    obs.speed[rb], limit, v85_margin_kmh, share_over_limit_min, level)
                row.update(_comparison(obs, m, sites, near.get(m["measure_id"], []),
                                       measure_streets, rb, ra, level))
                row["diversion"] = _diversion(obs, m, sites, near.get(m["measure_id"], []),
                                              rb, ra, diversion_min_change, language)
        row["verdict"] = _verdict(row, language)
        rows.append(row)
    out = pd.DataFrame(rows, columns=list(EVALUATION_COLUMNS))
    for c in ("cells", "days_before", "days_after", "n_before", "n_after", "did_cells"):
        out[c] = out[c].astype("int64")
    out["regression_to_mean"] = out["regression_to_mean"].astype(bool)
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


def _periods(obs: _Obs, rb: np.ndarray, ra: np.ndarray, common: np.ndarray) -> dict:
    db, da = np.unique(obs.day[rb]), np.unique(obs.day[ra])
    return {
        "before_from": _date(db[0]), "before_to": _date(db[-1]),
        "after_from": _date(da[0]), "after_to": _date(da[-1]),
        "cells": int(common.size), "days_before": int(db.size), "days_after": int(da.size),
        "vehicles_per_hour_before": _volume(obs, rb),
        "vehicles_per_hour_after": _volume(obs, ra),
        "volume_change": _volume(obs, ra) / _volume(obs, rb) - 1.0,
    }


def _would_flag(speeds: np.ndarray, limit: float, margin: float, share_min: float,
                level: float) -> bool:
    """Return True when the before sample alone would be flagged for high speeds."""
    n = speeds.size
    x = np.sort(speeds)
    lo_rank, _, valid = quantile_ranks(np.array([n]), 0.85, level)
    v85_lo = x[int(lo_rank[0]) - 1] if bool(valid[0]) else -np.inf
    share_lo, _ = wilson_interval(float((x > limit).sum()), float(n), level)
    return bool(v85_lo > limit + margin and float(share_lo) > share_min)


def _window(obs: _Obs, mask: np.ndarray) -> tuple[int, int]:
    d = obs.day[mask]
    return int(d.min()) - 7, int(d.max()) + 7


def _comparison(obs: _Obs, m: pd.Series, sites: pd.DataFrame, near: list[str],
                measure_streets: set[str], rb: np.ndarray, ra: np.ndarray,
                level: float) -> dict:
    wb, wa = _window(obs, rb), _window(obs, ra)
    named = _name(m.get("comparison_site_id"))
    options = ([(named, "named")] if named else []) + [
        (s, "nearby") for s in near if str(sites.loc[s, "street"]) not in measure_streets]
    for site, source in options:
        cb, ca = obs.select(site, *wb), obs.select(site, *wa)
        if not (cb.any() and ca.any()):
            continue
        cells = np.intersect1d(np.intersect1d(obs.cell[rb], obs.cell[ra]),
                               np.intersect1d(obs.cell[cb], obs.cell[ca]))
        keep = np.isin(obs.cell, cells)
        groups = [obs.speed[ra & keep], obs.speed[rb & keep],
                  obs.speed[ca & keep], obs.speed[cb & keep]]
        did, lo, hi, _ = did_difference(groups, [1.0, -1.0, -1.0, 1.0], level)
        trend = float(groups[2].mean() - groups[3].mean()) if cells.size else np.nan
        return {
            "comparison_site_id": site,
            "comparison_street": str(sites.loc[site, "street"]) if site in sites.index else None,
            "comparison_source": source, "comparison_mean_diff": trend,
            "did": did, "did_lo": lo, "did_hi": hi, "did_cells": int(cells.size),
        }
    return {"comparison_site_id": named or None, "comparison_source": None,
            "comparison_street": (str(sites.loc[named, "street"])
                                  if named and named in sites.index else None)}


def _diversion(obs: _Obs, m: pd.Series, sites: pd.DataFrame, near: list[str],
               rb: np.ndarray, ra: np.ndarray, min_change: float, lang: str) -> str:
    wb, wa = _window(obs, rb), _window(obs, ra)
    found = []
    for site in near:  # neighbouring sites: a few per measure
        nb, na = obs.select(site, *wb), obs.select(site, *wa)
        if not (nb.any() and na.any()):
            continue
        common = np.intersect1d(obs.cell[nb], obs.cell[na])
        keep = np.isin(obs.cell, common)
        change = _volume(obs, na & keep) / _volume(obs, nb & keep) - 1.0
        if change >= min_change:
            sign = "+" if change >= 0 else ""
            found.append(f"{sites.loc[site, 'street']} ({site}) {sign}{_pct(change, lang)} "
                         + ("fordon/h" if lang == "sv" else "vehicles/h"))
    return "; ".join(found)
