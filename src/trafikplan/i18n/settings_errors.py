"""What is wrong with ``trafikplan.toml`` (or another TOML file), in Swedish and English.

Part of the one dictionary (:data:`trafikplan.i18n.TEXT`): the problems
:func:`trafikplan.settings.load_settings` collects and :func:`trafikplan.settings.read_toml`
raises. Keys and section names (``[checks] min_minutes``) are written as in the
file, in both languages: they are what a person types. Values quoted with
``!r``-style quotes are the file's own.
"""

from __future__ import annotations

__all__ = ["SETTINGS_ERRORS"]

SETTINGS_ERRORS: dict[str, tuple[str, str]] = {
    "set_no_file": (
        "ingen trafikplan.toml: en datamapp behöver en med minst municipality och timezone",
        "no trafikplan.toml: a data folder needs one with at least municipality and timezone"),
    "set_problems": ("{n} fel: {problems}", "{n} problems: {problems}"),
    "set_required": ("den obligatoriska inställningen {key} saknas",
                     "required setting {key} is missing"),
    "set_not_table": ("[{section}] ska vara en tabell", "[{section}] must be a table"),
    "set_unknown": ("okänd inställning {key}; kända: {known}",
                    "unknown setting {key}; known: {known}"),
    "set_unknown_in": ("okänd inställning [{section}] {key}; kända: {known}",
                       "unknown setting [{section}] {key}; known: {known}"),
    "set_type": ("{where} ska vara {expected}, fick {value}",
                 "{where} must be {expected}, got {value}"),
    "set_type_bool": ("true eller false", "bool"),
    "set_type_int": ("ett heltal", "int"),
    "set_type_float": ("ett tal", "float"),
    "set_type_str": ("en text inom citattecken", "str"),
    "set_type_ints": ("en lista med heltal, t.ex. [22, 23, 0]", "tuple[int, ...]"),
    "set_type_strs": ("en lista med texter, t.ex. [\"a\", \"b\"]", "tuple[str, ...]"),
    "set_out_of_range": (
        "[{section}] {key} = {value} ligger utanför det tillåtna intervallet ({range})",
        "[{section}] {key} = {value} is outside the allowed range ({range})"),
    "set_range_above": ("> {lo}", "> {lo}"),
    "set_range_at_least": (">= {lo}", ">= {lo}"),
    "set_range_between": ("från {lo} till {hi}", "from {lo} to {hi}"),
    "set_night_hours": ("[flags] night_hours innehåller {hours}: dygnets timmar är 0 till 23",
                        "[flags] night_hours holds {hours}: hours of the day are 0 to 23"),
    "set_not_above": ("[{section}] {a} = {a_value} får inte vara större än {b} = {b_value}",
                      "[{section}] {a} = {a_value} must not exceed {b} = {b_value}"),
    "set_below": ("[{section}] {a} = {a_value} ska vara mindre än {b} = {b_value}",
                  "[{section}] {a} = {a_value} must be below {b} = {b_value}"),
    "set_not_after": ("[{section}] {a} = {a_value} får inte vara efter {b} = {b_value}",
                      "[{section}] {a} = {a_value} must not be after {b} = {b_value}"),
    "set_timezone": ("okänd tidszon {tz}: ange en IANA-tidszon, t.ex. \"Europe/Stockholm\"",
                     "unknown time zone {tz}"),
    "set_language": ("language ska vara 'sv' eller 'en', fick {value}",
                     "language must be 'sv' or 'en', got {value}"),
    # ---- reading a TOML file (settings, format profiles, choices.toml)
    "set_unreadable": ("kan inte läsas ({detail})", "cannot be read ({detail})"),
    "set_too_large": ("större än {kib} KiB: ingen inställningsfil",
                      "larger than {kib} KiB: not a settings file"),
    "set_not_utf8": ("inte UTF-8-text ({detail}); tips: spara filen som UTF-8",
                     "not UTF-8 text ({detail})"),
    "set_too_deep": ("nästlad djupare än [limits] max_toml_depth = {limit}",
                     "nested deeper than [limits] max_toml_depth = {limit}"),
    "set_not_toml": ("inte giltig TOML (tolkaren säger: {detail})", "not valid TOML ({detail})"),
    "set_not_toml_at": ("inte giltig TOML vid tecken {col} (tolkaren säger: {detail})",
                        "not valid TOML ({detail}, at column {col})"),
}
"""Key -> (Swedish, English) of every problem a settings or TOML file can have."""
