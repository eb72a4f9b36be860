"""Errors and import warnings a person reads are Swedish with ``language = "sv"``.

Bad inputs (a counter file, sites.csv, an Embrace export, an ambiguous date in
measures.csv) stop the command line with one line on stderr; that line, and the
import summary's warnings, must hold none of the English code words of
``test_cli_swedish`` nor the English words errors are made of. Quoted text
('...') is the file's own data and is left out of the check. With
``language = "en"`` the same input gives the English line back.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import TEST_DATA, make_small_data_dir
from test_cli_swedish import english_words
from test_run import run_cli

ERROR_WORDS = ("expected", "hint", "column", "line", "lines", "missing", "found", "duplicate",
               "ambiguous", "file", "not", "warning", "counted", "read")
"""English words every error or warning line used to hold."""


def words_left(text: str, *paths: Path) -> list[str]:
    """English code and error words in ``text`` once paths and quoted data are taken out."""
    for path in paths:
        text = text.replace(str(path), "PATH")
    text = re.sub(r"'[^']*'", "''", text)
    text = re.sub(r"\[\w+\]", "[]", text)  # a settings section to type, as written
    found = english_words(text)
    found += [w for w in ERROR_WORDS if re.search(rf"(?<![\w/.-]){w}(?![\w/.-])", text)]
    return found


def _use_english(data: Path) -> None:
    toml = data / "trafikplan.toml"
    text = toml.read_text(encoding="utf-8")
    new = re.sub(r'language\s*=\s*"sv"', 'language = "en"', text)
    toml.write_text(new if new != text else 'language = "en"\n' + text, encoding="utf-8")


def _bad_counter(data: Path) -> tuple[str, ...]:
    shutil.copy(TEST_DATA / "counters" / "se_radar_truncated_last_line.csv", data / "counters")
    return ("import",)


def _bad_sites(data: Path) -> tuple[str, ...]:
    shutil.copy(TEST_DATA / "sites" / "duplicate_site_id.csv", data / "sites.csv")
    return ("import",)


def _bad_embrace(data: Path) -> tuple[str, ...]:
    shutil.copy(TEST_DATA / "reports" / "embrace_unterminated_quote.csv", data / "embrace")
    return ("import",)


def _ambiguous_date(data: Path) -> tuple[str, ...]:
    (data / "measures.csv").write_text(
        "measure_id,street,site_id,kind,built,description,comparison_site_id\n"
        "M1,Ringvägen,K03,upphöjd passage,03/07/2024,Passage,\n", encoding="utf-8")
    return ("evaluate",)


BAD = {"counter": (_bad_counter, "avkortad sista rad", "truncated last line"),
       "sites": (_bad_sites, "finns två gånger", "duplicate site_id"),
       "embrace": (_bad_embrace, "citattecknet avslutas aldrig", "unterminated quote"),
       "date": (_ambiguous_date, "tvetydigt datum", "ambiguous date")}


@pytest.mark.slow
@pytest.mark.parametrize("case", list(BAD))
def test_error_lines_are_swedish(tmp_path: Path, case: str) -> None:
    make, swedish, english_text = BAD[case]
    data = make_small_data_dir(tmp_path / "data")
    command = make(data)
    done = run_cli(*command, data)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert swedish in lines[0], lines[0]
    assert words_left(lines[0], data) == [], lines[0]
    _use_english(data)
    english = run_cli(*command, data)
    assert english.returncode == 2
    assert english_text in english.stderr, english.stderr


def test_the_check_finds_english_error_words(tmp_path: Path) -> None:
    line = f"{tmp_path}/x.csv:3: column 'site_id': expected every id once"
    assert words_left(line, tmp_path) == ["expected", "column"]
    assert words_left("sätt [bins] upper_inclusive = true") == []  # a setting to type


@pytest.mark.slow
def test_import_warnings_are_swedish(tmp_path: Path) -> None:
    from test_counter_shapes import HOURLY, data_dir

    text = "Datum,Tid,Riktning,0-30,31-50,50-70\n2024-04-15,07:00,1,1,2,3\n"
    root = data_dir(tmp_path, {"m1.csv": text}, {"hourly": HOURLY})
    outside = tmp_path / "outside.csv"
    outside.write_text("x\n", encoding="utf-8")
    (root / "counters" / "link.csv").symlink_to(outside)
    done = run_cli("import", root)
    assert done.returncode == 0, done.stderr
    said = done.stdout + done.stderr
    assert "lämnar ett glapp" in said and "symbolisk länk" in said, said
    assert words_left(said, root, tmp_path) == [], said


def test_every_error_and_warning_comes_from_the_dictionary() -> None:
    """An error or warning is a key of :data:`trafikplan.i18n.TEXT`, never an English literal.

    Every module but the planners' (``plan/``, converted on their own).
    """
    import ast

    from trafikplan.i18n import TEXT

    src = Path(__file__).resolve().parents[1] / "src" / "trafikplan"
    makers = {"InputError", "LimitError", "Phrase", "error", "_bad", "InfeasiblePlanError"}
    problems = []
    for path in sorted(p for p in src.rglob("*.py") if p.relative_to(src).parts[0] != "plan"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            first = node.args[1] if name == "_bad" and len(node.args) > 1 else node.args[0]
            if name not in makers:
                continue
            if isinstance(first, ast.JoinedStr):
                problems.append(f"{path.relative_to(src)}:{node.lineno}: an f-string")
            elif (isinstance(first, ast.Constant) and isinstance(first.value, str)
                  and first.value not in TEXT and "{" not in first.value[:1]):
                problems.append(f"{path.relative_to(src)}:{node.lineno}: {first.value[:40]!r}")
    assert problems == [], problems


@pytest.mark.parametrize(("args", "said"), [
    (["plan", "checks"], "alternativet '--week' saknas"),
    (["stats", str(TEST_DATA), "--by-hur"], "okänt alternativ '--by-hur'; menade du --by?"),
    (["statz"], "okänt kommando 'statz'; kommandona: evaluate, flags"),
    (["plan", "checks", str(TEST_DATA), "--week", "2024-W45", "--time-limit", "abc"],
     "ogiltigt värde för '--time-limit': väntade ett tal"),
])
def test_usage_errors_are_swedish(args: list[str], said: str,
                                  capfd: pytest.CaptureFixture[str]) -> None:
    """click's own usage errors (English) reach a person worded from the dictionary."""
    from trafikplan.cli import main

    assert main(args) == 2
    err = capfd.readouterr().err.strip()
    assert err == f"trafikplan: {said}" + err.split(said, 1)[1], err
    assert "(se trafikplan --help)" in err and "\n" not in err
    assert words_left(err) == [], err
