"""Where the municipality puts its counters next: a CP-SAT deployment plan.

Inputs are the candidates of :func:`trafikplan.plan.measurements.candidates.build_candidates`
(one per site or report-only street, with a purpose, a priority and a reason)
and the counter fleet (:func:`trafikplan.io.user_tables.measures.read_counter_fleet`).

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
  install order (:func:`~trafikplan.plan.measurements.grid.name_counters`), which
  never runs out because at most that many intervals overlap. This removes the symmetry between
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
those booleans and help propagation (:mod:`~trafikplan.plan.measurements.model`: one
``add_<rule family>`` per rule above).

Solve: the solver of :func:`trafikplan.plan.cpsat.new_solver`, as the check plan's:
``time_limit_s`` is CP-SAT's deterministic time (``max_deterministic_time``, a
count of the solver's work; the wall clock stops it only at ten times that), so
the same seed and limit give the same plan on a loaded and an idle machine. One
search worker (:data:`~trafikplan.plan.measurements.planner.WORKERS`) and a fixed
``random_seed``, the greedy plan as a hint,
``linearization_level = 2`` (the LP bound proves optimality) and
``cp_model_probing_level = 0`` (probing the day encodings cost seconds and
bought nothing on the tested instances). A limit too small for CP-SAT's first
plan gives the greedy plan (status ``GREEDY``; its bound is every candidate once on
its best day). The seed, the parameters and the OR-Tools version are returned with
the plan (``MeasurementPlan.solver``).

Greedy baseline (:func:`greedy_measurements`): candidates by priority; each
gets the deployment (any counter) of highest value with the earliest install
day that fits the rules, given what is already planned.

Modules
-------
``candidates`` (what should be measured, with a purpose, a priority and a reason),
``grid`` (work days, deployment options and their value), ``greedy`` (the baseline),
``model`` (the CP-SAT model: one ``add_<rule family>`` per rule above), ``planner``
(:func:`plan_measurements`, :func:`greedy_measurements`), ``table`` (the plan for
people), ``result`` (:class:`MeasurementPlan`), ``crew`` (the crew's calendar) and
``folder`` (:func:`plan_for_folder` from a data folder).
"""

from __future__ import annotations

from trafikplan.plan.measurements.candidates import CANDIDATE_COLUMNS, build_candidates
from trafikplan.plan.measurements.crew import crew_events
from trafikplan.plan.measurements.folder import plan_for_folder, planning_inputs
from trafikplan.plan.measurements.grid import WEEK_BONUS, WEEKDAY_BONUS, work_days
from trafikplan.plan.measurements.planner import greedy_measurements, plan_measurements
from trafikplan.plan.measurements.result import MeasurementPlan
from trafikplan.plan.measurements.table import PLAN_COLUMNS

__all__ = [
    "CANDIDATE_COLUMNS",
    "PLAN_COLUMNS",
    "WEEKDAY_BONUS",
    "WEEK_BONUS",
    "MeasurementPlan",
    "build_candidates",
    "crew_events",
    "greedy_measurements",
    "plan_for_folder",
    "plan_measurements",
    "planning_inputs",
    "work_days",
]
