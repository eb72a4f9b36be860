"""Counter readers: the sample layouts, rejected rows, broken files, chunks, gzip."""

from __future__ import annotations

import csv
import gzip
import io
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from trafikplan import columns
from trafikplan._errors import InputError
from trafikplan.io.counters import iter_counter_file, read_counter_file
from trafikplan.io.profiles.profile import load_profiles
from trafikplan.settings import ImportSettings, Settings

DATA = Path(__file__).parent / "data" / "counters"
SETTINGS = Settings(municipality="Köping")
PROFILES = {p.name: p for p in load_profiles()}


def read(name: str, profile: str, **kw):
    return read_counter_file(DATA / name, PROFILES[profile], settings=kw.pop("settings", SETTINGS),
                             source=f"counters/{name}", **kw)


def independent_rows(name: str, encoding: str, delimiter: str, header_line: int):
    text = (DATA / name).read_bytes().decode(encoding).removeprefix("\ufeff")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    return rows[header_line - 1], rows[header_line:]


def test_se_radar_sample():
    r = read("se_radar_sample.csv", "se_radar")
    t = r.table
    columns.validate(t, "vehicles")
    columns.validate(r.rejects, "rejects")
    assert r.kind == "vehicles" and r.profile == "se_radar"
    assert len(r.rejects) == 0
    head, rows = independent_rows("se_radar_sample.csv", "cp1252", ";", 6)
    assert len(t) == len(rows) == 10
    assert t["line"].tolist() == list(range(7, 17))
    assert (t["site_id"] == "K03").all()
    assert (t["source"] == "counters/se_radar_sample.csv").all()
    speeds = [float(r[head.index("Hastighet (km/h)")].replace(",", ".")) for r in rows]
    assert t["speed"].tolist() == speeds
    assert t["length"].iloc[2] == 12.1
    assert np.isnan(t["headway"].iloc[0]) and t["headway"].iloc[2] == 12.3  # taken from the file
    assert t["vehicle_class"].tolist() == [
        "car", "car", "heavy", "motorcycle", "bicycle", "unknown", "heavy", "car", "unknown",
        "car"]  # 'pb' maps case-insensitively; TRAKTOR is not in [classes] -> unknown
    assert str(t["time"].iloc[0]) == "2024-04-15 05:00:03+00:00"  # CEST = UTC+2
    assert t["direction"].tolist()[:3] == ["1", "2", "1"]
    assert r.meta["site_ids"] == ["K03"]
    assert r.meta["first"] == pd.Timestamp("2024-04-15 05:00:03", tz="UTC")
    assert r.meta["last"] == pd.Timestamp("2024-04-15 05:01:10", tz="UTC")


def test_bad_rows_are_rejected_with_line_column_reason_value():
    r = read("se_radar_bad_rows.csv", "se_radar")
    got = r.rejects[["line", "column", "reason", "value"]].astype(object).where(
        r.rejects[["line", "column", "reason", "value"]].notna(), None)
    expected = [
        (8, "Hastighet (km/h)", "speed_unparsable", "fyrtio"),
        (9, "Hastighet (km/h)", "speed_impossible", "312,0"),
        (10, None, "field_count", "6 of 7 fields: 2024-04-15;07:00:21;1;29,4;1,9;6,0"),
        (11, "Datum Tid", "time_unparsable", "2024-04-15 25:00:30"),
        (13, "Hastighet (km/h)", "value_missing", ""),
        (14, "Längd (m)", "value_unparsable", "4,x"),
        (15, None, "field_count", "8 of 7 fields: 2024-04-15;07:00:58;1;35,7;4,3;17,0;PB;extra"),
        (16, "Hastighet (km/h)", "speed_impossible", "-3,0"),
    ]
    assert [tuple(x) for x in got.itertuples(index=False)] == expected
    assert r.table["line"].tolist() == [7, 17]  # the blank line 12 is neither data nor reject
    assert set(r.rejects["reason"]) <= set(columns.REJECT_REASONS)
    assert (r.rejects["source"] == "counters/se_radar_bad_rows.csv").all()
    assert r.meta["rejected"] == 8 and r.meta["rows"] == 2


def test_speed_limits_come_from_settings():
    strict = Settings(municipality="Köping",
                      import_=ImportSettings(min_speed_kmh=20.0, max_speed_kmh=60.0))
    r = read("se_radar_sample.csv", "se_radar", settings=strict)
    too = r.rejects[r.rejects["reason"] == "speed_impossible"]
    assert too["line"].tolist() == [11, 16]  # 17.8 and 62.4 km/h
    assert len(r.table) == 8


