"""The pipeline is the one path: the notebook, `plan checks -o` and `run` plan and write alike."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from test_run import SampleRun, run_cli, sample_run  # noqa: F401  (shared session fixture)

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "02_veckans_kontroller.ipynb"
WEEK = "2024-W45"
KEYS = ["team", "start", "end", "site_id"]


def _notebook_cell(needle: str) -> str:
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    found = ["".join(c["source"]) for c in cells
             if c["cell_type"] == "code" and needle in "".join(c["source"])]
    assert len(found) == 1, f"one notebook cell plans the week ({needle})"
    return found[0]


def _table(df: pd.DataFrame) -> pd.DataFrame:
    out = df[KEYS].copy()
    for col in ("start", "end"):
        out[col] = pd.to_datetime(out[col], utc=True)
    out["site_id"] = out["site_id"].astype(str)
    return out.sort_values(KEYS).reset_index(drop=True)


@pytest.mark.slow
def test_notebook_plans_the_week_as_the_cli_and_run_do(tmp_path: Path, imported_sample: Path,
                                                      sample_run: SampleRun) -> None:  # noqa: F811
    import trafikplan

    data = tmp_path / "measurements"
    shutil.copytree(imported_sample, data)  # the session's imported sample, a private copy
    namespace = {"tables": trafikplan.load(data), "DATA": data}
    exec(_notebook_cell("plan_week"), namespace)  # the notebook's own planning cell
    notebook = _table(namespace["plan"].checks)
    assert len(notebook) > 0

    proc = run_cli("plan", "checks", data, "--week", WEEK, "--time-limit", "3", "-o",
                   tmp_path / "out")
    assert proc.returncode == 0, proc.stderr[-2000:]
    cli = _table(pd.read_csv(tmp_path / "out" / "checks.csv"))
    pd.testing.assert_frame_equal(notebook, cli)

    # `run` plans the same week (the first roster week after the data) the same way
    assert sample_run.returncode == 0, sample_run.stderr[-2000:]
    ran = _table(pd.read_csv(sample_run.out / "checks" / "checks.csv"))
    pd.testing.assert_frame_equal(notebook, ran)
    # ... and `plan checks -o` writes the same plan files as `run`
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == sorted(p.name for p in (sample_run.out / "checks").iterdir())
    assert {"checks.csv", "checks.xlsx", "checks.html", "checks-days.html",
            "checks-days.xlsx"} <= set(names)


@pytest.mark.slow
def test_pipeline_returns_typed_results_without_printing(capsys: pytest.CaptureFixture[str],
                                                         small_data_dir: Path) -> None:
    from trafikplan import pipeline

    steps: list[str] = []
    tables = pipeline.load_folder(small_data_dir,
                                  progress=lambda step, done=None, total=None: steps.append(step))
    assert steps == ["load"]
    flags = pipeline.folder_flags(tables)
    stats = pipeline.folder_stats(tables, ("site_id",))
    assert {"site_id", "n", "v85", "v85_lo", "v85_hi"} <= set(stats.columns)
    assert pipeline.evaluate_folder(tables) is None  # no measures.csv
    data = pipeline.report_data(tables, flags=flags)
    assert data.flags is flags and data.evaluation is None
    assert capsys.readouterr().out == ""


@pytest.mark.slow
def test_run_folder_tells_each_stage_through_events(tmp_path: Path,
                                                    small_data_dir: Path) -> None:
    from trafikplan.pipeline import STAGES_OF_RUN, run_folder

    events = []
    result = run_folder(small_data_dir, tmp_path / "out", on_event=events.append)
    kinds = [e.kind for e in events]
    assert kinds[0] == "imported"
    assert [e.stage for e in events if e.kind == "stage"] == list(STAGES_OF_RUN)
    notes = {e.key for e in events if e.kind == "note"}
    assert {"no_roster", "no_fleet", "no_measures"} <= notes
    assert not result.failures and not result.broken
    written = {p.name for _, p in result.files}
    assert {"stats.csv", "stats.xlsx", "flags.csv", "flags.xlsx", "report.html"} <= written
