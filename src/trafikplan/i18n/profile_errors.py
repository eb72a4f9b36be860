"""What is wrong with a format profile or its draft, in Swedish and English.

Keys and sections of a profile TOML are written as in the TOML.
Part of the one dictionary (:mod:`trafikplan.i18n.dictionary` says how an
error key is raised and worded).
"""

from __future__ import annotations

__all__ = ["PROFILE_ERRORS"]

PROFILE_ERRORS: dict[str, tuple[str, str]] = {
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
        "genom att skriva en profil-TOML i DATA_DIR/formats/ (se trafikplan.io.profiles.profile)",
        "fits no format profile; tried: {names}. Hint: a vendor layout is added by writing a "
        "profile TOML in DATA_DIR/formats/ (see trafikplan.io.profiles.profile)"),
    "err_none": ("inga", "none"),
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
"""Key -> (Swedish, English) of the errors of format profiles and drafts."""
