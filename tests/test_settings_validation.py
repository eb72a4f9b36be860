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
    data = _folder(tmp_path, 'language = "en"\n[checks]\nseed = "zero"\nstep_minutes = 0\n'
                   'language = 1\n')
    assert main(["stats", str(data)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "[checks] seed must be int, got 'zero'" in err[0]
    assert "[checks] step_minutes = 0 is outside the allowed range (from 1 to 1440)" in err[0]
    assert "unknown setting [checks] 'language'" in err[0]


def test_a_bad_settings_file_is_one_swedish_line(tmp_path: Path, capsys) -> None:
    """File, key and what was expected, in Swedish (the folder sets no language), exit 2."""
    from test_cli_swedish_errors import words_left

    data = _folder(tmp_path, '[checks]\nseed = "zero"\nstep_minutes = 0\nlanguge = "sv"\n'
                   "[flags]\nnight_hours = [22, 25]\nmin_vehicles = 1.5\n")
    assert main(["stats", str(data)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    line = err[0]
    assert str(data / "trafikplan.toml") in line
    for fragment in ("5 fel: ", "[checks] seed ska vara ett heltal, fick 'zero'",
                     "[checks] step_minutes = 0 ligger utanför det tillåtna intervallet "
                     "(från 1 till 1440)", "okänd inställning [checks] 'languge'; kända: ",
                     "[flags] night_hours innehåller [25]: dygnets timmar är 0 till 23",
                     "[flags] min_vehicles ska vara ett heltal, fick 1.5"):
        assert fragment in line, fragment
    assert words_left(line.split("kända: ")[0], data) == [], line


def test_a_valid_language_words_the_other_problems(tmp_path: Path) -> None:
    """The language is taken from the raw file when it is valid, even if other keys are not."""
    from trafikplan.settings import folder_language

    data = _folder(tmp_path, 'language = "en"\n[checks]\nmin_minutes = 0\n')
    assert folder_language(data) == "en"
    with pytest.raises(InputError) as err:
        load_settings(data)
    assert "[checks] min_minutes = 0 is outside the allowed range (>= 1)" in err.value.one_line(
        folder_language(data))
    (data / "trafikplan.toml").write_text('language = "fi"\nmunicipality = "K"\n',
                                          encoding="utf-8")
    assert folder_language(data) == "sv"
    with pytest.raises(InputError) as err:
        load_settings(data)
    said = err.value.one_line("sv")
    assert "den obligatoriska inställningen 'timezone' saknas" in said
    assert "language ska vara 'sv' eller 'en', fick 'fi'" in said


def test_broken_toml_names_its_line(tmp_path: Path) -> None:
    data = _folder(tmp_path, '[checks]\nseed = \n')
    with pytest.raises(InputError) as err:
        load_settings(data)
    assert err.value.line == 4
    assert "inte giltig TOML vid tecken 8" in err.value.one_line("sv")
    assert "not valid TOML (Invalid value, at column 8)" in err.value.one_line("en")


def test_every_range_names_a_real_setting_and_admits_its_default() -> None:
    defaults = Settings(municipality="x")
    for section, keys in RANGES.items():
        values = getattr(defaults, "import_" if section == "import" else section)
        for key, (lo, hi, open_lo) in keys.items():
            v = getattr(values, key)
            assert lo is None or v > lo or (v == lo and not open_lo), (section, key)
            assert hi is None or v <= hi, (section, key)
