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
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from scipy import special

from trafikplan.stats.intervals import (
    newcombe_difference,
    quantile_ranks,
    wilson_interval,
    z_value,
)
from trafikplan.stats.localtime import hour_codes
from trafikplan.stats.speed import percentile_rank, read_rank

__all__ = [
    "EVALUATION_COLUMNS",
    "compare_periods",
    "did_difference",
    "evaluate_measures",
    "minimum_detectable",
    "paired_did",
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
    "mean_diff_mde", "did_se", "did_df", "did_days", "did_paired", "did_mde", "mde",
    "placebo_n", "placebo_sd", "placebo_p",
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


def paired_did(
    d_before: np.ndarray, d_after: np.ndarray, level: float = 0.95
) -> dict[str, float]:
    """Difference in differences from daily treated-minus-comparison differences.

    Each date ``g`` gives one value ``D_g`` (the measure site minus the
    comparison site on that date, standardised over fixed weekday x hour
    cells). The estimate is the coefficient of ``after`` in the regression
    ``D_g = a + b after_g + e_g`` with standard errors clustered by date
    (CR1, as ``statsmodels`` OLS with ``cov_type="cluster"``):
    ``b = mean(D_after) - mean(D_before)``,
    ``Var = G / (G - 2) * (sum_after e² / n_a² + sum_before e² / n_b²)``, and a
    Student t interval with ``G - 1`` degrees of freedom (``G`` dates). The
    unit of analysis is the day.

    Parameters
    ----------
    d_before, d_after : ndarray of float [km/h]
        Daily differences before and after.
    level : float
        Confidence level.

    Returns
    -------
    dict
        ``did, did_lo, did_hi, did_se`` [km/h], ``did_df`` (``G - 1``),
        ``did_days`` (``G``), ``did_mde`` [km/h] (:func:`minimum_detectable`);
        NaN when a period has fewer than 2 dates.
    """
    b = np.asarray(d_before, dtype=float)
    a = np.asarray(d_after, dtype=float)
    g = a.size + b.size
    if a.size < 2 or b.size < 2:
        return {"did": np.nan, "did_lo": np.nan, "did_hi": np.nan, "did_se": np.nan,
                "did_df": np.nan, "did_days": g, "did_mde": np.nan}
    diff = float(a.mean() - b.mean())
    meat = float(((a - a.mean()) ** 2).sum() / a.size**2 + ((b - b.mean()) ** 2).sum() / b.size**2)
    se = float(np.sqrt(g / (g - 2.0) * meat))
    df = g - 1.0
    half = float(special.stdtrit(df, 0.5 + level / 2.0)) * se
    return {"did": diff, "did_lo": diff - half, "did_hi": diff + half, "did_se": se,
            "did_df": df, "did_days": g, "did_mde": minimum_detectable(se, df, level)}


def minimum_detectable(se: float, df: float, level: float = 0.95, power: float = 0.8) -> float:
    """Smallest true change a two-sided test at ``1 - level`` detects with ``power``.

    ``(t(df, 1 - α/2) + t(df, power)) · se`` [unit of ``se``] (the usual
    normal-theory minimum detectable effect with Student t quantiles).
    """
    if not (np.isfinite(se) and np.isfinite(df) and df > 0):
        return np.nan
    return float((special.stdtrit(df, 0.5 + level / 2.0) + special.stdtrit(df, power)) * se)


@dataclass
class _Period:
    """One period at one site over the common cells: daily values and pooled figures."""

    n: int
    days: np.ndarray  # local dates [days since 1970-01-01]
    daily_mean: np.ndarray  # standardised daily mean speed [km/h]
    v85: float
    v85_var: float  # [km/h²], order statistics plus the day term
    share: float
    share_k: float  # effective violations (k / deff)
    share_n: float  # effective sample size (n / deff)


def _cell_days(obs: _Obs, idx: np.ndarray, limit: float) -> pd.DataFrame:
    """Per (local date, weekday x hour cell): ``day, cell, n, mean, share``."""
    key = obs.day[idx] * 168 + obs.cell[idx]
    uniq, inv = np.unique(key, return_inverse=True)
    n = np.bincount(inv, minlength=len(uniq)).astype(float)
    x = obs.speed[idx]
    with np.errstate(invalid="ignore"):
        over = x > limit
    return pd.DataFrame({"day": uniq // 168, "cell": uniq % 168, "n": n,
                         "mean": np.bincount(inv, weights=x, minlength=len(uniq)) / n,
                         "share": np.bincount(inv, weights=over, minlength=len(uniq)) / n})


def _daily(cd: pd.DataFrame, w: np.ndarray, col: str) -> tuple[np.ndarray, np.ndarray]:
    """Standardised daily values ``sum_c w_c x_dc / sum_c w_c`` over each date's cells."""
    ww = w[cd["cell"].to_numpy()]
    day_codes, days = pd.factorize(cd["day"].to_numpy(), sort=True)
    num = np.bincount(day_codes, weights=ww * cd[col].to_numpy(float), minlength=len(days))
    den = np.bincount(day_codes, weights=ww, minlength=len(days))
    ok = den > 0
    return np.asarray(days)[ok], num[ok] / den[ok]


def _period(obs: _Obs, idx: np.ndarray, w: np.ndarray, limit: float, level: float) -> _Period:
    """Pooled V85 and share with day-level uncertainty (module docstring)."""
    cd = _cell_days(obs, idx, limit)
    days, dmean = _daily(cd, w, "mean")
    _, dshare = _daily(cd, w, "share")
    x = np.sort(obs.speed[idx])
    n = x.size
    g = max(days.size, 1)
    sd2 = float(x.var(ddof=1)) if n > 1 else np.nan
    day_var = (max(float(dmean.var(ddof=1)) / g - sd2 / n, 0.0) if days.size > 1 else 0.0)
    start, nn = np.zeros(1, np.int64), np.array([n])
    v85 = float(read_rank(x, start, nn, percentile_rank(nn, 0.85))[0]) if n else np.nan
    lr, ur, valid = quantile_ranks(nn, 0.85, level)
    if n and bool(valid[0]):
        width = float(x[int(ur[0]) - 1] - x[int(lr[0]) - 1])
        v85_var = (width / (2.0 * z_value(level))) ** 2 + day_var
    else:
        v85_var = np.nan
    with np.errstate(invalid="ignore"):
        k = float((x > limit).sum())
    p = k / n if n else np.nan
    binom = p * (1.0 - p) / n if n else np.nan
    deff = 1.0
    if days.size > 1 and binom > 0:
        deff = max(float(dshare.var(ddof=1)) / g / binom, 1.0)
    return _Period(n=n, days=days, daily_mean=dmean, v85=v85, v85_var=v85_var, share=p,
                   share_k=k / deff, share_n=n / deff)


def compare_periods(after: _Period, before: _Period, level: float = 0.95) -> dict[str, float]:
    """Before/after at one site, days as units.

    * mean: Welch's interval over the standardised daily means
      (:func:`welch_difference`; ``mean_before``/``mean_after`` are the means of
      the daily values);
    * V85 (:func:`trafikplan.stats.speed.percentile_rank`, the one percentile
      definition): the difference of the pooled V85s, normal interval with the
      variance of each from its order-statistic interval plus the between-day
      variance of the daily means (a day shifts the whole distribution);
    * share over the limit: Newcombe's hybrid score interval on the effective
      sample sizes ``n / deff``, ``deff`` the variance of the daily shares
      over the binomial variance (at least 1).
    """
    md, mlo, mhi, mdf = welch_difference(after.daily_mean, before.daily_mean, level)
    se_m = (mhi - md) / float(special.stdtrit(mdf, 0.5 + level / 2.0)) if np.isfinite(mdf) \
        and mdf > 0 and mhi > md else np.nan
    vd = after.v85 - before.v85
    vhalf = z_value(level) * np.sqrt(after.v85_var + before.v85_var)
    sd, slo, shi = newcombe_difference(after.share_k, after.share_n, before.share_k,
                                       before.share_n, level)
    return {
        "n_before": before.n, "n_after": after.n,
        "mean_before": float(before.daily_mean.mean()) if before.days.size else np.nan,
        "mean_after": float(after.daily_mean.mean()) if after.days.size else np.nan,
        "mean_diff": md, "mean_diff_lo": mlo, "mean_diff_hi": mhi,
        "mean_diff_mde": minimum_detectable(se_m, mdf, level),
        "v85_before": before.v85, "v85_after": after.v85,
        "v85_diff": vd, "v85_diff_lo": vd - vhalf, "v85_diff_hi": vd + vhalf,
        "share_over_limit_before": before.share, "share_over_limit_after": after.share,
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
    bounds: dict[str, tuple[int, int]]  # rows of each site (rows sorted by site, then day)

    def select(self, site: str, first: int, last: int) -> np.ndarray:
        """Row mask of ``site`` with ``first <= day <= last``."""
        mask = np.zeros(self.speed.size, dtype=bool)
        a, b = self.bounds.get(site, (0, 0))
        day = self.day[a:b]
        mask[a + np.searchsorted(day, first, "left"):a + np.searchsorted(day, last, "right")] = True
        return mask

    def in_cells(self, cells: np.ndarray) -> np.ndarray:
        """Row mask of the rows in the weekday x hour ``cells``."""
        lut = np.zeros(168, dtype=bool)
        lut[np.asarray(cells, dtype=np.int64)] = True
        return lut[self.cell]


def _observations(vehicles: pd.DataFrame, site_ids: set[str], tz: str,
                  include_bicycles: bool) -> _Obs:
    v = vehicles[vehicles["site_id"].isin(site_ids)]
    if not include_bicycles and "vehicle_class" in v.columns:
        v = v[v["vehicle_class"].astype(object) != "bicycle"]
    v = v[np.isfinite(v["speed"].to_numpy(dtype=float))]
    hour, hours = hour_codes(v["time"], tz)  # per distinct local hour, then gathered
    hour = np.asarray(hour, dtype=np.int64)
    day = np.asarray(hours["date"].to_numpy(dtype=str), dtype="datetime64[D]").astype(
        np.int64)[hour]
    keys = {"weekday": hours["weekday"].to_numpy(np.int64)[hour],
            "hour_of_day": hours["hour_of_day"].to_numpy(np.int64)[hour]}
    site_code, site_ids = pd.factorize(v["site_id"].astype(object).to_numpy(), sort=True)
    order = np.lexsort((day, site_code))
    site_code = site_code[order]
    edges = np.searchsorted(site_code, np.arange(len(site_ids) + 1))
    cell = (keys["weekday"] - 1) * 24 + keys["hour_of_day"]
    return _Obs(
        site=np.asarray(site_ids, dtype=object)[site_code],
        speed=v["speed"].to_numpy(dtype=float)[order],
        day=day[order],
        cell=cell[order],
        hour=np.asarray(hour, dtype=np.int64)[order],
        bounds={str(x): (int(edges[i]), int(edges[i + 1])) for i, x in enumerate(site_ids)},
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
    if row.get("placebo_n", 0) >= 3 and np.isfinite(row.get("placebo_p", np.nan)):
        parts.append(f"Kontroll mot {row['placebo_n']} par av platser utan åtgärd: en lika "
                      f"stor skillnad uppstod av en slump i {_pct(row['placebo_p'], lang)} av "
                      "paren." if sv else
                      f"Check against {row['placebo_n']} pairs of sites without a measure: a "
                      f"difference as large arose by chance in {_pct(row['placebo_p'], lang)} "
                      "of the pairs.")
    if np.isfinite(row.get("mde", np.nan)):
        parts.append(f"Med dessa mätdagar hade en förändring av medelhastigheten på "
                      f"{_num(row['mde'], lang)} km/h eller mer kunnat påvisas (80 % styrka)."
                      if sv else
                      f"These measured days could detect a change in mean speed of "
                      f"{_num(row['mde'], lang)} km/h or more (80% power).")
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
        pairs (:func:`_placebo`).

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
    untreated = [str(x) for x in sites.index
                 if str(sites.loc[x, "street"]) not in measure_streets][:max_placebo_sites]
    involved.update(untreated)
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
            in_common = obs.in_cells(common)
            rb &= in_common
            ra &= in_common
            row["n_before"], row["n_after"] = int(rb.sum()), int(ra.sum())
            if rb.any() and ra.any():
                w = np.bincount(obs.cell[rb | ra], minlength=168).astype(float)
                pb = _period(obs, np.flatnonzero(rb), w, limit, level)
                pa = _period(obs, np.flatnonzero(ra), w, limit, level)
                row.update(compare_periods(pa, pb, level))
                row.update(_periods(obs, rb, ra, common))
                row["regression_to_mean"] = _would_flag(
                    pb, limit, v85_margin_kmh, share_over_limit_min, level)
                row.update(_comparison(obs, m, sites, near.get(m["measure_id"], []),
                                       measure_streets, rb, ra, w, level))
                row.update(_placebo(obs, [u for u in untreated if u != m["site_id"]],
                                    pb.days, pa.days, w, row.get("did", np.nan)))
                row["diversion"] = _diversion(obs, m, sites, near.get(m["measure_id"], []),
                                              rb, ra, diversion_min_change, language)
                row["mde"] = (row["did_mde"] if np.isfinite(row.get("did_mde", np.nan))
                              else row["mean_diff_mde"])
        row["verdict"] = _verdict(row, language)
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


def _would_flag(before: _Period, limit: float, margin: float, share_min: float,
                level: float) -> bool:
    """Return True when the before period alone would be flagged for high speeds.

    The two speeding rules of ``[flags]`` on the before period's V85 and share
    over the limit, with their day-level lower limits (:func:`compare_periods`).
    """
    if not np.isfinite(before.v85_var):
        return False
    v85_lo = before.v85 - z_value(level) * np.sqrt(before.v85_var)
    share_lo, _ = wilson_interval(before.share_k, before.share_n, level)
    return bool(v85_lo > limit + margin and float(share_lo) > share_min)


def _window(obs: _Obs, mask: np.ndarray) -> tuple[int, int]:
    d = obs.day[mask]
    return int(d.min()) - 7, int(d.max()) + 7


def _paired_daily(obs: _Obs, ia: np.ndarray, ic: np.ndarray, w: np.ndarray,
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Dates and standardised daily differences site A minus site C over cells both have."""
    a = _cell_days(obs, ia, np.nan)
    c = _cell_days(obs, ic, np.nan)
    both = a.merge(c, on=["day", "cell"], suffixes=("_a", "_c"))
    both["diff"] = both["mean_a"] - both["mean_c"]
    return _daily(both, w, "diff")


def _comparison(obs: _Obs, m: pd.Series, sites: pd.DataFrame, near: list[str],
                measure_streets: set[str], rb: np.ndarray, ra: np.ndarray, w: np.ndarray,
                level: float) -> dict:
    """Difference in differences against the comparison site, days as units.

    Paired by date where the comparison site was measured on the measure
    site's dates (:func:`paired_did`); otherwise the four sets of standardised
    daily means as independent samples (:func:`did_difference`).
    """
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
        keep = obs.in_cells(cells)
        ib, ia = np.flatnonzero(rb & keep), np.flatnonzero(ra & keep)
        jb, ja = np.flatnonzero(cb & keep), np.flatnonzero(ca & keep)
        _, c_before = _daily(_cell_days(obs, jb, np.nan), w, "mean")
        _, c_after = _daily(_cell_days(obs, ja, np.nan), w, "mean")
        _, d_before = _paired_daily(obs, ib, jb, w)
        _, d_after = _paired_daily(obs, ia, ja, w)
        if d_before.size >= 2 and d_after.size >= 2:
            res = paired_did(d_before, d_after, level)
            res["did_paired"] = True
        else:  # not measured on the same dates: four independent sets of days
            _, a_before = _daily(_cell_days(obs, ib, np.nan), w, "mean")
            _, a_after = _daily(_cell_days(obs, ia, np.nan), w, "mean")
            did, lo, hi, df = did_difference([a_after, a_before, c_after, c_before],
                                             [1.0, -1.0, -1.0, 1.0], level)
            se = (hi - did) / float(special.stdtrit(df, 0.5 + level / 2.0)) \
                if np.isfinite(df) and hi > did else np.nan
            res = {"did": did, "did_lo": lo, "did_hi": hi, "did_se": se, "did_df": df,
                   "did_days": a_before.size + a_after.size, "did_paired": False,
                   "did_mde": minimum_detectable(se, df, level)}
        trend = float(c_after.mean() - c_before.mean()) if c_after.size and c_before.size \
            else np.nan
        return {
            "comparison_site_id": site,
            "comparison_street": str(sites.loc[site, "street"]) if site in sites.index else None,
            "comparison_source": source, "comparison_mean_diff": trend,
            "did_cells": int(cells.size), **res,
        }
    return {"comparison_site_id": named or None, "comparison_source": None,
            "comparison_street": (str(sites.loc[named, "street"])
                                  if named and named in sites.index else None)}


def _placebo(obs: _Obs, untreated: list[str], days_before: np.ndarray, days_after: np.ndarray,
             w: np.ndarray, did: float) -> dict:
    """Run the same paired analysis on pairs of sites without a measure (placebo).

    Every pair of untreated sites measured on at least two of the measure's
    before dates and two of its after dates, over the measure's cells and
    weights, gives a difference in differences where the true effect is 0.
    Returns ``placebo_n`` (pairs), ``placebo_sd`` [km/h] (their spread: what
    chance alone produces between two streets) and ``placebo_p`` (share of
    placebo estimates at least as far from 0 as ``did``).
    """
    cells = np.flatnonzero(w > 0)
    before, after = {}, {}
    for site in untreated:  # a handful of sites, each read once
        a, b = obs.bounds.get(site, (0, 0))
        rows = np.arange(a, b)[np.isin(obs.cell[a:b], cells)]
        ib = rows[np.isin(obs.day[rows], days_before)]
        ia = rows[np.isin(obs.day[rows], days_after)]
        if np.unique(obs.day[ib]).size >= 2 and np.unique(obs.day[ia]).size >= 2:
            before[site], after[site] = ib, ia
    est = []
    ids = sorted(before)
    for i, x in enumerate(ids):
        for y in ids[i + 1:]:
            _, db = _paired_daily(obs, before[x], before[y], w)
            _, da = _paired_daily(obs, after[x], after[y], w)
            if db.size >= 2 and da.size >= 2:
                est.append(float(da.mean() - db.mean()))
    if not est:
        return {"placebo_n": 0, "placebo_sd": np.nan, "placebo_p": np.nan}
    e = np.abs(np.asarray(est))
    return {"placebo_n": len(est), "placebo_sd": float(np.sqrt(np.mean(np.square(est)))),
            "placebo_p": float(np.mean(e >= abs(did))) if np.isfinite(did) else np.nan}


def _diversion(obs: _Obs, m: pd.Series, sites: pd.DataFrame, near: list[str],
               rb: np.ndarray, ra: np.ndarray, min_change: float, lang: str) -> str:
    wb, wa = _window(obs, rb), _window(obs, ra)
    found = []
    for site in near:  # neighbouring sites: a few per measure
        nb, na = obs.select(site, *wb), obs.select(site, *wa)
        if not (nb.any() and na.any()):
            continue
        common = np.intersect1d(obs.cell[nb], obs.cell[na])
        keep = obs.in_cells(common)
        change = _volume(obs, na & keep) / _volume(obs, nb & keep) - 1.0
        if change >= min_change:
            sign = "+" if change >= 0 else ""
            found.append(f"{sites.loc[site, 'street']} ({site}) {sign}{_pct(change, lang)} "
                         + ("fordon/h" if lang == "sv" else "vehicles/h"))
    return "; ".join(found)
