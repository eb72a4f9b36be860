"""Regular expressions from users (format profiles, category keywords), compiled safely.

A pattern a user writes is run against text from raw files, so a pattern with
catastrophic backtracking such as ``(a+)+$`` could hang an import for hours on
one long header line. Such patterns are compiled with RE2 (``google-re2``),
which matches in time linear in the text whatever the pattern, and caps the
memory a pattern may use. RE2 has no look-around and no back-references; a
pattern using them is refused with one line naming the key.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from trafikplan._errors import InputError

__all__ = ["MAX_PATTERN_CHARS", "safe_pattern"]

MAX_PATTERN_CHARS = 1000
"""Longest pattern accepted [characters]."""

_MAX_MEM = 8 << 20
"""Memory RE2 may use for one compiled pattern [bytes]."""


@functools.lru_cache(maxsize=256)
def _compile(pattern: str) -> Any:
    import re2

    options = re2.Options()
    options.log_errors = False  # RE2 would print its own lines on stderr
    options.max_mem = _MAX_MEM
    return re2.compile(pattern, options=options)


def safe_pattern(pattern: object, *, where: str, path: Path | str | None = None) -> Any:
    """Compile a user's regular expression with RE2 (linear time, bounded memory).

    Parameters
    ----------
    pattern : str
        The regular expression (Python syntax without look-around or
        back-references).
    where : str
        The key it came from, e.g. ``"header_match"`` (named in errors).
    path : Path or str, optional
        The file it came from.

    Returns
    -------
    re2 pattern
        With the methods of :class:`re.Pattern` (``search``, ``match``,
        ``fullmatch``, ``groups``, ``pattern``).

    Raises
    ------
    InputError
        Not a string, too long, or not a regular expression RE2 accepts.
    """
    import re2

    if not isinstance(pattern, str):
        raise InputError("err_pattern_type", where=where, value=pattern, path=path)
    if len(pattern) > MAX_PATTERN_CHARS:
        raise InputError("err_pattern_long", where=where, n=len(pattern),
                         most=MAX_PATTERN_CHARS, path=path)
    try:
        return _compile(pattern)
    except re2.error as exc:
        reason = exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(
            exc.args[0], bytes) else str(exc)
        raise InputError("err_pattern_unsafe", where=where, reason=reason, path=path) from None
