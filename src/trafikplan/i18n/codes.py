"""Names of code values for a person: categories, flag kinds, purposes, statuses, reasons.

A table keeps its codes (``speeding``, ``tip``, ``field_count`` ...): they are the
contract of files and scripts. Where a person reads them they are named from
:data:`CODES` (:func:`trafikplan.i18n.code`), the weekdays from :data:`WEEKDAYS`.
"""

from __future__ import annotations

from trafikplan.i18n.languages import LANGUAGES

__all__ = ["CATEGORIES", "CODES", "COLUMN_CODES", "KINDS", "PLAN_STATUS", "REJECT_REASONS_SV",
           "WEEKDAYS"]

WEEKDAYS = {
    "sv": ("mån", "tis", "ons", "tor", "fre", "lör", "sön"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
"""Short weekday names, Monday first (weekday 1 = Monday)."""

CODES: dict[str, dict[object, tuple[str, str]]] = {
    "category": {  # canonical Embrace categories
        "speeding": ("fortkörning", "speeding"),
        "reckless": ("buskörning", "reckless driving"),
        "parking": ("parkering", "parking"),
        "noise": ("störande ljud", "noise"),
        "other": ("övrigt", "other"),
    },
    "kind": {  # flag kinds (``;``-joined in the flags table)
        "speeding": ("fortkörning", "speeding"),
        "reckless": ("buskörning", "reckless driving"),
        "reports": ("rapporter", "reports"),
        "measure_here": ("mät här", "measure here"),
        "none": ("ingen flagga", "not flagged"),
        "no_data": ("ingen mätning", "no measurement"),
    },
    "purpose": {  # measurement plan
        "tip": ("tips", "tip"),
        "before": ("före", "before"),
        "after": ("efter", "after"),
        "uncertain": ("osäker", "uncertain"),
        "stale": ("gammal data", "stale"),
    },
    "plan_status": {  # checks done against planned
        "done": ("genomförd", "done"),
        "not_done": ("inte genomförd", "not done"),
        "unplanned": ("utan plan", "not planned"),
    },
    "import_status": {
        "new": ("ny", "new"),
        "changed": ("ändrad", "changed"),
        "unchanged": ("oförändrad", "unchanged"),
        "duplicate": ("dubblett", "duplicate"),
        "removed": ("borttagen", "removed"),
    },
    "basis": {  # what a statistic was computed from
        "vehicles": ("enskilda fordon", "vehicles"),
        "bins": ("hastighetsklasser", "speed classes"),
        "mixed": ("blandat", "mixed"),
    },
    "table": {  # what an imported file holds
        "vehicles": ("enskilda fordon", "vehicles"),
        "bins": ("hastighetsklasser", "speed classes"),
        "reports": ("Embrace-rapporter", "Embrace reports"),
        "checks_done": ("genomförda kontroller", "completed checks"),
    },
    "counter_kind": {"radar": ("radar", "radar"), "tube": ("slang", "tube")},
    "vehicle_class": {
        "car": ("personbil", "car"),
        "heavy": ("tung", "heavy"),
        "motorcycle": ("mc/moped", "motorcycle"),
        "bicycle": ("cykel", "bicycle"),
        "unknown": ("okänd", "unknown"),
    },
    "reject": {  # reject reasons (short; their meaning is in REJECT_REASONS_SV)
        "field_count": ("fel antal fält", "field_count"),
        "time_unparsable": ("oläsbar tid", "time_unparsable"),
        "time_in_dst_gap": ("tid i sommartidshoppet", "time_in_dst_gap"),
        "time_out_of_order": ("tid ur ordning", "time_out_of_order"),
        "speed_unparsable": ("oläsbar hastighet", "speed_unparsable"),
        "speed_impossible": ("orimlig hastighet", "speed_impossible"),
        "value_unparsable": ("oläsbart värde", "value_unparsable"),
        "value_missing": ("värde saknas", "value_missing"),
        "site_unknown": ("okänd plats", "site_unknown"),
        "value_inconsistent": ("motstridiga värden", "value_inconsistent"),
        "time_out_of_range": ("tid utanför rimliga år", "time_out_of_range"),
        "value_impossible": ("omöjligt värde", "value_impossible"),
    },
    "solver_status": {
        "OPTIMAL": ("bevisat bäst", "optimal"),
        "FEASIBLE": ("giltig, inte bevisat bäst", "feasible"),
        "SKIPPED": ("giltig (girig plan och lokal sökning; veckan för stor för CP-SAT)",
                    "feasible (greedy and local search; the week is too large for CP-SAT)"),
        "GREEDY": ("giltig (girig plan; tidsgränsen räckte inte för CP-SAT:s första plan)",
                   "feasible (greedy plan; the time limit ran out before CP-SAT's first plan)"),
    },
    "level": {"pooled": ("alla kontroller", "pooled"), "check": ("en kontroll", "check")},
    "bool": {True: ("ja", "yes"), False: ("nej", "no")},
}
"""Vocabulary -> code value -> (Swedish, English) name shown to a person."""

CATEGORIES = {lang: {k: v[i] for k, v in CODES["category"].items()}
              for i, lang in enumerate(LANGUAGES)}
"""Names of the canonical Embrace categories, per language."""

KINDS = {lang: {k: v[i] for k, v in CODES["kind"].items()} for i, lang in enumerate(LANGUAGES)}
"""Names of the flag kinds (the ``kind`` column of the flags table, ``;``-joined)."""

PLAN_STATUS = {lang: {k: v[i] for k, v in CODES["plan_status"].items()}
               for i, lang in enumerate(LANGUAGES)}
"""Names of the ``status`` of :func:`trafikplan.stats.outcomes.done_vs_planned`."""

COLUMN_CODES = {"category": "category", "kind": "kind", "purpose": "purpose",
                "basis": "basis", "counter_kind": "counter_kind",
                "vehicle_class": "vehicle_class", "level": "level"}
"""Columns whose values are codes of a :data:`CODES` vocabulary, wherever they appear."""


REJECT_REASONS_SV = {
    "field_count": "raden har för få eller för många fält",
    "time_unparsable": "tiden gick inte att läsa",
    "time_in_dst_gap": "lokal tid som inte finns (timmen som hoppas över i mars)",
    "time_out_of_order": "tiden ligger långt ur ordning i filen",
    "speed_unparsable": "hastigheten gick inte att läsa som tal",
    "speed_impossible": "hastigheten ligger utanför det rimliga intervallet i [import]",
    "value_unparsable": "ett tal (längd, tidlucka, antal, koordinat) gick inte att läsa",
    "value_missing": "ett obligatoriskt värde saknas",
    "site_unknown": "plats-id finns inte i sites.csv",
    "value_inconsistent": "värdena motsäger varandra (slut före start, en kontroll längre än "
                          "12 h, fler överträdelser än kontrollerade fordon)",
    "time_out_of_range": "tiden ligger utanför de rimliga åren i [import] first_year/last_year",
    "value_impossible": "en längd eller tidlucka som inte kan finnas (negativ eller oändlig)",
}
"""Swedish meaning of each reject reason (English: :data:`trafikplan.columns.REJECT_REASONS`)."""
