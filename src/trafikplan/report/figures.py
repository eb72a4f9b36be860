"""The report's speed figures of a site: matplotlib (Agg) drawn to SVG text for inlining in HTML.

Every figure is made from small summary tables (statistics per site and hour
of the week, speed-class counts), never by looping over vehicles, and drawn
to byte-stable SVG by :func:`trafikplan.report.svg.to_svg`. The overview
figures (days with data, the map, reports, before/after, violation rates) are
in :mod:`trafikplan.report.figures_overview`.
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from trafikplan.i18n import integer
from trafikplan.report.svg import new_figure, to_svg

__all__ = [
    "class_shares",
    "distribution_figure",
    "heatmap_figure",
    "hourly_profile_figure",
    "volume_figure",
]


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


def class_shares(classes: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return each speed class's lower edge, width [km/h] and share of vehicles [% per km/h].

    A class's bar is its share of all vehicles spread over its width, so
    classes of different widths (a counter's 0-30, 30-40 ...) compare fairly:
    the bars' areas add up to 100 %. An open top class (``inf``) is taken as
    10 km/h wide. No vehicles: every share is 0.
    """
    lo = classes["speed_lo"].to_numpy(dtype=float)
    hi = classes["speed_hi"].to_numpy(dtype=float)
    width = np.where(np.isfinite(hi), hi, lo + 10.0) - lo
    count = classes["count"].to_numpy(dtype=float)
    total = count.sum()
    share = 100.0 * count / total / width if total > 0 else np.zeros_like(count)
    return lo, width, share


def distribution_figure(classes: pd.DataFrame, speed_limit: float, t: Mapping, salt: str) -> str:
    """Speed distribution of one site: share of vehicles in % per km/h of each class, the limit.

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
    fig, ax = new_figure(5.6, 2.8)
    lo, width, share = class_shares(classes)
    total = float(classes["count"].sum())
    if total > 0:
        over = lo >= speed_limit
        ax.bar(lo, share, width=width, align="edge",
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
    fig, ax = new_figure(5.6, 2.8)
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
    fig, ax = new_figure(5.6, 2.8)
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
