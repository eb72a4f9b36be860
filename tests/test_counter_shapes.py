"""Counter files in the shapes real municipalities receive: read right, or refused clearly.

Every file here is written by the test; every expectation is computed from what
the test wrote (the file's own totals), not by trafikplan.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.interpolate import PchipInterpolator
from scipy.optimize import brentq

from trafikplan._errors import InputError
from trafikplan.cli import main
from trafikplan.io.counters import read_counter_file
from trafikplan.io.loading import load
from trafikplan.io.profiles.detect import detect_profile
from trafikplan.io.profiles.profile import load_profiles
from trafikplan.settings import Settings
from trafikplan.stats.binned import binned_stats

SETTINGS = Settings(municipality="Test")
SITES = "site_id,street,lat,lon,speed_limit\nM1,Storgatan,59.5,16.0,50\nM2,Lillgatan,59.6,16.1,30\n"


def data_dir(tmp_path, files: dict[str, str], profiles: dict[str, str] | None = None):
    """A data folder with the given counter files and user profiles."""
    root = tmp_path / "data"
    (root / "counters").mkdir(parents=True)
    (root / "trafikplan.toml").write_text('municipality = "Test"\ntimezone = '
                                          '"Europe/Stockholm"\n', encoding="utf-8")
    (root / "sites.csv").write_text(SITES, encoding="utf-8")
    for name, text in files.items():
        (root / "counters" / name).write_bytes(text.encode("utf-8"))
    if profiles:
        (root / "formats").mkdir()
        for name, text in profiles.items():
            (root / "formats" / f"{name}.toml").write_text(text, encoding="utf-8")
    return root


def run(capsys, *args):
    code = main([*map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


def read(root, name):
    path = root / "counters" / name
    profile = detect_profile(path, load_profiles(root), kinds=("vehicles", "bins"))
    return read_counter_file(path, profile, settings=SETTINGS, source=name)


HOURLY = """\
name = "hourly_classes"
kind = "bins"
header_match = '^Datum,Tid,Riktning,'
time_basis = "local"
[time]
columns = ["Datum", "Tid"]
format = "%Y-%m-%d %H:%M"
interval_minutes = 60
[site]
value = "M1"
[columns]
direction = "Riktning"
[bins]
speed_columns = '(?P<lo>\\d+)-(?P<hi>\\d+)'
"""


def test_a_time_format_that_fits_no_row_stops_with_exit_2_naming_column_and_format(
        tmp_path, capsys):
    text = "Datum,Tid,Riktning,0-30,30-50,50-70\n" + "".join(
        f"2024-04-15,{h:02d}.00,1,1,2,3\n" for h in range(8))  # '07.00', not '07:00'
    root = data_dir(tmp_path, {"m1.csv": text}, {"hourly": HOURLY})
    code, _, err = run(capsys, "import", root)
    assert code == 2
    assert "varje rad (8) sorterades ut (oläsbar tid)" in err
    assert "'Datum Tid'" in err and "%Y-%m-%d %H:%M" in err and "m1.csv:2" in err
    assert not (root / ".trafikplan").exists() or not list(
        (root / ".trafikplan").rglob("*.parquet"))


def test_a_zero_width_class_is_refused_naming_the_column(tmp_path, capsys):
    text = "Datum,Tid,Riktning,0-30,30-71,71-71,71-90\n2024-04-15,07:00,1,1,2,3,4\n"
    root = data_dir(tmp_path, {"m1.csv": text}, {"hourly": HOURLY})
    code, _, err = run(capsys, "import", root)
    assert code == 2
    assert "kolumn '71-71'" in err and "ingen bredd" in err


def test_overlapping_classes_are_refused_naming_both(tmp_path, capsys):
    text = "Datum,Tid,Riktning,0-30,25-50\n2024-04-15,07:00,1,1,2\n"
    root = data_dir(tmp_path, {"m1.csv": text}, {"hourly": HOURLY})
    code, _, err = run(capsys, "import", root)
    assert code == 2
    assert "'0-30' och '25-50' överlappar" in err


def test_a_gap_between_classes_is_a_warning_naming_it(tmp_path, capsys):
    text = "Datum,Tid,Riktning,0-30,31-50,50-70\n2024-04-15,07:00,1,1,2,3\n"
    root = data_dir(tmp_path, {"m1.csv": text}, {"hourly": HOURLY})
    code, _, err = run(capsys, "import", root)
    assert code == 0
    assert "varning: counters/m1.csv: hastighetsklasserna '0-30' och '31-50' lämnar ett glapp" \
        in err


INCLUSIVE = HOURLY.replace('name = "hourly_classes"', 'name = "inclusive"').replace(
    "speed_columns = '(?P<lo>\\d+)-(?P<hi>\\d+)'",
    "speed_columns = ['(?P<lo>\\d+)-(?P<hi>\\d+)', '>(?P<above>\\d+)']\nupper_inclusive = true")


def _independent(edges: list[tuple[float, float]], counts: np.ndarray, q: float) -> float:
    """Binned percentile by hand: PCHIP of the log-odds of the cumulative counts at the
    class edges (trafikplan.stats.binned.ClassCdf), solved with a root finder."""
    x = np.array([edges[0][0], *[hi for _, hi in edges]], dtype=float)
    cum = np.r_[0.0, np.cumsum(counts)]
    n = cum[-1]
    y = np.log((cum + 0.5) / (n - cum + 0.5))
    target = np.log((q * n + 0.5) / (n - q * n + 0.5))
    k = int(np.searchsorted(y, target, side="left"))  # first knot at or above the target
    pp = PchipInterpolator(x, y)
    return float(brentq(lambda v: pp(v) - target, x[k - 1], x[k]))


def test_inclusive_integer_classes_and_an_open_class(tmp_path):
    labels = ["0-15", "16-20", "21-25", "26-30", "31-35", "36-40", "41-45", ">45"]
    rng = np.random.default_rng(1)
    rows, per_row = [], []
    for h in range(6, 12):
        counts = [*rng.integers(0, 30, len(labels) - 1).tolist(), 0]
        per_row.append(counts)
        rows.append(f"2024-04-16,{h:02d}:00,1," + ",".join(map(str, counts)))
    text = "Datum,Tid,Riktning," + ",".join(labels) + "\n" + "\n".join(rows) + "\n"
    root = data_dir(tmp_path, {"m1.csv": text}, {"inclusive": INCLUSIVE})
    got = read(root, "m1.csv").table
    classes = got.drop_duplicates("speed_lo")[["speed_lo", "speed_hi"]].to_numpy().tolist()
    assert classes == [[0, 16], [16, 21], [21, 26], [26, 31], [31, 36], [36, 41], [41, 46],
                       [46, np.inf]]
    assert got.groupby("start")["count"].sum().tolist() == [sum(r) for r in per_row]
    stats = binned_stats(got, pd.DataFrame({"site_id": ["M1"], "street": ["S"],
                                            "speed_limit": [50.0]}),
                         by=("site_id", "direction", "hour_start"))
    for row, counts in zip(stats.itertuples(), per_row, strict=True):
        c = np.array(counts[:-1], dtype=float)
        edges = classes[:-1]
        assert row.n == sum(counts)
        assert row.v85 == pytest.approx(_independent(edges, c, 0.85))
        mids = np.array([(a + b) / 2 for a, b in edges])
        assert row.mean_speed == pytest.approx((mids * c).sum() / c.sum())


def _hourly(direction: str, hours: range, counts: list[int], day: str = "2024-04-15") -> str:
    return "Datum,Tid,Riktning,0-30,30-50,50-70\n" + "".join(
        f"{day},{h:02d}:00,{direction},{c},{c + 1},{c + 2}\n"
        for h, c in zip(hours, counts, strict=True))


def test_two_files_of_the_same_site_direction_and_hours_are_refused_naming_both(
        tmp_path, capsys):
    root = data_dir(tmp_path, {"m1_export.csv": _hourly("1", range(6, 12), [1] * 6),
                               "m1_again.csv": _hourly("1", range(10, 14), [2] * 4)},
                    {"hourly": HOURLY})
    code, _, err = run(capsys, "import", root)
    assert code == 2
    assert "counters/m1_again.csv och counters/m1_export.csv räknar båda riktning 1" in err
    assert "plats M1 från 2024-04-15 10:00 till 2024-04-15 12:00" in err
    assert "choices.toml" in err
    assert not list((root / ".trafikplan").rglob("*.parquet"))


def test_a_total_next_to_its_directions_is_recognised_and_a_choice_resolves_it(
        tmp_path, capsys):
    hours = range(6, 10)
    north, south = [3, 5, 7, 9], [2, 2, 4, 1]
    files = {"m1_nb.csv": _hourly("1", hours, north), "m1_sb.csv": _hourly("2", hours, south),
             "m1_total.csv": _hourly("all", hours, [a + b for a, b in zip(north, south,
                                                                          strict=True)])}
    root = data_dir(tmp_path, files, {"hourly": HOURLY})
    code, _, err = run(capsys, "import", root)
    assert code == 2
    assert "counters/m1_total.csv räknar båda riktningarna tillsammans" in err
    (root / "choices.toml").write_text('skip = ["counters/m1_total.csv"]\n')
    code, out, _ = run(capsys, "import", root)
    assert code == 0 and "Inte inläst (choices.toml skip): counters/m1_total.csv" in out
    bins = load(root, import_new=False).bins
    per = bins.groupby("direction")["count"].sum().to_dict()
    assert per == {"1": sum(3 * c + 3 for c in north), "2": sum(3 * c + 3 for c in south)}


def test_files_that_count_different_vehicles_are_added_when_the_user_says_so(
        tmp_path, capsys):
    root = data_dir(tmp_path, {"lane1.csv": _hourly("1", range(6, 8), [1, 1]),
                               "lane2.csv": _hourly("1", range(6, 8), [4, 4])},
                    {"hourly": HOURLY})
    (root / "choices.toml").write_text('add = [["counters/lane1.csv", "counters/lane2.csv"]]\n')
    code, _, err = run(capsys, "import", root)
    assert code == 0, err


def test_consecutive_weeks_of_one_counter_do_not_overlap(tmp_path, capsys):
    root = data_dir(tmp_path, {"w1.csv": _hourly("1", range(6, 12), [1] * 6),
                               "w2.csv": _hourly("1", range(12, 18), [1] * 6)},
                    {"hourly": HOURLY})
    code, _, err = run(capsys, "import", root)
    assert code == 0, err


# ------------------------------------------------------------ shapes of real exports


def _per_hour(got: pd.DataFrame) -> dict[tuple[str, str], int]:
    """Counts per interval start [UTC, ISO] and direction, as read."""
    sums = got.groupby([got["start"].map(pd.Timestamp.isoformat), "direction"])["count"].sum()
    return {k: int(v) for k, v in sums.items()}


def _expected(rows: list[tuple[str, str, list[int]]], offset_hours: float = 0.0
              ) -> dict[tuple[str, str], int]:
    """The file's own totals per interval start: rows of (local ISO start, direction, counts)."""
    out: dict[tuple[str, str], int] = {}
    for start, direction, counts in rows:
        key = ((pd.Timestamp(start) - pd.Timedelta(hours=offset_hours)).tz_localize("UTC")
               .isoformat(), direction)
        out[key] = out.get(key, 0) + sum(counts)
    return out


