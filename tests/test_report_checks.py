"""The report's "what the checks found" section: plans against records, rates, time halo."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import SAMPLE
from test_run import EXPECTED, SampleRun, sample_run  # noqa: F401  (shared session fixture)
from trafikplan.i18n import number, texts

NOTE_NAME = "Förare Anna Lindqvist"
"""A name in a check's notes: never shown in the report."""


def _section(html: str) -> str:
    start = html.index('<section id="checks">')
    return html[start:html.index("</section>", start)]


def _window_row(section: str, window: str) -> str:
    row = section[section.index(f"<td>{window}</td>"):]
    return row[:row.index("</tr>")]


def _interval_of(cell: str, lang: str) -> tuple[float, float, float]:
    """Parse ``−3,9 (−4,1 till −3,7)`` / ``-3.9 (-4.1 to -3.7)``."""
    text = cell.replace("\u2212", "-")
    if lang == "sv":
        text = text.replace(",", ".")
    m = re.fullmatch(r"([-+]?\d+\.\d) \(([-+]?\d+\.\d) (?:till|to) ([-+]?\d+\.\d)\)", text)
    assert m, cell
    return float(m.group(1)), float(m.group(2)), float(m.group(3))


def _cells(row: str) -> list[str]:
    return re.findall(r"<td[^>]*>([^<]*)</td>", row)


@pytest.fixture(scope="module")
def run_section(sample_run: SampleRun) -> str:  # noqa: F811
    assert sample_run.returncode == 0, sample_run.stderr[-2000:]
    html = (sample_run.out / "report.html").read_text(encoding="utf-8")
    return _section(html)


def test_run_report_shows_rates_per_site_with_n_and_wilson_interval(run_section: str) -> None:
    assert "<h2>Vad kontrollerna visade</h2>" in run_section
    every = EXPECTED["checks_done"]["checks"] + EXPECTED["checks_followup"]["checks"]
    k05 = [c for c in every if c["site_id"] == "K05"]
    k = sum(c["violations"] for c in k05)
    n = sum(c["vehicles_checked"] for c in k05)
    row = run_section[run_section.index("<td>K05</td><td>Skogsleden</td>"):]
    cells = _cells(row[:row.index("</tr>")])
    assert cells[2] == str(len(k05))
    assert cells[3] == f"{k} av {n}"  # "118 av 434"
    # Wilson 95 % interval, checked against statsmodels
    from statsmodels.stats.proportion import proportion_confint

    lo, hi = proportion_confint(k, n, alpha=0.05, method="wilson")
    assert cells[4] == f"{round(100 * k / n):.0f} % ({round(100 * lo):.0f} till " \
                       f"{round(100 * hi):.0f})"
    assert run_section.count("<svg") == 1  # the rates figure
    assert f"(n = {n})" in run_section  # each site's n in the figure's labels
    # every completed check is listed once, with its own outcome
    assert f"Alla genomförda kontroller ({len(every)})" in run_section
    assert "<td class=\"num\">0 av 58</td>" in run_section  # the K17 check with no violation


def test_run_report_shows_the_planted_halo_within_its_interval(run_section: str) -> None:
    halo = run_section[run_section.index('id="halo"'):]
    for planted in EXPECTED["checks_done"]["halo_kmh"]:
        window = f"{planted['from_hours']:g}–{planted['to_hours']:g} h"
        cells = _cells(_window_row(halo, window))
        diff, lo, hi = _interval_of(cells[4], "sv")
        assert lo < diff < hi < 0
        assert lo <= planted["mean_change_kmh"] <= hi, (window, cells[4])
    first = _interval_of(_cells(_window_row(halo, "0–24 h"))[4], "sv")
    assert first[1] <= -4.0 <= first[2]  # the planted −4 km/h lies within the interval
    assert re.search(r"Hastigheten var lägre i \d+ h efter kontrollerna", halo)


