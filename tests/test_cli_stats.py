"""``trafikplan stats``: end to end on the sample folder, and the command's own logic."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from conftest import write_data_folder
from trafikplan.cli import main
from trafikplan.i18n import column
from trafikplan.stats import STATS_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "measurements"
EXE = ROOT / ".venv" / "bin" / "trafikplan"


# --- the command with a stand-in loader (fast, in process) -----------------

SITES = pd.DataFrame({"site_id": ["K01", "K02"], "street": ["Ringvägen", "Skogsleden"],
                      "section": ["", ""], "lat": [59.51, 59.52], "lon": [15.98, 15.99],
                      "speed_limit": [40.0, 50.0], "area": ["Köping", "Köping"],
                      "check_spot": [True, True]})


def _vehicles():
    rng = np.random.default_rng(11)
    n = 4000
    site = rng.choice(["K01", "K02"], n)
    t = pd.Timestamp("2024-10-26T18:00Z") + pd.to_timedelta(rng.uniform(0, 12 * 3600, n),
                                                            unit="s")
    return pd.DataFrame({
        "site_id": pd.array(site, dtype="str"),
        "time": t,
        "direction": pd.array(rng.choice(["1", "2"], n), dtype="str"),
        "speed": np.round(rng.normal(np.where(site == "K01", 44, 52), 7), 1),
        "length": 4.5,
        "headway": rng.exponential(8, n),
        "vehicle_class": pd.array(["car"] * n, dtype="str"),
        "source": "counters/x.csv",
    })


@pytest.fixture
def fake_store(tmp_path):
    """A real data folder holding the two sites and the 4000 vehicles (imported on first use)."""
    write_data_folder(tmp_path, sites=SITES, vehicles=_vehicles())
    return tmp_path


def test_xlsx_output_opens_with_openpyxl(fake_store, tmp_path):
    out = tmp_path / "stats.xlsx"
    assert main(["stats", str(tmp_path), "--by", "site_id,hour_start", "-o", str(out)]) == 0
    ws = load_workbook(out).worksheets[1]  # every column (the first sheet is for reading)
    header = [c.value for c in ws[1]]
    assert header == [column(c, "sv") for c in ("site_id", "hour_start", *STATS_COLUMNS)]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 2 * 12  # 12 UTC hours over the DST night, each its own local hour
    starts = [r[1] for r in rows if r[0] == "K01"]
    assert "2024-10-27T02:00:00+02:00" in starts and "2024-10-27T02:00:00+01:00" in starts


def test_csv_and_parquet_output_and_options_reach_the_loader(fake_store, tmp_path):
    csv = tmp_path / "s.csv"
    code = main(["stats", str(tmp_path), "--by", "site_id,weekday,hour_of_day", "--site", "K01",
                 "--from", "2024-10-26", "--to", "2024-10-27", "--free-flow", "-o", str(csv)])
    assert code == 0
    df = pd.read_csv(csv)
    assert set(df.site_id) == {"K01"}  # --site reached the loader
    k01 = _vehicles().query("site_id == 'K01'")
    assert df.n.sum() + df.n_excluded_headway.sum() == len(k01)
    day = tmp_path / "day.csv"  # --from/--to: only the local 27 October
    assert main(["stats", str(tmp_path), "--by", "date", "--from", "2024-10-27", "--to",
                 "2024-10-27", "-o", str(day)]) == 0
    assert pd.read_csv(day)["date"].tolist() == [str(date(2024, 10, 27))]
    assert df.n_excluded_headway.sum() > 0  # --free-flow used the 5 s default
    pq = tmp_path / "s.parquet"
    assert main(["stats", str(tmp_path), "-o", str(pq)]) == 0
    back = pd.read_parquet(pq)
    assert list(back.columns[:3]) == ["site_id", "direction", "hour_start"]
    assert back.n.sum() == 4000


def test_prints_a_table_without_output(fake_store, tmp_path, capsys, monkeypatch):
    from trafikplan.cli import _app

    monkeypatch.setattr(_app.console, "width", 200)
    assert main(["stats", str(tmp_path), "--by", "site_id"]) == 0
    out = capsys.readouterr().out
    assert "Hastighetsstatistik" in out and "Ringvägen" in out and "V85 [km/h] (95 %)" in out
    assert "över gränsen (95 %)" in out
    # what the intervals mean, in plain Swedish
    assert ("inte antalet fordon" in out) or ("bara de dagar som mättes" in out)
    assert main(["stats", str(tmp_path), "--by", "site_id,hour_start"]) == 0
    assert "Intervallet gäller bara de dagar som mättes." in capsys.readouterr().out


@pytest.mark.parametrize("args", [["--by", "site_id,hour"], ["--from", "2024-13-01"],
                                  ["--from", "2024-05-02", "--to", "2024-05-01"],
                                  ["--site", "K99"]])
def test_bad_arguments_exit_2_with_one_line(fake_store, tmp_path, capsys, args):
    assert main(["stats", str(tmp_path), *args]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("trafikplan:") and "\n" not in err and "Traceback" not in err


# --- end to end on a copy of the sample folder ------------------------------

def _sample_ready() -> bool:
    store = ROOT / "src" / "trafikplan" / "io" / "store" / "store.py"
    return (SAMPLE / "trafikplan.toml").is_file() and store.is_file()


@pytest.fixture(scope="module")
def sample_copy(imported_sample, tmp_path_factory):
    if not _sample_ready():
        pytest.fail("data/measurements or trafikplan.io.store.store is missing")
    dst = tmp_path_factory.mktemp("sample") / "measurements"
    shutil.copytree(imported_sample, dst)  # with its store: the commands import nothing new
    return dst


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(EXE), *args], capture_output=True, text=True, timeout=600,
                          check=False)


def test_end_to_end_stats_on_the_sample(sample_copy, tmp_path):
    out = tmp_path / "stats.xlsx"
    r = _run("stats", str(sample_copy), "--by", "site_id,weekday", "-o", str(out))
    assert r.returncode == 0, r.stderr
    ws = load_workbook(out).active
    header = [c.value for c in ws[1]]
    assert header[:3] == ["plats", "gata", "veckodag"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) > 7
    assert {r[2] for r in rows} <= {"1 mån", "2 tis", "3 ons", "4 tor", "5 fre", "6 lör", "7 sön"}


def test_end_to_end_default_keys_csv(sample_copy, tmp_path):
    out = tmp_path / "stats.csv"
    r = _run("stats", str(sample_copy), "-o", str(out))
    assert r.returncode == 0, r.stderr
    df = pd.read_csv(out)
    assert list(df.columns[:3]) == ["site_id", "direction", "hour_start"]
    assert (df.n[df.basis == "vehicles"] > 0).all()
    # an hour of bins without a vehicle is a measured hour with no traffic
    empty = df[df.n == 0]
    assert (empty.basis == "bins").all() and (empty.vehicles_per_hour == 0).all()
    assert set(df.basis) <= {"vehicles", "bins"}
    v85 = df.dropna(subset=["v85"])
    assert (v85.v85_lo <= v85.v85).all() and (v85.v85 <= v85.v85_hi).all()
    # both DST nights of 2024 come out as distinct hours where measured
    # the sample measures over both DST nights: two 02:00 hours in October, none in March
    autumn = df[df.hour_start.str.startswith("2024-10-27T02:00")]
    assert set(autumn.hour_start) == {"2024-10-27T02:00:00+02:00", "2024-10-27T02:00:00+01:00"}
    assert df.hour_start.str.startswith("2024-03-31T01:00:00+01:00").any()
    assert df.hour_start.str.startswith("2024-03-31T03:00:00+02:00").any()
    assert not df.hour_start.str.startswith("2024-03-31T02:").any()


def test_end_to_end_bad_key_exits_2(sample_copy):
    r = _run("stats", str(sample_copy), "--by", "street")
    assert r.returncode == 2
    assert "okänd grupperingsnyckel" in r.stderr and "Traceback" not in r.stderr
