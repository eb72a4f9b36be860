"""The pages open in headless Chromium: no console errors, a real (non-blank) picture, PDFs.

Chromium is installed by the project's own set-up (``make test`` runs
``make chromium``); these tests fail, not skip, when it is missing.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from test_run import SampleRun, sample_run  # noqa: F401  (shared session fixture)
from trafikplan.report.pdf import find_chromium, html_to_pdf, screenshot


def console_messages(stderr: str) -> list[str]:
    """Console output of the page (Chromium logs each message as ``INFO:CONSOLE``)."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def ink(png: Path) -> tuple[float, int]:
    """Share of pixels that are not background white, and number of distinct colours."""
    from PIL import Image

    img = np.asarray(Image.open(png).convert("RGB"), dtype=np.int16)
    not_white = (np.abs(img - 255).sum(axis=2) > 30).mean()
    colours = len(np.unique(img.reshape(-1, 3)[::7], axis=0))
    return float(not_white), colours


def open_page(html: Path, tmp_path: Path, *, height: int = 2400) -> tuple[list[str], float, int]:
    png = tmp_path / (html.stem + ".png")
    proc = screenshot(html, png, width=1280, height=height)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert png.is_file()
    return console_messages(proc.stderr), *ink(png)


def test_chromium_is_installed() -> None:
    assert find_chromium() is not None, "run `make chromium` (apt-get install chromium)"


@pytest.mark.slow
def test_the_checks_catch_a_broken_page_and_a_blank_page(tmp_path: Path) -> None:
    broken = tmp_path / "broken.html"
    broken.write_text("<!DOCTYPE html><html><body><p>x</p>"
                      "<script>console.error('boom'); missingFunction();</script></body></html>",
                      encoding="utf-8")
    messages, _, _ = open_page(broken, tmp_path, height=400)
    assert any("boom" in m for m in messages)
    assert any("missingFunction" in m for m in messages)
    blank = tmp_path / "blank.html"
    blank.write_text("<!DOCTYPE html><html><body></body></html>", encoding="utf-8")
    messages, share, colours = open_page(blank, tmp_path, height=400)
    assert messages == []
    assert share < 0.001 and colours <= 2


def test_report_opens_without_console_errors_and_is_not_blank(sample_run: SampleRun,  # noqa: F811
                                                               tmp_path: Path) -> None:
    messages, share, colours = open_page(sample_run.out / "report.html", tmp_path)
    assert messages == []
    assert share > 0.03
    assert colours > 50  # text, tables and the coverage calendar


def test_checks_page_opens_without_console_errors_and_is_not_blank(
        sample_run: SampleRun, tmp_path: Path) -> None:  # noqa: F811
    messages, share, colours = open_page(sample_run.out / "checks" / "checks.html", tmp_path,
                                         height=1400)
    assert messages == []
    assert share > 0.01
    assert colours > 10


def test_check_plan_pdf_has_a_page_per_team_and_day(sample_run: SampleRun) -> None:  # noqa: F811
    from pypdf import PdfReader

    plan = pd.read_csv(sample_run.out / "checks" / "checks.csv")
    assert len(plan)
    start = pd.to_datetime(plan["start"], utc=True).dt.tz_convert("Europe/Stockholm")
    team_days = set(zip(plan["team"], start.dt.date, strict=True))
    pages = [unicodedata.normalize("NFKC", p.extract_text() or "")  # "ﬁ" ligatures -> "fi"
             for p in PdfReader(sample_run.out / "checks" / "checks.pdf").pages]
    assert len(pages) >= len(team_days) >= plan["team"].nunique()
    for team in plan["team"].unique():
        assert any(team in page for page in pages), team
    for page in pages:  # one team per page
        assert sum(team in page for team in plan["team"].unique()) <= 1


@pytest.mark.slow
def test_pdf_of_a_report_page_is_a4(tmp_path: Path) -> None:
    from pypdf import PdfReader

    page = tmp_path / "p.html"
    page.write_text("<!DOCTYPE html><html><head><style>@page { size: A4; margin: 10mm }"
                    "section { break-after: page }</style></head><body>"
                    "<section>ett</section><section>två</section></body></html>",
                    encoding="utf-8")
    pdf = html_to_pdf(page, tmp_path / "p.pdf")
    assert pdf is not None and (pdf.stat().st_mode & 0o777) == 0o600
    reader = PdfReader(pdf)
    assert len(reader.pages) == 2
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(595.3, abs=1.5)  # A4 in points
    assert float(box.height) == pytest.approx(841.9, abs=1.5)


