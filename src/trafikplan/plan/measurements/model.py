"""The CP-SAT model of the measurement plan: one function per rule family.

As the check planner's model (:mod:`trafikplan.plan.checks.model`): each
``add_<family>(model, v, inst)`` adds the constraints of one rule family of
:mod:`trafikplan.plan.measurements` and returns its objective term (``0`` for a
rule without one); :func:`build_model` adds them in a fixed order.

Decision booleans ``x[k, s, e]`` (option ``k`` installed on ``s``, removed on
``e``) give a tight linear relaxation (crew days and counter occupancy are sums
of them); the option's interval ``[s, e)`` is linked to them and carries the same
rules as ``add_no_overlap``/``add_cumulative`` constraints, which propagate well.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from trafikplan.plan.measurements.grid import Option, day_pairs, deployment_value
from trafikplan.settings import MeasurementSettings

if TYPE_CHECKING:
    from typing import TypeAlias

    from ortools.sat.python.cp_model import CpModel, IntervalVar, IntVar, LinearExpr

    Term: TypeAlias = LinearExpr | IntVar | int
    """An objective term (0 for a rule family without one)."""

__all__ = [
    "SOLVER_PARAMETERS",
    "DeploymentVars",
    "MeasurementInstance",
    "add_counters",
    "add_crew",
    "add_deployments",
    "add_once_per_candidate",
    "build_model",
]

SOLVER_PARAMETERS: dict[str, float | bool] = {
    "linearization_level": 2,  # the time-indexed LP bound proves the value optimal
    "cp_model_probing_level": 0,  # probing the day encodings costs seconds and buys nothing
}
"""The measurement model's CP-SAT tuning on top of :func:`trafikplan.plan.cpsat.new_solver`."""

Deployment = tuple[Option, int, int, str]
"""A planned deployment: option, install day, removal day, counter."""


@dataclass
class MeasurementInstance:
    """What the model is built from: the options, the fleet, the plan's days and rules.

    Attributes
    ----------
    options : list of Option
        Every (candidate, counter group) option (:func:`~.grid.deployment_options`).
    greedy : list of (Option, int, int, str)
        The greedy plan's deployments (the hint).
    fleet : DataFrame
        The counters.
    work : ndarray of int64
        The work days (indices from the plan's first day).
    weeks : int [weeks]
    settings : MeasurementSettings
    """

    options: list[Option]
    greedy: list[Deployment]
    fleet: pd.DataFrame
    work: np.ndarray
    weeks: int
    settings: MeasurementSettings

    @property
    def n_days(self) -> int:
        """Days in the plan."""
        return 7 * self.weeks

    @property
    def scale(self) -> int:
        """Objective units per point: twice the largest possible total of days, plus 2."""
        return 2 * (len(self.fleet) * self.n_days + 1)


@dataclass
class DeploymentVars:
    """The model's variables of each option and what the rule families need of them.

    Attributes
    ----------
    present, starts, ends : list of variables
        Per option: deployed (bool), install day and removal day (int).
    crew : list of IntervalVar
        The install ``[s, s+1)`` and removal ``[e, e+1)`` intervals.
    crew_day : dict of int to list of BoolVar
        The ``x`` installing or removing on each day.
    occupied : dict of (counters, day) to list of BoolVar
        The ``x`` of a counter group occupying a work day.
    per_group : dict of counters to list of IntervalVar
        The options' intervals ``[s, e)`` per counter group.
    per_cand : dict of int to list of BoolVar
        The options' presence per candidate.
    """

    present: list[IntVar] = field(default_factory=list)
    starts: list[IntVar] = field(default_factory=list)
    ends: list[IntVar] = field(default_factory=list)
    crew: list[IntervalVar] = field(default_factory=list)
    crew_day: dict[int, list[IntVar]] = field(default_factory=lambda: defaultdict(list))
    occupied: dict[tuple[tuple[str, ...], int], list[IntVar]] = field(
        default_factory=lambda: defaultdict(list))
    per_group: dict[tuple[str, ...], list[IntervalVar]] = field(
        default_factory=lambda: defaultdict(list))
    per_cand: dict[int, list[IntVar]] = field(default_factory=lambda: defaultdict(list))


