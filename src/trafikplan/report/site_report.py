"""The standard speed-survey report of one site, one section per deployment.

What counter software prints for a council (MetroCount, JAMAR): per deployment
the site, street, section, limit, dates and counter file; per direction, with
the file's own labels, the vehicles per day and an ÅDT-style average, the
heavy share and vehicle classes where the data has them, a speed-class table,
an hourly table (volume, mean, V85, share over the limit, each with n and its
95 % interval), the speed distribution and the hourly profile against the
limit; the data's gaps; whether the flags use the deployment (and why not);
and the before/after of a measure built at the site.

Every number comes from :func:`trafikplan.stats.speed_stats` over the
deployment's own rows (deployments are never pooled); vehicles per day are a
mean over whole days with a t interval, days as the unit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from trafikplan.i18n import code, integer, interval, number, percent, texts

if TYPE_CHECKING:
    from trafikplan.io.tables import Tables

__all__ = [
    "GAP_HOURS",
    "SPEED_CLASS_KMH",
    "file_direction_names",
    "gaps",
    "per_day_summary",
    "site_context",
    "site_contexts",
    "speed_classes",
]

SPEED_CLASS_KMH = 5.0
"""Width of the speed classes of the speed-class table for per-vehicle data [km/h]."""

GAP_HOURS = 4
"""A run of at least this many hours without any record inside a deployment is a gap [h]."""

_FULL_DAY_HOURS = 23
"""A day with at least this many measured hours is whole (23 on the spring DST day) [h]."""


def _relabelled(tables: Tables, deps: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame,
                                                                pd.DataFrame]:
    """Vehicles, bins and sites with ``site_id`` replaced by ``SITE#DEPLOYMENT``.

    One statistics pass then gives every deployment its own rows (the keys of
    :func:`trafikplan.stats.speed_stats` have no deployment).
    """
    from trafikplan.flags.selection import deployment_index

    labels = [f"{r.site_id}#{r.deployment}" for r in deps.itertuples(index=False)]
    out = []
    for table, col in ((tables.vehicles, "time"), (tables.bins, "start")):
        pos = deployment_index(table, col, deps)
        part = table.loc[pos >= 0].copy()
        part["site_id"] = pd.Categorical.from_codes(pos[pos >= 0], categories=labels)
        out.append(part)
    base = tables.sites.assign(site_id=tables.sites["site_id"].astype(str)).set_index("site_id")
    sites = base.loc[deps["site_id"].astype(str).to_list()].reset_index()
    sites["site_id"] = labels
    return out[0], out[1], sites


def _stats(tables: Tables, vehicles: pd.DataFrame, bins: pd.DataFrame, sites: pd.DataFrame,
           by: tuple[str, ...]) -> pd.DataFrame:
    from trafikplan.stats import speed_stats

    s = tables.settings
    return speed_stats(vehicles, sites, bins=bins, by=by, tz=s.timezone,
                       include_bicycles=s.stats.include_bicycles,
                       min_n_percentile=s.stats.min_vehicles_percentile)


def per_day_summary(days: pd.DataFrame) -> dict[str, float]:
    """Vehicles per day over whole days, mean with a t interval (days are the unit).

    Parameters
    ----------
    days : DataFrame
        One direction's rows of :func:`daily`.

    Returns
    -------
    dict
        ``days`` (whole days), ``mean, lo, hi`` [vehicles/day] and ``adt``:
        the ÅDT-style average ``(5 · weekday mean + 2 · weekend mean) / 7``
        of the deployment's whole days (not adjusted for season; NaN without
        both weekdays and weekend days).
    """
    from scipy import stats as st

    whole = days.loc[days["n_hours"] >= _FULL_DAY_HOURS, ["n", "weekday"]]
    n = len(whole)
    out = {"days": n, "mean": np.nan, "lo": np.nan, "hi": np.nan, "adt": np.nan}
    if n == 0:
        return out
    x = whole["n"].to_numpy(dtype=float)
    out["mean"] = float(x.mean())
    if n > 1:
        half = float(st.t.ppf(0.975, n - 1) * x.std(ddof=1) / np.sqrt(n))
        out["lo"], out["hi"] = out["mean"] - half, out["mean"] + half
    wd = whole.loc[whole["weekday"] <= 5, "n"]
    we = whole.loc[whole["weekday"] >= 6, "n"]
    if len(wd) and len(we):
        out["adt"] = float((5 * wd.mean() + 2 * we.mean()) / 7)
    return out


def speed_classes(vehicles: pd.DataFrame, bins: pd.DataFrame, direction: str,
                  include_bicycles: bool = False) -> pd.DataFrame:
    """Vehicles per speed class of one direction: ``speed_lo, speed_hi, count``.

    Per-vehicle data in :data:`SPEED_CLASS_KMH` classes; bins in the counter's
    own classes (summed over the deployment).
    """
    v = vehicles.loc[vehicles["direction"].astype(str) == direction]
    if not include_bicycles and "vehicle_class" in v.columns:
        v = v.loc[v["vehicle_class"].astype(str) != "bicycle"]
    if len(v):
        top = max(SPEED_CLASS_KMH * 2, np.ceil(v["speed"].max() / SPEED_CLASS_KMH) *
                  SPEED_CLASS_KMH)
        edges = np.arange(0.0, top + SPEED_CLASS_KMH, SPEED_CLASS_KMH)
        count, _ = np.histogram(v["speed"].to_numpy(dtype=float), bins=edges)
        out = pd.DataFrame({"speed_lo": edges[:-1], "speed_hi": edges[1:], "count": count})
        first = int(np.argmax(count > 0)) if count.any() else 0
        return out.iloc[first:].reset_index(drop=True)
    b = bins.loc[bins["direction"].astype(str) == direction]
    if b.empty:
        return pd.DataFrame({"speed_lo": [], "speed_hi": [], "count": []})
    return (b.groupby(["speed_lo", "speed_hi"], as_index=False, sort=True)["count"].sum())


def gaps(vehicles: pd.DataFrame, bins: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp,
         tz: str, min_hours: int = GAP_HOURS) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """Return the runs of ``min_hours`` or more hours without any record within the span.

    Returns
    -------
    list of (Timestamp, Timestamp)
        Start and end of each gap, local time.
    """
    hours = [vehicles["time"].dt.floor("h")] if len(vehicles) else []
    if len(bins):
        hours.append(bins["start"].dt.floor("h"))
    if not hours:
        return []
    seen = pd.DatetimeIndex(pd.concat(hours).unique()).sort_values()
    span = pd.date_range(first.floor("h"), last.floor("h"), freq="h")
    empty = ~span.isin(seen)
    out = []
    run_start = None
    for t, missing in zip(span, empty, strict=True):
        if missing and run_start is None:
            run_start = t
        elif not missing and run_start is not None:
            if (t - run_start) >= pd.Timedelta(hours=min_hours):
                out.append((run_start.tz_convert(tz), t.tz_convert(tz)))
            run_start = None
    return out


def site_context(tables: Tables, site_id: str, **kwargs: Any) -> dict[str, Any]:
    """Return :func:`site_contexts` of one site."""
    return site_contexts(tables, [site_id], **kwargs)[site_id]


def site_contexts(tables: Tables, site_ids: list[str], *, deps: pd.DataFrame | None = None,
                  evaluation: pd.DataFrame | None = None, language: str | None = None,
                  figures: bool = True) -> dict[str, dict[str, Any]]:
    """Everything the per-site report shows for each of ``site_ids`` (see the module docstring).

    Parameters
    ----------
    tables : Tables
        From :func:`trafikplan.load`.
    site_ids : list of str
        Sites of ``sites.csv``.
    deps : DataFrame, optional
        :func:`trafikplan.flags.selection.deployments_of` (computed when not given).
    evaluation : DataFrame, optional
        The before/after table; its rows for a site are shown.
    language : str, optional
        Default ``settings.language``.
    figures : bool
        Draw the figures (the distribution and hourly profile per direction).

    Returns
    -------
    dict
        Site id -> ``site_id, street, section, limit, evaluation`` and
        ``deployments``: per deployment ``number, dates, days, counter,
        basis, total, used, flags_use`` (text), ``gaps`` and ``directions``:
        per direction ``label, per_day, whole_days, adt, heavy,
        vehicle_classes, classes`` (rows with count and share), ``hours``
        (rows per hour with n and intervals), ``hourly`` (the statistics
        rows) and SVG figures.

    Raises
    ------
    InputError
        For a site not in ``sites.csv``.
    """
    from trafikplan.flags.selection import deployments_of

    s = tables.settings
    lang = language or s.language
    t = texts(lang)
    tz = s.timezone
    known = set(tables.sites["site_id"].astype(str))
    for sid in site_ids:
        if sid not in known:
            from trafikplan._errors import InputError

            raise InputError("err_unknown_site_option", site=sid)
    if deps is None:
        deps = deployments_of(tables)
    deps = deps.loc[deps["site_id"].astype(str).isin(site_ids)].reset_index(drop=True)
    vehicles, bins, sites = _relabelled(tables, deps)
    hourly = _stats(tables, vehicles, bins, sites, ("site_id", "direction", "hour_of_day"))
    days = _stats(tables, vehicles, bins, sites, ("site_id", "direction", "date"))
    days = days.groupby(["site_id", "direction", "date"], as_index=False)[["n", "n_hours"]].sum()
    days["weekday"] = pd.to_datetime(days["date"]).dt.day_of_week + 1
    v_rows = pd.Series(np.arange(len(vehicles))).groupby(
        vehicles["site_id"].cat.codes.to_numpy()).indices if len(vehicles) else {}
    b_rows = pd.Series(np.arange(len(bins))).groupby(
        bins["site_id"].cat.codes.to_numpy()).indices if len(bins) else {}
    out: dict[str, dict[str, Any]] = {}
    for sid in site_ids:
        row = tables.sites.loc[tables.sites["site_id"].astype(str) == sid].iloc[0]
        out[sid] = {
            "site_id": sid, "street": str(row["street"]),
            "section": "" if pd.isna(row.get("section")) else str(row["section"]),
            "limit": number(float(row["speed_limit"]), 0, lang), "deployments": [],
            "evaluation": [],
        }
        if evaluation is not None and len(evaluation):
            here = evaluation.loc[evaluation["site_id"].astype(str) == sid]
            out[sid]["evaluation"] = [
                f"{r.measure_id} ({r.kind}, {t['built']} {r.built}): {r.verdict}"
                for r in here.itertuples(index=False)]
    for k, dep in enumerate(deps.itertuples(index=False)):
        label = f"{dep.site_id}#{dep.deployment}"
        v = vehicles.iloc[v_rows.get(k, [])]
        b = bins.iloc[b_rows.get(k, [])]
        limit = float(sites.loc[k, "speed_limit"])
        files = sorted({str(x) for part in (v, b) if "source" in part and len(part)
                        for x in part["source"].dropna().unique()})
        first = dep.first.tz_convert(tz)
        last = (dep.last - pd.Timedelta(seconds=1)).tz_convert(tz)  # a bin ends at midnight
        h = hourly.loc[hourly["site_id"] == label]
        d = days.loc[days["site_id"] == label]
        names = file_direction_names(tables.directions, str(dep.site_id), dep.first, dep.last)
        directions = [_direction(x, h, d, v, b, limit, s, t, lang, f"{dep.site_id}-{k}",
                                 figures) | {"name": names.get(x, "")}
                      for x in str(dep.directions).split(";") if x]
        out[str(dep.site_id)]["deployments"].append({
            "number": int(dep.deployment),
            "dates": f"{first.date().isoformat()} – {last.date().isoformat()}",
            "days": int(dep.days),
            "counter": ", ".join(files),
            "basis": code("basis", "vehicles" if dep.vehicles else "bins", lang),
            "total": integer(int(dep.vehicles) + int(dep.binned), lang),
            "used": bool(dep.used),
            "flags_use": t[f"deployment_{dep.why}"].format(
                measure=dep.measure_id or "", months=s.measurements.stale_months),
            "gaps": [f"{a:%Y-%m-%d %H:%M} – {z:%Y-%m-%d %H:%M}"
                     for a, z in gaps(v, b, dep.first, dep.last, tz)],
            "directions": directions,
        })
    return out


def file_direction_names(labels: pd.DataFrame, site_id: str, first: pd.Timestamp,
                         last: pd.Timestamp) -> dict[str, str]:
    """Return what the counter files of one deployment call its directions: code -> name.

    Parameters
    ----------
    labels : DataFrame
        :attr:`trafikplan.io.tables.Tables.directions` (``site_id, direction,
        label, first, last``; times UTC).
    site_id : str
        The site.
    first, last : Timestamp
        The deployment's first and last time (UTC); files covering any of it count.

    Returns
    -------
    dict
        Direction code -> the file's name for it (the newest file's when files disagree).
    """
    if labels is None or labels.empty:
        return {}
    here = labels.loc[(labels["site_id"].astype(str) == site_id)
                      & (labels["first"] <= last) & (labels["last"] >= first)]
    return {str(r.direction): str(r.label)
            for r in here.sort_values("first").itertuples(index=False)}


def interval_notes(stats: pd.DataFrame, t: dict, min_days: int) -> str:
    """Say what the intervals of a table of ``stats`` mean, and warn when few days carry them.

    Parameters
    ----------
    stats : DataFrame
        Rows of :func:`trafikplan.stats.speed_stats` (``interval_scope``, ``n_days``).
    t : dict
        :func:`trafikplan.i18n.texts` of the page's language.
    min_days : int [days]
        Fewer measured days than this get the ``few_days`` warning
        (``[measurements] min_days``, the shortest deployment the planner makes).

    Returns
    -------
    str
        ``interval_long_run`` (the hour's value in an ordinary week, days the
        unit) or ``interval_days_measured``, then ``few_days``; "" for no rows.
    """
    if stats.empty or "n_days" not in stats.columns:
        return ""
    with_data = stats.loc[stats["n_days"].fillna(0) > 0]
    if with_data.empty:
        return ""
    scopes = set(with_data["interval_scope"].dropna().astype(str)) \
        if "interval_scope" in with_data.columns else set()
    notes = [t["interval_long_run"] if "long_run" in scopes else t["interval_days_measured"]]
    days = int(with_data["n_days"].max())
    if days < min_days:
        notes.append(t["few_days"].format(days=days))
    return " ".join(notes)


def _direction(label: str, stats: pd.DataFrame, days: pd.DataFrame, vehicles: pd.DataFrame,
               bins: pd.DataFrame, limit: float, settings: Any, t: dict, lang: str,
               salt: str, figures: bool) -> dict[str, Any]:
    from markupsafe import Markup

    from trafikplan.report import figures as figs

    h = stats.loc[stats["direction"].astype(str) == label].sort_values("hour_of_day")
    d = days.loc[days["direction"].astype(str) == label]
    per_day = per_day_summary(d)
    classes = speed_classes(vehicles, bins, label, settings.stats.include_bicycles)
    total = float(classes["count"].sum())
    class_rows = [{
        "range": (f"{number(r.speed_lo, 0, lang)}–{number(r.speed_hi, 0, lang)}"
                  if np.isfinite(r.speed_hi) else f"≥ {number(r.speed_lo, 0, lang)}"),
        "count": integer(r.count, lang),
        "share": percent(r.count / total, lang, 1) if total else "",
    } for r in classes.itertuples(index=False)]
    hours = [{
        "hour": f"{int(r.hour_of_day):02d}–{(int(r.hour_of_day) + 1) % 24:02d}",
        "n": integer(r.n, lang), "days": integer(r.n_days, lang),
        "volume": number(r.vehicles_per_hour, 1, lang),
        "mean": interval(r.mean_speed, r.mean_speed_lo, r.mean_speed_hi, 1, lang),
        "v85": interval(r.v85, r.v85_lo, r.v85_hi, 1, lang),
        "over": interval(r.share_over_limit, r.share_over_limit_lo, r.share_over_limit_hi, 0,
                         lang, scale=100.0, unit=" %"),
    } for r in h.itertuples(index=False)]
    v = vehicles.loc[vehicles["direction"].astype(str) == label]
    vclasses = []
    if "vehicle_class" in v.columns and len(v):
        known = v["vehicle_class"].astype(str)
        known = known.loc[~known.isin(["unknown", "nan", "<NA>", "None"])]
        if len(known):
            counts = known.value_counts()
            vclasses = [{"name": code("vehicle_class", k, lang), "count": integer(c, lang),
                         "share": percent(c / len(known), lang, 1)} for k, c in counts.items()]
    heavy = ""
    with_class = h.loc[h["n_classified"] > 0]
    if len(with_class):
        k = float((with_class["share_heavy"] * with_class["n_classified"]).sum())
        n = int(with_class["n_classified"].sum())
        from trafikplan.stats.intervals import wilson_interval

        lo, hi = wilson_interval(np.array([k]), np.array([n]))
        heavy = interval(k / n, float(lo[0]), float(hi[0]), 1, lang, scale=100.0, unit=" %")
    out = {
        "label": label,
        "per_day": interval(per_day["mean"], per_day["lo"], per_day["hi"], 0, lang),
        "whole_days": per_day["days"],
        "adt": number(per_day["adt"], 0, lang),
        "heavy": heavy,
        "vehicle_classes": vclasses,
        "classes": class_rows,
        "hours": hours,
        "interval_note": interval_notes(h, t, settings.measurements.min_days),
        "hourly": h,
        "dist_svg": "", "profile_svg": "",
    }
    if figures and total:
        out["dist_svg"] = Markup(figs.distribution_figure(classes, limit, t, f"{salt}-{label}"))
    if figures and len(h):
        out["profile_svg"] = Markup(figs.hourly_profile_figure(h, limit, t, f"{salt}-{label}"))
    return out
