"""Independent checker of speed-check plans (shares no code with trafikplan.plan).

It re-checks every rule of the check plan from the plan, the roster, the
sites, the flags and the settings alone, and recomputes the plan's value with
plain datetime arithmetic (minute-exact interval integration), not with the
planner's slot arrays.

Rules (module docstring of trafikplan.plan.checks):

- a check lies inside one of its team's shifts (touching or overlapping shifts
  of a team count as one), on the step grid counted from Monday 00:00 local,
  within the week, lasting min..max minutes, at a check spot, in the shift's
  area if the shift has one;
- consecutive checks of a team leave setup + travel (haversine / travel_kmh);
- a team checks a site at most once per shift and at most max_checks_per_shift times;
- no check overlaps the break: in a shift (its part in the week, on the grid:
  first = ceil, last = floor of the minutes from Monday 00:00 / step) longer than
  break_after_hours, the ceil(break_minutes / step) steps starting at
  first + (last - first - b) // 2;
- a check lasts min_minutes + k * length_step_minutes (k = 0, 1, ...);
- per site at most max_per_site_per_week checks, and min_hours_between_same_site
  between the end of one and the start of the next (earlier plans included);
- at least ``focus_target`` checks on focus streets;
- each reachable area gets >= (1 - slack) * its need share of the check minutes,
  need = the score of its check spots integrated over the hours any team is on duty.

Value: a check's direct value is the flag score of its site integrated over
its minutes along the visit curve 0.5 ** (minutes since its start /
visit_halflife_minutes) (closed form per hour), times 1 for the site's best
check not preceded by an earlier-plan check within time_halo_hours and
repeat_factor for the others. A site without a check of its own running earns
min(distance_halo_cap, sum over running checks elsewhere (on its street when
distance_halo_same_street) of 0.5 ** (d / distance_halo_km) within
distance_halo_radius_km times the visit curve's mean over the check's current step)
times the flag score, integrated over minutes / 60; a check's own value holds
its weight's share of that halo credit. The flag score of a (site, local weekday,
hour) that a check of an earlier plan ran in, that check starting in the
recency_weeks weeks before the week, counts (1 - recency_penalty) times.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pandas as pd

R_EARTH = 6371.0088


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * R_EARTH * math.asin(min(1.0, math.sqrt(h)))


def week_bounds(week: str, tz: str) -> tuple[datetime, datetime]:
    year, num = week.upper().split("-W")
    monday = date.fromisocalendar(int(year), int(num), 1)
    zone = ZoneInfo(tz)
    start = datetime.combine(monday, time(0), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(monday + timedelta(days=7), time(0), tzinfo=zone).astimezone(
        UTC)
    return start, end


def _utc(x) -> datetime:
    return pd.Timestamp(x).tz_convert("UTC").to_pydatetime()


@dataclass
class Report:
    value: float
    violations: list[str] = field(default_factory=list)
    focus_count: int = 0
    minutes_by_area: dict[str, float] = field(default_factory=dict)
    check_values: list[float] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.violations


def check_plan(plan: pd.DataFrame, *, flags: pd.DataFrame, sites: pd.DataFrame,
               roster: pd.DataFrame, settings, week: str, prior: pd.DataFrame | None = None,
               focus_target: int | None = None) -> Report:
    rules = settings.checks
    tz = settings.timezone
    w0, w1 = week_bounds(week, tz)
    bad: list[str] = []
    site = {str(r.site_id): r for r in sites.itertuples(index=False)
            if pd.notna(r.lat) and pd.notna(r.lon)}
    focus_streets = {s.casefold() for s in settings.focus_streets}
    focus_sites = {sid for sid, r in site.items() if str(r.street).casefold() in focus_streets}
    if "focus" in flags.columns:
        focus_sites |= {str(s) for s in flags.loc[flags["focus"].fillna(False).astype(bool)
                                                   & flags["site_id"].notna(), "site_id"]}

    checks = [{"team": str(r.team), "start": _utc(r.start), "end": _utc(r.end),
               "site": str(r.site_id)} for r in plan.itertuples(index=False)]
    checks.sort(key=lambda c: (c["start"], c["team"], c["site"]))

    # shifts: merge a team's touching/overlapping shifts
    shifts: dict[str, list[list]] = {}
    for r in sorted(roster.itertuples(index=False), key=lambda r: (str(r.team), _utc(r.start))):
        area = getattr(r, "area", None)
        area = "" if area is None or (isinstance(area, float) and math.isnan(area)) or \
            pd.isna(area) else str(area)
        lst = shifts.setdefault(str(r.team), [])
        s, e = _utc(r.start), _utc(r.end)
        if lst and s <= lst[-1][1] and lst[-1][2] == area:
            lst[-1][1] = max(lst[-1][1], e)
        else:
            lst.append([s, e, area])

    spot_areas = {str(r.area) for r in site.values() if bool(getattr(r, "check_spot", True))}
    step = rules.step_minutes
    for c in checks:
        label = f"{c['team']} {c['start'].isoformat()} {c['site']}"
        minutes = (c["end"] - c["start"]).total_seconds() / 60
        if not rules.min_minutes <= minutes <= rules.max_minutes or (
                rules.length_step_minutes > 0
                and (minutes - rules.min_minutes) % rules.length_step_minutes):
            bad.append(f"{label}: lasts {minutes} min")
        for t in (c["start"], c["end"]):
            off = (t - w0).total_seconds() / 60
            if off % step != 0:
                bad.append(f"{label}: {t} is off the {step}-minute grid")
        if c["start"] < w0 or c["end"] > w1:
            bad.append(f"{label}: outside the week")
        sh = [k for k, (s, e, _) in enumerate(shifts.get(c["team"], []))
              if s <= c["start"] and c["end"] <= e]
        if not sh:
            bad.append(f"{label}: not inside a shift of the team")
            c["shift"] = None
        else:
            c["shift"] = sh[0]
            s0, e0, _ = shifts[c["team"]][sh[0]]
            first = math.ceil((max(s0, w0) - w0).total_seconds() / 60 / step - 1e-9)
            last = math.floor((min(e0, w1) - w0).total_seconds() / 60 / step + 1e-9)
            b = math.ceil(rules.break_minutes / step - 1e-9)
            if b > 0 and (last - first) * step > rules.break_after_hours * 60:
                b0 = w0 + timedelta(minutes=(first + (last - first - b) // 2) * step)
                if c["start"] < b0 + timedelta(minutes=b * step) and b0 < c["end"]:
                    bad.append(f"{label}: overlaps the break at {b0}")
            area = shifts[c["team"]][sh[0]][2]
            if area and area in spot_areas and c["site"] in site \
                    and str(site[c["site"]].area) != area:
                bad.append(f"{label}: site outside the shift's area {area}")
        if c["site"] not in site:
            bad.append(f"{label}: unknown site")
            continue
        spot = getattr(site[c["site"]], "check_spot", True)
        if not bool(spot):
            bad.append(f"{label}: not a check spot")

    # team: setup + travel, once per site per shift
    by_team: dict[str, list[dict]] = {}
    for c in checks:
        by_team.setdefault(c["team"], []).append(c)
    for team, lst in by_team.items():
        lst.sort(key=lambda c: c["start"])
        for a, b in pairwise(lst):
            if a["site"] in site and b["site"] in site:
                d = km(site[a["site"]].lat, site[a["site"]].lon, site[b["site"]].lat,
                       site[b["site"]].lon)
                need = rules.setup_minutes + 60 * d / rules.travel_kmh
                have = (b["start"] - a["end"]).total_seconds() / 60
                if have < need - 1e-6:
                    bad.append(f"{team}: {have:.0f} min between {a['site']} and {b['site']}, "
                               f"needs {need:.1f}")
        seen = set()
        count: dict = {}
        for c in lst:
            key = (c["shift"], c["site"])
            if c["shift"] is not None and key in seen:
                bad.append(f"{team}: {c['site']} twice in one shift")
            seen.add(key)
            count[c["shift"]] = count.get(c["shift"], 0) + 1
        for k, n in count.items():
            if k is not None and 0 < rules.max_checks_per_shift < n:
                bad.append(f"{team}: {n} checks in one shift")

    # same site: count and spacing (earlier plans included)
    prior_list = []
    if prior is not None and len(prior):
        prior_list = [{"site": str(r.site_id), "start": _utc(r.start), "end": _utc(r.end)}
                      for r in prior.itertuples(index=False)]
    by_site: dict[str, list[dict]] = {}
    for c in checks:
        by_site.setdefault(c["site"], []).append(c)
    gap = timedelta(hours=rules.min_hours_between_same_site)
    for s, lst in by_site.items():
        if len(lst) > rules.max_per_site_per_week:
            bad.append(f"{s}: {len(lst)} checks in the week")
        allc = sorted(lst + [p for p in prior_list if p["site"] == s], key=lambda c: c["start"])
        for a, b in pairwise(allc):
            if b["start"] < a["end"] + gap:
                bad.append(f"{s}: checks {a['start']} and {b['start']} closer than {gap}")

    focus_count = sum(c["site"] in focus_sites for c in checks)
    if focus_target is not None and focus_count < focus_target:
        bad.append(f"{focus_count} focus checks, need {focus_target}")

    # scores per (site, weekday, hour)
    score: dict[tuple[str, int, int], float] = {}
    for r in flags.itertuples(index=False):
        if pd.isna(r.site_id):
            continue
        k = (str(r.site_id), int(r.weekday), int(r.hour_of_day))
        score[k] = max(score.get(k, 0.0), max(0.0, float(r.score)))
    # recency: a (site, weekday, hour) an earlier check that started in the
    # recency_weeks weeks before the week ran in is worth (1 - recency_penalty)
    used = set()
    for p in prior_list:
        if not w0 - timedelta(weeks=rules.recency_weeks) <= p["start"] < w0:
            continue
        t = p["start"].replace(minute=0, second=0, microsecond=0)
        while t < p["end"]:
            local = t.astimezone(ZoneInfo(tz))
            used.add((p["site"], local.isoweekday(), local.hour))
            t += timedelta(hours=1)
    for k in used & set(score):
        score[k] *= 1 - rules.recency_penalty

    # areas in proportion to need
    minutes_by_area: dict[str, float] = {}
    for c in checks:
        if c["site"] in site:
            a = str(site[c["site"]].area) if pd.notna(site[c["site"]].area) else ""
            minutes_by_area[a] = minutes_by_area.get(a, 0.0) + (
                c["end"] - c["start"]).total_seconds() / 60
    need: dict[str, float] = {}
    # the union of all shifts (any team on duty), clipped to the week
    duty: list[list[datetime]] = []
    for s, e in sorted((max(sh[0], w0), min(sh[1], w1)) for lst in shifts.values()
                       for sh in lst if sh[1] > w0 and sh[0] < w1):
        if duty and s <= duty[-1][1]:
            duty[-1][1] = max(duty[-1][1], e)
        else:
            duty.append([s, e])
    shift_areas = {sh[2] for lst in shifts.values() for sh in lst
                   if sh[1] > w0 and sh[0] < w1}
    for sid, r in site.items():
        if not bool(getattr(r, "check_spot", True)):
            continue
        a = str(r.area) if pd.notna(r.area) else ""
        if not (shift_areas - spot_areas) and a not in shift_areas:
            continue
        need[a] = need.get(a, 0.0) + sum(_integrate(score, sid, s, e, tz) for s, e in duty)
    total_need = sum(need.values())
    total_min = sum(minutes_by_area.values())
    if len([a for a in need if need[a] > 0]) > 1 and total_need > 0:
        for a, na in need.items():
            want = (1 - rules.area_share_slack) * na / total_need * total_min
            if minutes_by_area.get(a, 0.0) < want - 1e-6:
                bad.append(f"area {a}: {minutes_by_area.get(a, 0.0)} min < {want:.1f}")

    value, per_check = _value(checks, site, score, prior_list, rules, tz)
    return Report(value=value, violations=bad, focus_count=focus_count,
                  minutes_by_area=minutes_by_area, check_values=per_check)


def _score_at(score, sid: str, t: datetime, tz: str) -> float:
    local = t.astimezone(ZoneInfo(tz))
    return score.get((sid, local.isoweekday(), local.hour), 0.0)


def _integrate(score, sid: str, a: datetime, b: datetime, tz: str) -> float:
    """Integral of the site's score over [a, b) in hours, hour by hour (UTC hours)."""
    total = 0.0
    t = a
    while t < b:
        nxt = min(b, t.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1))
        total += _score_at(score, sid, t, tz) * (nxt - t).total_seconds() / 3600
        t = nxt
    return total


