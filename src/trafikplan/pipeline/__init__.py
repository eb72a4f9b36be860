"""trafikplan.pipeline: the folder workflows, as plain functions with typed results.

Every command of the CLI and every notebook goes through these (and a web app
can call them the same way): each takes a data folder (or its loaded
:class:`~trafikplan.io.store.tables.Tables`), does one job, and returns a dataclass or
a table; nothing here prints. Long steps report through an optional
``progress(step, done, total)`` callback (:data:`Progress`).

- :func:`import_folder`, :func:`load_folder`: new raw files into the store, the tables;
- :func:`folder_stats`, :func:`folder_flags`, :func:`folder_halo`,
  :func:`evaluate_folder`: the analysis with the folder's settings
  (:func:`stats_vehicle_columns`: the vehicles columns the statistics read);
- :func:`plan_week` / :func:`issue_plan`: the police's check plan of a week (with
  learning, the measured halo, earlier plans and the planner's edits) and its
  files (csv, html, xlsx, pdf, ics) recorded in the folder's archive;
- :func:`plan_deployments` / :func:`issue_deployments`: the counters' plan;
- :func:`report_data` / :func:`write_folder_report`: what the report shows (the
  report only renders it); :func:`site_surveys` / :func:`write_site_reports`:
  the per-site speed-survey report's numbers and pages;
- :func:`run_folder`: all of it, as ``trafikplan run``.
"""

from __future__ import annotations

from trafikplan.pipeline.analysis import (
    check_measure_sites,
    evaluate_folder,
    folder_flags,
    folder_halo,
    folder_stats,
    read_folder_measures,
    stats_vehicle_columns,
)
from trafikplan.pipeline.archive import load_issued, save_plan
from trafikplan.pipeline.checks import (
    IssuedPlan,
    WeekPlan,
    first_roster_week,
    issue_plan,
    newest_data,
    plan_week,
)
from trafikplan.pipeline.deployments import DeploymentPlan, issue_deployments, plan_deployments
from trafikplan.pipeline.folder import import_folder, load_folder
from trafikplan.pipeline.progress import Progress
from trafikplan.pipeline.report import (
    build_folder_report,
    checks_found,
    report_data,
    write_folder_report,
)
from trafikplan.pipeline.run import STAGES as STAGES_OF_RUN
from trafikplan.pipeline.run import RunEvent, RunResult, run_folder
from trafikplan.pipeline.site_survey import (
    file_direction_names,
    site_report_context,
    site_report_contexts,
    site_surveys,
    write_site_reports,
)
from trafikplan.report.report_data import ChecksFound, PlansVsDone, ReportData

__all__ = [
    "STAGES_OF_RUN",
    "ChecksFound",
    "DeploymentPlan",
    "IssuedPlan",
    "PlansVsDone",
    "Progress",
    "ReportData",
    "RunEvent",
    "RunResult",
    "WeekPlan",
    "build_folder_report",
    "check_measure_sites",
    "checks_found",
    "evaluate_folder",
    "file_direction_names",
    "first_roster_week",
    "folder_flags",
    "folder_halo",
    "folder_stats",
    "import_folder",
    "issue_deployments",
    "issue_plan",
    "load_folder",
    "load_issued",
    "newest_data",
    "plan_deployments",
    "plan_week",
    "read_folder_measures",
    "report_data",
    "run_folder",
    "save_plan",
    "site_report_context",
    "site_report_contexts",
    "site_surveys",
    "stats_vehicle_columns",
    "write_folder_report",
    "write_site_reports",
]
