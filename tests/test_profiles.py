"""Format profiles: loading, user overrides, broken TOML, detection, text opening."""

from __future__ import annotations

import csv
import gzip
import shutil
from pathlib import Path

import openpyxl
import pytest

from trafikplan._errors import InputError
from trafikplan.io.counters import read_counter_file
from trafikplan.io.files import textfile
from trafikplan.io.profiles.detect import detect_profile, locate_header
from trafikplan.io.profiles.profile import load_profiles
from trafikplan.settings import Settings

DATA = Path(__file__).parent / "data" / "counters"
SHIPPED = {"generic_vehicles", "se_radar", "se_bins", "jamar_vehicles", "jamar_speed_bins",
           "jamar_volume"}


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_profiles_load_with_typed_accessors():
    profiles = {p.name: p for p in load_profiles()}
    assert SHIPPED <= set(profiles)
    assert len(set(profiles.values())) == len(profiles)  # hashable, distinct
    radar = profiles["se_radar"]
    assert radar.kind == "vehicles"
    assert radar.encodings == ("cp1252",)
    assert radar.delimiter == ";" and radar.decimal == ","
    assert radar.time_basis == "local"
    assert radar.columns["speed"] == "Hastighet (km/h)"
    assert radar.header_match.search("Datum;Tid;Riktning;Hastighet (km/h)")
    assert radar.path.name == "se_radar.toml"
    assert profiles["se_bins"].time_basis == "fixed+01:00"
    assert profiles["generic_vehicles"].optional == {"length", "vehicle_class"}
    with pytest.raises(TypeError):
        radar.raw["kind"] = "bins"  # read-only


def test_user_profile_replaces_shipped_and_comes_first(tmp_path):
    text = (Path(load_profiles()[0].path).parent / "se_radar.toml").read_text(encoding="utf-8")
    _write(tmp_path / "formats", "my_radar.toml",
           text.replace('description = "Swedish radar', 'description = "Kommunens radar'))
    _write(tmp_path / "formats", "zz_other.toml", text.replace('name = "se_radar"',
                                                               'name = "aa_user"'))
    profiles = load_profiles(tmp_path)
    names = [p.name for p in profiles]
    assert names[:2] == ["aa_user", "se_radar"]  # user profiles first, in name order
    assert names.count("se_radar") == 1
    radar = next(p for p in profiles if p.name == "se_radar")
    assert radar.description.startswith("Kommunens radar")
    assert radar.path.parent == tmp_path / "formats"


@pytest.mark.parametrize(("text", "fragment"), [
    ('kind = "vehicles"\nheader_match = "[unclosed"\n', "not a regular expression"),
    ('kind = "cars"\nheader_match = "x"\n', "kind must be one of"),
    ('kind = "vehicles" header_match = "x"\n', "not valid TOML"),
    ('kind = "vehicles"\nheader_match = "^a"\ntime_basis = "summer"\n', "time_basis"),
    ('kind = "bins"\nheader_match = "^a"\nencodings = ["klingon"]\n', "unknown encoding"),
    ('kind = "vehicles"\nheader_match = "^a"\ntime_basis = "utc"\n[time]\ncolumns = "t"\n'
     '[site]\nvalue = "K1"\n[columns]\ndirection = "d"\n', "speed is missing"),
    ('kind = "vehicles"\nheader_match = "^a"\ntime_basis = "utc"\n[time]\ncolumns = "t"\n'
     '[site]\nvalue = "K1"\n[columns]\ndirection = "d"\nspeed = "s"\n[classes]\nPB = "bil"\n',
     "maps to 'bil'"),
    ('kind = "bins"\nheader_match = "^a"\ntime_basis = "utc"\n[time]\ncolumns = "t"\n'
     'interval_minutes = 60\n[site]\nvalue = "K1"\n[columns]\ndirection = "d"\n[bins]\n'
     'speed_columns = "(?P<lo>\\\\d+)"\nupper_inclusve = true\n', "unknown key 'upper_inclusve'"),
])
def test_broken_profile_is_an_input_error_naming_the_file(tmp_path, text, fragment):
    path = _write(tmp_path / "formats", "broken_vendor.toml", text)
    with pytest.raises(InputError) as err:
        load_profiles(tmp_path)
    assert err.value.path == str(path)
    assert fragment in err.value.message


