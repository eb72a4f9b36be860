"""What the command line prints, in Swedish and English: summaries, titles, progress, ``run``.

Part of the one dictionary (:data:`trafikplan.i18n.TEXT`).
"""

from __future__ import annotations

__all__ = ["CLI_TEXT"]

CLI_TEXT: dict[str, tuple[str, str]] = {
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
    # usage errors (click's own messages are English; trafikplan.cli.usage_errors words them)
    "usage_missing_argument": ("argumentet {name} saknas", "missing argument {name}"),
    "usage_missing_option": ("alternativet {name} saknas", "missing option {name}"),
    "usage_no_such_option": ("okänt alternativ {name!r}", "no such option {name!r}"),
    "usage_did_you_mean": ("menade du {names}?", "did you mean {names}?"),
    "usage_no_such_command": ("okänt kommando {name!r}; kommandona: {names}",
                              "no such command {name!r}; the commands: {names}"),
    "usage_bad_value": ("ogiltigt värde för {name}: väntade {expected}",
                        "invalid value for {name}: expected {expected}"),
    "usage_one_of": ("ett av {names}", "one of {names}"),
    "usage_integer": ("ett heltal", "a whole number"),
    "usage_number": ("ett tal", "a number"),
    "usage_path": ("en fil eller mapp som finns", "a file or folder that exists"),
    "usage_help": ("se trafikplan --help", "see trafikplan --help"),
}
"""Key -> (Swedish, English) of the command line's summaries, titles and progress lines."""
