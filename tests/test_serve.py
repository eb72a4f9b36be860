"""``trafikplan serve`` without a browser: who may open what, CSRF, users, edits, the CLI.

Routes are enumerated from the app's router, so a new route is covered the day it
is added: it must say which roles may open it, and a ``kommun`` user gets 403
on every check-plan page and API.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pandas as pd
import pytest
from starlette.testclient import TestClient

from conftest import bare_data_dir
from trafikplan.cli import main
from trafikplan.plan.edits import PlanEdits, edits_toml, read_edits
from trafikplan.serve.app import create_app
from trafikplan.serve.users import add_user, check_password, read_users
from trafikplan.serve.web import ANY, POLICE, PUBLIC

PASSWORD = "hemligt-lösen-1"
PLAN_PREFIXES = ("/plan", "/api/plan", "/checks-done")
"""Every check-plan page, API and completed-check page lives under these."""
FILLS = {"week": "2024-W45", "site_id": "K01", "job_id": "0" * 32, "name": "checks.csv"}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    data = bare_data_dir(tmp_path / "data", "counters", "embrace", "checks_done")
    add_user(data, "polis", "police", PASSWORD)
    add_user(data, "kommun", "kommun", PASSWORD)
    return data


def _client(folder: Path, host: str = "192.0.2.10") -> TestClient:
    app = create_app(folder, host=host, out_dir=folder.parent / "out")
    return TestClient(app, base_url="http://testserver", follow_redirects=False)


def _login(client: TestClient, name: str) -> str:
    page = client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    done = client.post("/login", data={"csrf": token, "name": name, "password": PASSWORD})
    assert done.status_code == 303, done.text
    home = client.get("/")
    assert home.status_code == 200
    return re.search(r'name="csrf" value="([^"]+)"', home.text).group(1)


def _url(path: str) -> str:
    return re.sub(r"\{(\w+)(:\w+)?\}", lambda m: FILLS[m.group(1)], path)


def _routes(app):
    return [r for r in app.routes if hasattr(r, "methods")]


def test_every_route_names_its_roles_and_plan_routes_are_police_only(folder):
    app = _client(folder).app
    routes = _routes(app)
    assert len(routes) >= 20
    for r in routes:
        assert r.roles in (ANY, POLICE, PUBLIC), r.path
        if r.path.startswith(PLAN_PREFIXES):
            assert r.roles == POLICE, r.path
    assert {r.path for r in routes if r.roles == PUBLIC} == {"/login", "/map.js"}


@pytest.mark.slow
def test_kommun_gets_403_on_every_plan_page_and_api(folder):
    client = _client(folder)
    token = _login(client, "kommun")
    police_only = [r for r in _routes(client.app) if r.roles == POLICE]
    assert len(police_only) >= 12
    before = sorted(p.name for p in folder.iterdir())
    for r in police_only:
        for method in sorted(r.methods - {"HEAD"}):
            if method == "GET":
                got = client.get(_url(r.path))
            else:
                got = client.post(_url(r.path), data={"csrf": token})
            assert got.status_code == 403, (method, r.path, got.status_code)
            if r.path.startswith("/api/"):
                assert got.headers["content-type"].startswith("application/json")
    assert sorted(p.name for p in folder.iterdir()) == before
    # what a kommun user may see does not even link to the plan
    home = client.get("/")
    assert "/plan" not in home.text and "/checks-done" not in home.text


@pytest.mark.slow
def test_a_post_without_the_csrf_token_is_refused(folder):
    client = _client(folder)
    token = _login(client, "polis")
    posts = [r for r in _routes(client.app) if "POST" in r.methods and r.roles]
    assert len(posts) >= 10
    for r in posts:
        got = client.post(_url(r.path), data={"team": "x", "site_id": "K01"})
        assert got.status_code == 403, r.path
        assert "CSRF" in got.text
        wrong = client.post(_url(r.path), data={"csrf": token[::-1]})
        assert wrong.status_code == 403, r.path
    assert not (folder / "plan_edits.toml").exists()
    # the login form is protected too: no session token, no login
    fresh = _client(folder)
    assert fresh.post("/login", data={"name": "polis", "password": PASSWORD}).status_code == 403


def test_not_bound_to_localhost_a_login_is_needed(folder):
    client = _client(folder)
    assert client.get("/sites").status_code == 303
    assert client.get("/sites").headers["location"].startswith("/login")
    assert client.get("/api/plan/2024-W45").status_code == 401
    page = client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    bad = client.post("/login", data={"csrf": token, "name": "polis", "password": "fel"})
    assert bad.status_code == 401
    assert "Fel användarnamn eller lösenord" in bad.text
    assert "Content-Security-Policy" in bad.headers
    log = (folder / "serve_changes.log").read_text(encoding="utf-8") \
        if (folder / "serve_changes.log").exists() else ""
    assert PASSWORD not in log


def test_localhost_has_one_police_user_and_refuses_other_host_names(folder):
    client = _client(folder, host="127.0.0.1")
    client.base_url = "http://127.0.0.1:8765"
    home = client.get("/")
    assert home.status_code == 200 and "/plan" in home.text and "logga ut" not in home.text
    evil = client.get("/", headers={"host": "evil.example"})
    assert evil.status_code == 400


@pytest.mark.slow
def test_users_file_holds_argon2_hashes_only(folder):
    text = (folder / "users.toml").read_text(encoding="utf-8")
    assert PASSWORD not in text
    doc = tomllib.loads(text)
    assert doc["users"]["polis"]["role"] == "police"
    assert doc["users"]["polis"]["password_hash"].startswith("$argon2id$")
    users = read_users(folder)
    assert check_password(users["polis"], PASSWORD)
    assert not check_password(users["polis"], PASSWORD + "x")
    assert not check_password(None, PASSWORD)
    assert (folder / "users.toml").stat().st_mode & 0o077 == 0


@pytest.mark.slow
def test_add_user_from_the_command_line(folder, monkeypatch, capsys):
    import click.termui

    answers = iter(["ett-långt-lösen", "ett-långt-lösen"])
    monkeypatch.setattr(click.termui, "visible_prompt_func", lambda _: next(answers))
    monkeypatch.setattr(click.termui, "hidden_prompt_func", lambda _: next(answers))
    code = main(["serve", str(folder), "--add-user", "anna", "--role", "kommun"])
    assert code == 0
    assert read_users(folder)["anna"].role == "kommun"
    assert check_password(read_users(folder)["anna"], "ett-långt-lösen")
    assert main(["serve", str(folder), "--add-user", "bo"]) == 2
    assert "--role" in capsys.readouterr().err


def test_not_localhost_without_users_stops_with_one_line(tmp_path, capsys):
    data = bare_data_dir(tmp_path / "data")
    code = main(["serve", str(data), "--host", "192.0.2.10", "--port", "9"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "--add-user" in err and "Traceback" not in err


def test_plan_edits_round_trip_through_the_file_format(tmp_path):
    tz = "Europe/Stockholm"
    t = pd.Timestamp("2024-11-05T10:00", tz=tz).tz_convert("UTC")
    edits = PlanEdits(
        lock=pd.DataFrame({"team": ['Lag "1"'], "site_id": ["K01"], "start": [t],
                           "end": [t + pd.Timedelta(minutes=40)]}),
        forbid=pd.DataFrame({"site_id": ["", "K03"], "start": [t, pd.NaT],
                             "end": [t + pd.Timedelta(hours=3), pd.NaT]}),
        away=pd.DataFrame({"team": ["Trafikgruppen"], "start": [t], "end": [pd.NaT]}))
    for f in (edits.forbid, edits.away):
        for c in ("start", "end"):
            f[c] = pd.to_datetime(f[c], utc=True)
    path = tmp_path / "plan_edits.toml"
    path.write_text(edits_toml(edits, tz), encoding="utf-8")
    back = read_edits(path, tz)
    for kind in ("lock", "forbid", "away"):
        pd.testing.assert_frame_equal(getattr(back, kind).reset_index(drop=True),
                                      getattr(edits, kind).reset_index(drop=True),
                                      check_dtype=False)
    assert "+01:00" in path.read_text(encoding="utf-8")


@pytest.mark.slow
def test_an_edit_is_written_and_logged_and_a_bad_one_changes_nothing(folder):
    (folder / "roster.csv").write_text(
        "team,start,end\nLag 1,2024-11-04T07:00:00+01:00,2024-11-04T16:00:00+01:00\n",
        encoding="utf-8")
    client = _client(folder)
    token = _login(client, "polis")
    done = client.post("/plan/2024-W45/away", data={"csrf": token, "team": "Lag 1",
                                                   "date": "2024-11-04", "from": "12:00"})
    assert done.status_code == 303
    edits = read_edits(folder / "plan_edits.toml", "Europe/Stockholm")
    assert list(edits.away["team"]) == ["Lag 1"]
    assert edits.away["start"].iloc[0] == pd.Timestamp("2024-11-04T11:00Z")
    assert edits.away["end"].iloc[0] == pd.Timestamp("2024-11-04T23:00Z")
    log = (folder / "serve_changes.log").read_text(encoding="utf-8").splitlines()
    assert log[-1].split("\t")[1:4] == ["polis", "police", "away"]
    before = (folder / "plan_edits.toml").read_bytes()
    bad = client.post("/plan/2024-W45/away", data={"csrf": token, "team": "Lag 1",
                                                  "date": "2024-11-04", "from": "14:00",
                                                  "to": "12:00"})
    assert bad.status_code == 400
    assert (folder / "plan_edits.toml").read_bytes() == before
    undo = client.post("/plan/2024-W45/edits/delete", data={"csrf": token, "kind": "away",
                                                           "index": "0"})
    assert undo.status_code == 303
    assert read_edits(folder / "plan_edits.toml", "Europe/Stockholm").away.empty


def _follow_job(client: TestClient, answer) -> dict:
    import time

    assert answer.status_code == 303, answer.text
    job_id = answer.headers["location"].rsplit("/", 1)[1]
    for _ in range(600):
        job = client.get(f"/api/jobs/{job_id}").json()
        if job["status"] != "running":
            return job
        time.sleep(0.1)
    raise AssertionError("the job did not finish")


@pytest.mark.slow
def test_a_completed_check_typed_in_becomes_checks_done(small_data_dir):
    import trafikplan

    data = small_data_dir
    (data / "checks_done").mkdir()
    (data / "roster.csv").write_text(
        "team,start,end\nLag 1,2024-11-04T07:00:00+01:00,2024-11-04T16:00:00+01:00\n",
        encoding="utf-8")
    client = _client(data, host="127.0.0.1")
    client.base_url = "http://127.0.0.1:8765"
    form = client.get("/checks-done").text
    token = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
    row = {"csrf": token, "team": "Lag 1", "site_id": "K01", "date": "2024-11-04",
           "from": "10:00", "to": "10:40", "vehicles_checked": "57", "violations": "6",
           "max_speed": "71"}
    job = _follow_job(client, client.post("/checks-done", data=row))
    assert job["status"] == "done", job
    result = client.get(job["next"])
    assert "inmatade_kontroller.csv" in result.text
    done = trafikplan.load(data, import_new=False).checks_done
    assert len(done) == 1
    assert done["violations"].iloc[0] == 6 and done["vehicles_checked"].iloc[0] == 57
    assert done["start"].iloc[0] == pd.Timestamp("2024-11-04T09:00Z")
    # a second one is appended to the same file
    job = _follow_job(client, client.post("/checks-done", data={**row, "from": "12:00",
                                                                 "to": "12:20"}))
    assert job["status"] == "done", job
    assert len(trafikplan.load(data, import_new=False).checks_done) == 2
    log = (data / "serve_changes.log").read_text(encoding="utf-8")
    assert log.count("\timport\t") == 2


def test_pages_are_english_with_language_en(folder):
    toml = folder / "trafikplan.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('language = "sv"',
                                                             'language = "en"'),
                    encoding="utf-8")
    client = _client(folder)
    assert "Log in" in client.get("/login").text
    _login(client, "polis")
    home = client.get("/").text
    for word in ("Sites", "Import files", "Measurement plan", "Week plan", "Completed checks"):
        assert word in home
    for word in ("Platser", "Veckoplan", "Läs in"):
        assert word not in home


@pytest.mark.slow
def test_moving_a_check_locks_it_at_its_new_start_the_same_day(folder):
    client = _client(folder)
    token = _login(client, "polis")
    check = {"csrf": token, "team": "Lag 1", "site_id": "K01",
             "start": "2024-11-05T10:00:00+01:00", "end": "2024-11-05T10:40:00+01:00"}
    assert client.post("/plan/2024-W45/lock", data=check).status_code == 303
    moved = client.post("/plan/2024-W45/move", data={**check, "to_time": "14:05"})
    assert moved.status_code == 303
    lock = read_edits(folder / "plan_edits.toml", "Europe/Stockholm").lock
    assert len(lock) == 1
    assert lock["start"].iloc[0] == pd.Timestamp("2024-11-05T13:05Z")
    assert lock["end"].iloc[0] == pd.Timestamp("2024-11-05T13:45Z")
    log = (folder / "serve_changes.log").read_text(encoding="utf-8")
    assert "\tmove\t" in log


def test_without_the_web_libraries_one_swedish_line_says_how_to_install_them(
        folder, monkeypatch, capsys):
    import trafikplan.serve

    monkeypatch.setattr(trafikplan.serve, "missing_libraries", lambda: ["starlette"])
    assert main(["serve", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "behöver webbiblioteken (starlette)" in err and "pip install -e '.[serve]'" in err
