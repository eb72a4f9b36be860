"""Checking a format profile's TOML against the schema (:mod:`trafikplan.io.profiles.profile`).

A broken profile stops with one line naming the file and the key: an unknown
kind, key or section key (a typo must not be ignored silently), a pattern that
does not compile or lacks its groups, an encoding whose line end is not the
byte ``0x0A``, a counter profile without time, site or direction.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import Any

from trafikplan._errors import InputError
from trafikplan.columns import VEHICLE_CLASSES
from trafikplan.i18n.phrase import Phrase
from trafikplan.io.files.patterns import safe_pattern

__all__ = ["KINDS", "bad_profile", "check_profile"]

KINDS = ("vehicles", "bins", "reports", "checks_done")
"""Profile kinds."""

_TIME_BASIS = re.compile(r"^(utc|offset|local|local_standard|fixed[+-]\d{2}:\d{2})$")
_COMMON_KEYS = {
    "name", "kind", "description", "file_type", "encodings", "delimiter", "decimal",
    "header_match", "header_within", "strip_fields", "time_basis", "optional",
    "header_names", "has_header", "extra_fields",
}
_COUNTER_SECTIONS = {"columns", "time", "site", "fixed", "units", "classes", "bins",
                     "direction", "direction_labels"}
_CANONICAL = {"direction", "speed", "length", "headway", "vehicle_class", "site_id",
              "speed_lo", "speed_hi", "count"}
_SECTION_KEYS = {
    "time": {"columns", "format", "end_columns", "end_format", "interval_minutes", "label",
             "range_separator"},
    "site": {"column", "metadata", "filename", "value"},
    "bins": {"speed_columns", "direction_columns", "upper_inclusive", "total_column"},
    "direction": {"metadata", "filename", "default", "names"},
    "direction_labels": {"metadata"},
    "units": {"speed", "length"},
    "columns": _CANONICAL,
    "fixed": _CANONICAL,
}


def bad_profile(path: Path, message: str | Phrase, **values: object) -> InputError:
    """Return the error of a broken profile: ``message`` a dictionary key (or a phrase)."""
    detail = message if isinstance(message, Phrase) else Phrase(message, **values)
    return InputError("err_bad_profile", detail=detail, path=path)


def check_profile(raw: dict[str, Any], path: Path) -> None:
    """Raise :class:`InputError` (``err_bad_profile``) for a TOML that does not fit the schema."""
    kind = raw.get("kind")
    if kind not in KINDS:
        raise bad_profile(path, "prof_kind", choices=", ".join(KINDS), value=kind)
    for key in ("name", "description", "delimiter", "decimal", "header_match", "time_basis"):
        if key in raw and not isinstance(raw[key], str):
            raise bad_profile(path, "prof_string", key=key)
    if "header_match" not in raw:
        raise bad_profile(path, "prof_header_match")
    safe_pattern(raw["header_match"], where="broken format profile: header_match", path=path)
    if raw.get("file_type", "text") not in ("text", "xlsx"):
        raise bad_profile(path, "prof_file_type")
    encodings = raw.get("encodings", ["utf-8"])
    if not isinstance(encodings, list) or not encodings:
        raise bad_profile(path, "prof_encodings")
    for enc in encodings:
        try:
            codecs.lookup(enc)
        except (LookupError, TypeError):
            raise bad_profile(path, "prof_unknown_encoding", enc=enc) from None
        if "\n".encode(enc) != b"\n":
            raise bad_profile(path, "prof_encoding_line_end", enc=enc)
    if len(raw.get("delimiter", ",")) != 1:
        raise bad_profile(path, "prof_delimiter")
    if raw.get("decimal", ".") not in (".", ","):
        raise bad_profile(path, "prof_decimal")
    names = raw.get("header_names", [])
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise bad_profile(path, "prof_header_names")
    if raw.get("has_header", True) is False and not names:
        raise bad_profile(path, "prof_has_header")
    if raw.get("extra_fields", "refuse") not in ("refuse", "ignore"):
        raise bad_profile(path, "prof_extra_fields")
    within = raw.get("header_within", 50)
    if not isinstance(within, int) or within < 1:
        raise bad_profile(path, "prof_header_within")
    if kind not in ("vehicles", "bins"):
        return
    unknown = set(raw) - _COMMON_KEYS - _COUNTER_SECTIONS
    if unknown:
        raise bad_profile(path, "prof_unknown_key", key=sorted(unknown)[0])
    for section, known in _SECTION_KEYS.items():  # a typo must not be ignored silently
        table = raw.get(section, {})
        if not isinstance(table, dict):
            raise bad_profile(path, "prof_table", section=section)
        wrong = sorted(set(table) - known)
        if wrong:
            raise bad_profile(path, "prof_unknown_section_key", key=wrong[0], section=section,
                       choices=", ".join(sorted(known)))
    basis = raw.get("time_basis")
    if not isinstance(basis, str) or not _TIME_BASIS.match(basis):
        raise bad_profile(path, "prof_time_basis")
    time = raw.get("time")
    if not isinstance(time, dict) or not time.get("columns"):
        raise bad_profile(path, "prof_time_columns")
    site = raw.get("site", {})
    if not isinstance(site, dict) or not ({"column", "metadata", "filename", "value"} & set(site)):
        raise bad_profile(path, "prof_site")
    for key in ("metadata", "filename"):
        if key in site and safe_pattern(site[key], where=f"broken format profile: [site] {key}",
                                        path=path).groups < 1:
            raise bad_profile(path, "prof_site_group", key=key)
    units = raw.get("units", {})
    if units.get("speed", "km/h") not in ("km/h", "mph"):
        raise bad_profile(path, "prof_units_speed")
    if units.get("length", "m") not in ("m", "ft"):
        raise bad_profile(path, "prof_units_length")
    columns = raw.get("columns", {})
    fixed = raw.get("fixed", {})
    bins = raw.get("bins", {})
    speed_columns = bins.get("speed_columns", [])
    speed_columns = [speed_columns] if isinstance(speed_columns, str) else speed_columns
    if "direction" not in columns and "direction" not in fixed and not bins.get(
        "direction_columns"
    ) and not raw.get("direction") and not any("(?P<direction>" in p for p in speed_columns):
        raise bad_profile(path, "prof_direction")
    for pattern in speed_columns:
        safe_pattern(pattern, where=f"broken format profile: [bins] speed_columns {pattern!r}",
                     path=path)
    if isinstance(bins, dict) and "direction_columns" in bins:
        safe_pattern(bins["direction_columns"],
                     where="broken format profile: [bins] direction_columns", path=path)
    direction = raw.get("direction", {})
    for key in ("metadata", "filename"):
        if key in direction and safe_pattern(
                direction[key], where=f"broken format profile: [direction] {key}",
                path=path).groups < 1:
            raise bad_profile(path, "prof_direction_group", key=key)
    labels = raw.get("direction_labels", {})
    if "metadata" in labels and safe_pattern(
            labels["metadata"], where="broken format profile: [direction_labels] metadata",
            path=path).groups < 2:
        raise bad_profile(path, "prof_direction_labels_groups")
    if kind == "vehicles" and "speed" not in columns:
        raise bad_profile(path, "prof_speed")
    if kind == "bins":
        if not (bins.get("speed_columns") or bins.get("direction_columns")) and not {
            "speed_lo", "speed_hi", "count"} <= set(columns):
            raise bad_profile(path, "prof_bins")
        if "end_columns" not in time and "interval_minutes" not in time:
            raise bad_profile(path, "prof_bins_time")
    classes = raw.get("classes", {})
    for raw_class, canonical in classes.items():
        if canonical not in VEHICLE_CLASSES:
            raise bad_profile(path, "prof_classes", raw=raw_class, canonical=canonical,
                              choices=", ".join(VEHICLE_CLASSES))
