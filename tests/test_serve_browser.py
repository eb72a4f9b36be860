"""``trafikplan serve`` driven in headless Chromium (Playwright with the distribution's Chromium).

The server runs as ``trafikplan serve`` in a subprocess on a free local port
against a copy of the imported lean sample. The planner locks a check, takes a team
off for a day, re-plans and issues: the issued files hold the locked check,
nothing for that team that day, and pass the independent plan checker. The
engineer uploads a counter file and sees it imported; a file no profile reads
leaves the folder as it was. Every page opens without console errors and fits
a 1366×768 screen without a horizontal scroll bar.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from conftest import tree_hashes
from plan_checker import check_plan
from trafikplan.report.pdf import find_chromium

WEEK = "2024-W45"
HELD_BACK = "counters/K01_Ringvagen_2024-10-21.csv.gz"
"""A sample counter file taken out of the served copy, to be uploaded in the browser."""
PAGES = ("/", "/sites", "/sites/K08", "/import", "/measurements", f"/plan/{WEEK}",
         "/checks-done")
SCREEN = {"width": 1366, "height": 768}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """A running ``trafikplan serve`` and its folders."""

    def __init__(self, data: Path, out: Path, held: Path, port: int,
                 proc: subprocess.Popen) -> None:
        self.data, self.out, self.held, self.port, self.proc = data, out, held, port, proc
        self.url = f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def served(imported_lean_sample: Path, tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("serve")
    data = root / "measurements"
    shutil.copytree(imported_lean_sample, data)
    held = root / Path(HELD_BACK).name
    shutil.move(data / HELD_BACK, held)
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "trafikplan", "serve", str(data), "--port", str(port),
         "--out", str(root / "out"), "--time-limit", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert proc.poll() is None, proc.stdout.read()
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.3)
    yield Served(data, root / "out", held, port, proc)
    proc.terminate()
    proc.wait(timeout=20)
    proc.stdout.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    chromium = find_chromium()
    assert chromium is not None, "run `make chromium` (apt-get install chromium)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A 1366×768 page that records console errors; map tiles answered empty (offline)."""
    ctx = browser.new_context(viewport=SCREEN)
    ctx.route("https://tile.openstreetmap.org/**", lambda r: r.fulfill(status=204, body=b""))
    pg = ctx.new_page()
    pg.set_default_timeout(240_000)  # the first view of a page loads the folder (slow under load)
    pg.errors = []
    pg.on("console", lambda m: pg.errors.append(f"{pg.url}: {m.text}")
          if m.type in ("error", "warning") else None)
    pg.on("pageerror", lambda e: pg.errors.append(f"{pg.url}: {e}"))
    pg.on("response", lambda r: pg.errors.append(f"{r.url}: HTTP {r.status}")
          if r.status >= 500 else None)
    yield pg
    ctx.close()


def _wait_for_job(pg, url_glob: str) -> None:
    """Follow a background job's page until it leads to ``url_glob`` (fails on its error)."""
    pg.wait_for_url("**/jobs/*")
    pg.wait_for_function(
        "() => !document.getElementById('job') || "
        "!document.getElementById('job-error').hidden", timeout=600_000)
    if "/jobs/" in pg.url:
        raise AssertionError(pg.inner_text("#job-error"))
    pg.wait_for_url(url_glob)


@pytest.mark.slow
def test_every_page_opens_without_console_errors_and_fits_the_screen(served, page, tmp_path):
    for path in PAGES:
        page.goto(served.url + path)
        page.wait_for_load_state("networkidle")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= SCREEN["width"], (path, width)
        page.screenshot(path=str(tmp_path / f"{path.strip('/').replace('/', '_') or 'home'}.png"))
    assert page.errors == []
    page.goto(served.url + "/sites")
    assert page.locator("#site-map .leaflet-interactive").count() >= 10
    assert page.locator("#site-table tbody tr").count() >= 10
    # a marker's popup leads to the site's report
    page.locator("#site-map path.leaflet-interactive").first.click(force=True)
    page.locator(".leaflet-popup a").first.click()
    page.wait_for_url("**/sites/*")
    assert page.locator(".site-report").count() == 1
    assert page.errors == []


@pytest.mark.slow
def test_engineer_uploads_a_counter_file_and_sees_it_imported(served, page, tmp_path):
    page.goto(served.url + "/import")
    page.set_input_files("input[name=files]", str(served.held))
    page.click("#upload-form button[type=submit]")
    _wait_for_job(page, "**/import/result/*")
    row = page.locator("#import-files tr", has_text=Path(HELD_BACK).name)
    assert row.count() == 1
    assert "ny" in row.inner_text()
    assert (served.data / HELD_BACK).is_file()
    # a file no profile reads: refused, removed again, the folder as it was
    before = tree_hashes(served.data)
    junk = tmp_path / "inte_en_matare.csv"
    junk.write_text("hej;hopp\n1;2\n", encoding="utf-8")
    page.goto(served.url + "/import")
    _drop_file(page, "label.drop", junk)
    page.click("#upload-form button[type=submit]")
    page.wait_for_selector("#job-error:not([hidden])", timeout=120_000)
    assert "inte_en_matare.csv" in page.inner_text("#job-error")
    assert tree_hashes(served.data) == before
    assert page.errors == []


