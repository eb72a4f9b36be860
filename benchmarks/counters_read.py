"""Benchmark: reading a per-vehicle counter file vs the bare pyarrow CSV parse.

Writes a Swedish radar file (layout ``se_radar``: Windows-1252, ``;``, decimal
comma, local wall-clock time through the autumn DST night) and a generic CSV
(ISO times with ``Z``) of N vehicles to a temporary folder, then times
:func:`trafikplan.io.counters.read_counter_file` (detection excluded: the
profile is given) against ``pyarrow.csv.read_csv`` of the same file with the
same delimiter (types inferred, the baseline the import target refers to), in
the same process, best of REPEATS. Prints a JSON line per layout, the radar one
last.

Usage: ``.venv/bin/python benchmarks/counters_read.py [N_VEHICLES]``
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.csv as pcsv

from trafikplan.io.counters import read_counter_file
from trafikplan.io.profiles.profile import load_profiles
from trafikplan.settings import Settings

REPEATS = 3
START = pd.Timestamp("2024-10-14T00:00:00", tz="UTC")  # 4 weeks over the autumn DST night


def _times(n: int, rng: np.random.Generator) -> pd.DatetimeIndex:
    seconds = np.sort(rng.uniform(0, 28 * 86400, n)).round()
    return START + pd.to_timedelta(seconds, unit="s")


def write_radar(path: Path, n: int, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    wall = _times(n, rng).tz_convert("Europe/Stockholm").tz_localize(None)
    stamp = np.datetime_as_string(wall.to_numpy().astype("datetime64[s]"))
    stamp = np.char.replace(stamp.astype("U19"), "T", ";")
    speed = np.char.replace(np.round(rng.normal(45, 8, n), 1).astype("U6"), ".", ",")
    direction = rng.integers(1, 3, n).astype("U1")
    body = pd.DataFrame({"t": stamp, "d": direction, "s": speed}).to_csv(
        sep="|", header=False, index=False, lineterminator="\r\n")
    body = body.replace("|", ";").replace("\r\n", ";4,5;;PB\r\n")
    head = ("Mätplats-ID;K03\r\n"
            "Datum;Tid;Riktning;Hastighet (km/h);Längd (m);Tidlucka (s);Klass\r\n")
    path.write_bytes((head + body).encode("cp1252"))


def write_generic(path: Path, n: int, seed: int = 1) -> None:
    rng = np.random.default_rng(seed)
    stamp = np.datetime_as_string(_times(n, rng).tz_localize(None).to_numpy()
                                  .astype("datetime64[s]")).astype("U19")
    df = pd.DataFrame({"site_id": "K01", "time": np.char.add(stamp, "Z"),
                       "direction": rng.integers(1, 3, n),
                       "speed": np.round(rng.normal(45, 8, n), 1), "length": 4.5,
                       "vehicle_class": "car"})
    path.write_text(df.to_csv(index=False), encoding="utf-8")


def best(fn, repeats: int = REPEATS) -> float:
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return min(out)


def run(n: int) -> list[dict]:
    profiles = {p.name: p for p in load_profiles()}
    settings = Settings(municipality="Köping")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, writer, skip, delim in (("generic_vehicles", write_generic, 0, ","),
                                          ("se_radar", write_radar, 1, ";")):
            path = Path(tmp) / f"{name}.csv"
            writer(path, n)
            opts = (pcsv.ReadOptions(skip_rows=skip,
                                     encoding="cp1252" if name == "se_radar" else "utf8"),
                    pcsv.ParseOptions(delimiter=delim))
            base = best(lambda p=path, o=opts: pcsv.read_csv(p, read_options=o[0],
                                                              parse_options=o[1]))
            rows: list[int] = []

            def ours_once(p: Path = path, nm: str = name, out: list[int] = rows) -> None:
                out.append(len(read_counter_file(p, profiles[nm], settings=settings,
                                                 source=p.name).table))

            ours = best(ours_once)
            results.append({"benchmark": f"counters_read_{name}", "ratio": round(ours / base, 2),
                            "baseline": "pyarrow.csv.read_csv (types inferred)",
                            "rows": n, "read_s": round(ours, 3), "baseline_s": round(base, 3),
                            "rows_out": rows[-1], "bytes": path.stat().st_size})
    return results


if __name__ == "__main__":
    n_rows = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000_000
    for line in run(n_rows):
        print(json.dumps(line))