def test_run_report_compares_the_saved_plan_without_showing_future_checks(
        run_section: str, sample_run: SampleRun) -> None:  # noqa: F811
    # the run saves its plan for the week after the data: later than every record
    plans = list((sample_run.data / ".trafikplan" / "plans").glob("*.parquet"))
    assert plans
    planned = pd.read_parquet(plans[0])
    assert len(planned)
    assert f"{len(planned)} planerade kontroller efter den senaste rapporterade visas inte" \
        in run_section
    local = pd.to_datetime(planned["start"], utc=True).dt.tz_convert("Europe/Stockholm")
    for when in local.dt.strftime("%Y-%m-%d %H:%M"):
        assert when not in run_section


def _folder_with_checks(small_data_dir: Path) -> Path:
    """The small folder with the sample's check records, one with personal notes, two plans."""
    target = small_data_dir / "checks_done"
    shutil.copytree(SAMPLE / "checks_done", target)
    (target / "kontroller_anteckningar.csv").write_text(
        "team,start,end,site_id,vehicles_checked,violations,max_speed,notes\n"
        f"Ingripande Köping 2,2024-10-30T09:00:00+01:00,2024-10-30T10:00:00+01:00,K09,40,3,"
        f"62,{NOTE_NAME} 070-123 45 67 stoppad\n", encoding="utf-8")
    plans = small_data_dir / ".trafikplan" / "plans"
    plans.mkdir(parents=True)

    def plan(rows: list[tuple[str, str, str]], week: str) -> None:
        start = pd.to_datetime([r[1] for r in rows]).tz_convert("UTC")
        pd.DataFrame({"team": [r[2] for r in rows], "start": start,
                      "end": start + pd.Timedelta(minutes=90), "site_id": [r[0] for r in rows],
                      "street": "", "value": 1.0, "seed": 0}).to_parquet(plans / f"{week}.parquet")

    # week 43: K01 done an hour later than planned; K05 not done; K01 on the 25th unplanned
    plan([("K01", "2024-10-23T16:00:00+02:00", "Ingripande Köping 2"),
          ("K05", "2024-10-24T20:00:00+02:00", "Ingripande Köping 1")], "2024-W43")
    # week 46: after the newest record, so never shown
    plan([("K02", "2024-11-12T21:30:00+01:00", "Ingripande Köping 1")], "2024-W46")
    return small_data_dir


@pytest.fixture(scope="module")
def checks_tables(tmp_path_factory: pytest.TempPathFactory):
    from conftest import make_small_data_dir
    from trafikplan.io.loading import load

    folder = _folder_with_checks(make_small_data_dir(tmp_path_factory.mktemp("c") / "data"))
    return load(folder)


@pytest.mark.slow
def test_english_section_with_plans_and_no_halo_evidence(checks_tables) -> None:
    from trafikplan.pipeline import build_folder_report as build_report

    html = build_report(checks_tables, language="en")
    assert html == build_report(checks_tables, language="en")  # byte-stable
    sec = _section(html)
    assert "<h2>What the checks found</h2>" in sec and "Vad kontrollerna" not in html
    assert '<a href="#checks">What the checks found</a>' in html
    assert "34 completed checks 2024-01-29 to 2024-11-02: 349 of 3,370 checked vehicles " \
           "over the limit." in sec
    assert "2 planned checks in 2 saved plan weeks: 1 done (start within ±3 h at the same " \
           "site), 1 not done; 1 checks done in the plan weeks were not in the plan." in sec
    assert "1 planned checks after the newest record are not shown" in sec
    assert "2024-11-12 21:30" not in html
    rows = [_cells(r) for r in re.findall(r"<tr><td>K0[15]</td><td>[^<]*</td><td>[^<]*</td>.*?"
                                          r"</tr>", sec)]
    status = {(r[0], r[2], r[4]): (r[6], r[7]) for r in rows}
    assert status[("K01", "2024-10-23 16:00", "2024-10-23 15:00")] == ("11 of 402", "done")
    assert status[("K05", "2024-10-24 20:00", "")] == ("", "not done")
    assert status[("K01", "", "2024-10-25 19:00")] == ("8 of 233", "not planned")
    assert "<td>K09</td><td>Östanåsgatan</td><td class=\"num\">3</td>" \
           "<td class=\"num\">18 of 202</td>" in sec
    halo = sec[sec.index('id="halo"'):]
    assert "No check has counter data both before and after it: the time halo cannot be " \
           "measured." in halo
    assert "<table>" not in halo


