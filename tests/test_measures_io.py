import datetime as dt
from pathlib import Path

import pytest

from trafikplan._errors import InputError
from trafikplan.io.user_tables.measures import measure_status, read_counter_fleet, read_measures

MEASURES = """measure_id,street,site_id,kind,built,description,comparison_site_id
M1,Ringvägen,K03,upphöjd passage,2024-07-01,"Upphöjd passage vid Nygårdsskolan, med refug",K15
M2,Skogsleden,K06,övergångsställe,2024-06-24,"Hastighetssäkrat övergångsställe
vid Konvaljevägen",
M4,Hagavägen,K14,upphöjt övergångsställe,,Planerat,K15
"""


def _write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def test_reads_measures_with_multiline_description(tmp_path):
    df = read_measures(_write(tmp_path, "measures.csv", MEASURES))
    assert list(df["measure_id"]) == ["M1", "M2", "M4"]
    assert df.loc[0, "built"] == dt.date(2024, 7, 1)
    assert df.loc[2, "built"] is None
    assert df.loc[0, "comparison_site_id"] == "K15"
    assert df.loc[1, "comparison_site_id"] is None
    assert "\n" in df.loc[1, "description"]
    # M4 starts on line 5 because M2's description spans lines 3-4.
    assert list(df["line"]) == [2, 3, 5]


def test_measure_status_depends_on_the_day(tmp_path):
    df = read_measures(_write(tmp_path, "measures.csv", MEASURES))
    assert list(measure_status(df, dt.date(2024, 6, 30))) == ["planned", "built", "planned"]
    assert list(measure_status(df, dt.date(2024, 11, 4))) == ["built", "built", "planned"]


def test_semicolon_and_bom_are_accepted(tmp_path):
    text = ("\ufeffmeasure_id;street;site_id;kind;built;description\n"
            "M1;Ringvägen;K03;x;2024-07-01;y\n")
    df = read_measures(_write(tmp_path, "m.csv", text))
    assert df.loc[0, "site_id"] == "K03"
    assert df.loc[0, "comparison_site_id"] is None


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ("measure_id,street,kind,built,description\nM1,R,x,2024-07-01,y\n", 1, "site_id",
         "missing column"),
        ("measure_id,street,site_id,kind,built,description\nM1,R,K1,x,1/7/2024,y\n", 2, "built",
         "YYYY-MM-DD"),
        ("measure_id,street,site_id,kind,built,description\nM1,R,K1,x,,y\nM1,S,K2,x,,y\n", 3,
         "measure_id", "unique"),
        ("measure_id,street,site_id,kind,built,description\nM1,R,,x,,y\n", 2, "site_id",
         "site id"),
        ("measure_id,street,site_id,kind,built,description\nM1,R,K1,x,,y,extra\n", 2, None,
         "7 fields, expected 6"),
        ("measure_id,street,site_id,kind,built,description,comparison_site_id\nM1,R,K1,x,,y,K1\n",
         2, "comparison_site_id", "own site"),
    ],
)
def test_bad_measures_name_file_line_and_column(tmp_path, text, line, column, words):
    path = _write(tmp_path, "measures.csv", text)
    with pytest.raises(InputError) as info:
        read_measures(path)
    err = info.value
    assert err.path == str(path)
    assert err.line == line
    assert err.column == column
    assert words in err.message


def test_windows_1252_from_swedish_excel_is_read(tmp_path):
    path = _write(tmp_path, "measures.csv",
                  "measure_id;street;site_id;kind;built;description\n"
                  "M1;Östanåsgatan;K8;x;04/11/2024;y\nM2;Ringvägen;K1;x;13/11/2024;y\n",
                  encoding="cp1252")
    df = read_measures(path)
    assert df["street"].tolist() == ["Östanåsgatan", "Ringvägen"]
    assert df["built"].tolist() == [dt.date(2024, 11, 4), dt.date(2024, 11, 13)]


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="not found"):
        read_measures(tmp_path / "measures.csv")


def test_reads_fleet(tmp_path):
    text = "counter,kind,available_from\nR1,radar,\nT2,Tube,2024-11-25\n"
    df = read_counter_fleet(_write(tmp_path, "counter_fleet.csv", text))
    assert list(df["kind"]) == ["radar", "tube"]
    assert df.loc[0, "available_from"] is None
    assert df.loc[1, "available_from"] == dt.date(2024, 11, 25)


def test_fleet_without_available_from(tmp_path):
    df = read_counter_fleet(_write(tmp_path, "f.csv", "counter,kind\nR1,radar\n"))
    assert df.loc[0, "available_from"] is None


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ("counter,kind\nR1,laser\n", 2, "kind", "radar, tube"),
        ("counter,kind\nR1,radar\nR1,tube\n", 3, "counter", "unique"),
        ("counter,kind,available_from\nR1,radar,nästa vecka\n", 2, "available_from", "date"),
        ("counter\nR1\n", 1, "kind", "missing column"),
        ("counter,kind\n", 2, None, "no counters"),
    ],
)
def test_bad_fleet(tmp_path, text, line, column, words):
    path = _write(tmp_path, "counter_fleet.csv", text)
    with pytest.raises(InputError) as info:
        read_counter_fleet(path)
    assert (info.value.line, info.value.column) == (line, column)
    assert words in info.value.message
    assert str(path) in str(info.value)


SAMPLE = Path(__file__).resolve().parents[1] / "data" / "measurements"


@pytest.mark.skipif(not (SAMPLE / "measures.csv").exists(), reason="sample not generated")
def test_sample_files_read():
    m = read_measures(SAMPLE / "measures.csv")
    f = read_counter_fleet(SAMPLE / "counter_fleet.csv")
    assert set(m["measure_id"]) >= {"M1", "M2", "M3", "M4"}
    assert set(f["kind"]) == {"radar", "tube"}
