"""Crash safety of the import: SIGKILL at random moments during a large import.

A data folder with an imported store gets a generated per-vehicle file of a few
hundred thousand rows; ``trafikplan import`` is started in a subprocess and
killed with SIGKILL after a random delay, several times. After every kill:

- the committed state is either exactly the one before (manifest unchanged) or
  the fully updated one (the new file with all its rows);
- every part the manifest names is a complete Parquet file, and loading the
  store reads only those (half-written or orphaned parts are never read);
- the next import completes and leaves only parts the manifest names.

The kill moments are drawn from a seeded generator, spread from interpreter
start-up to past the end of an uninterrupted import.
"""

from __future__ import annotations

import json
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

import trafikplan
from conftest import SAMPLE, TEST_DATA

CLI = [sys.executable, "-m", "trafikplan"]
N_ROWS = 300_000
N_KILLS = 8


def _write_vehicles(path: Path, n: int, seed: int = 1) -> None:
    """A generic per-vehicle CSV of ``n`` plausible rows on four sites over two months."""
    rng = np.random.default_rng(seed)
    sites = np.array(["K01", "K02", "K05", "K06"])
    start = pd.Timestamp("2024-04-01T00:00:00Z").value // 10**9
    seconds = np.sort(rng.integers(0, 60 * 86400, n)) + start
    times = pd.to_datetime(seconds, unit="s", utc=True).strftime("%Y-%m-%dT%H:%M:%SZ")
    frame = pd.DataFrame(
        {
            "site_id": sites[rng.integers(0, len(sites), n)],
            "time": times,
            "direction": rng.integers(1, 3, n),
            "speed": np.round(rng.normal(47, 8, n).clip(5, 150), 1),
            "length": np.round(rng.normal(4.6, 1.0, n).clip(2.5, 18), 1),
        }
    )
    frame.to_csv(path, index=False)


def _manifest(folder: Path) -> dict:
    path = folder / ".trafikplan" / "manifest.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _manifest_parts_complete(folder: Path, manifest: dict) -> int:
    """Open every part the manifest names as Parquet; return their total rows."""
    rows = 0
    for entry in manifest.get("files", {}).values():
        for part in entry.get("parts", []):
            meta = pq.read_metadata(folder / ".trafikplan" / part["path"])
            assert meta.num_rows == part["rows"]
            rows += meta.num_rows
    return rows


def _stray_parts(folder: Path, manifest: dict) -> set[str]:
    keep = {p["path"] for f in manifest.get("files", {}).values() for p in f.get("parts", [])}
    tables = folder / ".trafikplan" / "tables"
    found = {
        p.relative_to(folder / ".trafikplan").as_posix()
        for p in tables.rglob("*")
        if p.is_file()
    }
    return found - keep


def _wait_for_new_part(
    folder: Path, manifest: dict, proc: subprocess.Popen, timeout_s: float
) -> None:
    """Return once a file the manifest does not name appears in the store's tables."""
    deadline = time.monotonic() + timeout_s
    tables = folder / ".trafikplan" / "tables"
    known = {p["path"] for f in manifest["files"].values() for p in f.get("parts", [])}
    while time.monotonic() < deadline and proc.poll() is None:
        for p in tables.rglob("*"):
            if p.is_file() and p.relative_to(folder / ".trafikplan").as_posix() not in known:
                return
        time.sleep(0.005)


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "big_vehicles.csv"
    _write_vehicles(path, N_ROWS)
    return path


def _folder(root: Path) -> Path:
    data = root / "data"
    (data / "counters").mkdir(parents=True)
    (data / "embrace").mkdir()
    for name in ("trafikplan.toml", "sites.csv"):
        shutil.copy(SAMPLE / name, data / name)
    shutil.copy(TEST_DATA / "counters" / "se_radar_sample.csv", data / "counters")
    shutil.copy(TEST_DATA / "reports" / "generic_reports.csv", data / "embrace")
    return data


@pytest.mark.slow
def test_sigkill_during_import_leaves_old_or_new_state(tmp_path: Path, big_file: Path) -> None:
    data = _folder(tmp_path)
    assert subprocess.run([*CLI, "import", str(data)], capture_output=True).returncode == 0
    before_bytes = (data / ".trafikplan" / "manifest.json").read_bytes()
    n_before = len(trafikplan.load(data, import_new=False).vehicles)
    before = _manifest(data)
    shutil.copy(big_file, data / "counters" / "big_vehicles.csv")

    # One uninterrupted import of a copy gives the scale of the kill moments.
    reference = _folder(tmp_path / "ref")
    shutil.copytree(data / ".trafikplan", reference / ".trafikplan")
    shutil.copy(big_file, reference / "counters" / "big_vehicles.csv")
    t0 = time.monotonic()
    ref = subprocess.Popen([*CLI, "import", str(reference)], stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True)
    _wait_for_new_part(reference, _manifest(reference), ref, timeout_s=600)
    t_part = time.monotonic()
    _, err = ref.communicate()
    full_s = time.monotonic() - t0
    write_s = time.monotonic() - t_part  # [s] from the first new part to the end
    assert ref.returncode == 0, err
    full = _manifest(reference)
    n_big = full["files"]["counters/big_vehicles.csv"]["rows"]
    assert n_big == N_ROWS
    n_after = len(trafikplan.load(reference, import_new=False).vehicles)
    assert n_after == n_before + N_ROWS

    saved = tmp_path / "store_before"
    shutil.copytree(data / ".trafikplan", saved)
    rng = random.Random(20240415)
    outcome = {"old": 0, "new": 0, "mid_write": 0}
    for k in range(N_KILLS):
        proc = subprocess.Popen(
            [*CLI, "import", str(data)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        if k % 2:  # a random moment of the whole run
            time.sleep(rng.uniform(0.2, 1.1) * full_s)
        else:  # a random moment once the import has begun writing parts
            _wait_for_new_part(data, before, proc, timeout_s=3 * full_s)
            time.sleep(rng.uniform(0.0, 0.5) * write_s)  # while parts are being written
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        manifest = _manifest(data)
        stray = _stray_parts(data, manifest)
        if "counters/big_vehicles.csv" in manifest.get("files", {}):
            outcome["new"] += 1
            assert manifest["files"]["counters/big_vehicles.csv"]["rows"] == N_ROWS
            assert set(manifest["files"]) == set(full["files"])
            expected = n_after
        else:
            outcome["old"] += 1
            outcome["mid_write"] += bool(stray)  # killed after writing parts, before commit
            assert (data / ".trafikplan" / "manifest.json").read_bytes() == before_bytes
            expected = n_before
        # every named part is whole; loading reads only those, whatever else lies there
        _manifest_parts_complete(data, manifest)
        assert len(trafikplan.load(data, import_new=False).vehicles) == expected
        if expected == n_after:  # back to the old state, to kill the next import again
            shutil.rmtree(data / ".trafikplan")
            shutil.copytree(saved, data / ".trafikplan")
    print(f"\nSIGKILLs survived: {N_KILLS} (store as before {outcome['old']}, of them "
          f"{outcome['mid_write']} with parts already written; fully updated {outcome['new']});"
          f" uninterrupted import {full_s:.1f} s")
    assert outcome["mid_write"] >= 1

    result = subprocess.run([*CLI, "import", str(data)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    final = _manifest(data)
    assert final["files"]["counters/big_vehicles.csv"]["rows"] == N_ROWS
    assert len(trafikplan.load(data, import_new=False).vehicles) == n_after
    assert not _stray_parts(data, final)  # leftovers of the killed imports are swept
