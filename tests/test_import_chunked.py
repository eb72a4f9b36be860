"""A counter file larger than the memory an import may use is imported chunk by chunk.

The memory limit is set through ``[import] chunk_rows``: 200 000 vehicles are
imported 10 000 rows at a time. The result must equal a whole-file import to
the last bit (headways and the fall-back rule of local times carry over from
chunk to chunk), no chunk may exceed the limit, and the memory Python
allocates during the import (tracemalloc: NumPy, pandas and the raw bytes)
must stay a fraction of what the whole file needs.
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pandas as pd
import pytest

import trafikplan
from trafikplan.io.counters import iter_counter_file
from trafikplan.io.files.safe_text import safe_slug
from trafikplan.io.importing import read as import_read
from trafikplan.io.importing.importer import import_data
from trafikplan.sample.layouts import write_generic_vehicles, write_se_radar
from trafikplan.sample.traffic import simulate_vehicles

N = 200_000
CHUNK = 10_000
# the autumn DST night (2024-10-27) falls inside the file, far from its start
START, DAYS = "2024-10-14", 28


def make_folder(root: Path, chunk_rows: int, radar: pd.DataFrame, generic: pd.DataFrame) -> Path:
    root.mkdir(parents=True)
    (root / "counters").mkdir()
    (root / "trafikplan.toml").write_text(
        'municipality = "Köping"\ntimezone = "Europe/Stockholm"\n\n'
        f"[import]\nchunk_rows = {chunk_rows}\n",
        encoding="utf-8",
    )
    (root / "sites.csv").write_text(
        "site_id,street,section,lat,lon,speed_limit,area,check_spot\n"
        "S01,Ringvägen,norr,59.5205,15.985,50,Norr,true\n"
        "S02,Skogsleden,öst,59.5150,16.0100,40,Öster,true\n"
        "S03,Nygatan,centrum,59.5110,15.9900,30,Centrum,false\n",
        encoding="utf-8",
    )
    write_se_radar(radar, root / "counters" / "S01_radar.csv", {"site_id": "S01"})
    write_generic_vehicles(generic, root / "counters" / "S02_S03_generic.csv")
    return root


@pytest.fixture(scope="module")
def traffic() -> tuple[pd.DataFrame, pd.DataFrame]:
    v = simulate_vehicles(N, 3, START, DAYS, seed=9, speed_limit=[50, 40, 30])
    radar = v[v["site_id"] == "S01"].reset_index(drop=True)
    generic = v[v["site_id"] != "S01"].reset_index(drop=True)
    return radar, generic


def import_measured(folder: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, list[int]]:
    """Import ``folder``; return the tracemalloc peak [bytes] and the rows of every chunk."""
    sizes: list[int] = []
    real = iter_counter_file

    def spy(*args, **kwargs):
        for chunk in real(*args, **kwargs):
            sizes.append(len(chunk.table) + len(chunk.rejects))
            yield chunk

    monkeypatch.setattr(import_read, "iter_counter_file", spy)
    tracemalloc.start()
    try:
        summary = import_data(folder)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert summary.totals["vehicles"] + summary.totals["rejects"] == N
    return peak, sizes


def vehicles_of(folder: Path) -> pd.DataFrame:
    v = trafikplan.load(folder, import_new=False).vehicles
    v = v.astype({c: "object" for c in ("site_id", "direction", "vehicle_class", "source")})
    return v.sort_values(["source", "line"]).reset_index(drop=True)


@pytest.mark.slow
def test_chunked_import_stays_within_the_chunk_and_equals_a_whole_import(
    tmp_path, traffic, monkeypatch
):
    radar, generic = traffic
    chunked = make_folder(tmp_path / "chunked", CHUNK, radar, generic)
    whole = make_folder(tmp_path / "whole", 10 * N, radar, generic)
    peak_chunked, sizes_chunked = import_measured(chunked, monkeypatch)
    peak_whole, sizes_whole = import_measured(whole, monkeypatch)

    # every chunk within the limit, and the file really was read in many of them
    assert max(sizes_chunked) <= CHUNK
    assert len(sizes_chunked) >= N // CHUNK
    assert len(sizes_whole) == 2
    # memory in proportion to the chunk, not to the file
    assert peak_chunked < peak_whole / 4, (peak_chunked, peak_whole)
    assert peak_chunked < 8 * 2**20, peak_chunked

    a, b = vehicles_of(chunked), vehicles_of(whole)
    assert len(a) == N
    pd.testing.assert_frame_equal(a, b)
    # headways carried over chunk boundaries: only the first vehicle of each
    # site and direction has none
    assert int(a["headway"].isna().sum()) == 6
    # the repeated hour of the autumn night was resolved by file order: the
    # radar's local wall times give back the simulated UTC instants
    s01 = a[a["site_id"] == "S01"].reset_index(drop=True)
    assert s01["time"].equals(radar["time"].dt.floor("s").reset_index(drop=True))


@pytest.mark.slow
def test_chunked_import_spreads_parts_by_site_and_month(tmp_path, traffic, monkeypatch):
    radar, generic = traffic
    folder = make_folder(tmp_path / "data", CHUNK, radar, generic)
    import_measured(folder, monkeypatch)
    parts = sorted(p.relative_to(folder / ".trafikplan" / "tables" / "vehicles").parts[:2]
                   for p in (folder / ".trafikplan" / "tables" / "vehicles").rglob("*.parquet"))
    assert {p[0] for p in parts} == {safe_slug(s) for s in ("S01", "S02", "S03")}
    assert {p[1] for p in parts} == {"2024-10", "2024-11"}
    # statistics of one site and month read only its parts
    tables = trafikplan.load(folder, sites=["S02"], start="2024-11-01", end="2024-11-05",
                             import_new=False)
    assert set(tables.vehicles["site_id"].astype(str)) == {"S02"}
    assert len(tables.vehicles) > 0
