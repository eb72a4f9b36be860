"""Reading and checking ``trafikplan.toml``: types, unknown keys, ranges, all at once.

:func:`load_settings` collects every problem of the file (a missing required
key, an unknown key, a value of the wrong type, a value outside its range, a
broken rule between keys) as a :class:`~trafikplan._errors.Phrase` and raises one
:class:`~trafikplan._errors.InputError` naming the file; it is worded where it
is shown, in the folder's language (:func:`folder_language`: the file's own
``language`` when it is valid, Swedish otherwise).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any, get_type_hints
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from trafikplan._errors import InputError, TrafikplanError
from trafikplan.i18n.phrase import Phrase
from trafikplan.settings.ranges import check_ranges
from trafikplan.settings.schema import SECTIONS, SETTINGS_FILE, Settings
from trafikplan.settings.toml_file import read_toml

__all__ = ["LANGUAGES", "folder_language", "load_settings"]

LANGUAGES = ("sv", "en")
"""The values ``language`` may have; the first is the default."""


class _Problem(Exception):
    """One problem with one setting (collected; all are reported together)."""

    def __init__(self, phrase: Phrase) -> None:
        super().__init__(phrase.text("en"))
        self.phrase = phrase


_TYPES = {"bool": "set_type_bool", "int": "set_type_int", "float": "set_type_float",
          "str": "set_type_str", "tuple[int, ...]": "set_type_ints",
          "tuple[str, ...]": "set_type_strs"}
"""Type of a setting -> the dictionary's name of what it must be."""


def _coerce(value: Any, typ: Any, section: str | None, key: str) -> Any:
    text = str(typ).replace("<class '", "").replace("'>", "")
    if text == "bool":
        if isinstance(value, bool):
            return value
    elif text == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif text == "float":
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    elif text == "str":
        if isinstance(value, str):
            return value
    elif text.startswith("tuple[int"):
        if isinstance(value, list) and all(
                isinstance(v, int) and not isinstance(v, bool) for v in value):
            return tuple(value)
    elif text.startswith("tuple[str"):
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
    expected = Phrase(_TYPES[text]) if text in _TYPES else text
    raise _Problem(Phrase("set_type", where=_where(section, key), expected=expected,
                          value=repr(value)))


def _where(section: str | None, key: str) -> str:
    """``[section] key`` or ``key``: a setting as written in the file."""
    return key if section is None else f"[{section}] {key}"


def _build(cls: type, data: dict[str, Any], section: str, problems: list[Phrase]) -> Any:
    hints = get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    for key in sorted(set(data) - names):
        problems.append(Phrase("set_unknown_in", section=section, key=repr(key),
                               known=", ".join(sorted(names))))
    kwargs = {}
    for k, v in data.items():
        if k in names:
            try:
                kwargs[k] = _coerce(v, hints[k], section, k)
            except _Problem as exc:
                problems.append(exc.phrase)
    return cls(**kwargs)


def _categories(value: dict[str, Any], problems: list[Phrase]) -> dict[str, tuple[str, ...]]:
    rules: dict[str, tuple[str, ...]] = {}
    for k, v in value.items():
        try:
            rules[k] = _coerce(v, tuple[str, ...], "categories", k)
        except _Problem as exc:
            problems.append(exc.phrase)
    return rules


def _top_level(raw: dict[str, Any], problems: list[Phrase]) -> dict[str, Any]:
    """Return the keyword arguments of :class:`Settings`; problems are appended."""
    top: dict[str, Any] = {}
    for key, value in raw.items():
        if key in SECTIONS or key == "categories":
            if not isinstance(value, dict):
                problems.append(Phrase("set_not_table", section=key))
            elif key == "categories":
                top["category_rules"] = _categories(value, problems)
            else:
                top["import_" if key == "import" else key] = _build(
                    SECTIONS[key], value, key, problems)
        else:
            top[key] = value
    plain = {f.name for f in dataclasses.fields(Settings)} - {
        *SECTIONS, "import_", "category_rules"}
    for key in sorted(k for k in top if k not in plain
                      and k not in {"import_", "category_rules", *SECTIONS}):
        problems.append(Phrase("set_unknown", key=repr(key),
                               known=", ".join(sorted(plain | set(SECTIONS)))))
        del top[key]
    hints = get_type_hints(Settings)
    for key in sorted(plain & set(top)):
        try:
            top[key] = _coerce(top[key], hints[key], None, key)
        except _Problem as exc:
            problems.append(exc.phrase)
            del top[key]
    top.setdefault("municipality", "")
    return top


def _joined(problems: list[Phrase]) -> Phrase:
    """One phrase of several problems: ``n problems: a; b; c`` (just ``a`` when one)."""
    if len(problems) == 1:
        return problems[0]
    return Phrase("set_problems", n=len(problems), problems=Phrase.joined(problems))


def load_settings(data_dir: Path | str) -> Settings:
    """Read ``DATA_DIR/trafikplan.toml``.

    Parameters
    ----------
    data_dir : Path or str
        The data folder.

    Returns
    -------
    Settings
        With defaults for every key the file does not set.

    Raises
    ------
    InputError
        Missing file, broken TOML, a missing required key, an unknown key, a
        value of the wrong type or outside its range, an unknown time zone:
        every problem of the file in one error, each naming its key and what
        is allowed.
    """
    path = Path(data_dir) / SETTINGS_FILE
    if not path.is_file():
        raise InputError("set_no_file", path=path)
    raw = read_toml(path)
    problems = [Phrase("set_required", key=repr(key))
                for key in ("municipality", "timezone") if key not in raw]
    settings = Settings(**_top_level(raw, problems))
    try:
        ZoneInfo(settings.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(Phrase("set_timezone", tz=repr(settings.timezone)))
    if settings.language not in LANGUAGES:
        problems.append(Phrase("set_language", value=repr(settings.language)))
    problems += check_ranges(settings)
    if problems:
        raise InputError(_joined(problems), path=path)
    return settings


def folder_language(data_dir: Path | str) -> str:
    """Return the language a person reads a data folder's messages in.

    The folder's ``language`` setting when ``trafikplan.toml`` can be read and
    sets a valid one, even if other settings are wrong (their errors are then
    worded in it); ``"sv"`` otherwise.
    """
    path = Path(data_dir) / SETTINGS_FILE
    try:
        raw = read_toml(path) if path.is_file() else {}
    except (TrafikplanError, OSError):
        return LANGUAGES[0]
    language = raw.get("language")
    return language if isinstance(language, str) and language in LANGUAGES else LANGUAGES[0]
