"""The planner's changes: locked checks stay, forbidden sites and hours and teams away
get nothing, a mid-week re-plan keeps what is done, and the calendars tell Outlook
what moved (stable UIDs, SEQUENCE, cancelled events) — checked with the independent
checker and by parsing the calendars with icalendar."""

from __future__ import annotations

import pandas as pd
import pytest
from icalendar import Calendar

from plan_checker import check_plan
from test_plan_checks import TZ, synthetic_week
from trafikplan._errors import InputError
from trafikplan.plan.checks import plan_checks
from trafikplan.plan.edits import PlanEdits, read_edits, roster_without
from trafikplan.plan.issued import assign_uids, replan_edits
from trafikplan.report.plan_html import team_slug, write_check_plan

WEEK = "2024-W41"


@pytest.fixture(scope="module")
def week():
    data = synthetic_week(n_sites=6, teams=2, shifts=3, seed=4)
    return data, plan_checks(*data, WEEK)


def _edits_file(tmp_path, text: str):
    path = tmp_path / "plan_edits.toml"
    path.write_text(text, encoding="utf-8")
    return read_edits(path, TZ)


@pytest.mark.slow
def test_lock_forbid_and_away_hold(week, tmp_path):
    (flags, sites, roster, settings), plan = week
    first = roster.sort_values("start").iloc[0]
    lock_start = pd.Timestamp(first["start"]).tz_convert(TZ) + pd.Timedelta(minutes=60)
    taken = set(plan.checks["site_id"])
    lock_site = next(s for s in ("K05", "K04", "K03") if s != "K06")
    forbid_site = sorted(taken - {lock_site})[0]
    other = sorted(set(roster["team"]) - {first["team"]})[0]
    away_from = pd.Timestamp(roster.loc[roster["team"] == other, "start"].min()).tz_convert(TZ)
    edits = _edits_file(tmp_path, f"""
[[lock]]
team = "{first['team']}"
site_id = "{lock_site}"
start = {lock_start.isoformat()}
end = {(lock_start + pd.Timedelta(minutes=40)).isoformat()}

[[forbid]]
site_id = "{forbid_site}"

[[away]]
team = "{other}"
start = {away_from.isoformat()}
""")
    edited = plan_checks(flags, sites, roster, settings, WEEK, edits=edits)
    ch = edited.checks
    locked = ch[(ch["team"] == first["team"]) & (ch["site_id"] == lock_site)
                & (ch["start"] == lock_start)]
    assert len(locked) == 1
    assert forbid_site not in set(ch["site_id"])
    assert not (ch["team"] == other).any()
    rep = check_plan(ch, flags=flags, sites=sites, roster=roster_without(roster, edits.away),
                     settings=settings, week=WEEK, focus_target=edited.focus_target)
    assert rep.ok, rep.violations


@pytest.mark.slow
def test_forbidden_hours_get_no_check(week):
    (flags, sites, roster, settings), plan = week
    busy = plan.checks.sort_values("start").iloc[0]
    lo, hi = busy["start"] - pd.Timedelta(hours=2), busy["end"] + pd.Timedelta(hours=2)
    edits = PlanEdits(forbid=pd.DataFrame({"site_id": [""], "start": [lo.tz_convert("UTC")],
                                           "end": [hi.tz_convert("UTC")]}))
    edited = plan_checks(flags, sites, roster, settings, WEEK, edits=edits)
    ch = edited.checks
    assert not ((ch["start"] < hi) & (ch["end"] > lo)).any()
    assert len(ch) > 0