@pytest.mark.parametrize(("name", "profile"), [
    ("se_radar_sample.csv", "se_radar"),
    ("se_radar_bad_rows.csv", "se_radar"),
    ("generic_vehicles.csv", "generic_vehicles"),
    ("generic_vehicles_no_optional.csv", "generic_vehicles"),
    ("se_bins_sample.csv", "se_bins"),
    ("missing_speed_column.csv", "se_radar"),
])
def test_detect_profile(name, profile):
    assert detect_profile(DATA / name, load_profiles()).name == profile


def test_detect_gz_transparently(tmp_path):
    gz = tmp_path / "k03.csv.gz"
    gz.write_bytes(gzip.compress((DATA / "se_radar_sample.csv").read_bytes()))
    assert detect_profile(gz, load_profiles()).name == "se_radar"


def test_fits_no_profile_names_the_ones_tried_and_hints_at_formats():
    profiles = load_profiles()
    with pytest.raises(InputError) as err:
        detect_profile(DATA / "wrong_delimiter.csv", profiles, kinds={"vehicles", "bins"})
    msg = err.value.message
    assert msg.startswith("fits no format profile; tried: ")
    tried = msg.split("tried: ")[1].split(".")[0].split(", ")
    assert set(tried) == {p.name for p in profiles if p.kind in ("vehicles", "bins")}
    assert "DATA_DIR/formats/" in msg
    assert err.value.path.endswith("wrong_delimiter.csv")


def test_kinds_filter_excludes_other_kinds():
    with pytest.raises(InputError) as err:
        detect_profile(DATA / "se_radar_sample.csv", load_profiles(), kinds={"bins"})
    assert "tried: jamar_speed_bins, jamar_volume, se_bins." in err.value.message


@pytest.mark.parametrize(("name", "fragment", "line"), [
    ("empty.csv", "empty file", 1),
    ("binary.bin.csv", "binary content", 1),
    ("wrong_encoding_latin1.csv", "wrong encoding: bytes f6", 3),
])
def test_detect_refuses_unreadable_files(name, fragment, line):
    with pytest.raises(InputError) as err:
        detect_profile(DATA / name, load_profiles())
    assert fragment in err.value.message
    assert err.value.line == line


def test_locate_header_metadata_and_offset():
    profile = next(p for p in load_profiles() if p.name == "se_radar")
    header = locate_header(DATA / "se_radar_sample.csv", profile)
    assert header.line == 6
    assert header.metadata[1] == "Mätplats-ID;K03"
    assert header.names[3] == "Hastighet (km/h)"
    raw = (DATA / "se_radar_sample.csv").read_bytes()
    assert raw[header.body_offset:].startswith(b"2024-04-15;07:00:03;1;43,2")
    assert header.encoding == "cp1252"


def test_new_vendor_is_a_profile_not_code(tmp_path):
    """A made-up tab-separated vendor in mph, UTC, site in the file name."""
    _write(tmp_path / "formats", "acme.toml", r'''
name = "acme_tab"
kind = "vehicles"
description = "ACME TrafficEye 2 tab export"
delimiter = "\t"
header_match = '^TS\tLANE\tMPH'
time_basis = "utc"
[time]
columns = "TS"
format = "%d.%m.%Y %H:%M:%S"
[site]
filename = '^acme_(\w+?)_'
[columns]
direction = "LANE"
speed = "MPH"
length = "FEET"
[units]
speed = "mph"
length = "ft"
''')
    raw = tmp_path / "counters" / "acme_K77_week16.txt"
    raw.parent.mkdir()
    raw.write_text("TS\tLANE\tMPH\tFEET\n15.04.2024 05:00:03\tA\t30.0\t15\n"
                   "15.04.2024 05:00:09\tB\t25.5\t40\n", encoding="utf-8")
    profile = detect_profile(raw, load_profiles(tmp_path))
    assert profile.name == "acme_tab"
    result = read_counter_file(raw, profile, settings=Settings(municipality="Köping"),
                               source="counters/acme_K77_week16.txt")
    t = result.table
    assert t["site_id"].tolist() == ["K77", "K77"]
    assert t["speed"].tolist() == pytest.approx([30.0 * 1.609344, 25.5 * 1.609344])
    assert t["length"].tolist() == pytest.approx([15 * 0.3048, 40 * 0.3048])
    assert str(t["time"].iloc[0]) == "2024-04-15 05:00:03+00:00"
    assert t["direction"].tolist() == ["A", "B"]


