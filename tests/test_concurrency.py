"""Concurrency on one data folder: two imports and a plan started at the same time.

The store's lock (``DATA_DIR/.trafikplan/lock``, fcntl) serialises commits:
the processes must all finish with exit 0, the store must hold every raw file
once, the plan must be made from the complete store, and a process that waits
for the lock must say so on stderr.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest

import trafikplan
from conftest import copy_lean_sample, make_small_data_dir
from trafikplan.io.importing.raw_files import raw_files
from trafikplan.io.store.store import Store

CLI = [sys.executable, "-m", "trafikplan"]
WEEK = "2024-W45"  # the sample roster's week
WAITING = re.compile(r"another trafikplan process .*waiting", re.IGNORECASE)


def _sample_copy(target: Path) -> Path:
    """The lean sample data folder, not imported, with a short solver time limit."""
    copy_lean_sample(target)
    toml = target / "trafikplan.toml"
    text = toml.read_text(encoding="utf-8")
    text, n = re.subn(r"(?m)^(\[checks\].*)$", r"\1\ntime_limit_s = 3", text, count=1)
    assert n == 1
    toml.write_text(text, encoding="utf-8")
    return target


def _flat(text: str) -> str:
    """``text`` with line breaks as spaces (rich may wrap a long message)."""
    return " ".join(text.split())


def _start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*CLI, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


@pytest.mark.slow
def test_two_imports_and_a_plan_started_together_finish_correctly(tmp_path: Path) -> None:
    data = _sample_copy(tmp_path / "measurements")
    out = tmp_path / "plan"
    procs = [
        _start("import", str(data)),
        _start("import", str(data)),
        _start("plan", "checks", str(data), "--week", WEEK, "-o", str(out)),
    ]
    results = [p.communicate(timeout=600) for p in procs]
    for proc, (_stdout, stderr) in zip(procs, results, strict=True):
        assert proc.returncode == 0, stderr
        assert "Traceback" not in stderr
    # the lock made someone wait, and that process said so
    assert any(WAITING.search(_flat(err)) for _, err in results[:2]), [e for _, e in results]

    manifest = json.loads((data / ".trafikplan" / "manifest.json").read_text("utf-8"))
    names = {name for name, _, _ in raw_files(data)}
    assert set(manifest["files"]) == names
    tables = trafikplan.load(data, import_new=False)
    kinds = tables.imports.groupby("kind")["rows"].sum()
    assert int(kinds["vehicles"]) == len(tables.vehicles) > 0  # every file's rows, once
    assert len(tables.bins) > 0 and len(tables.reports) > 0
    again = subprocess.run([*CLI, "import", str(data)], capture_output=True, text=True)
    assert again.returncode == 0 and "Inget nytt" in again.stdout  # the sample speaks Swedish

    plan = pd.read_csv(out / "checks.csv")
    assert len(plan) > 0
    assert set(plan["site_id"]) <= set(tables.sites["site_id"])
    assert {"team", "start", "end", "site_id", "reason"} <= set(plan.columns)


def _run_while_locked(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the CLI while this process holds the store's lock, until the CLI says it waits.

    No sleeping: the lock is let go as soon as the CLI's stderr has the waiting
    line (or after two minutes without it, and the test then fails on it).
    """
    held, said = threading.Event(), threading.Event()

    def hold() -> None:
        with Store(data).lock(exclusive=True):
            held.set()
            said.wait(120)

    holder = threading.Thread(target=hold)
    holder.start()
    assert held.wait(30), "could not take the store's lock"
    with subprocess.Popen([*CLI, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True) as proc:  # closes both pipes when done
        return _answer_when_waiting(proc, said, holder)


def _answer_when_waiting(proc: subprocess.Popen[str], said: threading.Event,
                         holder: threading.Thread) -> subprocess.CompletedProcess[str]:
    """Collect the CLI's output, telling the lock holder to let go once it says it waits."""
    err: list[str] = []

    def read_stderr() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            err.append(line)
            if WAITING.search(_flat("".join(err))):
                said.set()

    reader = threading.Thread(target=read_stderr)
    reader.start()
    try:
        assert proc.stdout is not None
        out = proc.stdout.read()
        proc.wait(timeout=300)
    finally:
        said.set()
        holder.join()
        reader.join()
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, "".join(err))


@pytest.mark.slow
def test_import_waiting_for_the_lock_says_so_and_then_finishes(tmp_path: Path) -> None:
    data = make_small_data_dir(tmp_path / "data")
    result = _run_while_locked(data, "import", str(data))
    assert result.returncode == 0, result.stderr
    assert WAITING.search(_flat(result.stderr)), result.stderr
    assert len(trafikplan.load(data, import_new=False).vehicles) == 31


@pytest.mark.slow
def test_import_waiting_message_is_one_line_naming_the_folder(tmp_path: Path) -> None:
    data = make_small_data_dir(tmp_path / "a_rather_long_folder_name_for_the_data" / "data")
    result = _run_while_locked(data, "import", str(data))
    assert result.returncode == 0, result.stderr
    line = next(x for x in result.stderr.splitlines() if "waiting" in x)
    assert WAITING.search(line) and str(data) in line, result.stderr


@pytest.mark.slow
def test_reader_waiting_for_the_lock_says_so(tmp_path: Path) -> None:
    data = make_small_data_dir(tmp_path / "data")
    subprocess.run([*CLI, "import", str(data)], capture_output=True, check=True)
    (data / "counters" / "copy.csv").write_bytes(
        (data / "counters" / "generic_vehicles.csv").read_bytes().replace(
            b"2024-04-15", b"2024-05-20")  # a later week: new rows, no overlap
    )
    result = _run_while_locked(data, "flags", str(data))
    assert result.returncode == 0, result.stderr
    assert WAITING.search(_flat(result.stderr)), result.stderr