def test_unknown_sites_are_rejected_when_sites_are_known():
    r = read("generic_vehicles.csv", "generic_vehicles", known_sites={"K01"})
    assert set(r.table["site_id"]) == {"K01"}
    unknown = r.rejects[r.rejects["reason"] == "site_unknown"]
    assert unknown["line"].tolist() == [4, 6, 7]
    assert unknown["value"].tolist() == ["K02"] * 3
    assert (unknown["column"] == "site_id").all()


def test_generic_vehicles_multi_site_offsets_and_headway():
    r = read("generic_vehicles.csv", "generic_vehicles")
    t = r.table
    columns.validate(t, "vehicles")
    assert t["site_id"].tolist() == ["K01", "K01", "K02", "K01", "K02", "K02", "K01"]
    # +02:00, Z and naive local (CEST) all come out as 05:00:xx UTC
    assert [x.strftime("%H:%M:%S") for x in t["time"]] == [
        "05:00:03", "05:00:09", "05:00:10", "05:00:15", "05:00:20", "05:00:31", "05:00:40"]
    assert t["vehicle_class"].tolist() == [
        "car", "heavy", "motorcycle", "bicycle", "unknown", "unknown", "car"]
    assert np.isnan(t["length"].iloc[2])
    # headway per site and direction: K01/1 at 03, 15, 40 s; K02/N at 10, 20 s
    expected = [np.nan, np.nan, np.nan, 12.0, 10.0, np.nan, 25.0]
    np.testing.assert_array_equal(t["headway"].to_numpy(), expected)
    assert r.meta["site_ids"] == ["K01", "K02"]


def test_generic_without_optional_columns():
    t = read("generic_vehicles_no_optional.csv", "generic_vehicles").table
    assert t["length"].isna().all()
    assert (t["vehicle_class"] == "unknown").all()
    assert t["headway"].tolist()[1] == 4.0


def test_se_bins_sample_against_independent_reading():
    r = read("se_bins_sample.csv", "se_bins")
    t = r.table
    columns.validate(t, "bins")
    _head, rows = independent_rows("se_bins_sample.csv", "utf-8", ";", 5)
    good = [row for row in rows if all(c.isdigit() for c in row[3:])]
    assert t["count"].sum() == sum(int(c) for row in good for c in row[3:])
    assert len(t) == 8 * len(good)
    assert r.rejects[["line", "column", "reason", "value"]].values.tolist() == [
        [9, "40-50", "value_unparsable", "x"]]
    first = t[t["line"] == 6]
    assert first["speed_lo"].tolist() == [0, 30, 40, 50, 60, 70, 80, 90]
    assert first["speed_hi"].tolist() == [30, 40, 50, 60, 70, 80, 90, np.inf]
    assert first["count"].tolist() == [0, 2, 5, 1, 0, 0, 0, 0]
    # Swedish normal time all year: a July hour is UTC+1, not UTC+2
    july = t[t["line"] == 10].iloc[0]
    assert str(july["start"]) == "2024-06-30 23:00:00+00:00"
    assert str(july["end"]) == "2024-07-01 00:00:00+00:00"
    assert (t["end"] - t["start"] == pd.Timedelta(hours=1)).all()
    assert set(t["direction"]) == {"1", "2"}
    assert (t["site_id"] == "K12").all()


@pytest.mark.parametrize(("name", "profile", "fragment", "line", "column"), [
    ("empty.csv", "se_radar", "empty file", 1, None),
    ("binary.bin.csv", "generic_vehicles", "binary content", 1, None),
    ("wrong_encoding.csv", "se_radar", "wrong encoding: bytes 81", 10, None),
    ("wrong_encoding_latin1.csv", "generic_vehicles", "wrong encoding: bytes f6", 3, None),
    ("wrong_delimiter.csv", "generic_vehicles", "no header line", None, None),
    ("duplicate_header.csv", "se_radar", "duplicate column name", 6, "Hastighet (km/h)"),
    ("missing_speed_column.csv", "se_radar", "missing required column", 6, "Hastighet (km/h)"),
    ("se_radar_truncated_last_line.csv", "se_radar", "truncated last line", 12, None),
])
def test_bad_files_raise_input_error(name, profile, fragment, line, column):
    with pytest.raises(InputError) as err:
        read(name, profile)
    assert fragment in err.value.message
    assert err.value.path.endswith(name)
    assert err.value.line == line
    assert err.value.column == column
    assert "\n" not in str(err.value)


