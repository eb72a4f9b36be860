"""Every word a person reads, in Swedish and English, and one way to write numbers.

One dictionary for the whole package (a base module, so every stage may use
it): :data:`TEXT` maps a key to its ``(Swedish, English)`` pair, so a key is
added with both languages on one line and a half-translated page cannot
happen. :data:`CODES` names the code values a person sees (report categories,
flag kinds, plan purposes, statuses, reject reasons ...), :data:`COLUMNS` the
headers of printed tables and spreadsheets. :func:`number` is the one number
format: in Swedish a decimal comma, a narrow no-break space between
thousands (``1\u202f466\u202f744``) and a real minus sign.

Adding a word: one line ``"key": ("svenska", "English"),`` in :data:`TEXT`
(or a code value in :data:`CODES`, a header in :data:`COLUMNS`); use it with
``text("key", language)`` or ``texts(language)["key"]``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from trafikplan._errors import Code, InputError, Phrase
from trafikplan.i18n.formats_text import FORMATS_TEXT, PROFILE_DESCRIPTIONS
from trafikplan.i18n.settings_errors import SETTINGS_ERRORS
from trafikplan.i18n_errors import ERRORS

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CATEGORIES",
    "CODES",
    "COLUMNS",
    "COLUMN_CODES",
    "KINDS",
    "LANGUAGES",
    "PLAN_STATUS",
    "PROFILE_DESCRIPTIONS",
    "REJECT_REASONS_SV",
    "SERVE_TEXT",
    "TEXT",
    "WEEKDAYS",
    "code",
    "column",
    "for_people",
    "integer",
    "interval",
    "number",
    "percent",
    "points_change",
    "reject_meaning",
    "text",
    "texts",
    "vehicle_total",
]

LANGUAGES = ("sv", "en")
"""Languages of everything a person reads; the position in each pair."""

TEXT: dict[str, tuple[str, str]] = {
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
    "share_of_vehicles": ("andel fordon per km/h", "share of vehicles per km/h"),
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
    # ---- command line: import
    "import_title": ("Inläsning av {folder}", "Import {folder}"),
    "import_nothing_new": ("Inget nytt i {folder}: {files} filer är redan inlästa.",
                           "Nothing new in {folder}: {files} files already imported."),
    "import_unchanged_hidden": ("({n} oförändrade filer visas inte)",
                                "({n} unchanged files not listed)"),
    "import_store": (
        "Lagrat: {vehicles}; {reports} Embrace-rapporter ({unmatched} utan plats), "
        "{checks} genomförda kontroller, {rejects} utsorterade rader.",
        "Stored: {vehicles}; {reports} Embrace reports ({unmatched} not matched to a site), "
        "{checks} completed checks, {rejects} rows set aside."),
    "import_rebuilt": (
        "sites.csv, inställningarna eller formatprofilerna har ändrats: lagret byggdes om.",
        "sites.csv, settings or format profiles changed: the store was rebuilt."),
    "import_rejects_title": ("Utsorterade rader", "Rows set aside"),
    "import_skipped": ("Inte inläst (choices.toml skip): {files}",
                       "Not imported (choices.toml skip): {files}"),
    "warning": ("varning: {text}", "warning: {text}"),
    # ---- one vehicle total everywhere: what it counts
    "vehicle_total": (
        "{total} fordon ({single} enskilt registrerade + {binned} räknade i "
        "hastighetsklasser, {bin_rows} intervallrader)",
        "{total} vehicles ({single} recorded one by one + {binned} counted in speed classes, "
        "{bin_rows} interval rows)"),
    "vehicle_total_single": ("{total} fordon, enskilt registrerade",
                             "{total} vehicles, recorded one by one"),
    "vehicle_total_unknown": (
        "{single} fordon enskilt registrerade och {bin_rows} intervallrader med räknade fordon",
        "{single} vehicles recorded one by one and {bin_rows} interval rows of counted vehicles"),
    # ---- command line: tables and files
    "rows_written": ("{n} rader -> {path}", "{n} rows -> {path}"),
    "more_rows": ("… {n} rader till (skriv alla med -o FIL)",
                  "... {n} more rows (use -o FILE to write them all)"),
    "stats_title": ("Hastighetsstatistik per {keys} ({n} grupper)",
                    "Speed statistics by {keys} ({n} groups)"),
    "everything": ("allt", "everything"),
    "no_vehicles": ("Inga fordon i urvalet.", "No vehicles in the selection."),
    "free_flow_left": ("Fritt flöde: {n} fordon med tidlucka < {s} s utelämnade.",
                       "Free flow: {n} vehicles with headway < {s} s left out."),
    "flags_title": ("{flagged} flaggade av {total} platstimmar",
                    "{flagged} flagged of {total} site-hours"),
    "evaluation_title": ("Före/efter-utvärdering", "Before/after evaluation"),
    "halo_title": (
        "Hastighet efter kontroller mot samma timmar veckorna före ({checks} kontroller med "
        "mätdata)",
        "Speeds after checks against the same hours in the weeks before ({checks} checks with "
        "counter data)"),
    "halo_measured": ("Uppmätt tidshalo: {hours} h", "Measured time halo: {hours} h"),
    "plan_team_checks": ("{team}: {n} kontroller", "{team}: {n} checks"),
    "plan_files_written": ("{n} filer -> {folder}; sparad {saved}",
                           "{n} files -> {folder}; saved {saved}"),
    "measurement_plan_title": ("Mätplan", "Measurement plan"),
    "new_site": ("ny", "new"),
    "report_written": ("rapport -> {path}", "report -> {path}"),
    "reports_written": ("{n} filer -> {folder}", "{n} files -> {folder}"),
    # ---- command line: progress lines (stderr, a terminal only)
    "working_load": ("Läser data …", "Loading the data …"),
    "working_stats": ("Beräknar statistik …", "Computing statistics …"),
    "working_flags": ("Beräknar flaggor …", "Computing flags …"),
    "working_evaluate": ("Utvärderar åtgärder …", "Evaluating measures …"),
    "working_halo": ("Mäter tidshalon …", "Measuring the time halo …"),
    "working_checks": ("Planerar kontroller {week} …", "Planning checks {week} …"),
    "working_measurements": ("Planerar mätningar …", "Planning measurements …"),
    "working_report": ("Skriver rapporten …", "Writing the report …"),
    # ---- command line: run
    "sheet_stats": ("statistik", "statistics"),
    "sheet_flags": ("flaggor", "flags"),
    "sheet_evaluation": ("utvärdering", "evaluation"),
    "sheet_halo": ("tidshalo", "time halo"),
    "sheet_checks": ("kontroller", "checks"),
    "sheet_measurements": ("mätplan", "measurements"),
    "sheet_all": ("alla kolumner", "all columns"),
    "run_import": ("inläsning", "import"),
    "run_stats": ("statistik", "statistics"),
    "run_flags": ("flaggor", "flags"),
    "run_checks": ("kontrollplan", "check plan"),
    "run_measurements": ("mätplan", "measurement plan"),
    "run_evaluation": ("utvärdering", "evaluation"),
    "run_report": ("rapport", "report"),
    "run_no_roster": ("ingen roster.csv: kontrollplanen hoppas över",
                      "no roster.csv: check plan skipped"),
    "run_no_roster_week": (
        "roster.csv har inget pass efter senaste data: kontrollplanen hoppas över (ange --week)",
        "roster.csv has no shift after the newest data: check plan skipped (give --week)"),
    "run_no_fleet": ("ingen counter_fleet.csv: mätplanen hoppas över",
                     "no counter_fleet.csv: measurement plan skipped"),
    "run_no_measures": ("ingen measures.csv: utvärderingen hoppas över",
                        "no measures.csv: evaluation skipped"),
    "run_no_reports": (
        "inga Embrace-rapporter i embrace/: rapporterna saknas i flaggor och rapport",
        "no Embrace reports in embrace/: flags and report have no reports"),
    "run_no_pdf": (
        "ingen chromium installerad: PDF hoppas över (apt-get install chromium)",
        "no chromium installed: PDF skipped (apt-get install chromium)"),
    "run_files": ("Filer", "Files"),
    "run_what": ("vad", "what"),
    "run_where": ("var", "where"),
    "run_done": ("Klart på {s} s.", "Done in {s} s."),
    "run_failed": ("{stages}: ingen plan kunde göras (se ovan); alla andra filer skrevs",
                   "{stages}: no plan could be made (see above); every other file was written"),
}
"""Key -> (Swedish, English) of every sentence and label a person reads."""

SERVE_TEXT: dict[str, tuple[str, str]] = {
    "serve_title": ("Trafikplan", "Trafikplan"),
    "serve_menu_sites": ("Platser", "Sites"),
    "serve_menu_import": ("Läs in filer", "Import files"),
    "serve_menu_measurements": ("Mätplan", "Measurement plan"),
    "serve_menu_plan": ("Veckoplan", "Week plan"),
    "serve_menu_checks_done": ("Utförda kontroller", "Completed checks"),
    "serve_home_sites": ("Mätplatserna på kartan, färgade efter vad som hittats, och varje "
                         "plats hastighetsrapport.", "The sites on the map, coloured by what "
                         "was found, and each site's speed report."),
    "serve_home_import": ("Lägg till filer från mätare eller Embrace-exporter.",
                          "Add counter files or Embrace exports."),
    "serve_home_measurements": ("Var mätarna ska stå de kommande veckorna.",
                                "Where the counters go in the coming weeks."),
    "serve_home_plan": ("Veckans hastighetskontroller: ändra, planera om, skicka ut.",
                        "The week's speed checks: change, re-plan, issue."),
    "serve_home_checks_done": ("Resultat av utförda kontroller: skriv in eller läs in "
                               "dagbladen.", "Results of completed checks: enter them or "
                               "upload the day sheets."),
    "serve_role_police": ("polis", "police"),
    "serve_role_kommun": ("kommun", "municipality"),
    "serve_login": ("Logga in", "Log in"),
    "serve_logout": ("logga ut", "log out"),
    "serve_user_name": ("Användarnamn", "User name"),
    "serve_password": ("Lösenord", "Password"),
    "serve_login_failed": ("Fel användarnamn eller lösenord.", "Wrong user name or password."),
    "serve_forbidden": ("Kontrollplaner är bara för polisen (403).",
                        "Check plans are for the police only (403)."),
    "serve_csrf_refused": ("Ändringen avvisades: formuläret saknar giltig CSRF-token "
                           "(ladda om sidan och försök igen).", "Change refused: the form "
                           "has no valid CSRF token (reload the page and try again)."),
    "serve_back": ("Tillbaka", "Back"),
    "serve_working": ("Arbetar …", "Working …"),
    "serve_working_note": ("Andra sidor fungerar under tiden.",
                           "Other pages keep working meanwhile."),
    "serve_job_failed": ("Misslyckades:", "Failed:"),
    "serve_site": ("Plats", "Site"),
    "serve_street": ("Gata", "Street"),
    "serve_found": ("Hittat", "Found"),
    "serve_no_such_site": ("Ingen plats {site} i sites.csv.", "No site {site} in sites.csv."),
    "serve_import_help": ("Filerna sparas i datamappen och läses in som med trafikplan "
                          "import. Om inläsningen avvisar dem tas de bort igen, så mappen "
                          "är som förut.", "The files are saved in the data folder and "
                          "imported as by trafikplan import. If the import refuses them "
                          "they are removed again, so the folder is as it was."),
    "serve_file_kind": ("Sorts filer", "Kind of files"),
    "serve_kind_counters": ("mätarfiler", "counter files"),
    "serve_kind_embrace": ("Embrace-export", "Embrace export"),
    "serve_drop_files": ("Släpp filer här eller välj: ", "Drop files here or choose: "),
    "serve_import_button": ("Läs in", "Import"),
    "serve_importing": ("Läser in …", "Importing …"),
    "serve_import_progress": ("Läser in {file}: {mb} MiB {share}",
                              "Importing {file}: {mb} MiB {share}"),
    "serve_import_done": ("Inläsning klar", "Import done"),
    "serve_import_more": ("läs in fler", "import more"),
    "serve_no_file": ("Ingen fil vald.", "No file chosen."),
    "serve_file_exists": ("{file} finns redan i datamappen: byt namn på filen.",
                          "{file} is already in the data folder: rename the file."),
    "serve_file_too_large": ("{file} är större än {mb} MiB.", "{file} is larger than {mb} MiB."),
    "serve_set_aside_title": ("Utsorterade rader i filerna ({n})",
                              "Rows set aside in the files ({n})"),
    "serve_rejects_store": ("Utsorterade rader i hela lagret", "Rows set aside in the store"),
    "serve_line": ("rad", "line"),
    "serve_column": ("kolumn", "column"),
    "serve_reason": ("skäl", "reason"),
    "serve_meaning": ("betyder", "what it means"),
    "serve_first_day": ("Första dag", "First day"),
    "serve_weeks": ("Veckor", "Weeks"),
    "serve_weeks_short": ("v.", "wk"),
    "serve_make_measurement_plan": ("Gör mätplan", "Make the plan"),
    "serve_no_measurement_plan": ("Ingen mätplan gjord ännu.", "No measurement plan made yet."),
    "serve_bad_measurement_form": ("Ange första dag (ÅÅÅÅ-MM-DD) och 1–52 veckor.",
                                   "Give the first day (YYYY-MM-DD) and 1–52 weeks."),
    "serve_counter": ("Mätare", "Counter"),
    "serve_install": ("Upp", "Install"),
    "serve_remove": ("Ner", "Remove"),
    "serve_purpose": ("Syfte", "Purpose"),
    "serve_week_title": ("Hastighetskontroller vecka", "Speed checks week"),
    "serve_pick_week": ("Vecka", "Week"),
    "serve_show": ("Visa", "Show"),
    "serve_replan": ("Planera om", "Re-plan"),
    "serve_issue": ("Skicka ut planen", "Issue the plan"),
    "serve_state_draft": ("Omplanerad men inte utskickad: granska och skicka ut.",
                          "Re-planned, not issued yet: review and issue."),
    "serve_state_issued": ("Utskickad plan.", "Issued plan."),
    "serve_state_none": ("Ingen plan för veckan ännu: tryck Planera om.",
                         "No plan for the week yet: press Re-plan."),
    "serve_plan_running": ("Planering pågår …", "Planning …"),
    "serve_rule_check": ("Planerarens regelkontroll:", "The planner's rule check:"),
    "serve_kept_started": ("Veckan har börjat: kontroller som redan startat ligger kvar.",
                           "The week has begun: checks already started stay."),
    "serve_team": ("Lag", "Team"),
    "serve_shift": ("pass", "shift"),
    "serve_away": ("borta", "away"),
    "serve_locked": ("låst", "locked"),
    "serve_lock": ("Lås", "Lock"),
    "serve_remove_check": ("Ta bort", "Remove"),
    "serve_move": ("Flytta", "Move"),
    "serve_move_to": ("ny starttid", "new start"),
    "serve_plan_map": ("Karta", "Map"),
    "serve_changes": ("Ändringar", "Changes"),
    "serve_no_changes": ("Inga ändringar för veckan.", "No changes for the week."),
    "serve_undo": ("ångra", "undo"),
    "serve_edit_lock": ("låst kontroll", "locked check"),
    "serve_edit_forbid": ("spärrad", "forbidden"),
    "serve_edit_away": ("lag borta", "team away"),
    "serve_all_sites": ("alla platser", "all sites"),
    "serve_whole_time": ("hela tiden", "all the time"),
    "serve_whole_week": ("hela veckan", "whole week"),
    "serve_team_away": ("Lag borta", "Team away"),
    "serve_mark_away": ("Markera borta", "Mark away"),
    "serve_forbid": ("Spärra plats eller tid", "Forbid a site or time"),
    "serve_forbid_button": ("Spärra", "Forbid"),
    "serve_from": ("Från", "From"),
    "serve_to": ("Till", "To"),
    "serve_date": ("Datum", "Date"),
    "serve_issued_files": ("Utskickade filer", "Issued files"),
    "serve_nothing_to_issue": ("Inget att skicka ut för {week}: planera om först.",
                               "Nothing to issue for {week}: re-plan first."),
    "serve_bad_edit": ("Ändringen gick inte att göra: {error}", "The change failed: {error}"),
    "serve_checks_done_help": ("Resultaten blir kontroller i checks_done/ och används nästa "
                               "gång veckan planeras.", "The results become checks in "
                               "checks_done/ and are used the next time a week is planned."),
    "serve_enter_check": ("Skriv in en kontroll", "Enter a check"),
    "serve_upload_sheets": ("Läs in ifyllda dagblad", "Upload filled-in day sheets"),
    "serve_vehicles_checked": ("Kontrollerade fordon", "Vehicles checked"),
    "serve_violations": ("Överträdelser", "Violations"),
    "serve_max_speed": ("Högsta hastighet (km/h)", "Highest speed (km/h)"),
    "serve_save": ("Spara", "Save"),
    "serve_missing_libraries": (
        "trafikplan serve behöver webbiblioteken ({names}): installera dem med "
        ".venv/bin/pip install -e '.[serve]'",
        "trafikplan serve needs the web libraries ({names}): install them with "
        ".venv/bin/pip install -e '.[serve]'"),
    "serve_no_users": ("inga användare i {folder}/users.toml: en server som inte bara lyssnar "
                       "på localhost kräver inloggning; lägg till med trafikplan serve "
                       "{folder} --add-user NAMN --role police|kommun",
                       "no users in {folder}/users.toml: a server not bound to localhost "
                       "needs logins; add one with trafikplan serve {folder} --add-user NAME "
                       "--role police|kommun"),
    "serve_role_needed": ("--add-user behöver --role police eller --role kommun",
                          "--add-user needs --role police or --role kommun"),
    "serve_user_added": ("Användaren {name} ({role}) sparad i {file}",
                         "User {name} ({role}) saved in {file}"),
    "serve_listening": ("Trafikplan på {url} (data: {folder}); avsluta med Ctrl+C",
                        "Trafikplan at {url} (data: {folder}); stop with Ctrl+C"),
}
"""Key -> (Swedish, English) of the web app (``trafikplan serve``)."""

TEXT.update(SERVE_TEXT)


WEEKDAYS = {
    "sv": ("mån", "tis", "ons", "tor", "fre", "lör", "sön"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
"""Short weekday names, Monday first (weekday 1 = Monday)."""

_PARTS = (ERRORS, SETTINGS_ERRORS, FORMATS_TEXT)
_CLASH = [k for i, part in enumerate(_PARTS) for k in part
          if k in TEXT or any(k in other for other in _PARTS[:i])]
assert not _CLASH, f"keys twice in the dictionary: {sorted(_CLASH)}"
for _part in _PARTS:  # one dictionary: errors, warnings and command texts are in it too
    TEXT.update(_part)

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

_LO_HI = {"_lo": ("nedre 95 %", "lower 95 %"), "_hi": ("övre 95 %", "upper 95 %")}

COLUMNS: dict[str, tuple[str, str]] = {
    "site_id": ("plats", "site"),
    "street": ("gata", "street"),
    "section": ("sträcka", "section"),
    "area": ("område", "area"),
    "speed_limit": ("hastighetsgräns [km/h]", "speed limit [km/h]"),
    "direction": ("riktning", "direction"),
    "date": ("datum", "date"),
    "hour_start": ("timme från", "hour from"),
    "weekday": ("veckodag", "weekday"),
    "hour_of_day": ("timme", "hour"),
    "basis": ("underlag", "basis"),
    "n": ("fordon (n)", "vehicles (n)"),
    "n_days": ("dagar", "days"),
    "n_hours": ("timmar", "hours"),
    "mean_speed": ("medelhastighet [km/h]", "mean speed [km/h]"),
    "sd": ("standardavvikelse [km/h]", "standard deviation [km/h]"),
    "v50": ("V50 [km/h]", "V50 [km/h]"),
    "v85": ("V85 [km/h]", "V85 [km/h]"),
    "v95": ("V95 [km/h]", "V95 [km/h]"),
    "share_over_limit": ("andel över gränsen", "share over the limit"),
    "share_over_10": ("andel över gränsen +10", "share over limit +10"),
    "share_over_20": ("andel över gränsen +20", "share over limit +20"),
    "share_over_30": ("andel över gränsen +30", "share over limit +30"),
    "vehicles_per_hour": ("fordon per timme", "vehicles per hour"),
    "n_classified": ("fordon med klass", "classified vehicles"),
    "share_heavy": ("andel tunga", "share heavy"),
    "n_excluded_headway": ("utelämnade (kort tidlucka)", "left out (short headway)"),
    "focus": ("fokusgata", "focus street"),
    "score": ("poäng", "score"),
    "flagged": ("flaggad", "flagged"),
    "kind": ("slag", "kind"),
    "reason": ("skäl", "reason"),
    "extreme_n": ("fordon över +30", "vehicles over +30"),
    "lap_passes": ("snabba passager i varvkörning", "fast passes in laps"),
    "slow_groups": ("grupper långsamma fordon", "groups of slow vehicles"),
    "short_headways_at_speed": ("korta tidluckor i hög fart", "short headways at speed"),
    "night_excess": ("natt-V85 över dagtid [km/h]", "night V85 over daytime [km/h]"),
    "reports_n": ("rapporter i timmen", "reports in the hour"),
    "reports_window_n": ("rapporter ±1 h", "reports ±1 h"),
    "reports_by_category": ("rapporter per kategori", "reports by category"),
    "checks_n": ("kontroller", "checks"),
    "vehicles_checked": ("kontrollerade fordon", "vehicles checked"),
    "violations": ("över gränsen", "violations"),
    "violation_rate": ("andel över gränsen vid kontroll", "violation rate"),
    "last_check_start": ("senaste kontroll", "last check"),
    "outcome_reason": ("förra kontrollen", "last check's outcome"),
    "team": ("grupp", "team"),
    "start": ("start", "start"),
    "end": ("slut", "end"),
    "value": ("värde", "value"),
    "counter": ("mätare", "counter"),
    "install": ("upp", "install"),
    "remove": ("ner", "remove"),
    "purpose": ("syfte", "purpose"),
    "counter_kind": ("mätartyp", "counter kind"),
    "measure_id": ("åtgärd", "measure"),
    "days": ("dagar", "days"),
    "built": ("byggd", "built"),
    "before_from": ("före från", "before from"),
    "before_to": ("före till", "before to"),
    "after_from": ("efter från", "after from"),
    "after_to": ("efter till", "after to"),
    "days_before": ("dagar före", "days before"),
    "days_after": ("dagar efter", "days after"),
    "n_before": ("fordon före", "vehicles before"),
    "n_after": ("fordon efter", "vehicles after"),
    "mean_before": ("medel före [km/h]", "mean before [km/h]"),
    "mean_after": ("medel efter [km/h]", "mean after [km/h]"),
    "mean_diff": ("medel, förändring [km/h]", "mean, change [km/h]"),
    "v85_before": ("V85 före [km/h]", "V85 before [km/h]"),
    "v85_after": ("V85 efter [km/h]", "V85 after [km/h]"),
    "v85_diff": ("V85, förändring [km/h]", "V85, change [km/h]"),
    "share_over_limit_before": ("andel över gränsen före", "share over limit before"),
    "share_over_limit_after": ("andel över gränsen efter", "share over limit after"),
    "share_diff": ("andel över gränsen, förändring", "share over limit, change"),
    "volume_change": ("trafikmängd, förändring", "volume, change"),
    "comparison_site_id": ("jämförelseplats", "comparison site"),
    "comparison_street": ("jämförelsegata", "comparison street"),
    "did": ("skillnad i skillnader [km/h]", "difference in differences [km/h]"),
    "regression_to_mean": ("risk för regression mot medelvärdet", "regression to the mean"),
    "diversion": ("trafik flyttad", "diversion"),
    "verdict": ("bedömning", "verdict"),
    "level": ("nivå", "level"),
    "window": ("fönster efter kontrollen", "window after the check"),
    "from_hours": ("från [h]", "from [h]"),
    "to_hours": ("till [h]", "to [h]"),
    "n_baseline": ("fordon före", "vehicles before"),
    "mean_baseline": ("medel före [km/h]", "mean before [km/h]"),
    "share_after": ("andel över gränsen efter", "share over limit after"),
    "share_baseline": ("andel över gränsen före", "share over limit before"),
    "significant": ("säker förändring", "significant"),
    "halo_hours": ("tidshalo [h]", "time halo [h]"),
    "file": ("fil", "file"),
    "status": ("läge", "status"),
    "profile": ("format", "profile"),
    "rows": ("rader", "rows"),
    "rejected": ("utsorterade", "set aside"),
    "count": ("antal", "count"),
    "description": ("betyder", "what it means"),
    "category": ("kategori", "category"),
    "time": ("tid", "time"),
    "category_raw": ("kategori som exporterad", "category as exported"),
    "check_spot": ("kontrollplats", "check spot"),
    "column": ("kolumn", "column"),
    "fines": ("böter", "fines"),
    "headway": ("tidlucka [s]", "headway [s]"),
    "lat": ("latitud", "latitude"),
    "lon": ("longitud", "longitude"),
    "length": ("längd [m]", "length [m]"),
    "line": ("rad", "line"),
    "max_speed": ("högsta hastighet [km/h]", "highest speed [km/h]"),
    "notes": ("anteckningar", "notes"),
    "report_id": ("ärende", "report"),
    "source": ("fil", "file"),
    "speed": ("hastighet [km/h]", "speed [km/h]"),
    "speed_lo": ("hastighet från [km/h]", "speed from [km/h]"),
    "speed_hi": ("hastighet till [km/h]", "speed to [km/h]"),
    "text": ("text", "text"),
    "vehicle_class": ("fordonsklass", "vehicle class"),
    "warnings": ("varningar", "warnings"),
}
"""Column name -> (Swedish, English) header in printed tables and spreadsheets.

