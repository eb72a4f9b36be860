"""Where the municipality puts its counters next: a CP-SAT deployment plan.

Inputs are the candidates of :func:`trafikplan.plan._candidates.build_candidates`
(one per site or report-only street, with a purpose, a priority and a reason)
and the counter fleet (:func:`trafikplan.io.measures.read_counter_fleet`).

The model
---------
Time grid: the local days ``0 .. 7·weeks − 1`` from ``start``. Work days are
Monday–Friday that are not Swedish public holidays (``holidays.Sweden``,
categories ``public`` and ``de_facto``: the latter adds midsummer, Christmas
and New Year's eves, when no crew works).

Decision: for every pair (counter group ``c``, candidate ``j``) that can fit, an
optional deployment with presence ``p``, install day ``s`` and removal day ``e``:

* ``s`` and ``e`` are work days (only work-day pairs get a decision variable);
* ``min_days <= e − s <= max_days`` (whole days; the counter stands from the
  install day to the removal day);
* ``s >= available_from(c)``, ``s >= earliest(j)`` (after measurements:
  ``built + after_weeks``), ``e <= latest(j)`` (before measurements: the day
  before ``built``), ``e`` inside the plan;
* one site at a time per counter (a counter removed in the morning may be
  installed elsewhere the same day). Counters of the same kind and first
  available day are interchangeable, so the model plans per such group: an
  ``add_cumulative`` over the optional intervals ``[s, e)`` of the group with
  capacity = its number of counters (``add_no_overlap`` for a group of one);
  afterwards each deployment gets a named counter by interval colouring in
  install order (:func:`_name_counters`), which never runs out because at
  most that many intervals overlap. This removes the symmetry between
  identical counters that otherwise stalls the proof of optimality;
* crew capacity: installs plus removals per day at most
  ``max_installs_per_day`` (a sum per day; also as ``add_cumulative`` over
  install intervals ``[s, s+1)`` and removal intervals ``[e, e+1)``);
* each candidate at most once (a second deployment of the same candidate has
  no value, so it is not offered).

Value of a deployment (points, documented so the checker can recompute it):
the candidate's ``priority``; halved (integer division) when the counter's
kind differs from the candidate's preferred ``counter_kind``; plus
:data:`WEEK_BONUS` when the install day's ISO week is one of the candidate's
``prefer_weeks`` and :data:`WEEKDAY_BONUS` when its weekday is
``prefer_weekday`` (after measurements: the same weeks of the year and weekday
as the before measurement, where the plan reaches them).

Objective: maximise ``SCALE · Σ value − Σ (e − s)``; the tie-break (shorter
deployments free the counters sooner) never outweighs one point of value, as
``SCALE`` is twice the largest possible total of days. The search stops with
an absolute gap below ``SCALE / 2``: the value is then proven optimal, while
the tie-break need not be. (A further tie-break "higher priority earlier" was
tried and dropped: it made the search much slower, and the order of the weeks
is the crew's to choose within the rules.)

Formulation: booleans ``x[k, s, e]`` per option and (install, removal) day
pair make crew days and counter occupancy plain sums with a tight linear
relaxation; the interval constraints above are stated on intervals linked to
those booleans and help propagation (:func:`_build_model`).

Solve: one search worker and a fixed ``random_seed`` (reproducible plans),
``max_time_in_seconds`` = ``time_limit_s``, the greedy plan as a hint,
``linearization_level = 2`` (the LP bound proves optimality) and
``cp_model_probing_level = 0`` (probing the day encodings cost seconds and
bought nothing on the tested instances). The seed, the parameters and the
OR-Tools version are returned with the plan (``MeasurementPlan.solver``).

Greedy baseline (:func:`greedy_measurements`): candidates by priority; each
gets the deployment (any counter) of highest value with the earliest install
day that fits the rules, given what is already planned.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from trafikplan._errors import InfeasiblePlanError, InputError
from trafikplan.io.tables import Tables
from trafikplan.plan._candidates import CANDIDATE_COLUMNS, build_candidates
from trafikplan.settings import MeasurementSettings

__all__ = [
    "CANDIDATE_COLUMNS",
    "PLAN_COLUMNS",
    "WEEKDAY_BONUS",
    "WEEK_BONUS",
    "MeasurementPlan",
    "build_candidates",
    "crew_events",
    "greedy_measurements",
    "plan_measurements",
    "work_days",
]

PLAN_COLUMNS = (
    "counter", "site_id", "street", "install", "remove", "purpose", "reason",
    "counter_kind", "candidate_id", "measure_id", "days", "value",
)
"""Columns of a measurement plan (the first seven are DESIGN.md's contract)."""

WEEK_BONUS = 10
"""Points for installing in one of the candidate's preferred ISO weeks of the year."""

WEEKDAY_BONUS = 5
"""Points for installing on the candidate's preferred weekday."""


@dataclass
class MeasurementPlan:
    """A measurement plan and how it was made.

    Attributes
    ----------
    plan : DataFrame
        One row per deployment, columns :data:`PLAN_COLUMNS`: ``counter`` (str),
        ``site_id`` (str or None for a new site on a report-only street),
        ``street``, ``install``/``remove`` (``datetime.date``, local),
        ``purpose``, ``reason`` (str), ``counter_kind``, ``candidate_id``,
        ``measure_id`` (str), ``days`` (int [days], remove − install),
        ``value`` (int [points]). Sorted by install day, counter.
    candidates : DataFrame
        The candidates, with ``planned`` (bool) added.
    value : int
        Total value of ``plan`` [points].
    bound : int
        Upper bound on the value proved by the solver [points].
    status : str
        ``OPTIMAL`` or ``FEASIBLE`` (or ``EMPTY`` when nothing could be planned).
    greedy : DataFrame
        The greedy baseline plan (same columns).
    greedy_value : int
        Its value [points].
    solver : dict
        Seed, workers, time limit, wall time [s], OR-Tools version.
    """

    plan: pd.DataFrame
    candidates: pd.DataFrame
    value: int
    bound: int
    status: str
    greedy: pd.DataFrame
    greedy_value: int
    start: dt.date
    weeks: int
    solver: dict = field(default_factory=dict)

    def summary(self, language: str = "sv") -> str:
        """Return a few lines for a person: deployments per purpose, value, bound, greedy."""
        from trafikplan.i18n import code

        sv = language == "sv"
        counts = self.plan["purpose"].value_counts()
        per = ", ".join(f"{code('purpose', p, language)} {int(counts.get(p, 0))}" for p in
                        ("after", "before", "tip", "uncertain", "stale") if counts.get(p, 0))
        status = code("solver_status", self.status, language)
        left = int((~self.candidates["planned"]).sum()) if len(self.candidates) else 0
        end = self.start + dt.timedelta(days=7 * self.weeks - 1)
        if sv:
            return (f"Mätplan {self.start}–{end}: {len(self.plan)} uppsättningar "
                    f"({per or 'inga'}); "
                    f"värde {self.value} poäng (övre gräns {self.bound}, {status}); "
                    f"girig metod {self.greedy_value} poäng; {left} kandidater fick ingen "
                    f"mätare.")
        return (f"Measurement plan {self.start}–{end}: {len(self.plan)} deployments "
                f"({per or 'none'}); value {self.value} points (bound {self.bound}, "
                f"{status}); greedy baseline {self.greedy_value} points; {left} candidates "
                "got no counter.")


# ----------------------------------------------------------------------------- grid

def work_days(start: dt.date, weeks: int) -> np.ndarray:
    """Day indices (0 = ``start``) of the plan's work days.

    Parameters
    ----------
    start : datetime.date
        First local day.
    weeks : int [weeks]
        Plan length.

    Returns
    -------
    ndarray of int64
        Indices of the days that are Monday–Friday and no Swedish public
        holiday nor de facto holiday (``holidays.Sweden`` categories
        ``public`` and ``de_facto``: midsummer, Christmas and New Year's eves).
    """
    import holidays

    n = 7 * weeks
    days = [start + dt.timedelta(days=i) for i in range(n)]
    hol = holidays.Sweden(years=range(start.year, days[-1].year + 1),
                          categories=("public", "de_facto"))
    ok = [d.isoweekday() <= 5 and d not in hol for d in days]
    return np.flatnonzero(np.array(ok, dtype=bool)).astype(np.int64)


def _index(d: object, start: dt.date, default: int) -> int:
    if d is None or (not isinstance(d, dt.date) and pd.isna(d)):
        return default
    return (pd.Timestamp(d).date() - start).days


@dataclass
class _Pair:
    counters: tuple[str, ...]
    counter_kind: str
    cand: int
    value: int
    starts: np.ndarray
    ends: np.ndarray
    week_days: np.ndarray
    weekday_days: np.ndarray


def _pairs(candidates: pd.DataFrame, fleet: pd.DataFrame, start: dt.date, weeks: int,
           settings: MeasurementSettings, work: np.ndarray) -> list[_Pair]:
    n_days = 7 * weeks
    lo, hi = settings.min_days, max(settings.max_days, settings.min_days)
    iso_week = np.array([(start + dt.timedelta(days=int(i))).isocalendar()[1] for i in work])
    iso_day = np.array([(start + dt.timedelta(days=int(i))).isoweekday() for i in work])
    pairs = []
    groups = _counter_groups(fleet, start)
    for j, cand in enumerate(candidates.itertuples(index=False)):  # candidates x groups
        earliest = _index(cand.earliest, start, 0)
        latest = _index(cand.latest, start, n_days - 1)
        text = cand.prefer_weeks if isinstance(cand.prefer_weeks, str) else ""
        weeks_pref = {int(w) for w in text.split(";") if w.strip()}
        weekday_pref = int(cand.prefer_weekday) if pd.notna(cand.prefer_weekday) else 0
        for (kind, avail), names in groups.items():
            s_min = max(0, earliest, avail)
            e_max = min(n_days - 1, latest)
            starts = work[(work >= s_min) & (work <= e_max - lo)]
            ends = work[(work >= s_min + lo) & (work <= e_max)]
            if not len(starts) or not len(ends):
                continue
            gap = ends[None, :] - starts[:, None]
            fit = ((gap >= lo) & (gap <= hi))
            starts, ends = starts[fit.any(axis=1)], ends[fit.any(axis=0)]
            if not len(starts):
                continue
            sel = np.isin(work, starts)
            want = cand.counter_kind if isinstance(cand.counter_kind, str) else ""
            kind_ok = want in ("", kind)
            value = int(cand.priority) if kind_ok else int(cand.priority) // 2
            pairs.append(_Pair(
                counters=names, counter_kind=kind, cand=j, value=value,
                starts=starts, ends=ends,
                week_days=work[sel & np.isin(iso_week, list(weeks_pref))],
                weekday_days=work[sel & (iso_day == weekday_pref)],
            ))
    return pairs


def _counter_groups(fleet: pd.DataFrame, start: dt.date) -> dict[tuple[str, int],
                                                                    tuple[str, ...]]:
    """Interchangeable counters: same kind and same first available day."""
    groups: dict[tuple[str, int], list[str]] = defaultdict(list)
    for c in fleet.itertuples(index=False):
        groups[(str(c.kind), max(0, _index(c.available_from, start, 0)))].append(str(c.counter))
    return {k: tuple(sorted(v)) for k, v in sorted(groups.items())}


def _name_counters(chosen: list[tuple[_Pair, int, int]]) -> list[tuple[_Pair, int, int, str]]:
    """Give each deployment a counter of its group, by start day (interval colouring).

    Within a group at most ``len(counters)`` deployments overlap (the model's
    cumulative constraint), so taking deployments by install day and giving
    each the free counter with the smallest name never runs out (interval
    graphs are perfect).
    """
    free_from: dict[str, int] = {}
    out = []
    for p, s, e in sorted(chosen, key=lambda x: (x[1], x[2], x[0].cand)):
        name = next(c for c in p.counters if free_from.get(c, -1) <= s)
        free_from[name] = e
        out.append((p, s, e, name))
    return out


def _deployment_value(pair: _Pair, s: int) -> int:
    return (pair.value + (WEEK_BONUS if s in set(pair.week_days.tolist()) else 0)
            + (WEEKDAY_BONUS if s in set(pair.weekday_days.tolist()) else 0))


# ----------------------------------------------------------------------------- greedy

def _greedy(pairs: list[_Pair], candidates: pd.DataFrame, settings: MeasurementSettings,
            ) -> list[tuple[_Pair, int, int, str]]:
    cap = settings.max_installs_per_day
    lo, hi = settings.min_days, max(settings.max_days, settings.min_days)
    used: dict[int, int] = defaultdict(int)
    busy: dict[str, list[tuple[int, int]]] = defaultdict(list)
    by_cand: dict[int, list[_Pair]] = defaultdict(list)
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
                key = (-_deployment_value(p, s), s, e_ok[1])
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


# ----------------------------------------------------------------------------- output

def _choice_text(pair: _Pair, counter: str, cand: pd.Series, s: int, sv: bool) -> str:
    parts = [f"{counter} ({pair.counter_kind})"]
    want = cand["counter_kind"] if isinstance(cand["counter_kind"], str) else ""
    if want and want != pair.counter_kind:
        parts.append(f"{cand['counter_kind']} föredras, halvt värde" if sv else
                     f"{cand['counter_kind']} preferred, half value")
    if s in set(pair.week_days.tolist()):
        parts.append("samma vecka på året som före-mätningen" if sv else
                     "same week of the year as the before measurement")
    if s in set(pair.weekday_days.tolist()):
        parts.append("samma veckodag som före-mätningen" if sv else
                     "same weekday as the before measurement")
    return ", ".join(parts)


def _plan_frame(chosen: list[tuple[_Pair, int, int, str]], candidates: pd.DataFrame,
                start: dt.date, language: str) -> pd.DataFrame:
    from trafikplan.i18n import code

    sv = language == "sv"
    rows = []
    for pair, s, e, counter in chosen:  # deployments
        cand = candidates.iloc[pair.cand]
        value = _deployment_value(pair, s)
        label = "Prioritet" if sv else "Priority"
        purposes = code("purpose", cand["purposes"], language)
        reason = (f"{label} {int(cand['priority'])} ({purposes}): "
                  f"{cand['reason']}. {_choice_text(pair, counter, cand, s, sv)}")
        rows.append({
            "counter": counter, "site_id": cand["site_id"], "street": cand["street"],
            "install": start + dt.timedelta(days=s), "remove": start + dt.timedelta(days=e),
            "purpose": cand["purpose"], "reason": reason, "counter_kind": pair.counter_kind,
            "candidate_id": cand["candidate_id"], "measure_id": cand["measure_id"],
            "days": e - s, "value": value,
        })
    df = pd.DataFrame(rows, columns=list(PLAN_COLUMNS))
    df["days"] = df["days"].astype("int64")
    df["value"] = df["value"].astype("int64")
    df["site_id"] = df["site_id"].astype(object).where(df["site_id"].notna(), None)
    return df.sort_values(["install", "counter"], kind="stable").reset_index(drop=True)


def _check_inputs(candidates: pd.DataFrame, fleet: pd.DataFrame, weeks: int,
                  settings: MeasurementSettings) -> None:
    if weeks < 1:
        raise InputError(f"--weeks must be at least 1, got {weeks}")
    if settings.min_days < 1 or settings.max_installs_per_day < 1:
        raise InputError("[measurements] min_days and max_installs_per_day must be at least 1")
    if not len(fleet):
        raise InfeasiblePlanError("no counters in counter_fleet.csv")
    if candidates["candidate_id"].duplicated().any():
        raise InputError("candidate ids must be unique")


# ----------------------------------------------------------------------------- model

def _triples(p: _Pair, settings: MeasurementSettings) -> list[tuple[int, int]]:
    """All (install, removal) day pairs of one deployment option."""
    lo, hi = settings.min_days, max(settings.max_days, settings.min_days)
    out = []
    for s in p.starts.tolist():
        out += [(s, e) for e in p.ends[(p.ends >= s + lo) & (p.ends <= s + hi)].tolist()]
    return out


def _build_model(pairs: list[_Pair], greedy: list, fleet: pd.DataFrame, work: np.ndarray,
                 weeks: int, settings: MeasurementSettings) -> tuple:
    """Build the CP-SAT model; one function, one constraint family per block.

    Decision booleans ``x[k, s, e]`` (pair ``k`` installed on ``s``, removed on
    ``e``) give a tight linear relaxation (crew days and counter occupancy are
    sums of them); the pair's interval ``[s, e)`` is linked to them and carries
    the same rules as ``add_no_overlap``/``add_cumulative`` constraints, which
    propagate well.
    """
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    n_days = 7 * weeks
    scale = 2 * (len(fleet) * n_days + 1)
    present, svars, evars = [], [], []
    objective = []
    crew_day: dict[int, list] = defaultdict(list)
    occupied: dict[tuple[tuple[str, ...], int], list] = defaultdict(list)
    per_group: dict[tuple[str, ...], list] = defaultdict(list)
    per_cand: dict[int, list] = defaultdict(list)
    crew = []
    hint = {(id(p), s, e) for p, s, e, _ in greedy}
    work_set = set(work.tolist())
    for k, p in enumerate(pairs):
        xs, s_terms, e_terms = [], [], []
        for s, e in _triples(p, settings):
            x = model.new_bool_var(f"x{k}_{s}_{e}")
            model.add_hint(x, (id(p), s, e) in hint)
            xs.append(x)
            s_terms.append(s * x)
            e_terms.append(e * x)
            objective.append((scale * _deployment_value(p, s) - (e - s)) * x)
            crew_day[s].append(x)
            crew_day[e].append(x)
            for t in range(s, e):
                if t in work_set:  # overlaps peak on install days, all work days
                    occupied[(p.counters, t)].append(x)
        # pair k: at most one deployment, its interval linked to the booleans
        on = model.new_bool_var(f"p{k}")
        model.add(sum(xs) == on)
        sv = model.new_int_var(0, n_days, f"s{k}")
        ev = model.new_int_var(0, n_days, f"e{k}")
        model.add(sv == sum(s_terms))
        model.add(ev == sum(e_terms))
        size = model.new_int_var(0, n_days, f"d{k}")
        per_group[p.counters].append(model.new_optional_interval_var(sv, size, ev, on, f"i{k}"))
        crew.append(model.new_optional_fixed_size_interval_var(sv, 1, on, f"in{k}"))
        crew.append(model.new_optional_fixed_size_interval_var(ev, 1, on, f"out{k}"))
        per_cand[p.cand].append(on)
        present.append(on)
        svars.append(sv)
        evars.append(ev)
    # crew: installs + removals per day
    for xs in crew_day.values():
        model.add(sum(xs) <= settings.max_installs_per_day)
    model.add_cumulative(crew, [1] * len(crew), settings.max_installs_per_day)
    # counters: a group of interchangeable counters holds one site per counter
    for (names, _t), xs in occupied.items():
        model.add(sum(xs) <= len(names))
    for names, intervals in per_group.items():
        if len(names) == 1:
            model.add_no_overlap(intervals)
        else:
            model.add_cumulative(intervals, [1] * len(intervals), len(names))
    # candidates: at most one deployment each
    for ons in per_cand.values():
        model.add_at_most_one(ons)
    model.maximize(sum(objective))
    return model, present, svars, evars, scale


# ----------------------------------------------------------------------------- main

def greedy_measurements(
    candidates: pd.DataFrame,
    fleet: pd.DataFrame,
    *,
    start: dt.date,
    weeks: int,
    settings: MeasurementSettings,
    language: str = "sv",
) -> pd.DataFrame:
    """Greedy baseline plan: candidates by priority, each its best earliest deployment.

    Parameters and the returned columns as :func:`plan_measurements` (its ``plan``).
    """
    _check_inputs(candidates, fleet, weeks, settings)
    work = work_days(start, weeks)
    pairs = _pairs(candidates, fleet, start, weeks, settings, work)
    return _plan_frame(_greedy(pairs, candidates, settings), candidates, start, language)


def plan_measurements(
    candidates: pd.DataFrame,
    fleet: pd.DataFrame,
    *,
    start: dt.date,
    weeks: int,
    settings: MeasurementSettings,
    language: str = "sv",
    time_limit_s: float | None = None,
    seed: int | None = None,
) -> MeasurementPlan:
    """Plan counter deployments with CP-SAT (model in the module docstring).

    Parameters
    ----------
    candidates : DataFrame
        From :func:`trafikplan.plan._candidates.build_candidates` (columns
        ``candidate_id, site_id, street, purpose, purposes, priority, earliest,
        latest, counter_kind, prefer_weeks, prefer_weekday, measure_id, reason``).
    fleet : DataFrame
        ``counter, kind, available_from`` (:func:`trafikplan.io.measures.read_counter_fleet`).
    start : datetime.date
        First local day of the plan.
    weeks : int [weeks]
        Plan length.
    settings : MeasurementSettings
        ``min_days, max_days, max_installs_per_day, time_limit_s, seed``.
    language : str
        ``"sv"`` or ``"en"`` for the reasons.
    time_limit_s : float [s], optional
        Overrides ``settings.time_limit_s``.
    seed : int, optional
        Overrides ``settings.seed``.

    Returns
    -------
    MeasurementPlan

    Raises
    ------
    InputError
        ``weeks < 1`` or impossible settings.
    InfeasiblePlanError
        No counters, or the solver found no plan within the time limit.
    """
    from ortools import __version__ as ortools_version
    from ortools.sat.python import cp_model

    _check_inputs(candidates, fleet, weeks, settings)
    candidates = candidates.reset_index(drop=True)
    work = work_days(start, weeks)
    pairs = _pairs(candidates, fleet, start, weeks, settings, work)
    greedy = _greedy(pairs, candidates, settings)
    greedy_plan = _plan_frame(greedy, candidates, start, language)
    seed = settings.seed if seed is None else seed
    limit = settings.time_limit_s if time_limit_s is None else time_limit_s
    info = {"seed": seed, "workers": 1, "time_limit_s": limit, "ortools": ortools_version,
            "linearization_level": 2, "cp_model_probing_level": 0}
    if not pairs:
        cands = candidates.assign(planned=False)
        return MeasurementPlan(greedy_plan, cands, 0, 0, "EMPTY", greedy_plan, 0, start, weeks,
                               info)

    model, present, svars, evars, scale = _build_model(pairs, greedy, fleet, work, weeks,
                                                        settings)

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.linearization_level = 2  # the time-indexed LP bound matters
    solver.parameters.cp_model_probing_level = 0  # probing the day encodings costs seconds
    solver.parameters.random_seed = int(seed)
    solver.parameters.max_time_in_seconds = float(limit)
    # Stop once the value is proven optimal (the day tie-break is < scale / 2).
    solver.parameters.absolute_gap_limit = scale / 2 - 1
    t0 = time.perf_counter()
    status = solver.solve(model)
    info["wall_s"] = round(time.perf_counter() - t0, 3)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise InfeasiblePlanError(
            f"the solver found no measurement plan within {limit} s "
            f"(status {solver.status_name(status)}); raise [measurements] time_limit_s")
    chosen = _name_counters([(p, int(solver.value(svars[k])), int(solver.value(evars[k])))
                             for k, p in enumerate(pairs) if solver.value(present[k])])
    plan = _plan_frame(chosen, candidates, start, language)
    bound = int(np.ceil(solver.best_objective_bound / scale - 1e-9))
    planned = candidates["candidate_id"].isin(plan["candidate_id"])
    return MeasurementPlan(
        plan=plan, candidates=candidates.assign(planned=planned.to_numpy()),
        value=int(plan["value"].sum()), bound=max(bound, int(plan["value"].sum())),
        status=solver.status_name(status), greedy=greedy_plan,
        greedy_value=int(greedy_plan["value"].sum()), start=start, weeks=weeks, solver=info,
    )


def crew_events(plan: pd.DataFrame, *, tz: str = "Europe/Stockholm",
                language: str = "sv") -> pd.DataFrame:
    """Calendar events for the counter crew: one per install and one per removal.

    The k-th task of a day starts at 08:00 + k·90 min local time and lasts one
    hour. UIDs are derived from counter, candidate, install day and task, so an
    updated plan updates the events instead of doubling them.

    Parameters
    ----------
    plan : DataFrame
        ``MeasurementPlan.plan``.
    tz : str
        Local time zone.
    language : str
        ``"sv"`` or ``"en"``.

    Returns
    -------
    DataFrame
        ``uid, start, end`` (tz-aware), ``summary, description, location`` (str),
        for :func:`trafikplan.report.calendar.write_calendar`.
    """
    from trafikplan.i18n import code

    sv = language == "sv"
    tasks = []
    for r in plan.itertuples(index=False):  # deployments
        where = r.site_id if isinstance(r.site_id, str) and r.site_id else (
            "ny mätplats" if sv else "new site")
        base = f"{r.counter}-{r.candidate_id}-{r.install.isoformat()}"
        uid_base = "".join(ch if ch.isalnum() or ch in "-." else "_" for ch in base)
        for day, task in ((r.install, "install"), (r.remove, "remove")):
            verb = ({"install": "Sätt upp", "remove": "Ta ner"} if sv else
                    {"install": "Install", "remove": "Remove"})[task]
            tasks.append({
                "day": day, "counter": r.counter, "uid": f"{uid_base}-{task}@trafikplan",
                "summary": f"{verb} {r.counter}: {r.street} ({where})",
                "description": f"{code('purpose', r.purpose, language)}: {r.reason}",
                "location": f"{r.street}, {where}",
            })
    if not tasks:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in
                             ("uid", "start", "end", "summary", "description", "location")})
    ev = pd.DataFrame(tasks).sort_values(["day", "counter", "uid"], kind="stable")
    slot = ev.groupby("day").cumcount().to_numpy()
    day = pd.to_datetime(ev["day"].astype(str)).dt.tz_localize(tz)
    ev["start"] = day + pd.to_timedelta(8 * 60 + 90 * slot, unit="min")
    ev["end"] = ev["start"] + pd.Timedelta(hours=1)
    return ev[["uid", "start", "end", "summary", "description", "location"]].reset_index(drop=True)