def test_encoding_error_deep_in_a_large_file_names_its_line(tmp_path):
    body = "".join(f"2024-04-15;07:{i // 60 % 60:02d}:{i % 60:02d};1;43,2;4,6;;PB\r\n"
                   for i in range(3000))
    raw = ((DATA / "se_radar_sample.csv").read_bytes().split(b"\r\n2024")[0] + b"\r\n"
           + body.encode("cp1252") + b"2024-04-15;08:00:00;1;4\x8f,2;4,6;;PB\r\n")
    path = tmp_path / "k03.csv"
    path.write_bytes(raw)
    with pytest.raises(InputError) as err:
        list(iter_counter_file(path, PROFILES["se_radar"], settings=SETTINGS, source="x",
                               block_bytes=4096))
    assert err.value.line == 6 + 3000 + 1


def test_gzip_reads_the_same(tmp_path):
    gz = tmp_path / "se_radar_bad_rows.csv.gz"
    gz.write_bytes(gzip.compress((DATA / "se_radar_bad_rows.csv").read_bytes()))
    plain = read("se_radar_bad_rows.csv", "se_radar")
    packed = read_counter_file(gz, PROFILES["se_radar"], settings=SETTINGS,
                               source="counters/se_radar_bad_rows.csv")
    pd.testing.assert_frame_equal(plain.table, packed.table)
    pd.testing.assert_frame_equal(plain.rejects, packed.rejects)


def _synthetic_radar(path: Path, n: int, start: str = "2024-10-26 23:00",
                     defects: bool = True) -> pd.DatetimeIndex:
    """A radar file through a DST night, optionally with a few defects sprinkled in."""
    rng = np.random.default_rng(7)
    instants = pd.Timestamp(start, tz="UTC") + pd.to_timedelta(
        np.sort(rng.uniform(0, 4 * 3600, n)).round(), unit="s")
    wall = instants.tz_convert("Europe/Stockholm").strftime("%Y-%m-%d;%H:%M:%S")
    lines = [f"{w};{1 + i % 2};{40 + (i % 23) * 0.5:.1f};4,5;;PB".replace(".", ",")
             for i, w in enumerate(wall)]
    head = (DATA / "se_radar_sample.csv").read_bytes().split(b"\r\n2024")[0] + b"\r\n"
    if not defects:
        path.write_bytes(head + "\r\n".join(lines).encode("cp1252") + b"\r\n")
        return instants
    lines[17] = lines[17].replace(";PB", "")               # field count
    lines[123] = lines[123].replace(";1;", ";1;x").replace(";2;", ";2;x")  # speed
    lines[n - 5] = "2024-10-27;02:61:00;1;40,0;4,5;;PB"    # time
    lines.insert(250, "")                                    # blank line
    path.write_bytes(head + "\r\n".join(lines).encode("cp1252") + b"\r\n")
    return instants


@pytest.mark.parametrize("night", ["2024-03-30 23:00", "2024-10-26 22:30"])
def test_dst_nights_through_the_reader_lose_and_duplicate_nothing(tmp_path, night):
    path = tmp_path / "night.csv"
    truth = _synthetic_radar(path, 2000, start=night, defects=False)
    r = read_counter_file(path, PROFILES["se_radar"], settings=SETTINGS, source="night.csv")
    assert len(r.rejects) == 0
    assert (r.table["time"].to_numpy() == truth.to_numpy()).all()
    for _, group in r.table.groupby("direction"):  # headways never negative across the night
        assert (group["time"].diff().dropna() >= pd.Timedelta(0)).all()


@pytest.mark.parametrize(("chunk_rows", "block_bytes"), [(97, 1000), (500, 333), (1000, 1 << 20)])
@pytest.mark.slow
def test_chunks_add_up_to_the_whole_file(tmp_path, chunk_rows, block_bytes):
    path = tmp_path / "big.csv"
    _synthetic_radar(path, 600)
    whole = read_counter_file(path, PROFILES["se_radar"], settings=SETTINGS, source="big.csv")
    parts = list(iter_counter_file(path, PROFILES["se_radar"], settings=SETTINGS,
                                   source="big.csv", chunk_rows=chunk_rows,
                                   block_bytes=block_bytes))
    assert len(parts) >= 600 // chunk_rows
    assert all(len(p.table) <= chunk_rows for p in parts)
    table = pd.concat([p.table for p in parts], ignore_index=True)
    rejects = pd.concat([p.rejects for p in parts], ignore_index=True)
    pd.testing.assert_frame_equal(table, whole.table)
    pd.testing.assert_frame_equal(rejects, whole.rejects)
    assert whole.rejects["reason"].tolist() == ["field_count", "speed_unparsable",
                                                "time_unparsable"]
    assert whole.rejects["line"].tolist() == [6 + 18, 6 + 124, 6 + 596 + 1]
    # the autumn night: no vehicle lost or duplicated, times strictly in passage order
    assert len(whole.table) == 600 - 3
    assert whole.table["time"].is_monotonic_increasing


