"""Counter files in the shapes real municipalities receive: read right, or refused clearly.

Every file here is written by the test; every expectation is computed from what
the test wrote (the file's own totals), not by trafikplan.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from trafikplan.cli import main
from trafikplan.io.counters import read_counter_file
from trafikplan.io.profiles import detect_profile, load_profiles
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
    assert "every row (8) was set aside" in err
    assert "'Datum Tid'" in err and "%Y-%m-%d %H:%M" in err and "m1.csv:2" in err
    assert not (root / ".trafikplan").exists() or not list(
        (root / ".trafikplan").rglob("*.parquet"))


def test_a_zero_width_class_is_refused_naming_the_column(tmp_path, capsys):
    text = "Datum,Tid,Riktning,0-30,30-71,71-71,71-90\n2024-04-15,07:00,1,1,2,3,4\n"
    root = data_dir(tmp_path, {"m1.csv": text}, {"hourly": HOURLY})
    code, _, err = run(capsys, "import", root)
    assert code == 2
    assert "column '71-71'" in err and "no width" in err


def test_overlapping_classes_are_refused_naming_both(tmp_path, capsys):
    text = "Datum,Tid,Riktning,0-30,25-50\n2024-04-15,07:00,1,1,2\n"
    root = data_dir(tmp_path, {"m1.csv": text}, {"hourly": HOURLY})
    code, _, err = run(capsys, "import", root)
    assert code == 2
    assert "'0-30' and '25-50' overlap" in err


def test_a_gap_between_classes_is_a_warning_naming_it(tmp_path, capsys):
    text = "Datum,Tid,Riktning,0-30,31-50,50-70\n2024-04-15,07:00,1,1,2,3\n"
    root = data_dir(tmp_path, {"m1.csv": text}, {"hourly": HOURLY})
    code, _, err = run(capsys, "import", root)
    assert code == 0
    assert "warning: counters/m1.csv: speed classes '0-30' and '31-50' leave a gap" in err


INCLUSIVE = HOURLY.replace('name = "hourly_classes"', 'name = "inclusive"').replace(
    "speed_columns = '(?P<lo>\\d+)-(?P<hi>\\d+)'",
    "speed_columns = ['(?P<lo>\\d+)-(?P<hi>\\d+)', '>(?P<above>\\d+)']\nupper_inclusive = true")


def _independent(edges: list[tuple[float, float]], counts: np.ndarray, q: float) -> float:
    """Grouped-data quantile: uniform inside each class, by hand."""
    cum = np.cumsum(counts)
    target = q * cum[-1]
    k = int(np.searchsorted(cum, target))
    before = cum[k - 1] if k else 0.0
    lo, hi = edges[k]
    return lo + (target - before) / counts[k] * (hi - lo)


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
