"""The languages of everything a person reads: Swedish first (the default), then English."""

from __future__ import annotations

__all__ = ["LANGUAGES", "language_index"]

LANGUAGES = ("sv", "en")
"""Languages of everything a person reads; the position in each ``(Swedish, English)`` pair."""


def language_index(language: str) -> int:
    """Return the position of ``language`` in each pair of the dictionary.

    Raises
    ------
    ValueError
        For a language other than ``sv`` or ``en`` (a setting's language is
        checked when the settings are read: another one here is a bug).
    """
    try:
        return LANGUAGES.index(language)
    except ValueError:
        raise ValueError(f"language must be 'sv' or 'en', got {language!r}") from None
