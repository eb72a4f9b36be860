"""The greedy baseline of the measurement plan.

Candidates by priority; each gets the deployment (any counter) of highest value
with the earliest install day that fits the rules, given what is already planned.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd

from trafikplan.plan.measurements.grid import Option, deployment_value
from trafikplan.settings import MeasurementSettings

__all__ = ["greedy_deployments"]


def greedy_deployments(pairs: list[Option], candidates: pd.DataFrame, settings: MeasurementSettings,
                       ) -> list[tuple[Option, int, int, str]]:
    """Return the greedy plan's deployments ``(option, install day, removal day, counter)``."""
    cap = settings.max_installs_per_day
    lo, hi = settings.min_days, max(settings.max_days, settings.min_days)
    used: dict[int, int] = defaultdict(int)
    busy: dict[str, list[tuple[int, int]]] = defaultdict(list)
    by_cand: dict[int, list[Option]] = defaultdict(list)
    for p in pairs:
        by_cand[p.cand].append(p)
    chosen = []
    order = np.lexsort((candidates["candidate_id"].astype(str).to_numpy(),
                        -candidates["priority"].to_numpy(dtype=np.int64)))
    for j in order:  # candidates by priority
        best = None
        for p in by_cand.get(int(j), []):
            for s in p.starts:
                s = int(s)
                if used[s] >= cap:
                    continue
                ends = p.ends[(p.ends >= s + lo) & (p.ends <= s + hi)]
                e_ok = None
                for e in ends:
                    e = int(e)
                    if used[e] >= cap:
                        continue
                    name = next((c for c in p.counters
                                 if not any(s < b and a < e for a, b in busy[c])), None)
                    if name is None:
                        continue
                    e_ok = (e, name)
                    break
                if e_ok is None:
                    continue
                key = (-deployment_value(p, s), s, e_ok[1])
                if best is None or key < best[0]:
                    best = (key, p, s, *e_ok)
                break
        if best is not None:
            _, p, s, e, name = best
            used[s] += 1
            used[e] += 1
            busy[name].append((s, e))
            chosen.append((p, s, e, name))
    return chosen
