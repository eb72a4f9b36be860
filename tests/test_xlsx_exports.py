"""Excel and CSV exports of a run: widths, number formats, and text that never runs as a formula."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from test_run import EXPECTED, SampleRun, sample_run  # noqa: F401  (shared session fixture)
from trafikplan.report.export import write_table, write_xlsx

HOSTILE = EXPECTED["reports"]["hostile"]


@pytest.mark.parametrize("name", ["stats.xlsx", "flags.xlsx", "evaluation.xlsx"])
def test_run_xlsx_is_formatted_for_people(sample_run: SampleRun, name: str) -> None:  # noqa: F811
    wb = load_workbook(sample_run.out / name)
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    frame = pd.read_csv(sample_run.out / name.replace(".xlsx", ".csv"))
    assert header == list(frame.columns)
    assert ws.max_row == len(frame) + 1
    widths = [ws.column_dimensions[c.column_letter].width for c in ws[1]]
    assert all(8 <= w <= 60 for w in widths)
    share = [c for c in ws[1] if str(c.value).startswith("share_over_limit")]
    assert share
    assert ws.cell(row=2, column=share[0].column).number_format == "0.0%"
    formulas = [c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []


def test_flags_export_times_and_text(sample_run: SampleRun) -> None:  # noqa: F811
    wb = load_workbook(sample_run.out / "flags.xlsx")
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    reason = ws.cell(row=2, column=header.index("reason") + 1)
    assert reason.data_type == "s" and reason.value
    score = ws.cell(row=2, column=header.index("score") + 1)
    assert isinstance(score.value, float) and score.number_format == "0.00"


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
        with open(path, encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh):
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
    ws = load_workbook(path).worksheets[0]
    header = [c.value for c in ws[1]]
    frame = pd.read_csv(path.with_suffix(".csv"))
    assert header[:len(frame.columns)] == list(frame.columns)
    assert ws.max_row == len(frame) + 1 > 1
    assert all(c.font.bold for c in ws[1])
    reason = ws.cell(row=2, column=header.index("reason") + 1)
    assert reason.data_type == "s" and reason.value == frame["reason"].iloc[0]