A column ``x_lo`` / ``x_hi`` is headed by ``x``'s header and "nedre/övre 95 %".
"""


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


def _index(language: str) -> int:
    try:
        return LANGUAGES.index(language)
    except ValueError:
        raise InputError(f"language must be 'sv' or 'en', got {language!r}") from None


def text(key: str, language: str, **values: object) -> str:
    """Return the sentence ``key`` in ``language``, with ``values`` filled in.

    Raises
    ------
    KeyError
        For an unknown key (a programming error, found by the tests).
    InputError
        For a language other than ``sv`` or ``en``.
    """
    words = TEXT[key][_index(language)]
    return words.format(**values) if values else words


def phrase_text(key: str, language: str, values: dict[str, object]) -> str:
    """Word the :class:`~trafikplan._errors.Phrase` ``key`` with ``values`` in ``language``.

    Values that are phrases themselves are worded in the same language; a key
    that is not in :data:`TEXT` is a literal text (filled in when it has values).
    """
    i = _index(language)
    filled = {k: v.text(language) if isinstance(v, Phrase)
              else code(v.vocabulary, v.value, language) if isinstance(v, Code) and language != "en"
              else v for k, v in values.items()}
    if key in TEXT:
        return TEXT[key][i].format(**filled)
    return key.format(**filled) if filled else key


def texts(language: str) -> dict:
    """Return every :data:`TEXT` sentence in ``language`` as a dict (for templates).

    Parameters
    ----------
    language : str
        ``"sv"`` or ``"en"``.

    Returns
    -------
    dict
        Key -> text; ``weekday_names``, ``category_names``, ``kind_names``
        and ``plan_status`` are added as tuple/dicts of names.

    Raises
    ------
    InputError
        For any other language.
    """
    i = _index(language)
    out: dict = {k: v[i] for k, v in TEXT.items()}
    out["weekday_names"] = WEEKDAYS[language]
    out["category_names"] = CATEGORIES[language]
    out["kind_names"] = KINDS[language]
    out["plan_status"] = PLAN_STATUS[language]
    return out


def code(vocabulary: str, value: object, language: str) -> str:
    """Return the name of code ``value`` of ``vocabulary`` (a :data:`CODES` key) for a person.

    ``;``-joined codes (the flag ``kind``) become a comma list; an unknown code
    is returned as it is (free text such as a measure's kind).
    """
    i = _index(language)
    names = CODES[vocabulary]
    if isinstance(value, str) and ";" in value:
        return ", ".join(names[v][i] if v in names else v for v in value.split(";") if v)
    try:
        hit = names.get(value)  # type: ignore[call-overload]
    except TypeError:  # unhashable
        hit = None
    return hit[i] if hit is not None else ("" if value is None else str(value))


def column(name: str, language: str) -> str:
    """Return the header of column ``name`` for a person (the name itself when unknown)."""
    i = _index(language)
    if name in COLUMNS:
        return COLUMNS[name][i]
    for suffix, words in _LO_HI.items():
        base = name.removesuffix(suffix)
        if base != name and base in COLUMNS:
            return f"{COLUMNS[base][i]}, {words[i]}"
    return name


def reject_meaning(reason: str, language: str) -> str:
    """Return what a reject reason means, in ``language`` (the reason itself if unknown)."""
    from trafikplan.columns import REJECT_REASONS

    table = REJECT_REASONS_SV if language == "sv" else REJECT_REASONS
    return table.get(reason, reason)


_THOUSANDS = {"sv": "\u202f", "en": ","}
"""Thousands separator: a narrow no-break space in Swedish (it never breaks a number)."""


def number(value: float | None, digits: int, language: str, *, sign: bool = False) -> str:
    """Format a number for a person: the one number format of the package.

    Swedish: decimal comma, a narrow no-break space (U+202F) between
    thousands, a real minus sign (``−1 234,5``); English: ``−1,234.5``.

    Parameters
    ----------
    value : float
        The number (None or NaN give an empty string).
    digits : int
        Decimals.
    language : str
        ``"sv"`` or ``"en"``.
    sign : bool
        Show ``+`` on positive numbers (changes).
    """
    if value is None or value != value:
        return ""
    if value in (float("inf"), float("-inf")):  # an open speed class: "90 to ∞"
        return "\u221e" if value > 0 else "\u2212\u221e"
    value = round(float(value), digits) + 0.0  # no "−0" for a tiny negative value
    body = f"{value:+,.{digits}f}" if sign else f"{value:,.{digits}f}"
    body = body.replace(",", "\0").replace(".", "," if language == "sv" else ".")
    return body.replace("\0", _THOUSANDS.get(language, ",")).replace("-", "\u2212")


def integer(value: float | None, language: str) -> str:
    """Format a count: ``1 466 744`` (Swedish), ``1,466,744`` (English)."""
    return number(value, 0, language)


def percent(share: float | None, language: str, digits: int = 0) -> str:
    """Format a share (0–1) as per cent: ``35 %`` (a space before ``%`` in both languages)."""
    if share is None or share != share:
        return ""
    return f"{number(100.0 * float(share), digits, language)} %"


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


def points_change(value: float, lo: float, hi: float, language: str) -> str:
    """Format a change of a share (0–1) in percentage points with its interval.

    ``−16 %-enh. (−17 till −15)`` in Swedish, ``−16 pp (−17 to −15)`` in English.
    """
    unit = " %-enh." if language == "sv" else " pp"
    return interval(value, lo, hi, 0, language, sign=True, scale=100.0, unit=unit)


def vehicle_total(single: int, binned: int | None, bin_rows: int, language: str) -> str:
    """Return the one vehicle total: recorded one by one plus counted in speed classes.

    Parameters
    ----------
    single : int
        Per-vehicle records (rows of the vehicles table).
    binned : int or None
        Vehicles counted by binned counters (sum of the bins' ``count``); None
        when unknown (a store written before the count was kept).
    bin_rows : int
        Rows of the bins table.
    language : str
        ``"sv"`` or ``"en"``.
    """
    if not bin_rows:
        return text("vehicle_total_single", language, total=integer(single, language))
    if binned is None:
        return text("vehicle_total_unknown", language, single=integer(single, language),
                    bin_rows=integer(bin_rows, language))
    return text("vehicle_total", language, total=integer(single + binned, language),
                single=integer(single, language), binned=integer(binned, language),
                bin_rows=integer(bin_rows, language))


def for_people(df: pd.DataFrame, language: str, *, codes: dict[str, str] | None = None,
               weekday_names: bool = False) -> pd.DataFrame:
    """Return ``df`` with its code values named and its headers translated.

    Parameters
    ----------
    df : DataFrame
        Any table with column names of :data:`COLUMNS`.
    language : str
        ``"sv"`` or ``"en"``.
    codes : dict, optional
        Column -> :data:`CODES` vocabulary, on top of :data:`COLUMN_CODES`
        (e.g. ``{"status": "import_status"}``).
    weekday_names : bool
        Write ``weekday`` (1 = Monday) as its number and short name (``5 fre``).

    Returns
    -------
    DataFrame
        Values kept in their types (numbers stay numbers, booleans stay
        booleans); code columns become text; headers from :func:`column`.
    """
    out = df.copy()
    vocab = {**COLUMN_CODES, **(codes or {})}
    for col in out.columns:
        if col in vocab and out[col].dtype != bool:
            name = vocab[col]
            out[col] = out[col].map(lambda v, n=name: v if v is None or v != v
                                    else code(n, v, language)).astype(object)
    if weekday_names and "weekday" in out.columns:
        names = WEEKDAYS[language]
        out["weekday"] = out["weekday"].map(  # "5 fre": readable and still sorts right
            lambda w: f"{int(w)} {names[int(w) - 1]}" if w == w and w is not None else ""
        ).astype(object)
    out.columns = [column(str(c), language) for c in out.columns]
    return out
