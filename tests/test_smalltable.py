"""The one reader of hand-kept tables: Swedish Excel, day-first dates, ambiguity refused."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from trafikplan._errors import InputError
from trafikplan.io.profiles.detect import detect_profile
from trafikplan.io.profiles.profile import load_profiles
from trafikplan.io.user_tables import checks_done as cd
from trafikplan.io.user_tables.measures import read_counter_fleet, read_measures
from trafikplan.io.user_tables.roster import read_roster
from trafikplan.io.user_tables.sites import read_sites
from trafikplan.io.user_tables.smalltable import normalize_datetimes, read_table
from trafikplan.settings import Settings

SETTINGS = Settings(municipality="Köping")
SITES = ("site_id;street;lat;lon;speed_limit;check_spot\r\n"
         "K01;Ringvägen;59,51;15,99;40;ja\r\nK02;Skogsleden;59,52;15,98;50;ja\r\n")


def _write(path: Path, text: str, encoding: str = "cp1252") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_roster_from_swedish_excel_reads_day_first_dates(tmp_path):
    # ';', Windows-1252, CRLF, day-first dates: line 3 can only be day-first
    path = _write(tmp_path / "roster.csv",
                  "Team;Start;Slut;End;Område\r\n"
                  "Väst;04-11-2024 07:00;x;04-11-2024 15:00;Köping\r\n"
                  "Öst;13-11-2024 14:00;x;13-11-2024 22:00;Köping\r\n")
    df = read_roster(path)
    assert df["team"].tolist() == ["Väst", "Öst"]
    assert df["start"].iloc[0] == pd.Timestamp("2024-11-04T06:00:00Z")  # CET
    assert df["end"].iloc[1] == pd.Timestamp("2024-11-13T21:00:00Z")


def test_roster_with_only_ambiguous_dates_is_refused_naming_both_readings(tmp_path):
    path = _write(tmp_path / "roster.csv",
                  "team,start,end\nA,04-11-2024 07:00,04-11-2024 15:00\n"
                  "B,05-11-2024 07:00,05-11-2024 15:00\n")
    with pytest.raises(InputError) as info:
        read_roster(path)
    err = info.value
    assert (err.line, err.column) == (2, "start")
    assert "4 November 2024" in err.message and "11 April 2024" in err.message


def test_a_column_mixing_both_orders_is_refused(tmp_path):
    with pytest.raises(InputError, match="both orders") as info:
        normalize_datetimes(["13/01/2024", "01/13/2024"], [2, 3], path="f.csv", column="built")
    assert info.value.line == 3


def test_iso_and_offsets_pass_unchanged_in_meaning():
    got = normalize_datetimes(["2024-11-04", "2024-11-04 7:05", "2024-11-04T07:05:09+0100",
                               "", "nästa vecka"], [2, 3, 4, 5, 6], path="f", column="c")
    assert got == ["2024-11-04", "2024-11-04T07:05:00", "2024-11-04T07:05:09+01:00", None,
                   "nästa vecka"]


def test_month_first_column_is_read_month_first():
    got = normalize_datetimes(["11/04/2024", "11/13/2024"], [2, 3], path="f", column="c")
    assert got == ["2024-11-04", "2024-11-13"]


def test_checks_done_from_swedish_excel_is_read(tmp_path):
    sites = read_sites(_write(tmp_path / "sites.csv", SITES))
    folder = tmp_path / "checks_done"
    folder.mkdir()
    path = _write(folder / "kontroller.csv",
                  "team;start;end;site_id;vehicles_checked;violations;notes\r\n"
                  "Väst;04/11/2024 07:00;04/11/2024 08:00;K01;120;7;Lugnt väder\r\n"
                  "Öst;13/11/2024 14:00;13/11/2024 15:30;K02;80;11;Halt före\r\n")
    profile = detect_profile(path, load_profiles(), kinds=("checks_done",))
    got = cd.read_checks_done_file(path, profile, settings=SETTINGS, sites=sites,
                                   source="checks_done/kontroller.csv")
    assert got.rejects.empty
    assert got.table["start"].tolist() == [pd.Timestamp("2024-11-04T06:00:00Z"),
                                           pd.Timestamp("2024-11-13T13:00:00Z")]
    assert got.table["street"].tolist() == ["Ringvägen", "Skogsleden"]


def test_checks_done_with_ambiguous_dates_stops_instead_of_dropping_the_check(tmp_path):
    sites = read_sites(_write(tmp_path / "sites.csv", SITES))
    path = _write(tmp_path / "k.csv",
                  "team,start,end,site_id,vehicles_checked,violations\n"
                  "A,04-11-2024 07:00,04-11-2024 08:00,K01,10,1\n")
    profile = detect_profile(path, load_profiles(), kinds=("checks_done",))
    with pytest.raises(InputError, match="ambiguous date") as info:
        cd.read_checks_done_file(path, profile, settings=SETTINGS, sites=sites, source="k")
    assert (info.value.line, info.value.column) == (2, "start")


def test_measures_and_fleet_as_xlsx(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["measure_id", "street", "site_id", "kind", "built", "description"])
    built = dt.datetime(2024, 5, 6)  # noqa: DTZ001  (an Excel date cell is naive)
    ws.append(["M1", "Ringvägen", "K01", "farthinder", built, "Gupp"])
    wb.save(tmp_path / "measures.xlsx")
    df = read_measures(tmp_path / "measures.xlsx")
    assert df["built"].tolist() == [dt.date(2024, 5, 6)]
    wb = openpyxl.Workbook()
    wb.active.append(["Counter", "Kind", "available_from"])
    wb.active.append(["R1", "radar", None])
    wb.save(tmp_path / "counter_fleet.xlsx")
    assert read_counter_fleet(tmp_path / "counter_fleet.xlsx")["counter"].tolist() == ["R1"]


def test_sites_with_bom_and_semicolons_and_mph_limit(tmp_path):
    path = tmp_path / "sites.csv"
    path.write_bytes(b"\xef\xbb\xbf" + b"site_id;street;lat;lon;speed_limit\n"
                     b"K01;Main St;40,1;-75,2;35 mph\nK02;Gata;40,2;-75,1;50 km/h\n")
    df = read_sites(path)
    assert df["speed_limit"].tolist() == pytest.approx([35 * 1.609344, 50.0])


def test_errors_name_file_line_and_column(tmp_path):
    path = _write(tmp_path / "counter_fleet.csv", "counter;kind;available_from\n"
                  "R1;radar;\nR2;radar;31/02/2024\n")
    with pytest.raises(InputError) as info:
        read_counter_fleet(path)
    err = info.value
    assert err.path == str(path) and (err.line, err.column) == (3, "available_from")


def test_quoted_line_breaks_keep_the_starting_line(tmp_path):
    path = _write(tmp_path / "t.csv", 'a;b\n1;"two\nlines"\n3;x\n')
    table = read_table(path)
    assert table.lines == [2, 4] and table.rows[0][1] == "two\nlines"


def test_header_of_a_lone_quote_stops_with_one_line(tmp_path):
    # Found by `make fuzz`: a file holding only '"' raised IndexError.
    path = tmp_path / "sites.csv"
    path.write_bytes(b'"')
    with pytest.raises(InputError, match="no header line"):
        read_table(path)


def test_sites_with_two_unnamed_columns_keep_the_named_ones(tmp_path):
    # Found by `make fuzz`: two empty header names made read_sites fail internally.
    path = tmp_path / "sites.csv"
    path.write_text("site_id;street;;lat;lon;speed_limit;;check_spot\n"
                    "K01;Ringvägen;x;59,5121;15,9803;50;y;ja\n", encoding="utf-8")
    sites = read_sites(path)
    assert list(sites["site_id"]) == ["K01"]
    assert "" not in sites.columns
