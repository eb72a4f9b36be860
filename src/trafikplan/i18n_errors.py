"""What the io layer says to a person: errors and import warnings, in Swedish and English.

Part of the one dictionary (:data:`trafikplan.i18n.TEXT` takes these keys in):
every key maps to its ``(Swedish, English)`` pair, filled with ``str.format``
values. The io layer raises ``InputError("err_key", path=..., line=...,
column=..., **values)``; whoever shows it to a person words it in their
language (:meth:`trafikplan._errors.InputError.one_line`). Quoted values
(``{name!r}``) are data from the file, shown as written.
"""

from __future__ import annotations

__all__ = ["ERRORS"]

ERRORS: dict[str, tuple[str, str]] = {
    "err_column": ("kolumn {column!r}", "column {column!r}"),
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
    # ---- counter files
    "err_gzip_cut_counter": (
        "den komprimerade filen är avkortad eller skadad ({detail}); filen ser ut att vara en "
        "ofullständig kopia (kopiera den igen från räknaren)",
        "compressed file is cut off or damaged ({detail}); the file looks like an incomplete "
        "copy (copy it again from the counter)"),
    "err_lines_rows": (
        "{n_lines} rader men {n_rows} poster från rad {start} och framåt: ett citerat fält "
        "innehåller en radbrytning, eller raderna slutar med bara CR; väntade en post per rad "
        "som slutar med LF eller CR LF",
        "{n_lines} lines but {n_rows} rows from line {start} on: a quoted field holds a line "
        "break, or lines end in a bare CR; expected one row per line ending in LF or CR LF"),
    "err_rows_misfit": (
        "de flesta rader passar inte rubrikraden: den har {n_fields} fält, {n_bad} av de "
        "första {n_rows} raderna har ett annat antal (oftast {mostly}); väntade {delimiter!r} "
        "mellan fälten som i formatprofilen {profile!r}",
        "most rows do not fit the header: it has {n_fields} fields, {n_bad} of the first "
        "{n_rows} rows have a different number (mostly {mostly}); expected {delimiter!r} "
        "between fields as in format profile {profile!r}"),
    "err_truncated_line": (
        "avkortad sista rad: {actual} av {n_fields} fält och inget radslut; filen ser ut att "
        "vara en ofullständig kopia (kopiera den igen från räknaren)",
        "truncated last line: {actual} of {n_fields} fields and no line end; the file looks "
        "like an incomplete copy (copy it again from the counter)"),
    "err_missing_required": (
        "den obligatoriska kolumnen {raw!r} ({what}) i formatprofilen {profile!r} saknas; "
        "rubrikraden har: {names}",
        "missing required column {raw!r} ({what}) of format profile {profile!r}; the header "
        "has: {names}"),
    "err_what_site_id": ("plats-id", "site id"),
    "err_what_team": ("patrull", "team"),
    "err_what_total": ("leverantörens summa", "the vendor's total"),
    "err_no_site_id": ("inget plats-id: formatprofilen {profile!r} väntar sig det i {where}",
                       "no site id: format profile {profile!r} expects it in {where}"),
    "err_no_count_columns": (
        "inga antalskolumner: väntade kolumnnamn som passar {pattern!r} (formatprofilen "
        "{profile!r})",
        "no count columns: expected column names matching {pattern!r} (format profile "
        "{profile!r})"),
    "err_no_class_columns": (
        "inga hastighetsklasskolumner: väntade kolumnnamn som passar {patterns} (formatprofilen "
        "{profile!r}); rubrikraden har: {names}",
        "no speed-class columns: expected column names matching {patterns} (format profile "
        "{profile!r}); the header has: {names}"),
    "err_class_no_width": (
        "hastighetsklassen {raw!r} har ingen bredd ({lo} till {hi}): väntade en nedre gräns "
        "under den övre; tips: ett skrivfel i leverantörens rubrik, eller sätt [bins] "
        "upper_inclusive = true när '16-20' betyder 16 till och med 20",
        "speed class {raw!r} has no width ({lo} to {hi}): expected a lower edge below the upper "
        "edge; hint: a typing error in the vendor's header, or set [bins] upper_inclusive = "
        "true when '16-20' means 16 up to and including 20"),
    "err_classes_overlap": (
        "hastighetsklasserna {a!r} och {b!r} överlappar: väntade varje hastighet i bara en "
        "klass; tips: med heltalsetiketter som '16-20', '21-25' sätt [bins] upper_inclusive = "
        "true",
        "speed classes {a!r} and {b!r} overlap: expected each speed in one class only; hint: "
        "with whole-number labels such as '16-20', '21-25' set [bins] upper_inclusive = true"),
    "err_no_direction": ("ingen riktning: formatprofilen {profile!r} väntar sig den i {where}",
                         "no direction: format profile {profile!r} expects it in {where}"),
    "err_profile_not_counters": (
        "formatprofilen {profile!r} är för {kind}, inte för räknarfiler",
        "format profile {profile!r} is for {kind}, not for counter files"),
    "err_profile_not_text": (
        "formatprofilen {profile!r}: räknarfiler måste vara avgränsad text (file_type = 'text')",
        "format profile {profile!r}: counter files must be delimited text (file_type = 'text')"),
    "err_all_set_aside": (
        "varje rad ({total}) sorterades ut ({reason}): {shown}; väntade {expected} som "
        "formatprofilen {profile!r} säger; inget av filen lästes in (tips: `trafikplan formats "
        "check FILE` visar hur filen läses)",
        "every row ({total}) was set aside ({reason}): {shown}; expected {expected} as format "
        "profile {profile!r} says; nothing of this file was imported (hint: `trafikplan "
        "formats check FILE` shows how the file is read)"),
    "err_line_value": ("rad {n}: {value}", "line {n}: {value}"),
    "exp_time_unparsable": ("en tid i formatet {fmt!r}", "a time in format {fmt!r}"),
    "exp_time_in_dst_gap": (
        "en tid som finns i inställningarnas tidszon (inte i glappet när klockan ställs fram)",
        "a time that exists in the settings' time zone (not in the spring-forward gap)"),
    "exp_number": ("ett tal (decimaltecken {decimal!r})", "a number (decimal mark {decimal!r})"),
    "exp_speed_impossible": ("en hastighet inom gränserna i [import], i {unit}",
                             "a speed within the [import] limits, in {unit}"),
    "exp_value_missing": ("ett värde", "a value"),
    "exp_site_unknown": ("ett plats-id i sites.csv (tips: lägg till platsen i sites.csv)",
                         "a site id of sites.csv (hint: add the site to sites.csv)"),
    "exp_field_count": ("{fields} fält avgränsade med {delimiter!r} som i rubrikraden",
                        "{fields} fields separated by {delimiter!r} as in the header"),
    "exp_usable": ("ett användbart värde", "a usable value"),
    # ---- the import
    "err_file_changed": (
        "filen ändrades medan den lästes in ({name} kopieras eller skrivs?); inget lästes in. "
        "Tips: kör inläsningen igen när filen är klar",
        "the file changed while it was imported ({name} is being copied or written?); nothing "
        "was imported. Hint: run the import again once the file is complete"),
    "err_no_data_folder": ("datamappen finns inte", "no such data folder"),
    "err_no_sites_csv": ("ingen sites.csv: datamappen behöver sin lista över platser",
                         "no sites.csv: the data folder needs its list of sites"),
    # ---- command-line options and files named by them
    "err_no_measures": (
        "ingen measures.csv: lista åtgärderna (measure_id,street,site_id,kind,built,description"
        "[,comparison_site_id])",
        "no measures.csv: list the measures (measure_id,street,site_id,kind,built,description"
        "[,comparison_site_id])"),
    "err_unknown_measure": ("okänd åtgärd {measure!r}; measures.csv har {known}",
                            "unknown measure {measure!r}; measures.csv has {known}"),
    "err_site_not_in_sites": ("platsen {site!r} finns inte i sites.csv",
                              "site {site!r} is not in sites.csv"),
    "err_replan_not_issued": (
        "--replan: vecka {week} har aldrig utfärdats (planera den med -o först)",
        "--replan: week {week} was never issued (plan it with -o first)"),
    "err_now_time": ("--now {value!r} är ingen tid som 2024-11-06T12:00",
                     "--now {value!r} is not a time such as 2024-11-06T12:00"),
    "err_to_before_from": ("--to {last} ligger före --from {first}",
                           "--to {last} is before --from {first}"),
    "err_scheduler_needs_dask": ("--scheduler kräver --engine dask",
                                 "--scheduler needs --engine dask"),
    "err_dask_missing": (
        "--engine dask kräver Dask ({name} saknas); installera med: pip install "
        "'trafikplan[dask]'",
        "--engine dask needs Dask ({name} is missing); install it with: pip install "
        "'trafikplan[dask]'"),
    "err_dask_scheduler": (
        "når inte Dask-schemaläggaren {scheduler!r} ({detail}); väntade adressen till en "
        "schemaläggare som kör, t.ex. tcp://host:8786",
        "cannot reach the Dask scheduler {scheduler!r} ({detail}); expected the address of a "
        "running scheduler, e.g. tcp://host:8786"),
    "err_exists_already": (
        "finns redan: väntade en ny fil (använd --force för att ersätta den, eller --name)",
        "exists already: expected a new file (use --force to replace it, or --name)"),
    "err_unknown_site_option": ("okänd plats {site!r} (--site); se sites.csv",
                                "unknown site {site!r} (--site); see sites.csv"),
    "err_unknown_site_store": ("okänd plats {site!r}; sites.csv har {known}",
                               "unknown site {site!r}; sites.csv has {known}"),
    "err_overlap": (
        "överlappande räknarfiler: {what} på plats {site} från {span}; att lägga ihop dem "
        "skulle räkna fordon två gånger{more}. Säg vilken som ska behållas i {choices}: {keep}, "
        "eller add = [[båda filerna]] när de räknar olika fordon (två körfält)",
        "overlapping counter files: {what} at site {site} from {span}; adding them would count "
        "vehicles twice{more}. Say which to keep in {choices}: {keep}, or add = [[both files]] "
        "when they count different vehicles (two lanes)"),
    "err_overlap_span": ("{start} till {end}", "{start} to {end}"),
    "err_overlap_total": (
        "{whole} räknar båda riktningarna tillsammans och {part} riktning {direction} av samma "
        "trafik",
        "{whole} counts both directions together and {part} direction {direction} of the same "
        "count"),
    "err_overlap_keep_dirs": ('skip = ["{whole}"] behåller riktningarna',
                              'skip = ["{whole}"] keeps the directions'),
    "err_overlap_both": ("{a} och {b} räknar båda riktning {direction}",
                         "{a} and {b} both count direction {direction}"),
    "err_overlap_keep": ('skip = ["{b}"] behåller {a}', 'skip = ["{b}"] keeps {a}'),
    "err_overlap_more": (" ({n} överlapp till)", " ({n} more overlaps)"),
    "err_choices_key": ("okänd nyckel {key!r}: väntade skip eller add",
                        "unknown key {key!r}: expected skip or add"),
    "err_choices_skip": (
        'skip måste vara en lista med filnamn, t.ex. skip = ["counters/a.csv"]',
        'skip must be a list of file names, e.g. skip = ["counters/a.csv"]'),
    "err_choices_add": (
        'add måste vara en lista av listor med filnamn, t.ex. add = [["counters/a.csv", '
        '"counters/b.csv"]]',
        'add must be a list of lists of file names, e.g. add = [["counters/a.csv", '
        '"counters/b.csv"]]'),
    "err_pattern_type": ("{where} måste vara ett reguljärt uttryck (en sträng), fick {value!r}",
                         "{where} must be a regular expression (a string), got {value!r}"),
    "err_pattern_long": (
        "{where} är ett reguljärt uttryck på {n} tecken; högst {most} godtas",
        "{where} is a regular expression of {n} characters; at most {most} are accepted"),
    "err_pattern_unsafe": (
        "{where} är inget reguljärt uttryck som trafikplan kan köra säkert ({reason}); tips: "
        "look-ahead/behind och bakåtreferenser stöds inte",
        "{where} is not a regular expression trafikplan can run safely ({reason}); hint: "
        "look-ahead/behind and back-references are not supported"),
    "err_category_unknown": ("[categories] {key!r} är ingen kategori; väntade en av {choices}",
                             "[categories] {key!r} is no category; expected one of {choices}"),
    "err_category_list": ("[categories] {key} måste vara en lista med namn/nyckelord",
                          "[categories] {key} must be a list of names/keywords"),
    "err_basis_fixed": ("tidsbasen {basis!r} är inte fixed+HH:MM",
                        "time basis {basis!r} is not fixed+HH:MM"),
    "err_basis_unknown": (
        "okänd tidsbas {basis!r}: väntade utc, offset, local eller fixed+HH:MM",
        "unknown time basis {basis!r}: expected utc, offset, local or fixed+HH:MM"),
    # ---- Embrace exports, completed checks
    "err_unterminated_quote_rest": (
        "citattecknet avslutas aldrig: en citerad text som börjar i den här posten tar aldrig "
        "slut, så resten av filen skulle läsas som ett fält; väntade ett avslutande '\"'",
        "unterminated quote: a quoted text starting in this record never ends, so the rest of "
        "the file would be read as one field; expected a closing '\"'"),
    "err_empty_sheet_reports": ("tomt blad: väntade en rubrikrad och en rad per rapport",
                                "empty sheet: expected a header row and one row per report"),
    "err_no_header_profile": (
        "ingen rubrikrad: ingen av de första {n} raderna passar {pattern!r} i formatprofilen "
        "{profile!r}",
        "no header line: none of the first {n} lines matches {pattern!r} of format profile "
        "{profile!r}"),
    "err_no_header_profile_rows": (
        "ingen rubrikrad: ingen av de första {n} raderna passar {pattern!r} i formatprofilen "
        "{profile!r}",
        "no header line: none of the first {n} rows matches {pattern!r} of format profile "
        "{profile!r}"),
    "err_duplicate_column_name": (
        "kolumnnamnet {name!r} finns två gånger (kolumn {first} och {second}): väntade varje "
        "kolumnnamn en gång",
        "duplicate column name {name!r} (columns {first} and {second}): expected every column "
        "name once"),
    "err_missing_profile_column": (
        "kolumnen {raw!r} ({canonical}) saknas: väntade den i rubrikraden ({names}) som "
        "formatprofilen {profile!r} säger",
        "missing column {raw!r} ({canonical}): expected it in the header ({names}) as format "
        "profile {profile!r} says"),
    "err_profile_maps_no": ("formatprofilen {profile!r} anger ingen kolumn {column_name}",
                            "format profile {profile!r} maps no {column_name} column"),
    "err_profile_no_time": ("formatprofilen {profile!r} har inga [time]-kolumner",
                            "format profile {profile!r} has no [time] columns"),
    "err_profile_kind": ("formatprofilen {profile!r} är av slaget {kind!r}, väntade {expected!r}",
                         "format profile {profile!r} is of kind {kind!r}, expected {expected!r}"),
    "err_checks_where": (
        "kolumnen site_id eller street saknas: väntade minst en av dem för att veta var "
        "kontrollen var",
        "missing column site_id or street: expected at least one of them to say where the "
        "check was"),
    # ---- format profiles and drafts
    "err_not_text": ("varken UTF-8- eller Windows-1252-text",
                     "neither UTF-8 nor Windows-1252 text"),
    "err_no_table": ("ingen tabell bland de första raderna", "no table found in the first lines"),
    "err_draft_duplicate": (
        "kolumnnamnet {name!r} finns två gånger: ett utkast behöver varje kolumn namngiven en "
        "gång (ange namnen i profilens header_names)",
        "duplicate column name {name!r}: a draft needs every column named once (give the names "
        "in the profile's header_names)"),
    "err_no_data_rows": ("inga datarader: väntade rader under rubriken med lika många fält",
                         "no data rows: expected rows below the header with as many fields"),
    "err_no_time_column": (
        "ingen tidskolumn hittades: väntade datum som 2024-04-15 eller 11/6/2023 och tider "
        "som 07:00",
        "no time column found: expected dates such as 2024-04-15 or 11/6/2023 and times such "
        "as 07:00"),
    "err_no_speed_column": (
        "ingen hastighetskolumn och inga hastighetsklasskolumner hittades: väntade en kolumn "
        "som heter ungefär Speed/Hastighet, eller klasser som 30-50",
        "no speed column and no speed-class columns found: expected a column named like "
        "Speed/Hastighet, or classes such as 30-50"),
    "err_bad_profile": ("trasig formatprofil: {detail}", "broken format profile: {detail}"),
    "err_profile_twice": ("två formatprofiler heter {name!r} (den andra är {other})",
                          "two format profiles are named {name!r} (the other is {other})"),
    "err_line_split": (
        "raden kan inte delas upp i kolumner ({detail}); väntade en post per rad",
        "line cannot be split into columns ({detail}); expected one record per line"),
    "err_no_profile_fits": (
        "passar ingen formatprofil; provade: {names}. Tips: en leverantörs layout läggs till "
        "genom att skriva en profil-TOML i DATA_DIR/formats/ (se trafikplan.io.profiles)",
        "fits no format profile; tried: {names}. Hint: a vendor layout is added by writing a "
        "profile TOML in DATA_DIR/formats/ (see trafikplan.io.profiles)"),
    "err_none": ("inga", "none"),
    # ---- import warnings and summary lines
    "warn_vendor_total": (
        "leverantörens summa ({column!r}) skiljer sig från summan av klasserna på {differ} av "
        "{rows} rader (första rad {line}: {total} mot {summed}); klasserna används",
        "the vendor's total ({column!r}) differs from the sum of the classes on {differ} of "
        "{rows} rows (first line {line}: {total} vs {summed}); the classes are used"),
    "warn_clock_no_dst": ('en klocka utan sommartid (time_basis = "local_standard")',
                          'a clock without daylight saving (time_basis = "local_standard")'),
    "warn_clock_dst": ('lokal tid med sommartid (time_basis = "local")',
                       'local time with daylight saving (time_basis = "local")'),
    "warn_clock": (
        "timmarna efter omställningen av klockan {date} ser ut att ligga en timme fel mot "
        "timmarna före (dygnsprofilens korrelation {plain}, förskjuten {best}): enheten kan gå "
        "på {other}, inte {basis!r} som profilen säger",
        "the hours after the clock change of {date} look one hour off against those before "
        "(daily profile correlation {plain}, shifted {best}): the device may keep {other}, not "
        "{basis!r} as the profile says"),
    "warn_class_gap": (
        "hastighetsklasserna {a!r} och {b!r} lämnar ett glapp ({lo} till {hi}): fordon i det "
        "räknas inte; om '16-20' betyder 16 till och med 20, sätt [bins] upper_inclusive = true",
        "speed classes {a!r} and {b!r} leave a gap ({lo} to {hi}): vehicles in it are not "
        "counted; if '16-20' means 16 up to and including 20, set [bins] upper_inclusive = true"),
    "warn_link_outside": (
        "{name}: en symbolisk länk som leder ut ur datamappen, lästes inte (kopiera in filen i "
        "mappen för att läsa in den)",
        "{name}: a symbolic link leading out of the data folder, not read (copy the file into "
        "the folder to import it)"),
    "warn_repeated_vehicles": (
        "{n} fordon i {name} finns redan i {earlier} (samma plats, tid, riktning och "
        "hastighet): räknas en gång",
        "{n} vehicles of {name} are already in {earlier} (same site, time, direction and "
        "speed): counted once"),
    "warn_repeated_checks": (
        "{n} genomförda kontroller i {name} finns redan i {earlier} (samma patrull, tid, plats "
        "och resultat): räknas en gång",
        "{n} completed checks of {name} are already in {earlier} (same team, time, site and "
        "result): counted once"),
    # ---- format profile TOMLs (keys and sections are written as in the TOML)
    "prof_kind": (
        "kind måste vara en av {choices}, fick {value!r}",
        "kind must be one of {choices}, got {value!r}"),
    "prof_string": (
        "{key} måste vara en sträng",
        "{key} must be a string"),
    "prof_header_match": (
        "header_match (ett reguljärt uttryck för rubrikraden) saknas",
        "header_match (a regular expression for the header line) is missing"),
    "prof_file_type": (
        "file_type måste vara 'text' eller 'xlsx'",
        "file_type must be 'text' or 'xlsx'"),
    "prof_encodings": (
        "encodings måste vara en lista med minst ett kodningsnamn",
        "encodings must be a non-empty list of codec names"),
    "prof_unknown_encoding": (
        "okänd teckenkodning {enc!r}",
        "unknown encoding {enc!r}"),
    "prof_encoding_line_end": (
        "teckenkodningen {enc!r} stöds inte (radslutet är inte en byte)",
        "encoding {enc!r} is not supported (line end not one byte)"),
    "prof_delimiter": (
        "delimiter måste vara ett tecken",
        "delimiter must be one character"),
    "prof_decimal": (
        "decimal måste vara '.' eller ','",
        "decimal must be '.' or ','"),
    "prof_header_names": (
        "header_names måste vara en lista med kolumnnamn",
        "header_names must be a list of column names"),
    "prof_has_header": (
        "has_header = false kräver header_names (kolumnerna i filens ordning)",
        "has_header = false needs header_names (the columns in file order)"),
    "prof_extra_fields": (
        "extra_fields måste vara 'refuse' eller 'ignore'",
        "extra_fields must be 'refuse' or 'ignore'"),
    "prof_header_within": (
        "header_within måste vara ett positivt heltal",
        "header_within must be a positive integer"),
    "prof_unknown_key": (
        "okänd nyckel {key!r}",
        "unknown key {key!r}"),
    "prof_table": (
        "[{section}] måste vara en tabell",
        "[{section}] must be a table"),
    "prof_unknown_section_key": (
        "okänd nyckel {key!r} i [{section}]; väntade en av {choices}",
        "unknown key {key!r} in [{section}]; expected one of {choices}"),
    "prof_time_basis": (
        "time_basis måste vara utc, offset, local, local_standard eller fixed+HH:MM",
        "time_basis must be utc, offset, local, local_standard or fixed+HH:MM"),
    "prof_time_columns": (
        "[time] columns saknas",
        "[time] columns is missing"),
    "prof_site": (
        "[site] behöver en av column, metadata, filename, value",
        "[site] needs one of column, metadata, filename, value"),
    "prof_site_group": (
        "[site] {key} behöver en grupp (...) runt id:t",
        "[site] {key} needs one group (...) around the id"),
    "prof_units_speed": (
        "[units] speed måste vara 'km/h' eller 'mph'",
        "[units] speed must be 'km/h' or 'mph'"),
    "prof_units_length": (
        "[units] length måste vara 'm' eller 'ft'",
        "[units] length must be 'm' or 'ft'"),
    "prof_direction": (
        "[columns] direction (eller [fixed] direction, [direction] metadata eller filename) saknas",
        "[columns] direction (or [fixed] direction, [direction] metadata or filename) is missing"),
    "prof_direction_group": (
        "[direction] {key} behöver en grupp (...) runt riktningen",
        "[direction] {key} needs one group (...) around it"),
    "prof_direction_labels_groups": (
        "[direction_labels] metadata behöver två grupper (...): riktningens kod och dess namn",
        "[direction_labels] metadata needs two groups (...): the direction's code and its name"),
    "prof_speed": (
        "[columns] speed saknas",
        "[columns] speed is missing"),
    "prof_bins": (
        "[bins] speed_columns, direction_columns eller [columns] speed_lo/speed_hi/count behövs",
        "[bins] speed_columns, direction_columns or [columns] speed_lo/speed_hi/count are needed"),
    "prof_bins_time": (
        "[time] behöver end_columns eller interval_minutes för klassade data",
        "[time] needs end_columns or interval_minutes for bins"),
    "prof_classes": (
        "[classes] {raw!r} pekar på {canonical!r}, väntade en av {choices}",
        "[classes] {raw!r} maps to {canonical!r}, expected one of {choices}"),
}
"""Key -> (Swedish, English) of every error and warning the io layer words."""