def test_readers_write_nothing(tmp_path):
    folder = tmp_path / "counters"
    folder.mkdir()
    path = folder / "k03.csv"
    path.write_bytes((DATA / "se_radar_bad_rows.csv").read_bytes())
    before = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")}
    os.chmod(folder, 0o555)
    try:
        read_counter_file(path, PROFILES["se_radar"], settings=SETTINGS, source="counters/k03.csv")
    finally:
        os.chmod(folder, 0o755)
    assert {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")} == before


@hsettings(max_examples=25, deadline=None,
           suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["K01", "K02", "Ö-3"]),
                          st.integers(0, 86_400 * 400),
                          st.sampled_from(["1", "2", "N"]),
                          st.floats(0.1, 250, allow_nan=False).map(lambda v: round(v, 1)),
                          st.sampled_from(["car", "heavy", "bicycle", "Bil", ""])),
                min_size=1, max_size=40))
def test_generic_round_trip(tmp_path, rows):
    t0 = pd.Timestamp("2024-01-01", tz="UTC")
    text = "site_id,time,direction,speed,vehicle_class\n" + "".join(
        f"{s},{(t0 + pd.Timedelta(seconds=sec)).isoformat()},{d},{v},{c}\n"
        for s, sec, d, v, c in rows)
    path = tmp_path / "round.csv"
    path.write_text(text, encoding="utf-8")
    r = read_counter_file(path, PROFILES["generic_vehicles"], settings=SETTINGS, source="r")
    assert len(r.rejects) == 0
    assert r.table["site_id"].tolist() == [s for s, *_ in rows]
    assert r.table["speed"].tolist() == [v for *_, v, _ in rows]
    assert r.table["time"].tolist() == [t0 + pd.Timedelta(seconds=x[1]) for x in rows]
    assert r.table["vehicle_class"].tolist() == [
        c if c in ("car", "heavy", "bicycle") else "unknown" for *_, c in rows]
    assert r.table["line"].tolist() == list(range(2, len(rows) + 2))


def test_spring_gap_rows_rejected_in_the_radar_file():
    r = read("se_radar_dst_spring.csv", "se_radar")
    gap = r.rejects[r.rejects["reason"] == "time_in_dst_gap"]
    assert gap["line"].tolist() == [9, 10, 11]
    assert gap["value"].tolist() == ["2024-03-31 02:00:00", "2024-03-31 02:30:10",
                                     "2024-03-31 02:59:59"]
    assert [t.strftime("%H:%M:%S") for t in r.table["time"]] == [
        "00:40:00", "00:59:59", "01:00:00", "01:20:00"]


def test_autumn_repeated_hour_in_the_radar_file_by_file_order():
    r = read("se_radar_dst_autumn.csv", "se_radar")
    assert len(r.rejects) == 0
    got = [t.strftime("%H:%M:%S") for t in r.table["time"]]
    # 01:45 CEST, first pass 02:xx CEST (UTC+2), then 02:xx again in CET (UTC+1)
    assert got == ["23:45:00", "00:05:00", "00:20:00", "00:20:00", "00:41:30", "00:58:00",
                   "01:03:00", "01:15:00", "01:41:30", "01:55:00", "02:05:00", "02:30:00"]
    assert r.table["time"].is_unique is False  # two vehicles at 02:20 CEST, both kept
    assert len(r.table) == 12


def test_header_only_file_gives_an_empty_table():
    r = read("header_only.csv", "generic_vehicles")
    assert len(r.table) == 0 and len(r.rejects) == 0
    columns.validate(r.table, "vehicles")
    assert r.meta["rows"] == 0 and pd.isna(r.meta["first"])


def test_cut_off_gzip_is_an_input_error(tmp_path):
    path = tmp_path / "big.csv"
    _synthetic_radar(path, 20_000, defects=False)
    packed = gzip.compress(path.read_bytes())
    for cut in (len(packed) // 50, len(packed) * 2 // 3):  # inside the head / the body
        gz = tmp_path / f"cut{cut}.csv.gz"
        gz.write_bytes(packed[:cut])
        with pytest.raises(InputError, match="compressed file is cut off"):
            read_counter_file(gz, PROFILES["se_radar"], settings=SETTINGS, source="x.csv.gz")


def test_body_with_another_delimiter_than_the_header_is_a_file_error():
    with pytest.raises(InputError) as err:
        read("se_radar_body_wrong_delimiter.csv", "se_radar")
    assert err.value.line == 7
    assert "has 7 fields" in err.value.message and "(mostly 1)" in err.value.message


def test_quoted_line_break_is_a_file_error_not_shifted_line_numbers():
    with pytest.raises(InputError) as err:
        read("quoted_line_break.csv", "generic_vehicles")
    assert "quoted field holds a line break" in err.value.message
    assert err.value.line == 2
