"""The import store: idempotent, all-or-nothing, serialised, rebuilt when inputs change."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import trafikplan
from conftest import TEST_DATA
from trafikplan._errors import InputError
from trafikplan.io.importing.importer import import_data
from trafikplan.io.store.store import Store

CLI = [sys.executable, "-m", "trafikplan"]


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with the hash of its content."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_import_counts_and_reimport_adds_nothing(small_data_dir: Path) -> None:
    first = import_data(small_data_dir)
    assert set(first.files["status"]) == {"new"}
    assert first.totals["vehicles"] == 31
    assert first.totals["bins"] == 32
    assert first.totals["reports"] == 13
    assert first.totals["rejects"] == int(first.files["rejected"].sum()) == 15
    before = snapshot(small_data_dir)
    second = import_data(small_data_dir)
    assert set(second.files["status"]) == {"unchanged"}
    assert not second.changed
    assert snapshot(small_data_dir) == before
    tables = trafikplan.load(small_data_dir)
    assert len(tables.vehicles) == 31
    assert tables.rejects["reason"].value_counts().to_dict() == dict(Counter_from(first.rejects))


def Counter_from(rejects: pd.DataFrame) -> dict[str, int]:
    return dict(zip(rejects["reason"], rejects["count"], strict=True))


@pytest.mark.slow
def test_copy_of_a_file_is_a_duplicate_not_counted_twice(small_data_dir: Path) -> None:
    import_data(small_data_dir)
    shutil.copy(
        small_data_dir / "counters" / "se_radar_sample.csv",
        small_data_dir / "counters" / "copy_of_radar.csv",
    )
    summary = import_data(small_data_dir)
    status = dict(zip(summary.files["file"], summary.files["status"], strict=True))
    assert status["counters/copy_of_radar.csv"] == "duplicate"
    assert summary.totals["vehicles"] == 31
    before = snapshot(small_data_dir)
    again = import_data(small_data_dir)  # the copy stays the duplicate, rows kept
    assert again.totals["vehicles"] == 31
    assert snapshot(small_data_dir) == before
    assert not again.changed
    (small_data_dir / "counters" / "se_radar_sample.csv").unlink()
    alone = import_data(small_data_dir)  # the copy's rows take the original's place
    status = dict(zip(alone.files["file"], alone.files["status"], strict=True))
    assert status["counters/copy_of_radar.csv"] == "changed"
    assert alone.totals["vehicles"] == 31


def test_removed_and_changed_files_follow_the_raw_folder(small_data_dir: Path) -> None:
    import_data(small_data_dir)
    (small_data_dir / "counters" / "se_radar_sample.csv").unlink()
    summary = import_data(small_data_dir)
    assert "removed" in set(summary.files["status"])
    assert summary.totals["vehicles"] == 21
    assert len(trafikplan.load(small_data_dir).vehicles) == 21


@pytest.mark.slow
def test_sites_change_rebuilds_the_store(small_data_dir: Path) -> None:
    import_data(small_data_dir)
    sites = small_data_dir / "sites.csv"
    text = sites.read_text(encoding="utf-8")
    sites.write_text(text.replace("K01,", "K91,", 1), encoding="utf-8")
    summary = import_data(small_data_dir)
    assert summary.rebuilt
    tables = trafikplan.load(small_data_dir)
    assert "K01" not in set(tables.vehicles["site_id"].astype(str))
    assert (tables.rejects["reason"] == "site_unknown").sum() == 4


@pytest.mark.slow
def test_load_filters_by_site_and_local_date(small_data_dir: Path) -> None:
    all_rows = trafikplan.load(small_data_dir).vehicles
    some = trafikplan.load(small_data_dir, sites=["K03"], start="2024-10-27", end="2024-10-27")
    local = all_rows["time"].dt.tz_convert("Europe/Stockholm")
    expected = ((all_rows["site_id"] == "K03") & (local.dt.date.astype(str) == "2024-10-27")).sum()
    assert len(some.vehicles) == expected > 0
    with pytest.raises(InputError, match="unknown site"):
        trafikplan.load(small_data_dir, sites=["NOPE"])


@pytest.mark.slow
def test_load_reads_only_the_vehicle_columns_asked_for(small_data_dir: Path) -> None:
    from trafikplan.pipeline import folder_stats, stats_vehicle_columns

    full = trafikplan.load(small_data_dir)
    wanted = stats_vehicle_columns()
    some = trafikplan.load(small_data_dir, vehicle_columns=wanted)
    assert list(some.vehicles.columns) == list(wanted)
    pd.testing.assert_frame_equal(some.vehicles, full.vehicles[list(wanted)])
    pd.testing.assert_frame_equal(some.bins, full.bins)
    by = ("site_id", "direction", "hour_start")
    pd.testing.assert_frame_equal(folder_stats(some, by), folder_stats(full, by))
    assert "headway" in trafikplan.load(
        small_data_dir, vehicle_columns=stats_vehicle_columns(free_flow=True)).vehicles


@pytest.mark.slow
def test_orphan_and_temporary_parts_are_never_read(small_data_dir: Path) -> None:
    import_data(small_data_dir)
    store = Store(small_data_dir)
    good = trafikplan.load(small_data_dir, import_new=False).vehicles
    # what a crash between writing parts and committing the manifest leaves behind
    orphan = store.root / "tables" / "vehicles" / "K01" / "2024-04"
    orphan.mkdir(parents=True, exist_ok=True)
    good.head(3).to_parquet(orphan / "deadbeef-00000000-0.parquet")
    (orphan / ".half-written.parquet.tmp").write_bytes(b"PAR1 cut")
    again = trafikplan.load(small_data_dir, import_new=False).vehicles
    assert len(again) == len(good)


BROKEN = [
    ("counters", "empty.csv", "empty"),
    ("counters", "binary.bin.csv", "binary"),
    ("counters", "wrong_delimiter.csv", "profile"),
    ("counters", "missing_speed_column.csv", "Hastighet"),
    ("counters", "wrong_encoding.csv", "encoding"),
    ("counters", "se_radar_truncated_last_line.csv", "ofullständig kopia"),
    ("counters", "duplicate_header.csv", "duplicate"),
    ("reports", "embrace_no_header.csv", "profile"),
    ("reports", "embrace_unterminated_quote.csv", ""),
]


@pytest.mark.slow
@pytest.mark.parametrize(("folder", "name", "needle"), BROKEN, ids=[b[1] for b in BROKEN])
def test_broken_file_exit_2_one_line_folder_unchanged(
    small_data_dir: Path, folder: str, name: str, needle: str
) -> None:
    import_data(small_data_dir)
    target = small_data_dir / ("counters" if folder == "counters" else "embrace") / name
    shutil.copy(TEST_DATA / folder / name, target)
    before = snapshot(small_data_dir)
    result = run_cli("import", str(small_data_dir))
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert name in lines[0]
    assert needle.lower() in lines[0].lower()
    assert "Traceback" not in result.stderr
    assert snapshot(small_data_dir) == before


@pytest.mark.slow
def test_first_import_failing_creates_no_store(small_data_dir: Path) -> None:
    shutil.copy(TEST_DATA / "counters" / "binary.bin.csv", small_data_dir / "counters")
    result = run_cli("import", str(small_data_dir))
    assert result.returncode == 2
    assert not (small_data_dir / ".trafikplan").exists()


@pytest.mark.slow
def test_broken_settings_and_sites(small_data_dir: Path) -> None:
    toml = small_data_dir / "trafikplan.toml"
    good = toml.read_text(encoding="utf-8")
    toml.write_text(good + "\n[checks\nmin_minutes = 60\n", encoding="utf-8")
    result = run_cli("import", str(small_data_dir))
    assert result.returncode == 2 and "trafikplan.toml" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    toml.write_text(good, encoding="utf-8")
    sites = small_data_dir / "sites.csv"
    lines = sites.read_text(encoding="utf-8").splitlines()
    head = lines[0].split(",")
    row = lines[3].split(",")
    lines[3] = ",".join(
        [*row[:head.index("speed_limit")], "femtio", *row[head.index("speed_limit") + 1:]]
    )
    sites.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("import", str(small_data_dir))
    assert result.returncode == 2
    assert "sites.csv:4" in result.stderr and "speed_limit" in result.stderr
    assert not (small_data_dir / ".trafikplan").exists()


@pytest.mark.slow
def test_debug_shows_the_traceback(small_data_dir: Path) -> None:
    shutil.copy(TEST_DATA / "counters" / "empty.csv", small_data_dir / "counters")
    result = run_cli("--debug", "import", str(small_data_dir))
    assert result.returncode != 0
    assert "Traceback" in result.stderr and "InputError" in result.stderr


@pytest.mark.slow
def test_unknown_command_and_missing_folder_exit_2(tmp_path: Path) -> None:
    assert run_cli("frobnicate").returncode == 2
    result = run_cli("import", str(tmp_path / "nowhere"))
    assert result.returncode == 2 and "nowhere" in result.stderr


@pytest.mark.slow
def test_two_imports_at_once_give_one_consistent_store(small_data_dir: Path) -> None:
    env = dict(os.environ)
    procs = [
        subprocess.Popen(
            [*CLI, "import", str(small_data_dir)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(2)
    ]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    manifest = json.loads((small_data_dir / ".trafikplan" / "manifest.json").read_text())
    assert len(manifest["files"]) == 7
    assert len(trafikplan.load(small_data_dir, import_new=False).vehicles) == 31
