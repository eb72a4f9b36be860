"""Each command imports only what it needs (issue #17: start-up time of ``trafikplan stats``).

Checked in a fresh interpreter (``sys.modules`` of this test process holds
everything the other tests imported).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from conftest import write_data_folder

HEAVY = ("scipy", "matplotlib", "jinja2", "ortools", "openpyxl", "pyarrow", "pandas",
         "starlette", "dask")
"""Libraries the command line itself (parsing, --help, usage errors) never needs."""

NOT_FOR_STATS = ("matplotlib", "jinja2", "ortools", "openpyxl", "starlette", "dask")
"""Libraries ``trafikplan stats -o file.csv`` does not need (the report, plans, Excel, web)."""


def _loaded_after(code: str) -> set[str]:
    """Top-level packages in ``sys.modules`` after running ``code`` in a fresh interpreter."""
    probe = code + "\nimport json, sys\nprint(json.dumps(sorted({m.split('.')[0] " \
                   "for m in sys.modules})))\n"
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=False, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return set(json.loads(proc.stdout.strip().splitlines()[-1]))


def test_importing_the_command_line_loads_no_heavy_library():
    loaded = _loaded_after("import trafikplan.cli")
    assert "trafikplan" in loaded
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


def test_help_of_every_command_loads_no_heavy_library():
    loaded = _loaded_after(
        "import contextlib, io\n"
        "from trafikplan.cli import main\n"
        "for cmd in (['--help'], ['stats', '--help'], ['run', '--help'], ['plan', 'checks', "
        "'--help'], ['report', '--help'], ['serve', '--help']):\n"
        "    with contextlib.redirect_stdout(io.StringIO()):\n"
        "        assert main(cmd) == 0, cmd\n")
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


@pytest.mark.slow
def test_stats_to_a_file_loads_neither_report_nor_planner(tmp_path: Path):
    sites = pd.DataFrame({"site_id": ["A1"], "speed_limit": [40]})
    times = pd.date_range("2024-05-06 06:00", periods=240, freq="7min", tz="Europe/Stockholm")
    vehicles = pd.DataFrame({"site_id": "A1", "time": times,
                             "speed": [35.0 + (i % 17) for i in range(len(times))]})
    data = write_data_folder(tmp_path / "data", sites=sites, vehicles=vehicles)
    out = tmp_path / "stats.csv"
    loaded = _loaded_after(
        "from trafikplan.cli import main\n"
        f"assert main(['stats', {str(data)!r}, '-o', {str(out)!r}]) == 0\n")
    assert out.is_file() and "A1" in out.read_text(encoding="utf-8")
    assert {"pandas", "scipy"} <= loaded  # it did compute
    assert loaded.isdisjoint(NOT_FOR_STATS), sorted(loaded & set(NOT_FOR_STATS))