def _curve_mean(rules, m0: float, m1: float) -> float:
    """Mean of 0.5 ** (m / halflife) over [m0, m1) minutes (1 without a half-life)."""
    h = rules.visit_halflife_minutes
    if h <= 0 or m1 <= m0:
        return 1.0
    return h / math.log(2) * (0.5 ** (m0 / h) - 0.5 ** (m1 / h)) / (m1 - m0)


def _direct(score, sid: str, a: datetime, b: datetime, tz: str, rules) -> float:
    """Score integrated over [a, b) along the visit curve from a [score x h]."""
    total = 0.0
    t = a
    while t < b:
        nxt = min(b, t.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1))
        m0, m1 = (t - a).total_seconds() / 60, (nxt - a).total_seconds() / 60
        total += _score_at(score, sid, t, tz) * _curve_mean(rules, m0, m1) * (m1 - m0) / 60
        t = nxt
    return total


def _value(checks, site, score, prior_list, rules, tz) -> tuple[float, list[float]]:
    n = len(checks)
    direct = [_direct(score, c["site"], c["start"], c["end"], tz, rules) if c["site"] in site
              else 0 for c in checks]
    mult = [rules.repeat_factor] * n
    halo_h = timedelta(hours=rules.time_halo_hours)
    for s in {c["site"] for c in checks}:
        idx = [i for i, c in enumerate(checks) if c["site"] == s]
        ok = [i for i in idx if not any(
            p["site"] == s and p["start"] <= checks[i]["start"] < p["start"] + halo_h
            for p in prior_list)]
        if ok:
            best = max(ok, key=lambda i: (direct[i], -i))
            mult[best] = 1.0
    per_check = [direct[i] * mult[i] for i in range(n)]
    total = sum(per_check)
    step = timedelta(minutes=rules.step_minutes)
    # distance halo: for every target site and every piece of time without a
    # direct check there, min(distance_halo_cap, sum of the running checks' weights),
    # shared among those checks in proportion to their weights
    for sid, tr in site.items():
        weights = []
        for i, c in enumerate(checks):
            if c["site"] == sid or c["site"] not in site:
                continue
            if rules.distance_halo_same_street and \
                    str(site[c["site"]].street).casefold() != str(tr.street).casefold():
                continue
            d = km(site[c["site"]].lat, site[c["site"]].lon, tr.lat, tr.lon)
            if d <= rules.distance_halo_radius_km:
                weights.append((i, 0.5 ** (d / rules.distance_halo_km)))
        if not weights:
            continue
        own = [(c["start"], c["end"]) for c in checks if c["site"] == sid]
        cuts = set()
        for i, _ in weights:
            t = checks[i]["start"]
            while t <= checks[i]["end"]:
                cuts.add(t)
                t += step
        cuts = sorted(cuts | {t for pair in own for t in pair})
        for a, b in pairwise(cuts):
            if any(s <= a and b <= e for s, e in own):
                continue
            running = []
            for i, w in weights:
                c = checks[i]
                if c["start"] <= a and b <= c["end"]:
                    j = (a - c["start"]) // step
                    running.append((i, w * _curve_mean(rules, j * rules.step_minutes,
                                                       (j + 1) * rules.step_minutes)))
            if not running:
                continue
            w_sum = sum(w for _, w in running)
            credit = min(rules.distance_halo_cap, w_sum) * _integrate(score, sid, a, b, tz)
            total += credit
            for i, w in running:
                per_check[i] += credit * w / w_sum
    return total, per_check
