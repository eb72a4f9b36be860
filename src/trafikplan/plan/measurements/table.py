"""The measurement plan as a table for people: one row per deployment, with its reason."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from trafikplan.plan.measurements.grid import Option, deployment_value

__all__ = ["PLAN_COLUMNS", "choice_text", "plan_frame"]

PLAN_COLUMNS = (
    "counter", "site_id", "street", "install", "remove", "purpose", "reason",
    "counter_kind", "candidate_id", "measure_id", "days", "value",
)
"""Columns of a measurement plan (the first seven are DESIGN.md's contract)."""


def choice_text(pair: Option, counter: str, cand: pd.Series, s: int, sv: bool) -> str:
    """Return why this counter and day: the counter, a kind not preferred, the bonuses."""
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


def plan_frame(chosen: list[tuple[Option, int, int, str]], candidates: pd.DataFrame,
               start: dt.date, language: str) -> pd.DataFrame:
    """Return the deployments as rows of :data:`PLAN_COLUMNS`, by install day and counter."""
    from trafikplan.i18n import code

    sv = language == "sv"
    rows = []
    for pair, s, e, counter in chosen:  # deployments
        cand = candidates.iloc[pair.cand]
        value = deployment_value(pair, s)
        label = "Prioritet" if sv else "Priority"
        purposes = code("purpose", cand["purposes"], language)
        reason = (f"{label} {int(cand['priority'])} ({purposes}): "
                  f"{cand['reason']}. {choice_text(pair, counter, cand, s, sv)}")
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
