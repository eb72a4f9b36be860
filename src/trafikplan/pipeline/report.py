"""What the HTML report shows, computed from a loaded folder, and the report written."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from trafikplan.pipeline.progress import Progress, report_progress

if TYPE_CHECKING:
    import pandas as pd

    from trafikplan.io.store import Tables

__all__ = ["HOUR_KEYS", "ReportData", "report_data", "write_folder_report",
           "write_site_reports"]

HOUR_KEYS = ("site_id", "weekday", "hour_of_day")
"""Keys of the report's (and ``stats.csv`` of a run's) statistics: site and local hour of week."""


@dataclass
class ReportData:
    """The analysis the report renders (:func:`trafikplan.report.html.build_report`).

    Attributes
    ----------
    flags : DataFrame
        Every site-hour with evidence (:func:`trafikplan.flags.flags_of`).
    evaluation : DataFrame or None
        The measures' before/after table; None without ``measures.csv``.
    hour_stats : DataFrame
        Speed statistics by :data:`HOUR_KEYS`.
    plans : list of (str, str)
        The week's plans (title, summary), shown first.
    """

    flags: pd.DataFrame
    evaluation: pd.DataFrame | None
    hour_stats: pd.DataFrame
    plans: list[tuple[str, str]] = field(default_factory=list)


def report_data(
    tables: Tables,
    *,
    flags: pd.DataFrame | None = None,
    evaluation: pd.DataFrame | None = None,
    hour_stats: pd.DataFrame | None = None,
    plans: list[tuple[str, str]] | None = None,
    language: str | None = None,
    progress: Progress | None = None,
) -> ReportData:
    """Compute what the report shows; pieces already computed are used as given.

    Parameters
    ----------
    tables : Tables
        The loaded folder.
    flags, evaluation, hour_stats : DataFrame, optional
        Already computed (as :func:`folder_flags`, :func:`evaluate_folder`,
        :func:`folder_stats` by :data:`HOUR_KEYS` return them).
    plans : list of (str, str), optional
        The week's plans (title, summary).
    language : str, optional
        Language of the verdicts (default ``settings.language``).
    progress : Progress, optional
        Called with ``"report"``.
    """
    from trafikplan.pipeline.analysis import evaluate_folder, folder_flags, folder_stats

    report_progress(progress, "report")
    if flags is None:
        flags = folder_flags(tables)
    if evaluation is None:
        evaluation = evaluate_folder(tables, language=language)
    if hour_stats is None:
        hour_stats = folder_stats(tables, HOUR_KEYS)
    return ReportData(flags=flags, evaluation=evaluation, hour_stats=hour_stats,
                      plans=list(plans or []))


def write_folder_report(tables: Tables, out_dir: Path | str, *, data: ReportData | None = None,
                        language: str | None = None, progress: Progress | None = None) -> Path:
    """Write ``out_dir/report.html`` for the folder and return its path.

    Parameters
    ----------
    tables : Tables
        The loaded folder.
    out_dir : Path or str
        Folder of the report.
    data : ReportData, optional
        What it shows (computed by :func:`report_data` when None).
    language : str, optional
        Default ``settings.language``.
    progress : Progress, optional
        Called with ``"report"``.
    """
    from trafikplan.report.html import write_report

    if data is None:
        data = report_data(tables, language=language or tables.settings.language,
                           progress=progress)
    return write_report(tables, out_dir, flags=data.flags, evaluation=data.evaluation,
                        language=language, hour_stats=data.hour_stats, plans=data.plans)


def write_site_reports(tables: Tables, site_ids: list[str], out_dir: Path | str, *,
                       language: str | None = None) -> list[tuple[Path, Path | None]]:
    """Write the speed-survey report of each site: ``site-ID.html`` and ``site-ID.pdf``.

    Returns
    -------
    list of (Path, Path or None)
        Per site, the page and the PDF (None when no Chromium is installed).
    """
    from trafikplan.pipeline.analysis import evaluate_folder
    from trafikplan.report.html import write_site_report

    lang = language or tables.settings.language
    evaluation = evaluate_folder(tables, language=lang)
    return [write_site_report(tables, site_id, out_dir, evaluation=evaluation, language=lang)
            for site_id in site_ids]
