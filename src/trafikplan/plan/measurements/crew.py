"""The counter crew's calendar: one event per install and per removal."""

from __future__ import annotations

import pandas as pd

from trafikplan.columns import table_rows

__all__ = ["crew_events"]


def crew_events(plan: pd.DataFrame, *, tz: str = "Europe/Stockholm",
                language: str = "sv") -> pd.DataFrame:
    """Calendar events for the counter crew: one per install and one per removal.

    The k-th task of a day starts at 08:00 + k·90 min local time and lasts one
    hour. UIDs are derived from counter, candidate, install day and task, so an
    updated plan updates the events instead of doubling them.

    Parameters
    ----------
    plan : DataFrame
        ``MeasurementPlan.plan``.
    tz : str
        Local time zone.
    language : str
        ``"sv"`` or ``"en"``.

    Returns
    -------
    DataFrame
        ``uid, start, end`` (tz-aware), ``summary, description, location`` (str),
        for :func:`trafikplan.report.calendar.write_calendar`.
    """
    from trafikplan.i18n import code, text

    tasks = []
    for r in table_rows(plan):  # deployments
        site_id = r.site_id
        where = site_id if isinstance(site_id, str) and site_id else text(
            "plan_crew_new_site", language)
        base = f"{r.counter}-{r.candidate_id}-{r.install.isoformat()}"
        uid_base = "".join(ch if ch.isalnum() or ch in "-." else "_" for ch in base)
        for day, task in ((r.install, "install"), (r.remove, "remove")):
            verb = text(f"plan_crew_{task}", language)
            tasks.append({
                "day": day, "counter": r.counter, "uid": f"{uid_base}-{task}@trafikplan",
                "summary": f"{verb} {r.counter}: {r.street} ({where})",
                "description": f"{code('purpose', r.purpose, language)}: {r.reason}",
                "location": f"{r.street}, {where}",
            })
    if not tasks:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in
                             ("uid", "start", "end", "summary", "description", "location")})
    ev = pd.DataFrame(tasks).sort_values(["day", "counter", "uid"], kind="stable")
    slot = ev.groupby("day").cumcount().to_numpy()
    local_day = pd.to_datetime(ev["day"].astype(str)).dt.tz_localize(tz)
    ev["start"] = local_day + pd.to_timedelta(8 * 60 + 90 * slot, unit="min")
    ev["end"] = ev["start"] + pd.Timedelta(hours=1)
    return ev[["uid", "start", "end", "summary", "description", "location"]].reset_index(drop=True)
