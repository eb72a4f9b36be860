"""A week's check plan and how good it is (:class:`CheckPlan`)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

__all__ = ["CheckPlan"]


@dataclass
class CheckPlan:
    """A week's speed-check plan and how good it is.

    Attributes
    ----------
    checks : DataFrame
        One row per check, by team and start: ``team``, ``start``, ``end``
        (datetime64 in the settings' time zone), ``site_id``, ``street``,
        ``reason`` (str), ``value`` [score x h]; then ``area``, ``focus``,
        ``lat``, ``lon`` [deg], ``direct_value``, ``halo_value`` [score x h],
        ``repeated`` (bool: earns the repeat factor), ``section`` (str) and
        ``speed_limit`` [km/h] of the site.
    shifts : DataFrame
        The week's shifts as planned: ``team``, ``start``, ``end`` (local time,
        within the week) and ``break_start``, ``break_end`` (NaT without a break).
    value : float [score x h]
        The plan's value (sum of ``checks.value``).
    bound : float [score x h]
        Upper bound on the value of any plan of the week (module docstring, Bound).
    gap : float [1]
        ``(bound - value) / bound`` of this plan.
    best_value, best_gap : float
        Value and gap of the best plan found (before the seeded choice).
    greedy : DataFrame
        The greedy baseline, columns as ``checks``.
    greedy_value : float [score x h]
    direct_value, halo_value : float [score x h]
        The plan's value at the checks' own sites and its distance-halo value
        (``value = direct_value + halo_value``).
    predictability : float [1]
        Share of the plan's site-hours (site, local weekday, hour) checked in the
        issued plans of the last ``recency_weeks`` weeks
        (:func:`trafikplan.plan.checks.value.predictability`).
    coverage, greedy_coverage : float [1]
        Share of the week's flagged need covered by a check at the site itself
        (:func:`trafikplan.plan.checks.value.direct_coverage`), of this plan and of greedy's.
    status : str
        CP-SAT status of the main solve (``OPTIMAL`` or ``FEASIBLE``; ``SKIPPED``
        when the week is too large for it, see ``cpsat_max_candidates``).
    focus_target : int
        Focus checks required (``focus_min_per_week`` or what the roster allows).
    messages : list of str
        Things the planner should know (focus shortfall, unreachable areas).
    log : dict
        Week, seed, parameters, OR-Tools version, solve statistics.
    """

    week: str
    checks: pd.DataFrame
    value: float
    bound: float
    gap: float
    best_value: float
    best_gap: float
    greedy: pd.DataFrame
    greedy_value: float
    status: str
    focus_target: int
    greedy_focus_target: int
    messages: list[str] = field(default_factory=list)
    log: dict = field(default_factory=dict)
    direct_value: float = 0.0
    halo_value: float = 0.0
    coverage: float = 0.0
    greedy_coverage: float = 0.0
    predictability: float = 0.0
    shifts: pd.DataFrame = field(default_factory=pd.DataFrame)

    def per_team(self) -> pd.Series:
        """Return the number of checks per team."""
        return self.checks.groupby("team", sort=True).size()
