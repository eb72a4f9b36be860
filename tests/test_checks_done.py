"""Reader of the police's completed-check records (checks_done/) through format profiles."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from trafikplan._errors import InputError
from trafikplan.columns import CHECKS_DONE, REJECT_REASONS
from trafikplan.io.profiles.detect import detect_profile
from trafikplan.io.profiles.profile import load_profiles
from trafikplan.io.user_tables import checks_done as cd
from trafikplan.io.user_tables.sites import read_sites
from trafikplan.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "checks_done"
SAMPLE = ROOT / "data" / "measurements"
SETTINGS = Settings(municipality="Köping")


@pytest.fixture(scope="module")
def sites():
    return read_sites(SAMPLE / "sites.csv", SETTINGS)


def read(name, sites, settings=SETTINGS):
    path = DATA / name
    profile = detect_profile(path, load_profiles(), kinds=("checks_done",))
    return cd.read_checks_done_file(path, profile, settings=settings, sites=sites, source=name)


def test_basic_file_has_the_contract_columns_and_utc_times(sites):
    got = read("checks_basic.csv", sites)
    assert got.kind == "checks_done" and got.profile == "checks_done"
    t = got.table
    assert list(t.columns) == [c.name for c in CHECKS_DONE]
    for c in CHECKS_DONE:
        assert str(t[c.name].dtype) == c.dtype, c.name
    assert t["start"].iloc[0] == pd.Timestamp("2024-06-11T08:00:00Z")
    # a naive time is local wall time (CEST in October before the change)
    assert t["start"].iloc[3] == pd.Timestamp("2024-10-24T13:00:00Z")
    assert t["line"].tolist() == [2, 3, 4, 5, 6]
    assert t["vehicles_checked"].tolist() == [212, 96, 41, 120, 233]
    assert t["violations"].tolist() == [9, 7, 9, 4, 0]
    assert t["street"].iloc[0] == "Skogsleden"  # from sites.csv
    assert t["max_speed"].iloc[1] == 81.5 and pd.isna(t["max_speed"].iloc[2])
    assert t["fines"].iloc[0] == 7 and pd.isna(t["fines"].iloc[2])
    assert got.rejects.empty
    assert got.meta["duplicates"] == 1 and got.meta["n_rows"] == 6


def test_street_only_records_get_the_streets_single_check_spot(sites):
    t = read("checks_basic.csv", sites).table
    # Hantverkaregatan has one check spot (P02): the record gets it
    assert t["site_id"].iloc[2] == "P02" and t["street"].iloc[2] == "Hantverkaregatan"
    # Ringvägen has four: the record keeps the street without a site
    assert pd.isna(t["site_id"].iloc[3]) and t["street"].iloc[3] == "Ringvägen"
    crlf = read("checks_street_only_crlf.csv", sites)
    assert crlf.meta["street_only"] == 1 and crlf.table["street"].iloc[0] == "Skogsleden"


def test_notes_are_redacted(sites):
    notes = read("checks_basic.csv", sites).table["notes"]
    assert notes.iloc[1] == 'Förare [regnr] ringde [telefon], "tack"'
    assert "ABC 123" not in " ".join(notes.dropna())
    bad = read("checks_bad_rows.csv", sites)
    assert "19850709-9805" not in " ".join(bad.table["notes"].dropna())


def test_bad_rows_are_set_aside_with_line_column_and_reason(sites):
    got = read("checks_bad_rows.csv", sites)
    assert got.table["line"].tolist() == [2, 16]
    rej = got.rejects
    expected = {
        3: ("team", "value_missing"),
        4: ("start", "time_unparsable"),
        5: ("start", "time_in_dst_gap"),
        6: ("end", "value_inconsistent"),
        7: ("violations", "value_inconsistent"),
        8: ("vehicles_checked", "value_unparsable"),
        9: ("vehicles_checked", "value_missing"),
        10: ("site_id", "site_unknown"),
        11: ("max_speed", "speed_impossible"),
        12: (None, "field_count"),
        13: ("site_id", "value_missing"),
        14: ("vehicles_checked", "value_unparsable"),
        15: ("end", "value_inconsistent"),
    }
    assert rej["line"].tolist() == sorted(expected)
    for row in rej.itertuples(index=False):
        column, reason = expected[row.line]
        assert row.reason == reason, row.line
        assert (pd.isna(row.column) if column is None else row.column == column), row.line
        assert row.reason in REJECT_REASONS or row.reason in cd.REJECT_REASONS
    assert got.meta["n_rejected"] == 13 and got.meta["n_checks"] == 2
    assert rej.loc[rej["line"] == 7, "value"].iloc[0] == "41 > 40"


def test_xlsx_profile_reads_excel_cells_as_local_time(sites):
    got = read("checks_done.xlsx", sites)
    assert got.profile == "checks_done_xlsx"
    t = got.table
    assert t["start"].iloc[0] == pd.Timestamp("2024-06-11T08:00:00Z")
    # 01:30 summer time to 03:00 winter time on the fall-back night: 2.5 hours
    assert (t["end"].iloc[1] - t["start"].iloc[1]) == pd.Timedelta(hours=2.5)
    assert t["notes"].iloc[2] == "Ring [telefon]"
    assert got.rejects["reason"].tolist() == ["value_inconsistent"]
    assert got.rejects["line"].tolist() == [4]


@pytest.mark.parametrize(("name", "message", "line"), [
    ("checks_missing_violations_column.csv", "missing column 'violations'", 1),
    ("checks_empty.csv", "empty file", 1),
    ("checks_duplicate_header.csv", "duplicate column name 'violations'", 1),
    ("checks_binary.csv", "binary content", None),
    ("checks_no_header.csv", "fits no format profile", None),
])
def test_broken_files_stop_with_one_clear_error(sites, name, message, line):
    with pytest.raises(InputError) as info:
        read(name, sites)
    assert message in str(info.value)
    assert info.value.path.endswith(name)
    if line is not None:
        assert info.value.line == line


def test_profile_of_another_kind_is_refused(sites):
    reports = next(p for p in load_profiles() if p.name == "generic_reports")
    with pytest.raises(InputError, match="expected 'checks_done'"):
        cd.read_checks_done_file(DATA / "checks_basic.csv", reports, settings=SETTINGS,
                                 sites=sites, source="x")


def test_reading_a_data_folder(tmp_path, sites):
    (tmp_path / "checks_done").mkdir()
    for name in ("checks_basic.csv", "checks_bad_rows.csv", "checks_done.xlsx"):
        shutil.copy(DATA / name, tmp_path / "checks_done" / name)
    got = cd.read_checks_done(tmp_path, settings=SETTINGS, sites=sites)
    assert len(got.table) == 5 + 2 + 3
    assert len(got.rejects) == 13 + 1
    assert set(got.table["source"]) == {f"checks_done/{n}" for n in
                                        ("checks_basic.csv", "checks_bad_rows.csv",
                                         "checks_done.xlsx")}
    empty = cd.read_checks_done(tmp_path / "nothing", settings=SETTINGS, sites=sites)
    assert empty.table.empty and list(empty.table.columns) == [c.name for c in CHECKS_DONE]


def test_sample_checks_read_without_rejects(sites):
    got = cd.read_checks_done(SAMPLE, settings=SETTINGS, sites=sites)
    assert len(got.table) >= 5 and got.rejects.empty
    assert got.table["site_id"].notna().all()


def test_absurd_counts_are_set_aside_not_cast(tmp_path, sites):
    lines = (DATA / "checks_basic.csv").read_text(encoding="utf-8").splitlines()
    first = lines[1].split(",")
    first[5] = "1e308"  # vehicles_checked
    second = lines[2].split(",")
    second[8] = "99999999999999999999"  # fines
    lines[1], lines[2] = ",".join(first), ",".join(second)
    path = tmp_path / "checks_huge.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    profile = detect_profile(path, load_profiles(), kinds=("checks_done",))
    got = cd.read_checks_done_file(path, profile, settings=SETTINGS, sites=sites, source="x")
    rej = got.rejects.set_index("line")
    assert rej.loc[2, "reason"] == "value_unparsable" and rej.loc[2, "column"] == "vehicles_checked"
    assert rej.loc[3, "reason"] == "value_unparsable" and rej.loc[3, "column"] == "fines"
    assert got.table["line"].tolist() == [4, 5, 6]
