"""The Dask engine gives the in-memory numbers: counts exactly, floats to rounding."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import trafikplan
from trafikplan.io.loading import read_site, scan
from trafikplan.io.store.store import Store
from trafikplan.stats import speed_stats
from trafikplan.stats.engine_dask import connect, dask_speed_stats

EXACT = ("n", "n_days", "n_hours", "n_classified", "n_excluded_headway")
"""Counts: equal to the last digit."""


@pytest.fixture(scope="module")
def client():
    with connect(n_workers=2, processes=False) as c:
        yield c


def memory_stats(tables, by, *, free_flow=False, sites=None, start=None, end=None):
    if sites or start or end:
        tables = trafikplan.load(tables.data_dir, sites=sites, start=start, end=end,
                                 import_new=False)
    s = tables.settings
    return speed_stats(
        tables.vehicles, tables.sites, bins=tables.bins, by=by, tz=s.timezone,
        free_flow_headway_s=s.stats.free_flow_headway_s if free_flow else None,
        include_bicycles=s.stats.include_bicycles,
        min_n_percentile=s.stats.min_vehicles_percentile)


def assert_same_numbers(mem: pd.DataFrame, dk: pd.DataFrame) -> None:
    assert list(dk.columns) == list(mem.columns)
    assert len(dk) == len(mem) > 0
    for col in mem.columns:
        a, b = mem[col].reset_index(drop=True), dk[col].reset_index(drop=True)
        if col in EXACT or a.dtype.kind in "iuOSb" or isinstance(a.dtype, pd.StringDtype):
            pd.testing.assert_series_equal(a, b, check_dtype=False, obj=col)
        else:
            np.testing.assert_allclose(b.to_numpy(float), a.to_numpy(float), rtol=1e-9,
                                       atol=1e-9, equal_nan=True, err_msg=col)


@pytest.mark.parametrize("by", [
    ("site_id", "direction", "hour_start"),  # the default: one task per site
    ("site_id", "weekday", "hour_of_day"),
    ("direction", "date"),                   # groups span sites: gathered
    ("hour_start",),
])
def test_engines_agree_on_the_sample(imported_sample, sample_tables, client, by):
    mem = memory_stats(sample_tables, by)
    dk = dask_speed_stats(imported_sample, by=by, client=client, import_new=False)
    assert_same_numbers(mem, dk)
    # the statistics really come from both bases of the sample
    assert set(dk["basis"]) == {"vehicles", "bins"}


def test_engines_agree_on_a_period_sites_and_free_flow(imported_sample, sample_tables,
                                                       client):
    kw = {"sites": ["K03", "K06"], "start": "2024-04-15", "end": "2024-04-21"}
    mem = memory_stats(sample_tables, ("site_id", "weekday"), free_flow=True, **kw)
    dk = dask_speed_stats(imported_sample, by=("site_id", "weekday"), free_flow=True,
                          client=client, import_new=False, **kw)
    assert_same_numbers(mem, dk)
    assert set(dk["site_id"]) == {"K03", "K06"}
    assert dk["n_excluded_headway"].sum() > 0


def test_scan_lists_only_the_parts_of_the_period_and_sites(imported_sample, sample_tables):
    found = scan(imported_sample, sites=["K03"], start="2024-04-16", end="2024-04-17",
                 import_new=False)
    assert [p.site_id for p in found.parts] == ["K03"]
    months = {Path(p).parent.name for p in found.parts[0].vehicles}
    assert months == {"2024-04"}
    with Store(imported_sample).lock(exclusive=False):
        vehicles, _ = read_site(found.parts[0], found.lo, found.hi)
    local = vehicles["time"].dt.tz_convert("Europe/Stockholm").dt.strftime("%Y-%m-%d")
    assert set(local) == {"2024-04-16", "2024-04-17"}
    v = sample_tables.vehicles
    t = v["time"].dt.tz_convert("Europe/Stockholm").dt.strftime("%Y-%m-%d")
    expected = int(((v["site_id"] == "K03") & t.isin(["2024-04-16", "2024-04-17"])).sum())
    assert len(vehicles) == expected > 0


def test_whole_store_scan_covers_every_site_with_data(imported_sample, sample_tables):
    found = scan(imported_sample, import_new=False)
    with_data = set(sample_tables.vehicles["site_id"].astype(str)) | set(
        sample_tables.bins["site_id"].astype(str))
    assert {p.site_id for p in found.parts} == with_data
    assert sum(p.rows for p in found.parts) == len(sample_tables.vehicles) + len(
        sample_tables.bins)


def test_cli_dask_engine_writes_the_pandas_numbers(imported_sample, tmp_path):
    exe = [sys.executable, "-m", "trafikplan", "stats", str(imported_sample), "--site", "K03",
           "--by", "site_id,hour_of_day"]
    out_pd, out_dk = tmp_path / "pandas.csv", tmp_path / "dask.csv"
    r1 = subprocess.run([*exe, "-o", str(out_pd)], capture_output=True, text=True,
                        timeout=300, check=False)
    r2 = subprocess.run([*exe, "--engine", "dask", "-o", str(out_dk)], capture_output=True,
                        text=True, timeout=300, check=False)
    assert r1.returncode == 0, r1.stderr
    assert r2.returncode == 0, r2.stderr
    assert_same_numbers(pd.read_csv(out_pd), pd.read_csv(out_dk))


def test_scheduler_without_dask_engine_is_a_usage_error(imported_sample, capsys):
    from trafikplan.cli import main

    code = main(["stats", str(imported_sample), "--scheduler", "tcp://127.0.0.1:8786"])
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert "--engine dask" in err and "\n" not in err
