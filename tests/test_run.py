"""``trafikplan run``: the whole chain on the sample, in a subprocess, into a temp ``out/``.

The run is made once per test session and shared by the test modules that
read its output (test_browser, test_report_sample, test_xlsx_exports): under
pytest-xdist the first worker makes it while the others wait on a file lock.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import SAMPLE, TEST_DATA, built_once, make_small_data_dir

EXPECTED = json.loads((TEST_DATA / "sample_expected.json").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class SampleRun:
    data: Path
    out: Path
    stdout: str
    stderr: str
    returncode: int


def run_cli(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, COLUMNS="200")
    return subprocess.run([sys.executable, "-m", "trafikplan", *map(str, args)],
                          capture_output=True, text=True, check=False, env=env, cwd=cwd,
                          timeout=600)


@pytest.fixture(scope="session")
def sample_run(request: pytest.FixtureRequest,
               tmp_path_factory: pytest.TempPathFactory) -> SampleRun:
    """``trafikplan run DATA -o OUT`` on a copy of the sample, once per session."""

    def build(root: Path) -> None:
        data, out = root / "measurements", root / "out"
        shutil.copytree(SAMPLE, data, ignore=shutil.ignore_patterns(".trafikplan"))
        # a short solver limit and a 3-week measurement plan keep the test quick; the plans'
        # rules are checked by the planners' own tests, here only their files matter
        proc = run_cli("run", data, "-o", out, "--time-limit", "3", "--weeks", "3")
        (root / "result.json").write_text(json.dumps({
            "stdout": proc.stdout, "stderr": proc.stderr, "returncode": proc.returncode}),
            encoding="utf-8")

    root = built_once(request, tmp_path_factory, "sample_run", build)
    result = json.loads((root / "result.json").read_text(encoding="utf-8"))
    return SampleRun(root / "measurements", root / "out", result["stdout"], result["stderr"],
                     result["returncode"])


def _text_of(path: Path) -> str:
    """Everything a person (or a program) could read in ``path``."""
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    if path.suffix == ".pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    if path.suffix == ".parquet":
        import pandas as pd

        return pd.read_parquet(path).to_csv()
    return path.read_bytes().decode("utf-8", "replace")


def test_run_succeeds_and_lists_every_file(sample_run: SampleRun) -> None:
    assert sample_run.returncode == 0, sample_run.stderr[-2000:]
    for name in ("report.html", "stats.csv", "stats.xlsx", "flags.csv", "flags.xlsx",
                 "evaluation.csv", "evaluation.xlsx"):
        assert (sample_run.out / name).is_file(), name
        assert name in sample_run.stdout
    assert "measurements.ics" in sample_run.stdout
    # the check plan's quality in one line: value, upper bound, gap, greedy baseline
    assert "övre gräns" in sample_run.stdout and "girig jämförelse" in sample_run.stdout


def test_run_leaves_report_plans_and_calendars(sample_run: SampleRun) -> None:
    out = sample_run.out
    assert (out / "report.html").stat().st_size > 100_000
    assert (out / "measurements" / "measurements.csv").is_file()
    assert (out / "measurements" / "measurements.ics").read_text(encoding="utf-8").startswith(
        "BEGIN:VCALENDAR")
    checks = out / "checks"
    assert (checks / "checks.csv").is_file()
    assert (checks / "checks.html").is_file()
    assert (checks / "checks.pdf").read_bytes().startswith(b"%PDF")
    calendars = sorted(checks.glob("*.ics"))
    assert calendars, "no team calendar"
    for cal in calendars:
        assert "BEGIN:VEVENT" in cal.read_text(encoding="utf-8")


def test_check_plan_is_for_first_roster_week_after_newest_data(sample_run: SampleRun) -> None:
    import pandas as pd

    plan = pd.read_csv(sample_run.out / "checks" / "checks.csv")
    starts = pd.to_datetime(plan["start"], utc=True).dt.tz_convert("Europe/Stockholm")
    newest = max(pd.Timestamp(t) for t in EXPECTED["sites"]["newest_data"].values())
    assert (starts > newest).all()
    # the roster begins on Monday 2024-11-04, the day after the newest data
    assert starts.min() >= pd.Timestamp("2024-11-04T00:00:00+01:00")
    assert starts.max() < pd.Timestamp("2024-11-11T00:00:00+01:00")


def test_plan_files_are_private(sample_run: SampleRun) -> None:
    for folder in (sample_run.out / "checks", sample_run.out / "measurements"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
        files = [p for p in folder.iterdir() if p.is_file()]
        assert files
        for p in files:
            assert stat.S_IMODE(p.stat().st_mode) == 0o600, p


def test_no_personal_data_anywhere_under_out(sample_run: SampleRun) -> None:
    secrets = [item["value"] for item in EXPECTED["reports"]["personal_data"]]
    assert len(secrets) >= 10
    files = [p for p in sample_run.out.rglob("*") if p.is_file()]
    assert len(files) >= 10
    found = []
    for path in files:
        text = _text_of(path)
        found += [(path.name, s) for s in secrets if s in text]
    assert not found


def test_report_free_text_not_kept_by_default(sample_run: SampleRun) -> None:
    # [reports] keep_text is off in the sample: the free text (hostile text included) is
    # used for the categories and then dropped (escaping of kept text: test_safe_output)
    html = (sample_run.out / "report.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html.lower()  # the only scripts are the map's own
    assert "alert(1)" not in html
    assert "HYPERLINK" not in html


@pytest.mark.slow
def test_run_skips_stages_without_inputs(tmp_path: Path) -> None:
    data = make_small_data_dir(tmp_path / "data")
    proc = run_cli("run", data, "-o", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr[-2000:]
    for note in ("ingen roster.csv", "ingen counter_fleet.csv", "ingen measures.csv"):
        assert note in proc.stdout
    assert (tmp_path / "out" / "report.html").is_file()
    assert not (tmp_path / "out" / "checks").exists()
    assert not (tmp_path / "out" / "measurements").exists()


@pytest.mark.slow
def test_run_without_reports_notes_it(tmp_path: Path) -> None:
    data = make_small_data_dir(tmp_path / "data")
    shutil.rmtree(data / "embrace")
    proc = run_cli("run", data, "-o", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "inga Embrace-rapporter" in proc.stdout
    assert (tmp_path / "out" / "report.html").is_file()


@pytest.mark.slow
def test_make_run_calls_the_chain_on_the_sample() -> None:
    root = SAMPLE.parents[1]
    proc = subprocess.run(["make", "-n", "run"], cwd=root,
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert ".venv/bin/trafikplan run data/measurements -o out" in proc.stdout


@pytest.mark.slow
def test_run_bad_week_is_a_usage_error(tmp_path: Path) -> None:
    data = make_small_data_dir(tmp_path / "data")
    shutil.copy(SAMPLE / "roster.csv", data / "roster.csv")
    proc = run_cli("run", data, "-o", tmp_path / "out", "--week", "2024-W99")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
