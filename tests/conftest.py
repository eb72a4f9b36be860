"""Shared fixtures: small data folders built from tests/data, and the imported sample."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

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


@pytest.fixture(scope="session")
def imported_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the sample data folder, imported once per test session (read only!)."""
    target = tmp_path_factory.mktemp("sample") / "measurements"
    shutil.copytree(SAMPLE, target, ignore=shutil.ignore_patterns(".trafikplan"))
    from trafikplan.io.importer import import_data

    import_data(target)
    return target


@pytest.fixture(scope="session")
def sample_tables(imported_sample: Path):
    """The canonical tables of the imported sample (do not modify)."""
    import trafikplan

    return trafikplan.load(imported_sample, import_new=False)
