"""``trafikplan flags``: ranked table in the terminal, every column in files, exit codes."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import write_data_folder
from test_flags_fixtures import TZ, add, fridays, reports, sites, traffic
from trafikplan.cli import main
from trafikplan.flags import FLAG_COLUMNS
from trafikplan.stats.outcomes import OUTCOME_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "measurements"


def _folder(target: Path, language: str = "sv") -> Path:
    """A real data folder: normal traffic at K01 with Friday-night laps and a few reports."""
    v = traffic("K01", 50.0, seed=3, days=14)
    laps = [t for d in fridays(weeks=2) for t in pd.date_range(
        f"{d.date()} 22:00", f"{d.date()} 23:55", freq="5min").strftime("%Y-%m-%d %H:%M:%S")]
    v = add(v, "K01", laps, np.linspace(80, 95, len(laps)).tolist())
    st = sites(("K01", "Ringvägen", 50.0, "Nygård"))
    rep = reports(*[("2024-04-05 22:20", "reckless", "Ringvägen", "K01")] * 3,
                  ("2024-04-05 18:20", "speeding", "Glasgatan", None),
                  ("2024-04-05 18:25", "speeding", "Glasgatan", None),
                  ("2024-04-05 18:30", "speeding", "Glasgatan", None))
    return write_data_folder(target, sites=st, vehicles=v, reports=rep, timezone=TZ,
                             language=language, focus_streets=["Ringvägen"])


@pytest.fixture
def fake_store(tmp_path):
    """The data folder of :func:`_folder` in ``tmp_path``."""
    return _folder(tmp_path)


@pytest.mark.slow
def test_prints_flagged_rows_ranked_by_score(fake_store, tmp_path, capsys, monkeypatch):
    from trafikplan.cli._app import console

    monkeypatch.setattr(console, "width", 400)
    assert main(["flags", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "flaggade av" in out
    assert "Fredagar 22–23" in out and "Glasgatan" in out
    assert "varvkörning" in out


@pytest.mark.slow
def test_writes_every_column_to_csv_and_parquet(fake_store, tmp_path, capsys):
    csv = tmp_path / "flags.csv"
    assert main(["flags", str(tmp_path), "-o", str(csv)]) == 0
    df = pd.read_csv(csv)
    assert list(df.columns) == list(FLAG_COLUMNS)
    assert df["flagged"].all()
    assert (df["score"].diff().dropna() <= 1e-9).all()  # ranked by score
    pq = tmp_path / "flags.parquet"
    assert main(["flags", str(tmp_path), "--all", "-o", str(pq)]) == 0
    every = pd.read_parquet(pq)
    assert len(every) > len(df) and not every["flagged"].all()
    assert "rader ->" in capsys.readouterr().out


@pytest.mark.slow
def test_english_and_top(tmp_path, capsys):
    _folder(tmp_path, "en")
    assert main(["flags", str(tmp_path), "--top", "1"]) == 0
    out = capsys.readouterr().out
    assert "flagged of" in out and "Fridays" in out


@pytest.mark.slow
def test_unknown_suffix_is_a_usage_error(fake_store, tmp_path, capsys):
    assert main(["flags", str(tmp_path), "-o", str(tmp_path / "flags.txt")]) == 2
    err = capsys.readouterr().err
    assert "flags.txt" in err and "Traceback" not in err


@pytest.mark.skipif(not (SAMPLE / "trafikplan.toml").is_file(),
                    reason="sample data folder not there")
def test_subprocess_on_a_copy_of_the_sample(imported_sample, tmp_path):
    data = tmp_path / "measurements"
    shutil.copytree(imported_sample, data)  # with its store: nothing new to import
    exe = ROOT / ".venv" / "bin" / "trafikplan"
    out = tmp_path / "flags.csv"
    run = subprocess.run([str(exe), "flags", str(data), "-o", str(out)],
                         capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr
    df = pd.read_csv(out)
    # the sample has completed checks: their evidence follows the flag columns
    assert list(df.columns) == list(FLAG_COLUMNS) + list(OUTCOME_COLUMNS)
    assert len(df) > 0 and df["flagged"].all()
    missing = subprocess.run([str(exe), "flags", str(tmp_path / "nowhere")],
                             capture_output=True, text=True, timeout=120, check=False)
    assert missing.returncode == 2
    assert "Traceback" not in missing.stderr
