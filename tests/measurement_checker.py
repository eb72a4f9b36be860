"""Independent checker of measurement plans.

Shares no code with trafikplan's planner: it reads the plan table, the
candidates and the fleet as plain data and re-checks every rule of the
[measurements] section with its own arithmetic (Python dates and the
``holidays`` package: Swedish public and de facto holidays), then recomputes
the plan's value from the documented formula (priority, halved for a
counter of another kind than preferred, +10 for a preferred ISO week, +5 for
a preferred weekday).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter, defaultdict

import holidays

PURPOSES = {"tip", "before", "after", "uncertain", "stale"}
CONTRACT = ("counter", "site_id", "street", "install", "remove", "purpose", "reason")
WEEK_POINTS = 10
WEEKDAY_POINTS = 5


def _as_date(x):
    if x is None:
        return None
    if isinstance(x, dt.datetime):
        return x.date()
    if isinstance(x, dt.date):
        return x
    if isinstance(x, str):
        return dt.date.fromisoformat(x[:10]) if x else None
    if x != x:  # NaN / NaT
        return None
    return dt.date.fromisoformat(str(x)[:10])


def _records(df):
    cols = list(df.columns)
    return [dict(zip(cols, row, strict=True)) for row in df.itertuples(index=False, name=None)]


def check_plan(plan, candidates, fleet, *, start, weeks, min_days, max_days,
               max_installs_per_day):
    """Return (list of violated rules, recomputed value) of ``plan``.

    An empty list means every rule holds.
    """
    errors = []
    start = _as_date(start)
    last = start + dt.timedelta(days=7 * weeks - 1)
    free = holidays.Sweden(years=range(start.year, last.year + 1),
                           categories=("public", "de_facto"))
    for col in CONTRACT:
        if col not in plan.columns:
            errors.append(f"missing column {col}")
    if errors:
        return errors, 0
    cands = {str(c["candidate_id"]): c for c in _records(candidates)}
    counters = {str(c["counter"]): c for c in _records(fleet)}
    per_counter = defaultdict(list)
    per_day = Counter()
    seen = Counter()
    total = 0
    for i, r in enumerate(_records(plan)):
        where = f"row {i} ({r['counter']} {r.get('candidate_id')})"
        a, b = _as_date(r["install"]), _as_date(r["remove"])
        if r["purpose"] not in PURPOSES:
            errors.append(f"{where}: purpose {r['purpose']!r}")
        if not str(r["reason"]).strip():
            errors.append(f"{where}: empty reason")
        c = counters.get(str(r["counter"]))
        if c is None:
            errors.append(f"{where}: unknown counter")
            continue
        for label, d in (("install", a), ("remove", b)):
            if d is None or d < start or d > last:
                errors.append(f"{where}: {label} {d} outside {start}..{last}")
            elif d.weekday() >= 5:
                errors.append(f"{where}: {label} on a weekend {d}")
            elif d in free:
                errors.append(f"{where}: {label} on a public holiday {d} ({free.get(d)})")
        if a is None or b is None:
            continue
        days = (b - a).days
        if days < min_days or days > max_days:
            errors.append(f"{where}: {days} days, allowed {min_days}..{max_days}")
        avail = _as_date(c.get("available_from"))
        if avail is not None and a < avail:
            errors.append(f"{where}: installed {a} before the counter is available {avail}")
        per_counter[str(r["counter"])].append((a, b, where))
        per_day[a] += 1
        per_day[b] += 1
        cid = str(r.get("candidate_id"))
        cand = cands.get(cid)
        if cand is None:
            errors.append(f"{where}: not a candidate")
            continue
        seen[cid] += 1
        site = r["site_id"] if isinstance(r["site_id"], str) else None
        csite = cand["site_id"] if isinstance(cand["site_id"], str) else None
        if site != csite or r["street"] != cand["street"]:
            errors.append(f"{where}: site/street differ from the candidate")
        if r["purpose"] != cand["purpose"]:
            errors.append(f"{where}: purpose differs from the candidate's")
        early, late = _as_date(cand.get("earliest")), _as_date(cand.get("latest"))
        if early is not None and a < early:
            errors.append(f"{where}: installed {a} before the earliest day {early}")
        if late is not None and b > late:
            errors.append(f"{where}: removed {b} after the latest day {late}")
        pts = int(cand["priority"])
        want = cand.get("counter_kind") or ""
        if want and want != c["kind"]:
            pts //= 2
        weeks_pref = {int(w) for w in str(cand.get("prefer_weeks") or "").split(";") if w}
        if a.isocalendar()[1] in weeks_pref:
            pts += WEEK_POINTS
        if int(cand.get("prefer_weekday") or 0) == a.isoweekday():
            pts += WEEKDAY_POINTS
        if "value" in r and int(r["value"]) != pts:
            errors.append(f"{where}: value {r['value']} but the formula gives {pts}")
        total += pts
    for cid, k in seen.items():
        if k > 1:
            errors.append(f"candidate {cid} deployed {k} times")
    for counter, spans in per_counter.items():
        spans.sort()
        for (_a1, b1, w1), (a2, _b2, w2) in itertools.pairwise(spans):
            if a2 < b1:
                errors.append(f"counter {counter} at two sites: {w1} until {b1}, {w2} from {a2}")
    for day, k in per_day.items():
        if k > max_installs_per_day:
            errors.append(f"{day}: {k} installs+removals, at most {max_installs_per_day}")
    return errors, total
