"""Why each check is where it is: the reason text of every planned check.

A check at a flagged site-hour takes the flag reason of the local hour it overlaps
most (:mod:`trafikplan.flags.reasons`); a check earning mostly halo names the site
nearby it serves and how far; focus streets and repeated checks are said so.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from trafikplan.columns import table_rows
from trafikplan.i18n import number, text
from trafikplan.plan.checks.instance import Instance

__all__ = ["plan_reasons"]


def plan_reasons(inst: Instance, plan: pd.DataFrame) -> list[str]:
    """Return the reason text of each planned check (rows of ``evaluate``'s plan)."""
    lang = inst.settings.language
    lookup = inst.reasons.set_index(["site", "code"])["reason"]
    wd_hr = _slot_codes(inst)
    out = []
    for row in table_rows(plan):
        if row.halo_value > row.direct_value and row.halo_site >= 0:
            target = int(row.halo_site)
            # the other site's speed limit is said to be there, never left to read as this one's
            said = _best_reason(inst, lookup, wd_hr, target, row.start, row.end)
            base = _ROAD.sub("", said)
            km = number(float(inst.dist[row.site, target]), 1, lang)
            limit = inst.speed_limit[target]
            there = "" if not np.isfinite(limit) else text(
                "plan_reason_road_there", lang, limit=f"{limit:.0f}")
            key = ("plan_reason_also" if inst.street[target] == inst.street[row.site]
                   else "plan_reason_near")
            said = text(key, lang, street=inst.street[target], km=km, there=there, base=base)
        elif row.direct_value > 0:
            said = _best_reason(inst, lookup, wd_hr, int(row.site), row.start, row.end)
        else:
            said = ""
        if row.focus:
            tag = text("plan_reason_focus", lang)
            said = f"{tag}; {said}" if said else tag
        if row.mult < 1.0:
            said += text("plan_reason_repeated", lang)
        out.append(said)
    return out


_ROAD = re.compile(r"\s*(på \d+-väg|on a \d+ road)")
"""The speed-limit phrase of a flag reason (:mod:`trafikplan.flags.reasons`)."""


def _slot_codes(inst: Instance) -> np.ndarray:
    times = inst.slot_time(np.arange(inst.n_slots)).tz_convert(inst.settings.timezone)
    return times.day_of_week.to_numpy() * 24 + times.hour.to_numpy()


def _best_reason(inst: Instance, lookup: pd.Series, codes: np.ndarray, site: int,
                 a: int, e: int) -> str:
    """Return the flag reason of the local hour the check ``[a, e)`` overlaps most.

    Among the hours with a reason, the one with the most of the check's minutes (then
    the higher value, then the earlier); when the check runs partly outside that hour
    the text says how many of its minutes fall in it.
    """
    hours, first, slots = np.unique(codes[a:e], return_index=True, return_counts=True)
    worth = np.add.reduceat(inst.value[site, a:e], np.sort(first))[np.argsort(np.argsort(first))]
    texts = [str(lookup.get((site, int(h)), "") or "") for h in hours]
    ok = [i for i, x in enumerate(texts) if x]
    if not ok:
        return text("plan_reason_flagged_hour", inst.settings.language, street=inst.street[site])
    i = max(ok, key=lambda i: (int(slots[i]), float(worth[i]), -int(first[i])))
    if slots[i] == e - a:
        return texts[i]
    part, total = int(slots[i]) * inst.step, (e - a) * inst.step
    return texts[i] + text("plan_reason_part_hour", inst.settings.language, part=part,
                           total=total)
