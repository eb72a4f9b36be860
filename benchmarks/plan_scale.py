"""Benchmark of the speed-check planner: 80 check spots, 8 teams, 40 shifts in a week.

Prints the plan's value against the greedy baseline (run in the same process),
the relative gap to the upper bound on every plan of the week (Lagrangian, or
CP-SAT's when it covers every candidate; see ``trafikplan.plan.checks``), the
seconds, then a JSON last line::

    {"benchmark": "plan", "ratio": value / greedy, "baseline": "greedy", "gap": ..., ...}

Usage: ``python benchmarks/plan_scale.py [--time-limit S] [--workers N]``.
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


def instance(seed: int = 1, n_sites: int = 80, teams: int = 8, shifts: int = 40):
    """A town of 7 x 5 km, four areas, flags with evening/night hot spots, a roster."""
    rng = np.random.default_rng(seed)
    lat0, lon0 = 59.50, 15.96
    x, y = rng.uniform(0, 7, n_sites), rng.uniform(0, 5, n_sites)
    area = np.where(x < 3.5, np.where(y < 2.5, "Sydväst", "Nordväst"),
                    np.where(y < 2.5, "Sydost", "Nordost"))
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
    monday = pd.Timestamp.fromisocalendar(2024, 41, 1)
    shift_rows = []
    for k in range(shifts):
        team = f"Patrull {k % teams + 1}"
        day = (k // teams + (k % teams)) % 7
        start = monday + pd.Timedelta(days=int(day), hours=int(rng.choice([6, 14, 16, 18])))
        start = start.tz_localize(TZ)
        end = (start.tz_localize(None) + pd.Timedelta(hours=8)).tz_localize(TZ)
        shift_rows.append((team, start.tz_convert("UTC"), end.tz_convert("UTC"), None))
    roster = pd.DataFrame(shift_rows, columns=["team", "start", "end", "area"])
    return flags, sites, roster


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=1)

    args = parser.parse_args()
    flags, sites, roster = instance()
    settings = Settings(municipality="Benchmark", focus_streets=("Ringvägen", "Skogsleden",
                                                                 "Östanåsgatan"),
                        checks=CheckSettings(time_limit_s=args.time_limit,
                                             num_workers=args.workers))
    t0 = time.perf_counter()
    plan = plan_checks(flags, sites, roster, settings, "2024-W41")
    seconds = time.perf_counter() - t0
    print(f"checks {len(plan.checks)}, value {plan.value:.1f}, best {plan.best_value:.1f}, "
          f"bound {plan.bound:.1f}, gap {100 * plan.gap:.2f} % (best {100 * plan.best_gap:.2f} %), "
          f"greedy {plan.greedy_value:.1f}, {plan.log['candidates']} of "
          f"{plan.log['candidates_all']} candidates kept, {seconds:.1f} s")
    print(json.dumps({
        "benchmark": "plan", "ratio": round(plan.value / plan.greedy_value, 4),
        "baseline": "greedy", "rows": len(plan.checks), "gap": round(plan.gap, 4),
        "best_gap": round(plan.best_gap, 4), "value": round(plan.value, 2),
        "greedy": round(plan.greedy_value, 2), "bound": round(plan.bound, 2),
        "seconds": round(seconds, 1), "workers": args.workers,
        "time_limit_s": args.time_limit, "candidates": plan.log["candidates"],
        "bound_method": plan.log["bound_method"], "bound_solo": round(plan.log["bound_solo"], 2),
        "bound_kept_candidates": (None if plan.log["bound_kept"] is None
                                  else round(plan.log["bound_kept"], 2)),
        "candidates_all": plan.log["candidates_all"],
        "sites": len(sites), "teams": roster["team"].nunique(), "shifts": len(roster),
    }))


if __name__ == "__main__":
    main()
