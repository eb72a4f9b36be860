"""``trafikplan evaluate`` end to end, in a subprocess on part of the sample."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "measurements"
EXPECTED = ROOT / "tests" / "data" / "sample_expected.json"
EXE = Path(sys.executable).with_name("trafikplan")

pytestmark = pytest.mark.skipif(not (SAMPLE / "measures.csv").exists() or not EXPECTED.exists(),
                                reason="sample not generated")


def run(*args):
    return subprocess.run([str(EXE), *map(str, args)], capture_output=True, text=True,
                          timeout=300, env={**os.environ, "COLUMNS": "200"})


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """The sample's settings, sites, measures and the counter files of the measures."""
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    data = tmp_path_factory.mktemp("eval") / "measurements"
    (data / "counters").mkdir(parents=True)
    for name in ("trafikplan.toml", "sites.csv", "measures.csv"):
        shutil.copy(SAMPLE / name, data / name)
    for m in expected["measures"]:
        for k in ("before", "after", "comparison_before", "comparison_after"):
            if k in m:
                shutil.copy(SAMPLE / m[k]["file"], data / m[k]["file"])
    return data, expected


@pytest.mark.slow
def test_evaluate_prints_verdicts(folder):
    data, expected = folder
    res = run("evaluate", data)
    assert res.returncode == 0, res.stderr
    for m in expected["measures"]:
        assert m["measure_id"] in res.stdout
    assert "skillnad i skillnader" in res.stdout
    assert "K15" in res.stdout


@pytest.mark.slow
def test_evaluate_one_measure_to_csv(folder, tmp_path):
    data, expected = folder
    out = tmp_path / "eval.csv"
    res = run("evaluate", data, "--measure", "M1", "-o", out)
    assert res.returncode == 0, res.stderr
    df = pd.read_csv(out)
    assert list(df["measure_id"]) == ["M1"]
    m1 = next(m for m in expected["measures"] if m["measure_id"] == "M1")
    row = df.iloc[0]
    assert row["did_lo"] <= m1["true_effect_mean_kmh"] <= row["did_hi"]
    assert row["comparison_site_id"] == "K15"


@pytest.mark.slow
def test_unknown_measure_and_missing_file_exit_2(folder, tmp_path):
    data, _ = folder
    res = run("evaluate", data, "--measure", "M99")
    assert res.returncode == 2 and "okänd åtgärd 'M99'" in res.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    res = run("evaluate", empty)
    assert res.returncode == 2 and "measures.csv" in res.stderr
    assert "Traceback" not in res.stderr
