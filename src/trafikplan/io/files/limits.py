"""Input limits in force while files are read: the ``[limits]`` settings.

What is read is bounded by :class:`trafikplan.settings.LimitSettings`, made
current for an import by :func:`use_limits`: the decompressed size and the
compression ratio of a gzip stream, the size of a small table read whole, the
longest line and field, the columns of a header, the depth of a TOML file.
Exceeding one raises :class:`LimitError` naming the setting.
"""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Iterator
from pathlib import Path

from trafikplan._errors import InputError
from trafikplan.i18n.phrase import Phrase
from trafikplan.settings import LimitSettings

__all__ = ["LimitError", "check_line_lengths", "limits", "use_limits"]

_limits = LimitSettings()


class LimitError(InputError):
    """An input larger or deeper than a ``[limits]`` setting allows."""

    def __init__(self, what: Phrase | str, setting: str, *, path: Path | str | None = None,
                 line: int | None = None) -> None:
        value = getattr(_limits, setting)
        shown = f"{value:g}" if isinstance(value, float) else str(value)
        super().__init__("err_limit", what=what, setting=setting, shown=shown, path=path,
                         line=line)


def limits() -> LimitSettings:
    """Return the limits in force (the defaults unless :func:`use_limits` set others)."""
    return _limits


@contextlib.contextmanager
def use_limits(new: LimitSettings) -> Iterator[LimitSettings]:
    """Make ``new`` the limits of every reader (all threads) within the block.

    Also sets :func:`csv.field_size_limit` to ``max_field_kb``.
    """
    global _limits
    old, old_field = _limits, csv.field_size_limit()
    _limits = new
    csv.field_size_limit(int(new.max_field_kb * 1024))
    try:
        yield new
    finally:
        _limits = old
        csv.field_size_limit(old_field)


def check_line_lengths(data: bytes | bytearray, path: Path | str, first_line: int = 1,
                       end: int | None = None) -> None:
    """Raise :class:`LimitError` when a line of ``data`` is longer than ``max_line_kb``.

    Only ``data[:end]`` is looked at. Jumps from the last line end of one
    window of the limit's width to the next (a few C-speed searches per MiB,
    no per-line work or extra memory).
    """
    limit = int(_limits.max_line_kb * 1024)
    view = data
    pos, n = 0, len(data) if end is None else end
    while n - pos > limit:
        end = view.rfind(b"\n", pos, pos + limit + 1)
        if end < 0:
            stop = view.find(b"\n", pos, n)
            length = (n if stop < 0 else stop) - pos
            raise LimitError(Phrase("err_limit_line", kib=f"{length / 1024:.0f}"), "max_line_kb",
                             path=path,
                             line=first_line + view.count(b"\n", 0, pos))
        pos = end + 1
