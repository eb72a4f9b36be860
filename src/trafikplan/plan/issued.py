"""Issued plans: what a re-plan keeps, and which calendar event each check is.

A week's plan is *issued* with ``trafikplan plan checks --week W -o DIR``: it is
saved as ``DATA_DIR/.trafikplan/plans/W.parquet`` (the version the next weeks
and a re-plan read) and archived as ``plans/archive/W-vN.parquet`` (N = 1, 2, ...).

Calendar identity: a check is the same event across versions when it has the
same team, site and local date (a team checks a site at most once per shift).
It keeps its UID; its SEQUENCE rises by one when its start or end moved. A
check of the issued version without a match in the new one is *cancelled*: it
is sent again with STATUS:CANCELLED and a higher SEQUENCE.
"""

from __future__ import annotations

import pandas as pd

from trafikplan.io.files.safe_text import safe_slug
from trafikplan.plan.edits import PlanEdits

__all__ = ["ISSUED_COLUMNS", "assign_uids", "replan_edits"]

ISSUED_COLUMNS = ("team", "start", "end", "site_id", "street", "uid", "sequence")
"""Columns an issued plan keeps for the calendar (times UTC)."""


def _slug(text: str) -> str:
    """File- and UID-safe form, one per text (:func:`trafikplan.io.files.safe_text.safe_slug`)."""
    return safe_slug(text)


def _keys(checks: pd.DataFrame, tz: str) -> pd.Series:
    day = pd.to_datetime(checks["start"], utc=True).dt.tz_convert(tz).dt.strftime("%Y%m%d")
    return (checks["team"].astype(str).map(_slug) + "-" + checks["site_id"].astype(str)
            .map(_slug) + "-" + day)


def assign_uids(checks: pd.DataFrame, issued: pd.DataFrame | None, week: str,
                tz: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Give each check its calendar UID and SEQUENCE against the issued version.

    Parameters
    ----------
    checks : DataFrame
        The new plan (``team, start, end, site_id``, ...; tz-aware times).
    issued : DataFrame or None
        The version issued before (``team, start, end, site_id, uid, sequence``),
        None for the first issue.
    week : str
        ISO week (part of a new UID).
    tz : str
        Local time zone (the date in the identity is local).

    Returns
    -------
    (DataFrame, DataFrame)
        ``checks`` with ``uid`` (str) and ``sequence`` (int), and the cancelled
        checks of ``issued`` (its columns, ``sequence`` raised by one).
    """
    out = checks.copy()
    key = _keys(out, tz) if len(out) else pd.Series(dtype=object)
    rank = key.groupby(key).cumcount() if len(out) else key
    key = key + rank.map(lambda k: f"-{k + 1}" if k else "")
    out["uid"] = [f"{week}-{k}@trafikplan" for k in key]
    out["sequence"] = 0
    cancelled = pd.DataFrame(columns=list(ISSUED_COLUMNS))
    if issued is None or issued.empty or "uid" not in issued.columns:
        return out, cancelled
    old = issued.set_index("uid")
    starts = list(pd.to_datetime(out["start"], utc=True))
    ends = list(pd.to_datetime(out["end"], utc=True))
    seq = out["sequence"].to_numpy().copy()
    for k, uid in enumerate(out["uid"]):
        if uid not in old.index:
            continue
        prev = old.loc[uid]
        same = (pd.Timestamp(prev["start"]) == starts[k]
                and pd.Timestamp(prev["end"]) == ends[k])
        seq[k] = int(prev["sequence"]) + (0 if same else 1)
    out["sequence"] = seq
    gone = issued[~issued["uid"].isin(set(out["uid"]))].copy()
    gone["sequence"] = gone["sequence"].astype(int) + 1
    return out, gone.reset_index(drop=True)


def replan_edits(issued: pd.DataFrame, now: pd.Timestamp, edits: PlanEdits | None = None,
                 ) -> PlanEdits:
    """Return the edits of a mid-week re-plan: what is done stays, nothing new before ``now``.

    Every issued check that started before ``now`` (done or under way) is
    locked; no new check may start before ``now`` (a forbidden span from the
    week's start); the planner's own ``edits`` are kept.

    Parameters
    ----------
    issued : DataFrame
        The issued plan of the week (``team, start, end, site_id``).
    now : Timestamp
        The moment of the re-plan (tz-aware).
    edits : PlanEdits, optional
    """
    edits = edits or PlanEdits()
    now = pd.Timestamp(now).tz_convert("UTC")
    start = pd.to_datetime(issued["start"], utc=True)
    done = issued[(start < now).to_numpy()]
    lock = pd.DataFrame({"team": done["team"].astype(str).to_numpy(),
                         "site_id": done["site_id"].astype(str).to_numpy(),
                         "start": pd.to_datetime(done["start"], utc=True).to_numpy(),
                         "end": pd.to_datetime(done["end"], utc=True).to_numpy()})
    before = pd.DataFrame({"site_id": [""], "start": [pd.NaT], "end": [now]})
    frames = [f for f in (edits.lock, lock) if len(f)]
    locks = pd.concat(frames, ignore_index=True) if frames else edits.lock
    forbid = pd.concat([f for f in (edits.forbid, before) if len(f)], ignore_index=True)
    for f in (locks, forbid):
        for c in ("start", "end"):
            f[c] = pd.to_datetime(f[c], utc=True)
    return PlanEdits(lock=locks, forbid=forbid, away=edits.away)
