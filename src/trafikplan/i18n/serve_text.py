"""The web app's words (``trafikplan serve``), in Swedish and English.

Part of the one dictionary (:data:`trafikplan.i18n.TEXT`).
"""

from __future__ import annotations

__all__ = ["SERVE_TEXT"]

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
