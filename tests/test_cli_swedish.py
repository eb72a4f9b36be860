"""Everything the command line prints for a person is Swedish when ``language = "sv"``.

Every command runs in a subprocess on a small data folder (and ``run`` on the
sample, shared with the other run tests); its output must contain none of a
fixed list of English code words (column names, category, kind, purpose and
status codes, reject reasons). ``language = "en"`` gives English words back.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import SAMPLE, make_small_data_dir
from test_run import SampleRun, run_cli, sample_run  # noqa: F401  (shared session fixture)

ENGLISH = (
    "site_id", "street", "weekday", "hour_of_day", "hour_start", "direction", "speed_limit",
    "mean_speed", "share_over_limit", "vehicles_per_hour", "n_days", "v85_lo", "basis",
    "vehicles", "bins", "speeding", "reckless", "reports", "measure_here", "uncertain", "tip",
    "stale", "before", "after", "field_count", "site_unknown", "time_unparsable",
    "speed_impossible", "new", "unchanged", "rows", "rejected", "profile", "True", "False",
    "checks_n", "n_after", "mean_diff", "share_diff", "from_hours", "OPTIMAL", "FEASIBLE",
    "score", "reason", "kind", "value", "counter", "install", "remove", "purpose", "team",
    "Store", "Nothing", "set aside", "more rows", "Done",
)
"""English code words and words of the old English summaries; none may appear in sv."""

ROSTER = """team,start,end,area
Ingripande Köping 1,2024-10-07T14:00:00+02:00,2024-10-07T22:00:00+02:00,Köping
Ingripande Köping 2,2024-10-11T18:00:00+02:00,2024-10-12T02:00:00+02:00,Köping
"""


def english_words(text: str) -> list[str]:
    """The words of :data:`ENGLISH` in ``text`` (whole words; ``generic_vehicles`` is a name)."""
    return [w for w in ENGLISH if re.search(rf"(?<![\w/.-]){re.escape(w)}(?![\w/.-])", text)]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = make_small_data_dir(tmp_path_factory.mktemp("sv") / "data")
    for name in ("counter_fleet.csv", "measures.csv"):
        shutil.copy(SAMPLE / name, target / name)
    shutil.copytree(SAMPLE / "checks_done", target / "checks_done")
    (target / "roster.csv").write_text(ROSTER, encoding="utf-8")
    return target


COMMANDS = (
    ("import",),
    ("import",),  # nothing new: another summary
    ("stats",),
    ("stats", "--by", "weekday,hour_of_day"),
    ("flags", "--all", "--top", "20"),
    ("evaluate",),
    ("halo",),
    ("plan", "checks", "--week", "2024-W41", "--time-limit", "1"),
    ("plan", "measurements", "--start", "2024-11-04", "--weeks", "2"),
)


def test_the_word_check_finds_english_and_passes_names() -> None:
    assert english_words("plats K01, kind: speeding") == ["speeding", "kind"]
    assert english_words("format generic_vehicles, out/checks/checks.csv, 1 222 867 fordon") == []


@pytest.mark.slow
def test_every_command_speaks_swedish(data_dir: Path, tmp_path: Path) -> None:
    outputs = []
    for args in COMMANDS:
        cmd, rest = args[: 2 if args[0] == "plan" else 1], args[2 if args[0] == "plan" else 1:]
        done = run_cli(*cmd, data_dir, *rest)
        assert done.returncode == 0, (args, done.stderr)
        outputs.append((args, done.stdout + done.stderr))
    for name, extra in (("stats.xlsx", ()), ("flags.csv", ("--csv-dialect", "excel"))):
        done = run_cli(name.split(".")[0], data_dir, "-o", tmp_path / name, *extra)
        assert done.returncode == 0, done.stderr
        outputs.append(((name,), done.stdout + done.stderr))
    done = run_cli("report", data_dir, "-o", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    outputs.append((("report",), done.stdout + done.stderr))
    for args, text in outputs:
        text = text.replace(str(data_dir), "DATA").replace(str(tmp_path), "OUT")
        assert english_words(text) == [], (args, text[-3000:])
    joined = "\n".join(t for _, t in outputs)
    for swedish in ("Inläsning av", "Lagrat:", "enskilt registrerade", "räknade i "
                    "hastighetsklasser", "Utsorterade rader", "Hastighetsstatistik per plats",
                    "veckodag", "Mätplan", "syfte", "efter", "Före/efter-utvärdering",
                    "fönster efter kontrollen", "rader -> OUT", "rapport -> OUT"):
        assert swedish in joined.replace(str(tmp_path), "OUT"), swedish


def test_run_speaks_swedish(sample_run: SampleRun) -> None:  # noqa: F811
    text = (sample_run.stdout + sample_run.stderr).replace(str(sample_run.out), "OUT")
    text = text.replace(str(sample_run.data), "DATA")
    assert english_words(text) == [], text[-3000:]
    assert "Klart på" in text


@pytest.mark.slow
def test_english_on_request(data_dir: Path, tmp_path: Path) -> None:
    english = tmp_path / "data"
    shutil.copytree(data_dir, english)
    toml = english / "trafikplan.toml"
    toml.write_text(re.sub(r'language\s*=\s*"sv"', 'language = "en"',
                           toml.read_text(encoding="utf-8")), encoding="utf-8")
    if 'language = "en"' not in toml.read_text(encoding="utf-8"):
        toml.write_text('language = "en"\n' + toml.read_text(encoding="utf-8"), encoding="utf-8")
    done = run_cli("import", english)
    assert done.returncode == 0, done.stderr
    assert "recorded one by one" in done.stdout and "Rows set aside" in done.stdout
    done = run_cli("plan", "measurements", english, "--start", "2024-11-04", "--weeks", "2")
    assert done.returncode == 0, done.stderr
    assert "purpose" in done.stdout and "after" in done.stdout


@pytest.mark.slow
def test_formats_and_error_paths_speak_swedish(data_dir: Path, tmp_path: Path) -> None:
    """``formats list``/``check``, a bad trafikplan.toml and a plan that cannot be made."""
    from conftest import TEST_DATA
    from test_cli_swedish_errors import words_left

    radar = TEST_DATA / "counters" / "se_radar_sample.csv"
    outputs = []
    for args in (("formats", "list", "-d", data_dir),
                 ("formats", "check", radar, "-d", data_dir, "--rows", "3")):
        done = run_cli(*args)
        assert done.returncode == 0, done.stderr
        outputs.append((args, done.stdout + done.stderr))
    assert "medföljer" in outputs[0][1] and "Profilerna provade på" in outputs[1][1]
    assert "rubrikrad på rad" in outputs[1][1] and "ja" in outputs[1][1]
    done = run_cli("plan", "checks", data_dir, "--week", "2024-W50", "--time-limit", "1")
    assert done.returncode == 2, done.stderr
    assert "inga pass i roster.csv" in done.stderr, done.stderr
    outputs.append((("plan", "checks", "2024-W50"), done.stderr))
    bad = tmp_path / "bad"
    bad.mkdir()
    shutil.copy(data_dir / "sites.csv", bad / "sites.csv")
    (bad / "trafikplan.toml").write_text(
        'municipality = "Köping"\ntimezone = "Europe/Stockholm"\n[checks]\nmin_minutes = 90\n'
        'max_minutes = 60\nseed = "noll"\n', encoding="utf-8")
    done = run_cli("stats", bad)
    assert done.returncode == 2, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "får inte vara större än" in done.stderr and "ska vara ett heltal" in done.stderr
    outputs.append((("stats", "bad trafikplan.toml"), done.stderr))
    for args, said in outputs:
        assert words_left(said, data_dir, bad, TEST_DATA) == [], (args, said[-3000:])
