"""The before/after verdict of a measure in full sentences (sv/en).

:func:`measure_verdict` words one row of
:func:`trafikplan.stats.evaluate.evaluate_measures`: whether the mean speed,
V85 and the share over the limit changed (each with its 95 % interval), against
the comparison site's trend, the placebo check, the minimum detectable change,
and the warnings (regression to the mean, diversion). "No detectable change"
whenever an interval spans zero.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

__all__ = ["measure_verdict", "percent_text"]


def _num(x: float, lang: str, digits: int = 1) -> str:
    text = f"{x:.{digits}f}".replace("-", "−")
    return text.replace(".", ",") if lang == "sv" else text


def percent_text(x: float, lang: str) -> str:
    """Return a share as a whole percentage (``12 %`` in Swedish, ``12%`` in English)."""
    return _num(100.0 * x, lang, 0) + " %" if lang == "sv" else _num(100.0 * x, lang, 0) + "%"


def _interval_text(d: float, lo: float, hi: float, lang: str, unit: str = "km/h") -> str:
    ci = "95 % KI" if lang == "sv" else "95% CI"
    to = " till " if lang == "sv" else " to "
    return f"{_num(d, lang)} {unit} ({ci} {_num(lo, lang)}{to}{_num(hi, lang)})"


def measure_verdict(row: dict, lang: str) -> str:
    """Return the verdict on one evaluated measure (module docstring) in ``lang``."""
    sv = lang == "sv"
    if not isinstance(row["built"], dt.date):
        return ("Åtgärden är inte byggd; ingen utvärdering." if sv
                else "The measure is not built; no evaluation.")
    if row.get("_planned"):
        return (f"Åtgärden är planerad ({row['built'].isoformat()}), inte byggd än: "
                "ingen utvärdering; mät före." if sv else
                f"The measure is planned ({row['built'].isoformat()}), not built yet: "
                "no evaluation; measure before.")
    if row.get("_bins_only"):
        return ("Platsen är mätt med slang (klassade hastigheter) före eller efter: "
                "utvärderingen behöver fordonsdata (radar) både före och efter." if sv else
                "The site was measured in speed classes (tube bins) before or after: the "
                "evaluation needs per-vehicle data (radar) both before and after.")
    if not row.get("_has_before", row["n_before"] > 0):
        return ("Före-mätning saknas på platsen; ingen utvärdering möjlig." if sv
                else "No before measurement at the site; cannot evaluate.")
    if not row.get("_has_after", row["n_after"] > 0):
        return ("Efter-mätning saknas ännu; planera en (trafikplan plan measurements)." if sv
                else "No after measurement yet; plan one (trafikplan plan measurements).")
    if row["cells"] == 0:
        return ("Före- och efter-mätningen har inga gemensamma veckodagar och timmar." if sv
                else "Before and after share no weekday and hour; cannot compare.")
    parts = []
    d, lo, hi = row["mean_diff"], row["mean_diff_lo"], row["mean_diff_hi"]
    days = (f"{row['days_before']} + {row['days_after']} mätdagar" if sv
            else f"{row['days_before']} + {row['days_after']} measured days")
    if lo <= 0.0 <= hi:
        parts.append(("Ingen påvisbar förändring av medelhastigheten: " if sv
                      else "No detectable change in mean speed: ")
                     + _interval_text(d, lo, hi, lang) + f", {days}.")
    else:
        word = ("sjönk" if d < 0 else "steg") if sv else ("fell" if d < 0 else "rose")
        parts.append((f"Medelhastigheten {word}: " if sv else f"Mean speed {word}: ")
                     + _interval_text(d, lo, hi, lang) + f", {days}.")
    vlo, vhi = row["v85_diff_lo"], row["v85_diff_hi"]
    v85 = "V85 " + _interval_text(row["v85_diff"], vlo, vhi, lang)
    if vlo <= 0.0 <= vhi:
        v85 += "; ingen påvisbar förändring" if sv else "; no detectable change"
    pp = "procentenheter" if sv else "percentage points"
    share = (("Andel över gränsen " if sv else "Share over the limit ")
             + f"{percent_text(row['share_over_limit_before'], lang)} → "
             + f"{percent_text(row['share_over_limit_after'], lang)} ("
             + _interval_text(100 * row["share_diff"], 100 * row["share_diff_lo"],
                              100 * row["share_diff_hi"], lang, pp) + ")")
    parts.append(f"{v85}. {share}.")
    if np.isfinite(row["did"]):
        cmp = f"{row['comparison_site_id']} ({row['comparison_street']})"
        if row["did_lo"] <= 0.0 <= row["did_hi"]:
            parts.append((f"Jämfört med {cmp}: ingen påvisbar förändring utöver den allmänna "
                          "trenden, skillnad i skillnader " if sv
                          else f"Against {cmp}: no detectable change beyond the general "
                          "trend, difference in differences ")
                         + _interval_text(row["did"], row["did_lo"], row["did_hi"], lang) + ".")
        else:
            parts.append((f"Jämfört med {cmp} (trend {_num(row['comparison_mean_diff'], lang)} "
                          "km/h): skillnad i skillnader " if sv
                          else f"Against {cmp} (trend {_num(row['comparison_mean_diff'], lang)} "
                          "km/h): difference in differences ")
                         + _interval_text(row["did"], row["did_lo"], row["did_hi"], lang) + ".")
    else:
        parts.append("Ingen jämförelseplats mätt samma veckor: en allmän trend kan ingå i "
                     "förändringen." if sv else "No comparison site measured in the same "
                     "weeks: a town-wide trend may be part of the change.")
    if row.get("placebo_n", 0) >= 3 and np.isfinite(row.get("placebo_p", np.nan)):
        chance = percent_text(row["placebo_p"], lang)
        parts.append(f"Kontroll mot {row['placebo_n']} par av platser utan åtgärd: en lika "
                      f"stor skillnad uppstod av en slump i {chance} av "
                      "paren." if sv else
                      f"Check against {row['placebo_n']} pairs of sites without a measure: a "
                      f"difference as large arose by chance in {chance} "
                      "of the pairs.")
    if np.isfinite(row.get("mde", np.nan)):
        parts.append(f"Med dessa mätdagar hade en förändring av medelhastigheten på "
                      f"{_num(row['mde'], lang)} km/h eller mer kunnat påvisas (80 % styrka)."
                      if sv else
                      f"These measured days could detect a change in mean speed of "
                      f"{_num(row['mde'], lang)} km/h or more (80% power).")
    if row["regression_to_mean"]:
        parts.append("Varning: platsen valdes för sina höga hastigheter, så en del av "
                     "minskningen kan vara regression mot medelvärdet." if sv else
                     "Warning: the site was chosen for its high speeds, so part of the "
                     "decrease may be regression to the mean.")
    if row["diversion"]:
        parts.append(("Möjlig överflyttning av trafik: " if sv
                      else "Possible diversion of traffic: ") + row["diversion"] + ".")
    return " ".join(parts)