@pytest.mark.slow
def test_check_plan_print_layout_one_team_and_day_per_page(tmp_path: Path) -> None:
    from pypdf import PdfReader

    from trafikplan.report.pdf import checks_pdf

    def day(label: str, site: str) -> str:
        return (f"<h3>{label}</h3><table><tr><th>tid</th><th>plats</th></tr>"
                f"<tr><td>19:00–20:30</td><td>{site}</td></tr></table>")

    page = tmp_path / "checks.html"
    page.write_text(
        "<!DOCTYPE html><html lang='sv'><head><meta charset='utf-8'><title>plan</title></head>"
        "<body><h1>Kontrollplan 2024-W45</h1>"
        "<section class=\"team\"><h2>Ingripande Köping 1</h2>"
        + day("måndag 4 november", "Ringvägen (K02)") + day("onsdag 6 november", "Skogsleden (K05)")
        + "</section><section class=\"team\"><h2>Trafikgruppen Västmanland</h2>"
        + day("onsdag 6 november", "Ringvägen (K04)") + "</section></body></html>",
        encoding="utf-8")
    pdf = checks_pdf(page, tmp_path / "checks.pdf")
    assert pdf is not None and (pdf.stat().st_mode & 0o777) == 0o600
    pages = [unicodedata.normalize("NFKC", p.extract_text()) for p in PdfReader(pdf).pages]
    assert len(pages) == 3
    assert "Ingripande Köping 1" in pages[0] and "måndag" in pages[0] and "onsdag" not in pages[0]
    assert "Ingripande Köping 1" in pages[1] and "Skogsleden" in pages[1]
    assert "Trafikgruppen Västmanland" in pages[2] and "K04" in pages[2]
    assert "Köping 1" not in pages[2]


def test_no_chromium_means_no_pdf_and_no_error(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from trafikplan.report.pdf import checks_pdf

    monkeypatch.setenv("TRAFIKPLAN_CHROMIUM", str(tmp_path / "no-such-browser"))
    assert find_chromium() is None
    page = tmp_path / "checks.html"
    page.write_text("<!DOCTYPE html><html><head></head><body>x</body></html>", encoding="utf-8")
    assert html_to_pdf(page, tmp_path / "a.pdf") is None
    assert checks_pdf(page, tmp_path / "b.pdf") is None
    assert not (tmp_path / "a.pdf").exists() and not (tmp_path / "b.pdf").exists()


OVERFLOW_CHECK = """<script>
document.querySelectorAll('details').forEach(function (d) { d.open = true; });
(function () {
  var width = document.documentElement.clientWidth;
  var wide = [];
  document.querySelectorAll('table').forEach(function (t, i) {
    var r = t.getBoundingClientRect();
    if (r.width > 0 && r.right > width + 1) { wide.push(i + ':' + Math.round(r.right)); }
  });
  document.body.setAttribute('data-overflow', wide.join(',') || 'none');
})();
</script>"""
"""Opens every ``<details>`` and lists the tables whose right edge is beyond the page."""

PRINT_WIDTH_PX = 720
"""The width of an A4 page inside 12 mm margins at 96 px per inch (186 mm) [px]."""


def tables_overflowing(html: Path, tmp_path: Path, width: int = PRINT_WIDTH_PX) -> str:
    """Lay ``html`` out ``width`` px wide in Chromium; the tables wider than the page."""
    import re

    from trafikplan.report.pdf import run_chromium

    text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "",
                  html.read_text(encoding="utf-8"))
    page = tmp_path / f"overflow-{html.name}"
    page.write_text(text.replace("</body>", OVERFLOW_CHECK + "</body>"), encoding="utf-8")
    done = run_chromium([f"--window-size={width},1200", "--dump-dom", page.as_uri()])
    found = re.search(r'data-overflow="([^"]*)"', done.stdout)
    assert found, done.stderr[-2000:]
    return found.group(1)


def test_the_overflow_check_finds_a_wide_table(tmp_path: Path) -> None:
    page = tmp_path / "wide.html"
    page.write_text("<!DOCTYPE html><html><body><table><tr><td style='white-space: nowrap'>"
                    + "bred " * 400 + "</td></tr></table></body></html>", encoding="utf-8")
    assert tables_overflowing(page, tmp_path) != "none"


def test_no_table_of_the_report_overflows_the_printed_page(sample_run: SampleRun,  # noqa: F811
                                                           tmp_path: Path) -> None:
    assert tables_overflowing(sample_run.out / "report.html", tmp_path) == "none"
    png = tmp_path / "print-width.png"  # and the page as a reader sees it at print width
    proc = screenshot(sample_run.out / "report.html", png, width=PRINT_WIDTH_PX, height=3000)
    assert proc.returncode == 0 and console_messages(proc.stderr) == []
    share, _ = ink(png)
    assert share > 0.03


def test_site_report_and_pdf_render(sample_tables, tmp_path: Path) -> None:
    from pypdf import PdfReader

    from trafikplan.pipeline import write_site_reports

    [(page, pdf)] = write_site_reports(sample_tables, ["K09"], tmp_path)  # vehicles, then bins
    messages, share, colours = open_page(page, tmp_path, height=2400)
    assert messages == [] and share > 0.03 and colours > 50
    assert tables_overflowing(page, tmp_path) == "none"
    assert pdf is not None
    pages = [unicodedata.normalize("NFKC", p.extract_text() or "") for p in PdfReader(pdf).pages]
    assert len(pages) >= 2  # a page per deployment
    text = "\n".join(pages)
    assert "Mätrapport K09" in text and "Uppsättning 2" in text and "hastighetsklasser" in text
    assert "Per timme" in text and "ÅDT" in text
