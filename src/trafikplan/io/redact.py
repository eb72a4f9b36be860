"""Redaction of personal data in free text (Embrace reports) before it is stored.

:func:`redact` replaces, in this order,

1. e-mail addresses -> ``[e-post]``;
2. Swedish personnummer and samordningsnummer -> ``[personnummer]``;
3. Swedish phone numbers -> ``[telefon]``;
4. Swedish registration plates -> ``[regnr]``.

What is accepted (and what deliberately is not)
-----------------------------------------------
Personnummer / samordningsnummer
    ``YYYYMMDD-NNNN``, ``YYYYMMDDNNNN``, ``YYMMDD-NNNN``, ``YYMMDDNNNN`` and the
    ``+`` separator used from the year a person turns 100 (``YYMMDD+NNNN``, also
    accepted with century). The century, if given, is 18, 19 or 20. The month
    must be 01-12 and the day 01-31, or 61-91 for a samordningsnummer (day + 60).
    The last digit must be the Luhn check digit of the 10 digits ``YYMMDDNNN``:
    a number that fails the check is *not* a personnummer and is left alone
    (it may still be caught as a phone number). Not accepted: a space as the
    separator (``850709 9805``), and a number glued to letters, digits or a
    hyphen on its left (``EMB-19850709-9805``, part of an id). A ten-digit run
    that is both a valid personnummer and a phone number (``0701234567`` when the
    Luhn digit happens to fit) is marked ``[personnummer]``: it is redacted
    either way.
Phone numbers
    A leading ``0``, ``+46`` or ``0046`` (optionally ``(0)`` after the country
    code), then digit groups: a hyphen, slash, space or `` - `` after the area
    code / mobile prefix (or the area code in parentheses, ``(070) 123 45 67``),
    single spaces between later groups (so the date ``05-04-2024`` is no phone
    number). ``tel:0701234567`` counts (a colon after a word). The number
    counts when its national part (digits after the ``0`` or ``46``) has 7 to 9
    digits and, when the area code / mobile prefix is written as its own group
    (``0221-123 45``, ``070 123 45 67``, ``08-123 456 78``), that group has
    at most 3 digits after the ``0`` and the subscriber part after it 5 to 8
    digits (so ``020304-5670``, a personnummer failing its check, is no
    phone). Trailing groups that would make the number too long are given
    back as text (``070-123 45 67 20 gånger``). Because of the
    rules above ``kl 0800-1000`` (a 4-digit "subscriber"), times, dates, years
    and counts are never phone numbers.
Registration plates
    Three letters from the Swedish plate alphabet (A-Z without I, Q, V, Å, Ä,
    Ö; any case), an optional space or hyphen, then either three digits
    (old form ``ABC 123``) or two digits and a letter (new form ``ABC 12A``;
    the final letter may be any of A-Z without I, Q, V, Å, Ä, Ö, O). The plate
    may not be glued to letters or digits on either side. Three letters in
    lower or title case that form a common Swedish word or abbreviation
    (``och 120``, ``Mot 110``, ``typ 100``, ``tel 070``, ``maj 2024`` ...; see
    :data:`PLATE_STOPWORDS`) are not a plate; the same letters in capitals
    (``OCH 120``) are. Words with the excluded letters (``kl 123``,
    ``bil 123``, ``väg 250``) can never be plates.
E-mail
    ``local@domain.tld`` with the usual characters in the local part.

Nothing else is touched: times (``22:40``, ``22.40``, ``kl. 22``), dates
(``2024-04-19``, ``19/4``, ``19 april``), house numbers (``Ringvägen 14``),
speeds (``80 km/h``), years, counts and report ids stay as written.
"""

from __future__ import annotations

import re
from typing import overload

import pandas as pd

MARKERS = {
    "email": "[e-post]",
    "personnummer": "[personnummer]",
    "phone": "[telefon]",
    "plate": "[regnr]",
}
"""Replacement markers by kind of personal data."""

_PLATE_LETTERS = "A-HJ-PR-UW-Za-hj-pr-uw-z"
_PLATE_LAST = "A-HJ-NPR-UW-Za-hj-npr-uw-z"  # new form: last letter, also without O

PLATE_STOPWORDS = frozenset(
    """
    och att som den det med mot men har kan ska sen upp ner ned nya tre sex fem ett mer bra far
    kom tog dag per tom typ jag han hon oss era dem ens nej all bor hus tar hel sju alt ggr ons
    tor fre jan feb mar apr maj jun jul aug sep okt dec tel mob nrn kmh kph mph ute hem run
    tot var
    """.split()
)
"""Lowercase three-letter words that are never taken for a plate (``och 120``)."""

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])")