HEADERLESS = """\
name = "headerless"
kind = "bins"
has_header = false
header_names = ["date", "hour", "dir", "c0", "c30", "c50"]
header_match = '^\\d{4}-\\d{2}-\\d{2};\\d{2};[12];'
delimiter = ";"
time_basis = "fixed+01:00"
[time]
columns = ["date", "hour"]
format = "%Y-%m-%d %H"
interval_minutes = 60
[site]
filename = '^(M\\d)'
[columns]
direction = "dir"
[bins]
speed_columns = 'c(?P<lo>\\d+)'
"""


def test_headerless_file_columns_by_position(tmp_path):
    rows = [(f"2024-04-15T{h:02d}:00", d, [h, d_i + 1, 3])
            for h in range(0, 5) for d_i, d in enumerate("12")]
    text = "".join(f"{s[:10]};{s[11:13]};{d};{';'.join(map(str, c))}\n" for s, d, c in rows)
    root = data_dir(tmp_path, {"M1_week16.txt": text}, {"headerless": HEADERLESS})
    got = read(root, "M1_week16.txt")
    assert got.rejects.empty and got.meta["site_ids"] == ["M1"]
    assert _per_hour(got.table) == _expected(rows, offset_hours=1)
    assert got.table["line"].min() == 1  # the first line is data
    assert sorted(got.table["speed_lo"].unique()) == [0, 30, 50]


