"""One line on a check plan for people: its value against the bound, the gap and greedy's value."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trafikplan.plan.checks import CheckPlan

__all__ = ["plan_report_line", "plan_summary"]


def plan_summary(plan: CheckPlan, language: str) -> str:
    """Return one line on a check plan: its value, the upper bound, the gap and greedy's value.

    Parameters
    ----------
    plan : CheckPlan
        From :func:`trafikplan.pipeline.plan_week`.
    language : str
        ``"sv"`` or ``"en"``.
    """
    en = language == "en"

    def fmt(x: float) -> str:
        return f"{x:.1f}" if en else f"{x:.1f}".replace(".", ",")

    share = plan.direct_value / plan.value if plan.value > 0 else 1.0
    weeks = plan.log.get("parameters", {}).get("recency_weeks", 4)
    if en:
        return (f"value {fmt(plan.value)}, upper bound {fmt(plan.bound)} (no plan of the week "
                f"is worth more), gap {fmt(100 * plan.gap)} %, greedy baseline "
                f"{fmt(plan.greedy_value)}; {fmt(100 * share)} % of the value at the checks' own "
                f"sites, {fmt(100 * plan.coverage)} % of the flagged need covered directly "
                f"(greedy {fmt(100 * plan.greedy_coverage)} %); {fmt(100 * plan.predictability)} % "
                f"of its site-hours were checked in the last {weeks} weeks")
    return (f"värde {fmt(plan.value)}, övre gräns {fmt(plan.bound)} (ingen plan för veckan är "
            f"mer värd), gap {fmt(100 * plan.gap)} %, girig jämförelse {fmt(plan.greedy_value)}; "
            f"{fmt(100 * share)} % av värdet på kontrollplatserna själva, "
            f"{fmt(100 * plan.coverage)} % av det flaggade behovet täckt direkt "
            f"(girig {fmt(100 * plan.greedy_coverage)} %); {fmt(100 * plan.predictability)} % "
            f"av platstimmarna kontrollerades de senaste {weeks} veckorna")


def plan_report_line(plan: CheckPlan, language: str) -> str:
    """Return the report's line on a week's plan: ``week: checks per team. summary.``."""
    from trafikplan.i18n import text

    teams = "; ".join(text("plan_team_checks", language, team=team, n=n)
                      for team, n in plan.per_team().items())
    return f"{plan.week}: {teams}. {plan_summary(plan, language)}."