def _drop_file(page, selector: str, path: Path) -> None:
    """Drop ``path`` onto ``selector`` as a person dragging it from the desktop would."""
    page.evaluate(
        """([sel, name, text]) => {
             const dt = new DataTransfer();
             dt.items.add(new File([text], name, {type: 'text/csv'}));
             document.querySelector(sel).dispatchEvent(
               new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
           }""", [selector, path.name, path.read_text(encoding="utf-8")])
    assert page.evaluate("document.querySelector('input[name=files]').files.length") == 1


def _checks_for_checker(data: Path, week: str):
    """The week's flags as the planner values them, the roster and the settings."""
    import trafikplan
    from trafikplan.flags import flags_of
    from trafikplan.io.user_tables.roster import read_roster
    from trafikplan.plan.checks import load_prior_plans
    from trafikplan.plan.edits import read_edits, roster_without
    from trafikplan.plan.learning import learning_value

    tables = trafikplan.load(data, import_new=False)
    settings = tables.settings
    valued = learning_value(flags_of(tables), tables.checks_done, tables.sites, settings)
    edits = read_edits(data / "plan_edits.toml", settings.timezone)
    roster = roster_without(read_roster(data / "roster.csv", tz=settings.timezone), edits.away)
    return valued, tables.sites, roster, settings, load_prior_plans(data, week)


@pytest.mark.slow
def test_planner_locks_removes_a_team_for_a_day_replans_and_issues(served, page):
    tz = "Europe/Stockholm"
    page.goto(f"{served.url}/plan?week={WEEK}")
    page.wait_for_url(f"**/plan/{WEEK}")
    page.click("#replan")
    _wait_for_job(page, f"**/plan/{WEEK}")
    assert page.locator(".check").count() > 5
    assert page.evaluate("document.documentElement.scrollWidth") <= SCREEN["width"]
    assert page.locator("#site-map .leaflet-interactive").count() >= 3
    # lock the first check of the week
    first = page.locator(".check").first
    team = first.locator("input[name=team]").first.input_value()
    site = first.get_attribute("data-site")
    start = pd.Timestamp(first.get_attribute("data-start"))
    first.locator("button[data-action=lock]").click()
    page.wait_for_url(f"**/plan/{WEEK}")
    locked = page.locator(f".check.locked[data-site='{site}']")
    assert locked.count() == 1
    # take another team off for a day on which it has checks
    api = page.request.get(f"{served.url}/api/plan/{WEEK}").json()
    others = [c for c in api["checks"] if c["team"] != team]
    away_team = others[0]["team"]
    away_day = pd.Timestamp(others[0]["start"]).tz_convert(tz).date()
    page.select_option("#away-form select[name=team]", away_team)
    page.select_option("#away-form select[name=date]", away_day.isoformat())
    page.click("#away-form button[type=submit]")
    page.wait_for_url(f"**/plan/{WEEK}")
    assert page.locator("#edits tr").count() == 2
    page.click("#replan")
    page.wait_for_url("**/jobs/*")
    # planning runs in the background: another page answers meanwhile
    job = page.url.rsplit("/", 1)[1]
    assert page.request.get(f"{served.url}/import").status == 200
    assert page.request.get(f"{served.url}/api/jobs/{job}").json()["status"] == "running"
    _wait_for_job(page, f"**/plan/{WEEK}")
    page.click("#issue")
    page.wait_for_url(f"**/plan/{WEEK}")
    assert page.locator("#issued-files a", has_text="checks.csv").count() == 1
    assert page.errors == []

    out = served.out / f"checks-{WEEK}"
    issued = pd.read_csv(out / "checks.csv")
    issued["start"] = pd.to_datetime(issued["start"], utc=True)
    issued["end"] = pd.to_datetime(issued["end"], utc=True)
    hit = issued[(issued["team"] == team) & (issued["site_id"] == site)
                 & (issued["start"] == start.tz_convert("UTC"))]
    assert len(hit) == 1, "the locked check is in the issued plan"
    local_day = issued["start"].dt.tz_convert(tz).dt.date
    assert not ((issued["team"] == away_team) & (local_day == away_day)).any()
    from icalendar import Calendar

    saved = pd.read_parquet(served.data / ".trafikplan" / "plans" / f"{WEEK}.parquet")
    uids = set()
    for ics in out.glob("checks-*.ics"):
        if ics.stem.endswith("-cancel"):
            continue
        for event in Calendar.from_ical(ics.read_bytes()).walk("VEVENT"):
            uids.add(str(event["UID"]))
            assert int(event["SEQUENCE"]) >= 0
    assert uids == set(saved["uid"]) and len(uids) == len(issued)
    flags, sites, roster, settings, prior = _checks_for_checker(served.data, WEEK)
    report = check_plan(issued, flags=flags, sites=sites, roster=roster, settings=settings,
                        week=WEEK, prior=prior)
    assert report.ok, report.violations
    log = (served.data / "serve_changes.log").read_text(encoding="utf-8")
    for what in ("\tlock\t", "\taway\t", "\treplan\t", "\tissue\t"):
        assert what in log
