"""The report's figures: matplotlib (Agg) drawn to SVG text for inlining in HTML.

Every figure is made from small summary tables (statistics per site and hour
of the week, speed-class counts, report counts), never by looping over
vehicles. :func:`to_svg` makes the SVG byte-stable: a fixed ``svg.hashsalt``
per figure (so ids do not collide between the figures of one page), no date
metadata, text kept as text (``svg.fonttype = "none"``: no embedded glyphs,
the browser's own sans-serif font, nothing fetched from the internet).
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

import matplotlib

__all__ = [
    "CATEGORY_COLOURS",
    "KIND_COLOURS",
    "coverage_figure",
    "distribution_figure",
    "evaluation_figure",
    "heatmap_figure",
    "hourly_profile_figure",
    "reports_figure",
    "site_map_figure",
    "to_svg",
    "violation_rates_figure",
    "volume_figure",
]

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from trafikplan.i18n import integer
from trafikplan.report.number_axes import localize_axes

matplotlib.rcParams["text.parse_math"] = False  # a "$" in a street name is text, not TeX

if TYPE_CHECKING:
    from matplotlib.figure import Figure

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

_SIZE = re.compile(r'<svg([^>]*?) width="[^"]*" height="[^"]*"')


def to_svg(fig: Figure, salt: str, label: str = "", *, tight: bool = True,
           language: str = "en") -> str:
    """Return ``fig`` as inline SVG markup and close it.

    Parameters
    ----------
    fig : Figure
        A matplotlib figure.
    salt : str
        ``svg.hashsalt`` for this figure: the same figure gives the same bytes,
        and two figures with different salts never share an element id.
    label : str
        ``aria-label`` of the figure (what it shows, for screen readers).
    tight : bool
        Crop to the drawn content (an extra layout pass; figures with many
        labels set their margins themselves instead).
    language : str
        Numbers on the axes in this language's format (:func:`localize_axes`).

    Returns
    -------
    str
        ``<svg ...>...</svg>`` without XML declaration or DOCTYPE; the fixed
        width and height are replaced by ``width="100%"`` so it scales with
        the page (the ``viewBox`` keeps the proportions); every element id
        (and every reference to one) is prefixed with ``salt``, so the
        figures of one page never share an id.
    """
    localize_axes(fig, language)
    buf = io.StringIO()
    with plt.rc_context({"svg.hashsalt": f"trafikplan-{salt}", "svg.fonttype": "none"}):
        fig.savefig(buf, format="svg", metadata={"Date": None},
                    bbox_inches="tight" if tight else None)
    plt.close(fig)
    text = buf.getvalue()
    text = text[text.index("<svg"):]
    text = _SIZE.sub(r'<svg\1 width="100%"', text, count=1)
    prefix = re.sub(r"[^A-Za-z0-9_-]", "_", salt)
    text = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', text)
    text = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", text)
    text = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}-\1"', text)
    if label:
        from markupsafe import escape

        text = text.replace("<svg", f'<svg role="img" aria-label="{escape(label)}"', 1)
    return text


def _figure(width: float, height: float) -> tuple[Figure, plt.Axes]:
    fig, ax = plt.subplots(figsize=(width, height), dpi=96)
    return fig, ax


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
        Texts of :func:`trafikplan.report.i18n.texts`.

    Returns
    -------
    str
        Inline SVG.
    """
    fig, ax = _figure(10.5, 0.3 * max(len(site_ids), 3) + 1.0)
    if len(days):
        dates = pd.to_datetime(days["date"])
        first, last = dates.min(), dates.max()
        row = pd.Series(np.arange(len(site_ids)), index=site_ids)
        y = row.reindex(days["site_id"].astype(str)).to_numpy()
        ok = ~np.isnan(y)
        x = dates.to_numpy()[ok]
        ax.scatter(x, y[ok], marker="|", s=60, linewidths=1.6, color="#1f618d")
        pad = pd.Timedelta(days=3)
        ax.set_xlim(first - pad, last + pad)
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
    fig, ax = _figure(8.0, 6.5)
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


