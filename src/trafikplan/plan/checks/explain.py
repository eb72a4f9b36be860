"""Why each check is where it is: the reason text of every planned check.

A check at a flagged site-hour takes the flag reason of the local hour it overlaps
most (:mod:`trafikplan.flags.reasons`); a check earning mostly halo names the site
nearby it serves and how far; focus streets and repeated checks are said so.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from trafikplan.plan.checks.instance import Instance
from trafikplan.settings import Settings

__all__ = ["plan_reasons"]


def _t(settings: Settings, sv: str, en: str) -> str:
    return sv if settings.language == "sv" else en


def plan_reasons(inst: Instance, plan: pd.DataFrame) -> list[str]:
    """Return the reason text of each planned check (rows of ``evaluate``'s plan)."""
    settings = inst.settings
    lookup = inst.reasons.set_index(["site", "code"])["reason"]
    wd_hr = _slot_codes(inst)
    out = []
    for row in plan.itertuples(index=False):
        if row.halo_value > row.direct_value and row.halo_site >= 0:
            target = int(row.halo_site)
            # the other site's speed limit is said to be there, never left to read as this one's
            base = _ROAD.sub("", _best_reason(inst, lookup, wd_hr, target, row.start, row.end))
            km = f"{inst.dist[row.site, target]:.1f}".replace(".", "," if
                                                              settings.language == "sv" else ".")
            limit = inst.speed_limit[target]
            there = "" if not np.isfinite(limit) else _t(
                settings, f", {limit:.0f}-väg där", f", a {limit:.0f} road there")
            if inst.street[target] == inst.street[row.site]:
                text = _t(settings, f"Även {inst.street[target]} {km} km bort{there}: {base}",
                          f"Also {inst.street[target]} {km} km away{there}: {base}")
            else:
                text = _t(settings, f"Nära {inst.street[target]} ({km} km{there}): {base}",
                          f"Near {inst.street[target]} ({km} km{there}): {base}")
        elif row.direct_value > 0:
            text = _best_reason(inst, lookup, wd_hr, int(row.site), row.start, row.end)
        else:
            text = ""
        if row.focus:
            tag = _t(settings, "Fokusgata i medborgarlöftet", "Focus street of the citizen pledge")
            text = f"{tag}; {text}" if text else tag
        if row.mult < 1.0:
            text += _t(settings, " (upprepad kontroll på platsen: reducerat värde)",
                       " (repeated check at this site: reduced value)")
        out.append(text)
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
        return _t(inst.settings, f"flaggad tid på {inst.street[site]}",
                  f"flagged hour at {inst.street[site]}")
    i = max(ok, key=lambda i: (int(slots[i]), float(worth[i]), -int(first[i])))
    if slots[i] == e - a:
        return texts[i]
    part, total = int(slots[i]) * inst.step, (e - a) * inst.step
    return texts[i] + _t(inst.settings, f" ({part} av kontrollens {total} min i den timmen)",
                         f" ({part} of the check's {total} min in that hour)")