BROKEN = """\
name = "broken_header"
kind = "bins"
header_match = '^Dat.m;Tid;Riktn'
header_names = ["Datum", "Tid", "Riktning", "0-30", "30-50", "50-70", "Summa"]
extra_fields = "ignore"
delimiter = ";"
encodings = ["cp1252"]
time_basis = "local"
[time]
columns = ["Datum", "Tid"]
format = "%Y-%m-%d %H:%M"
range_separator = "-"
interval_minutes = 60
[site]
metadata = '^Mätplats:\\s*(\\S+)'
[columns]
direction = "Riktning"
[bins]
speed_columns = '(?P<lo>\\d+)-(?P<hi>\\d+)'
total_column = "Summa"
"""


def test_broken_header_given_in_the_profile_extra_fields_and_a_time_range(tmp_path, capsys):
    # the vendor's header is garbled and short; every row ends in an extra ';'
    rows = [(f"2024-06-03T{h:02d}:00", "1", [h, 2, 1]) for h in range(7, 11)]
    body = "".join(f"{s[:10]};{s[11:16]} - {s[11:13]}:59;{d};{';'.join(map(str, c))};"
                   f"{sum(c) + (1 if h == 9 else 0)};\n"
                   for (s, d, c), h in zip(rows, range(7, 11), strict=True))
    text = "Mätplats: M2\nDat\ufffdm;Tid;Riktn;0-30;30-50;50-70\n" + body
    root = data_dir(tmp_path, {}, {"broken": BROKEN})
    (root / "counters" / "m2.csv").write_bytes(text.replace("\ufffd", "u").encode("cp1252"))
    got = read(root, "m2.csv")
    assert got.rejects.empty
    assert _per_hour(got.table) == _expected(rows, offset_hours=2)  # CEST
    code, _, err = run(capsys, "import", root)
    assert code == 0
    assert "leverantörens summa ('Summa') skiljer sig från summan av klasserna på 1 av 4" in err


