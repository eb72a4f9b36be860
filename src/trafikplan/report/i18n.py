"""The text layer for people, under the report's old import path.

Every stage may need a word for a person (a flag reason, a plan's purpose),
so the one sv/en dictionary and the number format live in the base module
:mod:`trafikplan.i18n`; add words there.
"""

from trafikplan.i18n import (  # noqa: F401  (re-exported)
    CATEGORIES,
    CODES,
    COLUMNS,
    KINDS,
    LANGUAGES,
    PLAN_STATUS,
    REJECT_REASONS_SV,
    TEXT,
    WEEKDAYS,
    code,
    column,
    for_people,
    integer,
    interval,
    number,
    percent,
    reject_meaning,
    text,
    texts,
    vehicle_total,
)

__all__ = []