_PNR = re.compile(
    r"(?<![\w+\-])(?P<c>18|19|20)?(?P<d>\d{6})(?P<s>[\-+]?)(?P<n>\d{4})(?![\w]|[\-+]\d)"
)

_PHONE = re.compile(
    r"(?:(?<![\w+\-/.:,])|(?<=[^\W\d_]:))"
    r"(?P<p>(?:\+|00)46[ \-]?(?:\(0\)[ \-]?)?|0)"
    r"(?P<b>[1-9]\d*(?:(?: - |[ \-/])\d+)?(?: \d+)*)"
    r"(?![\w]|[.:,/]\d)"
)

_PHONE_PAREN = re.compile(
    r"(?<![\w(])\(0(?P<a>[1-9]\d{0,2})\)[ \-]?(?P<s>\d+(?: \d+)*)(?![\w]|[.:,/]\d)"
)

_PLATE = re.compile(
    rf"(?<![\w\-])(?P<l>[{_PLATE_LETTERS}]{{3}})(?P<s>[ \-]?)"
    rf"(?P<d>\d{{3}}|\d{{2}}[{_PLATE_LAST}])(?![\w]|[\-:.,/]\d)"
)

_GROUP_SPLIT = re.compile(r"( - |[ \-/])")


def luhn_ok(digits: str) -> bool:
    """Return whether ``digits`` end in their Luhn check digit.

    Parameters
    ----------
    digits : str
        Decimal digits only (for a personnummer the ten digits ``YYMMDDNNNC``).

    Returns
    -------
    bool
        True when the weighted digit sum (weights 2, 1, 2, ... from the left for
        ten digits) is divisible by 10.
    """
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _pnr_sub(m: re.Match[str]) -> str:
    date6 = m.group("d")
    month = int(date6[2:4])
    day = int(date6[4:6])
    if not (1 <= month <= 12 and (1 <= day <= 31 or 61 <= day <= 91)):
        return m.group(0)
    if not luhn_ok(date6 + m.group("n")):
        return m.group(0)
    return MARKERS["personnummer"]


def _phone_sub(m: re.Match[str]) -> str:
    body = m.group("b")
    parts = _GROUP_SPLIT.split(body)  # digits, sep, digits, sep, ...
    groups = parts[0::2]
    seps = parts[1::2]
    counts = [len(g) for g in groups]
    keep = len(groups)
    while keep > 1 and sum(counts[:keep]) > 9:
        keep -= 1
    national = sum(counts[:keep])
    if not 7 <= national <= 9:
        return m.group(0)
    if keep > 1:
        subscriber = national - counts[0]
        if counts[0] > 3 or not 5 <= subscriber <= 8:
            return m.group(0)
    tail = "".join(s + g for s, g in zip(seps[keep - 1 :], groups[keep:], strict=True))
    return MARKERS["phone"] + tail


def _phone_paren_sub(m: re.Match[str]) -> str:
    groups = m.group("s").split(" ")
    counts = [len(g) for g in groups]
    keep = len(groups)
    while keep > 1 and sum(counts[:keep]) > 8:
        keep -= 1
    subscriber = sum(counts[:keep])
    if not 5 <= subscriber <= 8 or not 7 <= len(m.group("a")) + subscriber <= 9:
        return m.group(0)
    return MARKERS["phone"] + "".join(" " + g for g in groups[keep:])


def _plate_sub(m: re.Match[str]) -> str:
    letters = m.group("l")
    if (letters.islower() or letters.istitle()) and letters.lower() in PLATE_STOPWORDS:
        return m.group(0)
    return MARKERS["plate"]


_RULES = (
    (_EMAIL, MARKERS["email"]),
    (_PNR, _pnr_sub),
    (_PHONE_PAREN, _phone_paren_sub),
    (_PHONE, _phone_sub),
    (_PLATE, _plate_sub),
)


@overload
def redact(text: str) -> str: ...
@overload
def redact(text: pd.Series) -> pd.Series: ...


def redact(text: pd.Series | str) -> pd.Series | str:
    """Replace personal data in free text with markers.

    See the module docstring for exactly what is recognised. Markers are
    ``[personnummer]``, ``[regnr]``, ``[telefon]`` and ``[e-post]``.

    Parameters
    ----------
    text : Series of str or str
        Free text (NA entries of a Series stay NA).

    Returns
    -------
    Series of str or str
        Same type as ``text``; a Series keeps its index and becomes ``string``
        dtype.
    """
    if isinstance(text, str):
        out = text
        for pattern, repl in _RULES:
            out = pattern.sub(repl, out)
        return out
    series = text.astype("string")
    for pattern, repl in _RULES:
        series = series.str.replace(pattern, repl, regex=True)
    return series
