"""Registration plates in free text, Swedish and common foreign forms.

What is accepted is listed in :mod:`trafikplan.io.redact`.
"""

from __future__ import annotations

import re

from trafikplan.io.redact.markers import MARKERS, Rule

__all__ = ["PLATE_RULES", "PLATE_STOPWORDS"]

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

_SEP = r"[ \-._]?"
_PLATE = re.compile(
    rf"(?<![\w\-])(?P<l>[{_PLATE_LETTERS}]{{3}})(?P<s>{_SEP})"
    rf"(?P<d>\d{{3}}|\d{{2}}[{_PLATE_LAST}])(?![\w]|[\-:.,/]\d)"
)
_PLATE_CUE = (r"(?:reg\.?(?:nr|nummer|skylt)?|registreringsnummer|skylt(?:en)?|plåt|"
              r"nummerplåt|regnr)")
_FOREIGN_FORMS = (
    r"[A-Z]{2} ?\d{5}",                  # Norway AB 12345, Poland WA 12345
    r"[A-Z]{2} \d{2} ?\d{3}",            # Denmark AB 12 345
    r"[A-ZÄÖÜ]{1,3}[ \-][A-Z]{1,2} ?\d{1,4}[EH]?",  # Germany B-AB 1234, M AB 123
    r"[A-Z]{3} ?\d{4}[A-Z]?",            # Poland WPR 1234A
    r"[A-Z]{2}\d{2} ?[A-Z]{3}",          # Great Britain AB12 CDE
    r"\d{3} ?[A-Z]{3}",                  # Estonia 123 ABC
    r"[A-Z]{2}-\d{4}",                   # Latvia AB-1234
)
_FOREIGN = re.compile(rf"(?<![\w\-])(?:{'|'.join(_FOREIGN_FORMS)})(?![\w]|[\-:.,/]\d)")
_FOREIGN_CUED = re.compile(
    rf"(?P<cue>\b{_PLATE_CUE}\b\.?:?\s*)(?P<p>(?:{'|'.join(_FOREIGN_FORMS)}))(?![\w])",
    re.IGNORECASE,
)
_NOT_FOREIGN = re.compile(r"^(?:E ?\d+|RV ?\d+|LV ?\d+|KL ?\d+|NR ?\d+|SE-?\d+|XC ?\d+|"
                          r"[A-Z]{2} ?\d{5}.*KM.*)$")


def _plate_sub(m: re.Match[str]) -> str:
    letters = m.group("l")
    if (letters.islower() or letters.istitle()) and letters.lower() in PLATE_STOPWORDS:
        return m.group(0)
    return MARKERS["plate"]


def _foreign_sub(m: re.Match[str]) -> str:
    text = m.group(0)
    if _NOT_FOREIGN.match(text.upper()) or not re.search(r"\d", text) or not re.search(
            r"[A-Za-z]", text):
        return text
    return MARKERS["plate"]



PLATE_RULES: tuple[Rule, ...] = (
    (_FOREIGN_CUED, lambda m: m.group("cue") + MARKERS["plate"]),
    (_PLATE, _plate_sub),
    (_FOREIGN, _foreign_sub),
)
"""Foreign plates after a plate word, Swedish plates, foreign plates, in this order."""
