"""The per-site speed-survey report's numbers, computed from a loaded folder, and its pages.

Per deployment of a site (deployments are never pooled): the counter files,
the gaps, and per direction the hourly :func:`trafikplan.stats.speed_stats`
over the deployment's own rows, the vehicles per day over whole days (days the
unit), the speed and vehicle classes and the heavy share
(:mod:`trafikplan.stats.survey`). :mod:`trafikplan.report.site_report`
renders what :func:`site_surveys` returns.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from trafikplan.io.store.tables import Tables
    from trafikplan.report.site_data import SiteSurvey

__all__ = ["file_direction_names", "site_report_context", "site_report_contexts",
           "site_surveys", "write_site_reports"]


def _relabelled(tables: Tables, deps: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame,
                                                                pd.DataFrame]:
    """Vehicles, bins and sites with ``site_id`` replaced by ``SITE#DEPLOYMENT``.

    One statistics pass then gives every deployment its own rows (the keys of
    :func:`trafikplan.stats.speed_stats` have no deployment).
    """
    import numpy as np
    import pandas as pd

    from trafikplan.columns import table_rows
    from trafikplan.flags.selection import deployment_index

    labels = [f"{r.site_id}#{r.deployment}" for r in table_rows(deps)]
    out = []
    for table, col in ((tables.vehicles, "time"), (tables.bins, "start")):
        pos = deployment_index(table, col, deps)
        part = table.loc[pos >= 0].copy()
        part["site_id"] = pd.Categorical.from_codes(pos[pos >= 0].astype(np.int64),
                                                    categories=pd.Index(labels))
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


def _rows_by_code(table: pd.DataFrame) -> dict[int, np.ndarray]:
    """Row positions of ``table`` per code of its categorical ``site_id``."""
    import numpy as np

    if table.empty:
        return {}
    codes = table["site_id"].cat.codes.to_numpy()
    order = np.argsort(codes, kind="stable")  # rows of a code stay in order
    keys, starts = np.unique(codes[order], return_index=True)
    return {int(k): rows for k, rows in zip(keys, np.split(order, starts[1:]), strict=True)}


def site_surveys(tables: Tables, site_ids: list[str], *, deps: pd.DataFrame | None = None,
                 evaluation: pd.DataFrame | None = None) -> dict[str, SiteSurvey]:
    """Compute what the per-site report shows for each of ``site_ids``.

    Parameters
    ----------
    tables : Tables
        From :func:`trafikplan.load`.
    site_ids : list of str
        Sites of ``sites.csv``.
    deps : DataFrame, optional
        :func:`trafikplan.flags.selection.deployments_of` (computed when not given).
    evaluation : DataFrame, optional
        The before/after table; its rows for a site are kept.

    Returns
    -------
    dict of str to SiteSurvey
        In the order of ``site_ids``.

    Raises
    ------
    InputError
        For a site not in ``sites.csv``.
    """
    import numpy as np
    import pandas as pd

    from trafikplan.columns import table_rows
    from trafikplan.flags.selection import deployments_of
    from trafikplan.report.site_data import DeploymentSurvey, DirectionSurvey, SiteSurvey
    from trafikplan.stats.survey import (
        gaps,
        heavy_share,
        per_day_summary,
        speed_classes,
        vehicle_class_counts,
    )

    s = tables.settings
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
    v_rows, b_rows = _rows_by_code(vehicles), _rows_by_code(bins)
    none = np.array([], dtype=np.int64)
    out: dict[str, SiteSurvey] = {}
    for sid in site_ids:
        row = tables.sites.loc[tables.sites["site_id"].astype(str) == sid].iloc[0]
        here = (None if evaluation is None or evaluation.empty
                else evaluation.loc[evaluation["site_id"].astype(str) == sid])
        out[sid] = SiteSurvey(
            site_id=sid, street=str(row["street"]),
            section="" if pd.isna(row.get("section")) else str(row["section"]),
            limit=float(row["speed_limit"]), evaluation=here)
    for k, dep in enumerate(table_rows(deps)):
        label = f"{dep.site_id}#{dep.deployment}"
        v = vehicles.iloc[v_rows.get(k, none)]
        b = bins.iloc[b_rows.get(k, none)]
        first, last = pd.Timestamp(dep.first), pd.Timestamp(dep.last)
        h = hourly.loc[hourly["site_id"] == label]
        d = days.loc[days["site_id"] == label]
        names = file_direction_names(tables.directions, str(dep.site_id), first, last)
        directions = []
        for x in str(dep.directions).split(";"):
            if not x:
                continue
            hx = h.loc[h["direction"].astype(str) == x].sort_values("hour_of_day")
            directions.append(DirectionSurvey(
                label=x, name=names.get(x, ""), hourly=hx,
                per_day=per_day_summary(d.loc[d["direction"].astype(str) == x]),
                classes=speed_classes(v, b, x, s.stats.include_bicycles),
                vehicle_classes=vehicle_class_counts(v, x), heavy=heavy_share(hx)))
        out[str(dep.site_id)].deployments.append(DeploymentSurvey(
            number=int(dep.deployment), first=first, last=last, days=int(dep.days),
            files=sorted({str(f) for part in (v, b) if "source" in part and len(part)
                          for f in part["source"].dropna().unique()}),
            per_vehicle=bool(dep.vehicles), total=int(dep.vehicles) + int(dep.binned),
            used=bool(dep.used), why=str(dep.why), measure_id=str(dep.measure_id or ""),
            limit=float(sites["speed_limit"].iloc[k]),
            gaps=gaps(v, b, first, last, s.timezone), directions=directions))
    return out


def file_direction_names(labels: pd.DataFrame | None, site_id: str, first: pd.Timestamp,
                         last: pd.Timestamp) -> dict[str, str]:
    """Return what the counter files of one deployment call its directions: code -> name.

    Parameters
    ----------
    labels : DataFrame
        :attr:`trafikplan.io.store.tables.Tables.directions` (``site_id, direction,
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
    from trafikplan.columns import table_rows

    if labels is None or labels.empty:
        return {}
    here = labels.loc[(labels["site_id"].astype(str) == site_id)
                      & (labels["first"] <= last) & (labels["last"] >= first)]
    return {str(r.direction): str(r.label)
            for r in table_rows(here.sort_values("first"))}


def site_report_contexts(tables: Tables, site_ids: list[str], *,
                         deps: pd.DataFrame | None = None,
                         evaluation: pd.DataFrame | None = None, language: str | None = None,
                         figures: bool = True) -> dict[str, dict[str, Any]]:
    """Return what the per-site report's template shows for each of ``site_ids``.

    :func:`site_surveys` rendered by
    :func:`trafikplan.report.site_report.survey_context` (see there for the keys).

    Raises
    ------
    InputError
        For a site not in ``sites.csv``.
    """
    from trafikplan.report.site_report import survey_context

    lang = language or tables.settings.language
    surveys = site_surveys(tables, site_ids, deps=deps, evaluation=evaluation)
    return {sid: survey_context(survey, tables.settings, language=lang, figures=figures)
            for sid, survey in surveys.items()}


def site_report_context(tables: Tables, site_id: str, **kwargs: Any) -> dict[str, Any]:
    """Return :func:`site_report_contexts` of one site."""
    return site_report_contexts(tables, [site_id], **kwargs)[site_id]


def write_site_reports(tables: Tables, site_ids: list[str], out_dir: Path | str, *,
                       language: str | None = None) -> list[tuple[Path, Path | None]]:
    """Write the speed-survey report of each site: ``site-ID.html`` and ``site-ID.pdf``.

    Returns
    -------
    list of (Path, Path or None)
        Per site, the page and the PDF (None when no Chromium is installed).

    Raises
    ------
    InputError
        For a site not in ``sites.csv`` (before anything is written).
    """
    from trafikplan.pipeline.analysis import evaluate_folder
    from trafikplan.report.html import write_site_report

    lang = language or tables.settings.language
    evaluation = evaluate_folder(tables, language=lang)
    surveys = site_surveys(tables, site_ids, evaluation=evaluation)
    return [write_site_report(survey, tables.settings, out_dir, language=lang)
            for survey in surveys.values()]
