"""Implausible values are rejected rows with their reason: dates out of range, 24:00, 0 km/h."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import bare_data_dir
from trafikplan.io.importing.importer import import_data
from trafikplan.io.loading import load

GENERIC = """site_id,time,direction,speed,length
K01,2024-04-15T07:00:03+02:00,1,43.2,4.6
K01,0224-04-15T07:00:04+02:00,1,43.2,4.6
K01,2204-04-15T07:00:05+02:00,1,43.2,4.6
K01,2024-04-15T24:00:00+02:00,1,43.2,4.6
K01,2024-04-15T23:59:60+02:00,1,43.2,4.6
K01,2024-04-15T07:00:06+02:00,1,0,4.6
K01,2024-04-15T07:00:07+02:00,1,-0,4.6
K01,2024-04-15T07:00:08+02:00,1,NaN,4.6
K01,2024-04-15T07:00:09+02:00,1,43.2,-4.6
K01,1970-01-01T00:00:00Z,1,43.2,4.6
K01,2024-04-15T07:00:10+02:00,1,44.0,4.2
"""

RADAR = """Mätplats-ID;K03
Datum;Tid;Riktning;Hastighet (km/h);Längd (m);Tidlucka (s);Klass
2024-04-15;07:00:03;1;43,2;4,6;;PB
0224-04-15;07:00:04;1;43,2;4,6;;PB
2204-04-15;07:00:05;1;43,2;4,6;;PB
2024-04-15;24:00:00;1;43,2;4,6;;PB
2024-04-15;23:59:60;1;43,2;4,6;;PB
2024-04-15;07:00:06;1;0,0;4,6;;PB
2024-04-15;07:00:07;1;43,2;-4,6;;PB
2024-04-15;07:00:08;1;44,0;4,2;;PB
"""

EXPECTED_GENERIC = {
    3: "time_unparsable",  # year 0224: not wrapped into 1977
    4: "time_out_of_range",
    5: "time_unparsable",
    6: "time_unparsable",
    7: "speed_impossible",
    8: "speed_impossible",
    9: "speed_unparsable",
    10: "value_impossible",
    11: "time_out_of_range",
}


def _folder(root: Path, name: str, text: str, encoding: str) -> Path:
    data = bare_data_dir(root / "data", "counters")
    (data / "counters" / name).write_bytes(text.encode(encoding))
    return data


def test_implausible_generic_rows_are_rejected_with_reasons(tmp_path: Path) -> None:
    data = _folder(tmp_path, "v.csv", GENERIC, "utf-8")
    import_data(data)
    tables = load(data, import_new=False)
    assert sorted(tables.vehicles["line"]) == [2, 12]
    got = dict(zip(tables.rejects["line"], tables.rejects["reason"], strict=True))
    assert got == EXPECTED_GENERIC
    years = tables.vehicles["time"].dt.year
    assert years.between(2024, 2024).all()


def test_implausible_radar_rows_are_rejected_with_reasons(tmp_path: Path) -> None:
    data = _folder(tmp_path, "radar.csv", RADAR, "cp1252")
    import_data(data)
    tables = load(data, import_new=False)
    assert sorted(tables.vehicles["line"]) == [3, 10]
    got = dict(zip(tables.rejects["line"], tables.rejects["reason"], strict=True))
    assert got == {4: "time_unparsable", 5: "time_out_of_range", 6: "time_unparsable",
                   7: "time_unparsable", 8: "speed_impossible", 9: "value_impossible"}


@pytest.mark.parametrize(("first", "last", "kept"), [(1990, 0, 2), (1960, 2200, 3)])
def test_the_year_window_is_a_setting(tmp_path: Path, first: int, last: int, kept: int) -> None:
    data = _folder(tmp_path, "v.csv", GENERIC, "utf-8")
    toml = data / "trafikplan.toml"
    text = toml.read_text(encoding="utf-8")
    extra = f"first_year = {first}\nlast_year = {last}\n"
    if "[import]" in text:
        text = text.replace("[import]\n", "[import]\n" + extra, 1)
    else:
        text += "\n[import]\n" + extra
    toml.write_text(text, encoding="utf-8")
    import_data(data)
    assert len(load(data, import_new=False).vehicles) == kept
