"""The plan as tables for people: one row per check, one row per shift.

Slots become local times, site indices become the sites' ids, streets, areas and
coordinates; the columns of ``checks.csv`` come first (:data:`PLAN_COLUMNS`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from trafikplan.plan.checks.explain import plan_reasons
from trafikplan.plan.checks.instance import Instance

__all__ = ["PLAN_COLUMNS", "check_table", "shift_table"]

PLAN_COLUMNS = ("team", "start", "end", "site_id", "street", "reason", "value")
"""Columns of ``checks.csv`` (DESIGN.md)."""


def shift_table(inst: Instance) -> pd.DataFrame:
    """Return the week's shifts as planned (``CheckPlan.shifts``), local time."""
    tz = inst.settings.timezone
    sh = inst.shifts
    has = sh["break_first"].to_numpy() >= 0
    brk0 = inst.slot_time(np.where(has, sh["break_first"], 0)).tz_convert(tz)
    brk1 = inst.slot_time(np.where(has, sh["break_last"], 0)).tz_convert(tz)
    return pd.DataFrame({
        "team": sh["team"].astype(str).to_numpy(),
        "start": sh["start"].dt.tz_convert(tz).to_numpy(),
        "end": sh["end"].dt.tz_convert(tz).to_numpy(),
        "break_start": pd.Series(brk0).where(has),
        "break_end": pd.Series(brk1).where(has),
    }).assign(start=lambda d: pd.to_datetime(d["start"], utc=True).dt.tz_convert(tz),
              end=lambda d: pd.to_datetime(d["end"], utc=True).dt.tz_convert(tz))


def check_table(inst: Instance, plan: pd.DataFrame) -> pd.DataFrame:
    """Return the planned checks for people (``CheckPlan.checks``), by team and start."""
    tz = inst.settings.timezone
    if plan.empty:
        cols = {c: pd.Series(dtype=object) for c in PLAN_COLUMNS}
        df = pd.DataFrame(cols)
        df["start"] = pd.Series(dtype=f"datetime64[ns, {tz}]")
        df["end"] = pd.Series(dtype=f"datetime64[ns, {tz}]")
        df["value"] = pd.Series(dtype=float)
        for c in ("area", "focus", "lat", "lon", "direct_value", "halo_value", "repeated",
                  "section", "speed_limit"):
            df[c] = pd.Series(dtype=object)
        return df
    s = plan["site"].to_numpy()
    df = pd.DataFrame({
        "team": plan["team"].astype(str).to_numpy(),
        "start": inst.slot_time(plan["start"].to_numpy()).tz_convert(tz),
        "end": inst.slot_time(plan["end"].to_numpy()).tz_convert(tz),
        "site_id": inst.site_ids[s],
        "street": inst.street[s],
        "reason": plan_reasons(inst, plan),
        "value": plan["value"].to_numpy(float),
        "area": inst.area[s],
        "focus": plan["focus"].to_numpy(bool),
        "lat": inst.lat[s],
        "lon": inst.lon[s],
        "direct_value": plan["direct_value"].to_numpy(float),
        "halo_value": plan["halo_value"].to_numpy(float),
        "repeated": plan["mult"].to_numpy() < 1.0,
        "section": inst.section[s],
        "speed_limit": inst.speed_limit[s],
    })
    return df.sort_values(["team", "start", "site_id"], kind="stable").reset_index(drop=True)
