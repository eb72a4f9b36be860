"""read_report_file: Embrace CSV and xlsx, generic report CSV, broken files."""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from trafikplan._errors import InputError
from trafikplan.columns import REJECT_REASONS, REPORT_CATEGORIES, validate
from trafikplan.io.embrace.reports import read_report_file
from trafikplan.io.profiles.detect import detect_profile
from trafikplan.io.profiles.profile import load_profiles
from trafikplan.io.user_tables.sites import read_sites
from trafikplan.settings import ReportSettings, Settings

ROOT = Path(__file__).parents[1]
DATA = Path(__file__).parent / "data" / "reports"
SETTINGS = Settings(municipality="Köping", reports=ReportSettings(keep_text=True))
PROFILES = {p.name: p for p in load_profiles()}
SECRETS = ["070-123 45 67", "19850709-9805", "ABC 123", "MLB 25D", "851263-4562",
           "kalle+trafik@example.com", "+46 70 123 45 67", "0221-123 45", "0701234567",
           "121212+1212", "olle@example.se"]


@pytest.fixture(scope="module")
def sites():
    return read_sites(ROOT / "tests" / "data" / "sites" / "sites_basic.csv")


def _read(path, sites, profile=None, settings=SETTINGS):
    profile = profile or detect_profile(path, load_profiles(), kinds={"reports"})
    return read_report_file(path, profile, settings=settings, sites=sites,
                            source=f"embrace/{path.name}")


def _utc(text):
    return pd.Timestamp(text, tz="UTC")


def test_detects_profiles():
    profiles = load_profiles()
    assert detect_profile(DATA / "embrace_koping_2024.csv", profiles).name == "embrace_csv"
    assert detect_profile(DATA / "embrace_ärenden_2024.xlsx", profiles).name == "embrace_xlsx"
    assert detect_profile(DATA / "generic_reports.csv", profiles).name == "generic_reports"


def test_embrace_csv(sites):
    res = _read(DATA / "embrace_koping_2024.csv", sites)
    t = res.table
    validate(t, "reports")
    validate(res.rejects, "rejects")
    assert res.kind == "reports" and res.profile == "embrace_csv"
    assert list(t.columns) == ["report_id", "time", "category", "category_raw", "street",
                               "site_id", "lat", "lon", "text", "source"]
    assert t["report_id"].tolist() == [
        "EMB-2024-00012", "EMB-2024-00013", "EMB-2024-00014", "EMB-2024-00016",
        "EMB-2024-00020", "EMB-2024-00021", "EMB-2024-00022", "EMB-2024-00023"]
    assert t["time"].tolist() == [
        _utc("2024-04-19 20:40"),   # CEST
        _utc("2024-04-21 07:02"),   # Händelsetid empty -> Skapad
        _utc("2024-04-21 21:15"),
        _utc("2024-10-27 00:30"),   # fall-back night, first pass = summer time
        _utc("2024-05-05 05:30"),
        _utc("2024-06-01 11:30"),
        _utc("2024-06-07 21:00"),
        _utc("2024-06-07 22:40"),
    ]
    assert t["category"].tolist() == ["reckless", "speeding", "noise", "noise", "reckless",
                                      "other", "speeding", "speeding"]
    assert t["site_id"].tolist()[:4] == ["K01", pd.NA, "K03", "K10"] or (
        t["site_id"].iloc[0] == "K01" and pd.isna(t["site_id"].iloc[1]))
    assert t["site_id"].fillna("-").tolist() == ["K01", "-", "K03", "K10", "K20", "-", "K02",
                                                 "K10"]
    assert t["street"].fillna("-").tolist() == ["Ringvägen", "Ringvägen", "Östanåsgatan",
                                                "Skogsleden", "Stora Gatan", "Glasgatan",
                                                "Ringvägen", "Skogsleden"]
    assert t["lat"].iloc[0] == pytest.approx(59.5121)   # decimal comma
    assert np.isnan(t["lat"].iloc[7])                   # 'abc' dropped, report kept
    assert t.loc[1, "text"].startswith("Fortkörning förbi skolan; minst 80 km/h.\nRing mig")
    assert '"vi kör när vi vill"' in t.loc[2, "text"]
    assert "<script>" in t.loc[7, "text"]                # escaping is the report's job
    assert (t["source"] == "embrace/embrace_koping_2024.csv").all()

    rej = res.rejects
    assert rej["line"].tolist() == [6, 8, 9, 10]        # record 2 spans lines 3-4
    assert rej["reason"].tolist() == ["time_in_dst_gap", "value_missing", "time_unparsable",
                                      "field_count"]
    assert set(rej["reason"]) <= set(REJECT_REASONS)
    assert rej["column"].fillna("-").tolist() == ["Händelsetid", "Ärendenummer", "Händelsetid",
                                                  "-"]
    m = res.meta
    assert m["n_rows"] == 13 and m["n_reports"] == 8 and m["n_rejected"] == 4
    assert m["duplicate_ids"] == 1 and m["coordinates_dropped"] == 1
    assert m["match"]["unmatched"] == 2
    assert m["first"] == _utc("2024-04-19 20:40") and m["last"] == _utc("2024-10-27 00:30")


