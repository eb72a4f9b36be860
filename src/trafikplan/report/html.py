"""The HTML report: one self-contained ``report.html`` for traffic engineers and police.

:func:`build_report` renders the canonical tables and the analysis handed to
it (:class:`trafikplan.report.report_data.ReportData`, computed by
:func:`trafikplan.pipeline.report_data`; the report computes nothing) into one
HTML page: jinja2 with
autoescaping (report text such as ``<script>`` is shown, never run), the
figures of :mod:`trafikplan.report.figures` inlined as SVG, the CSS inlined,
no script and nothing fetched from the internet. The same inputs give the same
bytes (no time stamp; the data's last day is shown instead).

Sections: overview (imported files, rows set aside and why, days with data per
site, flagged streets ranked, a map of the sites coloured by flag), one section
per street (per site: hour-of-week heatmaps of the share over the limit and
V85 with n, the speed distribution against the limit, the volume profile, the
flags with their reasons; per street: Embrace reports by category and hour and
the latest report texts), the before/after results of the built measures, and
what the police's checks found (saved plans against the checks done, violation
rates per site and per check with Wilson intervals, the measured time halo).
The checks' free-text notes are never shown.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from trafikplan.columns import table_rows
from trafikplan.i18n import interval, number, reject_meaning, texts, vehicle_total
from trafikplan.io.files.atomic import write_text
from trafikplan.report import figures, figures_overview, site_map
from trafikplan.report.cells import integer_text, local_date_text
from trafikplan.report.checks_found import checks_context
from trafikplan.report.site_map import KIND_ORDER, site_kinds, street_anchor
from trafikplan.report.site_report import interval_notes, survey_contexts

if TYPE_CHECKING:
    from trafikplan.io.store.tables import Tables
    from trafikplan.report.report_data import ReportData
    from trafikplan.report.site_data import SiteSurvey
    from trafikplan.settings import Settings

__all__ = ["build_report", "render", "report_context", "write_report", "write_site_report"]

_CALENDAR_DAYS = 366
"""The calendar figure shows this many days up to the newest day with data [days]."""

_MAX_FLAGS_PER_SITE = 8
"""Flagged hours listed per site (all are in flags.csv/xlsx)."""


def build_report(tables: Tables, data: ReportData, *, language: str | None = None) -> str:
    """Return the report as one HTML document.

    Parameters
    ----------
    tables : Tables
        From :func:`trafikplan.load` (``settings, sites, vehicles, bins,
        reports, rejects, imports``).
    data : ReportData
        What the report shows: flags, evaluation, statistics per site and
        hour of the week and per day, speed classes, deployments, what the
        checks found, and the week's plans (title, summary) shown first under
        "what to do this week" (:func:`trafikplan.pipeline.report_data`).
    language : str, optional
        ``"sv"`` or ``"en"``; default ``settings.language``.

    Returns
    -------
    str
        The HTML page.
    """
    return render(report_context(tables, data, language=language))


def write_report(tables: Tables, out_dir: Path | str, data: ReportData, *,
                 language: str | None = None, name: str = "report.html") -> Path:
    """Write :func:`build_report` to ``out_dir/name`` atomically and return its path."""
    return write_text(Path(out_dir) / name, build_report(tables, data, language=language))


def write_site_report(survey: SiteSurvey, settings: Settings, out_dir: Path | str, *,
                      language: str | None = None) -> tuple[Path, Path | None]:
    """Write the speed-survey report of one site: ``site-ID.html`` and ``site-ID.pdf``.

    Parameters
    ----------
    survey : SiteSurvey
        The site's numbers (:func:`trafikplan.pipeline.site_surveys`).
    settings : Settings
        The folder's settings.
    out_dir : Path or str
        Folder of the two files.
    language : str, optional
        Default ``settings.language``.

    Returns
    -------
    tuple of (Path, Path or None)
        The HTML page and the PDF (None when no Chromium is installed); one
        deployment per printed page, figures per direction.
    """
    import trafikplan
    from trafikplan.report.pdf import html_to_pdf
    from trafikplan.report.site_report import survey_context

    lang = language or settings.language
    site = survey_context(survey, settings, language=lang)
    html = render({"t": texts(lang), "site": site, "municipality": settings.municipality,
                   "version": trafikplan.__version__}, "site.html.j2")
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in survey.site_id)
    page = write_text(Path(out_dir) / f"site-{safe}.html", html)
    return page, html_to_pdf(page, Path(out_dir) / f"site-{safe}.pdf", private=False)


def render(context: dict[str, Any], template: str = "report.html.j2") -> str:
    """Render ``template`` (default ``report.html.j2``) with ``context`` (jinja2, autoescape on)."""
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    from trafikplan.io.files.safe_text import finalize

    env = Environment(
        loader=PackageLoader("trafikplan.report", "templates"),
        autoescape=select_autoescape(["html", "j2", "html.j2"], default=True),
        undefined=StrictUndefined,
        finalize=finalize,  # no control character (a NUL) reaches the page
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template(template).render(**context)


def report_context(tables: Tables, data: ReportData, *,
                   language: str | None = None) -> dict[str, Any]:
    """Return everything the template shows (see :func:`build_report`).

    Returns
    -------
    dict
        Plain values, lists of dicts and SVG strings; SVG strings are marked
        safe, every other string is escaped by the template.
    """
    from markupsafe import Markup

    import trafikplan


    settings = tables.settings
    lang = language or settings.language
    t = texts(lang)
    tz = settings.timezone
    flags, evaluation, hours, days = data.flags, data.evaluation, data.hour_stats, data.day_stats
    street_hours = data.street_hours
    sites = tables.sites.copy()
    sites["site_id"] = sites["site_id"].astype(str)
    site_ids = sites["site_id"].tolist()
    classes = data.speed_classes
    flagged = flags.loc[flags["flagged"].astype(bool)].sort_values(
        ["score", "site_id", "weekday", "hour_of_day"], ascending=[False, True, True, True])

    streets = _street_order(sites, flagged, settings.focus_streets)
    kinds = site_kinds(sites, flagged, hours)
    deps = data.deployments
    surveys = survey_contexts(data.surveys, settings, language=lang, figures=False)
    data_until = pd.to_datetime(days["date"]).max() if len(days) else None
    ctx: dict[str, Any] = {
        "t": t,
        "lang": lang,
        "municipality": settings.municipality,
        "version": trafikplan.__version__,
        "data_until": "" if data_until is None else data_until.date().isoformat(),
        "imports": _imports(tables.imports, tz, lang),
        "totals": t["totals"].format(
            vehicles=vehicle_total(len(tables.vehicles), int(tables.bins["count"].sum()),
                                   len(tables.bins), lang),
            reports=integer_text(len(tables.reports), lang),
            rejects=integer_text(len(tables.rejects), lang),
        ),
        "rejects": _rejects(tables.rejects, lang),
        "coverage_svg": Markup(figures_overview.coverage_figure(_recent(days), site_ids, t)),
        "coverage": _coverage(days, sites, lang),
        "flagged_streets": _flagged_streets(flagged, settings.focus_streets, t, lang),
        "map_svg": Markup(figures_overview.site_map_figure(sites, kinds, t)),
        "map_data": site_map.map_data(sites, kinds, flagged.loc[flagged["site_id"].isna()],
                                      tables.reports, t),
        "leaflet": {k: Markup(v) for k, v in site_map.leaflet_assets().items()},
        "map_script": Markup(site_map.MAP_SCRIPT),
        "tile_origin": site_map.TILE_ORIGIN,
        "streets": [
            _street_section(street, sites, street_hours, classes, flagged, tables.reports,
                            settings, t, lang, surveys, deps)
            for street in streets
        ],
        "min_n": settings.flags.min_vehicles,
        "plans": list(data.plans),
        "deployments": _deployment_rows(deps, tz, t, settings.measurements.stale_months),
        "deployments_note": t["deployments_note"].format(
            months=settings.measurements.stale_months),
    }
    ctx["evaluation"] = _evaluation_rows(evaluation, lang)
    ctx["checks"] = checks_context(data.checks, sites, settings, t, lang)
    measured = (None if evaluation is None
                else evaluation.loc[evaluation["mean_diff"].notna()])
    ctx["evaluation_svg"] = (Markup(figures_overview.evaluation_figure(measured, t))
                             if measured is not None and len(measured) else "")
    return ctx


def _recent(days: pd.DataFrame) -> pd.DataFrame:
    """Days with data in the year up to the newest day (the calendar figure's range)."""
    dates = pd.to_datetime(days["date"])
    if dates.empty:
        return days[["site_id", "date", "n"]]
    keep = dates > dates.max() - pd.Timedelta(days=_CALENDAR_DAYS)
    return days.loc[keep, ["site_id", "date", "n"]]


def _coverage(days: pd.DataFrame, sites: pd.DataFrame, lang: str) -> list[dict[str, Any]]:
    """Per site: days with data, first and last day, vehicles."""
    d = days.assign(site_id=days["site_id"].astype(str), day=pd.to_datetime(days["date"]))
    g = d.groupby("site_id").agg(days=("day", "size"), first=("day", "min"),
                                 last=("day", "max"), n=("n", "sum"))
    rows = []
    for s in table_rows(sites):
        sid = str(s.site_id)
        has = sid in g.index
        rows.append({
            "site_id": sid, "street": str(s.street),
            "days": int(g["days"][sid]) if has else 0,
            "first": g["first"][sid].date().isoformat() if has else "",
            "last": g["last"][sid].date().isoformat() if has else "",
            "n": integer_text(g["n"][sid], lang) if has else "0",
        })
    return rows


def _imports(imports: pd.DataFrame, tz: str, lang: str) -> list[dict[str, Any]]:
    from trafikplan.i18n import code

    rows = []
    for r in table_rows(imports.sort_values("file")):
        rows.append({
            "file": r.file, "profile": r.profile or "",
            "kind": code("table", r.kind, lang) if r.kind else "",
            "rows": int(r.rows), "rejected": int(r.rejected),
            "first": local_date_text(r.first, tz), "last": local_date_text(r.last, tz),
        })
    return rows


def _rejects(rejects: pd.DataFrame, lang: str) -> list[dict[str, Any]]:
    if rejects.empty:
        return []
    counts = rejects.groupby(rejects["reason"].astype(str), sort=True).size()
    from trafikplan.i18n import code

    return [{"reason": code("reject", str(reason), lang),
             "meaning": reject_meaning(str(reason), lang), "count": int(n)}
            for reason, n in counts.items()]


def _kinds_text(kinds: pd.Series, t: dict) -> str:
    found = {k for text in kinds.dropna().astype(str) for k in text.split(";") if k}
    return ", ".join(t["kind_names"].get(k, k) for k in KIND_ORDER if k in found)


def _flagged_streets(flagged: pd.DataFrame, focus: tuple[str, ...], t: dict,
                     lang: str) -> list[dict[str, Any]]:
    if flagged.empty:
        return []
    g = flagged.groupby("street", sort=False)
    top = g.head(1).set_index("street")
    out = []
    for key, part in g:
        street = str(key)
        out.append({
            "street": street,
            "anchor": street_anchor(street),
            "sites": ", ".join(sorted(part["site_id"].dropna().astype(str).unique())),
            "hours": len(part),
            "max_score": float(part["score"].max()),
            "score_text": number(float(part["score"].max()), 0, lang),
            "kinds": _kinds_text(part["kind"], t),
            "reason": str(top["reason"][key]),
            "focus": street in focus,
        })
    return sorted(out, key=lambda r: (-r["max_score"], r["street"]))


def _street_order(sites: pd.DataFrame, flagged: pd.DataFrame,
                  focus: tuple[str, ...]) -> list[str]:
    """Order streets: flagged by highest score, then focus streets, then the rest A–Ö."""
    ranked = list(dict.fromkeys(flagged["street"].astype(str)))
    rest = [s for s in focus if s not in ranked]
    others = sorted(set(sites["street"].astype(str)) - set(ranked) - set(rest))
    return ranked + rest + others


def _hour_text(weekday: int, hour: int, t: dict) -> str:
    return f"{t['weekday_names'][int(weekday) - 1]} {int(hour):02d}–{(int(hour) + 1) % 24:02d}"


def _flag_rows(fl: pd.DataFrame, t: dict, lang: str) -> list[dict[str, str]]:
    return [
        {"when": _hour_text(r.weekday, r.hour_of_day, t),
         "kinds": _kinds_text(pd.Series([r.kind]), t),
         "score": number(float(r.score), 0, lang),
         "reason": str(r.reason)}
        for r in table_rows(fl.head(_MAX_FLAGS_PER_SITE))
    ]


_FEW_DAYS_PER_WEEK_HOUR = 2
"""An hour of the week measured on fewer days has no day-to-day term: few days (a
two-week deployment gives two days per hour of the week)."""


def _dates(r: Any, tz: str) -> str:
    """Return a deployment's first and last local day, ``2024-09-02 – 2024-09-15``."""
    return (f"{r.first.tz_convert(tz).date().isoformat()} – "
            f"{(r.last - pd.Timedelta(seconds=1)).tz_convert(tz).date().isoformat()}")


def _site_data_note(deps: pd.DataFrame, site_id: str, tz: str, t: dict, months: int) -> str:
    """Say which deployment a site's figures show and which were left out, and why."""
    mine = deps.loc[deps["site_id"].astype(str) == site_id]
    used = [_dates(r, tz) for r in table_rows(mine) if r.used]
    left = [t["street_data_left_one"].format(
        dates=_dates(r, tz), why=t[f"street_left_{r.why}"].format(
            measure=r.measure_id or "", months=months))
        for r in table_rows(mine) if not r.used]
    parts = [t["street_data_used"].format(dates=used[0])] if used else (
        [t["street_data_none"]] if len(mine) else [])
    if left:
        parts.append(t["street_data_left"].format(items="; ".join(left)))
    return " ".join(parts)


def _deployment_rows(deps: pd.DataFrame, tz: str, t: dict, months: int) -> list[dict[str, Any]]:
    """Return the appendix's deployments: dates, vehicles, directions, used for flags or why."""
    lang = t["lang"]
    return [{
        "site_id": str(r.site_id), "number": int(r.deployment),
        "dates": _dates(r, tz),
        "days": int(r.days), "n": integer_text(int(r.vehicles) + int(r.binned), lang),
        "directions": str(r.directions).replace(";", ", "),
        "used": bool(r.used),
        "why": t[f"deployment_{r.why}"].format(measure=r.measure_id or "", months=months),
    } for r in table_rows(deps)]


def _street_section(street: str, sites: pd.DataFrame, hours: pd.DataFrame,
                    classes: dict[str, pd.DataFrame], flagged: pd.DataFrame,
                    reports: pd.DataFrame, settings: Any, t: dict, lang: str,
                    surveys: dict[str, dict[str, Any]], deps: pd.DataFrame) -> dict[str, Any]:
    from markupsafe import Markup

    here = sites.loc[sites["street"].astype(str) == street].sort_values("site_id")
    site_rows = []
    for s in table_rows(here):
        sid = str(s.site_id)
        cells = hours.loc[hours["site_id"].astype(str) == sid]
        limit = float(s.speed_limit)
        has_data = bool(len(cells) and cells["n"].sum() > 0)
        fl = flagged.loc[flagged["site_id"].astype(str) == sid]
        site_rows.append({
            "site_id": sid,
            "section": "" if pd.isna(s.section) else str(s.section),
            "limit": number(limit, 0, lang),
            "has_data": has_data,
            "heatmap_svg": Markup(figures.heatmap_figure(cells, limit,
                                                         settings.flags.min_vehicles, t, sid))
            if has_data else "",
            "dist_svg": Markup(figures.distribution_figure(classes[sid], limit, t, sid))
            if sid in classes else "",
            "volume_svg": Markup(figures.volume_figure(cells, t, sid)) if has_data else "",
            "data_note": _site_data_note(deps, sid, settings.timezone, t,
                                         settings.measurements.stale_months),
            "interval_note": interval_notes(cells, t, _FEW_DAYS_PER_WEEK_HOUR),
            "flags": _flag_rows(fl, t, lang),
            "more_flags": max(0, len(fl) - _MAX_FLAGS_PER_SITE),
            "survey": surveys.get(sid),
        })
    street_fl = flagged.loc[flagged["site_id"].isna()
                            & (flagged["street"].astype(str) == street)]
    rep = reports.loc[reports["street"].astype(str) == street]
    rep_svg = ""
    latest = []
    if len(rep):
        local = rep["time"].dt.tz_convert(settings.timezone)
        counts = (pd.crosstab(local.dt.hour.rename("hour_of_day"),
                              rep["category"].astype(str)))
        rep_svg = Markup(figures_overview.reports_figure(counts, t, street_anchor(street)))
        order = rep.assign(local_time=local).sort_values(["local_time", "report_id"],
                                                    ascending=[False, True])
        for r in table_rows(order):
            latest.append({
                "time": r.local_time.strftime("%Y-%m-%d %H:%M"),
                "category": t["category_names"].get(str(r.category), str(r.category)),
                "text": "" if pd.isna(r.text) else str(r.text),
            })
    return {
        "street": street,
        "anchor": street_anchor(street),
        "focus": street in settings.focus_streets,
        "sites": site_rows,
        "street_flags": _flag_rows(street_fl, t, lang),
        "more_street_flags": max(0, len(street_fl) - _MAX_FLAGS_PER_SITE),
        "n_reports": len(rep),
        "reports_svg": rep_svg,
        "latest_reports": latest,
    }


def _evaluation_rows(evaluation: pd.DataFrame | None, lang: str) -> list[dict[str, Any]]:
    if evaluation is None or evaluation.empty:
        return []
    rows = []
    for r in table_rows(evaluation):
        has = pd.notna(r.mean_diff)
        rows.append({
            "measure_id": str(r.measure_id),
            "street": str(r.street),
            "site_id": str(r.site_id),
            "kind": "" if pd.isna(r.kind) else str(r.kind),
            "built": str(r.built),
            "n": (f"{integer_text(r.n_before, lang)} / {integer_text(r.n_after, lang)}"
                  if has else ""),
            "means": (f"{number(r.mean_before, 1, lang)} → {number(r.mean_after, 1, lang)}"
                      if has else ""),
            "mean_diff": interval(r.mean_diff, r.mean_diff_lo, r.mean_diff_hi, 1, lang,
                                  sign=True),
            "v85_diff": interval(r.v85_diff, r.v85_diff_lo, r.v85_diff_hi, 1, lang, sign=True),
            "share_diff": interval(r.share_diff, r.share_diff_lo, r.share_diff_hi, 0, lang,
                                   sign=True, scale=100.0, unit=" %"),
            "did": interval(r.did, r.did_lo, r.did_hi, 1, lang, sign=True),
            "comparison": "" if pd.isna(r.comparison_site_id) else str(r.comparison_site_id),
            "verdict": "" if pd.isna(r.verdict) else str(r.verdict),
        })
    return rows
