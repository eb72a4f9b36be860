"""Reading a TOML file within limits: size, nesting depth, UTF-8.

Settings (``trafikplan.toml``), format profiles and ``choices.toml`` are read
with :func:`read_toml`; a file that is too large, too deep, not UTF-8 or not
TOML is an :class:`~trafikplan._errors.InputError` naming the file (and the
line where the parser or the depth check stopped).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from trafikplan._errors import InputError
from trafikplan.settings.schema import LimitSettings

__all__ = ["MAX_TOML_BYTES", "read_toml"]

MAX_TOML_BYTES = 1 << 20
"""Largest settings or format-profile TOML file read [bytes]."""


def read_toml(path: Path, max_depth: int | None = None) -> dict[str, Any]:
    """Parse a TOML file within limits: at most 1 MiB and ``max_depth`` levels deep.

    The nesting of arrays and inline tables is measured on the text before it
    is parsed (a parser recursing 100 000 levels deep would fail on its own
    stack), and the depth of the parsed tables (dotted keys) after.

    Parameters
    ----------
    path : Path
        The file.
    max_depth : int, optional
        Deepest nesting allowed (default ``[limits] max_toml_depth``'s default).

    Raises
    ------
    InputError
        Unreadable, too large, too deep, not UTF-8 or not TOML.
    """
    depth_limit = LimitSettings.max_toml_depth if max_depth is None else max_depth
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_TOML_BYTES + 1)
    except OSError as exc:
        raise InputError("set_unreadable", detail=exc.strerror, path=path) from None
    if len(data) > MAX_TOML_BYTES:
        raise InputError("set_too_large", kib=MAX_TOML_BYTES >> 10, path=path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError("set_not_utf8", detail=exc.reason, path=path) from None
    line = _too_deep(text, depth_limit)
    if line is not None:
        raise InputError("set_too_deep", limit=depth_limit, path=path, line=line)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _not_toml(exc, path) from None
    stack: list[tuple[Any, int]] = [(raw, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > depth_limit:
            raise InputError("set_too_deep", limit=depth_limit, path=path)
        children = value.values() if isinstance(value, dict) else value if isinstance(
            value, list) else ()
        stack.extend((v, depth + 1) for v in children if isinstance(v, dict | list))
    return raw


def _too_deep(text: str, limit: int) -> int | None:
    """Return the line where brackets outside strings and comments nest over ``limit``."""
    depth, line, i, n = 0, 1, 0, len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
        elif c == "#":
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        elif c in "\"'":
            quote = text[i:i + 3] if text[i:i + 3] in ('"""', "'''") else c
            j = i + len(quote)
            while j < n and not text.startswith(quote, j):
                if c == '"' and text[j] == "\\":
                    j += 1
                j += 1
            line += text.count("\n", i, j)
            i = j + len(quote)
            continue
        elif c in "[{":
            depth += 1
            if depth > limit:
                return line
        elif c in "]}":
            depth = max(0, depth - 1)
        i += 1
    return None



_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
"""Where :mod:`tomllib` says it stopped, at the end of its message."""


def _not_toml(exc: tomllib.TOMLDecodeError, path: Path) -> InputError:
    """Return "not valid TOML" with the parser's line and column as the error's place."""
    said = str(exc)
    at = _AT.search(said)
    if at is None:
        return InputError("set_not_toml", detail=said, path=path)
    return InputError("set_not_toml_at", detail=said[:at.start()], col=int(at.group(2)),
                      path=path, line=int(at.group(1)))
