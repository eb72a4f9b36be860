"""read_sites: formats accepted, coordinates, check spots and one-line errors."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest
from pyproj import Transformer

from trafikplan._errors import InputError
from trafikplan.columns import validate
from trafikplan.io.user_tables.sites import read_sites

DATA = Path(__file__).parent / "data" / "sites"


def test_basic_comma_utf8():
    sites = read_sites(DATA / "sites_basic.csv")
    validate(sites, "sites")
    assert list(sites["site_id"]) == ["K01", "K02", "K03", "K10", "K20"]
    assert list(sites["check_spot"]) == [True, False, True, True, False]
    assert sites["speed_limit"].tolist() == [40.0, 40.0, 30.0, 60.0, 30.0]
    assert sites.loc[1, "description"] == "Busshållplats, smal vägren"  # free column kept
    assert sites["section"].isna().sum() == 2
    assert sites["lat"].dtype == np.float64 and sites["check_spot"].dtype == bool


def test_semicolon_cp1252_decimal_comma():
    sites = read_sites(DATA / "sites_semicolon_cp1252.csv")
    assert sites["street"].tolist() == ["Ringvägen", "Östanåsgatan", "Skogsleden"]
    assert sites["lat"].tolist() == [59.5121, 59.5035, 59.523]
    assert sites["check_spot"].tolist() == [True, False, True]
    assert sites["area"].iloc[1] == "Söder"


def test_sweref_either_order_bom():
    sites = read_sites(DATA / "sites_sweref_bom.csv")
    tr = Transformer.from_crs("EPSG:3006", "EPSG:4326", always_xy=True)
    lon0, lat0 = tr.transform(541000, 6599000)
    lon1, lat1 = tr.transform(541500, 6599300)
    assert sites["lat"].tolist() == pytest.approx([lat0, lat1], abs=1e-9)
    assert sites["lon"].tolist() == pytest.approx([lon0, lon1], abs=1e-9)
    assert 59 < lat0 < 60 and 15 < lon0 < 16
    assert sites["x"].tolist() == [6599000.0, 541500.0]  # kept as written
    assert sites["check_spot"].tolist() == [True, False]


def test_gzip_and_check_spot_forms(tmp_path):
    text = ("site_id,street,lat,lon,speed_limit,check_spot\n"
            + "\n".join(f"S{i},Gata,59.5,16.0,50,{v}" for i, v in enumerate(
                ["TRUE", "Ja", "YES", "x", "1", "false", "NEJ", "no", "0", ""])) + "\n")
    path = tmp_path / "sites.csv.gz"
    path.write_bytes(gzip.compress(text.encode()))
    sites = read_sites(path)
    assert sites["check_spot"].tolist() == [True] * 5 + [False] * 5
    assert sites["area"].isna().all()


def test_missing_check_spot_column_means_no_check_spots(tmp_path):
    path = tmp_path / "sites.csv"
    path.write_text("site_id,street,lat,lon,speed_limit\nK1,Gata,59.5,16,50\n")
    assert not read_sites(path)["check_spot"].any()


@pytest.mark.parametrize(("name", "line", "column", "words"), [
    ("speed_limit_not_numeric.csv", 3, "speed_limit", ["'fyrtio'", "km/h"]),
    ("duplicate_site_id.csv", 4, "site_id", ["'K01'", "line 2"]),
    ("missing_speed_limit_column.csv", 1, "speed_limit", ["missing column"]),
    ("empty.csv", 1, None, ["empty file"]),
    ("header_only.csv", 2, None, ["no sites"]),
    ("wrong_delimiter_tab.csv", 1, None, ["delimiter", "'\\t'"]),
    ("check_spot_invalid.csv", 2, "check_spot", ["'kanske'", "ja/nej"]),
    ("too_many_fields.csv", 3, None, ["8 fields", "expected 7"]),
    ("duplicate_header.csv", 1, "street", ["duplicate column"]),
    ("wrong_encoding.csv", 2, None, ["wrong encoding", "81"]),
    ("binary.csv", 1, None, ["binary"]),
])
def test_broken_files(name, line, column, words):
    with pytest.raises(InputError) as info:
        read_sites(DATA / name)
    err = info.value
    assert err.path.endswith(name)
    assert err.line == line
    assert err.column == column
    msg = str(err)
    assert "\n" not in msg
    for w in words:
        assert w in msg


def test_latlon_out_of_range_hints_sweref(tmp_path):
    path = tmp_path / "sites.csv"
    path.write_text("site_id,street,lat,lon,speed_limit\nK1,Gata,6599000,541000,50\n")
    with pytest.raises(InputError, match="x, y"):
        read_sites(path)


ROOT = Path(__file__).parents[1]
SAMPLE_SITES = ROOT / "data" / "measurements" / "sites.csv"
EXPECTED = ROOT / "tests" / "data" / "sample_expected.json"


@pytest.mark.skipif(not SAMPLE_SITES.is_file() or not EXPECTED.is_file(),
                    reason="sample data folder not generated")
def test_sample_sites():
    import json

    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))["sites"]
    sites = read_sites(SAMPLE_SITES)
    validate(sites, "sites")
    assert sites["site_id"].tolist() == expected["all"]
    assert sites.loc[sites["check_spot"], "site_id"].tolist() == expected["check_spots"]
    assert sites["lat"].between(59.4, 59.6).all() and sites["lon"].between(15.8, 16.2).all()
    assert set(sites["speed_limit"]) <= {30.0, 40.0, 50.0, 60.0, 70.0, 80.0}