def add_deployments(model: CpModel, v: DeploymentVars,
                    inst: MeasurementInstance) -> Term:
    """Every option: its (install, removal) day booleans, at most one, linked to its interval.

    Returns the objective ``SCALE · value − days`` of the deployments (the tie-break
    of shorter deployments never outweighs one point). The greedy plan is the hint.
    """
    n_days, scale = inst.n_days, inst.scale
    objective: list[Term] = []
    hint = {(id(p), s, e) for p, s, e, _ in inst.greedy}
    work_set = set(inst.work.tolist())
    for k, p in enumerate(inst.options):
        xs, s_terms, e_terms = [], [], []
        for s, e in day_pairs(p, inst.settings):
            x = model.new_bool_var(f"x{k}_{s}_{e}")
            model.add_hint(x, (id(p), s, e) in hint)
            xs.append(x)
            s_terms.append(s * x)
            e_terms.append(e * x)
            objective.append((scale * deployment_value(p, s) - (e - s)) * x)
            v.crew_day[s].append(x)
            v.crew_day[e].append(x)
            for t in range(s, e):
                if t in work_set:  # overlaps peak on install days, all work days
                    v.occupied[(p.counters, t)].append(x)
        # option k: at most one deployment, its interval linked to the booleans
        on = model.new_bool_var(f"p{k}")
        model.add(sum(xs) == on)
        sv = model.new_int_var(0, n_days, f"s{k}")
        ev = model.new_int_var(0, n_days, f"e{k}")
        model.add(sv == sum(s_terms))
        model.add(ev == sum(e_terms))
        size = model.new_int_var(0, n_days, f"d{k}")
        v.per_group[p.counters].append(model.new_optional_interval_var(sv, size, ev, on, f"i{k}"))
        v.crew.append(model.new_optional_fixed_size_interval_var(sv, 1, on, f"in{k}"))
        v.crew.append(model.new_optional_fixed_size_interval_var(ev, 1, on, f"out{k}"))
        v.per_cand[p.cand].append(on)
        v.present.append(on)
        v.starts.append(sv)
        v.ends.append(ev)
    return sum(objective)


def add_crew(model: CpModel, v: DeploymentVars, inst: MeasurementInstance) -> Term:
    """Crew capacity: installs plus removals per day at most ``max_installs_per_day``."""
    cap = inst.settings.max_installs_per_day
    for xs in v.crew_day.values():
        model.add(sum(xs) <= cap)
    model.add_cumulative(v.crew, [1] * len(v.crew), cap)
    return 0


def add_counters(model: CpModel, v: DeploymentVars, inst: MeasurementInstance) -> Term:
    """One site at a time per counter: a group of interchangeable counters holds one each."""
    for (names, _day), xs in v.occupied.items():
        model.add(sum(xs) <= len(names))
    for names, intervals in v.per_group.items():
        if len(names) == 1:
            model.add_no_overlap(intervals)
        else:
            model.add_cumulative(intervals, [1] * len(intervals), len(names))
    return 0


def add_once_per_candidate(model: CpModel, v: DeploymentVars,
                           inst: MeasurementInstance) -> Term:
    """Each candidate at most once (a second deployment of it has no value)."""
    for ons in v.per_cand.values():
        model.add_at_most_one(ons)
    return 0


def build_model(inst: MeasurementInstance) -> tuple[CpModel, DeploymentVars]:
    """Return the CP-SAT model with every rule and the objective maximised."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    v = DeploymentVars()
    terms = [add_deployments(model, v, inst), add_crew(model, v, inst),
             add_counters(model, v, inst), add_once_per_candidate(model, v, inst)]
    model.maximize(sum(terms))
    return model, v
