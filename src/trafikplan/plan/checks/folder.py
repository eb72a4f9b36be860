"""A week's check plan from a loaded data folder, and the plans saved in it.

:func:`plan_week` is the one entry point of ``trafikplan plan checks`` and
``trafikplan run``: flags, learning, the measured time halo and the earlier saved
plans (:func:`load_prior_plans`, ``.trafikplan/plans/`` = :data:`PLANS_DIR`).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from trafikplan.plan.checks.planner import plan_checks
from trafikplan.plan.checks.result import CheckPlan
from trafikplan.plan.edits import PlanEdits

if TYPE_CHECKING:
    from trafikplan.io.store.tables import Tables

__all__ = ["PLANS_DIR", "load_prior_plans", "plan_week"]

PLANS_DIR = Path(".trafikplan") / "plans"
"""Saved plans (one ``YYYY-Www.parquet`` per week) inside the data folder."""


def load_prior_plans(data_dir: Path | str, week: str) -> pd.DataFrame:
    """Return the checks of every saved plan except ``week``'s own.

    Parameters
    ----------
    data_dir : Path or str
        The data folder; plans live in ``.trafikplan/plans/YYYY-Www.parquet``.
    week : str
        The week being planned (its earlier version is replaced, not kept).

    Returns
    -------
    DataFrame
        ``team, start, end`` (UTC), ``site_id``, ``week``.
    """
    folder = Path(data_dir) / PLANS_DIR
    frames = []
    for path in sorted(folder.glob("*.parquet")) if folder.is_dir() else []:
        if path.stem.upper() == week.upper():
            continue
        df = pd.read_parquet(path, columns=["team", "start", "end", "site_id"])
        df["week"] = path.stem
        frames.append(df)
    if not frames:
        return pd.DataFrame({"team": pd.Series(dtype=object),
                             "start": pd.Series(dtype="datetime64[ns, UTC]"),
                             "end": pd.Series(dtype="datetime64[ns, UTC]"),
                             "site_id": pd.Series(dtype=object), "week": pd.Series(dtype=object)})
    out = pd.concat(frames, ignore_index=True)
    out["start"] = pd.to_datetime(out["start"], utc=True)
    out["end"] = pd.to_datetime(out["end"], utc=True)
    return out


def plan_week(
    tables: Tables,
    week: str,
    *,
    seed: int | None = None,
    time_limit_s: float | None = None,
    roster: pd.DataFrame | None = None,
    flags: pd.DataFrame | None = None,
    edits: PlanEdits | None = None,
) -> CheckPlan:
    """Plan a week's checks from a loaded data folder, learning from completed checks.

    The one entry point of ``trafikplan plan checks`` and ``trafikplan run``:

    1. flags from every table (:func:`trafikplan.flags.flags_of`: counters,
       reports and the evidence of completed checks);
    2. site-hours valued by :func:`trafikplan.plan.learning.learning_value`
       (what checks found, plus exploration where evidence is thin);
    3. the time halo measured from counters after past checks when enough
       checks support it (:func:`trafikplan.plan.learning.planner_halo`),
       else the ``[checks]`` defaults; its note goes into ``messages``;
    4. the same-site spacing and the halo against earlier saved plans
       (:func:`load_prior_plans`).

    Parameters
    ----------
    tables : Tables
        From :func:`trafikplan.load` (``data_dir``, ``settings``, ``sites``,
        ``vehicles``, ``checks_done`` ... are used).
    week : str
        ISO week, e.g. ``2024-W45``.
    seed : int, optional
        Overrides ``[checks] seed``.
    time_limit_s : float, optional
        Overrides ``[checks] time_limit_s`` [s].
    roster : DataFrame, optional
        The shifts; read from ``roster.csv`` in the data folder when None.
    flags : DataFrame, optional
        ``flags_of(tables)`` when already computed.
    edits : PlanEdits, optional
        The planner's changes (:mod:`trafikplan.plan.edits`).

    Returns
    -------
    CheckPlan
        As :func:`plan_checks`; ``log["halo"]`` holds the time halo used.

    Raises
    ------
    InputError
        Bad week, missing or bad ``roster.csv``.
    InfeasiblePlanError
        As :func:`plan_checks`.
    """
    from trafikplan._errors import InputError
    from trafikplan.flags import flags_of
    from trafikplan.io.user_tables.roster import ROSTER_FILE, read_roster
    from trafikplan.plan.learning import learning_value, planner_halo, with_planner_halo
    from trafikplan.stats.halo import measure_halo
    from trafikplan.weeks import iso_week

    settings = tables.settings
    week = iso_week(week)
    if time_limit_s is not None:
        settings = dataclasses.replace(
            settings, checks=dataclasses.replace(settings.checks, time_limit_s=time_limit_s))
    if roster is None:
        path = Path(tables.data_dir) / ROSTER_FILE
        if not path.is_file():
            raise InputError("plan_err_no_roster_file", path=path)
        roster = read_roster(path, tz=settings.timezone)
    if flags is None:
        flags = flags_of(tables)
    done = tables.checks_done
    valued = learning_value(flags, done, tables.sites, settings)
    measured = None
    if done is not None and len(done):
        measured = measure_halo(tables.vehicles, done, tables.sites, settings,
                                baseline_weeks=settings.learning.halo_baseline_weeks)
    ph = planner_halo(measured, settings)
    settings = with_planner_halo(settings, ph)
    prior = load_prior_plans(tables.data_dir, week)
    plan = plan_checks(valued, tables.sites, roster, settings, week, prior=prior, seed=seed,
                       edits=edits)
    plan.messages.append(ph.note)
    plan.log["halo"] = {"hours": ph.hours, "repeat_factor": ph.repeat_factor,
                        "measured": ph.measured, "checks_used": ph.checks_used}
    return plan
