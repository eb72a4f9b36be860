"""The report's section "what the checks found": plans against records, rates, the time halo.

Renders :class:`~trafikplan.report.report_data.ChecksFound`; the checks'
free-text notes are never shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from trafikplan.columns import table_rows
from trafikplan.i18n import interval, number
from trafikplan.report import figures_overview
from trafikplan.report.cells import integer_text, local_date_text

if TYPE_CHECKING:
    from trafikplan.report.report_data import ChecksFound, PlansVsDone
    from trafikplan.stats.halo import HaloResult

__all__ = ["checks_context"]


def _local(ts: pd.Series, tz: str, fmt: str) -> list[str]:
    """Local time text of each instant (empty for NaT)."""
    local = pd.to_datetime(ts, utc=True).dt.tz_convert(tz)
    return local.dt.strftime(fmt).fillna("").tolist()


def _of(k: int, n: int, t: dict, lang: str) -> str:
    """``9 av 41`` / ``9 of 41``."""
    return t["k_of_n"].format(k=integer_text(k, lang), n=integer_text(n, lang))


def _rate_text(rate: float, lo: float, hi: float, lang: str) -> str:
    return interval(rate, lo, hi, 0, lang, scale=100.0, unit=" %")


def _done_vs_planned(plans: PlansVsDone | None, sites: pd.DataFrame, tz: str, t: dict,
                     lang: str) -> dict[str, Any]:
    """Rows and summary of the saved plans against the police's records."""
    if plans is None:
        return {"has_plans": False}
    table = plans.table
    street = dict(zip(sites["site_id"].astype(str), sites["street"].astype(str), strict=True))
    counts = table["status"].value_counts()
    rows = [
        {"site_id": str(sid), "street": street.get(str(sid), ""), "planned": p,
         "planned_team": "" if pd.isna(pt) else str(pt), "done": d,
         "done_team": "" if pd.isna(dt) else str(dt),
         "outcome": _of(k, n, t, lang) if status != "not_done" else "",
         "status": t["plan_status"][status]}
        for sid, p, pt, d, dt, k, n, status in zip(
            table["site_id"], _local(table["planned_start"], tz, "%Y-%m-%d %H:%M"),
            table["planned_team"], _local(table["done_start"], tz, "%Y-%m-%d %H:%M"),
            table["done_team"], table["violations"], table["vehicles_checked"],
            table["status"], strict=True)
    ]
    summary = t["plans_summary"].format(
        planned=plans.planned, done=int(counts.get("done", 0)),
        not_done=int(counts.get("not_done", 0)), unplanned=int(counts.get("unplanned", 0)),
        weeks=plans.weeks, hours=number(plans.tolerance_hours, 0, lang))
    return {"has_plans": True, "summary": summary, "rows": rows,
            "later": t["plans_later"].format(n=plans.later) if plans.later else ""}


def _halo_section(result: HaloResult, settings: Any, t: dict, lang: str) -> dict[str, Any]:
    """Return the measured time halo: pooled windows with intervals and a plain verdict."""
    s = settings
    weeks = s.learning.halo_baseline_weeks
    used = result.checks_used
    rows = []
    for r in table_rows(result.pooled):
        has = int(r.cells) > 0
        rows.append({
            "window": f"{r.from_hours:g}–{r.to_hours:g} h",
            "checks": int(r.checks_n),
            "n": (f"{integer_text(r.n_after, lang)} / {integer_text(r.n_baseline, lang)}"
                  if has else ""),
            "means": (f"{number(r.mean_baseline, 1, lang)} → {number(r.mean_after, 1, lang)}"
                      if has else ""),
            "mean_diff": interval(r.mean_diff, r.mean_diff_lo, r.mean_diff_hi, 1, lang,
                                  sign=True) if has else t["too_little_data"],
            "share_diff": interval(r.share_diff, r.share_diff_lo, r.share_diff_hi, 0, lang,
                                   sign=True, scale=100.0, unit=" %") if has else "",
            "lower": bool(r.significant),
        })
    if used == 0:
        verdict = t["halo_none"]
    elif result.halo_hours > 0:
        verdict = t["halo_found"].format(hours=f"{result.halo_hours:g}", checks=used)
    else:
        verdict = t["halo_not_shown"].format(checks=used)
    few = (t["halo_few"].format(checks=used, need=s.learning.halo_min_checks)
           if 0 < used < s.learning.halo_min_checks else "")
    return {"rows": rows if used else [], "verdict": verdict, "few": few,
            "note": t["halo_note"].format(weeks=weeks)}


def checks_context(found: ChecksFound, sites: pd.DataFrame, settings: Any, t: dict,
                    lang: str) -> dict[str, Any]:
    """Context of "what the checks found": plans vs records, violation rates, time halo."""
    from markupsafe import Markup

    tz = settings.timezone
    checks = found.checks
    plans = _done_vs_planned(found.plans, sites, tz, t, lang)
    if checks.empty or found.rates is None or found.per_check is None or found.halo is None:
        return {"any": False, "plans": plans}
    rates, per_check = found.rates, found.per_check
    site_rows = [
        {"site_id": "" if pd.isna(r.site_id) else str(r.site_id), "street": str(r.street),
         "checks": int(r.checks_n), "outcome": _of(r.violations, r.vehicles_checked, t, lang),
         "rate": _rate_text(r.violation_rate, r.violation_rate_lo, r.violation_rate_hi, lang),
         "last": local_date_text(r.last_check_start, tz)}
        for r in table_rows(rates)
    ]
    starts = _local(per_check["start"], tz, "%Y-%m-%d %H:%M")
    ends = _local(per_check["end"], tz, "%H:%M")
    check_rows = [
        {"when": f"{a}–{b}", "team": str(r.team),
         "site_id": "" if pd.isna(r.site_id) else str(r.site_id), "street": str(r.street),
         "outcome": _of(r.violations, r.vehicles_checked, t, lang),
         "rate": _rate_text(r.violation_rate, r.violation_rate_lo, r.violation_rate_hi, lang),
         "max_speed": number(r.max_speed, 0, lang)}
        for a, b, r in zip(starts, ends, table_rows(per_check), strict=True)
    ]
    first, last = _local(pd.Series([checks["start"].min(), checks["end"].max()]), tz,
                         "%Y-%m-%d")
    total = t["checks_totals"].format(
        checks=len(checks), first=first, last=last,
        outcome=_of(int(checks["violations"].sum()), int(checks["vehicles_checked"].sum()),
                    t, lang))
    return {
        "any": True,
        "totals": total,
        "plans": plans,
        "sites": site_rows,
        "rates_svg": Markup(figures_overview.violation_rates_figure(rates, t)),
        "checks": check_rows,
        "halo": _halo_section(found.halo, settings, t, lang),
    }
