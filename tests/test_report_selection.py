"""The main report's street sections keep deployments apart, and tables say what intervals mean.

The heat map, distribution and volume figures of a site show what the flags
use (its newest deployment, not stale, not from before a measure; selection by
:mod:`trafikplan.flags.selection`), and the text names what was left out. Next
to every table with intervals the report says what an interval means for the
pooled period and warns when few days carry it.
"""

from __future__ import annotations

import dataclasses
import re

import pandas as pd
import pytest

from test_flags_selection import tables  # noqa: F401  (module fixture)
from trafikplan.i18n import texts
from trafikplan.io.store.tables import Tables
from trafikplan.pipeline import report_data, site_report_context
from trafikplan.report.html import report_context
from trafikplan.report.site_report import interval_notes

T = texts("sv")


@pytest.fixture(scope="module")
def context(tables: Tables) -> dict:  # noqa: F811
    imports = pd.DataFrame({c: pd.Series(dtype=object) for c in
                            ("file", "profile", "kind", "rows", "rejected", "first", "last")})
    folder = dataclasses.replace(tables, imports=imports)
    return report_context(folder, report_data(folder, language="sv"), language="sv")


def _site(context: dict, site_id: str) -> dict:
    return next(s for street in context["streets"] for s in street["sites"]
                if s["site_id"] == site_id)


@pytest.mark.slow
def test_street_figures_show_only_the_used_deployment(context: dict, tables: Tables) -> None:  # noqa: F811
    for sid in ("K01", "K02", "K03"):
        site = _site(context, sid)
        n = int(re.search(r"\(n = ([\d\u202f]+)\)", str(site["dist_svg"])).group(1)
                .replace("\u202f", ""))
        v = tables.vehicles
        recent = v.loc[(v["site_id"].astype(str) == sid)
                       & (v["time"] >= pd.Timestamp("2024-09-01", tz="UTC"))]
        assert n == len(recent), sid  # the older deployment is not pooled in


@pytest.mark.slow
def test_the_text_names_what_was_left_out_and_why(context: dict) -> None:
    k01, k02, k03 = (_site(context, s)["data_note"] for s in ("K01", "K02", "K03"))
    assert "2024-09-02 – 2024-09-15" in k01 and "2021-05-03" in k01
    assert "äldre än 24 månader" in k01
    assert "mätt före åtgärd M1" in k02 and "2024-03-04" in k02
    assert "en senare uppsättning finns" in k03 and "2024-04-01" in k03


@pytest.mark.slow
def test_interval_notes_beside_flag_tables(context: dict) -> None:
    note = _site(context, "K01")["interval_note"]
    assert note.startswith(T["interval_long_run"])
    assert "mätdag" not in note.removeprefix(T["interval_long_run"])  # 14 days: not few


def test_site_report_tables_say_what_intervals_mean(tables: Tables) -> None:  # noqa: F811
    survey = site_report_context(tables, "K03", language="sv", figures=False)
    notes = [x["interval_note"] for dep in survey["deployments"] for x in dep["directions"]]
    assert notes and all(n.startswith(T["interval_long_run"]) for n in notes)


def test_few_days_are_warned_and_days_measured_named() -> None:
    stats = pd.DataFrame({"n_days": [3, 2, 0], "interval_scope": ["long_run"] * 3})
    assert interval_notes(stats, T, 7) == (
        T["interval_long_run"] + " " + T["few_days"].format(days=3))
    one_day = pd.DataFrame({"n_days": [1], "interval_scope": ["days_measured"]})
    assert interval_notes(one_day, T, 7).startswith(T["interval_days_measured"])
    assert interval_notes(pd.DataFrame({"n_days": [8], "interval_scope": ["long_run"]}),
                          T, 7) == T["interval_long_run"]
    assert interval_notes(pd.DataFrame({"n_days": [], "interval_scope": []}), T, 7) == ""
