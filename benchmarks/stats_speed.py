"""Benchmark: full speed statistics vs one bare pandas groupby quantile.

Builds about 10 million vehicles over 40 sites and 4 weeks (canonical vehicles
table), then times ``speed_stats(..., by=("site_id", "direction", "hour_start"))``
(every statistic and interval, local-time keys included) against
``df.groupby([site_id, direction, hour]).speed.quantile(0.85)`` on the same frame
in the same process; then the same for the hour of the week
(``by=("site_id", "direction", "weekday", "hour_of_day")``, where every
interval carries the between-day variance component, :mod:`trafikplan.stats.dayvar`)
against ``groupby([site_id, direction, weekday, hour]).speed.quantile(0.85)``.
Prints a JSON line last.

Usage: ``.venv/bin/python benchmarks/stats_speed.py [N_VEHICLES]``
"""

from __future__ import annotations

import json
import sys
import time

import numpy as np
import pandas as pd

from trafikplan.stats import speed_stats

N_SITES = 40
DAYS = 28
REPEATS = 3
START = pd.Timestamp("2024-10-14T00:00:00+02:00")  # 4 weeks over the autumn DST night


def build(n: int, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    limits = rng.choice([30.0, 40.0, 50.0, 60.0], N_SITES)
    sites = pd.DataFrame({
        "site_id": [f"K{i:02d}" for i in range(N_SITES)],
        "street": [f"Gata {i}" for i in range(N_SITES)],
        "speed_limit": limits,
    })
    site = rng.integers(0, N_SITES, n)
    # daily profile: more traffic by day than at night
    hour_w = np.array([1, 1, 1, 1, 2, 4, 8, 12, 10, 8, 8, 8, 9, 9, 10, 12, 13, 11, 8, 6, 5, 4,
                       3, 2], float)
    hour = rng.choice(24, n, p=hour_w / hour_w.sum())
    day = rng.integers(0, DAYS, n)
    t0 = START.value
    t = t0 + (day * 86400 + hour * 3600 + rng.uniform(0, 3600, n)) * 1e9
    speed = np.round(rng.normal(limits[site] - 2.0, 0.15 * limits[site]), 1).clip(3, 200)
    order = np.lexsort((t, site))
    vehicles = pd.DataFrame({
        "site_id": pd.array(sites["site_id"].to_numpy()[site[order]], dtype="str"),
        "time": pd.to_datetime(t[order].astype(np.int64), utc=True),
        "direction": pd.array(np.where(rng.random(n) < 0.5, "1", "2"), dtype="str"),
        "speed": speed[order],
        "length": np.round(rng.lognormal(1.5, 0.25, n), 1),
        "headway": rng.exponential(20.0, n),
        "vehicle_class": pd.array(rng.choice(["car", "heavy", "motorcycle", "unknown"], n,
                                             p=[0.9, 0.05, 0.02, 0.03]), dtype="str"),
        "source": "counters/bench.csv",
    })
    return vehicles, sites


def _best(fn, repeats: int) -> tuple[float, object]:
    best, out = np.inf, None
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
    vehicles, sites = build(n)
    by = ("site_id", "direction", "hour_start")
    by_week = ("site_id", "direction", "weekday", "hour_of_day")
    local = vehicles["time"].dt.tz_convert("Europe/Stockholm")

    speed_stats(vehicles.iloc[:10_000], sites, by=by)  # warm up imports and caches
    t_stats, res = _best(lambda: speed_stats(vehicles, sites, by=by), REPEATS)
    t_base, base = _best(lambda: vehicles.groupby(
        [vehicles["site_id"], vehicles["direction"], vehicles["time"].dt.floor("h")]
    )["speed"].quantile(0.85), REPEATS)
    t_week, week = _best(lambda: speed_stats(vehicles, sites, by=by_week), REPEATS)
    t_wbase, wbase = _best(lambda: vehicles.groupby(
        [vehicles["site_id"], vehicles["direction"], local.dt.day_of_week, local.dt.hour]
    )["speed"].quantile(0.85), REPEATS)

    assert len(base) == len(res), (len(base), len(res))
    ok = res["v85"].notna().to_numpy()
    assert np.allclose(res["v85"].to_numpy()[ok], base.to_numpy()[ok]), "V85 differs"
    assert len(wbase) == len(week), (len(wbase), len(week))
    assert np.allclose(week["v85"].to_numpy(), wbase.to_numpy()), "V85 differs"
    assert (week["interval_scope"] == "long_run").all()
    print(json.dumps({
        "benchmark": "stats",
        "ratio": round(t_stats / t_base, 3),
        "baseline": "df.groupby([site_id, direction, time.dt.floor('h')]).speed.quantile(0.85)",
        "ratio_hour_of_week": round(t_week / t_wbase, 3),
        "baseline_hour_of_week": "df.groupby([site_id, direction, weekday, hour])"
                                 ".speed.quantile(0.85)",
        "rows": n,
        "groups": len(res),
        "groups_hour_of_week": len(week),
        "stats_s": round(t_stats, 3),
        "baseline_s": round(t_base, 3),
        "stats_hour_of_week_s": round(t_week, 3),
        "baseline_hour_of_week_s": round(t_wbase, 3),
        "repeats": REPEATS,
        "target_ratio": 1.5,
    }))


if __name__ == "__main__":
    main()