PER_DIRECTION = HOURLY.replace('name = "hourly_classes"', 'name = "per_direction"').replace(
    '[columns]\ndirection = "Riktning"\n', "").replace(
    "header_match = '^Datum,Tid,Riktning,'", "header_match = '^Datum,Tid,0-'") + """
[direction]
filename = '_(nb|sb)\\.csv$'
default = "all"
[direction.names]
nb = "N"
sb = "S"
"""


def test_one_file_per_direction_direction_from_the_file_name(tmp_path, capsys):
    def file(counts):
        return "Datum,Tid,0-30,30-50\n" + "".join(
            f"2024-04-15,{h:02d}:00,{c},{c}\n" for h, c in zip(range(6, 9), counts, strict=True))
    north, south = [4, 6, 8], [1, 2, 3]
    files = {"m1_nb.csv": file(north), "m1_sb.csv": file(south),
             "m1.csv": file([a + b for a, b in zip(north, south, strict=True)])}
    root = data_dir(tmp_path, files, {"per_direction": PER_DIRECTION})
    rows = [(f"2024-04-15T{h:02d}:00", d, [c, c]) for d, counts in (("N", north), ("S", south))
            for h, c in zip(range(6, 9), counts, strict=True)]
    both = {**_per_hour(read(root, "m1_nb.csv").table), **_per_hour(read(root, "m1_sb.csv").table)}
    assert both == _expected(rows, offset_hours=2)
    assert set(read(root, "m1.csv").table["direction"]) == {"all"}
    code, _, err = run(capsys, "import", root)
    assert code == 2 and "counters/m1.csv räknar båda riktningarna tillsammans" in err


