"""A measure's comparison site, the placebo pairs of sites without a measure, and diversion.

Part of the before/after evaluation (:mod:`trafikplan.stats.evaluate`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import special

from trafikplan.i18n.verdicts import percent_text
from trafikplan.stats.before_after import (
    Observations,
    cell_days,
    daily_values,
    day_window,
    did_difference,
    minimum_detectable,
    paired_daily,
    paired_did,
    site_name,
    volume_per_hour,
)

__all__ = ["comparison", "diversion", "haversine_km", "placebo"]

def haversine_km(lat1: float, lon1: float, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Return the great-circle distance [km] from one point to each of several."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dl = np.radians(lon2 - lon1)
    h = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * 6371.0088 * np.arcsin(np.sqrt(np.minimum(h, 1.0)))


def comparison(obs: Observations, m: pd.Series, sites: pd.DataFrame, near: list[str],
                measure_streets: set[str], rb: np.ndarray, ra: np.ndarray, w: np.ndarray,
                level: float) -> dict:
    """Difference in differences against the comparison site, days as units.

    Paired by date where the comparison site was measured on the measure
    site's dates (:func:`paired_did`); otherwise the four sets of standardised
    daily means as independent samples (:func:`did_difference`).
    """
    wb, wa = day_window(obs, rb), day_window(obs, ra)
    named = site_name(m.get("comparison_site_id"))
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
        _, c_before = daily_values(cell_days(obs, jb, np.nan), w, "mean")
        _, c_after = daily_values(cell_days(obs, ja, np.nan), w, "mean")
        _, d_before = paired_daily(obs, ib, jb, w)
        _, d_after = paired_daily(obs, ia, ja, w)
        if d_before.size >= 2 and d_after.size >= 2:
            res = paired_did(d_before, d_after, level)
            res["did_paired"] = True
        else:  # not measured on the same dates: four independent sets of days
            _, a_before = daily_values(cell_days(obs, ib, np.nan), w, "mean")
            _, a_after = daily_values(cell_days(obs, ia, np.nan), w, "mean")
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


def placebo(obs: Observations, untreated: list[str], days_before: np.ndarray,
            days_after: np.ndarray, w: np.ndarray, did: float) -> dict:
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
            _, db = paired_daily(obs, before[x], before[y], w)
            _, da = paired_daily(obs, after[x], after[y], w)
            if db.size >= 2 and da.size >= 2:
                est.append(float(da.mean() - db.mean()))
    if not est:
        return {"placebo_n": 0, "placebo_sd": np.nan, "placebo_p": np.nan}
    e = np.abs(np.asarray(est))
    return {"placebo_n": len(est), "placebo_sd": float(np.sqrt(np.mean(np.square(est)))),
            "placebo_p": float(np.mean(e >= abs(did))) if np.isfinite(did) else np.nan}


def diversion(obs: Observations, m: pd.Series, sites: pd.DataFrame, near: list[str],
               rb: np.ndarray, ra: np.ndarray, min_change: float, lang: str) -> str:
    """Return the neighbouring streets whose volume grew by ``min_change`` or more."""
    wb, wa = day_window(obs, rb), day_window(obs, ra)
    found = []
    for site in near:  # neighbouring sites: a few per measure
        nb, na = obs.select(site, *wb), obs.select(site, *wa)
        if not (nb.any() and na.any()):
            continue
        common = np.intersect1d(obs.cell[nb], obs.cell[na])
        keep = obs.in_cells(common)
        change = volume_per_hour(obs, na & keep) / volume_per_hour(obs, nb & keep) - 1.0
        if change >= min_change:
            sign = "+" if change >= 0 else ""
            street = str(sites.loc[site, "street"])
            found.append(f"{street} ({site}) {sign}{percent_text(change, lang)} "
                         + ("fordon/h" if lang == "sv" else "vehicles/h"))
    return "; ".join(found)
