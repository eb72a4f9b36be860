"""What the stages after io say is wrong, in Swedish and English.

Part of the one dictionary (:data:`trafikplan.i18n.TEXT`): options and
arguments (grouping keys, a confidence level, an ISO week, an output file),
a table handed to a stage that breaks its contract (:mod:`trafikplan.columns`),
settings a stage checks itself, and the web app's users and forms. Option
names (``--week``), setting keys and column names are written as typed.
"""

from __future__ import annotations

__all__ = ["STAGE_ERRORS"]

STAGE_ERRORS: dict[str, tuple[str, str]] = {
    # ---- options and arguments
    "err_group_key_unknown": ("okänd grupperingsnyckel {key!r}; kända nycklar: {known}",
                              "unknown grouping key {key!r}; known keys: {known}"),
    "err_group_key_repeated": ("en grupperingsnyckel upprepas i {keys!r}",
                               "grouping key repeated in {keys!r}"),
    "err_confidence_level": ("konfidensnivån ska ligga mellan 0 och 1, fick {level}",
                             "confidence level must be between 0 and 1, got {level}"),
    "err_week_not_iso": ("{week!r} är ingen ISO-vecka; skriv t.ex. 2024-W45",
                         "week {week!r} is not an ISO week; expected e.g. 2024-W45"),
    "err_week_missing": ("vecka {num} finns inte år {year}", "week {week!r} does not exist"),
    "err_write_suffix": ("kan inte skriva {suffix}; använd en av {suffixes}",
                         "cannot write {suffix}; use one of {suffixes}"),
    "err_no_suffix": ("en fil utan filändelse", "a file without suffix"),
    "err_csv_dialect": ("CSV-dialekten ska vara en av {dialects}, fick {dialect!r}",
                        "CSV dialect must be one of {dialects}, got {dialect!r}"),
    # ---- a table that breaks its contract (a store written by another version, a notebook)
    "err_contract": ("tabellen {table} följer inte sitt kontrakt: {problems}",
                     "{table} table does not fit its contract: {problems}"),
    "err_contract_missing": ("kolumnen {name!r} saknas", "missing column {name!r}"),
    "err_contract_dtype": ("kolumnen {name!r} är {actual}, väntade {expected}",
                           "column {name!r} is {actual}, expected {expected}"),
    # ---- settings a stage checks itself
    "err_report_category": (
        "inställningen [flags] report_categories: okänd kategori {value!r}; väntade några av "
        "{known}",
        "setting [flags] report_categories: unknown category {value!r}; expected some of "
        "{known}"),
    "err_smoothing_hours": (
        "inställningen [flags] report_smoothing_hours ska vara 0..83, fick {value}",
        "setting [flags] report_smoothing_hours must be 0..83, got {value}"),
    # ---- the web app: users and forms
    "err_users_unreadable": ("kan inte läsa användarna: {detail}",
                             "cannot read the users: {detail}"),
    "err_user_invalid": (
        "användaren {name!r}: behöver role = \"police\" eller \"kommun\" och en argon2-"
        "password_hash (lägg till användare med --add-user)",
        "user {name!r}: needs role = \"police\" or \"kommun\" and an argon2 password_hash "
        "(add users with --add-user)"),
    "err_role": ("rollen ska vara en av {roles}, fick {role!r}",
                 "role must be one of {roles}, got {role!r}"),
    "err_user_name": ("användarnamnet {name!r}: bara bokstäver, siffror och _",
                      "user name {name!r}: letters, digits and _ only"),
    "err_password_short": ("lösenordet behöver minst 8 tecken",
                           "the password needs at least 8 characters"),
    "err_form_time": ("{what}: {value!r} är ingen tidpunkt", "{what}: {value!r} is not a time"),
    "err_form_end_first": ("slutet {end} ligger inte efter starten {start}",
                           "the end {end} is not after the start {start}"),
    "err_form_no_team": ("ange ett lag", "give a team"),
}
"""Key -> (Swedish, English) of the errors of options, contracts, settings and the web app."""
