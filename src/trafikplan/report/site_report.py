"""The standard speed-survey report of one site, one section per deployment: rendering only.

What counter software prints for a council (MetroCount, JAMAR): per deployment
the site, street, section, limit, dates and counter file; per direction, with
the file's own labels, the vehicles per day and an ÅDT-style average, the
heavy share and vehicle classes where the data has them, a speed-class table,
an hourly table (volume, mean, V85, share over the limit, each with n and its
95 % interval), the speed distribution and the hourly profile against the
limit; the data's gaps; whether the flags use the deployment (and why not);
and the before/after of a measure built at the site.

The numbers are handed to it (:class:`trafikplan.report.site_data.SiteSurvey`,
computed by :func:`trafikplan.pipeline.site_surveys`); this module only words
and formats them and draws the figures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from trafikplan.columns import table_rows
from trafikplan.i18n import code, integer, interval, number, percent, texts

if TYPE_CHECKING:
    from trafikplan.report.site_data import DeploymentSurvey, DirectionSurvey, SiteSurvey
    from trafikplan.settings import Settings

__all__ = ["interval_notes", "survey_context", "survey_contexts"]


def survey_contexts(surveys: dict[str, SiteSurvey], settings: Settings, *,
                    language: str | None = None,
                    figures: bool = True) -> dict[str, dict[str, Any]]:
    """Return :func:`survey_context` of each site: site id -> what its template shows."""
    return {sid: survey_context(s, settings, language=language, figures=figures)
            for sid, s in surveys.items()}


def survey_context(survey: SiteSurvey, settings: Settings, *, language: str | None = None,
                   figures: bool = True) -> dict[str, Any]:
    """Word and format one site's survey for ``site_section.html.j2``.

    Parameters
    ----------
    survey : SiteSurvey
        From :func:`trafikplan.pipeline.site_surveys`.
    settings : Settings
        The folder's settings (time zone, language, months until data is
        stale, the shortest deployment).
    language : str, optional
        Default ``settings.language``.
    figures : bool
        Draw the figures (the distribution and hourly profile per direction).

    Returns
    -------
    dict
        ``site_id, street, section, limit, evaluation`` and ``deployments``:
        per deployment ``number, dates, days, counter, basis, total, used,
        flags_use`` (text), ``gaps`` and ``directions``: per direction
        ``label, name, per_day, whole_days, adt, heavy, vehicle_classes,
        classes`` (rows with count and share), ``hours`` (rows per hour with
        n and intervals), ``hourly`` (the statistics rows) and SVG figures.
    """
    lang = language or settings.language
    t = texts(lang)
    evaluation = survey.evaluation
    rows = [] if evaluation is None else [
        f"{r.measure_id} ({r.kind}, {t['built']} {r.built}): {r.verdict}"
        for r in table_rows(evaluation)]
    return {
        "site_id": survey.site_id, "street": survey.street, "section": survey.section,
        "limit": number(survey.limit, 0, lang),
        "deployments": [_deployment(dep, settings, t, lang, f"{survey.site_id}-{k}", figures)
                        for k, dep in enumerate(survey.deployments)],
        "evaluation": rows,
    }


def _deployment(dep: DeploymentSurvey, settings: Settings, t: dict, lang: str, salt: str,
                figures: bool) -> dict[str, Any]:
    tz = settings.timezone
    first = dep.first.tz_convert(tz)
    last = (dep.last - pd.Timedelta(seconds=1)).tz_convert(tz)  # a bin ends at midnight
    return {
        "number": dep.number,
        "dates": f"{first.date().isoformat()} – {last.date().isoformat()}",
        "days": dep.days,
        "counter": ", ".join(dep.files),
        "basis": code("basis", "vehicles" if dep.per_vehicle else "bins", lang),
        "total": integer(dep.total, lang),
        "used": dep.used,
        "flags_use": t[f"deployment_{dep.why}"].format(
            measure=dep.measure_id, months=settings.measurements.stale_months),
        "gaps": [f"{a:%Y-%m-%d %H:%M} – {z:%Y-%m-%d %H:%M}" for a, z in dep.gaps],
        "directions": [_direction(x, dep.limit, settings, t, lang, salt, figures)
                       for x in dep.directions],
    }


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


def _direction(x: DirectionSurvey, limit: float, settings: Settings, t: dict, lang: str,
               salt: str, figures: bool) -> dict[str, Any]:
    from markupsafe import Markup

    from trafikplan.report import figures as figs

    h = x.hourly
    per_day = x.per_day
    classes = x.classes
    total = float(classes["count"].sum())
    class_rows = [{
        "range": (f"{number(r.speed_lo, 0, lang)}–{number(r.speed_hi, 0, lang)}"
                  if np.isfinite(r.speed_hi) else f"≥ {number(r.speed_lo, 0, lang)}"),
        "count": integer(r.count, lang),
        "share": percent(r.count / total, lang, 1) if total else "",
    } for r in table_rows(classes)]
    hours = [{
        "hour": f"{int(r.hour_of_day):02d}–{(int(r.hour_of_day) + 1) % 24:02d}",
        "n": integer(r.n, lang), "days": integer(r.n_days, lang),
        "volume": number(r.vehicles_per_hour, 1, lang),
        "mean": interval(r.mean_speed, r.mean_speed_lo, r.mean_speed_hi, 1, lang),
        "v85": interval(r.v85, r.v85_lo, r.v85_hi, 1, lang),
        "over": interval(r.share_over_limit, r.share_over_limit_lo, r.share_over_limit_hi, 0,
                         lang, scale=100.0, unit=" %"),
    } for r in table_rows(h)]
    n_known = int(x.vehicle_classes.sum())
    vclasses = [{"name": code("vehicle_class", str(k), lang), "count": integer(c, lang),
                 "share": percent(c / n_known, lang, 1)}
                for k, c in x.vehicle_classes.items()]
    heavy = ("" if x.heavy is None else
             interval(x.heavy[0], x.heavy[1], x.heavy[2], 1, lang, scale=100.0, unit=" %"))
    out: dict[str, Any] = {
        "label": x.label,
        "name": x.name,
        "per_day": interval(per_day["mean"], per_day["lo"], per_day["hi"], 0, lang),
        "whole_days": int(per_day["days"]),
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
        out["dist_svg"] = Markup(figs.distribution_figure(classes, limit, t, f"{salt}-{x.label}"))
    if figures and len(h):
        out["profile_svg"] = Markup(figs.hourly_profile_figure(h, limit, t, f"{salt}-{x.label}"))
    return out
