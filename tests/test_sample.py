"""The Köping sample data folder: reproducible, complete, and holding what was planted.

The folder is regenerated into a temporary directory once per module and
compared byte for byte with data/measurements/ and tests/data/sample_expected.json.
Raw files are then read back here independently (csv module, plain pandas),
never through trafikplan's readers, to check counts, DST handling, defects and
the planted patterns against the expected file.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from trafikplan.columns import REJECT_REASONS, validate
from trafikplan.sample import simulate_vehicles, write_generic_vehicles, write_se_radar
from trafikplan.sample.embrace import luhn_digit
from trafikplan.sample.generate import generate
from trafikplan.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "measurements"
EXPECTED_FILE = ROOT / "tests" / "data" / "sample_expected.json"


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".trafikplan" not in p.parts}


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sample")
    expected = generate(folder)
    return folder, expected


@pytest.fixture(scope="module")
def expected():
    return json.loads(EXPECTED_FILE.read_text(encoding="utf-8"))


def _text(path: Path, encoding: str) -> str:
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    return raw.decode(encoding)


def _radar_frame(path: Path, bad_lines: set[int]) -> pd.DataFrame:
    """Read a layout-A file with pandas alone (defect lines dropped by line number)."""
    lines = _text(path, "cp1252").split("\r\n")
    keep = [ln for i, ln in enumerate(lines[6:], start=7) if ln and i not in bad_lines]
    df = pd.read_csv(io.StringIO("\n".join(keep)), sep=";", decimal=",", header=None,
                     names=["date", "clock", "dir", "speed", "length", "headway", "cls"],
                     dtype={"date": str, "clock": str, "dir": str, "cls": str})
    local = pd.to_datetime(df["date"] + " " + df["clock"])
    df["weekday"] = local.dt.day_of_week + 1
    df["hour"] = local.dt.hour
    df["local"] = local
    return df


# --- reproducibility and size ---------------------------------------------------------


@pytest.mark.slow
def test_regenerated_folder_is_byte_identical(regenerated):
    folder, _ = regenerated
    fresh, committed = _files(folder), _files(SAMPLE)
    assert sorted(fresh) == sorted(committed)
    different = [name for name in fresh if fresh[name] != committed[name]]
    assert different == []


@pytest.mark.slow
def test_expected_file_matches_generator(regenerated, expected):
    _, fresh = regenerated
    assert json.loads(json.dumps(fresh)) == expected


def test_gzip_headers_have_no_time_and_no_name():
    for path in sorted(SAMPLE.rglob("*.gz")):
        head = path.read_bytes()[:10]
        assert head[:2] == b"\x1f\x8b"
        assert head[3] & 0x08 == 0, path  # FNAME flag
        assert int.from_bytes(head[4:8], "little") == 0, path  # mtime


def test_folder_is_small_and_holds_a_million_vehicles(expected):
    size = sum(p.stat().st_size for p in SAMPLE.rglob("*") if p.is_file())
    assert size < 30 * 1024 * 1024
    assert expected["totals"]["vehicles_per_vehicle_files"] >= 1_000_000


def test_raw_line_counts_match_expected(expected):
    per_vehicle = 0
    in_bins = 0
    for rel, entry in expected["files"].items():
        path = SAMPLE / rel
        if entry["profile"] == "se_radar":
            lines = [ln for ln in _text(path, "cp1252").split("\r\n") if ln]
            data = len(lines) - entry["header_lines"]
        elif entry["profile"] == "generic_vehicles":
            lines = [ln for ln in _text(path, "utf-8").split("\n") if ln]
            data = len(lines) - entry["header_lines"]
        else:
            rows = list(csv.reader(io.StringIO(_text(path, "utf-8-sig")), delimiter=";"))
            body = rows[entry["header_lines"]:]
            data = len(body)
            counted = sum(int(x) for row in body for x in row[3:])
            assert counted == entry["vehicles"], rel
            in_bins += counted
            assert data == entry["data_rows"], rel
            continue
        rejected = len(entry["rejects"])
        assert data == entry["vehicles"] + rejected, rel
        per_vehicle += data - rejected
    assert per_vehicle == expected["totals"]["vehicles_per_vehicle_files"]
    assert in_bins == expected["totals"]["vehicles_in_bins"]
    assert per_vehicle >= 1_000_000


# --- settings and planning inputs -------------------------------------------------------


def test_settings_load_with_every_design_key():
    settings = load_settings(SAMPLE)
    assert settings.municipality == "Köping"
    assert settings.timezone == "Europe/Stockholm"
    assert settings.focus_streets == ("Ringvägen", "Skogsleden", "Östanåsgatan")
    # short visits: up to 3 a week at a site, a day apart (#20)
    assert settings.checks.min_hours_between_same_site == 24
    assert settings.checks.max_per_site_per_week == 3
    assert (settings.checks.min_minutes, settings.checks.step_minutes) == (20, 5)
    assert settings.measurements.stale_months == 24


def test_sites_csv_is_plausible(expected):
    sites = pd.read_csv(SAMPLE / "sites.csv", dtype={"site_id": str})
    assert list(sites.columns[:8]) == ["site_id", "street", "section", "lat", "lon",
                                       "speed_limit", "area", "check_spot"]
    assert sites["site_id"].is_unique
    assert set(sites["speed_limit"]) == {30, 40, 50, 60}
    assert sites["lat"].between(59.49, 59.54).all()
    assert sites["lon"].between(15.95, 16.04).all()
    assert 0.6 < (sites["check_spot"] == True).mean() < 1.0  # noqa: E712
    # sections of one street lie a few hundred metres apart
    ring = sites[sites["street"] == "Ringvägen"].sort_values("site_id")
    dy = np.diff(ring["lat"]) * 111_200
    dx = np.diff(ring["lon"]) * 111_200 * np.cos(np.radians(59.51))
    assert ((np.hypot(dx, dy) > 200) & (np.hypot(dx, dy) < 1000)).all()
    every = set(expected["sites"]["all"])
    for rel, entry in expected["files"].items():
        assert set(entry["sites"]) <= every, rel


def test_roster_fleet_and_measures():
    roster = pd.read_csv(SAMPLE / "roster.csv")
    start = pd.to_datetime(roster["start"], utc=True)
    end = pd.to_datetime(roster["end"], utc=True)
    assert (end > start).all()
    assert start.min() >= pd.Timestamp("2024-11-04", tz="Europe/Stockholm")
    assert roster["start"].str.endswith("+01:00").all()
    local = start.dt.tz_convert("Europe/Stockholm")
    fri_sat_nights = (local.dt.day_of_week.isin([4, 5])) & (local.dt.hour >= 18)
    assert fri_sat_nights.sum() >= 7
    fleet = pd.read_csv(SAMPLE / "counter_fleet.csv")
    assert sorted(fleet["kind"]) == ["radar", "radar", "tube", "tube"]
    measures = pd.read_csv(SAMPLE / "measures.csv")
    assert (pd.to_datetime(measures["built"]) > pd.Timestamp("2024-11-04")).sum() == 1
    assert set(measures["street"]) >= {"Ringvägen", "Skogsleden", "Östanåsgatan"}


# --- time handling ---------------------------------------------------------------------


def test_spring_forward_gap_only_holds_the_planted_defect(expected):
    rel = expected["dst"]["local_files_over_spring"][0]
    lines = _text(SAMPLE / rel, "cp1252").split("\r\n")
    in_gap = [i + 1 for i, ln in enumerate(lines) if ln.startswith("2024-03-31;02:")]
    planted = [r["line"] for r in expected["rejects"] if r["reason"] == "time_in_dst_gap"]
    assert in_gap == planted and len(planted) == 1


def test_fall_back_hour_appears_twice_in_file_order(expected):
    rel = expected["dst"]["local_files_over_fall"][0]
    df = _radar_frame(SAMPLE / rel, set())
    night = df[df["date"] == "2024-10-27"]
    clock = night["clock"].to_numpy()
    back = np.nonzero(clock[1:] < clock[:-1])[0]
    assert len(back) == 1  # exactly one step back in wall-clock time
    assert clock[back[0]].startswith("02:") and clock[back[0] + 1].startswith("02:")


def test_generic_file_over_fall_back_uses_both_offsets(expected):
    rel = expected["dst"]["generic_files_over_fall"][0]
    df = pd.read_csv(SAMPLE / rel, dtype=str)
    two = df["time"].str.startswith("2024-10-27T02:")
    assert set(df.loc[two, "time"].str[-6:]) == {"+01:00", "+02:00"}
    good = ~df["site_id"].eq("K99") & df["time"].str.match(r"^\d{4}-\d\d-\d\dT")
    times = pd.to_datetime(df.loc[good, "time"], utc=True, format="ISO8601")
    assert times.is_monotonic_increasing


def test_bins_are_in_swedish_normal_time(expected):
    rel = "counters/K09_Ostanasgatan_2024-06-10_slang.csv.gz"
    rows = list(csv.reader(io.StringIO(_text(SAMPLE / rel, "utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Mätplats-ID", "K09"]
    # a deployment from local midnight in summer starts at 23:00 normal time
    assert rows[5][0] == "2024-06-09 23:00"
    assert expected["files"][rel]["start"] == "2024-06-10T00:00:00+02:00"


# --- defects -----------------------------------------------------------------------------


def test_every_defect_sits_on_its_recorded_line(expected):
    assert set(expected["rejects_by_reason"]) <= set(REJECT_REASONS)
    for reason in ("speed_impossible", "time_in_dst_gap", "time_unparsable",
                   "speed_unparsable", "field_count", "site_unknown"):
        assert expected["rejects_by_reason"].get(reason, 0) >= 1, reason
    for r in expected["rejects"]:
        enc = "cp1252" if expected["files"][r["file"]]["profile"] == "se_radar" else "utf-8"
        lines = _text(SAMPLE / r["file"], enc).splitlines()
        assert lines[r["line"] - 1] == r["raw"]
    counts = pd.Series([r["reason"] for r in expected["rejects"]]).value_counts().to_dict()
    assert counts == expected["rejects_by_reason"]


# --- planted patterns ------------------------------------------------------------------


def _v85_interval(x: np.ndarray) -> tuple[float, float]:
    """Distribution-free 95 % interval of the 0.85 quantile from order statistics."""
    x = np.sort(x)
    n = len(x)
    lo = int(stats.binom.ppf(0.025, n, 0.85))
    hi = int(stats.binom.ppf(0.975, n, 0.85)) + 1
    return x[max(lo - 1, 0)], x[min(hi - 1, n - 1)]


def test_planted_speeding_survives_its_intervals(expected):
    cells = expected["patterns"]["speeding"]
    assert {c["site_id"] for c in cells} == {"K04", "K05"}
    frames = {}
    for c in cells:
        if c["file"] not in frames:
            bad = {r["line"] for r in expected["files"][c["file"]]["rejects"]}
            frames[c["file"]] = _radar_frame(SAMPLE / c["file"], bad)
        df = frames[c["file"]]
        cell = df[(df["weekday"] == c["weekday"]) & (df["hour"] == c["hour_of_day"])
                  & (df["cls"] != "CYKEL")]
        speeds = cell["speed"].to_numpy()
        assert len(speeds) == c["n"] >= 30
        over = int((speeds > c["speed_limit"]).sum())
        lo, _ = proportion_confint(over, len(speeds), alpha=0.05, method="wilson")
        assert lo > 0.15 + 0.3
        assert lo == pytest.approx(c["share_over_limit_lo"], abs=1e-4)
        v85_lo, _ = _v85_interval(speeds)
        assert v85_lo > c["speed_limit"] + 5
        assert v85_lo == pytest.approx(c["v85_lo"], abs=0.05)


def test_comparison_street_is_not_speeding_at_night(expected):
    rel = "counters/K15_Akerbovagen_2024-04-15.csv.gz"
    df = pd.read_csv(SAMPLE / rel)
    local = pd.to_datetime(df["time"], utc=True).dt.tz_convert("Europe/Stockholm")
    night = df[local.dt.hour.isin([21, 22, 23]) & (df["vehicle_class"] != "bicycle")]
    v85_lo, _ = _v85_interval(night["speed"].to_numpy())
    assert v85_lo < 50 + 5


@pytest.mark.slow
def test_laps_and_slow_groups_on_ringvagen(expected):
    laps = expected["patterns"]["laps"]
    groups = expected["patterns"]["slow_groups"]
    assert {lap["weekday"] for lap in laps} == {5, 6}
    assert len(groups) >= 8 and all(3 <= g["size"] <= 6 for g in groups)
    for rel in sorted({lap["file"] for lap in laps}):
        bad = {r["line"] for r in expected["files"][rel]["rejects"]}
        df = _radar_frame(SAMPLE / rel, bad)
        local = df["local"]
        for lap in (x for x in laps if x["file"] == rel):
            start = pd.Timestamp(lap["start"]).tz_convert("Europe/Stockholm").tz_localize(None)
            end = pd.Timestamp(lap["end"]).tz_convert("Europe/Stockholm").tz_localize(None)
            fast = df[(local >= start) & (local <= end) & (df["speed"] >= 75)]
            assert lap["passes"] <= len(fast) <= lap["passes"] + 3
            assert fast["speed"].max() <= 100.0
            # the same cars come back: a few lengths carry most passes
            assert fast["length"].value_counts().iloc[:3].sum() >= 0.8 * lap["passes"]
        for g in (x for x in groups if x["file"] == rel):
            t0 = pd.Timestamp(g["start"]).tz_convert("Europe/Stockholm").tz_localize(None)
            near = df[(local >= t0.floor("s")) & (local <= t0 + pd.Timedelta(seconds=16))
                      & (df["dir"] == g["direction"]) & df["speed"].between(28, 32)]
            assert len(near) >= g["size"]


def test_measures_have_known_effects(expected):
    built = [m for m in expected["measures"] if m["status"] == "built"]
    planned = [m for m in expected["measures"] if m["status"] == "planned"]
    assert len(built) == 3 and len(planned) == 1
    assert {m["street"] for m in built} == {"Ringvägen", "Skogsleden", "Östanåsgatan"}
    for m in built:
        assert m["before"]["start"][:7] in ("2024-04", "2024-05")
        assert m["after"]["start"][:7] in ("2024-09", "2024-10")
        assert m["comparison_before"]["start"] == m["before"]["start"]
        assert m["comparison_after"]["start"] == m["after"]["start"]
        assert m["observed_did_kmh"] == pytest.approx(m["true_effect_mean_kmh"], abs=0.5)
        assert m["observed_comparison_change_kmh"] == pytest.approx(m["town_trend_kmh"],
                                                                    abs=0.4)
    # observed means recomputed from the raw files
    m = built[0]
    before = _radar_frame(SAMPLE / m["before"]["file"],
                          {r["line"] for r in expected["files"][m["before"]["file"]]["rejects"]})
    motor = before.loc[before["cls"] != "CYKEL", "speed"]
    assert len(motor) == m["before"]["n"]
    assert motor.mean() == pytest.approx(m["before"]["mean_speed"], abs=1e-3)


def test_stale_site_and_sites_without_data(expected):
    assert expected["stale"]["newest_data"].startswith("2021-")
    newest = {k: v for k, v in expected["sites"]["newest_data"].items() if k != "K20"}
    assert all(v.startswith("2024-") for v in newest.values())
    assert "K14" in expected["sites"]["without_data"]


# --- Embrace reports -----------------------------------------------------------------------


def _embrace_csv(expected) -> pd.DataFrame:
    rel = next(f for f, e in expected["reports"]["files"].items() if e["layout"] == "D")
    text = (SAMPLE / rel).read_bytes().decode("cp1252")
    return pd.DataFrame(list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";")))


def test_reports_files_hold_all_reports(expected):
    from openpyxl import load_workbook

    csv_rows = _embrace_csv(expected)
    assert len(csv_rows) == 250
    rel = next(f for f, e in expected["reports"]["files"].items() if e["layout"] == "E")
    ws = load_workbook(SAMPLE / rel)["Ärenden"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:2] == ("Ärende-ID", "Datum")
    assert len(rows) - 1 == 50
    ids = csv_rows["Ärendenummer"].tolist() + [r[0] for r in rows[1:]]
    assert ids == expected["reports"]["ids"]
    counts = pd.Series(csv_rows["Kategori"].tolist() + [r[3] for r in rows[1:]]).value_counts()
    assert counts.sort_index().to_dict() == expected["reports"]["by_raw_category"]
    xs = [r[6] for r in rows[1:] if r[6] is not None]
    assert all(6_590_000 < x < 6_610_000 for x in xs)  # SWEREF 99 TM northing near Köping


def test_reports_cluster_where_the_problems_are(expected):
    df = _embrace_csv(expected)
    when = pd.to_datetime(df["Händelsetid"].where(df["Händelsetid"] != "", df["Skapad"]))
    ring = df["Gata/plats"].str.startswith("Ringvägen") & (df["Kategori"] == "Buskörning")
    weekend_night = (when.dt.day_of_week.isin([4, 5]) & (when.dt.hour >= 20)) | (
        when.dt.day_of_week.isin([5, 6]) & (when.dt.hour <= 2))
    assert ring.sum() >= 15
    assert weekend_night[ring].mean() > 0.9
    sites = set(pd.read_csv(SAMPLE / "sites.csv")["street"])
    for street, n in expected["reports"]["tip_streets"].items():
        assert street not in sites and n >= 10
    assert 0.5 < (df["Latitud"] != "").mean() < 0.95


def test_personal_data_and_hostile_text_are_planted(expected):
    df = _embrace_csv(expected)
    from openpyxl import load_workbook

    rel = next(f for f, e in expected["reports"]["files"].items() if e["layout"] == "E")
    ws = load_workbook(SAMPLE / rel)["Ärenden"]
    texts = "\n".join(df["Beskrivning"].tolist() + [str(r[5]) for r in ws.iter_rows(
        min_row=2, values_only=True)])
    for item in expected["reports"]["personal_data"]:
        assert item["value"] in texts, item
    for hostile in expected["reports"]["hostile"]:
        assert hostile in texts
    assert any("\n" in t for t in df["Beskrivning"]) and any(";" in t for t in df["Beskrivning"])
    for item in expected["reports"]["personal_data"]:
        if item["kind"] in ("personnummer", "samordningsnummer"):
            digits = "".join(ch for ch in item["value"] if ch.isdigit())[-10:]
            total = sum(sum(divmod(int(d) * (2 - i % 2), 10)) for i, d in enumerate(digits))
            assert total % 10 == 0, item


def test_luhn_digit_known_value():
    # 811228-9874 is the Skatteverket textbook example
    assert luhn_digit("811228987") == 4


# --- simulator and writers for tests and benchmarks --------------------------------------------


def test_simulate_vehicles_contract_and_determinism():
    v = simulate_vehicles(50_000, 3, "2024-03-25", 14, seed=7, speed_limit=[30, 50, 60])
    validate(v, "vehicles")
    assert len(v) == 50_000
    assert str(v["time"].dtype) == "datetime64[ns, UTC]"
    assert set(v["site_id"]) == {"S01", "S02", "S03"}
    assert v.groupby("site_id")["time"].apply(lambda t: t.is_monotonic_increasing).all()
    assert v["headway"].min() >= 1.2 - 1e-6
    means = v[v["vehicle_class"] == "car"].groupby("site_id")["speed"].mean()
    assert means["S01"] == pytest.approx(32, abs=0.5)
    assert means["S03"] == pytest.approx(57, abs=0.5)
    again = simulate_vehicles(50_000, 3, "2024-03-25", 14, seed=7, speed_limit=[30, 50, 60])
    pd.testing.assert_frame_equal(v, again)
    local = v["time"].dt.tz_convert("Europe/Stockholm")
    by_hour = local.dt.hour.value_counts()
    assert by_hour[16] > 10 * by_hour[3]  # afternoon peak, quiet night


def test_writers_round_trip(tmp_path):
    v = simulate_vehicles(3_000, 1, "2024-10-26", 2, seed=3)
    lines = write_se_radar(v, tmp_path / "r.csv.gz", {"site_id": "S01", "name": "Testgatan"})
    assert lines == []
    df = _radar_frame(tmp_path / "r.csv.gz", set())
    assert len(df) == len(v)
    np.testing.assert_allclose(df["speed"], v.sort_values("time")["speed"])
    write_generic_vehicles(v, tmp_path / "g.csv")
    g = pd.read_csv(tmp_path / "g.csv")
    t = pd.to_datetime(g["time"], utc=True, format="ISO8601")
    assert (t == v["time"].dt.floor("s").sort_values().reset_index(drop=True)).all()
    assert (g["vehicle_class"].to_numpy() == v.sort_values("time")["vehicle_class"]
            .to_numpy()).all()


def test_checks_done_and_planted_time_halo(expected):
    done = pd.read_csv(SAMPLE / "checks_done" / "kontroller_2024.csv")
    assert list(done.columns[:6]) == ["team", "start", "end", "site_id", "vehicles_checked",
                                      "violations"]
    first = done[done["site_id"] == "K07"].iloc[0]
    rel = "counters/K07_Skogsleden_2024-06-10.csv.gz"
    df = _radar_frame(SAMPLE / rel, set())
    df = df[df["cls"].isin(["PB", "PBS"])]
    end = pd.Timestamp(first["end"]).tz_localize(None)
    halo = df[(df["local"] >= end.ceil("h")) & (df["local"] < end.ceil("h") + pd.Timedelta("24h"))]
    later = end.ceil("h") + pd.Timedelta("48h")
    free = df[(df["local"] >= later) & (df["local"] < later + pd.Timedelta("24h"))]
    true = expected["checks_done"]["halo_kmh"][0]["mean_change_kmh"]
    assert halo["speed"].mean() - free["speed"].mean() == pytest.approx(true, abs=1.0)


@pytest.mark.slow
def test_project_readers_read_every_counter_file_as_planted(expected):
    from trafikplan.io.counters import read_counter_file
    from trafikplan.io.profiles.detect import detect_profile
    from trafikplan.io.profiles.profile import load_profiles

    settings = load_settings(SAMPLE)
    profiles = load_profiles(SAMPLE)
    known = set(pd.read_csv(SAMPLE / "sites.csv", dtype=str)["site_id"])
    for rel, entry in expected["files"].items():
        profile = detect_profile(SAMPLE / rel, profiles)
        assert profile.name == entry["profile"], rel
        result = read_counter_file(SAMPLE / rel, profile, settings=settings, source=rel,
                                   known_sites=known)
        if entry["kind"] == "vehicles":
            assert len(result.table) == entry["vehicles"], rel
        else:
            assert int(result.table["count"].sum()) == entry["vehicles"], rel
        got = sorted(zip(result.rejects["line"], result.rejects["reason"], strict=True))
        assert got == sorted((r["line"], r["reason"]) for r in entry["rejects"]), rel
