"""The same vehicles or completed checks in two differently named files are counted once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import TEST_DATA, bare_data_dir
from trafikplan._errors import InputError
from trafikplan.cli import main
from trafikplan.io.importing.importer import import_data
from trafikplan.io.loading import load

HEADER = "site_id,time,direction,speed,length\n"


def _rows(day: int, n: int, first: int = 0) -> str:
    return "".join(f"K01,2024-04-{day:02d}T07:{i // 60:02d}:{i % 60:02d}+02:00,{1 + i % 2},"
                   f"{40 + i % 17:.1f},4.{i % 9}\n" for i in range(first, first + n))


def _folder(root: Path) -> Path:
    return bare_data_dir(root / "data", "counters", "checks_done")


def test_the_same_period_exported_twice_is_counted_once(tmp_path: Path, capsys) -> None:
    data = _folder(tmp_path)
    body = _rows(15, 600) + _rows(16, 600)
    (data / "counters" / "K01_week16.csv").write_text(HEADER + body, encoding="utf-8")
    # the same vehicles, saved again with Windows line ends and a later day added
    again = (HEADER + body + _rows(17, 300)).replace("\n", "\r\n")
    (data / "counters" / "K01_export_2.csv").write_text(again, encoding="utf-8", newline="")
    assert main(["import", str(data)]) == 0
    out = capsys.readouterr().out
    assert "1 200 fordon i counters/K01_week16.csv finns redan i counters/K01_export_2.csv" \
        in " ".join(out.split())
    vehicles = load(data, import_new=False).vehicles
    assert len(vehicles) == 1500  # 1 200 once, and the 300 of the 17th
    assert not vehicles.duplicated(["site_id", "time", "direction", "speed"]).any()
    # a second import keeps it so, and says it again
    assert main(["import", str(data)]) == 0
    assert "räknas en gång" in capsys.readouterr().out
    assert len(load(data, import_new=False).vehicles) == 1500


def test_overlapping_files_with_other_vehicles_are_still_refused(tmp_path: Path) -> None:
    data = _folder(tmp_path)
    (data / "counters" / "a.csv").write_text(HEADER + _rows(15, 600), encoding="utf-8")
    other = _rows(15, 600).replace(",4.1\n", ",4.2\n").replace("40.0,", "41.0,")
    (data / "counters" / "b.csv").write_text(HEADER + other, encoding="utf-8")
    with pytest.raises(InputError, match="overlapping counter files"):
        import_data(data)


def test_the_same_completed_checks_in_two_files_are_counted_once(tmp_path: Path,
                                                                  capsys) -> None:
    data = _folder(tmp_path)
    basic = TEST_DATA / "checks_done" / "checks_basic.csv"
    shutil.copy(basic, data / "checks_done" / "2024_h2.csv")
    lines = basic.read_text(encoding="utf-8").splitlines(keepends=True)
    extra = ("Ingripande Köping 1,2024-11-06T20:00:00+01:00,2024-11-06T21:30:00+01:00,P01,,"
             "50,2,,,,\n")
    (data / "checks_done" / "sent_again.csv").write_text(
        "".join(lines[:3]) + extra, encoding="utf-8")
    assert main(["import", str(data)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "2 genomförda kontroller i checks_done/sent_again.csv finns redan i " \
        "checks_done/2024_h2.csv" in out
    once = _folder(tmp_path / "once")
    shutil.copy(basic, once / "checks_done" / "2024_h2.csv")
    import_data(once)
    alone = len(load(once, import_new=False).checks_done)
    assert len(load(data, import_new=False).checks_done) == alone + 1
