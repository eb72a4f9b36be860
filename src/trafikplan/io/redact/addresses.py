"""Street addresses in free text: house, apartment and postcode numbers (the street stays).

What is accepted is listed in :mod:`trafikplan.io.redact`.
"""

from __future__ import annotations

import re

from trafikplan.io.redact.markers import MARKERS, Rule

__all__ = ["ADDRESS_RULES", "STREET_SUFFIXES"]

STREET_SUFFIXES = (
    "gatan", "gata", "vägen", "väg", "leden", "led", "gränd", "gränden", "stigen", "stig",
    "backen", "backe", "allén", "allé", "torget", "torg", "plan", "platsen", "esplanaden",
    "promenaden", "kajen", "kaj", "stråket", "slingan", "ringen", "svängen", "bron", "vägen",
    "gången", "parken", "liden", "höjden", "udden", "tået", "hagen", "ängen", "lunden",
    "gårdsvägen", "fältet",
)
"""Endings of Swedish street names (``Ringvägen``, ``Stora Gatan``, ``Kyrkbacken``)."""

_STREET_WORD = (r"(?:[A-ZÅÄÖÉ][\wåäöéü]*(?i:" + "|".join(STREET_SUFFIXES) + r")"
                r"|[A-ZÅÄÖÉ][\wåäöéü]+s (?:väg|gata|gatan|vägen|gränd|allé|torg|plan)"
                r"|[A-ZÅÄÖÉ][\wåäöéü]+ (?:Gatan|Vägen|Gata|Väg|Gränd|Allé|Allén|Torget|Torg|"
                r"Backe|Backen|Leden|Stigen|Plan|Platsen))")
_HOUSE = re.compile(
    rf"(?P<street>\b{_STREET_WORD})(?P<sep>\s+(?:nr\.?\s*)?)"
    r"(?P<n>\d{1,4}(?:\s?[A-Za-z](?![\wåäö]))?(?:\s?-\s?\d{1,4}[A-Za-z]?)?)(?![\d,.:]\d|\s?km|\s?m\b)",
)
_ROAD = re.compile(r"(?i)^(?:läns|riks|europa|allmän|enskild )?väg$")
_APARTMENT = re.compile(r"\b(?:lgh|lägenhet)\.?\s*(?:nr\.?\s*)?\d{3,5}\b", re.IGNORECASE)
_POSTCODE = re.compile(
    r"(?<![\w\-.,:/])(?:SE-?\s?)?[1-9]\d{2} ?\d{2}(?=\s+[A-ZÅÄÖ][a-zåäö]+|\s*$)"
)
_POSTCODE_CUED = re.compile(r"(?P<cue>\b(?i:postnr|postnummer|post\.\s?nr)\.?:?\s*)"
                            r"(?:SE-?\s?)?[1-9]\d{2} ?\d{2}(?!\d)")


def _house_sub(m: re.Match[str]) -> str:
    if _ROAD.match(m.group("street")):
        return m.group(0)  # "Länsväg 250", "väg 56": a road number
    return m.group("street") + " " + MARKERS["house"]


def _postcode_sub(m: re.Match[str]) -> str:
    text = m.group(0)
    before = m.string[max(0, m.start() - 12): m.start()].casefold()
    digits = re.sub(r"\D", "", text)
    if len(digits) != 5:
        return text
    if " " not in text.strip() and "post" not in before and not text.upper().startswith("SE"):
        # five bare digits: only before a place name after an address or a comma
        if not re.search(r"(?:\]|,)\s*$", before):
            return text
    return MARKERS["postcode"]



ADDRESS_RULES: tuple[Rule, ...] = (
    (_APARTMENT, MARKERS["apartment"]),
    (_HOUSE, _house_sub),
    (_POSTCODE_CUED, lambda m: m.group("cue") + MARKERS["postcode"]),
    (_POSTCODE, _postcode_sub),
)
"""Apartment numbers, house numbers, postcodes, in this order."""
