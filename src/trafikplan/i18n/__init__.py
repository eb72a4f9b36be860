"""Every word a person reads, in Swedish and English, and one way to write numbers.

One dictionary for the whole package (a base package, so every stage may use
it): :data:`TEXT` maps a key to its ``(Swedish, English)`` pair, so a key is
added with both languages on one line and a half-translated page cannot
happen. :data:`CODES` names the code values a person sees (report categories,
flag kinds, plan purposes, statuses, reject reasons ...), :data:`COLUMNS` the
headers of printed tables and spreadsheets. :func:`number` is the one number
format: in Swedish a decimal comma, a narrow no-break space between
thousands (``1\u202f466\u202f744``) and a real minus sign.

The dictionary is in modules of one concern, merged in
:mod:`~trafikplan.i18n.dictionary`: the report (``report_text``), the command
line (``cli_text``, ``formats_text``), the web app (``serve_text``), the errors
of small tables and text files (``table_errors``), of raw files and the import
(``import_errors``), of format profiles (``profile_errors``), of settings
(``settings_errors``) and of the later stages (``stage_errors``); code names in
``codes``, headers in ``headers``, numbers in ``numbers``, the measures'
verdicts in ``verdicts``; looking up in ``lookup``.

Adding a word: one line ``"key": ("svenska", "English"),`` in the part it
belongs to (or a code value in :data:`CODES`, a header in :data:`COLUMNS`); use
it with ``text("key", language)`` or ``texts(language)["key"]``.
"""

from __future__ import annotations

from trafikplan.i18n.codes import (
    CATEGORIES,
    CODES,
    COLUMN_CODES,
    KINDS,
    PLAN_STATUS,
    REJECT_REASONS_SV,
    WEEKDAYS,
)
from trafikplan.i18n.dictionary import ERRORS, TEXT
from trafikplan.i18n.formats_text import PROFILE_DESCRIPTIONS
from trafikplan.i18n.headers import COLUMNS
from trafikplan.i18n.languages import LANGUAGES
from trafikplan.i18n.lookup import (
    code,
    column,
    for_people,
    text,
    texts,
    vehicle_total,
)
from trafikplan.i18n.numbers import integer, interval, number, percent, points_change
from trafikplan.i18n.phrase import Code, Phrase, phrase_text
from trafikplan.i18n.rejects import reject_meaning
from trafikplan.i18n.serve_text import SERVE_TEXT

__all__ = [
    "CATEGORIES",
    "CODES",
    "COLUMNS",
    "COLUMN_CODES",
    "ERRORS",
    "KINDS",
    "LANGUAGES",
    "PLAN_STATUS",
    "PROFILE_DESCRIPTIONS",
    "REJECT_REASONS_SV",
    "SERVE_TEXT",
    "TEXT",
    "WEEKDAYS",
    "Code",
    "Phrase",
    "code",
    "column",
    "for_people",
    "integer",
    "interval",
    "number",
    "percent",
    "phrase_text",
    "points_change",
    "reject_meaning",
    "text",
    "texts",
    "vehicle_total",
]
