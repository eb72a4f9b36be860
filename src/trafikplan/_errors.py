"""Exceptions raised by trafikplan.

The command line maps them to exit codes: :class:`InputError` and
:class:`InfeasiblePlanError` (bad input or usage) exit with 2 and one line on
stderr; anything else is a bug and exits with 1. ``--debug`` re-raises.
"""

from __future__ import annotations

from pathlib import Path


class TrafikplanError(Exception):
    """Base class of every error trafikplan raises on purpose."""


class InputError(TrafikplanError, ValueError):
    """A file, a setting or an argument that cannot be used as it is.

    Parameters
    ----------
    message : str
        What was expected (and, where useful, a hint).
    path : Path or str, optional
        The file the problem is in.
    line : int, optional
        1-based line number in that file.
    column : str or int, optional
        Column name (or 1-based number) in that line.
    """

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        column: str | int | None = None,
    ) -> None:
        self.message = message
        self.path = None if path is None else str(path)
        self.line = line
        self.column = column
        super().__init__(self.one_line())

    def one_line(self) -> str:
        """Return ``file:line: column 'c': message`` on a single line."""
        where = ""
        if self.path is not None:
            where = self.path
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        if self.column is not None:
            where += f"column {self.column!r}: "
        return (where + self.message).replace("\n", " ")


class InfeasiblePlanError(TrafikplanError, RuntimeError):
    """A plan cannot be made: no roster, no check spots, or rules that contradict."""


class LockTimeoutError(TrafikplanError, TimeoutError):
    """Another trafikplan process holds the data folder's lock for too long."""


class DiskFullError(TrafikplanError, OSError):
    """The disk (or quota) filled up while writing; what was being replaced is unchanged."""


class ReadOnlyStoreError(TrafikplanError, PermissionError):
    """The data folder cannot be written, and something had to be imported into it."""


class OutputError(TrafikplanError, RuntimeError):
    """An output could not be made (e.g. Chromium failed on a PDF); the others were written."""
