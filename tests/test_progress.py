"""Progress lines: on stderr for a terminal, never when piped or with ``--quiet``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import make_small_data_dir


def run(*args: str | Path, terminal: bool) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, COLUMNS="200")
    env.pop("FORCE_COLOR", None)
    env["TTY_COMPATIBLE"] = "1" if terminal else "0"  # rich: draw as on a terminal, or not
    return subprocess.run([sys.executable, "-m", "trafikplan", *map(str, args)],
                          capture_output=True, text=True, check=False, env=env, timeout=300)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = make_small_data_dir(tmp_path_factory.mktemp("progress") / "data")
    done = run("import", target, terminal=False)
    assert done.returncode == 0, done.stderr
    return target


@pytest.mark.slow
def test_progress_on_a_terminal_only(data_dir: Path, tmp_path: Path) -> None:
    shown = run("flags", data_dir, terminal=True)
    assert shown.returncode == 0, shown.stderr
    assert "Läser data" in shown.stderr and "Beräknar flaggor" in shown.stderr
    assert "Läser data" not in shown.stdout  # the table stays clean on stdout
    piped = run("flags", data_dir, terminal=False)
    assert piped.returncode == 0 and piped.stderr == ""
    quiet = run("--quiet", "flags", data_dir, terminal=True)
    assert quiet.returncode == 0 and "Läser data" not in quiet.stderr
    report = run("report", data_dir, "-o", tmp_path, terminal=True)
    assert report.returncode == 0, report.stderr
    assert "Skriver rapporten" in report.stderr