def test_no_personal_data_survives(sites):
    for name in ["embrace_koping_2024.csv", "embrace_ärenden_2024.xlsx", "generic_reports.csv"]:
        res = _read(DATA / name, sites)
        everything = " ".join(
            res.table.astype("string").fillna("").to_numpy().ravel().tolist()
            + res.rejects.astype("string").fillna("").to_numpy().ravel().tolist())
        for secret in SECRETS:
            assert secret not in everything, (name, secret)
    res = _read(DATA / "embrace_koping_2024.csv", sites)
    # a row with the wrong number of fields keeps none of its text, only how many fields
    assert res.rejects.loc[3, "value"] == "9 fields, expected 8"
    assert res.rejects.loc[3, "reason"] == "field_count"


def test_text_not_kept_by_default_but_used_for_the_category(sites):
    kept = _read(DATA / "embrace_koping_2024.csv", sites)
    res = _read(DATA / "embrace_koping_2024.csv", sites,
                settings=Settings(municipality="Köping"))
    assert res.table["text"].isna().all()
    assert kept.table["text"].notna().any()
    assert res.table["category"].tolist() == kept.table["category"].tolist()


def test_embrace_csv_gzip_same_as_plain(sites, tmp_path):
    gz = tmp_path / "embrace_koping_2024.csv.gz"
    gz.write_bytes(gzip.compress((DATA / "embrace_koping_2024.csv").read_bytes()))
    plain = _read(DATA / "embrace_koping_2024.csv", sites)
    packed = _read(gz, sites)
    pd.testing.assert_frame_equal(plain.table.drop(columns="source"),
                                  packed.table.drop(columns="source"))
    pd.testing.assert_frame_equal(plain.rejects.drop(columns="source"),
                                  packed.rejects.drop(columns="source"))


def test_embrace_xlsx(sites):
    res = _read(DATA / "embrace_ärenden_2024.xlsx", sites)
    t = res.table
    validate(t, "reports")
    assert t["report_id"].tolist() == ["E-2024-101", "E-2024-102", "E-2024-103", "E-2024-106",
                                       "E-2024-107"]
    assert t["time"].tolist() == [_utc("2024-04-19 20:40"), _utc("2024-07-05 23:15"),
                                  _utc("2024-08-02 21:05"), _utc("2024-09-13 19:30"),
                                  _utc("2024-09-14 12:00")]
    # SWEREF 99 TM X = northing, Y = easting back to WGS 84
    assert t["lat"].iloc[0] == pytest.approx(59.5141, abs=1e-6)
    assert t["lon"].iloc[0] == pytest.approx(15.9903, abs=1e-6)
    assert t["site_id"].fillna("-").tolist() == ["K02", "K10", "K03", "K20", "-"]
    assert t["street"].tolist() == ["Ringvägen", "Skogsleden", "Östanåsgatan", "Stora Gatan",
                                    "Tunnlandsgatan"]
    assert t["category"].tolist() == ["reckless", "noise", "speeding", "parking", "reckless"]
    assert t["text"].tolist()[:3] == ["Volvo [regnr] kör runt", "Musik och skrik, ring [telefon]",
                                      "fort, pnr [personnummer]"]
    assert res.rejects["line"].tolist() == [5, 6]
    assert res.rejects["reason"].tolist() == ["time_unparsable", "time_in_dst_gap"]


def test_generic_reports(sites):
    res = _read(DATA / "generic_reports.csv", sites)
    t = res.table
    assert t["time"].tolist() == [_utc("2024-04-19 20:40"), _utc("2024-04-20 21:00"),
                                  _utc("2024-04-21 08:00")]   # naive = local wall time
    assert t["lat"].iloc[0] == 59.5121 and np.isnan(t["lat"].iloc[1])
    assert t["text"].iloc[1] == "Över 100 km/h, mejla mig: [e-post]"
    assert res.rejects[["line", "reason"]].values.tolist() == [[5, "time_unparsable"]]


def test_category_rules_and_no_sites():
    settings = Settings(municipality="Köping", category_rules={"noise": ("Nedskräpning",)})
    res = _read(DATA / "embrace_koping_2024.csv", None, settings=settings)
    assert res.table["site_id"].isna().all()
    assert res.table.loc[res.table["report_id"] == "EMB-2024-00021", "category"].item() == "noise"
    assert res.meta["match"]["unmatched"] == len(res.table)


