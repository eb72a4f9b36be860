"""Settings of a data folder: ``trafikplan.toml``.

Only ``municipality`` and ``timezone`` are required; every other key has the
default documented on its dataclass field (:mod:`~trafikplan.settings.schema`).
An unknown key is an error (a typo would otherwise be silently ignored). Every
number has an allowed range (:data:`RANGES`) and related settings are checked
together (``min_minutes`` not above ``max_minutes``, night hours 0 to 23, ...;
:mod:`~trafikplan.settings.ranges`); all problems of a file are reported at
once, each naming its key and what is allowed, in the folder's language
(:mod:`~trafikplan.settings.load`). TOML files are read within limits by
:func:`read_toml` (:mod:`~trafikplan.settings.toml_file`).
"""

from __future__ import annotations

from trafikplan.settings.load import folder_language, load_settings
from trafikplan.settings.ranges import RANGES
from trafikplan.settings.schema import (
    SETTINGS_FILE,
    CheckSettings,
    FlagSettings,
    ImportSettings,
    LearningSettings,
    LimitSettings,
    MeasurementSettings,
    ReportSettings,
    Settings,
    StatsSettings,
)
from trafikplan.settings.toml_file import MAX_TOML_BYTES, read_toml

__all__ = [
    "MAX_TOML_BYTES",
    "RANGES",
    "SETTINGS_FILE",
    "CheckSettings",
    "FlagSettings",
    "ImportSettings",
    "LearningSettings",
    "LimitSettings",
    "MeasurementSettings",
    "ReportSettings",
    "Settings",
    "StatsSettings",
    "folder_language",
    "load_settings",
    "read_toml",
]