def test_detect_xlsx_first_sheet_header(tmp_path):
    _write(tmp_path / "formats", "done.toml",
           'name = "police_xlsx"\nkind = "checks_done"\nfile_type = "xlsx"\n'
           'delimiter = "|"\nheader_match = "^team\\\\|start\\\\|end"\n')
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Kontroller vecka 16"])
    ws.append(["team", "start", "end", "site_id"])
    ws.append(["Patrull 1", "2024-04-15 07:00", "2024-04-15 08:00", "K03"])
    path = tmp_path / "checks.xlsx"
    wb.save(path)
    assert detect_profile(path, load_profiles(tmp_path)).name == "police_xlsx"
    ws["A2"] = "lag"  # header no longer fits
    wb.save(path)
    with pytest.raises(InputError, match="fits no format profile; tried: police_xlsx"):
        detect_profile(path, load_profiles(tmp_path), kinds={"checks_done"})


def test_textfile_bom_gz_crlf(tmp_path):
    src = DATA / "se_bins_sample.csv"
    gz = tmp_path / "bins.csv.gz"
    with src.open("rb") as fin, gzip.open(gz, "wb") as fout:
        shutil.copyfileobj(fin, fout)
    plain, packed = textfile.read_text(src), textfile.read_text(gz, ("cp1252",))
    assert plain.bom and packed.bom and packed.encoding == "utf-8"  # BOM beats the list
    assert plain.text == packed.text
    assert plain.text.startswith("Mätplats-ID;K12\r\n")
    rows = list(csv.reader(textfile.open_text(gz), delimiter=";"))
    assert rows[0] == ["Mätplats-ID", "K12"]
    assert rows[4][:3] == ["Från", "Till", "Riktning"]
    assert len(rows) == 10


def test_textfile_wrong_encoding_names_line(tmp_path):
    with pytest.raises(InputError) as err:
        textfile.read_text(DATA / "wrong_encoding.csv", ("cp1252",))
    assert err.value.line == 10
    assert "bytes 81" in err.value.message
    assert textfile.read_text(DATA / "se_radar_sample.csv", ("utf-8", "cp1252")).encoding \
        == "cp1252"


def test_stray_carriage_return_in_a_header_stops_with_one_line(tmp_path):
    # Found by `make fuzz`: csv.Error escaped from header detection.
    path = tmp_path / "export.csv"
    path.write_bytes(b"site_id,time,dir\rection,speed\nK01,2024-04-15T07:00:03+02:00,1,43.2\n")
    with pytest.raises(InputError) as caught:
        detect_profile(path, load_profiles())
    assert "\n" not in str(caught.value)
    assert "export.csv:1" in str(caught.value)


def test_direction_labels_need_a_code_and_a_name(tmp_path) -> None:
    from trafikplan.errors import InputError
    from trafikplan.io.profiles.profile import load_profile

    shipped = Path(__file__).parents[1] / "src/trafikplan/io/profiles/formats"
    text = (shipped / "se_radar.toml").read_text(encoding="utf-8")
    broken = tmp_path / "radar_one_group.toml"
    broken.write_text(text.replace("(\\S+);\\s*(.+?)", "\\S+;\\s*(.+?)").replace(
        'name = "se_radar"', 'name = "radar_one_group"'), encoding="utf-8")
    with pytest.raises(InputError, match="two groups"):
        load_profile(broken)
