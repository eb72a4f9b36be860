"""What is wrong with a counter file, an Embrace export or an import, in Swedish and English.

Counter files, the import, the command-line options that name files, Embrace
exports and completed checks, and the import's warnings and summary lines.
Part of the one dictionary (:mod:`trafikplan.i18n.dictionary` says how an
error key is raised and worded).
"""

from __future__ import annotations

__all__ = ["IMPORT_ERRORS"]

IMPORT_ERRORS: dict[str, tuple[str, str]] = {
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
}
"""Key -> (Swedish, English) of the errors and warnings of reading and importing raw files."""