def heatmap_figure(cells: pd.DataFrame, speed_limit: float, min_n: int, t: Mapping,
                   salt: str) -> str:
    """Share over the limit and V85 − limit per local weekday and hour, with n.

    Parameters
    ----------
    cells : DataFrame
        ``weekday`` (1 = Monday), ``hour_of_day`` (0–23), ``n`` [vehicles],
        ``share_over_limit`` [share], ``v85`` [km/h] of one site.
    speed_limit : float [km/h]
        The site's limit.
    min_n : int [vehicles]
        Cells with fewer vehicles are grey.
    t : mapping
        Texts.
    salt : str
        Unique per figure (the site id).

    Returns
    -------
    str
        Inline SVG with two panels.
    """
    share = np.full((7, 24), np.nan)
    v85 = np.full((7, 24), np.nan)
    n = np.zeros((7, 24), dtype=np.int64)
    wd = cells["weekday"].to_numpy(dtype=np.int64) - 1
    hr = cells["hour_of_day"].to_numpy(dtype=np.int64)
    n[wd, hr] = cells["n"].to_numpy(dtype=np.int64)
    enough = n[wd, hr] >= min_n
    share[wd[enough], hr[enough]] = 100.0 * cells["share_over_limit"].to_numpy(dtype=float)[
        enough]  # per cent
    v85[wd[enough], hr[enough]] = cells["v85"].to_numpy(dtype=float)[enough] - speed_limit
    fig, (a1, a2) = plt.subplots(2, 1, figsize=(11.0, 6.6), dpi=96)
    fig.subplots_adjust(left=0.05, right=0.97, bottom=0.08, top=0.95, hspace=0.35)
    grey = plt.get_cmap("Reds").with_extremes(bad="#d5d8dc")
    im1 = a1.imshow(np.ma.masked_invalid(share), cmap=grey, vmin=0, vmax=100, aspect="auto",
                    interpolation="nearest")
    div = plt.get_cmap("RdBu_r").with_extremes(bad="#d5d8dc")
    im2 = a2.imshow(np.ma.masked_invalid(v85), cmap=div, vmin=-20, vmax=20, aspect="auto",
                    interpolation="nearest")
    rows, cols = np.nonzero(n)
    for r, c in zip(rows, cols, strict=True):
        a1.text(c, r, str(n[r, c]), ha="center", va="center", fontsize=7,
                color="#000000" if not share[r, c] > 60 else "#ffffff")
    for ax, title in ((a1, f"{t['share_over_limit']} [%]"), (a2, t["v85_over_limit"])):
        ax.set_yticks(np.arange(7), t["weekday_names"], fontsize=9)
        ax.set_xticks(np.arange(0, 24, 1), [f"{h:02d}" for h in range(24)], fontsize=8)
        ax.set_xlabel(t["hour_of_day"], fontsize=8)
        ax.set_title(title, fontsize=9, loc="left")
    fig.colorbar(im1, ax=a1, fraction=0.03, pad=0.01).ax.tick_params(labelsize=8)
    fig.colorbar(im2, ax=a2, fraction=0.03, pad=0.01).ax.tick_params(labelsize=8)
    return to_svg(fig, f"heat-{salt}", t["heatmap"], tight=False, language=t.get("lang", "en"))


def distribution_figure(classes: pd.DataFrame, speed_limit: float, t: Mapping, salt: str) -> str:
    """Speed distribution of one site as a density over speed classes, with the limit.

    Parameters
    ----------
    classes : DataFrame
        ``speed_lo``, ``speed_hi`` [km/h] and ``count`` [vehicles]; classes
        may have different widths (per-vehicle data in 2-km/h classes, or a
        counter's own speed classes). An open top class (``inf``) is drawn
        10 km/h wide.
    speed_limit : float [km/h]
        Drawn as a vertical line.
    t : mapping
        Texts.
    salt : str
        Unique per figure.

    Returns
    -------
    str
        Inline SVG.
    """
    fig, ax = _figure(5.6, 2.8)
    lo = classes["speed_lo"].to_numpy(dtype=float)
    hi = classes["speed_hi"].to_numpy(dtype=float)
    hi = np.where(np.isfinite(hi), hi, lo + 10.0)
    count = classes["count"].to_numpy(dtype=float)
    total = count.sum()
    if total > 0:
        width = hi - lo
        over = lo >= speed_limit
        ax.bar(lo, count / total / width, width=width, align="edge",
               color=np.where(over, "#c0392b", "#5d6d7e"), edgecolor="white", linewidth=0.3)
    ax.axvline(speed_limit, color="#000000", linewidth=1.2, linestyle="--",
               label=t["speed_limit_line"].format(limit=speed_limit))
    ax.set_xlabel(t["speed_kmh"], fontsize=8)
    ax.set_ylabel(t["share_of_vehicles"], fontsize=8)
    ax.tick_params(labelsize=7)
    ax.legend(fontsize=7, loc="upper right")
    ax.set_title(f"{t['distribution']} (n = {integer(total, t.get('lang', 'en'))})",
                 fontsize=9, loc="left")
    return to_svg(fig, f"dist-{salt}", t["distribution"], language=t.get("lang", "en"))


