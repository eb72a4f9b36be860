"""Exceptions raised by trafikplan.

The command line maps them to exit codes: :class:`InputError` and
:class:`InfeasiblePlanError` (bad input or usage) exit with 2 and one line on
stderr; anything else is a bug and exits with 1. ``--debug`` re-raises.
"""

from __future__ import annotations

from pathlib import Path


class TrafikplanError(Exception):
    """Base class of every error trafikplan raises on purpose."""


class Phrase:
    """A sentence of the dictionary (:mod:`trafikplan.i18n`) with its values, not yet worded.

    The io layer says *what* is wrong (a key and values); who shows it to a
    person words it in their language (:meth:`text`). A value may itself be a
    :class:`Phrase` (worded in the same language). A ``key`` that is not in the
    dictionary is taken as the text itself (filled with ``values`` if any).

    Parameters
    ----------
    key : str
        Key of :data:`trafikplan.i18n.TEXT` (or a literal text).
    **values
        Filled into the sentence (``str.format`` fields of both languages).
    """

    __slots__ = ("key", "values")

    def __init__(self, key: str, /, **values: object) -> None:
        self.key = key
        self.values = values

    def text(self, language: str = "en") -> str:
        """Return the sentence in ``language`` (``"sv"`` or ``"en"``)."""
        from trafikplan.i18n import phrase_text

        return phrase_text(self.key, language, self.values)

    def __str__(self) -> str:
        return self.text("en")

    def __repr__(self) -> str:
        return f"Phrase({self.key!r}, **{self.values!r})"

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Phrase) and self.key == other.key
                and self.values == other.values)

    def __hash__(self) -> int:
        return hash((self.key, tuple(sorted((k, str(v)) for k, v in self.values.items()))))


class Code:
    """A code value (a reject reason, a category ...) to be named for a person in a :class:`Phrase`.

    Parameters
    ----------
    vocabulary : str
        Key of :data:`trafikplan.i18n.CODES`.
    value : str
        The code.
    """

    __slots__ = ("value", "vocabulary")

    def __init__(self, vocabulary: str, value: object) -> None:
        self.vocabulary = vocabulary
        self.value = value

    def __str__(self) -> str:
        return str(self.value)


class InputError(TrafikplanError, ValueError):
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
        self.phrase = message if isinstance(message, Phrase) else Phrase(message, **values)
        self.path = None if path is None else str(path)
        self.line = line
        self.column = column
        super().__init__(self.one_line())

    @property
    def message(self) -> str:
        """What was expected, in English."""
        return self.phrase.text("en")

    def text(self, language: str = "en") -> str:
        """Return what was expected in ``language`` (``"sv"`` or ``"en"``)."""
        return self.phrase.text(language)

    def one_line(self, language: str = "en") -> str:
        """Return ``file:line: column 'c': message`` on a single line, in ``language``."""
        where = ""
        if self.path is not None:
            where = self.path
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        if self.column is not None:
            where += Phrase("err_column", column=self.column).text(language) + ": "
        return (where + self.text(language)).replace("\n", " ")


class InfeasiblePlanError(TrafikplanError, RuntimeError):
    """A plan cannot be made: no roster, no check spots, or rules that contradict.

    Worded like :class:`InputError`: ``message`` is a key of the dictionary (or a
    :class:`Phrase`, or a literal text) filled with ``values``; ``str(err)`` is
    English, :meth:`one_line` words it in ``"sv"`` or ``"en"``.
    """

    def __init__(self, message: str | Phrase, /, **values: object) -> None:
        self.phrase = message if isinstance(message, Phrase) else Phrase(message, **values)
        super().__init__(self.one_line())

    @property
    def message(self) -> str:
        """Why no plan can be made, in English."""
        return self.phrase.text("en")

    def text(self, language: str = "en") -> str:
        """Return why no plan can be made in ``language`` (``"sv"`` or ``"en"``)."""
        return self.phrase.text(language)

    def one_line(self, language: str = "en") -> str:
        """Return the reason on a single line, in ``language``."""
        return self.text(language).replace("\n", " ")


class LockTimeoutError(TrafikplanError, TimeoutError):
    """Another trafikplan process holds the data folder's lock for too long."""


class DiskFullError(TrafikplanError, OSError):
    """The disk (or quota) filled up while writing; what was being replaced is unchanged."""


class ReadOnlyStoreError(TrafikplanError, PermissionError):
    """The data folder cannot be written, and something had to be imported into it."""


class OutputError(TrafikplanError, RuntimeError):
    """An output could not be made (e.g. Chromium failed on a PDF); the others were written."""
