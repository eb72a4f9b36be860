"""Hostile input at the edges: identifiers, paths, control characters, markup, formulas.

Each case is run as a user would (the CLI in a subprocess on a small data
folder) and ends either with exit 2, one line on stderr and the data folder
unchanged, or with the hostile text safely escaped or neutralised in every
output. The corpus is this file's own.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from trafikplan.io.files.safe_text import finalize, printable, safe_slug, strip_control
from trafikplan.io.store.store import Store
from trafikplan.report.calendar import calendar_bytes
from trafikplan.report.export import write_table

CLI = [sys.executable, "-m", "trafikplan"]
TOML = 'municipality = "Köping"\ntimezone = "Europe/Stockholm"\n'
SITES_HEADER = "site_id,street,lat,lon,speed_limit,check_spot\n"
LONG_ID = "K" * 120


def _cli(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run([*CLI, *map(str, args)], capture_output=True, text=True, timeout=300,
                          env=env, cwd=cwd)


def _snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _vehicles(site_ids: list[str], n: int = 40) -> str:
    lines = ["site_id,time,direction,speed"]
    for s in site_ids:
        quoted = '"' + s.replace('"', '""') + '"'
        for i in range(n):
            lines.append(f"{quoted},2024-04-15T{7 + i % 10:02d}:{i:02d}:00+02:00,1,{40 + i % 20}")
    return "\n".join(lines) + "\n"


def _folder(tmp_path: Path, sites: str, vehicles: str | None = None) -> Path:
    data = tmp_path / "data"
    (data / "counters").mkdir(parents=True)
    (data / "trafikplan.toml").write_text(TOML, encoding="utf-8")
    (data / "sites.csv").write_text(SITES_HEADER + sites, encoding="utf-8")
    if vehicles is not None:
        (data / "counters" / "vehicles.csv").write_text(vehicles, encoding="utf-8")
    return data


def _refused(data: Path, *words: str, command: str = "import") -> str:
    """Run ``command`` on ``data``: exit 2, one stderr line naming ``words``, folder as it was."""
    before = _snapshot(data)
    result = _cli(command, data)
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    assert "\x1b" not in result.stderr and "\x00" not in result.stderr
    assert _snapshot(data) == before
    return lines[0]


# -- identifiers --------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize(("sites", "words"), [
    ("K01,Ringvägen,59.51,15.98,50,true\nk01,Ringvägen,59.52,15.99,50,true\n",
     ["'k01'", "'K01'", "stora/små bokstäver", "rad 2"]),
    ("K01,Ringvägen,59.51,15.98,50,true\nK01\u200b,Ringvägen,59.52,15.99,50,true\n",
     ["plats-id 'K01' finns två gånger"]),
    ("K01,Ringvägen,59.51,15.98,50,true\n\"K0\x1b[31m2\",Ringvägen,59.52,15.99,50,true\n",
     ["U+001B", "\\x1b"]),
    ("\"K0\n1\",Ringvägen,59.51,15.98,50,true\n", ["U+000A"]),
    ("K01,Ringvägen,0,0,50,true\n", ["0, 0 är ingen plats"]),
    ("K01,Ringvägen,15.98,59.51,50,true\n", ["bytt plats"]),
    ("K01,Ringvägen,2.05,45.32,50,true\n", ["utanför Sverige"]),
    ("K01,Ringvägen,59.51,105.98,50,true\n", ["utanför Sverige"]),
    ("K01,Ringvägen,59.51,15.98,50,true\nK02,Ringvägen,59.52,15.99,50,true\n"
     "K03,Ringvägen,67.85,20.22,50,true\n", ["mer än 200 km", "sites.csv:4"]),
])
def test_bad_identifiers_and_coordinates_refused(tmp_path: Path, sites: str,
                                                 words: list[str]) -> None:
    data = _folder(tmp_path, sites, _vehicles(["K01"]))
    _refused(data, "sites.csv", *words)


def test_team_names_with_line_breaks_or_case_lookalikes_refused(tmp_path: Path) -> None:
    from trafikplan._errors import InputError
    from trafikplan.io.user_tables.roster import read_roster

    for body, word in (
        ('"Ingripande\nKöping",2024-11-04T07:00+01:00,2024-11-04T15:00+01:00\n', "U+000A"),
        ("Trafik 1,2024-11-04T07:00+01:00,2024-11-04T15:00+01:00\n"
         "trafik 1,2024-11-05T07:00+01:00,2024-11-05T15:00+01:00\n", "differ only in case"),
    ):
        path = tmp_path / "roster.csv"
        path.write_text("team,start,end\n" + body, encoding="utf-8")
        with pytest.raises(InputError, match=re.escape(word)):
            read_roster(path, tz="Europe/Stockholm")
    path.write_text("team,start,end\nTrafik\u200b 1,2024-11-04T07:00+01:00,2024-11-04T15:00+01:00"
                    "\nTrafik 1,2024-11-05T07:00+01:00,2024-11-05T15:00+01:00\n", encoding="utf-8")
    assert read_roster(path, tz="Europe/Stockholm")["team"].unique().tolist() == ["Trafik 1"]


@pytest.mark.slow
def test_path_hostile_site_ids_stay_inside_the_store(tmp_path: Path) -> None:
    ids = ["..", LONG_ID, "../../etc", "[/bold]K9", "Kö/pi\\ng"]
    sites = "".join(f'"{s}",Ringvägen,59.5{i},15.98,50,true\n' for i, s in enumerate(ids))
    data = _folder(tmp_path, sites, _vehicles(ids))
    result = _cli("import", data)
    assert result.returncode == 0, result.stderr
    store = (data / ".trafikplan").resolve()
    outside = [p for p in tmp_path.rglob("*") if p.is_file()
               and not p.resolve().is_relative_to(store) and p.parent.name != "counters"
               and p.name not in ("trafikplan.toml", "sites.csv")]
    assert not outside, outside
    assert all(len(p.name) <= 60 for p in store.rglob("*")), [p.name for p in store.rglob("*")]
    stats = _cli("stats", data, "--by", "site_id")
    assert stats.returncode == 0, stats.stderr
    assert "[/bold]K9" in stats.stdout  # rich markup in data is printed as written
    assert ".." in stats.stdout
    assert _cli("stats", data, "--by", "site_id", "-o", tmp_path / "s.csv").returncode == 0
    written = pd.read_csv(tmp_path / "s.csv")
    assert sorted(written["site_id"]) == sorted(ids)
    assert (written["n"] == 40).all()


def test_store_part_folders_are_slugs() -> None:
    store = Store(Path("/data"))
    base = store.part_dir("vehicles")
    names = {s: store.part_dir("vehicles", s, "2024-04") for s in ("..", LONG_ID, "K01", "k01")}
    for site, path in names.items():
        assert path.parent.parent == base and path.name == "2024-04", site
        assert len(path.parent.name) <= 49 and path.parent.name not in (".", "..")
    assert len(set(names.values())) == 4


def test_safe_slug() -> None:
    assert safe_slug("Köping 1") != safe_slug("Koping 1")
    assert safe_slug("Köping 1").startswith("koping-1-")
    assert safe_slug("..") == hashlib.sha256(b"..").hexdigest()[:8]
    assert len(safe_slug(LONG_ID)) == 49
    assert all(c.isalnum() or c == "-" for c in safe_slug("a/b\\c\x00d <e>"))


@pytest.mark.slow
def test_teams_with_the_same_ascii_name_get_their_own_calendars(tmp_path: Path) -> None:
    from icalendar import Calendar

    from test_plan_checks import synthetic_week
    from trafikplan.plan.checks import plan_checks
    from trafikplan.report.plan_html import write_check_plan

    flags, sites, roster, settings = synthetic_week(seed=5)
    teams = sorted(roster["team"].unique())
    assert len(teams) >= 2
    roster = roster.assign(team=roster["team"].map({teams[0]: "Köping 1", teams[1]: "Koping 1"})
                           .fillna(roster["team"]))
    plan = plan_checks(flags, sites, roster, settings, "2024-W41")
    written = write_check_plan(plan, tmp_path / "out", settings)
    calendars = [p for p in written if p.suffix == ".ics"]
    events = 0
    uids = set()
    for path in calendars:
        for ev in Calendar.from_ical(path.read_bytes()).walk("VEVENT"):
            events += 1
            uids.add(str(ev["uid"]))
    assert len(calendars) == plan.checks["team"].nunique()
    assert events == len(plan.checks) == len(uids)  # no check lost, no UID shared


# -- control characters before every writer ---------------------------------------------------
HOSTILE_TEXT = [
    "Ringvägen\x00 efter 8 KB", "Skogs\x1b[2Jleden", "Ring\x07vägen\x0b\x0c", "Gata\u202e01",
    "Skogsleden;=1+1;", "Skogsleden,=1+1,", "=HYPERLINK(\"http://x\")", "-2+3", "@SUM(A1)",
    "[/bold] Nygatan", "$\\frac{1}{0}$ gatan", "a;b,c\"d",
]


def test_csv_is_safe_for_comma_and_semicolon_readers(tmp_path: Path) -> None:
    df = pd.DataFrame({"street": HOSTILE_TEXT, "n": range(len(HOSTILE_TEXT))})
    path = write_table(df, tmp_path / "t.csv")
    raw = path.read_text(encoding="utf-8")
    assert not any(ch in raw for ch in "\x00\x1b\x07\x0b\x0c\u202e")
    for delimiter in (",", ";"):  # English Excel splits on ',', Swedish Excel on ';'
        for row in csv.reader(io.StringIO(raw), delimiter=delimiter):
            risky = [v for v in row if v.startswith(("=", "+", "-", "@", "\t", "\r"))]
            assert not risky, (delimiter, row)
    back = pd.read_csv(path)
    assert len(back) == len(HOSTILE_TEXT)
    assert back["street"].iloc[4] == "Skogsleden;=1+1;"
    assert back["street"].iloc[6].startswith("'=")


def test_xlsx_ics_html_and_figures_take_hostile_text(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from trafikplan.report import svg as figures_svg

    df = pd.DataFrame({"street": HOSTILE_TEXT})
    write_table(df, tmp_path / "t.xlsx")
    cells = [c.value for c in load_workbook(tmp_path / "t.xlsx").worksheets[0]["A"][1:]]
    assert cells[0] == "Ringvägen efter 8 KB" and cells[2] == "Ringvägen"
    events = pd.DataFrame({
        "uid": [f"u{i}@x" for i in range(len(HOSTILE_TEXT))],
        "start": pd.Timestamp("2024-04-15T07:00Z"), "end": pd.Timestamp("2024-04-15T08:00Z"),
        "summary": HOSTILE_TEXT, "description": HOSTILE_TEXT, "location": HOSTILE_TEXT,
    })
    ics = calendar_bytes(events, name="Team\nEND:VCALENDAR\x00", tz="Europe/Stockholm",
                         stamp=datetime(2024, 4, 15, tzinfo=UTC))
    assert b"\x00" not in ics and b"\x1b" not in ics
    assert ics.split(b"\r\n").count(b"END:VCALENDAR") == 1
    assert finalize("a\x00b") == "ab"
    fig, ax = figures_svg.new_figure(3, 2)  # a street with TeX is drawn as text, never parsed
    ax.set_title("$\\frac{1}{0}$ Ringvägen $x^$")
    ax.set_xlabel("[/bold] $")
    svg = figures_svg.to_svg(fig, "hostile")
    assert "<svg" in svg and "frac" in svg


@pytest.mark.slow
def test_report_with_hostile_streets_and_texts_is_written_clean(tmp_path: Path) -> None:
    streets = ["Ringvägen $\\frac{1}{0}$", "Skogsleden [/bold]", "Glasgatan $x^$"]
    sites = "".join(f'K0{i},"{s}",59.5{i},15.98,50,true\n' for i, s in enumerate(streets))
    data = _folder(tmp_path, sites, _vehicles([f"K0{i}" for i in range(3)], n=60))
    (data / "trafikplan.toml").write_text(TOML + "[reports]\nkeep_text = true\n",
                                          encoding="utf-8")
    (data / "embrace").mkdir()
    filler = "lugn gata " * 900  # the NUL comes after the first 8 KB
    (data / "embrace" / "tips.csv").write_text(
        "report_id,time,category,street,lat,lon,text\n"
        f'E-1,2024-04-15T22:40:00+02:00,Fortkörning,"{streets[0]}",,,"{filler} slut\x00 \x1b[2J"\n'
        f'E-2,2024-04-15T23:40:00+02:00,Buskörning,"{streets[1]}",,,"[/bold] $x^$ \u202egnir"\n',
        encoding="utf-8")
    result = _cli("report", data, "-o", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "\x00" not in page and "\x1b" not in page and "\u202e" not in page
    assert "slut" in page and "$\\frac{1}{0}$" in page and "[/bold]" in page
    assert "\x1b" not in result.stdout + result.stderr


# -- the terminal --------------------------------------------------------------------------
@pytest.mark.slow
def test_file_names_and_values_are_escaped_in_the_terminal(tmp_path: Path) -> None:
    data = _folder(tmp_path, "K01,Ringvägen,59.51,15.98,50,true\n")
    hostile = "K01_\x1b]0;pwned\x07\x1b[2J.csv"
    (data / "counters" / hostile).write_text(_vehicles(["K01"]), encoding="utf-8")
    result = _cli("import", data)
    assert result.returncode == 0, result.stderr
    out = result.stdout + result.stderr
    assert "\x1b" not in out and "\x07" not in out
    assert "K01_\\x1b]0;pwned\\x07\\x1b[2J.csv" in out.replace("\n", "")
    assert printable("a\x1bb\u202ec\nd") == "a\\x1bb\\u202ec\\x0ad"
    assert strip_control("a\x00b\r\nc\u200b") == "ab\nc"


# -- symbolic links out of the data folder ---------------------------------------------------------
@pytest.mark.slow
def test_symlink_out_of_the_data_folder_is_not_followed(tmp_path: Path) -> None:
    data = _folder(tmp_path, "K01,Ringvägen,59.51,15.98,50,true\n", _vehicles(["K01"]))
    secret = tmp_path / "elsewhere" / "other.csv"
    secret.parent.mkdir()
    secret.write_text(_vehicles(["K01"], n=7), encoding="utf-8")
    (data / "counters" / "link.csv").symlink_to(secret)
    (data / "counters" / "inside.csv").symlink_to(data / "counters" / "vehicles.csv")
    result = _cli("import", data)
    assert result.returncode == 0, result.stderr
    assert ("counters/link.csv: en symbolisk länk som leder ut ur datamappen, lästes inte"
            in result.stderr)
    from trafikplan.io.importing.importer import import_data

    files = import_data(data).files
    assert "counters/link.csv" not in set(files["file"])
    assert "counters/inside.csv" in set(files["file"])
