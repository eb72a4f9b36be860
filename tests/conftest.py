"""Shared fixtures: small data folders built from tests/data, and the imported sample."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "measurements"
TEST_DATA = Path(__file__).resolve().parent / "data"
REALDATA = Path(os.environ.get("TRAFIKPLAN_REALDATA", ROOT.parent / "shared" / "realdata"))
"""Real vendor files (../shared/realdata beside the checkout; tests skip when absent)."""

SMALL_COUNTERS = (
    "generic_vehicles.csv",
    "se_bins_sample.csv",
    "se_radar_bad_rows.csv",
    "se_radar_dst_autumn.csv",
    "se_radar_sample.csv",
)
SMALL_REPORTS = ("embrace_koping_2024.csv", "embrace_ärenden_2024.xlsx")


def bare_data_dir(target: Path, *folders: str) -> Path:
    """A data folder with the sample's settings and sites, and empty raw ``folders``."""
    target.mkdir(parents=True, exist_ok=True)
    for folder in folders:
        (target / folder).mkdir()
    for name in ("trafikplan.toml", "sites.csv"):
        shutil.copy(SAMPLE / name, target / name)
    return target


def tree_hashes(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder`` by relative path (to show nothing changed)."""
    import hashlib

    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def make_small_data_dir(target: Path) -> Path:
    """A data folder with the sample's settings and sites and a few small raw files."""
    (target / "counters").mkdir(parents=True)
    (target / "embrace").mkdir()
    for name in ("trafikplan.toml", "sites.csv"):
        shutil.copy(SAMPLE / name, target / name)
    for name in SMALL_COUNTERS:
        shutil.copy(TEST_DATA / "counters" / name, target / "counters" / name)
    for name in SMALL_REPORTS:
        shutil.copy(TEST_DATA / "reports" / name, target / "embrace" / name)
    # test files of site K03 (and a copy a test makes) cover the same minute: say they
    # count different vehicles
    (target / "choices.toml").write_text(
        'add = [["counters/se_radar_bad_rows.csv", "counters/se_radar_sample.csv", '
        '"counters/copy_of_radar.csv"]]\n', encoding="utf-8")
    return target


@pytest.fixture
def small_data_dir(tmp_path: Path) -> Path:
    return make_small_data_dir(tmp_path / "data")


def built_once(request: pytest.FixtureRequest, factory: pytest.TempPathFactory, name: str,
               build: Callable[[Path], None]) -> Path:
    """A folder ``build`` fills once per test session, shared by every pytest-xdist worker.

    The first worker to ask builds it while the others wait on a file lock; a
    build that fails leaves no mark, so the next asker tries again.
    """
    base = factory.getbasetemp()
    if hasattr(request.config, "workerinput"):  # pytest-xdist: the session's shared folder
        base = base.parent
    root = base / name
    with open(base / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = base / f"{name}.done"
        if not done.is_file():
            shutil.rmtree(root, ignore_errors=True)
            root.mkdir()
            build(root)
            done.touch()
    return root


def _import_sample(root: Path) -> None:
    target = root / "measurements"
    shutil.copytree(SAMPLE, target, ignore=shutil.ignore_patterns(".trafikplan"))
    from trafikplan.io.importing.importer import import_data

    import_data(target)


@pytest.fixture(scope="session")
def imported_sample(request: pytest.FixtureRequest,
                    tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the sample data folder, imported once per test session (read only!).

    Shared by the pytest-xdist workers: copy it (``shutil.copytree``) before
    anything that writes into the folder.
    """
    return built_once(request, tmp_path_factory, "imported_sample", _import_sample) / \
        "measurements"


LEAN_COUNTERS = (
    "K01_Ringvagen_2024-10-21.csv.gz",
    "K08_Ostanasgatan_2024-09-16.csv.gz",
    "K07_Skogsleden_2024-03-04_slang.csv",
    "K09_Ostanasgatan_2024-06-10_slang.csv.gz",
    "K13_Nygardsgatan_2024-01-15_slang.csv",
    "K19_Vasterasvagen_2024-10-07_slang.csv.gz",
)
"""The sample's counter files kept by :func:`copy_lean_sample` (about a tenth of its vehicles)."""


def copy_lean_sample(target: Path) -> Path:
    """Copy the sample data folder to ``target`` with only a few of its counter files.

    Every other raw file stays (settings, sites, roster, fleet, measures, Embrace,
    checks done): the whole chain runs on it, with a recent per-vehicle deployment
    on Ringvägen and Östanåsgatan and the binned (slang) files, in about a fifth
    of the time. For tests about behaviour (files, text, privacy, exit codes),
    not about the sample's numbers.
    """
    keep = set(LEAN_COUNTERS)
    shutil.copytree(SAMPLE, target, ignore=lambda folder, names: [
        n for n in names
        if n == ".trafikplan" or (Path(folder).name == "counters" and n not in keep)])
    return target


def _import_lean_sample(root: Path) -> None:
    from trafikplan.io.importing.importer import import_data

    import_data(copy_lean_sample(root / "measurements"))


@pytest.fixture(scope="session")
def imported_lean_sample(request: pytest.FixtureRequest,
                         tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The lean sample (:func:`copy_lean_sample`), imported once per session (read only!)."""
    return built_once(request, tmp_path_factory, "imported_lean_sample",
                      _import_lean_sample) / "measurements"


@pytest.fixture(scope="session")
def sample_tables(imported_sample: Path):
    """The canonical tables of the imported sample (do not modify)."""
    import trafikplan

    return trafikplan.load(imported_sample, import_new=False)


_RAW_CATEGORY = {"speeding": "Fortkörning", "reckless": "Buskörning"}
"""How an Embrace export names the categories (mapped back by trafikplan.io.embrace.categories)."""


def write_data_folder(target: Path, *, sites: pd.DataFrame, vehicles: pd.DataFrame,
                      reports: pd.DataFrame | None = None,
                      checks_done: pd.DataFrame | None = None,
                      **settings: object) -> Path:
    """Write a real data folder holding these canonical tables (raw files the import reads).

    ``sites.csv``; the vehicles as trafikplan's generic per-vehicle CSV; the
    reports as its generic report CSV; the completed checks as a checks-done
    CSV; ``settings`` as top-level keys of ``trafikplan.toml`` (strings, lists
    of strings). Columns the tables lack get plausible values (a street named
    after the site, coordinates in Köping 200 m apart, direction 1).
    """
    target.mkdir(parents=True, exist_ok=True)
    toml = []
    for key, value in {"municipality": "Köping", "timezone": "Europe/Stockholm",
                       **settings}.items():
        if isinstance(value, list | tuple):
            toml.append(f"{key} = [{', '.join(json.dumps(v) for v in value)}]")
        else:
            toml.append(f"{key} = {json.dumps(value)}")
    (target / "trafikplan.toml").write_text("\n".join(toml) + "\n", encoding="utf-8")
    n = len(sites)
    site_table = pd.DataFrame({
        "site_id": sites["site_id"].astype(str),
        "street": (sites["street"].astype(str) if "street" in sites
                   else "Gata " + sites["site_id"].astype(str)),
        "section": sites["section"].fillna("") if "section" in sites else "",
        "lat": sites["lat"] if "lat" in sites else 59.51 + 0.002 * np.arange(n),
        "lon": sites["lon"] if "lon" in sites else np.full(n, 15.99),
        "speed_limit": sites["speed_limit"].astype(float).round().astype(int),
        "area": sites["area"] if "area" in sites else "Köping",
        "check_spot": (sites["check_spot"] if "check_spot" in sites
                       else pd.Series(True, index=sites.index)).map(
                           lambda b: "true" if b else "false"),
    })
    site_table.to_csv(target / "sites.csv", index=False)
    (target / "counters").mkdir(exist_ok=True)
    v = pd.DataFrame({
        "site_id": vehicles["site_id"].astype(str),
        "time": pd.to_datetime(vehicles["time"], utc=True).dt.strftime(
            "%Y-%m-%dT%H:%M:%S.%f+00:00"),
        "direction": (vehicles["direction"].astype(str) if "direction" in vehicles
                      else "1"),
        "speed": vehicles["speed"].astype(float).round(2),
        "vehicle_class": (vehicles["vehicle_class"].astype(str)
                          if "vehicle_class" in vehicles else "car"),
    })
    v.to_csv(target / "counters" / "vehicles.csv", index=False)
    if reports is not None and len(reports):
        (target / "embrace").mkdir(exist_ok=True)
        pd.DataFrame({
            "report_id": reports["report_id"].astype(str),
            "time": pd.to_datetime(reports["time"], utc=True).dt.strftime(
                "%Y-%m-%dT%H:%M:%S+00:00"),
            "category": reports["category"].astype(str).map(
                lambda c: _RAW_CATEGORY.get(c, c)),
            "street": reports["street"].astype(str),
            "lat": "", "lon": "", "text": "",
        }).to_csv(target / "embrace" / "reports.csv", index=False)
    if checks_done is not None and len(checks_done):
        (target / "checks_done").mkdir(exist_ok=True)
        c = checks_done
        pd.DataFrame({
            "team": c["team"].astype(str),
            "start": pd.to_datetime(c["start"], utc=True).dt.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
            "end": pd.to_datetime(c["end"], utc=True).dt.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
            "site_id": c["site_id"].astype(str),
            "vehicles_checked": c["vehicles_checked"].astype(int),
            "violations": c["violations"].astype(int),
        }).to_csv(target / "checks_done" / "checks.csv", index=False)
    return target


SLOW_FIXTURES = {"sample_run", "imported_sample", "sample_tables", "sample_copy"}
"""Tests on the whole sample folder are end to end: marked ``slow`` (``make test-fast`` skips)."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that uses the whole sample folder ``slow``."""
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