def volume_figure(cells: pd.DataFrame, t: Mapping, salt: str) -> str:
    """Vehicles per hour by local hour of day, weekdays against weekends.

    Parameters
    ----------
    cells : DataFrame
        ``weekday`` (1 = Monday), ``hour_of_day``, ``n`` [vehicles] and
        ``n_hours`` [h observed] of one site.
    t : mapping
        Texts.
    salt : str
        Unique per figure.

    Returns
    -------
    str
        Inline SVG.
    """
    fig, ax = _figure(5.6, 2.8)
    weekend = cells["weekday"] >= 6
    for mask, label, style in ((~weekend, t["weekdays"], "-"), (weekend, t["weekend"], "--")):
        part = cells.loc[mask].groupby("hour_of_day")[["n", "n_hours"]].sum()
        part = part.reindex(range(24))
        rate = part["n"] / part["n_hours"].where(part["n_hours"] > 0)
        ax.plot(np.arange(24), rate.to_numpy(dtype=float), style, marker="o", markersize=2.5,
                label=label)
    ax.set_xticks(np.arange(0, 24, 3), [f"{h:02d}" for h in range(0, 24, 3)])
    ax.set_xlabel(t["hour_of_day"], fontsize=8)
    ax.set_ylabel(t["vehicles_per_hour"], fontsize=8)
    ax.set_ylim(bottom=0)
    ax.tick_params(labelsize=7)
    ax.legend(fontsize=7)
    ax.grid(color="#eeeeee", linewidth=0.6)
    ax.set_title(t["volume"], fontsize=9, loc="left")
    return to_svg(fig, f"vol-{salt}", t["volume"], language=t.get("lang", "en"))


def hourly_profile_figure(hours: pd.DataFrame, speed_limit: float, t: Mapping,
                          salt: str) -> str:
    """Mean speed and V85 by local hour of day, with 95 % intervals, against the limit.

    Parameters
    ----------
    hours : DataFrame
        ``hour_of_day``, ``mean_speed`` (+ ``_lo``/``_hi``), ``v85`` (+
        ``_lo``/``_hi``) [km/h] and ``vehicles_per_hour`` of one direction.
    speed_limit : float [km/h]
        Drawn as a horizontal line.
    t : mapping
        Texts.
    salt : str
        Unique per figure.

    Returns
    -------
    str
        Inline SVG: speeds on the left axis, volume as bars on the right.
    """
    fig, ax = _figure(5.6, 2.8)
    h = hours.sort_values("hour_of_day")
    x = h["hour_of_day"].to_numpy(dtype=float)
    vol = ax.twinx()
    vol.bar(x, h["vehicles_per_hour"].to_numpy(dtype=float), width=0.8, color="#d5d8dc",
            zorder=0)
    vol.set_ylabel(t["vehicles_per_hour"], fontsize=8)
    vol.tick_params(labelsize=7)
    ax.set_zorder(vol.get_zorder() + 1)
    ax.patch.set_visible(False)
    for col, label, colour in (("mean_speed", t["mean_label"], "#1f618d"),
                               ("v85", "V85", "#c0392b")):
        y = h[col].to_numpy(dtype=float)
        err = np.vstack([y - h[f"{col}_lo"].to_numpy(dtype=float),
                         h[f"{col}_hi"].to_numpy(dtype=float) - y])
        ax.errorbar(x, y, yerr=np.nan_to_num(err), fmt="-o", markersize=2.5, linewidth=1.2,
                    capsize=1.5, color=colour, label=label)
    ax.axhline(speed_limit, color="#000000", linewidth=1.0, linestyle="--",
               label=t["speed_limit_line"].format(limit=speed_limit))
    ax.set_xticks(np.arange(0, 24, 3), [f"{k:02d}" for k in range(0, 24, 3)])
    ax.set_xlabel(t["hour_of_day"], fontsize=8)
    ax.set_ylabel(t["speed_kmh"], fontsize=8)
    ax.tick_params(labelsize=7)
    ax.legend(fontsize=7, loc="lower right")
    ax.grid(color="#eeeeee", linewidth=0.6)
    ax.set_title(t["hourly_profile"], fontsize=9, loc="left")
    return to_svg(fig, f"prof-{salt}", t["hourly_profile"], language=t.get("lang", "en"))


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
    fig, ax = _figure(5.6, 2.6)
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
    ax.yaxis.get_major_locator().set_params(integer=True)
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
    fig, ax = _figure(7.5, 0.55 * max(len(ev), 2) + 1.2)
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
    fig, ax = _figure(7.5, 0.32 * max(len(r), 3) + 1.0)
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
