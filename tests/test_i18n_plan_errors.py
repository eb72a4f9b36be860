"""The planners' errors and notes come from the dictionary, in both languages.

Every ``InputError``/``InfeasiblePlanError`` raised in ``trafikplan.plan`` names a key
of :data:`trafikplan.i18n.plan_errors.PLAN_ERRORS` (merged into the one dictionary);
the command line words it in the data folder's language.
"""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from conftest import make_small_data_dir
from test_cli_swedish_errors import _use_english, words_left
from test_run import run_cli
from trafikplan._errors import InfeasiblePlanError, InputError
from trafikplan.i18n import TEXT
from trafikplan.i18n.plan_errors import PLAN_ERRORS

PLAN = Path(__file__).resolve().parents[1] / "src" / "trafikplan" / "plan"


def _fields(words: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(words) if f}


def test_every_plan_text_has_both_languages_with_the_same_values() -> None:
    for key, pair in PLAN_ERRORS.items():
        assert isinstance(pair, tuple) and len(pair) == 2, key
        sv, en = pair
        assert sv.strip() and en.strip() and sv != en, key
        assert _fields(sv) == _fields(en), key
        assert TEXT[key] == pair, key  # merged into the one dictionary


def test_every_plan_error_comes_from_the_dictionary() -> None:
    """No English literal or f-string is raised in ``trafikplan.plan``: a key of PLAN_ERRORS."""
    problems = []
    for path in sorted(PLAN.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name not in ("InputError", "InfeasiblePlanError") or not node.args:
                continue
            first = node.args[0]
            where = f"{path.relative_to(PLAN)}:{node.lineno}"
            if not (isinstance(first, ast.Constant) and first.value in PLAN_ERRORS):
                problems.append(f"{where}: {ast.unparse(first)[:50]}")
    assert problems == [], problems


def test_a_plan_error_is_worded_in_either_language() -> None:
    err = InfeasiblePlanError("plan_err_no_shifts_in_week", week="2024-W45")
    assert err.one_line("sv") == "inga pass i roster.csv under 2024-W45"
    assert str(err) == "no roster shifts in 2024-W45"
    nested = InfeasiblePlanError("plan_err_even_relaxed", error=InfeasiblePlanError(
        "plan_err_contradict").phrase, rules="focus_min_per_week")
    assert nested.one_line("sv") == ("kontrollreglerna motsäger varandra: ingen plan finns "
                                     "(även med focus_min_per_week släppta)")
    edit = InputError("plan_err_edits_end_before_start", path="plan_edits.toml",
                      where="[[lock]] #1")
    assert edit.one_line("sv") == "plan_edits.toml: [[lock]] #1: slutet ligger inte efter starten"


@pytest.mark.slow
def test_the_swedish_plan_error_reaches_the_command_line(tmp_path: Path) -> None:
    data = make_small_data_dir(tmp_path / "data")
    (data / "roster.csv").write_text(
        "team,start,end\nPatrull 1,2024-03-04T08:00:00+01:00,2024-03-04T16:00:00+01:00\n",
        encoding="utf-8")
    done = run_cli("plan", "checks", data, "--week", "2024-W45")
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "inga pass i roster.csv under 2024-W45" in lines[0], lines[0]
    assert words_left(lines[0], data) == [], lines[0]
    _use_english(data)
    english = run_cli("plan", "checks", data, "--week", "2024-W45")
    assert english.returncode == 2
    assert "no roster shifts in 2024-W45" in english.stderr, english.stderr
