"""``trafikplan plan measurements`` end to end, in a subprocess on a copy of the sample."""

import csv
import datetime as dt
import os
import stat
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from conftest import SAMPLE, copy_lean_sample
from measurement_checker import PURPOSES

EXE = Path(sys.executable).with_name("trafikplan")


def run(*args, cwd=None):
    return subprocess.run([str(EXE), *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=300, env={**os.environ, "COLUMNS": "160"})


@pytest.mark.slow
@pytest.mark.skipif(not (SAMPLE / "counter_fleet.csv").exists(), reason="sample not generated")
def test_plan_measurements_writes_private_csv_calendar_and_html(tmp_path):
    data = copy_lean_sample(tmp_path / "measurements")
    out = tmp_path / "plan"
    res = run("plan", "measurements", data, "--start", "2024-11-04", "--weeks", "6", "-o", out)
    assert res.returncode == 0, res.stderr
    assert "Mätplan" in res.stdout and "girig metod" in res.stdout
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    for name in ("measurements.csv", "measurements.ics", "measurements.html"):
        assert stat.S_IMODE((out / name).stat().st_mode) == 0o600, name
    with (out / "measurements.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0])[:7] == ["counter", "site_id", "street", "install", "remove", "purpose",
                                 "reason"]
    assert {r["purpose"] for r in rows} <= PURPOSES
    assert {"tip", "before"} <= {r["purpose"] for r in rows}
    last = dt.date(2024, 11, 4) + dt.timedelta(days=41)
    for r in rows:
        a, b = dt.date.fromisoformat(r["install"]), dt.date.fromisoformat(r["remove"])
        assert dt.date(2024, 11, 4) <= a and b <= last and (b - a).days >= 7
        assert a.isoweekday() <= 5 and b.isoweekday() <= 5
        assert r["reason"].startswith("Prioritet")
    per_day = pd.Series([r["install"] for r in rows] + [r["remove"] for r in rows])
    assert per_day.value_counts().max() <= 2

    from icalendar import Calendar

    cal = Calendar.from_ical((out / "measurements.ics").read_bytes())
    events = [c for c in cal.walk("VEVENT")]
    assert len(events) == 2 * len(rows)
    assert len({str(e["uid"]) for e in events}) == len(events)
    html = (out / "measurements.html").read_text(encoding="utf-8")
    assert "<script" not in html and "Mätplan 2024-11-04" in html


@pytest.mark.slow
def test_usage_and_input_errors_exit_2(tmp_path):
    res = run("plan", "measurements", tmp_path)  # --start missing
    assert res.returncode == 2 and "--start" in res.stderr
    (tmp_path / "trafikplan.toml").write_text('municipality = "Köping"\ntimezone = '
                                              '"Europe/Stockholm"\n', encoding="utf-8")
    res = run("plan", "measurements", tmp_path, "--start", "2024-11-04")
    assert res.returncode == 2
    assert "counter_fleet.csv" in res.stderr and "Traceback" not in res.stderr
    (tmp_path / "counter_fleet.csv").write_text("counter,kind\nR1,laser\n", encoding="utf-8")
    res = run("plan", "measurements", tmp_path, "--start", "2024-11-04")
    assert res.returncode == 2
    assert "counter_fleet.csv:2: kolumn 'kind'" in res.stderr
    res = run("plan", "measurements", tmp_path, "--start", "4 nov")
    assert res.returncode == 2
