"""The one number format for people: decimal comma and thin-space thousands in Swedish.

Counts (:func:`integer`), decimals (:func:`number`), shares as per cent
(:func:`percent`), values with their 95 % interval (:func:`interval`) and
changes of shares in percentage points (:func:`points_change`).
"""

from __future__ import annotations

__all__ = ["integer", "interval", "number", "percent", "points_change"]

_THOUSANDS = {"sv": "\u202f", "en": ","}
"""Thousands separator: a narrow no-break space in Swedish (it never breaks a number)."""


def number(value: float | None, digits: int, language: str, *, sign: bool = False) -> str:
    """Format a number for a person: the one number format of the package.

    Swedish: decimal comma, a narrow no-break space (U+202F) between
    thousands, a real minus sign (``−1 234,5``); English: ``−1,234.5``.

    Parameters
    ----------
    value : float
        The number (None or NaN give an empty string).
    digits : int
        Decimals.
    language : str
        ``"sv"`` or ``"en"``.
    sign : bool
        Show ``+`` on positive numbers (changes).
    """
    if value is None or value != value:
        return ""
    if value in (float("inf"), float("-inf")):  # an open speed class: "90 to ∞"
        return "\u221e" if value > 0 else "\u2212\u221e"
    value = round(float(value), digits) + 0.0  # no "−0" for a tiny negative value
    body = f"{value:+,.{digits}f}" if sign else f"{value:,.{digits}f}"
    body = body.replace(",", "\0").replace(".", "," if language == "sv" else ".")
    return body.replace("\0", _THOUSANDS.get(language, ",")).replace("-", "\u2212")


def integer(value: float | None, language: str) -> str:
    """Format a count: ``1 466 744`` (Swedish), ``1,466,744`` (English)."""
    return number(value, 0, language)


def percent(share: float | None, language: str, digits: int = 0) -> str:
    """Format a share (0–1) as per cent: ``35 %`` (a space before ``%`` in both languages)."""
    if share is None or share != share:
        return ""
    return f"{number(100.0 * float(share), digits, language)} %"


def interval(value: float, lo: float, hi: float, digits: int, language: str, *,
             sign: bool = False, scale: float = 1.0, unit: str = "") -> str:
    """Format ``value (lo till hi)`` / ``value (lo to hi)``; empty when ``value`` is NaN."""
    if value is None or value != value:
        return ""
    word = "till" if language == "sv" else "to"
    v = number(value * scale, digits, language, sign=sign)
    a = number(lo * scale, digits, language, sign=sign)
    b = number(hi * scale, digits, language, sign=sign)
    if not a:
        return f"{v}{unit}"
    return f"{v}{unit} ({a} {word} {b})"


def points_change(value: float, lo: float, hi: float, language: str) -> str:
    """Format a change of a share (0–1) in percentage points with its interval.

    ``−16 %-enh. (−17 till −15)`` in Swedish, ``−16 pp (−17 to −15)`` in English.
    """
    unit = " %-enh." if language == "sv" else " pp"
    return interval(value, lo, hi, 0, language, sign=True, scale=100.0, unit=unit)
