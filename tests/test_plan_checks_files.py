"""Plan files: checks.csv, checks.html, one .ics per team; 0600; reproducible bytes."""

from __future__ import annotations

import stat

import pandas as pd
import pytest

from test_plan_checks import synthetic_week
from trafikplan.plan.checks import plan_checks
from trafikplan.report.plan_html import render_checks_html, team_slug, write_check_plan


@pytest.fixture(scope="module")
def plan_and_data():
    flags, sites, roster, settings = synthetic_week(seed=21)
    roster = roster.assign(team=roster["team"].str.replace("Patrull 2", "Trafik <Väst> & Co"))
    return plan_checks(flags, sites, roster, settings, "2024-W41"), settings


@pytest.mark.slow
def test_files_are_private_and_parse_back(plan_and_data, tmp_path):
    from icalendar import Calendar

    plan, settings = plan_and_data
    written = write_check_plan(plan, tmp_path / "out", settings)
    names = sorted(p.name for p in written)
    assert names == sorted(["checks.csv", "checks.html", "checks-days.html", "checks-days.xlsx",
                            *(f"checks-{team_slug(t)}.ics" for t in plan.checks["team"].unique())])
    for path in written:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    csv = pd.read_csv(tmp_path / "out" / "checks.csv")
    assert list(csv.columns) == ["team", "start", "end", "site_id", "street", "reason", "value"]
    assert len(csv) == len(plan.checks)
    assert csv["start"].str.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00$").all()
    for team, grp in plan.checks.groupby("team"):
        cal = Calendar.from_ical((tmp_path / "out" / f"checks-{team_slug(team)}.ics").read_bytes())
        events = [c for c in cal.walk("VEVENT")]
        assert len(events) == len(grp)
        starts = sorted(e.decoded("dtstart") for e in events)
        assert starts == sorted(grp["start"].dt.to_pydatetime())
        assert all(str(e.decoded("dtstart").tzinfo) == "Europe/Stockholm" for e in events)
        uids = [str(e["uid"]) for e in events]
        assert len(set(uids)) == len(uids)
        assert all(u.startswith(f"2024-W41-{team_slug(team)}-") for u in uids)


@pytest.mark.slow
def test_same_seed_same_bytes(plan_and_data, tmp_path):
    plan, settings = plan_and_data
    flags, sites, roster, _ = synthetic_week(seed=21)
    roster = roster.assign(team=roster["team"].str.replace("Patrull 2", "Trafik <Väst> & Co"))
    again = plan_checks(flags, sites, roster, settings, "2024-W41")
    a = write_check_plan(plan, tmp_path / "a", settings)
    b = write_check_plan(again, tmp_path / "b", settings)
    for pa, pb in zip(sorted(a), sorted(b), strict=True):
        if pa.suffix == ".xlsx":                  # the workbook: the same cells
            assert pd.read_excel(pa).equals(pd.read_excel(pb)), pa.name
            continue
        assert pa.read_bytes() == pb.read_bytes(), pa.name


@pytest.mark.slow
def test_html_sections_escaped_and_self_contained(plan_and_data):
    plan, settings = plan_and_data
    html = render_checks_html(plan, settings)
    assert "Trafik &lt;Väst&gt; &amp; Co" in html
    assert "<Väst>" not in html
    assert "http://" not in html and "https://" not in html and "<script" not in html
    assert "@page" in html and "A4" in html
    days = plan.checks.groupby(["team", plan.checks["start"].dt.date]).ngroups
    assert html.count("<h3>") == days
    assert html.count('<section class="team">') == plan.checks["team"].nunique()
    for reason in plan.checks["reason"].head(3):
        assert reason.split(":")[0] in html


def test_team_slug():
    assert team_slug("Ingripande Köping 1").startswith("ingripande-koping-1-")
    assert team_slug("Trafikgruppen Västmanland").startswith("trafikgruppen-vastmanland-")
    assert team_slug("ÅÄÖ").startswith("aao-")
    assert team_slug("!!!").isalnum()
    assert team_slug("Köping 1") != team_slug("Koping 1")  # one calendar per team


def test_team_day_sheets_stand_alone_without_solver_words(plan_and_data):
    from trafikplan.report.plan_html import render_team_days_html

    plan, settings = plan_and_data
    html = render_team_days_html(plan, settings)
    days = plan.checks.groupby(["team", plan.checks["start"].dt.date]).ngroups
    assert html.count('<section class="sheet">') == days
    assert html.count("Internt") == days and html.count("vecka 2024-W41") == days
    for word in ("värde", "övre gräns", "girig", "gap"):
        assert word not in html.lower()
    for r in plan.checks.itertuples(index=False):
        assert f"mlat={r.lat:.5f}&amp;mlon={r.lon:.5f}" in html
    # result fields in Swedish only: the import's column names are for the workbook
    for name in ("Kontrollerade fordon", "Över gränsen", "Högsta hastighet", "Anteckningar"):
        assert html.count(name) >= len(plan.checks)
    for name in ("vehicles_checked", ">violations", "max_speed", ">notes"):
        assert name not in html
    assert "Pass</td>" in html and "Rast</td>" in html
    # the printed plan keeps solver words in its technical appendix only
    full = render_checks_html(plan, settings)
    head, appendix = full.split("Teknisk bilaga")
    assert "Övre gräns" in appendix and "Girig" in appendix
    assert "Övre gräns" not in head and "Girig" not in head and "värde" not in head.lower()


def test_filled_in_team_day_workbook_imports_into_checks_done(plan_and_data, tmp_path):
    from openpyxl import load_workbook

    from trafikplan.io.user_tables.checks_done import read_checks_done

    plan, settings = plan_and_data
    write_check_plan(plan, tmp_path / "out", settings)
    wb = load_workbook(tmp_path / "out" / "checks-days.xlsx")
    ws = wb.active
    assert [c.value for c in ws[1]][:6] == ["Grupp", "Start", "Slut", "Plats-id", "Gata",
                                             "Kontrollerade fordon"]
    header = [c.value for c in ws[2]]
    col = {name: k + 1 for k, name in enumerate(header)}
    for k, row in enumerate(range(3, ws.max_row + 1)):
        ws.cell(row, col["vehicles_checked"], 40 + k)
        ws.cell(row, col["violations"], k % 7)
        ws.cell(row, col["max_speed"], 61.5 + k)
        ws.cell(row, col["notes"], "lugnt" if k % 2 else None)
    data = tmp_path / "data"
    (data / "checks_done").mkdir(parents=True)
    wb.save(data / "checks_done" / "vecka41.xlsx")
    _, sites, _, _ = synthetic_week(seed=21)
    res = read_checks_done(data, settings=settings, sites=sites)
    assert res.rejects.empty, res.rejects
    done = res.table.sort_values(["team", "start"]).reset_index(drop=True)
    want = plan.checks.sort_values(["team", "start", "site_id"]).reset_index(drop=True)
    assert len(done) == len(want)
    assert done["team"].tolist() == want["team"].tolist()
    assert done["site_id"].astype(str).tolist() == want["site_id"].tolist()
    assert (done["start"] == want["start"].dt.tz_convert("UTC")).all()
    assert (done["end"] == want["end"].dt.tz_convert("UTC")).all()
    assert done["vehicles_checked"].tolist() == [40 + k for k in range(len(done))]
    assert done["violations"].tolist() == [k % 7 for k in range(len(done))]
    assert done["max_speed"].tolist() == pytest.approx([61.5 + k for k in range(len(done))])
