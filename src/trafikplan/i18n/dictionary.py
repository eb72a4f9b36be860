"""The one dictionary: every part's ``(Swedish, English)`` pairs in :data:`TEXT`.

Each part is a module of one concern (the report's words, the command line's,
the web app's, ``trafikplan formats``; the errors of tables, of imports, of
format profiles, of settings, of the later stages; the planners' errors, notes
and reasons). A key is in one part only
(checked when this module is imported), so a key means one thing everywhere.

Every key maps to its ``(Swedish, English)`` pair, filled with ``str.format``
values. An error is raised with its key, not its text:
``InputError("err_key", path=..., line=..., column=..., **values)``; whoever shows
it to a person words it in their language
(:meth:`trafikplan._errors.InputError.one_line`). Quoted values (``{name!r}``) are
data from the file, shown as written.
"""

from __future__ import annotations

from trafikplan.i18n.cli_text import CLI_TEXT
from trafikplan.i18n.formats_text import FORMATS_TEXT
from trafikplan.i18n.import_errors import IMPORT_ERRORS
from trafikplan.i18n.plan_errors import PLAN_ERRORS
from trafikplan.i18n.profile_errors import PROFILE_ERRORS
from trafikplan.i18n.report_text import REPORT_TEXT
from trafikplan.i18n.serve_text import SERVE_TEXT
from trafikplan.i18n.settings_errors import SETTINGS_ERRORS
from trafikplan.i18n.stage_errors import STAGE_ERRORS
from trafikplan.i18n.table_errors import TABLE_ERRORS

__all__ = ["ERRORS", "PARTS", "TEXT"]

PARTS: tuple[dict[str, tuple[str, str]], ...] = (
    REPORT_TEXT, CLI_TEXT, SERVE_TEXT, FORMATS_TEXT,
    TABLE_ERRORS, IMPORT_ERRORS, PROFILE_ERRORS, SETTINGS_ERRORS, STAGE_ERRORS, PLAN_ERRORS,
)
"""The parts of the dictionary, each a module of one concern."""

_twice = sorted({k for i, part in enumerate(PARTS) for k in part
                 if any(k in other for other in PARTS[:i])})
assert not _twice, f"keys in two parts of the dictionary: {_twice}"

ERRORS: dict[str, tuple[str, str]] = {**TABLE_ERRORS, **IMPORT_ERRORS, **PROFILE_ERRORS}
"""The io layer's errors and import warnings (key -> (Swedish, English))."""

TEXT: dict[str, tuple[str, str]] = {k: v for part in PARTS for k, v in part.items()}
"""Key -> (Swedish, English) of every sentence and label a person reads."""
