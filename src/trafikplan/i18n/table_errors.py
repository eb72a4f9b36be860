"""What is wrong with a small table or a text file, in Swedish and English.

sites.csv, measures.csv, counter_fleet.csv, roster.csv and the other tables a
person edits; decoding text files; the input limits.
Part of the one dictionary (:mod:`trafikplan.i18n.dictionary` says how an
error key is raised and worded).
"""

from __future__ import annotations

__all__ = ["TABLE_ERRORS"]

TABLE_ERRORS: dict[str, tuple[str, str]] = {
    "err_column": ("kolumn {column!r}", "column {column!r}"),
    "err_option": ("alternativet {column!r}", "option {column!r}"),
    # ---- small tables (sites.csv, measures.csv, roster.csv, counter_fleet.csv ...)
    "err_missing_column": (
        "kolumnen {name!r} saknas: väntade {expected}; fann {found} (avgränsare {delimiter!r})",
        "missing column {name!r}: expected {expected}; found {found} (delimiter {delimiter!r})"),
    "err_nothing": ("ingenting", "nothing"),
    "err_field_count": (
        "{n} fält, väntade {width} som i rubrikraden (avgränsare {delimiter!r}); tips: sätt "
        "citattecken runt text som innehåller {delimiter!r}",
        "{n} fields, expected {width} as in the header (delimiter {delimiter!r}); hint: quote "
        "text that contains {delimiter!r}"),
    "err_wrong_delimiter": (
        "fel avgränsare (rubrikraden är avgränsad med {other!r}): väntade kolumner avgränsade "
        "med ',' eller ';'; tips: spara filen som CSV med komma eller semikolon",
        "wrong delimiter (the header is separated by {other!r}): expected the columns "
        "separated by ',' or ';'; hint: save the file as CSV with comma or semicolon"),
    "err_no_header_50": ("ingen rubrikrad bland de första 50 raderna",
                         "no header line in the first 50 lines"),
    "err_no_header_match_50": (
        "ingen rubrikrad som passar {pattern!r} bland de första 50 raderna",
        "no header line matching {pattern!r} in the first 50 lines"),
    "err_broken_quoting": (
        "trasiga citattecken ({detail}): väntade att citerad text slutar med ett citattecken",
        "broken quoting ({detail}): expected quoted text to end with a quote"),
    "err_header_only_quotes": (
        "ingen rubrikrad: rubriken innehåller bara citattecken eller avgränsare",
        "no header line: the header holds nothing but quotes or delimiters"),
    "err_unterminated_quote": (
        "citattecknet avslutas aldrig: en citerad text som börjar i den här posten tar aldrig "
        "slut; väntade ett avslutande '\"'",
        "unterminated quote: a quoted text starting in this record never ends; expected a "
        "closing '\"'"),
    "err_empty_sheet": ("tomt blad: väntade en rubrikrad och datarader",
                        "empty sheet: expected a header row and data rows"),
    "err_no_header_row_match": (
        "ingen rubrikrad som passar {pattern!r} bland de första 50 raderna",
        "no header row matching {pattern!r} in the first 50 rows"),
    "err_no_header_row": ("ingen rubrikrad", "no header row"),
    "err_file_not_found": ("filen finns inte", "file not found"),
    "err_duplicate_column": (
        "kolumnnamnet {name!r} finns två gånger (kolumn {first} och {second}): väntade varje "
        "kolumn en gång",
        "duplicate column name {name!r} (columns {first} and {second}): expected every column "
        "once"),
    "err_dates_both_orders": (
        "datum i båda ordningarna: rad {day_first} kan bara vara dag/månad/år, rad "
        "{month_first} bara månad/dag/år; väntade en ordning i en kolumn (ISO 2024-11-04 är "
        "aldrig tvetydigt)",
        "dates of both orders: line {day_first} can only be day/month/year, line "
        "{month_first} only month/day/year; expected one order in a column (ISO 2024-11-04 "
        "is never ambiguous)"),
    "err_ambiguous_date": (
        "tvetydigt datum {value!r}: det kan läsas som {day_first} (dagen först) eller "
        "{month_first} (månaden först), och inget datum i kolumnen avgör vilket; väntade "
        "ISO-datum ÅÅÅÅ-MM-DD (2024-11-04) eller minst en dag över 12",
        "ambiguous date {value!r}: it reads as {day_first} (day first) or {month_first} "
        "(month first), and no date of this column tells which; expected ISO dates YYYY-MM-DD "
        "(2024-11-04) or at least one day over 12"),
    "err_date": (
        "väntade ett datum ÅÅÅÅ-MM-DD (eller DD/MM/ÅÅÅÅ) eller inget, fick {value!r}",
        "expected a date YYYY-MM-DD (or DD/MM/YYYY) or nothing, got {value!r}"),
    # ---- sites.csv
    "err_an_empty_value": ("ett tomt värde", "an empty value"),
    "err_not_a_number": ("{what} är inget tal: väntade {expected}",
                         "{what} is not a number: expected {expected}"),
    "err_expect_limit": ("hastighetsgränsen i km/h (t.ex. 40, eller 35 mph)",
                         "the speed limit in km/h (e.g. 40, or 35 mph)"),
    "err_expect_lat": ("WGS 84-latitud i grader (t.ex. 59.51)",
                       "WGS 84 latitude in degrees (e.g. 59.51)"),
    "err_expect_lon": ("WGS 84-longitud i grader (t.ex. 15.99)",
                       "WGS 84 longitude in degrees (e.g. 15.99)"),
    "err_expect_sweref": ("SWEREF 99 TM-koordinat i meter", "SWEREF 99 TM coordinate in metres"),
    "err_not_yes_no": (
        "{value!r} är inget ja/nej-värde: väntade true/false, ja/nej, yes/no, 1/0 eller x/tomt",
        "{value!r} is not a yes/no value: expected true/false, ja/nej, yes/no, 1/0 or x/empty"),
    "err_coords": ("koordinaterna {what}: {expected}", "coordinates {what}: {expected}"),
    "err_coords_expect_sweden": (
        "väntade WGS 84-latitud {lat0}-{lat1} och longitud {lon0}-{lon1} (Sverige)",
        "expected WGS 84 latitude {lat0}-{lat1} and longitude {lon0}-{lon1} (Sweden)"),
    "err_coords_expect_near": ("väntade WGS 84-grader nära de andra platserna",
                               "expected WGS 84 degrees near the other sites"),
    "err_coords_zero": ("0, 0 är ingen plats (en tom koordinat skriven som noll?)",
                        "0, 0 is no place (an empty coordinate written as zero?)"),
    "err_coords_swapped": (
        "lat {lat} och lon {lon} ser ut att ha bytt plats: {lon}, {lat} vore i Sverige",
        "lat {lat} and lon {lon} look swapped: {lon}, {lat} would be in Sweden"),
    "err_coords_abroad": ("{lat}, {lon} ligger utanför Sverige", "{lat}, {lon} is outside Sweden"),
    "err_coords_far": (
        "{lat}, {lon} ligger mer än {km} km från de andra platserna (kommunens område)",
        "{lat}, {lon} is more than {km} km from the other sites (the municipality's area)"),
    "err_sites_missing_column": (
        "kolumnen {name} saknas: väntade site_id, street, speed_limit och lat, lon (eller x, "
        "y); fann {found}",
        "missing column {name}: expected site_id, street, speed_limit and lat, lon (or x, y); "
        "found {found}"),
    "err_no_sites": ("inga platser: väntade en rad per plats under rubrikraden",
                     "no sites: expected one row per site below the header"),
    "err_empty_site_id": ("tomt plats-id: väntade ett id för varje plats",
                          "empty site_id: expected an id for every site"),
    "err_duplicate_site": (
        "plats-id {site!r} finns två gånger (först på rad {first}): väntade varje plats-id en "
        "gång",
        "duplicate site_id {site!r} (first on line {first}): expected every site_id once"),
    "err_limit_implausible": (
        "{value!r} är ingen rimlig hastighetsgräns: väntade km/h mellan 5 och 130",
        "{value!r} is no plausible speed limit: expected km/h between 5 and 130"),
    "err_no_coords": (
        "inga koordinater: väntade lat, lon (WGS 84) eller x, y (SWEREF 99 TM)",
        "no coordinates: expected lat, lon (WGS 84) or x, y (SWEREF 99 TM)"),
    "err_coords_range": (
        "koordinaterna {lat}, {lon} ligger utanför giltigt område: väntade WGS 84-grader; tips: "
        "SWEREF 99 TM-meter hör hemma i kolumnerna x, y",
        "coordinates {lat}, {lon} out of range: expected WGS 84 degrees; hint: SWEREF 99 TM "
        "metres belong in columns x, y"),
    "err_control_char": (
        "{what} '{value}' innehåller styrtecknet U+{code}: väntade skrivbar text",
        "{what} '{value}' holds the control character U+{code}: expected printable text"),
    "err_same_but_case": (
        "{what} '{value}' och '{other}' (rad {other_line}) skiljer sig bara i stora/små bokstäver "
        "eller osynliga tecken: väntade en stavning för ett {what}; tips: skriv båda likadant "
        "eller ge dem olika namn",
        "{what} '{value}' and '{other}' (line {other_line}) differ only in case or invisible "
        "characters: expected one spelling for one {what}; hint: write both the same way, or "
        "give them distinct names"),
    # ---- text files
    "err_utf16_broken": (
        "trasig UTF-16-text ({detail}): väntade UTF-16 med byte order mark rakt igenom; tips: "
        "spara filen som UTF-8",
        "broken UTF-16 text ({detail}): expected UTF-16 with a byte order mark throughout; "
        "hint: save the file as UTF-8"),
    "err_mixed_encodings": (
        "blandade teckenkodningar: raden innehåller UTF-8-text ({char!r} som byte {hex}) men "
        "filen läses som {encoding}{other}; väntade en kodning i hela filen. Tips: spara filen "
        "igen i en kodning (UTF-8)",
        "mixed encodings: this line holds UTF-8 text ({char!r} as bytes {hex}) but the file is "
        "read as {encoding}{other}; expected one encoding in the whole file. Hint: save the "
        "file again in one encoding (UTF-8)"),
    "err_mixed_other": ("; rad {line} innehåller byte {byte}, som inte är UTF-8",
                        "; line {line} holds byte {byte}, which is not UTF-8"),
    "err_cannot_open": ("kan inte öppna filen ({detail})", "cannot open the file ({detail})"),
    "err_utf16_counter": (
        "UTF-16-text (byte order mark {bom}): en räknarfil läses som UTF-8 eller Windows-1252; "
        "tips: spara den som UTF-8 (i Excel: CSV UTF-8)",
        "UTF-16 text (byte order mark {bom}): a counter file is read as UTF-8 or Windows-1252; "
        "hint: save it as UTF-8 (in Excel: CSV UTF-8)"),
    "err_gzip_cut": (
        "den komprimerade filen är avkortad eller skadad ({detail}); filen ser ut att vara en "
        "ofullständig kopia (kopiera den igen från där den kom)",
        "compressed file is cut off or damaged ({detail}); the file looks like an incomplete "
        "copy (copy it again from where it came from)"),
    "err_cannot_read": ("kan inte läsa filen ({detail})", "cannot read the file ({detail})"),
    "err_empty_file": ("tom fil: väntade en rubrikrad och datarader",
                       "empty file: expected a header line and data rows"),
    "err_bare_cr": (
        "raderna slutar med bara CR (gammal Mac): väntade LF eller CRLF; tips: spara filen igen "
        "med Windows- eller Unix-radslut",
        "line ends are bare CR (classic Mac): expected LF or CRLF line ends; hint: save the "
        "file again with Windows or Unix line ends"),
    "err_utf16_no_bom": (
        "UTF-16-text utan byte order mark: väntade UTF-8 eller Windows-1252; tips: spara filen "
        "som UTF-8 (i Excel: CSV UTF-8)",
        "UTF-16 text without a byte order mark: expected UTF-8 or Windows-1252; hint: save "
        "the file as UTF-8 (in Excel: CSV UTF-8)"),
    "err_binary": (
        "binärt innehåll (NUL- eller styrbyte): väntade en textfil; tips: är det här räknarens "
        "egen databas eller ett komprimerat arkiv i stället för dess textexport?",
        "binary content (NUL or control bytes): expected a text file; hint: is this the "
        "counter's own database or a compressed archive rather than its text export?"),
    "err_wrong_encoding": (
        "fel teckenkodning: byte {bad} kan inte avkodas som {encodings} (de kodningar "
        "formatprofilen väntar sig); tips: spara filen i en av dem eller lägg till kodningen i "
        "profilens `encodings`",
        "wrong encoding: bytes {bad} cannot be decoded as {encodings} (the encodings the "
        "format profile expects); hint: save the file in one of them or add the encoding to "
        "the profile's `encodings`"),
    "err_or": (" eller ", " or "),
    "err_xlsx": ("kan inte läsas som .xlsx ({detail}): väntade en Excel-arbetsbok",
                 "cannot be read as .xlsx ({detail}): expected an Excel workbook"),
    # ---- measures.csv, counter_fleet.csv
    "err_measures_missing": (
        "filen finns inte; väntade en CSV med kolumnerna {columns}",
        "file not found; expected a CSV with columns {columns}"),
    "err_empty_expected": ("tomt; väntade {what}", "empty; expected {what}"),
    "err_need_measure_id": ("ett åtgärds-id", "a measure id"),
    "err_need_street": ("gatunamnet", "the street name"),
    "err_need_measure_site": ("åtgärdens plats-id (sites.csv)",
                              "the site id of the measure (sites.csv)"),
    "err_need_counter": ("ett räknarnamn", "a counter name"),
    "err_measure_twice": (
        "åtgärds-id {mid!r} finns redan på rad {first}; id:n måste vara unika",
        "measure id {mid!r} already on line {first}; ids must be unique"),
    "err_comparison_own": (
        "jämförelseplatsen är åtgärdens egen plats; ange en plats på en gata utan åtgärd",
        "comparison site is the measure's own site; name a site on a street without a measure"),
    "err_counter_twice": (
        "räknaren {name!r} finns redan på rad {first}; namnen måste vara unika",
        "counter {name!r} already on line {first}; names must be unique"),
    "err_one_of": ("väntade en av {choices}, fick {value!r}",
                   "expected one of {choices}, got {value!r}"),
    "err_no_counters": ("inga räknare listade; planen behöver minst en",
                        "no counters listed; the plan needs at least one"),
    # ---- roster.csv
    "err_empty_time": (
        "tom tid; väntade ISO 8601 med tidsförskjutning, t.ex. 2024-10-07T14:00:00+02:00",
        "empty time; expected ISO 8601 with offset, e.g. 2024-10-07T14:00:00+02:00"),
    "err_time_iso": (
        "kan inte läsa {value!r} som en tid; väntade ISO 8601 med tidsförskjutning, t.ex. "
        "2024-10-07T14:00:00+02:00",
        "cannot read {value!r} as a time; expected ISO 8601 with offset, e.g. "
        "2024-10-07T14:00:00+02:00"),
    "err_time": ("kan inte läsa {value!r} som en tid", "cannot read {value!r} as a time"),
    "err_local_time": (
        "den lokala tiden {value!r} finns inte eller är tvetydig i {tz}; skriv den med "
        "tidsförskjutning",
        "local time {value!r} does not exist or is ambiguous in {tz}; write it with its offset"),
    "err_no_roster": (
        "ingen roster.csv: polisens pass (team,start,end) behövs för att planera kontroller",
        "no roster.csv: the police shifts (team,start,end) are needed to plan checks"),
    "err_row_fields": ("raden har {n} fält, väntade {width}",
                       "row has {n} fields, expected {width}"),
    "err_empty_team": ("tomt namn på patrullen", "empty team name"),
    "err_shift_order": (
        "passet slutar ({end}) före eller samtidigt som det börjar ({start})",
        "shift ends ({end}) before or when it starts ({start})"),
    "err_shift_long": (
        "ett pass på {hours} timmar ({start} till {end}): väntade högst {most}; tips: skriv "
        "datum som 2024-11-04",
        "shift of {hours} hours ({start} to {end}): expected at most {most}; hint: write dates "
        "as 2024-11-04"),
    # ---- limits
    "err_limit": (
        "{what}: över gränsen [limits] {setting} = {shown}; filen vägras. Tips: om filen är "
        "äkta, höj gränsen i trafikplan.toml",
        "{what}: over the limit [limits] {setting} = {shown}; the file is refused. Hint: if the "
        "file is genuine, raise the limit in trafikplan.toml"),
    "err_limit_line": ("rad på {kib} KiB", "line of {kib} KiB"),
    "err_limit_line_longer": ("rad längre än {kib} KiB", "line longer than {kib} KiB"),
    "err_limit_gzip": ("gzip-innehåll större än {mib} MiB", "gzip content larger than {mib} MiB"),
    "err_limit_gzip_ratio": (
        "gzip-innehållet är {ratio} gånger de komprimerade bytens storlek (en "
        "dekomprimeringsbomb?)",
        "gzip content {ratio} times the size of the compressed bytes (a decompression bomb?)"),
    "err_limit_table": ("större än {mib} MiB", "larger than {mib} MiB"),
    "err_limit_columns": ("{n} kolumner", "{n} columns"),
    "err_limit_parts": ("arbetsbokens delar anger {mib} MiB", "workbook parts declare {mib} MiB"),
    "err_limit_zip_ratio": ("delen {part!r} blåses upp {ratio} gånger (en zip-bomb?)",
                            "part {part!r} inflates {ratio} times (a zip bomb?)"),
    "err_limit_rows_xlsx": ("bladet har en rad {number}", "sheet holds a row {number}"),
}
"""Key -> (Swedish, English) of the errors of small tables, text files and limits."""
