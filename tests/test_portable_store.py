"""A store that runs anywhere: no POSIX-only imports, read-only folders, kills, no umask games."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import trafikplan
from conftest import make_small_data_dir, tree_hashes
from trafikplan.cli import main
from trafikplan.io.files.atomic import (
    TEMP_PATTERN,
    atomic_path,
    sweep_temp_files,
    temp_name,
    write_text,
)
from trafikplan.io.importing.importer import import_data
from trafikplan.io.store.store import Store

PKG = Path(trafikplan.__file__).resolve().parent
POSIX_ONLY = ("fcntl", "termios", "pwd", "grp", "resource")


@pytest.mark.slow
def test_every_module_imports_without_posix_only_modules() -> None:
    code = (
        "import sys, pkgutil, importlib\n"
        f"for name in {POSIX_ONLY!r}:\n"
        "    sys.modules[name] = None  # import now raises ImportError, as on Windows\n"
        "import trafikplan\n"
        "names = [m.name for m in pkgutil.walk_packages(trafikplan.__path__, 'trafikplan.')\n"
        "         if not m.name.endswith('__main__')]  # those run a command\n"
        "for name in names:\n"
        "    importlib.import_module(name)\n"
        "from trafikplan.io.loading import load\nfrom trafikplan.io.store.store import Store\n"
        "print(len(names))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    every = [p for p in PKG.rglob("*.py") if p.name != "__main__.py"]
    assert int(done.stdout.strip()) == len(every) - 1  # every module but trafikplan itself


def test_no_module_changes_the_process_umask() -> None:
    offenders = [p.relative_to(PKG).as_posix() for p in PKG.rglob("*.py")
                 if "umask(" in p.read_text(encoding="utf-8")]
    assert offenders == []


def test_atomic_write_failure_leaves_the_target_and_no_temp_file(tmp_path: Path) -> None:
    target = write_text(tmp_path / "a.csv", "old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("writer died")
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv"]


def test_private_file_is_owner_only_even_when_the_writer_recreates_it(tmp_path: Path) -> None:
    with atomic_path(tmp_path / "plan" / "checks.csv", private=True) as tmp:
        tmp.unlink()  # e.g. a library that writes to a fresh file of its own
        tmp.write_text("team,start", encoding="utf-8")
    assert stat.S_IMODE((tmp_path / "plan" / "checks.csv").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "plan").stat().st_mode) == 0o700


def test_sweep_removes_only_temp_files(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    stale = [temp_name(tmp_path / "stats.csv"), temp_name(tmp_path / "sub" / "checks.pdf")]
    for p in stale:
        p.write_bytes(b"half")
        assert TEMP_PATTERN.fullmatch(p.name)
    keep = [tmp_path / "stats.csv", tmp_path / ".hidden.tptmp", tmp_path / "x.tmp"]
    for p in keep:
        p.write_bytes(b"ok")
    assert sweep_temp_files(tmp_path) == 2
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == sorted(
        p.name for p in keep)


@pytest.fixture
def imported(tmp_path: Path) -> Path:
    data = make_small_data_dir(tmp_path / "data")
    import_data(data)
    return data


@pytest.mark.slow
def test_a_sweep_cut_short_by_a_kill_is_finished_by_the_next_import(imported: Path) -> None:
    store = Store(imported)
    manifest = store.read_manifest()
    parts = [p["path"] for f in manifest["files"].values() for p in f["parts"]]
    # What a kill during the commit's sweep leaves: the note, an old part, a temp file.
    store.begin()
    stray = store.root / Path(parts[0]).parent / "0000000000000000-dead0000-0.parquet"
    stray.write_bytes(b"PAR1")
    half = temp_name(store.root / parts[0])
    half.write_bytes(b"PAR")
    summary = import_data(imported)  # nothing new to import
    assert not summary.changed
    assert not stray.exists() and not half.exists()
    assert not store.sweep_pending
    assert store.read_manifest() == manifest


def test_a_failed_import_leaves_no_note_and_the_folder_as_it_was(
        imported: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from trafikplan._errors import InputError
    from trafikplan.io.importing import read as import_read

    real = import_read.read_counter

    def fails_after_writing(*args, **kwargs):
        real(*args, **kwargs)  # its parts are written
        raise InputError("broken half-way", path=args[0], line=9)

    monkeypatch.setattr(import_read, "read_counter", fails_after_writing)
    before = tree_hashes(imported)
    shutil.copy(imported / "counters" / "generic_vehicles.csv",
                imported / "counters" / "second.csv")
    with pytest.raises(InputError, match="broken half-way"):
        import_data(imported)
    (imported / "counters" / "second.csv").unlink()
    assert tree_hashes(imported) == before
    assert not Store(imported).sweep_pending


@contextlib.contextmanager
def _read_only(folder: Path):
    """Bind-mount ``folder`` read-only over itself (root only), as a shared drive would be."""
    if os.name != "posix" or os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("read-only bind mounts need root")
    done = subprocess.run(["mount", "--bind", "-o", "ro", str(folder), str(folder)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot bind-mount: {done.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


@pytest.mark.slow
def test_reading_commands_work_on_a_read_only_folder(imported: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    (imported / ".trafikplan" / "lock").unlink()  # e.g. copied without it
    before = tree_hashes(imported)
    out = tmp_path / "out"
    out.mkdir()
    with _read_only(imported):
        with pytest.raises(OSError):
            (imported / "probe").write_text("x", encoding="utf-8")
        assert main(["stats", str(imported), "-o", str(out / "stats.csv")]) == 0
        assert main(["flags", str(imported), "-o", str(out / "flags.csv")]) == 0
        assert main(["report", str(imported), "-o", str(out / "report")]) == 0
    assert tree_hashes(imported) == before
    assert (out / "stats.csv").stat().st_size > 0
    assert (out / "report" / "report.html").is_file()


@pytest.mark.slow
def test_import_into_a_read_only_folder_is_one_line_and_exit_2(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = make_small_data_dir(tmp_path / "data")
    with _read_only(data):
        code = main(["import", str(data)])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert len(err.splitlines()) == 1 and "read-only" in err
    assert not (data / ".trafikplan").exists()


@pytest.mark.slow
def test_stats_on_a_read_only_folder_with_a_new_file_reads_the_committed_store(
        imported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(imported / "counters" / "generic_vehicles.csv",
                imported / "counters" / "later.csv")
    with _read_only(imported):
        code = main(["stats", str(imported), "-o", str(tmp_path / "stats.csv")])
    err = capsys.readouterr().err
    assert code == 0
    assert "read-only" in err and "reading what was imported before" in err


@pytest.mark.slow
def test_run_removes_what_a_killed_run_left_in_out(tmp_path: Path) -> None:
    data = make_small_data_dir(tmp_path / "data")
    out = tmp_path / "out"
    (out / "checks").mkdir(parents=True)
    # The only files a kill can leave in out/ are the atomic writer's temporary files.
    left = [temp_name(out / "stats.csv"), temp_name(out / "checks" / "checks.pdf"),
            temp_name(out / "report.html")]
    for p in left:
        p.write_bytes(b"half written")
    code = main(["run", str(data), "-o", str(out), "--time-limit", "1"])
    assert code in (0, 2)
    assert [p for p in out.rglob("*") if TEMP_PATTERN.fullmatch(p.name)] == []
    assert (out / "report.html").is_file()


def test_lock_file_is_created_owner_only_and_manifest_is_json(imported: Path) -> None:
    store = Store(imported)
    assert stat.S_IMODE(store.lock_path.stat().st_mode) == 0o600
    assert json.loads(store.manifest_path.read_text(encoding="utf-8"))["files"]
    assert not [p for p in store.root.rglob("*") if TEMP_PATTERN.fullmatch(p.name)]