@pytest.mark.slow
def test_no_notes_in_the_report(checks_tables) -> None:
    from trafikplan.pipeline import build_folder_report as build_report

    notes = checks_tables.checks_done["notes"].dropna().astype(str)
    assert (notes == "Laserkontroll").sum() > 20
    assert notes.str.contains("stoppad").any()  # the planted note was imported (redacted)
    for lang in ("sv", "en"):
        html = build_report(checks_tables, language=lang)
        assert "Laserkontroll" not in html and "stoppad" not in html
        assert NOTE_NAME not in html and "Lindqvist" not in html and "070-123" not in html


@pytest.mark.slow
def test_no_plans_is_one_line_in_swedish(small_data_dir: Path) -> None:
    from trafikplan.io.loading import load
    from trafikplan.pipeline import build_folder_report as build_report

    shutil.copytree(SAMPLE / "checks_done", small_data_dir / "checks_done")
    sec = _section(build_report(load(small_data_dir)))
    plans = sec[sec.index("<h3>Genomförda mot planerade</h3>"):sec.index("<h3>Andel")]
    assert plans.strip().splitlines()[1:] == [
        "<p>Inga sparade planer i datamappen (.trafikplan/plans/): ingen jämförelse med "
        "planerade kontroller.</p>"]


@pytest.mark.slow
def test_no_checks_at_all(small_data_dir: Path) -> None:
    from trafikplan.io.loading import load
    from trafikplan.pipeline import build_folder_report as build_report

    sec = _section(build_report(load(small_data_dir), language="en"))
    assert "No completed checks in checks_done/." in sec
    assert "No saved plans in the data folder" in sec and "<table>" not in sec


def test_prefiltered_vehicles_give_the_same_halo(sample_tables) -> None:
    from trafikplan.stats.halo import HALO_WINDOWS, measure_halo
    from trafikplan.stats.halo_vehicles import halo_vehicles as _halo_vehicles

    s = sample_tables.settings
    weeks = s.learning.halo_baseline_weeks
    checks = sample_tables.checks_done
    kept = _halo_vehicles(sample_tables.vehicles, checks, weeks, HALO_WINDOWS[-1][1])
    assert 0 < len(kept) < len(sample_tables.vehicles) * 0.6
    full = measure_halo(sample_tables.vehicles, checks, sample_tables.sites, s,
                        baseline_weeks=weeks)
    fast = measure_halo(kept, checks, sample_tables.sites, s, baseline_weeks=weeks)
    pd.testing.assert_frame_equal(full.pooled, fast.pooled)
    pd.testing.assert_frame_equal(full.per_check, fast.per_check)
    pd.testing.assert_frame_equal(full.checks, fast.checks)
    assert full.halo_hours == fast.halo_hours


def test_rates_figure_is_deterministic_and_labelled() -> None:
    from trafikplan.report import figures_overview

    rates = pd.DataFrame({"site_id": pd.array(["K05", pd.NA], dtype="string"),
                          "street": ["Skogsleden", "Ringvägen"],
                          "vehicles_checked": [434, 1200],
                          "violation_rate": [118 / 434, np.nan],
                          "violation_rate_lo": [0.232, np.nan],
                          "violation_rate_hi": [0.316, np.nan]})
    t = texts("en")
    svg = figures_overview.violation_rates_figure(rates, t)
    assert svg == figures_overview.violation_rates_figure(rates, t)
    # English numbers in an English figure (the Swedish one writes 1\u202f200)
    assert "K05 Skogsleden (n = 434)" in svg and "– Ringvägen (n = 1,200)" in svg
    assert t["violation_rate_axis"] in svg


def test_no_negative_zero() -> None:
    assert number(-0.001, 0, "sv", sign=True) == "+0"
    assert number(-0.04, 1, "en") == "0.0"
    assert number(-0.06, 1, "en") == "\u22120.1"
