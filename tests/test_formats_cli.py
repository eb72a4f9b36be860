"""``trafikplan formats``: list, check and draft profiles; a draft reads a layout unchanged."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from conftest import REALDATA, TEST_DATA
from trafikplan.cli import main
from trafikplan.io.counters import read_counter_file
from trafikplan.io.profiles.profile import load_profile, load_profiles
from trafikplan.settings import Settings

SWEDEN = Settings(municipality="Test")
US_EAST = Settings(municipality="DVRPC", timezone="America/New_York", language="en")
JAMAR = REALDATA / "dvrpc-jamar"
SAMPLES = [
    ("generic_vehicles", TEST_DATA / "counters" / "generic_vehicles.csv", SWEDEN),
    ("se_radar", TEST_DATA / "counters" / "se_radar_sample.csv", SWEDEN),
    ("se_radar", TEST_DATA / "counters" / "se_radar_dst_autumn.csv", SWEDEN),
    ("se_bins", TEST_DATA / "counters" / "se_bins_sample.csv", SWEDEN),
    ("jamar_vehicles", JAMAR / "166905_per_vehicle.txt", US_EAST),
    ("jamar_vehicles", JAMAR / "181261_bicycle_wrong_way.txt", US_EAST),
    ("jamar_vehicles", JAMAR / "178959_vehicle_and_bicycle.csv", US_EAST),
    ("jamar_speed_bins", JAMAR / "rc166905_15min_speed_bins.txt", US_EAST),
    ("jamar_volume", JAMAR / "168193_15min_volume.txt", US_EAST),
]


def run(capsys, *args):
    code = main([*map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize(("shipped", "sample", "settings"), SAMPLES,
                         ids=[s[1].name for s in SAMPLES])
@pytest.mark.slow
def test_a_draft_reads_each_shipped_layout_unchanged(tmp_path, capsys, shipped, sample,
                                                     settings):
    if not sample.exists():
        pytest.skip("../shared/realdata not beside the checkout")
    local = tmp_path / sample.name
    shutil.copy(sample, local)
    code, out, err = run(capsys, "formats", "draft", local, "-d", tmp_path / "data")
    assert code == 0, err
    drafted = next((tmp_path / "data" / "formats").glob("*.toml"))
    assert "De första raderna lästa med utkastet" in out
    reference = next(p for p in load_profiles() if p.name == shipped)
    want = read_counter_file(local, reference, settings=settings, source=sample.name)
    got = read_counter_file(local, load_profile(drafted), settings=settings,
                            source=sample.name)
    pd.testing.assert_frame_equal(got.table, want.table)
    pd.testing.assert_frame_equal(got.rejects, want.rejects)
    assert len(got.table) > 0


def _english(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "trafikplan.toml").write_text(
        'municipality = "Test"\ntimezone = "Europe/Stockholm"\nlanguage = "en"\n',
        encoding="utf-8")
    return folder


def test_check_names_why_each_profile_does_not_fit_and_shows_rows(tmp_path, capsys):
    code, out, _ = run(capsys, "formats", "check", TEST_DATA / "counters" / "se_bins_sample.csv",
                       "-d", _english(tmp_path), "--rows", "3")
    assert code == 0
    assert "matches '^Datum;Tid;Riktning' of format profile 'se_radar'" in out
    assert "header on line 5; reads Från, Till, Riktning, 0-30" in out
    assert "First 3 rows read with se_bins" in out and "K12" in out


def test_check_speaks_the_folders_language(tmp_path, capsys):
    code, out, _ = run(capsys, "formats", "check", TEST_DATA / "counters" / "se_bins_sample.csv",
                       "-d", tmp_path, "--rows", "3")
    assert code == 0
    assert "ingen av de första 50 raderna passar '^Datum;Tid;Riktning'" in out
    assert "rubrikrad på rad 5; läser Från, Till, Riktning, 0-30" in out
    assert "De första 3 raderna lästa med se_bins" in out and "K12" in out
    assert "hastighet till [km/h]" in out and "\u221e" in out


def test_check_of_an_unknown_layout_points_to_draft(tmp_path, capsys):
    path = tmp_path / "okänd.csv"
    path.write_text("Tidpunkt|Fart\n2024-04-15 07:00|43\n", encoding="utf-8")
    code, out, _ = run(capsys, "formats", "check", path, "-d", tmp_path)
    assert code == 0 and "Ingen profil läser filen" in out and "formats draft" in out
    code, out, _ = run(capsys, "formats", "check", path, "-d", _english(tmp_path / "en"))
    assert code == 0 and "No profile reads this file" in out


def test_list_shows_user_profiles_first(tmp_path, capsys):
    (tmp_path / "formats").mkdir()
    shutil.copy(Path(load_profiles()[0].path).parent / "se_bins.toml",
                tmp_path / "formats" / "aa.toml")
    (tmp_path / "formats" / "aa.toml").write_text(
        (tmp_path / "formats" / "aa.toml").read_text(encoding="utf-8").replace(
            'name = "se_bins"', 'name = "aa_kommun"'), encoding="utf-8")
    code, out, _ = run(capsys, "formats", "list", "-d", tmp_path)
    assert code == 0
    assert out.index("aa_kommun") < out.index("checks_done") < out.index("se_radar")


def test_draft_refuses_to_overwrite(tmp_path, capsys):
    sample = TEST_DATA / "counters" / "se_bins_sample.csv"
    assert run(capsys, "formats", "draft", sample, "-d", tmp_path)[0] == 0
    code, _, err = run(capsys, "formats", "draft", sample, "-d", tmp_path)
    assert code == 2 and "--force" in err


@pytest.mark.slow
def test_draft_of_damaged_files_is_a_draft_or_one_clear_error(tmp_path):
    import random

    from trafikplan._errors import InputError
    from trafikplan.io.profiles.draft import draft_profile

    sources = [p.read_bytes() for p in sorted((TEST_DATA / "counters").glob("*.csv"))]
    rng = random.Random(7)
    for i in range(40):
        data = bytearray(rng.choice(sources))
        for _ in range(rng.randint(1, 6)):
            if not data:
                break
            k = rng.randrange(len(data))
            data[k:k + rng.randint(0, 12)] = rng.choice(
                [b";", b",", b"\n", b"24:00", b"", b'"', b"\r", b"\xff", b"-"])
        path = tmp_path / f"f{i}.csv"
        path.write_bytes(bytes(data))
        try:
            draft_profile(path)
        except InputError as exc:
            assert "\n" not in str(exc)
