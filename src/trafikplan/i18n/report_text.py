"""The report's words in Swedish and English: sections, tables, figures, the per-site survey.

Part of the one dictionary (:data:`trafikplan.i18n.TEXT`).
"""

from __future__ import annotations

__all__ = ["REPORT_TEXT"]

REPORT_TEXT: dict[str, tuple[str, str]] = {
    "title": ("Trafikrapport", "Traffic report"),
    "lang": ("sv", "en"),
    "subtitle": (
        "Hastigheter, flaggor och uppföljning av åtgärder",
        "Speeds, flags and follow-up of measures"),
    "data_until": ("Data till och med", "Data up to"),
    "contents": ("Innehåll", "Contents"),
    "overview": ("Översikt", "Overview"),
    "imported": ("Inlästa filer", "Imported files"),
    "file": ("fil", "file"),
    "profile": ("format", "format"),
    "kind": ("slag", "kind"),
    "rows": ("rader", "rows"),
    "rejected": ("utsorterade", "set aside"),
    "first": ("först", "first"),
    "last": ("sist", "last"),
    "totals": ("Totalt {vehicles}; {reports} Embrace-rapporter, {rejects} utsorterade rader.",
               "In all {vehicles}; {reports} Embrace reports, {rejects} rows set aside."),
    "rejects": ("Utsorterade rader och varför", "Rows set aside and why"),
    "reason": ("orsak", "reason"),
    "meaning": ("betyder", "meaning"),
    "count": ("antal", "count"),
    "no_rejects": ("Inga rader sorterades ut.", "No rows were set aside."),
    "coverage": ("Mätdagar per plats", "Days with data per site"),
    "coverage_note": (
        "En markerad dag har minst ett fordon i data (lokal tid). Figuren visar året fram till "
        "senaste mätdag; tabellen visar alla mätningar.",
        "A marked day has at least one vehicle in the data (local time). The figure shows the "
        "year up to the newest day; the table lists all data."),
    "days_with_data": ("mätdagar", "days with data"),
    "flagged_streets": ("Flaggade gator", "Flagged streets"),
    "flagged_streets_note": (
        "Gator med minst en flaggad platstimme, rangordnade efter högsta poäng. Poängen väger "
        "ihop hastighetsrisk (Nilssons potensmodell), buskörning och Embrace-rapporter per "
        "timme.",
        "Streets with at least one flagged site-hour, ranked by the highest score. The score "
        "adds speed risk (Nilsson's power model), reckless driving and Embrace reports per "
        "hour."),
    "street": ("gata", "street"),
    "sites": ("platser", "sites"),
    "flagged_hours": ("flaggade timmar", "flagged hours"),
    "max_score": ("högsta poäng", "highest score"),
    "kinds": ("slag", "kinds"),
    "top_reason": ("främsta skäl", "main reason"),
    "focus": ("fokusgata", "focus street"),
    "no_flags": ("Ingen platstimme är flaggad.", "No site-hour is flagged."),
    "map": ("Karta över platserna", "Map of the sites"),
    "map_note": (
        "Bakgrundskarta från OpenStreetMap när datorn är uppkopplad; platserna och namnen ritas "
        "även utan nät. Färgen visar platsens starkaste flagga; streckad ring: gata flaggad bara "
        "av Embrace-rapporter, där rapporterna gjordes. Namn som skulle krocka visas när man "
        "pekar på platsen.",
        "Background map from OpenStreetMap when the computer is online; the sites and their "
        "names are drawn offline too. The colour shows a site's strongest flag; dashed ring: a "
        "street flagged only by Embrace reports, where the reports were made. Names that would "
        "collide show when the site is pointed at."),
    "streets": ("Gator", "Streets"),
    "site": ("plats", "site"),
    "limit": ("hastighetsgräns", "speed limit"),
    "heatmap": (
        "Andel över gränsen och V85 per veckotimme",
        "Share over the limit and V85 per hour of the week"),
    "heatmap_note": (
        "Tal i rutorna: antal fordon (n). Grå ruta: färre än {min_n} fordon, för lite för en "
        "slutsats.",
        "Numbers in the cells: vehicles (n). Grey cell: fewer than {min_n} vehicles, too few "
        "for a conclusion."),
    "distribution": ("Hastighetsfördelning", "Speed distribution"),
    "volume": ("Trafikmängd per timme", "Traffic volume per hour"),
    "site_flags": ("Flaggor med skäl", "Flags with reasons"),
    "street_flags": (
        "Flaggor för gatan utan mätplats (rapporter)",
        "Flags for the street without a counter site (reports)"),
    "score": ("poäng", "score"),
    "weekday": ("veckodag", "weekday"),
    "hour": ("timme", "hour"),
    "more_flags": (
        "… och {n} flaggade timmar till (se flags.xlsx).",
        "… and {n} more flagged hours (see flags.xlsx)."),
    "site_no_flags": ("Inga flaggade timmar.", "No flagged hours."),
    "site_no_data": ("Inga mätningar här.", "No measurements here."),
    "reports": ("Embrace-rapporter", "Embrace reports"),
    "reports_note": (
        "Rapporter per kategori och lokal timme; personuppgifter är borttagna.",
        "Reports by category and local hour; personal data removed."),
    "no_reports": ("Inga Embrace-rapporter för gatan.", "No Embrace reports for this street."),
    "latest_reports": ("Alla rapporter, nyaste först", "All reports, newest first"),
    "time": ("tid", "time"),
    "category": ("kategori", "category"),
    "text": ("text", "text"),
    "evaluation": ("Före och efter byggda åtgärder", "Before and after the built measures"),
    "evaluation_note": (
        "Förändring efter − före på samma veckodagar och timmar, med 95 % konfidensintervall. "
        "Skillnad i skillnader (DiD) drar av förändringen på en jämförelseplats utan åtgärd.",
        "Change after − before on the same weekdays and hours, with 95 % confidence intervals. "
        "Difference in differences (DiD) subtracts the change at a comparison site without a "
        "measure."),
    "measure": ("åtgärd", "measure"),
    "built": ("byggd", "built"),
    "n_before_after": ("n före / efter", "n before / after"),
    "mean_before_after": ("medel före → efter", "mean before → after"),
    "mean_diff": ("medel, förändring", "mean, change"),
    "v85_diff": ("V85, förändring", "V85, change"),
    "share_diff": ("andel över gräns, förändring", "share over limit, change"),
    "did": ("DiD mot jämförelse", "DiD vs comparison"),
    "verdict": ("bedömning", "verdict"),
    "no_evaluation": (
        "Ingen utvärdering: measures.csv saknas eller ingen åtgärd har data före och efter.",
        "No evaluation: no measures.csv, or no measure has data before and after."),
    "footer": (
        "Skapad av trafikplan {version}. Statistik med 95 % konfidensintervall: Wilson för "
        "andelar, ordningsstatistik för V85, t för medel.",
        "Made by trafikplan {version}. Statistics with 95 % confidence intervals: Wilson for "
        "shares, order statistics for V85, t for means."),
    "share_over_limit": ("andel över gränsen", "share over the limit"),
    "v85_over_limit": ("V85 − gräns [km/h]", "V85 − limit [km/h]"),
    "speed_kmh": ("hastighet [km/h]", "speed [km/h]"),
    "share_of_vehicles": ("andel fordon per km/h [%]", "share of vehicles per km/h [%]"),
    "vehicles_per_hour": ("fordon per timme", "vehicles per hour"),
    "weekdays": ("vardagar (mån–fre)", "weekdays (Mon–Fri)"),
    "weekend": ("helg (lör–sön)", "weekend (Sat–Sun)"),
    "reports_count": ("rapporter", "reports"),
    "hour_of_day": ("timme på dygnet", "hour of day"),
    "n_vehicles": ("fordon", "vehicles"),
    "speed_limit_line": ("gräns {limit:g} km/h", "limit {limit:g} km/h"),
    "change_kmh": ("förändring [km/h]", "change [km/h]"),
    "mean_label": ("medel", "mean"),
    "did_label": ("DiD", "DiD"),
    "per_vehicle": ("per fordon", "per vehicle"),
    "binned": ("hastighetsklasser", "speed classes"),
    "checks_found": ("Vad kontrollerna visade", "What the checks found"),
    "checks_none": (
        "Inga genomförda kontroller finns i checks_done/.",
        "No completed checks in checks_done/."),
    "checks_totals": (
        "{checks} genomförda kontroller {first}–{last}: {outcome} kontrollerade fordon över "
        "gränsen.",
        "{checks} completed checks {first} to {last}: {outcome} checked vehicles over the limit."),
    "k_of_n": ("{k} av {n}", "{k} of {n}"),
    "done_vs_planned": ("Genomförda mot planerade", "Checks done against planned"),
    "no_plans": (
        "Inga sparade planer i datamappen (.trafikplan/plans/): ingen jämförelse med planerade "
        "kontroller.",
        "No saved plans in the data folder (.trafikplan/plans/): no comparison with planned "
        "checks."),
    "plans_summary": (
        "{planned} planerade kontroller i {weeks} sparade planveckor: {done} genomförda (start "
        "inom ±{hours} h på samma plats), {not_done} inte genomförda; {unplanned} genomförda "
        "kontroller under planveckorna fanns inte i planen.",
        "{planned} planned checks in {weeks} saved plan weeks: {done} done (start within "
        "±{hours} h at the same site), {not_done} not done; {unplanned} checks done in the "
        "plan weeks were not in the plan."),
    "plans_later": (
        "{n} planerade kontroller efter den senaste rapporterade visas inte: en plan berättar "
        "var polisen kommer att stå.",
        "{n} planned checks after the newest record are not shown: a plan tells where the "
        "police will be."),
    "plans_table": ("Planerade och genomförda kontroller", "Planned and completed checks"),
    "planned": ("planerad", "planned"),
    "planned_team": ("planerad grupp", "planned team"),
    "done": ("genomförd", "done"),
    "done_team": ("grupp", "team"),
    "status": ("status", "status"),
    "violation_rates": ("Andel över gränsen per plats", "Share over the limit per site"),
    "violation_rates_note": (
        "Överträdelser av kontrollerade fordon, med 95 % konfidensintervall (Wilson). Fordonen "
        "räknas som oberoende; den verkliga osäkerheten är något större.",
        "Violations of the vehicles checked, with 95 % confidence intervals (Wilson). Vehicles "
        "are counted as independent; the true uncertainty is somewhat larger."),
    "violation_rate_axis": ("andel över gränsen [%]", "share over the limit [%]"),
    "checks_n": ("kontroller", "checks"),
    "over_limit": ("över gränsen", "over the limit"),
    "rate": ("andel (95 % KI)", "share (95 % CI)"),
    "last_check": ("senaste", "latest"),
    "all_checks": ("Alla genomförda kontroller", "All completed checks"),
    "team": ("grupp", "team"),
    "max_speed": ("högsta [km/h]", "highest [km/h]"),
    "halo": ("Uppmätt tidshalo", "Measured time halo"),
    "halo_note": (
        "Hastigheten efter en kontroll jämförs med samma veckodagar och timmar de {weeks} "
        "veckorna före (där platsen hade en mätare), med 95 % konfidensintervall. Fönstren "
        "räknas från första hela timmen efter kontrollen.",
        "Speeds after a check against the same weekdays and hours in the {weeks} weeks before "
        "it (where the site had a counter), with 95 % confidence intervals. Windows count from "
        "the first full hour after the check."),
    "window": ("fönster efter kontrollen", "window after the check"),
    "n_after_baseline": ("n efter / före", "n after / before"),
    "mean_baseline_after": ("medel före → efter [km/h]", "mean before → after [km/h]"),
    "mean_change": ("medel, förändring [km/h]", "mean, change [km/h]"),
    "share_change": ("andel över gräns, förändring", "share over limit, change"),
    "too_little_data": ("för lite data", "too little data"),
    "halo_none": (
        "Ingen kontroll har mätdata både före och efter: tidshalon kan inte mätas.",
        "No check has counter data both before and after it: the time halo cannot be measured."),
    "halo_found": (
        "Hastigheten var lägre i {hours} h efter kontrollerna (intervallet helt under noll), "
        "mätt vid {checks} kontroller.",
        "Speeds were lower for {hours} h after the checks (interval wholly below zero), "
        "measured at {checks} checks."),
    "halo_not_shown": (
        "Ingen säker sänkning: intervallet för det första fönstret är inte helt under noll "
        "({checks} kontroller med mätdata).",
        "No reliable reduction: the first window's interval is not wholly below zero ({checks} "
        "checks with counter data)."),
    "halo_few": (
        "Bara {checks} kontroller med mätdata: planeraren använder inställningen "
        "time_halo_hours tills minst {need} finns.",
        "Only {checks} checks with counter data: the planner uses the time_halo_hours setting "
        "until there are at least {need}."),

    "map_street_only": ("bara rapporter", "reports only"),
    "this_week": ("Att göra den här veckan", "What to do this week"),
    "evaluation_short": ("Vad åtgärderna gjorde", "What the measures did"),
    "appendix": ("Bilaga: data", "Appendix: the data"),
    "directions": ("riktningar", "directions"),
    "deployments_short": ("uppsättningar", "deployments"),
    # ---- what an interval means (statistics pooled over days)
    "interval_long_run": (
        "Intervallen (95 %) gäller timmens värde en vanlig vecka: hastigheterna varierar från "
        "dag till dag, så det är antalet mätdagar, inte antalet fordon, som avgör hur säker "
        "siffran är.",
        "The 95% intervals are for the hour's value in an ordinary week: speeds vary from day "
        "to day, so the number of measured days, not of vehicles, decides how certain a figure "
        "is."),
    "interval_days_measured": ("Intervallet gäller bara de dagar som mättes.",
                               "The interval holds for the days measured only."),
    "few_days": (
        "Vilar på {days} mätdag(ar): säg inget om en vanlig vecka förrän fler dagar är mätta.",
        "Rests on {days} measured day(s): say nothing about an ordinary week until more days "
        "are measured."),
    # ---- per-site speed-survey report
    "site_report": ("Mätrapport", "Speed survey"),
    "site_report_note": (
        "Standardrapport per mätplats och uppsättning (mätperiod). Uppsättningar slås aldrig "
        "ihop; varje riktning med filens egen beteckning. Intervall: 95 % konfidensintervall.",
        "Standard report per site and deployment. Deployments are never pooled; each direction "
        "with the file's own label. Intervals: 95 % confidence intervals."),
    "deployment": ("Uppsättning", "Deployment"),
    "counter_file": ("mätfil", "counter file"),
    "direction_label": ("Riktning {label}", "Direction {label}"),
    "per_day": ("fordon per dygn (medel, 95 % KI)", "vehicles per day (mean, 95 % CI)"),
    "whole_days": ("hela dygn", "whole days"),
    "adt": ("ÅDT-liknande medel (5 vardagar + 2 helgdagar, ej säsongsjusterat)",
            "ÅDT-style average (5 weekdays + 2 weekend days, not season-adjusted)"),
    "heavy_share": ("andel tunga fordon (95 % KI)", "share of heavy vehicles (95 % CI)"),
    "vehicle_classes": ("Fordonsklasser", "Vehicle classes"),
    "speed_classes": ("Hastighetsklasser", "Speed classes"),
    "speed_class": ("hastighet [km/h]", "speed [km/h]"),
    "share": ("andel", "share"),
    "hourly_table": ("Per timme", "Per hour"),
    "volume_per_hour": ("fordon/h", "vehicles/h"),
    "mean_ci": ("medel [km/h] (95 % KI)", "mean [km/h] (95 % CI)"),
    "v85_ci": ("V85 [km/h] (95 % KI)", "V85 [km/h] (95 % CI)"),
    "over_ci": ("över gränsen (95 % KI)", "over the limit (95 % CI)"),
    "hourly_profile": ("Timprofil mot gränsen", "Hourly profile against the limit"),
    "gaps": ("Luckor i data", "Gaps in the data"),
    "no_gaps": ("Inga luckor på {hours} timmar eller mer.",
                "No gaps of {hours} hours or more."),
    "flags_use": ("Används för flaggor", "Used for flags"),
    "deployment_used": ("ja: platsens senaste uppsättning", "yes: the site's newest deployment"),
    "deployment_older_deployment": (
        "nej: en senare uppsättning finns (uppsättningar slås inte ihop)",
        "no: a later deployment exists (deployments are not pooled)"),
    "deployment_stale": ("nej: äldre än {months} månader", "no: older than {months} months"),
    "deployment_before_measure": ("nej: mätt före åtgärd {measure}",
                                  "no: measured before measure {measure}"),
    "street_data_used": (
        "Figurerna visar platsens senaste uppsättning, {dates}, som flaggorna.",
        "The figures show the site's newest deployment, {dates}, as the flags do."),
    "street_data_none": (
        "Ingen uppsättning här används för figurer och flaggor.",
        "No deployment here is used for figures and flags."),
    "street_data_left": ("Inte med: {items}.", "Left out: {items}."),
    "street_data_left_one": ("{dates} ({why})", "{dates} ({why})"),
    "street_left_older_deployment": ("en senare uppsättning finns", "a later deployment exists"),
    "street_left_stale": ("äldre än {months} månader", "older than {months} months"),
    "street_left_before_measure": ("mätt före åtgärd {measure}",
                                   "measured before measure {measure}"),
    "site_evaluation": ("Före och efter", "Before and after"),
    "deployments_title": ("Uppsättningar och vad flaggorna bygger på",
                          "Deployments and what the flags rest on"),
    "deployments_note": (
        "Flaggorna använder per plats bara den senaste uppsättningen, inte data äldre än "
        "{months} månader och inte data från före en byggd åtgärd på platsen.",
        "Per site the flags use only the newest deployment, no data older than {months} "
        "months and no data from before a measure built at the site."),
}
"""Key -> (Swedish, English) of every sentence and label of the HTML and PDF reports."""
