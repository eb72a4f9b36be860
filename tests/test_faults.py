"""Faults: a file changed mid-import, a full disk, a failing PDF step."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import make_small_data_dir, tree_hashes
from trafikplan._errors import DiskFullError, InputError
from trafikplan.cli import main
from trafikplan.io.importing import read as import_read
from trafikplan.io.importing.importer import import_data
from trafikplan.io.importing.raw_files import file_hash
from trafikplan.io.loading import load

ROWS = "K01,2024-04-16T{h:02d}:{m:02d}:{s:02d}+02:00,1,{v:.1f},4.6\n"


def _growing_file(path: Path, n: int) -> None:
    path.write_text("site_id,time,direction,speed,length\n" + "".join(
        ROWS.format(h=i // 3600, m=i // 60 % 60, s=i % 60, v=40 + i % 20) for i in range(n)),
        encoding="utf-8")


@pytest.mark.slow
def test_a_file_changed_during_its_import_stops_it_and_is_read_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = make_small_data_dir(tmp_path / "data")
    import_data(data)
    before = tree_hashes(data)
    path = data / "counters" / "copying.csv"
    _growing_file(path, 600)
    real = import_read.iter_counter_file

    def appended_meanwhile(p, *args, **kwargs):
        for i, chunk in enumerate(real(p, *args, **kwargs)):
            yield chunk
            if i == 0 and Path(p) == path:  # the copy goes on while we read
                with open(path, "a", encoding="utf-8") as fh:
                    fh.write(ROWS.format(h=23, m=59, s=59, v=50.0) * 100)

    monkeypatch.setattr(import_read, "iter_counter_file", appended_meanwhile)
    with pytest.raises(InputError, match="changed while it was imported") as err:
        import_data(data)
    assert err.value.path == str(path)
    path_bytes = path.read_bytes()
    (path.unlink(), path.write_bytes(path_bytes))  # (keep the tree comparable)
    after = tree_hashes(data)
    after.pop("counters/copying.csv")
    expected = dict(before)
    assert after == expected  # nothing committed
    monkeypatch.setattr(import_read, "iter_counter_file", real)
    summary = import_data(data)  # the complete file, read again
    row = summary.files.set_index("file").loc["counters/copying.csv"]
    assert row["status"] == "new" and row["rows"] == 700
    manifest = json.loads((data / ".trafikplan" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["files"]["counters/copying.csv"]["sha256"] == file_hash(path)


def test_the_hash_recorded_is_of_the_bytes_imported(tmp_path: Path) -> None:
    data = make_small_data_dir(tmp_path / "data")
    import_data(data)
    manifest = json.loads((data / ".trafikplan" / "manifest.json").read_text(encoding="utf-8"))
    for name, entry in manifest["files"].items():
        assert entry["sha256"] == file_hash(data / name), name


def test_disk_full_while_writing_parts_is_one_line_and_the_store_as_before(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from trafikplan.io.store import store as store_module

    data = make_small_data_dir(tmp_path / "data")
    import_data(data)
    _growing_file(data / "counters" / "more.csv", 300)
    before = tree_hashes(data)
    real = store_module._write_parquet
    calls = []

    def full(df, path):
        calls.append(path)
        real(df, path)  # half the part is on disk when the disk fills up
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store_module, "_write_parquet", full)
    assert main(["import", str(data)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "disk is full" in err[0], err
    assert tree_hashes(data) == before
    assert calls


@contextlib.contextmanager
def _small_tmpfs(where: Path, size: str):
    """Mount a tmpfs of ``size`` at ``where`` (root only)."""
    if os.name != "posix" or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    where.mkdir(parents=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {done.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def _fill(folder: Path, leave: int) -> None:
    """Fill the file system of ``folder`` up to ``leave`` bytes."""
    free = shutil.disk_usage(folder).free
    with open(folder / "filler.bin", "wb") as fh:
        fh.write(b"\0" * max(0, free - leave))


@pytest.mark.slow
def test_disk_full_on_a_real_small_file_system(tmp_path: Path) -> None:
    with _small_tmpfs(tmp_path / "disk", "8m") as disk:
        data = make_small_data_dir(disk / "data")
        _growing_file(data / "counters" / "more.csv", 20_000)
        cli = [sys.executable, "-m", "trafikplan", "import", str(data)]
        first = subprocess.run(cli, capture_output=True, text=True, timeout=120)
        assert first.returncode == 0, first.stderr
        (data / "counters" / "more.csv").unlink()
        _growing_file(data / "counters" / "later.csv", 50_000)
        _fill(disk, 4 << 10)
        before = tree_hashes(data)
        done = subprocess.run(cli, capture_output=True, text=True, timeout=120)
        err = done.stderr.strip().splitlines()
        assert done.returncode == 2, done.stderr
        assert len(err) == 1 and "disk is full" in err[0], err
        assert tree_hashes(data) == before
        (disk / "filler.bin").unlink()
        again = subprocess.run(cli, capture_output=True, text=True, timeout=120)
        assert again.returncode == 0, again.stderr
        assert len(load(data, import_new=False).vehicles) > 20_000


@pytest.mark.slow
def test_a_failing_pdf_step_leaves_every_other_output_and_says_what_failed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from conftest import copy_lean_sample

    data = copy_lean_sample(tmp_path / "data")
    broken = tmp_path / "chromium"
    broken.write_text("#!/bin/sh\necho 'chromium: GPU process crashed' >&2\nexit 1\n",
                      encoding="utf-8")
    broken.chmod(0o755)
    monkeypatch.setenv("TRAFIKPLAN_CHROMIUM", str(broken))
    out = tmp_path / "out"
    code = main(["run", str(data), "-o", str(out), "--time-limit", "1"])
    captured = capsys.readouterr()
    assert code == 2
    assert "checks.pdf" in captured.err and "GPU process crashed" in captured.err
    for name in ("stats.csv", "flags.csv", "report.html", "checks/checks.csv",
                 "checks/checks.html", "measurements/measurements.csv"):
        assert (out / name).is_file(), name
    assert not (out / "checks" / "checks.pdf").exists()


def test_disk_full_error_is_a_trafikplan_error() -> None:
    from trafikplan.io.files.atomic import disk_full

    err = disk_full(OSError(errno.ENOSPC, "No space left on device"), "/data")
    assert isinstance(err, DiskFullError) and "disk is full" in str(err)
    assert disk_full(OSError(errno.EACCES, "Permission denied"), "/data") is None
