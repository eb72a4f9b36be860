"""Flags: which sites and local hours have speeding or reckless driving, with the evidence.

The main function is :func:`compute_flags`; the table it returns is the
contract with the check planner and the measurement planner (see
:data:`FLAG_COLUMNS` and :mod:`trafikplan.flags.compute`).
"""

from __future__ import annotations

from trafikplan.flags.compute import FLAG_COLUMNS, compute_flags, flags_of, rank_flags
from trafikplan.flags.reasons import build_reasons
from trafikplan.flags.reckless import night_excess, reckless_indicators
from trafikplan.flags.reports import report_evidence
from trafikplan.flags.score import excess_risk, score

__all__ = [
    "FLAG_COLUMNS",
    "build_reasons",
    "compute_flags",
    "excess_risk",
    "flags_of",
    "night_excess",
    "rank_flags",
    "reckless_indicators",
    "report_evidence",
    "score",
]