@pytest.mark.parametrize(("name", "line", "column", "words"), [
    ("embrace_empty.csv", 1, None, ["empty file"]),
    ("embrace_binary.csv", 1, None, ["binary"]),
    ("embrace_wrong_encoding.csv", 2, None, ["wrong encoding", "cp1252"]),
    ("embrace_duplicate_header.csv", 1, "Kategori", ["duplicate column"]),
    ("embrace_missing_kategori_column.csv", 1, "Kategori", ["missing column"]),
    ("embrace_no_header.csv", None, None, ["no header line"]),
    ("embrace_unterminated_quote.csv", 2, None, ["unterminated quote"]),
])
def test_broken_files(name, line, column, words):
    with pytest.raises(InputError) as info:
        read_report_file(DATA / name, PROFILES["embrace_csv"], settings=SETTINGS, sites=None,
                         source=name)
    err = info.value
    assert err.path.endswith(name)
    assert err.line == line and err.column == column
    assert "\n" not in str(err)
    for w in words:
        assert w in str(err)


def test_broken_xlsx(tmp_path):
    bad = tmp_path / "trasig.xlsx"
    bad.write_bytes(b"PK\x03\x04 inte en riktig arbetsbok")
    with pytest.raises(InputError, match="xlsx"):
        read_report_file(bad, PROFILES["embrace_xlsx"], settings=SETTINGS, sites=None,
                         source="x")


def test_line_numbers_with_random_multiline_text(tmp_path):
    rng = random.Random(7)
    header = "Ärendenummer;Skapad;Händelsetid;Kategori;Gata/plats;Beskrivning;Latitud;Longitud"
    lines = [header]
    expected_bad = []
    for i in range(60):
        start = len(lines) + 1
        pieces = [rng.choice(["kör fort", 'sa "hej"', "a;b", "rad", "ABC 123"])
                  for _ in range(rng.randint(1, 4))]
        text = "\r\n".join(pieces).replace('"', '""')
        bad = rng.random() < 0.3
        when = "inte en tid" if bad else "2024-05-01 12:00"
        if bad:
            expected_bad.append(start)
        record = f'EMB-{i};2024-05-02 08:00;{when};Hastighet;Ringvägen;"{text}";;'
        lines.extend(record.split("\r\n"))
    path = tmp_path / "flerradig.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    res = _read(path, None)
    assert res.rejects["line"].tolist() == expected_bad
    assert len(res.table) == 60 - len(expected_bad)
    assert not res.table["text"].str.contains("ABC 123").any()


SAMPLE = ROOT / "data" / "measurements"
EXPECTED = ROOT / "tests" / "data" / "sample_expected.json"


@pytest.mark.skipif(not (SAMPLE / "embrace").is_dir() or not EXPECTED.is_file(),
                    reason="sample data folder not generated")
def test_sample_embrace_folder():
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))["reports"]
    sites = read_sites(SAMPLE / "sites.csv")
    profiles = load_profiles(SAMPLE)
    tables, rejects = [], []
    for path in sorted((SAMPLE / "embrace").iterdir()):
        source = f"embrace/{path.name}"
        profile = detect_profile(path, profiles, kinds={"reports"})
        assert profile.name == expected["files"][source]["profile"]
        res = read_report_file(path, profile, settings=SETTINGS, sites=sites, source=source)
        validate(res.table, "reports")
        assert len(res.table) == expected["files"][source]["reports"]
        tables.append(res.table)
        rejects.append(res.rejects)
    table = pd.concat(tables, ignore_index=True)
    rej = pd.concat(rejects, ignore_index=True)
    assert len(table) == expected["total"]
    assert table["report_id"].is_unique
    assert table["time"].min() == pd.Timestamp(expected["first_time"])
    assert table["time"].max() == pd.Timestamp(expected["last_time"])
    assert set(table["category"]) <= set(REPORT_CATEGORIES)
    raw_counts = table["category_raw"].value_counts().to_dict()
    assert raw_counts == expected["by_raw_category"]
    assert table["street"].value_counts().to_dict() == expected["by_street"]
    assert int(table["lat"].notna().sum()) == expected["with_coordinates"]
    tips = table[table["street"].isin(expected["tip_streets"])]
    assert tips["site_id"].isna().all()
    everything = "\n".join(table.astype("string").fillna("").to_numpy().ravel().tolist()
                           + rej.astype("string").fillna("").to_numpy().ravel().tolist())
    secrets = [item["value"] for item in expected["personal_data"]]
    assert len(secrets) >= 10
    survivors = [s for s in secrets if s in everything]
    for hostile in expected["hostile"]:
        assert hostile in everything  # kept as text; escaping is the output's job
    print(f"sample embrace: {len(table)} reports, {len(rej)} rejected, "
          f"{int(table['site_id'].isna().sum())} unmatched, "
          f"categories {table['category'].value_counts().to_dict()}, "
          f"{len(secrets)} personal data strings, {len(survivors)} survived")
    assert survivors == []


def test_header_only_file_gives_empty_tables(tmp_path):
    path = tmp_path / "tom.csv"
    path.write_text("report_id,time,category,street,lat,lon,text\n", encoding="utf-8")
    res = read_report_file(path, PROFILES["generic_reports"], settings=SETTINGS, sites=None,
                           source="tom.csv")
    assert len(res.table) == 0 and len(res.rejects) == 0
    validate(res.table, "reports")
    validate(res.rejects, "rejects")