BY_COLUMN = """\
name = "direction_in_column_names"
kind = "bins"
header_match = '^Start;N '
delimiter = ";"
time_basis = "utc"
[time]
columns = "Start"
format = "%Y-%m-%d %H:%M"
interval_minutes = 15
label = "end"
[site]
value = "M2"
[bins]
speed_columns = ['(?P<direction>[NS]) (?P<lo>\\d+)-(?P<hi>\\d+)',
                 '(?P<direction>[NS]) >(?P<above>\\d+)']
upper_inclusive = true
"""


def test_direction_from_a_column_name_group_and_end_stamped_intervals(tmp_path):
    labels = ["N 0-30", "N 31-50", "N >50", "S 0-30", "S 31-50", "S >50"]
    rows = []
    lines = []
    for k in range(1, 9):  # stamps 00:15 .. 02:00 mark the end of each quarter
        end = pd.Timestamp("2024-01-10 00:00") + pd.Timedelta(minutes=15 * k)
        counts = [k, 2 * k, 1, k + 1, 0, 2]
        rows += [((end - pd.Timedelta(minutes=15)).isoformat(), "N", counts[:3]),
                 ((end - pd.Timedelta(minutes=15)).isoformat(), "S", counts[3:])]
        lines.append(f"{end:%Y-%m-%d %H:%M};" + ";".join(map(str, counts)))
    text = "Start;" + ";".join(labels) + "\n" + "\n".join(lines) + "\n"
    root = data_dir(tmp_path, {"m2.csv": text}, {"by_column": BY_COLUMN})
    got = read(root, "m2.csv").table
    assert _per_hour(got) == _expected(rows)
    north = got[got["direction"] == "N"].drop_duplicates("speed_lo")
    assert north[["speed_lo", "speed_hi"]].to_numpy().tolist() == [[0, 31], [31, 51],
                                                                   [51, np.inf]]


MPH_BINS = HOURLY.replace('name = "hourly_classes"', 'name = "mph_bins"') + """
[units]
speed = "mph"
"""


def test_mph_classes_and_an_mph_limit(tmp_path):
    counts = {"0-20": 5, "20-25": 10, "25-30": 30, "30-35": 20, "35-40": 10, "40-50": 5}
    text = ("Datum,Tid,Riktning," + ",".join(counts) + "\n"
            "2024-04-15,07:00,1," + ",".join(map(str, counts.values())) + "\n")
    root = data_dir(tmp_path, {"m2.csv": text}, {"mph": MPH_BINS})
    (root / "sites.csv").write_text(SITES.replace("M2,Lillgatan,59.6,16.1,30",
                                                  "M2,Lillgatan,59.6,16.1,30 mph"))
    from trafikplan.io.user_tables.sites import read_sites
    sites = read_sites(root / "sites.csv")
    got = read(root, "m2.csv").table.assign(site_id="M2")
    stats = binned_stats(got, sites, by=("site_id",)).iloc[0]
    mph = 1.609344
    edges = [(0, 20), (20, 25), (25, 30), (30, 35), (35, 40), (40, 50)]
    c = np.array(list(counts.values()), dtype=float)
    assert stats.n == 80
    assert stats.v85 == pytest.approx(_independent(edges, c, 0.85) * mph)
    assert stats.mean_speed == pytest.approx(
        sum((a + b) / 2 * n for (a, b), n in zip(edges, c, strict=True)) / c.sum() * mph)
    assert stats.speed_limit == pytest.approx(30 * mph)
    assert stats.share_over_limit == pytest.approx((20 + 10 + 5) / 80)


DST_LESS = HOURLY.replace('name = "hourly_classes"', 'name = "dst_less"').replace(
    'time_basis = "local"', 'time_basis = "local_standard"')


def test_a_clock_without_daylight_saving_named_as_such(tmp_path):
    # 2024-03-31 02:00 CET the clocks go forward; this device's clock does not
    rows = []
    for k in range(6):
        wall = pd.Timestamp("2024-03-31 00:00") + pd.Timedelta(hours=k)
        rows.append((wall.isoformat(), "1", [k + 1, 1, 0]))
    text = "Datum,Tid,Riktning,0-30,30-50,50-70\n" + "".join(
        f"{s[:10]},{s[11:16]},{d},{','.join(map(str, c))}\n" for s, d, c in rows)
    root = data_dir(tmp_path, {"m1.csv": text}, {"dst_less": DST_LESS})
    got = read(root, "m1.csv")
    assert got.rejects.empty  # 02:00 exists on a clock without DST
    assert _per_hour(got.table) == _expected(rows, offset_hours=1)


