"""Settings are checked for ranges and rules between keys; all problems are reported at once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import SAMPLE
from trafikplan._errors import InputError
from trafikplan.cli import main
from trafikplan.settings import RANGES, Settings, load_settings


def _folder(tmp_path: Path, extra: str) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(SAMPLE / "sites.csv", data / "sites.csv")
    (data / "trafikplan.toml").write_text(
        'municipality = "Köping"\ntimezone = "Europe/Stockholm"\n' + extra, encoding="utf-8")
    return data


def test_the_sample_settings_and_the_defaults_are_valid(tmp_path: Path) -> None:
    load_settings(SAMPLE)
    load_settings(_folder(tmp_path, ""))


def test_every_problem_is_reported_at_once_naming_key_and_range(tmp_path: Path) -> None:
    data = _folder(tmp_path, (
        "[checks]\ntravel_kmh = 0\nmin_minutes = 150\nmax_minutes = 90\n"
        "[flags]\nnight_hours = [22, 23, 25]\nshare_over_limit_min = 1.5\n"
        "[measurements]\nmin_days = 20\nmax_days = 14\ntypo_key = 1\n"
        "[import]\nfirst_year = 2030\nlast_year = 2020\n"
    ))
    with pytest.raises(InputError) as err:
        load_settings(data)
    message = err.value.message
    assert message.startswith("7 problems: ")
    for fragment in (
        "[checks] travel_kmh = 0.0 is outside the allowed range (> 0)",
        "[checks] min_minutes = 150 must not exceed max_minutes = 90",
        "[flags] night_hours holds [25]: hours of the day are 0 to 23",
        "[flags] share_over_limit_min = 1.5 is outside the allowed range (from 0 to 1)",
        "[measurements] min_days = 20 must not exceed max_days = 14",
        "unknown setting [measurements] 'typo_key'",
        "[import] first_year = 2030 must not be after last_year = 2020",
    ):
        assert fragment in message, fragment
    assert "\n" not in str(err.value)


def test_types_and_ranges_are_reported_together(tmp_path: Path, capsys) -> None:
    data = _folder(tmp_path, '[checks]\nseed = "zero"\nstep_minutes = 0\nlanguage = 1\n')
    assert main(["stats", str(data)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "[checks] seed must be int, got 'zero'" in err[0]
    assert "[checks] step_minutes = 0 is outside the allowed range (from 1 to 1440)" in err[0]
    assert "unknown setting [checks] 'language'" in err[0]


def test_every_range_names_a_real_setting_and_admits_its_default() -> None:
    defaults = Settings(municipality="x")
    for section, keys in RANGES.items():
        values = getattr(defaults, "import_" if section == "import" else section)
        for key, (lo, hi, open_lo) in keys.items():
            v = getattr(values, key)
            assert lo is None or v > lo or (v == lo and not open_lo), (section, key)
            assert hi is None or v <= hi, (section, key)
