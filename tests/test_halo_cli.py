"""``trafikplan halo``: pooled table in the terminal, every row in files, exit codes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import trafikplan.cli.cmd_halo  # noqa: F401  (registers the command until cli/__init__ does)
from conftest import write_data_folder
from test_halo import _simulate
from trafikplan.cli import main


def _folder(target: Path, language: str = "sv", effect=((0, 24, -5.0),), *,
            checks: bool = True) -> Path:
    """A real data folder: one site with a planted halo after one completed check."""
    vehicles, done, sites = _simulate(7, effect=effect)
    done["street"] = "Sgatan"
    done["vehicles_checked"] = 80
    done["violations"] = 9
    return write_data_folder(target, sites=sites.assign(street="Sgatan"), vehicles=vehicles,
                             checks_done=done if checks else None, language=language)


@pytest.fixture
def fake_store(tmp_path):
    """The data folder of :func:`_folder` in ``tmp_path``."""
    return _folder(tmp_path)


def test_prints_the_pooled_windows_and_the_halo(fake_store, tmp_path, capsys, monkeypatch):
    from trafikplan.cli._app import console

    monkeypatch.setattr(console, "width", 300)
    assert main(["halo", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "1 kontroller med mätdata" in out
    assert "Uppmätt tidshalo: 24 h" in out
    assert "standardvärdet" in out  # one check is too few for the planner (default 2)


def test_english_and_no_evidence(tmp_path, capsys, monkeypatch):
    from trafikplan.cli._app import console

    monkeypatch.setattr(console, "width", 300)
    _folder(tmp_path, "en", checks=False)
    assert main(["halo", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "0 checks with counter data" in out and "cannot be measured" in out


def test_writes_pooled_and_per_check_rows(fake_store, tmp_path):
    out = tmp_path / "halo.csv"
    assert main(["halo", str(tmp_path), "-o", str(out)]) == 0
    df = pd.read_csv(out)
    assert set(df["level"]) == {"pooled", "check"}
    assert {"mean_diff", "mean_diff_lo", "mean_diff_hi", "share_diff_lo", "halo_hours",
            "site_id", "start"} <= set(df.columns)
    first = df[(df["level"] == "pooled") & (df["from_hours"] == 0)].iloc[0]
    assert first["mean_diff_lo"] <= -5.0 <= first["mean_diff_hi"]
    assert (df["halo_hours"] == 24).all()


def test_missing_data_folder_exits_2(tmp_path, capsys):
    assert main(["halo", str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err
    assert "nowhere" in err and "Traceback" not in err
