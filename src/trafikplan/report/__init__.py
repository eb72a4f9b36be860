"""trafikplan.report: renders what it is handed (HTML report, plan sheets, calendars, Excel, PDF).

The entry points (imported lazily, so ``import trafikplan.report`` stays light):
:func:`build_report` / :func:`write_report` (the HTML report of
:class:`~trafikplan.report.report_data.ReportData`), :func:`write_table`
(CSV, Parquet, Excel) and :func:`write_check_plan` (a check plan's files).
"""

from __future__ import annotations

from typing import Any

__all__ = ["build_report", "write_check_plan", "write_report", "write_table"]

_WHERE = {"build_report": "html", "write_report": "html", "write_table": "export",
          "write_check_plan": "plan_html"}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(f"trafikplan.report.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'trafikplan.report' has no attribute {name!r}")
