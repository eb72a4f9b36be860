"""``trafikplan plan checks``: files, saved plan, summary, exit codes (subprocess)."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROSTER = """team,start,end,area
Ingripande Köping 1,2024-10-07T14:00:00+02:00,2024-10-07T22:00:00+02:00,Köping
Ingripande Köping 2,2024-10-11T18:00:00+02:00,2024-10-12T02:00:00+02:00,Köping
"""


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "trafikplan", *args], capture_output=True,
                          text=True, timeout=300)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    from conftest import make_small_data_dir

    target = make_small_data_dir(tmp_path_factory.mktemp("cli") / "data")
    (target / "roster.csv").write_text(ROSTER, encoding="utf-8")
    done = run("import", str(target))
    assert done.returncode == 0, done.stderr
    return target


@pytest.mark.slow
def test_plan_checks_writes_private_files_and_saves(data_dir, tmp_path):
    out = tmp_path / "plan"
    done = run("plan", "checks", str(data_dir), "--week", "2024-W41", "-o", str(out),
               "--time-limit", "1")
    assert done.returncode == 0, done.stderr
    assert "Ingripande Köping 1:" in done.stdout
    assert "girig jämförelse" in done.stdout and "gap" in done.stdout
    files = sorted(p.name for p in out.iterdir())
    assert "checks.csv" in files and "checks.html" in files
    assert any(f.endswith(".ics") for f in files)
    for p in out.iterdir():
        assert stat.S_IMODE(p.stat().st_mode) == 0o600
    saved = data_dir / ".trafikplan" / "plans" / "2024-W41.parquet"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert stat.S_IMODE(saved.parent.stat().st_mode) == 0o700
    plan = pd.read_parquet(saved)
    csv = pd.read_csv(out / "checks.csv")
    assert len(plan) == len(csv) > 0
    # the next week's plan reads this one back (the halo across the boundary)
    from trafikplan.plan.checks import load_prior_plans

    prior = load_prior_plans(data_dir, "2024-W42")
    assert len(prior) == len(plan)
    assert load_prior_plans(data_dir, "2024-W41").empty


@pytest.mark.slow
def test_week_without_shifts_exits_2(data_dir):
    done = run("plan", "checks", str(data_dir), "--week", "2024-W30", "--time-limit", "1")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert "2024-W30" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.slow
def test_bad_week_exits_2(data_dir):
    done = run("plan", "checks", str(data_dir), "--week", "41")
    assert done.returncode == 2
    assert "alternativet '--week': '41' är ingen ISO-vecka" in done.stderr  # sv folder


@pytest.mark.slow
def test_bad_roster_exits_2(tmp_path):
    from conftest import make_small_data_dir

    target = make_small_data_dir(tmp_path / "data")
    (target / "roster.csv").write_text(
        "team,start,end\nA,2024-10-07T22:00+02:00,2024-10-07T14:00+02:00\n", encoding="utf-8")
    done = run("plan", "checks", str(target), "--week", "2024-W41")
    assert done.returncode == 2
    assert "roster.csv:2" in done.stderr
