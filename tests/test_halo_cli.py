"""``trafikplan halo``: pooled table in the terminal, every row in files, exit codes."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pandas as pd
import pytest

import trafikplan.cli.cmd_halo  # noqa: F401  (registers the command until cli/__init__ does)
from test_halo import _simulate
from trafikplan.cli import main
from trafikplan.settings import Settings


def _tables(language: str = "sv", effect=((0, 24, -5.0),)) -> types.SimpleNamespace:
    vehicles, checks, sites = _simulate(7, effect=effect)
    checks["street"] = pd.array(["Sgatan"], dtype="string")
    checks["site_id"] = checks["site_id"].astype("string")
    checks["vehicles_checked"] = 80
    checks["violations"] = 9
    return types.SimpleNamespace(
        settings=Settings(municipality="Köping", language=language),
        sites=sites.assign(street="Sgatan"), vehicles=vehicles, checks_done=checks)


@pytest.fixture
def fake_store(monkeypatch):
    """Stand in for trafikplan.io.store.load (the lead engineer's loader)."""
    seen: dict = {}

    def load(data_dir, **kwargs):
        seen["data_dir"] = Path(data_dir)
        return seen.get("tables") or _tables()

    module = types.ModuleType("trafikplan.io.store")
    module.load = load
    monkeypatch.setitem(sys.modules, "trafikplan.io.store", module)
    import trafikplan.io as io_pkg

    monkeypatch.setattr(io_pkg, "store", module, raising=False)
    return seen


def test_prints_the_pooled_windows_and_the_halo(fake_store, tmp_path, capsys, monkeypatch):
    from trafikplan.cli._app import console

    monkeypatch.setattr(console, "width", 300)
    assert main(["halo", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert fake_store["data_dir"] == tmp_path
    assert "1 kontroller med mätdata" in out
    assert "Uppmätt tidshalo: 24 h" in out
    assert "standardvärdet" in out  # one check is too few for the planner (default 2)


def test_english_and_no_evidence(fake_store, tmp_path, capsys, monkeypatch):
    from trafikplan.cli._app import console

    monkeypatch.setattr(console, "width", 300)
    tables = _tables("en")
    tables.checks_done = tables.checks_done.iloc[:0]
    fake_store["tables"] = tables
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
