r"""The police's weekly speed-check plan, optimised with CP-SAT.

Where and when do the teams run speed checks this week, and why there?

Time grid
---------
The week runs from Monday 00:00 to the next Monday 00:00 local time (167 or
169 hours in a week with a daylight-saving change). It is cut into slots of
``step_minutes`` counted from the week's start; checks start and end on slot
boundaries inside a team's shifts (a shift's first slot is the first boundary
at or after its start, its last ends at or before its end). A team's
overlapping or touching shifts are merged. A shift with an ``area`` in the
roster only checks sites of that area (an area that names no check spot's area,
such as the police district "Köping", restricts nothing).

Decision
--------
A candidate check ``c = (team, shift, site s, start a, end e)`` at a check
spot, lasting ``min_minutes``, ``min_minutes + length_step_minutes``, ... up
to ``max_minutes`` (short visits: 20, 40 or 60 minutes by default, on a
5-minute grid so that the 15-minute set-up is not rounded up); binary ``x_c``.

Candidates (:mod:`trafikplan.plan.checks.candidates`): a check starts on a quarter hour
(``start_step_minutes``) or fits tightly (at the shift's start or right after its
break, or ending at the break, the shift's end or a full hour: the flag values change
on full hours, so these are the starts where a check's own value peaks); and a site is a
candidate in a shift when the shift is among the site's ``shifts_per_site`` best or the
site among the shift's ``sites_per_shift`` best (by the best check's own value). The
planner's locked checks are always candidates. ``log["candidates_all"]`` counts them.

Rules (hard constraints)
------------------------
1. *One place at a time, with setup and travel*: two checks of one team
   (any shifts) are apart by at least ``g(s, s') = ceil((setup_minutes +
   60 d(s, s') / travel_kmh) / step)`` slots, ``d`` the haversine distance
   [km]. Encoded as one at-most-one per team and slot over the checks
   occupying ``[a, e + g0)`` (``g0 = ceil(setup/step)``), plus, for site
   pairs further apart, "a check ending at ``e`` at ``s`` excludes checks
   starting in ``[e + g0, e + g(s, s'))`` at ``s'``".
2. *A team checks a site at most once per shift.*
3. *Same site*: at most ``max_per_site_per_week`` checks per site, and the
   next check at a site starts at least ``min_hours_between_same_site`` after
   the previous one ended (also against the checks of earlier saved plans:
   candidates that would break it are never generated). Encoded with one
   optional interval ``[a, e + G)`` per site and shift in a no-overlap per
   site, plus cliques of shift pairs whose every check pair conflicts.
4. *Focus*: at least ``focus_min_per_week`` checks at sites on
   ``focus_streets`` when the roster allows. The greedy baseline shows
   whether it does; if it falls short, a first CP-SAT solve maximises the
   number of focus checks and the plan reports how many the roster allows.
5. *Areas in proportion to need*: with ``need(A)`` the value of the check
   spots of area ``A`` over the week's shift hours (any team on duty; areas
   some shift can reach),
   every area gets check minutes ``>= (1 - area_share_slack) * need(A) /
   sum(need) * total check minutes`` (share rounded up to thousandths).
6. *Cap per shift*: at most ``max_checks_per_shift`` checks in one shift.
7. *Break*: a shift longer than ``break_after_hours`` has a break of
   ``break_minutes`` in its middle (its first slot ``first + (last - first -
   b) // 2``, ``b = ceil(break_minutes / step)``) in which no check runs.

Objective
---------
``v(s, t)`` = flag ``score`` of site ``s`` for the local weekday and hour of
slot ``t``, times the share of the hour the slot covers, times ``1 -
recency_penalty`` when a check of an issued plan that started in the
``recency_weeks`` weeks before ran at ``s`` in the same local weekday and hour
(drivers must not learn where and when the checks come back). The *visit curve*
``d_j`` is ``0.5 ** (minutes since the check started / visit_halflife_minutes)``
averaged over the check's ``j``-th slot: one visit has diminishing returns, most
of its value comes in the first 20-30 minutes. A plan's value is

- **direct**: a check at ``s`` earns ``D_c = sum_{a <= t < e} v(s, t) d_{t - a}``.
  *Time halo* (diminishing returns for repeated presence): per site the best
  check earns ``D_c`` in full, every further check at the site that week
  earns ``repeat_factor * D_c``; a check that starts less than
  ``time_halo_hours`` after a check of an earlier saved plan at the same
  site earns only ``repeat_factor * D_c`` (so the halo holds across the week
  boundary);
- **distance halo**: a site-slot ``(s', t)`` not covered by a check at
  ``s'`` itself earns ``v(s', t) * min(cap, sum_c w(s_c, s') d_{t - a_c})``
  over the checks at other sites running in slot ``t``, with ``w(s, s') = 0.5
  ** (d(s, s') / distance_halo_km)`` (halving every 0.9 km by default) within
  ``distance_halo_radius_km`` (2 km) on the same street
  (``distance_halo_same_street``) and 0 otherwise, ``cap = distance_halo_cap``
  (0.1): a capped sum, so checks near one site add up but never to more than
  a tenth of a check there itself; sites without a check spot included.
  Each running check holds the share of that credit its weight has (its
  ``halo_value``, reported apart from ``direct_value``).

Solve
-----
1. *CP-SAT over the whole week.* The objective is linear: the halo of a
   site-slot is ``v * sum w o`` over the nearby sites' occupancy ``o`` (at
   most one check covers a site-slot) where that sum cannot exceed the cap
   and the site itself cannot be checked then, else an integer ``h <= sum w
   o``, ``h <= cap``, ``h <= cap (1 - o_own)`` (exact at the optimum).
   Integer coefficients: ``v`` scaled to at most 1e4 per slot, weights in
   thousandths, both rounded up. Candidates are pruned first
   (:func:`~trafikplan.plan.checks.solve.prune`): per shift, start and length the
   ``candidates_per_start`` sites of highest own value (``direct + halo``), the same
   number of focus sites, two per area and the greedy plan's checks (``log`` holds
   ``candidates`` and ``candidates_all``). CP-SAT maximises from the greedy plan as a hint for a
   quarter of ``time_limit_s`` (deterministic time); on small weeks it
   proves the optimum.
2. *Local search over every candidate* (:mod:`trafikplan.plan.checks.local`):
   with the other checks fixed, a shift's best route is found exactly by
   dynamic programming over what each check adds; shifts are re-routed in
   turn while the value rises, then ``search_rounds`` rounds of
   perturbing three shifts and improving again (iterated local search).
3. *Unpredictable yet reproducible*: shifts are re-routed once more in an
   order and with a noise on the values seeded by ``seed`` and the ISO week,
   keeping the value ``>= (1 - value_tolerance)`` of the best found: the same
   data and seed give the same plan, another seed (or another week) another
   plan of near-equal value. Over weeks, the recency penalty (Objective) keeps
   the plans from repeating the site-hours of the issued plans.

Every step is deterministic (CP-SAT limits are deterministic time; a
wall-clock limit of ten times that is only a safety stop; ``num_workers``
above 1 runs CP-SAT's workers interleaved in fixed batches). The seed, the
parameters and the OR-Tools version go into :attr:`CheckPlan.log`.

Bound
-----
The reported bound holds for *every* plan of the week, not only for the kept
candidates: a Lagrangian bound over every check the rules allow, whatever the
candidate rules keep (:func:`trafikplan.plan.checks.week_bound.plan_bound`: every
shift's best route under multipliers for the per-site rules, the cap per shift and
the capped halo of each site-slot), or CP-SAT's bound when it is lower and covers
every allowed check (no candidate rule dropped any: ``candidates_per_start``,
``start_step_minutes``, ``shifts_per_site`` and ``sites_per_shift`` all 0) and the
solve got far enough to have one.
CP-SAT's bound over the kept candidates is in ``log["bound_kept"]``.

Modules
-------
``instance`` (the week's data: grid, site values, halo weights), ``shifts`` (the
roster and earlier plans on the grid), ``candidates`` (the candidate checks),
``visit`` (the visit curve), ``value`` (a plan's value, evaluated exactly), ``model``
(the CP-SAT model: one ``add_<rule family>`` per rule above and per objective part),
``greedy`` (the baseline), ``solve`` (pruning, CP-SAT, local search, seeded
choice), ``local`` (the local search), ``route_bound`` (a shift's best route),
``week_bound`` (the Lagrangian bound), ``explain`` (each check's reason),
``table`` (the plan for people), ``result`` (:class:`CheckPlan`), ``planner``
(:func:`plan_checks`, relaxing rules that leave the plan empty) and ``folder``
(:func:`plan_week` from a data folder, :func:`load_prior_plans`).
"""

from __future__ import annotations

from trafikplan.plan.checks.folder import PLANS_DIR, load_prior_plans, plan_week
from trafikplan.plan.checks.model import VALUE_MAX, WEIGHT
from trafikplan.plan.checks.planner import RELAXATIONS, plan_checks
from trafikplan.plan.checks.result import CheckPlan
from trafikplan.plan.checks.table import PLAN_COLUMNS

__all__ = [
    "PLANS_DIR",
    "PLAN_COLUMNS",
    "RELAXATIONS",
    "VALUE_MAX",
    "WEIGHT",
    "CheckPlan",
    "load_prior_plans",
    "plan_checks",
    "plan_week",
]