@pytest.mark.slow
def test_replan_midweek_keeps_what_is_done(week):
    (flags, sites, roster, settings), plan = week
    issued = plan.checks
    now = issued["start"].sort_values().iloc[len(issued) // 2]
    edits = replan_edits(issued, now, PlanEdits(forbid=pd.DataFrame(
        {"site_id": [issued.loc[issued["start"] >= now, "site_id"].iloc[0]],
         "start": [pd.NaT], "end": [pd.NaT]})))
    again = plan_checks(flags, sites, roster, settings, WEEK, edits=edits, seed=5)
    done = issued[issued["start"] < now][["team", "start", "end", "site_id"]]
    kept = again.checks[again.checks["start"] < now][["team", "start", "end", "site_id"]]
    pd.testing.assert_frame_equal(done.reset_index(drop=True), kept.reset_index(drop=True))
    rep = check_plan(again.checks, flags=flags, sites=sites, roster=roster, settings=settings,
                     week=WEEK, focus_target=again.focus_target)
    assert rep.ok, rep.violations


@pytest.mark.slow
def test_a_lock_the_rules_do_not_allow_is_refused(week):
    (flags, sites, roster, settings), _ = week
    first = roster.sort_values("start").iloc[0]
    start = pd.Timestamp(first["start"]) + pd.Timedelta(minutes=62)
    edits = PlanEdits(lock=pd.DataFrame({"team": [first["team"]], "site_id": ["K01"],
                                         "start": [start], "end": [start + pd.Timedelta(
                                             minutes=40)]}))
    with pytest.raises(InputError, match="not a possible check"):
        plan_checks(flags, sites, roster, settings, WEEK, edits=edits)


def test_edit_file_errors_name_the_entry(tmp_path):
    with pytest.raises(InputError, match=r"\[\[forbid\]\] #1: unknown key 'sit'"):
        _edits_file(tmp_path, '[[forbid]]\nsit = "K01"\n')
    with pytest.raises(InputError, match="end is not after start"):
        _edits_file(tmp_path, '[[away]]\nteam = "A"\nstart = 2024-10-08T10:00:00+02:00\n'
                              'end = 2024-10-08T09:00:00+02:00\n')
    with pytest.raises(InputError, match="unknown table"):
        _edits_file(tmp_path, '[[locks]]\nteam = "A"\n')


def _events(path) -> dict[str, dict]:
    cal = Calendar.from_ical(path.read_bytes())
    return {str(ev["uid"]): {"start": ev.decoded("dtstart"), "sequence": int(ev.get(
        "sequence", 0)), "status": str(ev.get("status", ""))} for ev in cal.walk("VEVENT")}


def test_calendar_uids_are_stable_moved_checks_get_a_higher_sequence(week, tmp_path):
    (_, _, _, settings), plan = week
    first, cancelled = assign_uids(plan.checks, None, WEEK, TZ)
    assert cancelled.empty and first["uid"].is_unique
    plan.checks = first
    write_check_plan(plan, tmp_path / "v1", settings)
    team = sorted(first["team"])[0]
    rows = first.index[first["team"] == team]
    moved = first.copy()
    moved.loc[rows[0], ["start", "end"]] = (moved.loc[rows[0], ["start", "end"]]
                                            - pd.Timedelta(minutes=10)).to_numpy()
    removed_uid = moved.loc[rows[-1], "uid"]
    moved = moved.drop(index=rows[-1])
    issued = first.assign(start=first["start"].dt.tz_convert("UTC"),
                          end=first["end"].dt.tz_convert("UTC"))
    second, gone = assign_uids(moved.drop(columns=["uid", "sequence"]), issued, WEEK, TZ)
    plan.checks = second
    write_check_plan(plan, tmp_path / "v2", settings, cancelled=gone)
    slug = team_slug(team)
    v1 = _events(tmp_path / "v1" / f"checks-{slug}.ics")
    v2 = _events(tmp_path / "v2" / f"checks-{slug}.ics")
    assert set(v1) == set(v2)                      # same UIDs, the removed one cancelled
    moved_uid = first.loc[rows[0], "uid"]
    assert v2[moved_uid]["sequence"] == v1[moved_uid]["sequence"] + 1
    assert v2[removed_uid]["status"] == "CANCELLED"
    assert v2[removed_uid]["sequence"] == v1[removed_uid]["sequence"] + 1
    for uid in set(v1) - {moved_uid, removed_uid}:
        assert v2[uid] == v1[uid]
    cancel = Calendar.from_ical((tmp_path / "v2" / f"checks-{slug}-cancel.ics").read_bytes())
    assert str(cancel["method"]) == "CANCEL"
    assert [str(e["uid"]) for e in cancel.walk("VEVENT")] == [removed_uid]
