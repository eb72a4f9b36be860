"""A sentence of the dictionary with its values, worded only where a person reads it.

Errors and warnings say *what* is wrong as a :class:`Phrase` (a key of
:data:`~trafikplan.i18n.dictionary.TEXT` and values); whoever shows it to a
person words it in their language (:meth:`Phrase.text`). A :class:`Code` in
the values is named from the code vocabularies. The exceptions carrying them
are in :mod:`trafikplan.errors`.
"""

from __future__ import annotations

from trafikplan.i18n.dictionary import TEXT
from trafikplan.i18n.languages import language_index
from trafikplan.i18n.lookup import code

__all__ = ["Code", "Phrase", "phrase_text"]


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
        return phrase_text(self.key, language, self.values)

    @classmethod
    def joined(cls, phrases: list[Phrase], sep: str = "; ") -> Phrase:
        """Return one phrase of several, worded each in the same language and joined by ``sep``."""
        parts = {f"p{i}": p for i, p in enumerate(phrases)}
        return cls(sep.join("{" + k + "}" for k in parts), **parts)

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


def phrase_text(key: str, language: str, values: dict[str, object]) -> str:
    """Word the :class:`Phrase` ``key`` with ``values`` in ``language``.

    Values that are phrases themselves are worded in the same language; a key
    that is not in :data:`TEXT` is a literal text (filled in when it has values).
    """
    i = language_index(language)
    filled = {k: v.text(language) if isinstance(v, Phrase)
              else code(v.vocabulary, v.value, language) if isinstance(v, Code) and language != "en"
              else v for k, v in values.items()}
    if key in TEXT:
        return TEXT[key][i].format(**filled)
    return key.format(**filled) if filled else key
