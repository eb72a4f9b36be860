"""The HTML report: content on the sample, languages, escaping, byte-stable output."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from test_run import EXPECTED, SampleRun, sample_run  # noqa: F401  (shared session fixture)
from trafikplan.i18n import CATEGORIES, KINDS, WEEKDAYS, interval, number, texts
from trafikplan.report import figures


def _section(html: str, start_id: str, end_id: str) -> str:
    return html[html.index(f'id="{start_id}"'):html.index(f'id="{end_id}"')]


@pytest.fixture(scope="module")
def report_html(sample_run: SampleRun) -> str:  # noqa: F811
    assert sample_run.returncode == 0, sample_run.stderr[-2000:]
    return (sample_run.out / "report.html").read_text(encoding="utf-8")


def test_report_ranks_the_planted_streets_first(report_html: str) -> None:
    flagged = _section(report_html, "flagged", "map")
    ranked = re.findall(r'href="#street-[^"]*">([^<]+)</a>', flagged)
    planted = {p["street"] for p in EXPECTED["patterns"]["speeding"]}
    assert planted == {"Ringvägen", "Skogsleden"}
    assert set(ranked[:2]) == planted
    for street in EXPECTED["reports"]["tip_streets"]:
        assert street in ranked, street


def test_report_shows_focus_streets_before_after_with_intervals(report_html: str) -> None:
    ev = _section(report_html, "evaluation", "street-ringvägen")
    built = [m for m in EXPECTED["measures"] if m["status"] == "built"]
    assert {m["street"] for m in built} == {"Ringvägen", "Skogsleden", "Östanåsgatan"}
    for m in built:
        row = ev[ev.index(f"<td>{m['measure_id']} "):]
        row = row[:row.index("</tr>")]
        assert m["street"] in row and m["site_id"] in row
        # mean change after − before, e.g. "−5,9 (−6,0 till −5,9)": Swedish, with its interval
        change = round(m["observed_change_kmh"], 1)
        assert number(change, 1, "sv", sign=True) in row
        assert " till " in row
    assert "<svg" in ev  # the forest plot


def test_report_has_overview_coverage_map_and_per_site_figures(report_html: str) -> None:
    from trafikplan.i18n import code

    overview = _section(report_html, "appendix", "deployments")  # the data come last
    assert report_html.index('id="week"') < report_html.index('id="appendix"')
    for f in EXPECTED["files"]:
        assert f in overview
    for reason, count in EXPECTED["rejects_by_reason"].items():
        name = code("reject", reason, "sv")
        assert re.search(rf"<td>{name}</td><td>[^<]+</td><td class=\"num\">{count}</td>",
                         overview), reason
    assert overview.count("<svg") == 1  # the coverage calendar
    assert "<svg" in _section(report_html, "map", "evaluation")
    k05 = report_html[report_html.index("<h4>K05"):]
    k05 = k05[:k05.index("<h4>K06")]
    assert k05.count("<svg") == 3  # heatmap, distribution, volume
    assert "Fredagar 21–22" in k05  # the planted Friday-evening hours, with their reason


def test_report_is_self_contained(report_html: str) -> None:
    from trafikplan.report.site_map import TILE_ORIGIN, leaflet_assets

    lowered = report_html.lower()
    assert "<script src" not in lowered and "<link" not in lowered
    assert leaflet_assets()["js"] in report_html  # the vendored Leaflet, inlined
    outside_scripts = re.sub(r"<script\b.*?</script>", "", report_html, flags=re.S).lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", outside_scripts)
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', report_html)
    assert csp and f"img-src data: {TILE_ORIGIN}" in csp.group(1)  # only the map's tiles
    assert "connect-src" not in csp.group(1) and "default-src 'none'" in csp.group(1)
    assert "@import" not in lowered and "url(http" not in lowered
    assert '<html lang="sv">' in report_html


@pytest.mark.slow
def test_report_in_english_and_byte_stable(small_data_dir: Path) -> None:
    from trafikplan.io.loading import load
    from trafikplan.pipeline import build_folder_report as build_report

    tables = load(small_data_dir)
    en = build_report(tables, language="en")
    assert '<html lang="en">' in en
    assert "Flagged streets" in en and "Flaggade gator" not in en
    sv = build_report(tables)
    assert "Flaggade gator" in sv and "Flagged streets" not in sv
    assert build_report(tables) == sv


def test_every_text_exists_in_both_languages() -> None:
    sv, en = texts("sv"), texts("en")
    assert sv.keys() == en.keys()
    assert all(v for v in sv.values()) and all(v for v in en.values())
    for table in (CATEGORIES, KINDS):
        assert table["sv"].keys() == table["en"].keys()
    assert len(WEEKDAYS["sv"]) == len(WEEKDAYS["en"]) == 7
    with pytest.raises(ValueError, match="language"):
        texts("de")


def test_numbers_for_people() -> None:
    assert number(-5.94, 1, "sv", sign=True) == "\u22125,9"
    assert number(-5.94, 1, "en", sign=True) == "\u22125.9"
    assert number(float("nan"), 1, "sv") == ""
    assert interval(-0.3071, -0.3110, -0.3032, 0, "sv", sign=True, scale=100, unit=" %") == (
        "\u221231 % (\u221231 till \u221230)")
    assert interval(2.0, 1.0, 3.5, 1, "en") == "2.0 (1.0 to 3.5)"


@pytest.mark.slow
def test_svg_is_inline_ready_and_deterministic() -> None:
    t = texts("sv")
    cells = pd.DataFrame({"weekday": [1, 5, 5], "hour_of_day": [8, 21, 22], "n": [40, 652, 12],
                          "share_over_limit": [0.2, 0.88, 0.5], "v85": [52.0, 66.2, 60.0]})
    a = figures.heatmap_figure(cells, 50.0, 30, t, "K05")
    b = figures.heatmap_figure(cells, 50.0, 30, t, "K05")
    c = figures.heatmap_figure(cells, 50.0, 30, t, "K06")
    assert a == b
    assert a.startswith("<svg") and "<?xml" not in a and "<dc:date>" not in a
    assert 'width="100%"' in a
    assert ">652<" in a and ">12<" in a  # sample sizes written in the cells
    ids_a = set(re.findall(r'id="([^"]+)"', a))
    ids_c = set(re.findall(r'id="([^"]+)"', c))
    assert ids_a and not ids_a & ids_c  # two figures on one page never share an id


def test_distribution_uses_counter_classes_when_no_vehicles() -> None:
    t = texts("en")
    classes = pd.DataFrame({"speed_lo": [0.0, 30.0, 50.0, 70.0],
                            "speed_hi": [30.0, 50.0, 70.0, float("inf")],
                            "count": [10, 60, 25, 5]})
    svg = figures.distribution_figure(classes, 50.0, t, "K07")
    assert "limit 50 km/h" in svg and "n = 100" in svg


@pytest.mark.slow
def test_report_command_writes_one_offline_page(small_data_dir: Path, tmp_path: Path) -> None:
    from test_run import run_cli

    proc = run_cli("report", small_data_dir, "-o", tmp_path / "out", "--language", "en")
    assert proc.returncode == 0, proc.stderr[-2000:]
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "report.html" in proc.stdout
    assert '<html lang="en">' in html
    assert "No evaluation: no measures.csv" in html
    assert "<script src" not in html.lower()  # scripts are inlined (the map), none fetched


@pytest.mark.slow
def test_report_command_bad_data_dir_is_one_line(tmp_path: Path) -> None:
    from test_run import run_cli

    proc = run_cli("report", tmp_path / "nowhere", "-o", tmp_path / "out")
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr


def test_report_text_has_no_english_code_words(report_html: str) -> None:
    from test_cli_swedish import english_words

    html = re.sub(r"<(script|style|svg)\b.*?</\1>", "", report_html, flags=re.S)
    assert english_words(re.sub(r"<[^>]+>", " ", html)) == []
