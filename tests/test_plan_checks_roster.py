"""roster.csv reader: times with offset or local wall time; errors name file, line, column."""

from __future__ import annotations

import pandas as pd
import pytest

from trafikplan._errors import InputError
from trafikplan.io.user_tables.roster import read_roster


def write(tmp_path, text):
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_offsets_local_times_and_area(tmp_path):
    path = write(tmp_path, "team,start,end,area\n"
                 "Ingripande Köping 1,2024-10-07T14:00:00+02:00,2024-10-07T22:00:00+02:00,Norr\n"
                 "Trafikgruppen,2024-10-27 01:00,2024-10-27 09:00,\n"
                 "\n")
    df = read_roster(path)
    assert list(df.columns) == ["team", "start", "end", "area", "line"]
    assert df["start"].iloc[0] == pd.Timestamp("2024-10-07T12:00:00Z")
    # fall-back night: 01:00 CEST to 09:00 CET is 9 hours
    assert df["end"].iloc[1] - df["start"].iloc[1] == pd.Timedelta(hours=9)
    assert df["area"].iloc[0] == "Norr" and pd.isna(df["area"].iloc[1])
    assert df["line"].tolist() == [2, 3]


def test_roster_without_area_column(tmp_path):
    path = write(tmp_path, "team,start,end\nA,2024-10-07T14:00:00Z,2024-10-07T16:00:00Z\n")
    df = read_roster(path)
    assert df["area"].isna().all() and len(df) == 1


@pytest.mark.parametrize(("text", "line", "column", "words"), [
    ("team,start,end\nA,2024-10-07T22:00+02:00,2024-10-07T14:00+02:00\n", 2, "end", "before"),
    ("team,start,end\nA,2024-10-07T14:00+02:00,2024-10-07T14:00+02:00\n", 2, "end", "before"),
    ("team,start,end\nA,2024-10-07T14:00+02:00,2024-10-07T16:00+02:00\nB,igår,"
     "2024-10-07T16:00+02:00\n", 3, "start", "cannot read"),
    ("team,start,end\n,2024-10-07T14:00+02:00,2024-10-07T16:00+02:00\n", 2, "team", "empty"),
    ("team,start\nA,2024-10-07T14:00+02:00\n", 1, "end", "missing column"),
    ("team,start,end\nA,2024-03-31 02:30,2024-03-31 06:00\n", 2, "start", "does not exist"),
])
def test_bad_rosters_name_line_and_column(tmp_path, text, line, column, words):
    path = write(tmp_path, text)
    with pytest.raises(InputError) as exc:
        read_roster(path)
    assert exc.value.line == line
    assert exc.value.column == column
    assert words in exc.value.message
    assert str(path) in str(exc.value)


def test_missing_roster(tmp_path):
    with pytest.raises(InputError, match=r"no roster\.csv"):
        read_roster(tmp_path / "roster.csv")
