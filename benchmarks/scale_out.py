"""Benchmark: how the statistics' time grows with data, in memory and with Dask.

For each size (default 1, 10 and 50 million vehicles) a partitioned store is
written straight from the sample generator (40 sites, four weeks over the
autumn DST night, parts per site and UTC month as an import writes them; no
text parsing, so that the set-up stays short), then the hourly statistics
(``by = site_id, direction, hour_start``) are computed

* with the pandas engine: :func:`trafikplan.io.loading.load` + ``speed_stats``
  in one child process (its peak memory reported), and
* with the Dask engine: :func:`trafikplan.stats.engine_dask.dask_speed_stats`
  on a LocalCluster of WORKERS worker processes, one thread each (cluster
  start-up reported apart; the time is the computation on a running cluster,
  as on a cluster that is already there).

Both engines' counts are compared (they must agree exactly). Prints one JSON
line per size and as the LAST line one JSON object with ``"benchmark":
"scale_out"``, ``"ratio"`` the Dask / pandas time at the largest size, and
every size's seconds.

Usage: ``.venv/bin/python benchmarks/scale_out.py [SIZES_IN_MILLIONS] [WORKERS]``,
e.g. ``1,10,50 2``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

N_SITES = 40
START, DAYS = "2024-10-14", 28
TOML = 'municipality = "Köping"\ntimezone = "Europe/Stockholm"\n'
BY = ("site_id", "direction", "hour_start")


def peak_rss_mb() -> float:
    """Peak resident memory of this process [MB] (Linux VmHWM)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def build_store(folder: Path, n: int, seed: int = 0) -> None:
    """Write a store of ``n`` simulated vehicles, one site at a time (bounded memory)."""
    import numpy as np
    import pandas as pd

    from trafikplan.io.store.store import STORE_FORMAT, Store
    from trafikplan.sample.traffic import simulate_vehicles

    (folder / "counters").mkdir(parents=True)
    (folder / "trafikplan.toml").write_text(TOML, encoding="utf-8")
    ids = [f"K{i:02d}" for i in range(N_SITES)]
    rows = [f"{s},Gata {i},,59.5{i:03d},15.98,{30 + 10 * (i % 4)},Norr,true"
            for i, s in enumerate(ids)]
    (folder / "sites.csv").write_text(
        "site_id,street,section,lat,lon,speed_limit,area,check_spot\n" + "\n".join(rows) + "\n",
        encoding="utf-8")
    store = Store(folder)
    files = {}
    per_site = np.random.default_rng(seed).multinomial(n, np.full(N_SITES, 1.0 / N_SITES))
    for i, (site, n_site) in enumerate(zip(ids, per_site, strict=True)):
        v = simulate_vehicles(int(n_site), 1, START, DAYS, seed=seed + i,
                              speed_limit=30 + 10 * (i % 4))
        v["site_id"] = pd.Categorical.from_codes(np.zeros(len(v), np.int8), [site])
        v["source"] = pd.Categorical.from_codes(np.zeros(len(v), np.int8),
                                                [f"counters/{site}.csv"])
        for c in ("direction", "vehicle_class"):
            v[c] = v[c].astype("category")
        month = v["time"].dt.strftime("%Y-%m")
        parts = []
        for mon, part in v.groupby(month, sort=True):
            rel = (store.part_dir("vehicles", site, str(mon)) / f"{uuid.uuid4().hex}.parquet")
            rel = rel.relative_to(store.root).as_posix()
            store.write_part(part, rel)
            parts.append({"path": rel, "table": "vehicles", "rows": len(part),
                          "site_id": site, "month": str(mon)})
        files[f"counters/{site}.csv"] = {"sha256": uuid.uuid4().hex, "profile": "generic",
                                         "kind": "vehicles", "rows": len(v), "rejected": 0,
                                         "parts": parts}
    with store.lock(exclusive=True):
        store.commit({"format": STORE_FORMAT, "fingerprint": None, "files": files})


def child_pandas(folder: Path) -> dict:
    import trafikplan
    from trafikplan.stats import speed_stats

    t0 = time.perf_counter()
    tables = trafikplan.load(folder, import_new=False)
    t1 = time.perf_counter()
    stats = speed_stats(tables.vehicles, tables.sites, bins=tables.bins, by=BY,
                        tz=tables.settings.timezone)
    t2 = time.perf_counter()
    return {"load_s": t1 - t0, "stats_s": t2 - t1, "total_s": t2 - t0,
            "n": int(stats["n"].sum()), "groups": len(stats), "peak_rss_mb": peak_rss_mb()}


def run_child(folder: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", str(folder)],
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"pandas child failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> None:
    if argv[:1] == ["--child"]:
        print(json.dumps(child_pandas(Path(argv[1]))))
        return
    from trafikplan.stats.engine_dask import connect, dask_speed_stats

    sizes = [int(float(x) * 1_000_000) for x in (argv[0] if argv else "1,10,50").split(",")]
    workers = int(argv[1]) if len(argv) > 1 else 2
    results = []
    t0 = time.perf_counter()
    with connect(n_workers=workers, processes=True) as client:
        startup = time.perf_counter() - t0
        for n in sizes:
            with tempfile.TemporaryDirectory() as tmp:
                folder = Path(tmp) / "data"
                t0 = time.perf_counter()
                build_store(folder, n)
                built = time.perf_counter() - t0
                mem = run_child(folder)
                t0 = time.perf_counter()
                dk = dask_speed_stats(folder, by=BY, client=client, import_new=False)
                dask_s = time.perf_counter() - t0
                if int(dk["n"].sum()) != mem["n"] or len(dk) != mem["groups"]:
                    raise SystemExit(f"engines disagree at {n} vehicles")
                row = {"benchmark": "scale_out_size", "rows": n, "groups": mem["groups"],
                       "pandas_s": round(mem["total_s"], 2),
                       "pandas_load_s": round(mem["load_s"], 2),
                       "pandas_stats_s": round(mem["stats_s"], 2),
                       "pandas_peak_rss_mb": round(mem["peak_rss_mb"]),
                       "dask_s": round(dask_s, 2), "dask_workers": workers,
                       "ratio": round(dask_s / mem["total_s"], 2),
                       "baseline": "pandas engine (load + speed_stats)",
                       "store_build_s": round(built, 1)}
                print(json.dumps(row), flush=True)
                results.append(row)
    last = {"benchmark": "scale_out", "ratio": results[-1]["ratio"],
            "baseline": "pandas engine (load + speed_stats), same data, same process tree",
            "rows": sizes[-1], "dask_workers": workers,
            "dask_cluster_start_s": round(startup, 2)}
    for r in results:
        m = f"{r['rows'] // 1_000_000}M" if r["rows"] >= 1_000_000 else str(r["rows"])
        last.update({f"pandas_s_{m}": r["pandas_s"], f"dask_s_{m}": r["dask_s"],
                     f"pandas_peak_rss_mb_{m}": r["pandas_peak_rss_mb"]})
    print(json.dumps(last))


if __name__ == "__main__":
    main(sys.argv[1:])