def _daily_traffic(hour: int) -> int:
    """Vehicles in a local hour of a weekday: peaks at 07 and 16, quiet at night."""
    return int(5 + 120 * np.exp(-((hour - 7.5) ** 2) / 2) + 150 * np.exp(-((hour - 16.5) ** 2) / 3))


@pytest.mark.parametrize(("declared", "warned"), [("local", True), ("local_standard", False)])
def test_a_clock_declared_wrongly_is_named_by_a_warning(tmp_path, capsys, declared, warned):
    # a device without daylight saving, over the spring change of 2024-03-31: its stamps
    # are CET all along, the traffic follows the people's (CEST) clock after the change
    rows = []
    for k in range(24 * 8):
        stamp = pd.Timestamp("2024-03-27 00:00") + pd.Timedelta(hours=k)  # CET wall time
        utc = stamp - pd.Timedelta(hours=1)
        local_hour = utc.tz_localize("UTC").tz_convert("Europe/Stockholm").hour
        rows.append(f"{stamp:%Y-%m-%d},{stamp:%H:%M},1,{_daily_traffic(local_hour)},0,0")
    text = "Datum,Tid,Riktning,0-30,30-50,50-70\n" + "\n".join(rows) + "\n"
    profile = HOURLY.replace('time_basis = "local"', f'time_basis = "{declared}"')
    root = data_dir(tmp_path, {"m1.csv": text}, {"hourly": profile})
    code, _, err = run(capsys, "import", root)
    assert code == 0, err
    assert ("ligga en timme fel" in err) is warned
    if warned:
        assert "2024-03-31" in err and "local_standard" in err


END_STAMPED = HOURLY.replace('name = "hourly_classes"', 'name = "end_stamped"').replace(
    "interval_minutes = 60", 'interval_minutes = 60\nlabel = "end"')


def test_end_stamped_hours_up_to_24_00(tmp_path):
    # 'kl 01:00' closes 00-01 ... '24:00' closes 23-24 (the day's last hour)
    rows, lines = [], []
    for h in range(1, 25):
        counts = [h, 2 * h, 1]
        stamp = f"{h:02d}:00"
        rows.append((f"2024-11-04T{h - 1:02d}:00", "1", counts))
        lines.append(f"2024-11-04,{stamp},1," + ",".join(map(str, counts)))
    text = "Datum,Tid,Riktning,0-30,30-50,50-70\n" + "\n".join(lines) + "\n"
    root = data_dir(tmp_path, {"m1.csv": text}, {"end_stamped": END_STAMPED})
    got = read(root, "m1.csv")
    assert got.rejects.empty
    assert _per_hour(got.table) == _expected(rows, offset_hours=1)  # CET
    assert got.table["end"].max() == pd.Timestamp("2024-11-04T23:00Z")


def test_direction_from_a_metadata_line(tmp_path):
    profile = PER_DIRECTION.replace("filename = '_(nb|sb)\\.csv$'\ndefault = \"all\"",
                                    "metadata = '^Riktning:\\s*(\\S+)'")
    assert "metadata" in profile
    text = "Riktning: sb\nDatum,Tid,0-30,30-50\n2024-04-15,06:00,3,4\n2024-04-15,07:00,5,6\n"
    root = data_dir(tmp_path, {"m1.csv": text}, {"per_direction": profile})
    got = read(root, "m1.csv").table
    assert _per_hour(got) == _expected([("2024-04-15T06:00", "S", [3, 4]),
                                        ("2024-04-15T07:00", "S", [5, 6])], offset_hours=2)
    (root / "counters" / "m1.csv").write_text(text.replace("Riktning: sb\n", ""))
    with pytest.raises(InputError, match="no direction"):
        read(root, "m1.csv")
