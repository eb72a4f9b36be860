"""What ``trafikplan formats`` says: profiles listed, checked on a file, drafted.

Part of the one dictionary (:data:`trafikplan.i18n.TEXT`). The shipped
profiles' descriptions are English in their TOML files (a profile is a file a
person may copy and edit); their Swedish wording is here, keyed by profile name
(:data:`PROFILE_DESCRIPTIONS`).
"""

from __future__ import annotations

__all__ = ["FORMATS_TEXT", "PROFILE_DESCRIPTIONS"]

FORMATS_TEXT: dict[str, tuple[str, str]] = {
    "fmt_list_title": ("Formatprofiler (provas i den här ordningen)",
                       "Format profiles (tried in this order)"),
    "fmt_col_profile": ("format", "profile"),
    "fmt_col_kind": ("innehåll", "kind"),
    "fmt_col_from": ("var", "from"),
    "fmt_col_description": ("beskrivning", "description"),
    "fmt_col_fits": ("passar", "fits"),
    "fmt_col_why": ("varför", "why"),
    "fmt_shipped": ("medföljer", "shipped"),
    "fmt_check_title": ("Profilerna provade på {file}", "Profiles tried on {file}"),
    "fmt_none_fits": ("Ingen profil läser filen. Gör ett utkast med: trafikplan formats draft "
                      "{file} -d {folder}",
                      "No profile reads this file. Start one with: trafikplan formats draft "
                      "{file} -d {folder}"),
    "fmt_first_rows": ("De första {rows} raderna lästa med {profile} (tider i UTC, hastigheter "
                       "i km/h)",
                       "First {rows} rows read with {profile} (times UTC, speeds km/h)"),
    "fmt_reject_line": ("rad {line}: utsorterad ({reason}), kolumn {column}: {value}",
                        "line {line}: set aside ({reason}) column {column}: {value}"),
    "fmt_draft_rows": ("De första raderna lästa med utkastet (tider i UTC, hastigheter i km/h)",
                       "First rows read with the draft (times UTC, speeds km/h)"),
    "fmt_draft_review": ("Granska raderna märkta CHECK, sedan: trafikplan formats check {file} "
                         "-d {folder}",
                         "Review the lines marked CHECK, then: trafikplan formats check {file} "
                         "-d {folder}"),
    # ---- why a profile does (not) read a file
    "fmt_for_xlsx": ("för .xlsx-filer", "for .xlsx files"),
    "fmt_for_text": ("för textfiler", "for text files"),
    "fmt_header_row_found": ("rubrikraden hittad", "header row found"),
    "fmt_header_on_line": ("rubrikrad på rad {line}", "header on line {line}"),
    "fmt_first_data_line": ("första dataraden är rad {line}", "first data line {line}"),
    "fmt_but": ("{where}, men {error}", "{where}, but {error}"),
    "fmt_reads": ("{where}; läser {columns}", "{where}; reads {columns}"),
    "fmt_fits_too": ("skulle också passa ({why}), men en tidigare profil används",
                     "would fit too ({why}), but an earlier profile is used"),
}
"""Key -> (Swedish, English) of ``trafikplan formats``."""

PROFILE_DESCRIPTIONS: dict[str, str] = {
    "checks_done": "trafikplans CSV över genomförda kontroller: grupp, start, slut, plats eller "
                   "gata, kontrollerade fordon, överträdelser (UTF-8, ISO-tider med tidszon; "
                   "kolumnnamnen står i profilen)",
    "checks_done_xlsx": "trafikplans kolumner för genomförda kontroller i ett Excel-blad "
                        "(datum och tid i lokal tid)",
    "embrace_csv": "Embrace-export som CSV (Windows-1252, ';', svenska rubriker, lokal tid, "
                   "decimalkomma i WGS 84-koordinater)",
    "embrace_xlsx": "Embrace-export som Excel (bladet Ärenden, lokal tid, SWEREF 99 "
                    "TM-koordinater X = nordlig, Y = östlig)",
    "generic_reports": "trafikplans allmänna CSV för rapporter: id, tid, kategori, gata, "
                       "koordinater, text (UTF-8, ISO-tider med tidszon; kolumnnamnen står i "
                       "profilen)",
    "generic_vehicles": "trafikplans allmänna CSV med en rad per fordon: plats, tid, riktning, "
                        "hastighet, ev. längd och fordonsklass (kolumnnamnen står i profilen)",
    "jamar_speed_bins": "JAMAR/STARneXt, hastighetsklasser per 15 minuter (klasser i mph; "
                        "rapporten säger inte vilka kanaler den räknar: läses som en riktning "
                        "för alla)",
    "jamar_vehicles": "JAMAR/STARneXt slangmätare, export per fordon (mph, 12-timmarsklocka i "
                      "lokal tid, FHWA:s 13 klasser + 14 cykel, 15 oklassad)",
    "jamar_volume": "JAMAR/STARneXt, trafikmängd per 15 minuter och kanal utan "
                    "hastighetsklasser",
    "se_bins": "Svensk slangmätare, antal per timme, riktning och hastighetsklass (UTF-8 med "
               "BOM, ';', svensk normaltid hela året)",
    "se_radar": "Svensk radar, en rad per fordon (Windows-1252, ';', decimalkomma, lokal "
                "väggklocktid)",
}
"""Shipped profile name -> its description in Swedish (the TOML file's is English)."""
