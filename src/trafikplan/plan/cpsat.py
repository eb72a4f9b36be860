"""The one CP-SAT solver factory of both planners: limits in deterministic time.

A planner's ``time_limit_s`` is CP-SAT's *deterministic* time
(``max_deterministic_time``): a count of the solver's work in "deterministic
seconds" (about a second of work on a reference machine), the same on a loaded
and an idle machine, so the same seed and limit give the same plan wherever
they run. A wall-clock limit of :data:`WALL_CLOCK_FACTOR` times that is only a
safety stop for a search whose work is under-counted. With several workers they
take turns in fixed batches (``interleave_search``), which keeps the plan
reproducible with ``num_workers > 1`` too.

Each planner adds its own tuning (presolve, linearization, gap limits) as
keyword parameters: :data:`trafikplan.plan.checks.model.SOLVER_PARAMETERS`,
:data:`trafikplan.plan.measurements.model.SOLVER_PARAMETERS`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ortools.sat.python.cp_model import CpSolver

__all__ = ["WALL_CLOCK_FACTOR", "new_solver"]

WALL_CLOCK_FACTOR = 10.0
"""Wall-clock safety stop as a multiple of the deterministic limit [1]."""


def new_solver(time_limit: float, seed: int, workers: int = 1,
               **parameters: float | bool) -> CpSolver:
    """Return a CP-SAT solver that stops on deterministic time (reproducible plans).

    Parameters
    ----------
    time_limit : float [deterministic s]
        ``max_deterministic_time``; the wall clock stops the search only at
        :data:`WALL_CLOCK_FACTOR` times this.
    seed : int
        ``random_seed`` (taken modulo 2³¹ − 1).
    workers : int
        ``num_workers`` (at least 1); several workers interleave in fixed batches.
    **parameters
        Further ``SatParameters`` fields of the planner's own, e.g.
        ``linearization_level=2``.

    Returns
    -------
    CpSolver
    """
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    p = solver.parameters
    p.num_workers = max(1, int(workers))
    p.random_seed = int(seed) % (2**31 - 1)
    if workers > 1:
        # workers take turns in fixed batches: reproducible with several workers
        p.interleave_search = True
    p.max_deterministic_time = float(time_limit)
    p.max_time_in_seconds = WALL_CLOCK_FACTOR * float(time_limit)
    p.log_search_progress = False
    for name, value in parameters.items():
        setattr(p, name, value)
    return solver
