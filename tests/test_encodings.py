"""A file is one encoding: mixed files are refused naming the line; UTF-16 is recognised."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import SAMPLE, TEST_DATA, bare_data_dir
from trafikplan._errors import InputError
from trafikplan.cli import main
from trafikplan.io.embrace.reports import read_report_file
from trafikplan.io.importing.importer import import_data
from trafikplan.io.loading import load
from trafikplan.io.profiles.detect import detect_profile
from trafikplan.io.profiles.profile import load_profiles
from trafikplan.io.user_tables.sites import read_sites
from trafikplan.settings import load_settings

EMBRACE = TEST_DATA / "reports" / "embrace_koping_2024.csv"  # Windows-1252


def _folder(root: Path) -> Path:
    return bare_data_dir(root / "data", "counters", "embrace")


def _read_embrace(path: Path, data: Path):
    settings = load_settings(data)
    profile = detect_profile(path, load_profiles(data), kinds=("reports",))
    return read_report_file(path, profile, settings=settings,
                            sites=read_sites(data / "sites.csv", settings), source=path.name)


def test_one_utf8_row_in_a_windows_1252_embrace_file_is_refused_naming_it(tmp_path: Path):
    data = _folder(tmp_path)
    lines = EMBRACE.read_bytes().split(b"\n")
    row = lines[3].decode("cp1252").replace("Ringvägen", "Skogsleden, nära Öster")
    lines.insert(3, row.encode("utf-8"))  # a row pasted from a UTF-8 source: line 4
    path = data / "embrace" / "arenden.csv"
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(InputError) as err:
        _read_embrace(path, data)
    assert err.value.line == 4
    assert "mixed encodings" in err.value.message and "as bytes c3 " in err.value.message


def test_one_cp1252_byte_in_a_utf8_sites_file_is_refused_naming_both_lines(tmp_path: Path):
    data = _folder(tmp_path)
    text = (SAMPLE / "sites.csv").read_bytes()
    lines = text.split(b"\n")
    lines[5] = lines[5] + b" (v\xe4st)"  # one Windows-1252 byte, line 6
    (data / "sites.csv").write_bytes(b"\n".join(lines))
    assert "ä".encode() in text  # the rest is UTF-8 with ä, ö, å
    with pytest.raises(InputError) as err:
        read_sites(data / "sites.csv", load_settings(data))
    assert "mixed encodings" in err.value.message
    assert "line 6 holds byte e4" in err.value.message


def test_a_windows_1252_sites_file_is_still_read(tmp_path: Path):
    data = _folder(tmp_path)
    shutil.copy(TEST_DATA / "sites" / "sites_semicolon_cp1252.csv", data / "sites.csv")
    sites = read_sites(data / "sites.csv", load_settings(data))
    assert any("ä" in s or "å" in s or "ö" in s for s in sites["street"])


def test_a_utf8_row_in_a_windows_1252_counter_file_is_refused(tmp_path: Path):
    data = _folder(tmp_path)
    radar = (TEST_DATA / "counters" / "se_radar_sample.csv").read_bytes().split(b"\n")
    radar.insert(9, "2024-04-15;07:00:45;1;46,5;4,7;26,0;OKÄND".encode())
    (data / "counters" / "radar.csv").write_bytes(b"\n".join(radar))
    code = main(["import", str(data)])
    assert code == 2
    assert not (data / ".trafikplan" / "manifest.json").exists()


def test_utf16_embrace_export_is_read_like_its_utf8_copy(tmp_path: Path):
    data = _folder(tmp_path)
    text = EMBRACE.read_bytes().decode("cp1252")
    (data / "embrace" / "utf16.csv").write_bytes(text.encode("utf-16"))  # with a BOM
    summary = import_data(data)
    reports = load(data, import_new=False).reports
    assert summary.totals["reports"] == len(reports) > 0
    other = _folder(tmp_path / "copy")
    shutil.copy(EMBRACE, other / "embrace" / "cp1252.csv")
    import_data(other)
    again = load(other, import_new=False).reports
    assert list(reports["street"]) == list(again["street"])


def test_utf16_counter_file_is_named_as_such(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    data = _folder(tmp_path)
    text = (TEST_DATA / "counters" / "generic_vehicles.csv").read_text(encoding="utf-8")
    (data / "counters" / "v.csv").write_bytes(text.encode("utf-16"))
    assert main(["import", str(data)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "UTF-16" in err and "v.csv" in err


def test_utf16_without_bom_is_named_as_such(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    data = _folder(tmp_path)
    text = (TEST_DATA / "counters" / "generic_vehicles.csv").read_text(encoding="utf-8")
    (data / "counters" / "v.csv").write_bytes(text.encode("utf-16-le"))
    assert main(["import", str(data)]) == 2
    assert "UTF-16-text utan byte order mark" in capsys.readouterr().err
