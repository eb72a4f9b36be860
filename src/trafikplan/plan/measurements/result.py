"""A measurement plan and how it was made (:class:`MeasurementPlan`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

__all__ = ["MeasurementPlan"]


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
        Upper bound on the value [points]: proved by the solver (with ``GREEDY``:
        every candidate once on its best day).
    status : str
        ``OPTIMAL`` or ``FEASIBLE``; ``GREEDY`` when the time limit ran out before
        CP-SAT's first plan (the plan is the greedy plan); ``EMPTY`` when nothing
        could be planned.
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
