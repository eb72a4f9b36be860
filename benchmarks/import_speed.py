"""Benchmark: importing a 10-million-vehicle counter file vs the bare pyarrow CSV parse.

Writes two counter files of N vehicles (default 10 million) with the sample
generator, uncompressed, each into its own data folder:

* ``se_radar``: the Swedish radar layout (Windows-1252, ``;``, decimal comma,
  local wall-clock time through the autumn DST night; one site);
* ``generic_vehicles``: the generic CSV (ISO times with offset; ten sites).

For each layout a fresh child process (so that its peak memory is its own)
times trafikplan's import of the folder (:func:`trafikplan.io.importing.importer.import_data`:
hash, detect, parse, validate, convert times, set bad rows aside, write the
partitioned store) and ``pyarrow.csv.read_csv`` of the same file (the raw
parse: types inferred, no conversion), best of REPEATS each, and reports the
peak resident memory of the import (``ru_maxrss`` right after the first import,
before the baseline runs). A last child loads the radar folder's store and
computes the hourly statistics (``speed_stats`` by ``site_id, direction,
hour_start``) and reports their time and peak memory.

Prints one JSON line per layout and one for the statistics, then as the LAST
line one JSON object with ``"benchmark": "import"``, ``"ratio"`` the worse of
the two layouts' import / raw-parse ratios, each layout's ratio, seconds and
peak memory, and the statistics' peak memory.

Usage: ``.venv/bin/python benchmarks/import_speed.py [N_VEHICLES] [--profile]``
(``--profile`` prints the top of a cProfile of one import per layout instead).
"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPEATS = 3
START, DAYS = "2024-10-14", 28  # four weeks over the autumn DST night
N_GENERIC_SITES = 10
TOML = 'municipality = "Köping"\ntimezone = "Europe/Stockholm"\n'


def peak_rss_mb() -> float:
    """Peak resident memory of this process since the last reset [MB].

    Linux ``VmHWM`` (``ru_maxrss`` would carry the parent's peak over the exec).
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak_rss() -> None:
    """Start a new peak-memory measurement (Linux: write 5 to clear_refs)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def sites_csv(ids: list[str]) -> str:
    rows = [f"{s},Gata {i},,59.5{i:03d},15.98,50,Norr,true" for i, s in enumerate(ids)]
    return "site_id,street,section,lat,lon,speed_limit,area,check_spot\n" + "\n".join(rows) + "\n"


def write_folders(root: Path, n: int) -> dict[str, Path]:
    """One data folder per layout, each holding one counter file of ``n`` vehicles."""
    from trafikplan.sample.layouts import write_generic_vehicles, write_se_radar
    from trafikplan.sample.traffic import simulate_vehicles

    folders = {}
    radar = simulate_vehicles(n, 1, START, DAYS, seed=1, site_prefix="R")
    folder = root / "se_radar"
    (folder / "counters").mkdir(parents=True)
    (folder / "trafikplan.toml").write_text(TOML, encoding="utf-8")
    (folder / "sites.csv").write_text(sites_csv(["R01"]), encoding="utf-8")
    write_se_radar(radar, folder / "counters" / "R01_radar.csv", {"site_id": "R01"})
    folders["se_radar"] = folder
    del radar
    generic = simulate_vehicles(n, N_GENERIC_SITES, START, DAYS, seed=2, site_prefix="G")
    folder = root / "generic_vehicles"
    (folder / "counters").mkdir(parents=True)
    (folder / "trafikplan.toml").write_text(TOML, encoding="utf-8")
    ids = sorted(generic["site_id"].astype(str).unique())
    (folder / "sites.csv").write_text(sites_csv(ids), encoding="utf-8")
    write_generic_vehicles(generic, folder / "counters" / "generic.csv")
    folders["generic_vehicles"] = folder
    return folders


def child_import(folder: Path, layout: str) -> dict:
    """Time the import and the raw parse of one folder's file (runs in a child process)."""
    import pyarrow.csv as pcsv

    from trafikplan.io.importing.importer import import_data

    path = next((folder / "counters").iterdir())
    times = []
    rss = None
    rows = 0
    for _ in range(REPEATS):
        shutil.rmtree(folder / ".trafikplan", ignore_errors=True)
        reset_peak_rss()
        t0 = time.perf_counter()
        summary = import_data(folder)
        times.append(time.perf_counter() - t0)
        rows = summary.totals["vehicles"]
        rss = max(rss or 0.0, peak_rss_mb())
    if layout == "se_radar":
        head = path.read_bytes()[:4096].split(b"\n")
        skip = next(i for i, line in enumerate(head) if line.startswith(b"Datum;"))
        opts = pcsv.ReadOptions(skip_rows=skip, encoding="cp1252")
        parse = pcsv.ParseOptions(delimiter=";")
    else:
        opts, parse = pcsv.ReadOptions(), pcsv.ParseOptions(delimiter=",")
    base = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        table = pcsv.read_csv(path, read_options=opts, parse_options=parse)
        base.append(time.perf_counter() - t0)
        del table
    return {"benchmark": f"import_{layout}", "ratio": round(min(times) / min(base), 2),
            "baseline": "pyarrow.csv.read_csv", "rows": rows, "import_s": round(min(times), 2),
            "baseline_s": round(min(base), 2), "peak_rss_mb": round(rss or 0.0),
            "bytes": path.stat().st_size}


def child_stats(folder: Path) -> dict:
    """Time the hourly statistics over the imported store (runs in a child process)."""
    import trafikplan
    from trafikplan.stats import speed_stats

    reset_peak_rss()
    t0 = time.perf_counter()
    tables = trafikplan.load(folder, import_new=False)
    t1 = time.perf_counter()
    stats = speed_stats(tables.vehicles, tables.sites, bins=tables.bins,
                        by=("site_id", "direction", "hour_start"), tz=tables.settings.timezone)
    t2 = time.perf_counter()
    return {"benchmark": "import_hourly_stats", "rows": len(tables.vehicles),
            "groups": len(stats), "load_s": round(t1 - t0, 2), "stats_s": round(t2 - t1, 2),
            "peak_rss_mb": round(peak_rss_mb())}


def run_child(*args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True,
                         text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"child {args[0]} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def profile(folder: Path) -> None:
    import cProfile
    import pstats

    from trafikplan.io.importing.importer import import_data

    shutil.rmtree(folder / ".trafikplan", ignore_errors=True)
    prof = cProfile.Profile()
    prof.runcall(import_data, folder)
    pstats.Stats(prof).sort_stats("tottime").print_stats(25)


def main(argv: list[str]) -> None:
    if argv[:1] == ["--child"]:
        kind, folder = argv[1], Path(argv[2])
        result = child_stats(folder) if kind == "stats" else child_import(folder, kind)
        print(json.dumps(result))
        return
    do_profile = "--profile" in argv
    args = [a for a in argv if not a.startswith("--")]
    n = int(args[0]) if args else 10_000_000
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        folders = write_folders(Path(tmp), n)
        print(f"# wrote {n} vehicles per layout in {time.perf_counter() - t0:.1f} s",
              file=sys.stderr)
        if do_profile:
            for layout, folder in folders.items():
                print(f"## {layout}")
                profile(folder)
            return
        results = {layout: run_child(layout, str(folder)) for layout, folder in folders.items()}
        stats = run_child("stats", str(folders["se_radar"]))
    for r in results.values():
        print(json.dumps(r))
    print(json.dumps(stats))
    worst = max(results.values(), key=lambda r: r["ratio"])
    last = {"benchmark": "import", "ratio": worst["ratio"], "baseline": "pyarrow.csv.read_csv",
            "rows": n, "worst_layout": worst["benchmark"].removeprefix("import_")}
    for layout, r in results.items():
        last.update({f"{layout}_ratio": r["ratio"], f"{layout}_import_s": r["import_s"],
                     f"{layout}_baseline_s": r["baseline_s"],
                     f"{layout}_peak_rss_mb": r["peak_rss_mb"]})
    last.update(stats_peak_rss_mb=stats["peak_rss_mb"], stats_s=stats["stats_s"],
                stats_load_s=stats["load_s"])
    print(json.dumps(last))


if __name__ == "__main__":
    main(sys.argv[1:])
