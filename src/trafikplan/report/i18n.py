"""Swedish and English text of the HTML report, its figures and the run summary.

:func:`texts` returns the strings of one language as a dict; the template and
the figure code look words up by key, so a key missing in one language is a
test failure, not a half-translated page.
"""

from __future__ import annotations

from trafikplan._errors import InputError

WEEKDAYS = {
    "sv": ("mån", "tis", "ons", "tor", "fre", "lör", "sön"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
"""Short weekday names, Monday first (weekday 1 = Monday)."""

CATEGORIES = {
    "sv": {"speeding": "fortkörning", "reckless": "buskörning", "parking": "parkering",
           "noise": "störande ljud", "other": "övrigt"},
    "en": {"speeding": "speeding", "reckless": "reckless driving", "parking": "parking",
           "noise": "noise", "other": "other"},
}
"""Names of the canonical Embrace categories."""

KINDS = {
    "sv": {"speeding": "fortkörning", "reckless": "buskörning", "reports": "rapporter",
           "measure_here": "mät här", "none": "ingen flagga", "no_data": "ingen mätning"},
    "en": {"speeding": "speeding", "reckless": "reckless driving", "reports": "reports",
           "measure_here": "measure here", "none": "not flagged", "no_data": "no measurement"},
}
"""Names of the flag kinds (the ``kind`` column of the flags table, ``;``-joined)."""

PLAN_STATUS = {
    "sv": {"done": "genomförd", "not_done": "inte genomförd", "unplanned": "utan plan"},
    "en": {"done": "done", "not_done": "not done", "unplanned": "not planned"},
}
"""Names of the ``status`` of :func:`trafikplan.stats.outcomes.done_vs_planned`."""

_TEXT = {
    "sv": {
        "title": "Trafikrapport",
        "lang": "sv",
        "subtitle": "Hastigheter, flaggor och uppföljning av åtgärder",
        "data_until": "Data till och med",
        "contents": "Innehåll",
        "overview": "Översikt",
        "imported": "Inlästa filer",
        "file": "fil",
        "profile": "format",
        "kind": "slag",
        "rows": "rader",
        "rejected": "utsorterade",
        "first": "först",
        "last": "sist",
        "totals": "Totalt {vehicles} fordon, {bins} intervallrader, {reports} Embrace-rapporter, "
                  "{rejects} utsorterade rader.",
        "rejects": "Utsorterade rader och varför",
        "reason": "orsak",
        "meaning": "betyder",
        "count": "antal",
        "no_rejects": "Inga rader sorterades ut.",
        "coverage": "Mätdagar per plats",
        "coverage_note": "En markerad dag har minst ett fordon i data (lokal tid). Figuren visar "
                         "året fram till senaste mätdag; tabellen visar alla mätningar.",
        "days_with_data": "mätdagar",
        "flagged_streets": "Flaggade gator",
        "flagged_streets_note": "Gator med minst en flaggad platstimme, rangordnade efter "
                                "högsta poäng. Poängen väger ihop hastighetsrisk (Nilssons "
                                "potensmodell), buskörning och Embrace-rapporter per timme.",
        "street": "gata",
        "sites": "platser",
        "flagged_hours": "flaggade timmar",
        "max_score": "högsta poäng",
        "kinds": "slag",
        "top_reason": "främsta skäl",
        "focus": "fokusgata",
        "no_flags": "Ingen platstimme är flaggad.",
        "map": "Karta över platserna",
        "map_note": "Platsernas läge efter koordinaterna i sites.csv (ingen bakgrundskarta). "
                    "Färgen visar platsens starkaste flagga.",
        "streets": "Gator",
        "site": "plats",
        "limit": "hastighetsgräns",
        "heatmap": "Andel över gränsen och V85 per veckotimme",
        "heatmap_note": "Tal i rutorna: antal fordon (n). Grå ruta: färre än {min_n} fordon, "
                        "för lite för en slutsats.",
        "distribution": "Hastighetsfördelning",
        "volume": "Trafikmängd per timme",
        "site_flags": "Flaggor med skäl",
        "street_flags": "Flaggor för gatan utan mätplats (rapporter)",
        "score": "poäng",
        "weekday": "veckodag",
        "hour": "timme",
        "more_flags": "… och {n} flaggade timmar till (se flags.xlsx).",
        "site_no_flags": "Inga flaggade timmar.",
        "site_no_data": "Inga mätningar här.",
        "reports": "Embrace-rapporter",
        "reports_note": "Rapporter per kategori och lokal timme; personuppgifter är borttagna.",
        "no_reports": "Inga Embrace-rapporter för gatan.",
        "latest_reports": "Alla rapporter, nyaste först",
        "time": "tid",
        "category": "kategori",
        "text": "text",
        "evaluation": "Före och efter byggda åtgärder",
        "evaluation_note": "Förändring efter − före på samma veckodagar och timmar, med 95 % "
                           "konfidensintervall. Skillnad i skillnader (DiD) drar av "
                           "förändringen på en jämförelseplats utan åtgärd.",
        "measure": "åtgärd",
        "built": "byggd",
        "n_before_after": "n före / efter",
        "mean_before_after": "medel före → efter",
        "mean_diff": "medel, förändring",
        "v85_diff": "V85, förändring",
        "share_diff": "andel över gräns, förändring",
        "did": "DiD mot jämförelse",
        "verdict": "bedömning",
        "no_evaluation": "Ingen utvärdering: measures.csv saknas eller ingen åtgärd har data "
                         "före och efter.",
        "footer": "Skapad av trafikplan {version}. Statistik med 95 % konfidensintervall: "
                  "Wilson för andelar, ordningsstatistik för V85, t för medel.",
        "share_over_limit": "andel över gränsen",
        "v85_over_limit": "V85 − gräns [km/h]",
        "speed_kmh": "hastighet [km/h]",
        "share_of_vehicles": "andel fordon per km/h",
        "vehicles_per_hour": "fordon per timme",
        "weekdays": "vardagar (mån–fre)",
        "weekend": "helg (lör–sön)",
        "reports_count": "rapporter",
        "hour_of_day": "timme på dygnet",
        "n_vehicles": "fordon",
        "speed_limit_line": "gräns {limit:g} km/h",
        "change_kmh": "förändring [km/h]",
        "mean_label": "medel",
        "did_label": "DiD",
        "per_vehicle": "per fordon",
        "binned": "hastighetsklasser",
        "checks_found": "Vad kontrollerna visade",
        "checks_none": "Inga genomförda kontroller finns i checks_done/.",
        "checks_totals": "{checks} genomförda kontroller {first}–{last}: {outcome} kontrollerade "
                         "fordon över gränsen.",
        "k_of_n": "{k} av {n}",
        "done_vs_planned": "Genomförda mot planerade",
        "no_plans": "Inga sparade planer i datamappen (.trafikplan/plans/): ingen jämförelse med "
                    "planerade kontroller.",
        "plans_summary": "{planned} planerade kontroller i {weeks} sparade planveckor: {done} "
                         "genomförda (start inom ±{hours} h på samma plats), {not_done} inte "
                         "genomförda; {unplanned} genomförda kontroller under planveckorna "
                         "fanns inte i planen.",
        "plans_later": "{n} planerade kontroller efter den senaste rapporterade visas inte: en "
                       "plan berättar var polisen kommer att stå.",
        "plans_table": "Planerade och genomförda kontroller",
        "planned": "planerad",
        "planned_team": "planerad grupp",
        "done": "genomförd",
        "done_team": "grupp",
        "status": "status",
        "violation_rates": "Andel över gränsen per plats",
        "violation_rates_note": "Överträdelser av kontrollerade fordon, med 95 % "
                                "konfidensintervall (Wilson). Fordonen räknas som oberoende; "
                                "den verkliga osäkerheten är något större.",
        "violation_rate_axis": "andel över gränsen [%]",
        "checks_n": "kontroller",
        "over_limit": "över gränsen",
        "rate": "andel (95 % KI)",
        "last_check": "senaste",
        "all_checks": "Alla genomförda kontroller",
        "team": "grupp",
        "max_speed": "högsta [km/h]",
        "halo": "Uppmätt tidshalo",
        "halo_note": "Hastigheten efter en kontroll jämförs med samma veckodagar och timmar de "
                     "{weeks} veckorna före (där platsen hade en mätare), med 95 % "
                     "konfidensintervall. Fönstren räknas från första hela timmen efter "
                     "kontrollen.",
        "window": "fönster efter kontrollen",
        "n_after_baseline": "n efter / före",
        "mean_baseline_after": "medel före → efter [km/h]",
        "mean_change": "medel, förändring [km/h]",
        "share_change": "andel över gräns, förändring",
        "too_little_data": "för lite data",
        "halo_none": "Ingen kontroll har mätdata både före och efter: tidshalon kan inte mätas.",
        "halo_found": "Hastigheten var lägre i {hours} h efter kontrollerna (intervallet helt "
                      "under noll), mätt vid {checks} kontroller.",
        "halo_not_shown": "Ingen säker sänkning: intervallet för det första fönstret är inte "
                          "helt under noll ({checks} kontroller med mätdata).",
        "halo_few": "Bara {checks} kontroller med mätdata: planeraren använder inställningen "
                    "time_halo_hours tills minst {need} finns.",
        "interval_long_run": "Intervallen (95 %) gäller timmens värde en vanlig vecka: "
                             "hastigheterna varierar från dag till dag, så det är antalet "
                             "mätdagar, inte antalet fordon, som avgör hur säker siffran är.",
        "interval_days_measured": "Intervallet gäller bara de dagar som mättes.",
        "few_days": "Vilar på {days} mätdag(ar): säg inget om en vanlig vecka förrän fler "
                    "dagar är mätta.",
    },
    "en": {
        "title": "Traffic report",
        "lang": "en",
        "subtitle": "Speeds, flags and follow-up of measures",
        "data_until": "Data up to",
        "contents": "Contents",
        "overview": "Overview",
        "imported": "Imported files",
        "file": "file",
        "profile": "format",
        "kind": "kind",
        "rows": "rows",
        "rejected": "set aside",
        "first": "first",
        "last": "last",
        "totals": "In all {vehicles} vehicles, {bins} interval rows, {reports} Embrace reports, "
                  "{rejects} rows set aside.",
        "rejects": "Rows set aside and why",
        "reason": "reason",
        "meaning": "meaning",
        "count": "count",
        "no_rejects": "No rows were set aside.",
        "coverage": "Days with data per site",
        "coverage_note": "A marked day has at least one vehicle in the data (local time). The "
                         "figure shows the year up to the newest day; the table lists all data.",
        "days_with_data": "days with data",
        "flagged_streets": "Flagged streets",
        "flagged_streets_note": "Streets with at least one flagged site-hour, ranked by the "
                                "highest score. The score adds speed risk (Nilsson's power "
                                "model), reckless driving and Embrace reports per hour.",
        "street": "street",
        "sites": "sites",
        "flagged_hours": "flagged hours",
        "max_score": "highest score",
        "kinds": "kinds",
        "top_reason": "main reason",
        "focus": "focus street",
        "no_flags": "No site-hour is flagged.",
        "map": "Map of the sites",
        "map_note": "Sites placed by their coordinates in sites.csv (no background map). "
                    "The colour shows a site's strongest flag.",
        "streets": "Streets",
        "site": "site",
        "limit": "speed limit",
        "heatmap": "Share over the limit and V85 per hour of the week",
        "heatmap_note": "Numbers in the cells: vehicles (n). Grey cell: fewer than {min_n} "
                        "vehicles, too few for a conclusion.",
        "distribution": "Speed distribution",
        "volume": "Traffic volume per hour",
        "site_flags": "Flags with reasons",
        "street_flags": "Flags for the street without a counter site (reports)",
        "score": "score",
        "weekday": "weekday",
        "hour": "hour",
        "more_flags": "… and {n} more flagged hours (see flags.xlsx).",
        "site_no_flags": "No flagged hours.",
        "site_no_data": "No measurements here.",
        "reports": "Embrace reports",
        "reports_note": "Reports by category and local hour; personal data removed.",
        "no_reports": "No Embrace reports for this street.",
        "latest_reports": "All reports, newest first",
        "time": "time",
        "category": "category",
        "text": "text",
        "evaluation": "Before and after the built measures",
        "evaluation_note": "Change after − before on the same weekdays and hours, with 95 % "
                           "confidence intervals. Difference in differences (DiD) subtracts "
                           "the change at a comparison site without a measure.",
        "measure": "measure",
        "built": "built",
        "n_before_after": "n before / after",
        "mean_before_after": "mean before → after",
        "mean_diff": "mean, change",
        "v85_diff": "V85, change",
        "share_diff": "share over limit, change",
        "did": "DiD vs comparison",
        "verdict": "verdict",
        "no_evaluation": "No evaluation: no measures.csv, or no measure has data before and "
                         "after.",
        "footer": "Made by trafikplan {version}. Statistics with 95 % confidence intervals: "
                  "Wilson for shares, order statistics for V85, t for means.",
        "share_over_limit": "share over the limit",
        "v85_over_limit": "V85 − limit [km/h]",
        "speed_kmh": "speed [km/h]",
        "share_of_vehicles": "share of vehicles per km/h",
        "vehicles_per_hour": "vehicles per hour",
        "weekdays": "weekdays (Mon–Fri)",
        "weekend": "weekend (Sat–Sun)",
        "reports_count": "reports",
        "hour_of_day": "hour of day",
        "n_vehicles": "vehicles",
        "speed_limit_line": "limit {limit:g} km/h",
        "change_kmh": "change [km/h]",
        "mean_label": "mean",
        "did_label": "DiD",
        "per_vehicle": "per vehicle",
        "binned": "speed classes",
        "checks_found": "What the checks found",
        "checks_none": "No completed checks in checks_done/.",
        "checks_totals": "{checks} completed checks {first} to {last}: {outcome} checked "
                         "vehicles over the limit.",
        "k_of_n": "{k} of {n}",
        "done_vs_planned": "Checks done against planned",
        "no_plans": "No saved plans in the data folder (.trafikplan/plans/): no comparison with "
                    "planned checks.",
        "plans_summary": "{planned} planned checks in {weeks} saved plan weeks: {done} done "
                         "(start within ±{hours} h at the same site), {not_done} not done; "
                         "{unplanned} checks done in the plan weeks were not in the plan.",
        "plans_later": "{n} planned checks after the newest record are not shown: a plan "
                       "tells where the police will be.",
        "plans_table": "Planned and completed checks",
        "planned": "planned",
        "planned_team": "planned team",
        "done": "done",
        "done_team": "team",
        "status": "status",
        "violation_rates": "Share over the limit per site",
        "violation_rates_note": "Violations of the vehicles checked, with 95 % confidence "
                                "intervals (Wilson). Vehicles are counted as independent; "
                                "the true uncertainty is somewhat larger.",
        "violation_rate_axis": "share over the limit [%]",
        "checks_n": "checks",
        "over_limit": "over the limit",
        "rate": "share (95 % CI)",
        "last_check": "latest",
        "all_checks": "All completed checks",
        "team": "team",
        "max_speed": "highest [km/h]",
        "halo": "Measured time halo",
        "halo_note": "Speeds after a check against the same weekdays and hours in the {weeks} "
                     "weeks before it (where the site had a counter), with 95 % confidence "
                     "intervals. Windows count from the first full hour after the check.",
        "window": "window after the check",
        "n_after_baseline": "n after / before",
        "mean_baseline_after": "mean before → after [km/h]",
        "mean_change": "mean, change [km/h]",
        "share_change": "share over limit, change",
        "too_little_data": "too little data",
        "halo_none": "No check has counter data both before and after it: the time halo "
                     "cannot be measured.",
        "halo_found": "Speeds were lower for {hours} h after the checks (interval wholly below "
                      "zero), measured at {checks} checks.",
        "halo_not_shown": "No reliable reduction: the first window's interval is not wholly "
                          "below zero ({checks} checks with counter data).",
        "halo_few": "Only {checks} checks with counter data: the planner uses the "
                    "time_halo_hours setting until there are at least {need}.",
        "interval_long_run": "The 95% intervals are for the hour's value in an ordinary "
                             "week: speeds vary from day to day, so the number of measured "
                             "days, not of vehicles, decides how certain a figure is.",
        "interval_days_measured": "The interval holds for the days measured only.",
        "few_days": "Rests on {days} measured day(s): say nothing about an ordinary week "
                    "until more days are measured.",
    },
}


def texts(language: str) -> dict[str, str]:
    """Return the report's strings in ``language``.

    Parameters
    ----------
    language : str
        ``"sv"`` or ``"en"``.

    Returns
    -------
    dict
        Key -> text; ``weekdays``, ``categories``, ``kinds`` and ``plan_status``
        are added as tuple/dicts of names.

    Raises
    ------
    InputError
        For any other language.
    """
    if language not in _TEXT:
        raise InputError(f"language must be 'sv' or 'en', got {language!r}")
    out: dict = dict(_TEXT[language])
    out["weekday_names"] = WEEKDAYS[language]
    out["category_names"] = CATEGORIES[language]
    out["kind_names"] = KINDS[language]
    out["plan_status"] = PLAN_STATUS[language]
    return out

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
}
"""Swedish meaning of each reject reason (English: :data:`trafikplan.columns.REJECT_REASONS`)."""


def reject_meaning(reason: str, language: str) -> str:
    """Return what a reject reason means, in ``language`` (the reason itself if unknown)."""
    from trafikplan.columns import REJECT_REASONS

    table = REJECT_REASONS_SV if language == "sv" else REJECT_REASONS
    return table.get(reason, reason)


def number(value: float, digits: int, language: str, *, sign: bool = False) -> str:
    """Format a number for a person: decimal comma and a real minus sign in Swedish.

    Parameters
    ----------
    value : float
        The number (NaN gives an empty string).
    digits : int
        Decimals.
    language : str
        ``"sv"`` or ``"en"``.
    sign : bool
        Show ``+`` on positive numbers (changes).
    """
    if value is None or value != value:
        return ""
    value = round(float(value), digits) + 0.0  # no "−0" for a tiny negative value
    text = f"{value:+.{digits}f}" if sign else f"{value:.{digits}f}"
    if language == "sv":
        text = text.replace(".", ",")
    return text.replace("-", "\u2212")


def interval(value: float, lo: float, hi: float, digits: int, language: str, *,
             sign: bool = False, scale: float = 1.0, unit: str = "") -> str:
    """Format ``value (lo till hi)`` / ``value (lo to hi)``; empty when ``value`` is NaN."""
    if value is None or value != value:
        return ""
    word = "till" if language == "sv" else "to"
    v = number(value * scale, digits, language, sign=sign)
    a = number(lo * scale, digits, language, sign=sign)
    b = number(hi * scale, digits, language, sign=sign)
    if not a:
        return f"{v}{unit}"
    return f"{v}{unit} ({a} {word} {b})"
