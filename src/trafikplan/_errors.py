"""Exceptions raised by trafikplan.

The command line maps them to exit codes: :class:`InputError` and
:class:`InfeasiblePlanError` (bad input or usage) exit with 2 and one line on
stderr; anything else is a bug and exits with 1. ``--debug`` re-raises.
"""

from __future__ import annotations

from pathlib import Path

from trafikplan.i18n.phrase import Phrase

__all__ = ["DiskFullError", "InfeasiblePlanError", "InputError", "LockTimeoutError",
           "OutputError", "ReadOnlyStoreError", "TrafikplanError", "WordedError"]


class TrafikplanError(Exception):
    """Base class of every error trafikplan raises on purpose."""


class WordedError(TrafikplanError):
    """An error whose message is a :class:`Phrase` of the dictionary, worded for whoever reads it.

    ``message`` is a key of the dictionary (or a :class:`Phrase`, or a literal
    text) filled with ``values``; :attr:`message` and ``str(err)`` are English
    (for code and logs), :meth:`text` and :meth:`one_line` word it in ``"sv"``
    or ``"en"`` (the command line uses the data folder's ``language``).
    """

    def __init__(self, message: str | Phrase, /, **values: object) -> None:
        self.phrase = message if isinstance(message, Phrase) else Phrase(message, **values)
        super().__init__(self.one_line())

    @property
    def message(self) -> str:
        """The message in English."""
        return self.phrase.text("en")

    def text(self, language: str = "en") -> str:
        """Return the message in ``language`` (``"sv"`` or ``"en"``)."""
        return self.phrase.text(language)

    def one_line(self, language: str = "en") -> str:
        """Return the message on a single line, in ``language``."""
        return self.text(language).replace("\n", " ")


class InputError(WordedError, ValueError):
    """A file, a setting or an argument that cannot be used as it is.

    The message is a :class:`Phrase` of the dictionary: :attr:`message` and
    ``str(err)`` are English (for code and logs); :meth:`text` and
    :meth:`one_line` word it for a person in ``"sv"`` or ``"en"`` (the command
    line uses the data folder's ``language``).

    Parameters
    ----------
    message : str or Phrase
        Key of :data:`trafikplan.i18n.TEXT` saying what was expected (and, where
        useful, a hint); a literal text is used as it is.
    path : Path or str, optional
        The file the problem is in.
    line : int, optional
        1-based line number in that file.
    column : str or int, optional
        Column name (or 1-based number) in that line.
    **values
        Filled into the sentence ``message``.
    """

    def __init__(
        self,
        message: str | Phrase,
        /,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        column: str | int | None = None,
        **values: object,
    ) -> None:
        self.path = None if path is None else str(path)
        self.line = line
        self.column = column
        super().__init__(message, **values)

    def one_line(self, language: str = "en") -> str:
        """Return ``file:line: column 'c': message`` on a single line, in ``language``.

        A ``column`` starting with ``--`` is a command-line option and is named so.
        """
        where = ""
        if self.path is not None:
            where = self.path
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        if self.column is not None:
            option = isinstance(self.column, str) and self.column.startswith("--")
            where += Phrase("err_option" if option else "err_column",
                            column=self.column).text(language) + ": "
        return (where + self.text(language)).replace("\n", " ")


class InfeasiblePlanError(WordedError, RuntimeError):
    """A plan cannot be made: no roster, no check spots, or rules that contradict.

    Worded like :class:`InputError` (:class:`WordedError`), without a place in a file.
    """


class LockTimeoutError(TrafikplanError, TimeoutError):
    """Another trafikplan process holds the data folder's lock for too long."""


class DiskFullError(TrafikplanError, OSError):
    """The disk (or quota) filled up while writing; what was being replaced is unchanged."""


class ReadOnlyStoreError(TrafikplanError, PermissionError):
    """The data folder cannot be written, and something had to be imported into it."""


class OutputError(TrafikplanError, RuntimeError):
    """An output could not be made (e.g. Chromium failed on a PDF); the others were written."""
