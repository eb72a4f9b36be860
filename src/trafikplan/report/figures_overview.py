"""The report's overview figures: days with data, map, reports, before/after, violations.

The calendar of days with data per site, the site map, Embrace reports by
hour of day, the measures' before/after and the checks' violation rates. Each
is drawn from a small summary table and returned as inline SVG
(:func:`trafikplan.report.svg.to_svg`); the speed figures of a site are in
:mod:`trafikplan.report.figures`.
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.dates import date2num
from matplotlib.ticker import MaxNLocator

from trafikplan.i18n import integer
from trafikplan.report.svg import new_figure, to_svg

__all__ = [
    "CATEGORY_COLOURS",
    "KIND_COLOURS",
    "coverage_figure",
    "evaluation_figure",
    "reports_figure",
    "site_map_figure",
    "violation_rates_figure",
]

KIND_COLOURS = {
    "speeding": "#c0392b",
    "reckless": "#7d3c98",
    "reports": "#e67e22",
    "measure_here": "#2e86c1",
    "none": "#7f8c8d",
    "no_data": "#ffffff",
}
"""Colour of a site on the map by its strongest flag kind (order = strength)."""

CATEGORY_COLOURS = {
    "speeding": "#c0392b",
    "reckless": "#7d3c98",
    "noise": "#e67e22",
    "parking": "#2e86c1",
    "other": "#95a5a6",
}
"""Colour of each canonical Embrace category."""


def coverage_figure(days: pd.DataFrame, site_ids: list[str], t: Mapping) -> str:
    """Draw a calendar of the days with data per site.

    Parameters
    ----------
    days : DataFrame
        ``site_id`` (str), ``date`` (``datetime.date``, local) and ``n``
        (int [vehicles]); one row per site and day with data.
    site_ids : list of str
        Sites in the order of the rows (sites without data get an empty row).
    t : mapping
        Texts of :func:`trafikplan.i18n.texts`.

    Returns
    -------
    str
        Inline SVG.
    """
    fig, ax = new_figure(10.5, 0.3 * max(len(site_ids), 3) + 1.0)
    if len(days):
        dates = pd.to_datetime(days["date"])
        first, last = dates.min(), dates.max()
        row = pd.Series(np.arange(len(site_ids)), index=site_ids)
        y = row.reindex(days["site_id"].astype(str)).to_numpy()
        ok = ~np.isnan(y)
        x = dates.to_numpy()[ok]
        ax.scatter(x, y[ok], marker="|", s=60, linewidths=1.6, color="#1f618d")
        pad = pd.Timedelta(days=3)
        ax.set_xlim(float(date2num(first - pad)), float(date2num(last + pad)))
    ax.set_yticks(np.arange(len(site_ids)), site_ids, fontsize=8)
    ax.set_ylim(len(site_ids) - 0.5, -0.5)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.tick_params(axis="x", labelsize=8)
    ax.set_title(t["coverage"], fontsize=10, loc="left")
    fig.autofmt_xdate()
    return to_svg(fig, "coverage", t["coverage"], language=t.get("lang", "en"))


def site_map_figure(sites: pd.DataFrame, kind: pd.Series, t: Mapping) -> str:
    """Draw the sites on a plain map, coloured by their strongest flag.

    Parameters
    ----------
    sites : DataFrame
        ``site_id, street, lat, lon`` [deg WGS 84].
    kind : Series
        Strongest flag kind per ``site_id`` (a key of :data:`KIND_COLOURS`).
    t : mapping
        Texts.

    Returns
    -------
    str
        Inline SVG; equal distances in x and y (longitude scaled by
        cos(latitude)).
    """
    fig, ax = new_figure(8.0, 6.5)
    s = sites.dropna(subset=["lat", "lon"])
    k = kind.reindex(s["site_id"].astype(str)).fillna("no_data").to_numpy()
    colours = [KIND_COLOURS.get(v, "#7f8c8d") for v in k]
    ax.scatter(s["lon"], s["lat"], c=colours, s=70, edgecolors="#222222", linewidths=0.8,
               zorder=3)
    for sid, street, lon, lat in zip(s["site_id"], s["street"], s["lon"], s["lat"],
                                     strict=True):
        ax.annotate(f"{sid} {street}", (lon, lat), xytext=(5, 4), textcoords="offset points",
                    fontsize=7, color="#222222")
    if len(s):
        ax.set_aspect(1.0 / np.cos(np.deg2rad(float(s["lat"].mean()))))
    ax.margins(0.12)
    ax.tick_params(labelsize=7)
    ax.grid(color="#eeeeee", linewidth=0.6)
    handles = [
        plt.Line2D([], [], marker="o", linestyle="", markerfacecolor=KIND_COLOURS[key],
                   markeredgecolor="#222222", label=t["kind_names"][key])
        for key in KIND_COLOURS
        if key in set(k)
    ]
    if handles:
        ax.legend(handles=handles, fontsize=8, loc="best", framealpha=0.9)
    ax.set_title(t["map"], fontsize=10, loc="left")
    return to_svg(fig, "map", t["map"], language=t.get("lang", "en"))


def reports_figure(counts: pd.DataFrame, t: Mapping, salt: str) -> str:
    """Embrace reports of one street stacked by category per local hour.

    Parameters
    ----------
    counts : DataFrame
        Index ``hour_of_day`` 0–23, one column per canonical category
        [reports].
    t : mapping
        Texts.
    salt : str
        Unique per figure.

    Returns
    -------
    str
        Inline SVG.
    """
    fig, ax = new_figure(5.6, 2.6)
    bottom = np.zeros(24)
    for cat, colour in CATEGORY_COLOURS.items():
        if cat not in counts.columns:
            continue
        values = counts[cat].reindex(range(24), fill_value=0).to_numpy(dtype=float)
        if values.sum() == 0:
            continue
        ax.bar(np.arange(24), values, bottom=bottom, color=colour,
               label=t["category_names"][cat], width=0.85)
        bottom += values
    ax.set_xticks(np.arange(0, 24, 3), [f"{h:02d}" for h in range(0, 24, 3)])
    ax.set_xlabel(t["hour_of_day"], fontsize=8)
    ax.set_ylabel(t["reports_count"], fontsize=8)
    locator = ax.yaxis.get_major_locator()
    if isinstance(locator, MaxNLocator):  # the default AutoLocator is one
        locator.set_params(integer=True)
    ax.tick_params(labelsize=7)
    ax.legend(fontsize=7, ncols=2)
    ax.set_title(t["reports"], fontsize=9, loc="left")
    return to_svg(fig, f"rep-{salt}", t["reports"], language=t.get("lang", "en"))


def evaluation_figure(evaluation: pd.DataFrame, t: Mapping) -> str:
    """Mean-speed change and difference in differences per measure, with 95 % intervals.

    Parameters
    ----------
    evaluation : DataFrame
        ``measure_id, street, mean_diff, mean_diff_lo, mean_diff_hi, did,
        did_lo, did_hi`` [km/h] (the evaluation table).
    t : mapping
        Texts.

    Returns
    -------
    str
        Inline SVG (a forest plot; zero marked).
    """
    ev = evaluation.reset_index(drop=True)
    fig, ax = new_figure(7.5, 0.55 * max(len(ev), 2) + 1.2)
    y = np.arange(len(ev), dtype=float)
    for col, label, dy, colour in (("mean_diff", t["mean_label"], -0.12, "#1f618d"),
                                   ("did", t["did_label"], 0.12, "#c0392b")):
        v = ev[col].to_numpy(dtype=float)
        lo = ev[f"{col}_lo"].to_numpy(dtype=float)
        hi = ev[f"{col}_hi"].to_numpy(dtype=float)
        ok = np.isfinite(v)
        ax.errorbar(v[ok], y[ok] + dy, xerr=np.vstack([v[ok] - lo[ok], hi[ok] - v[ok]]),
                    fmt="o", color=colour, capsize=3, label=label, markersize=4)
    ax.axvline(0.0, color="#000000", linewidth=0.8)
    ax.set_yticks(y, [f"{m} {s}" for m, s in zip(ev["measure_id"], ev["street"], strict=True)],
                  fontsize=8)
    ax.set_ylim(len(ev) - 0.5, -0.5)
    ax.set_xlabel(t["change_kmh"], fontsize=8)
    ax.tick_params(labelsize=7)
    ax.grid(axis="x", color="#eeeeee", linewidth=0.6)
    ax.legend(fontsize=7, loc="best")
    return to_svg(fig, "evaluation", t["evaluation"], language=t.get("lang", "en"))


def violation_rates_figure(rates: pd.DataFrame, t: Mapping) -> str:
    """Violation rate per site with its 95 % Wilson interval (a forest plot).

    Parameters
    ----------
    rates : DataFrame
        :func:`trafikplan.stats.outcomes.violation_rates` by ``site_id,
        street``: ``site_id`` (NA for street-only records), ``street``,
        ``vehicles_checked`` [vehicles], ``violation_rate``,
        ``violation_rate_lo``, ``violation_rate_hi`` [share].
    t : mapping
        Texts.

    Returns
    -------
    str
        Inline SVG; one row per group, labelled with site, street and n.
    """
    r = rates.reset_index(drop=True)
    fig, ax = new_figure(7.5, 0.32 * max(len(r), 3) + 1.0)
    y = np.arange(len(r), dtype=float)
    v = r["violation_rate"].to_numpy(dtype=float) * 100.0
    lo = r["violation_rate_lo"].to_numpy(dtype=float) * 100.0
    hi = r["violation_rate_hi"].to_numpy(dtype=float) * 100.0
    ok = np.isfinite(v)
    ax.errorbar(v[ok], y[ok], xerr=np.vstack([v[ok] - lo[ok], hi[ok] - v[ok]]), fmt="o",
                color="#c0392b", capsize=3, markersize=4)
    site = r["site_id"].astype("string").fillna("–").astype(str)
    n = r["vehicles_checked"].to_numpy(dtype=np.int64)
    labels = [f"{s} {st} (n = {integer(k, t.get('lang', 'en'))})"
              for s, st, k in zip(site, r["street"].astype(str), n, strict=True)]
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_ylim(len(r) - 0.5, -0.5)
    ax.set_xlim(left=0)
    ax.set_xlabel(t["violation_rate_axis"], fontsize=8)
    ax.tick_params(labelsize=7)
    ax.grid(axis="x", color="#eeeeee", linewidth=0.6)
    ax.set_title(t["violation_rates"], fontsize=9, loc="left")
    return to_svg(fig, "violations", t["violation_rates"], language=t.get("lang", "en"))
