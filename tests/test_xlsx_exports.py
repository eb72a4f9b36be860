"""Excel and CSV exports of a run: widths, number formats, and text that never runs as a formula."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from test_run import EXPECTED, SampleRun, sample_run  # noqa: F401  (shared session fixture)
from trafikplan.i18n import column
from trafikplan.report.export import READABLE, write_table, write_xlsx

HOSTILE = EXPECTED["reports"]["hostile"]


def read_swedish_csv(path: Path) -> pd.DataFrame:
    """A CSV in the Swedish Excel dialect (the run's default) back into a DataFrame."""
    return pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig")


@pytest.mark.parametrize("name", ["stats.xlsx", "flags.xlsx", "evaluation.xlsx"])
def test_run_xlsx_is_formatted_for_people(sample_run: SampleRun, name: str) -> None:  # noqa: F811
    wb = load_workbook(sample_run.out / name)
    assert len(wb.worksheets) == 2  # a readable subset first, every column second
    frame = read_swedish_csv(sample_run.out / name.replace(".xlsx", ".csv"))
    table = name.removesuffix(".xlsx")
    for ws, cols in ((wb.worksheets[0], [c for c in READABLE[table] if c in frame.columns]),
                     (wb.worksheets[1], list(frame.columns))):
        header = [c.value for c in ws[1]]
        assert all(c.font.bold for c in ws[1])
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
        assert header == [column(c, "sv") for c in cols]
        assert ws.max_row == len(frame) + 1
        widths = [ws.column_dimensions[c.column_letter].width for c in ws[1]]
        assert all(8 <= w <= 60 for w in widths)
        share = [c for c in ws[1] if str(c.value).startswith(column("share_over_limit", "sv"))
                 or str(c.value).startswith(column("share_diff", "sv"))]
        assert share
        assert ws.cell(row=2, column=share[0].column).number_format == "0.0%"
        formulas = [c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"]
        assert formulas == []
    assert len(wb.worksheets[0][1]) < len(wb.worksheets[1][1])


def test_flags_export_times_and_text(sample_run: SampleRun) -> None:  # noqa: F811
    wb = load_workbook(sample_run.out / "flags.xlsx")
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    reason = ws.cell(row=2, column=header.index("skäl") + 1)
    assert reason.data_type == "s" and reason.value
    score = ws.cell(row=2, column=header.index("poäng") + 1)
    assert isinstance(score.value, float) and score.number_format == "0.0"
    n = ws.cell(row=2, column=header.index("fordon (n)") + 1)
    assert n.value == int(n.value) and n.number_format == "#,##0"
    kind = ws.cell(row=2, column=header.index("slag") + 1)
    assert kind.value and not set(str(kind.value).split(", ")) - {
        "fortkörning", "buskörning", "rapporter", "mät här"}


def test_hostile_text_is_neutralised_in_csv_and_xlsx(tmp_path: Path) -> None:
    reports = pd.DataFrame({
        "report_id": ["E-1", "E-2", "E-3"],
        "time": pd.to_datetime(["2024-10-14T15:04:00Z", "2024-11-01T22:20:00Z",
                                "2024-11-02T10:00:00Z"], utc=True),
        "text": [f"Se bifogad länk {HOSTILE[0]}", HOSTILE[1], "-1 bil +2 bilar @polisen"],
    })
    write_table(reports, tmp_path / "r.csv")
    with open(tmp_path / "r.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0]["text"] == f"Se bifogad länk {HOSTILE[0]}"
    assert rows[1]["text"] == "'" + HOSTILE[1]
    assert rows[2]["text"].startswith("'-")
    assert rows[0]["time"] == "2024-10-14T15:04:00+00:00"
    write_xlsx({"rapporter": reports}, tmp_path / "r.xlsx")
    ws = load_workbook(tmp_path / "r.xlsx").worksheets[0]
    cells = [ws.cell(row=i, column=3) for i in (2, 3, 4)]
    assert [c.data_type for c in cells] == ["s", "s", "s"]
    assert cells[1].value == "'" + HOSTILE[1]
    assert not any(str(c.value).startswith(("=", "+", "-", "@")) for c in cells)


def test_hostile_report_in_sample_never_a_formula_in_outputs(sample_run: SampleRun) -> None:  # noqa: F811
    for path in sorted(sample_run.out.rglob("*.csv")):
        with open(path, encoding="utf-8-sig", newline="") as fh:
            delimiter = ";" if ";" in fh.readline() else ","
            fh.seek(0)
            for row in csv.reader(fh, delimiter=delimiter):
                assert not any(v.startswith(("=", "+", "@")) for v in row), path
    for path in sorted(sample_run.out.rglob("*.xlsx")):
        for ws in load_workbook(path).worksheets:
            for row in ws.iter_rows():
                for c in row:
                    assert c.data_type != "f", (path, c.coordinate)
                    if isinstance(c.value, str):
                        assert not c.value.startswith(("=", "+", "@")), (path, c.coordinate)


@pytest.mark.parametrize("name", ["checks/checks.xlsx", "measurements/measurements.xlsx"])
def test_plans_exported_to_xlsx(sample_run: SampleRun, name: str) -> None:  # noqa: F811
    path = sample_run.out / name
    assert (path.stat().st_mode & 0o777) == 0o600
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    frame = pd.read_csv(path.with_suffix(".csv"))  # the plans' CSVs keep the plain contract
    full = [c.value for c in wb.worksheets[1][1]]
    assert full[:len(frame.columns)] == [column(c, "sv") for c in frame.columns]
    assert ws.max_row == len(frame) + 1 > 1
    assert all(c.font.bold for c in ws[1])
    reason = ws.cell(row=2, column=header.index("skäl") + 1)
    assert reason.data_type == "s" and reason.value == frame["reason"].iloc[0]


def test_xlsx_cells_are_typed_and_headed_in_swedish(sample_run: SampleRun) -> None:  # noqa: F811
    import datetime as dt

    ws = load_workbook(sample_run.out / "checks" / "checks.xlsx").worksheets[0]
    header = [c.value for c in ws[1]]
    assert header[:3] == ["grupp", "start", "slut"]
    start = ws.cell(row=2, column=2)
    assert isinstance(start.value, dt.datetime) and start.number_format == "yyyy-mm-dd hh:mm"
    plan = pd.read_csv(sample_run.out / "checks" / "checks.csv")
    local = pd.Timestamp(plan["start"].iloc[0])  # written with the local offset
    assert start.value == local.tz_localize(None).to_pydatetime()
    ws = load_workbook(sample_run.out / "measurements" / "measurements.xlsx").worksheets[0]
    header = [c.value for c in ws[1]]
    install = ws.cell(row=2, column=header.index("upp") + 1)
    assert isinstance(install.value, dt.datetime) and install.number_format == "yyyy-mm-dd"
    purpose = ws.cell(row=2, column=header.index("syfte") + 1).value
    assert purpose in {"tips", "före", "efter", "osäker", "gammal data"}
    ws = load_workbook(sample_run.out / "stats.xlsx").worksheets[0]
    header = [c.value for c in ws[1]]
    n = ws.cell(row=2, column=header.index("fordon (n)") + 1)
    assert isinstance(n.value, int) and n.number_format == "#,##0"
    mean = ws.cell(row=2, column=header.index("medelhastighet [km/h]") + 1)
    assert isinstance(mean.value, float) and mean.number_format == "0.0"
    day = ws.cell(row=2, column=header.index("veckodag") + 1).value
    assert day == "1 mån"


def test_swedish_csv_round_trips_through_pandas(tmp_path: Path) -> None:
    table = pd.DataFrame({
        "site_id": ["K01", "K02"],
        "street": ["Östanåsgatan", "Ringvägen"],
        "n": [1234567, 12],
        "mean_speed": [43.25, 51.5],
        "share_over_limit": [0.125, 0.5],
        "start": pd.to_datetime(["2024-10-27T01:30:00Z", "2024-10-27T02:30:00Z"], utc=True),
    })
    path = write_table(table, tmp_path / "t.csv", dialect="excel")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads å/ä/ö right
    first = raw.decode("utf-8-sig").splitlines()[1]
    assert first.split(";")[3].strip('"') == "43,25"
    back = pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig")
    assert list(back.columns) == list(table.columns)
    assert back["street"].tolist() == ["Östanåsgatan", "Ringvägen"]
    assert back["n"].tolist() == [1234567, 12]
    assert back["mean_speed"].tolist() == [43.25, 51.5]
    assert back["share_over_limit"].tolist() == [0.125, 0.5]
    assert (pd.to_datetime(back["start"], utc=True) == table["start"]).all()
    plain = write_table(table, tmp_path / "p.csv")
    assert not plain.read_bytes().startswith(b"\xef\xbb\xbf")
    assert pd.read_csv(plain)["mean_speed"].tolist() == [43.25, 51.5]