def planning_inputs(data_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Read ``counter_fleet.csv`` (required) and ``measures.csv`` (optional).

    Raises
    ------
    InputError
        No ``counter_fleet.csv``, or either file cannot be read.
    """
    from trafikplan.io.measures import read_counter_fleet, read_measures

    fleet_path = data_dir / "counter_fleet.csv"
    if not fleet_path.is_file():
        raise InputError("no counter_fleet.csv: list the counters (counter,kind[,available_from])",
                         path=fleet_path)
    measures_path = data_dir / "measures.csv"
    measures = read_measures(measures_path) if measures_path.is_file() else None
    return read_counter_fleet(fleet_path), measures


def plan_for_folder(
    tables: Tables,
    start: dt.date,
    weeks: int,
    *,
    fleet: pd.DataFrame | None = None,
    measures: pd.DataFrame | None = None,
) -> MeasurementPlan:
    """Plan counter deployments for a loaded data folder.

    Computes the flags as they were on ``start`` (only data dated before
    it), with the data selection of the flags and the report
    (:mod:`trafikplan.flags.selection`, staleness counted back from
    ``start``): per site only its newest deployment, nothing from before a
    built measure and nothing older than ``stale_months``. A stale site's
    old data is thus no evidence for a flag; the candidates list the site as
    ``stale`` (to be measured again). Then builds the candidates and solves
    the plan.

    Parameters
    ----------
    tables : Tables
        From :func:`trafikplan.load`.
    start : date
        First local day of the plan.
    weeks : int
        Length of the plan [weeks].
    fleet, measures : DataFrame, optional
        As :func:`planning_inputs` returns them; read from ``tables.data_dir``
        when ``fleet`` is None.

    Raises
    ------
    InputError
        No ``counter_fleet.csv``, or a planning file that cannot be read.
    """
    from trafikplan.flags import compute_flags
    from trafikplan.flags.selection import deployments, select_for_flags

    if fleet is None:
        fleet, measures = planning_inputs(tables.data_dir)
    s = tables.settings
    cut = pd.Timestamp(start).tz_localize(s.timezone).tz_convert("UTC")
    vehicles = tables.vehicles[tables.vehicles["time"] < cut]
    bins = tables.bins[tables.bins["start"] < cut]
    reports = tables.reports[tables.reports["time"] < cut]
    deps = deployments(vehicles, bins, measures=measures,
                       stale_months=s.measurements.stale_months, now=cut, tz=s.timezone)
    used_vehicles, used_bins = select_for_flags(vehicles, bins, deps)
    flags = compute_flags(used_vehicles, tables.sites, reports, s, bins=used_bins)
    candidates = build_candidates(
        tables.sites, vehicles, reports, measures, start=start, weeks=weeks,
        settings=s.measurements, flags=flags, flag_settings=s.flags, bins=bins,
        tz=s.timezone, language=s.language,
    )
    return plan_measurements(candidates, fleet, start=start, weeks=weeks,
                             settings=s.measurements, language=s.language)
