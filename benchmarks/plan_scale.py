"""Benchmark of the speed-check planner: 80 check spots, 8 teams, 40 shifts in a week.

Plans ``--weeks`` consecutive weeks (default 4), each issued before the next so the
recency penalty sees the earlier ones, and prints per week the plan's value against
the greedy baseline (run in the same process), the gap to the upper bound on every
plan of the week (Lagrangian, or CP-SAT's when it covers every candidate; see
``trafikplan.plan.checks``), the share of the value earned at the checks' own sites,
the share of the flagged need covered directly, the share of (site, weekday, hour)
repeated from the week before and the seconds, then a JSON last line::

    {"benchmark": "plan", "ratio": value / greedy, "baseline": "greedy", "gap": ...,
     "direct_share": ..., "repeat_rate": [...], ...}

Usage: ``python benchmarks/plan_scale.py [--sites N] [--teams N] [--shifts N]
[--weeks N] [--time-limit S] [--workers N]``; ``--sites 320 --teams 32 --shifts 160``
is a county (4x).
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
import pandas as pd

from trafikplan.plan.checks import plan_checks
from trafikplan.settings import CheckSettings, Settings

TZ = "Europe/Stockholm"


def instance(seed: int = 1, n_sites: int = 80, teams: int = 8, shifts: int = 40,
             week: int = 41):
    """A town of 7 x 5 km, four areas, flags with evening/night hot spots, a roster."""
    rng = np.random.default_rng(seed)
    lat0, lon0 = 59.50, 15.96
    scale = np.sqrt(n_sites / 80)            # the same density of sites at every size
    x, y = rng.uniform(0, 7 * scale, n_sites), rng.uniform(0, 5 * scale, n_sites)
    area = np.where(x < 3.5 * scale, np.where(y < 2.5 * scale, "Sydväst", "Nordväst"),
                    np.where(y < 2.5 * scale, "Sydost", "Nordost"))
    streets = [f"Gata {i}" for i in range(30)] + ["Ringvägen", "Skogsleden", "Östanåsgatan"]
    sites = pd.DataFrame({
        "site_id": [f"K{i + 1:03d}" for i in range(n_sites)],
        "street": [streets[i % len(streets)] for i in range(n_sites)],
        "lat": lat0 + y / 111.2, "lon": lon0 + x / (111.2 * np.cos(np.radians(lat0))),
        "speed_limit": 50.0, "area": area, "check_spot": True,
    })
    rows = []
    hours = np.arange(168)
    for s in sites.itertuples(index=False):
        base = rng.gamma(1.0, 0.5, 168) * (rng.random(168) < 0.5)
        hot = rng.choice(168, size=8, replace=False)
        base[hot] += rng.uniform(3, 10, 8)
        keep = base > 0
        for h, sc in zip(hours[keep], base[keep], strict=True):
            rows.append((s.site_id, s.street, s.area, 50.0, h // 24 + 1, h % 24, False, sc,
                         bool(sc > 3), "speeding", f"hot hour {h % 24}"))
    flags = pd.DataFrame(rows, columns=["site_id", "street", "area", "speed_limit", "weekday",
                                        "hour_of_day", "focus", "score", "flagged", "kind",
                                        "reason"])
    monday = pd.Timestamp.fromisocalendar(2024, week, 1)
    shift_rows = []
    for k in range(shifts):
        team = f"Patrull {k % teams + 1}"
        day = (k // teams + (k % teams)) % 7
        start = monday + pd.Timedelta(days=int(day), hours=int(rng.choice([6, 14, 16, 18])))
        start = start.tz_localize(TZ, nonexistent="shift_forward", ambiguous=False)
        end = start + pd.Timedelta(hours=8)           # 8 hours also over a DST night
        shift_rows.append((team, start.tz_convert("UTC"), end.tz_convert("UTC"), None))
    roster = pd.DataFrame(shift_rows, columns=["team", "start", "end", "area"])
    return flags, sites, roster


def site_hours(checks: pd.DataFrame) -> set[tuple[str, int, int]]:
    """(site, local weekday, hour) in which a check runs."""
    out = set()
    for r in checks.itertuples(index=False):
        t = pd.Timestamp(r.start).tz_convert(TZ).floor("h")
        while t < pd.Timestamp(r.end):
            out.add((str(r.site_id), t.isoweekday(), t.hour))
            t += pd.Timedelta(hours=1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--sites", type=int, default=80)
    parser.add_argument("--teams", type=int, default=8)
    parser.add_argument("--shifts", type=int, default=40)
    parser.add_argument("--weeks", type=int, default=4)
    args = parser.parse_args()
    settings = Settings(municipality="Benchmark", focus_streets=("Ringvägen", "Skogsleden",
                                                                 "Östanåsgatan"),
                        checks=CheckSettings(time_limit_s=args.time_limit,
                                             num_workers=args.workers))
    prior = None
    rows, used = [], []
    for k in range(args.weeks):
        flags, sites, roster = instance(n_sites=args.sites, teams=args.teams,
                                        shifts=args.shifts, week=41 + k)
        week = f"2024-W{41 + k}"
        t0, c0 = time.perf_counter(), time.process_time()
        plan = plan_checks(flags, sites, roster, settings, week, prior=prior)
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        now = site_hours(plan.checks)
        repeat = len(now & used[-1]) / len(now) if used and now else None
        used.append(now)
        issued = plan.checks[["team", "start", "end", "site_id"]].assign(
            start=lambda d: d["start"].dt.tz_convert("UTC"),
            end=lambda d: d["end"].dt.tz_convert("UTC"))
        prior = issued if prior is None else pd.concat([prior, issued], ignore_index=True)
        direct = plan.direct_value / plan.value if plan.value > 0 else 1.0
        rows.append({"week": week, "checks": len(plan.checks), "value": round(plan.value, 2),
                     "best": round(plan.best_value, 2), "greedy": round(plan.greedy_value, 2),
                     "bound": round(plan.bound, 2), "gap": round(plan.gap, 4),
                     "best_gap": round(plan.best_gap, 4), "direct_share": round(direct, 4),
                     "coverage": round(plan.coverage, 4),
                     "greedy_coverage": round(plan.greedy_coverage, 4),
                     "repeat_rate": None if repeat is None else round(repeat, 4),
                     "predictability": round(plan.predictability, 4),
                     "status": plan.status, "candidates": plan.log["candidates"],
                     "candidates_all": plan.log["candidates_all"],
                     "seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1)})
        r = rows[-1]
        print(f"{week}: checks {r['checks']}, value {r['value']:.1f} (best {r['best']:.1f}, "
              f"greedy {r['greedy']:.1f}, ratio {r['best'] / r['greedy']:.3f}), bound "
              f"{r['bound']:.1f}, gap {100 * r['gap']:.1f} % (best {100 * r['best_gap']:.1f} %),"
              f" direct {100 * direct:.1f} %, need covered {100 * r['coverage']:.1f} % (greedy "
              f"{100 * r['greedy_coverage']:.1f} %), repeated "
              f"{'-' if repeat is None else f'{100 * repeat:.1f} %'}, {r['status']}, "
              f"{r['seconds']:.1f} s (CPU {r['cpu_seconds']:.1f} s)", flush=True)
    first = rows[0]
    print(json.dumps({
        "benchmark": "plan", "ratio": round(first["best"] / first["greedy"], 4),
        "baseline": "greedy", "rows": first["checks"], "gap": first["gap"],
        "best_gap": first["best_gap"], "value": first["value"], "greedy": first["greedy"],
        "bound": first["bound"], "seconds": first["seconds"],
        "direct_share": [r["direct_share"] for r in rows],
        "coverage": [r["coverage"] for r in rows],
        "repeat_rate": [r["repeat_rate"] for r in rows[1:]],
        "seconds_per_week": [r["seconds"] for r in rows],
        "cpu_seconds_per_week": [r["cpu_seconds"] for r in rows],
        "workers": args.workers, "time_limit_s": args.time_limit,
        "candidates": first["candidates"], "candidates_all": first["candidates_all"],
        "sites": args.sites, "teams": args.teams, "shifts": args.shifts,
    }))


if __name__ == "__main__":
    main()
