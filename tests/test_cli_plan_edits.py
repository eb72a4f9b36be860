"""``trafikplan plan checks --edits`` and ``--replan --now`` through the real command line,
on a copy of the imported sample; every plan re-checked by the independent checker."""

from __future__ import annotations

import dataclasses
import shutil

import pandas as pd
import pytest

from plan_checker import check_plan
from trafikplan.cli import main

WEEK = "2024-W45"
TZ = "Europe/Stockholm"

pytestmark = pytest.mark.slow


@pytest.fixture
def data_dir(imported_lean_sample, tmp_path):
    """A private copy of the imported lean sample (the session's copy stays read-only)."""
    target = tmp_path / "measurements"
    shutil.copytree(imported_lean_sample, target)
    return target


def plan(data_dir, out, *extra: str) -> pd.DataFrame:
    code = main(["plan", "checks", str(data_dir), "--week", WEEK, "-o", str(out),
                 "--time-limit", "1", *extra])
    assert code == 0
    df = pd.read_csv(out / "checks.csv")
    for c in ("start", "end"):
        df[c] = pd.to_datetime(df[c], utc=True)
    return df


def checker_ok(data_dir, checks: pd.DataFrame) -> None:
    """Every rule holds (the area shares and the focus minimum are not under test here)."""
    import trafikplan
    from trafikplan.flags import flags_of
    from trafikplan.io.user_tables.roster import read_roster

    tables = trafikplan.load(data_dir, import_new=False)
    settings = tables.settings
    loose = dataclasses.replace(settings, checks=dataclasses.replace(
        settings.checks, area_share_slack=1.0))
    rep = check_plan(checks, flags=flags_of(tables), sites=tables.sites,
                     roster=read_roster(data_dir / "roster.csv", tz=TZ), settings=loose,
                     week=WEEK, focus_target=0)
    assert rep.ok, rep.violations


def _toml_time(t: pd.Timestamp) -> str:
    return t.tz_convert(TZ).isoformat()


def test_edits_lock_stays_away_team_gets_nothing_forbidden_site_unused(data_dir, tmp_path):
    first = plan(data_dir, tmp_path / "a")
    lock = first.iloc[0]
    others = first[(first["site_id"] != lock["site_id"]) & (first["team"] != lock["team"])]
    assert len(others) >= 2
    gone = others.iloc[0]["site_id"]
    away = others[others["site_id"] != gone].iloc[0]
    away_from = away["start"].tz_convert(TZ).normalize()
    away_to = away_from + pd.Timedelta(days=1)
    edits = tmp_path / "edits.toml"
    edits.write_text(
        f'[[lock]]\nteam = "{lock["team"]}"\nsite_id = "{lock["site_id"]}"\n'
        f'start = {_toml_time(lock["start"])}\nend = {_toml_time(lock["end"])}\n\n'
        f'[[forbid]]\nsite_id = "{gone}"\n\n'
        f'[[away]]\nteam = "{away["team"]}"\nstart = {_toml_time(away_from)}\n'
        f'end = {_toml_time(away_to)}\n', encoding="utf-8")
    again = plan(data_dir, tmp_path / "b", "--edits", str(edits), "--seed", "11")
    kept = again[(again["team"] == lock["team"]) & (again["site_id"] == lock["site_id"])
                 & (again["start"] == lock["start"]) & (again["end"] == lock["end"])]
    assert len(kept) == 1
    assert not (again["site_id"] == gone).any()
    team = again[again["team"] == away["team"]]
    assert not ((team["end"] > away_from) & (team["start"] < away_to)).any()
    checker_ok(data_dir, again)


def test_replan_now_keeps_the_checks_done_before_now(data_dir, tmp_path):
    first = plan(data_dir, tmp_path / "a")
    now = first["start"].sort_values().iloc[len(first) // 2]
    again = plan(data_dir, tmp_path / "b", "--replan", "--now", now.isoformat(),
                 "--seed", "5")
    cols = ["team", "start", "end", "site_id"]
    done = first.loc[first["start"] < now, cols].sort_values(cols).reset_index(drop=True)
    kept = again.loc[again["start"] < now, cols].sort_values(cols).reset_index(drop=True)
    assert len(done) > 0
    pd.testing.assert_frame_equal(done, kept)
    checker_ok(data_dir, again)
    # the archive holds both versions
    archive = data_dir / ".trafikplan" / "plans" / "archive"
    assert sorted(p.name for p in archive.glob(f"{WEEK}-v*.parquet")) == [
        f"{WEEK}-v1.parquet", f"{WEEK}-v2.parquet"]
