"""Redaction of personal data in free text (Embrace reports, check notes).

:func:`redact` first normalises the text (:func:`normalise_text`: NFKC, bidi
controls, zero-width and other invisible format characters removed, every
dash written ``-``, control characters made spaces), so that an RTL override or
a zero-width space cannot hide a number, and then replaces, in this order,

1. e-mail addresses, also written ``namn(at)exempel.se``, ``namn [at] exempel
   punkt se``, ``namn snabel-a exempel.se`` -> ``[e-post]``;
2. IBANs (checked with :mod:`stdnum.iban`, or any IBAN-shaped text after the
   word IBAN) and Swedish bank, bankgiro and plusgiro numbers after a word
   that names them (``konto``, ``clearing``, ``bg``, ``pg``, ``swish`` ...)
   -> ``[kontonr]``;
3. IP addresses (v4 and v6, checked with :mod:`ipaddress`) -> ``[ip]``;
4. personnummer and samordningsnummer -> ``[personnummer]``;
5. phone numbers -> ``[telefon]``;
6. registration plates, Swedish and common foreign forms -> ``[regnr]``;
7. street addresses: the house number after a street name -> ``[husnr]``
   (the street stays: it is where the traffic is), a postcode -> ``[postnr]``,
   an apartment number (``lgh 1102``) -> ``[lgh]``;
8. names of people -> ``[namn]``.

What is accepted (and what deliberately is not)
-----------------------------------------------
Personnummer / samordningsnummer
    Six digits that are a date (month 01-12, day 01-31, or 61-91 for a
    samordningsnummer), optionally preceded by the century 18/19/20, then a
    separator (``-``, ``+``, a space, ``/``, ``.`` or any dash) and four
    digits: redacted whether or not the check digit is right (a typo'd
    personnummer is still one). Twelve digits with the century and a valid
    date: redacted. Ten bare digits: redacted when they are a valid
    personnummer or samordningsnummer with check digit
    (:mod:`stdnum.se.personnummer`, day - 60 for a samordningsnummer).
    Not a personnummer: a number glued to letters or a hyphen on its left
    (``EMB-19850709-9805``, part of an id), an impossible date (``851399-1234``).
Phone numbers
    The rules written for Swedish numbers (a leading ``0``, ``+46``, ``0046``
    or ``46`` with 9-10 digits following; ``(0)`` after the country code;
    hyphen, slash, space, dots or dashes between groups; ``tel:0701234567``),
    then Google's libphonenumber (:class:`phonenumbers.PhoneNumberMatcher`,
    region SE, leniency VALID) for the forms the rules do not list. A match
    that is a clock-time range (``0800-1000``), a date or a year span is no
    phone number.
Registration plates
    Swedish: three letters from the plate alphabet (A-Z without I, Q, V, Å, Ä,
    Ö; any case), an optional separator (space, hyphen, dot, underscore, any
    dash), then three digits or two digits and a letter. Three letters in
    lower or title case that form a common Swedish word (``och 120``, ``Mot
    110``; :data:`PLATE_STOPWORDS`) are no plate. Foreign (capitals only, or
    any case right after a plate word such as ``reg``, ``regnr``, ``skylt``):
    Norwegian/Danish ``AB 12345``, ``AB 12 345``; German ``B-AB 1234``,
    ``M AB 123``; Polish ``WA 12345``, ``WPR 1234A``; British ``AB12 CDE``;
    Estonian ``123 ABC``; Latvian ``AB-1234``.
Addresses
    A street name (a word ending in ``gatan``, ``vägen``, ``väg``, ``leden``,
    ``gränd``, ``stigen``, ``backen``, ``allén``, ``torget``, ``plan`` and
    similar, or written ``XXX väg``/``XXX gata``) followed by a house number
    (``14``, ``12B``, ``12 B``, ``3-5``, ``12 lgh 1102``) -> ``Ringvägen
    [husnr]``; a postcode (``731 30``, ``73130``, ``SE-731 30``) before a
    capitalised place name or after ``postnr`` -> ``[postnr]``.
Names
    From the lists shipped in ``data/names_sv.txt`` (the 1 000 most common
    Swedish first names, Isof 2023, and 500 most common surnames, Skatteverket
    2025, plus common short forms such as Kalle and Olle): a capitalised
    first name (and the capitalised words after it, ``Kalle Andersson``), a
    surname ending in ``-son``/``-sson``/``-dotter`` or one from the list after
    a first name or a cue word (``heter``, ``grannen``, ``mvh``, ``familjen``
    ...), also in lower case when a first name is followed by a surname
    (``kalle andersson``). At the start of a sentence a name that is also a
    common Swedish word (``Hans``, ``Per``, ``Bo``, ``Dan``, ``Max``) counts
    only when a surname follows.
E-mail
    ``local@domain.tld`` with the usual characters in the local part, and the
    spelled-out variants above.

Nothing else is touched: times (``22:40``, ``22.40``, ``kl. 22``,
``0800-1000``), dates (``2024-04-19``, ``19/4``, ``19 april``), speeds
(``80 km/h``), years, counts, road numbers (``E18``, ``väg 250``), car models
(``XC90``) and report ids stay as written.
"""

from __future__ import annotations

import functools
import ipaddress
import re
import unicodedata
from importlib import resources
from typing import overload

import pandas as pd

__all__ = [
    "MARKERS",
    "PLATE_STOPWORDS",
    "STREET_SUFFIXES",
    "luhn_ok",
    "normalise_text",
    "redact",
    "redact_text",
]

MARKERS = {
    "email": "[e-post]",
    "account": "[kontonr]",
    "ip": "[ip]",
    "personnummer": "[personnummer]",
    "phone": "[telefon]",
    "plate": "[regnr]",
    "house": "[husnr]",
    "postcode": "[postnr]",
    "apartment": "[lgh]",
    "name": "[namn]",
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

# -- normalisation ------------------------------------------------------------------------
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63"), "-")


_RLO = re.compile("\u202e([^\u202c\u202d\u202e\n]*)\u202c?")


def normalise_text(text: str) -> str:
    """Return ``text`` in NFKC with invisible and control characters removed.

    Format characters (Unicode category Cf: bidi overrides and isolates,
    zero-width spaces and joiners, soft hyphens, BOMs) are dropped; control
    characters other than line break and tab become a space; CR LF and CR
    become LF; every dash (en, em, minus ...) becomes ``-``. A run after a
    right-to-left override (U+202E) is reversed first, into the order a reader
    sees it in.

    Parameters
    ----------
    text : str

    Returns
    -------
    str
    """
    text = unicodedata.normalize("NFKC", text).replace("\r\n", "\n").replace("\r", "\n")
    if "\u202e" in text:  # right-to-left override: what a reader sees is the reversed run
        text = _RLO.sub(lambda m: m.group(1)[::-1], text)
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat == "Cf":
            continue
        if cat == "Cc" and ch not in "\n\t":
            out.append(" ")
            continue
        out.append(ch)
    return "".join(out).translate(_DASHES)


# -- e-mail, accounts, IPs -----------------------------------------------------------------
_AT = r"(?:@|\s?[\(\[\{<]\s?(?:at|snabel-?a)\s?[\)\]\}>]\s?|\s(?:at|snabel-?a)\s)"
_DOT = r"(?:\.|\s?[\(\[\{<]\s?(?:dot|punkt)\s?[\)\]\}>]\s?|\s(?:dot|punkt)\s)"
_EMAIL = re.compile(
    rf"(?<![\w.+-])[\w.+-]+\s?{_AT}\s?[\w-]+(?:{_DOT}[\w-]+)*{_DOT}[A-Za-z]{{2,}}(?![\w-])",
    re.IGNORECASE,
)
_EMAIL_PLAIN = re.compile(r"(?<![\w.+-])[\w.+-]+\s?@\s?[\w-]+(?:\s?\.\s?[\w-]+)+")

_IBAN = re.compile(r"(?<![\w])(?P<iban>[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]){11,30})(?![\w])",
                   re.IGNORECASE)
_IBAN_WORD = re.compile(r"iban\W*$", re.IGNORECASE)
_ACCOUNT = re.compile(
    r"(?P<cue>\b(?:konto(?:nummer|nr)?|kontonr|bankkonto|clearing(?:nummer|nr)?|clnr|"
    r"bankgiro|bg|plusgiro|pg|postgiro|swish(?:nummer|nr)?|bank)\b\.?:?\s*(?:nr\.?:?\s*)?)"
    r"(?P<n>\d[\d ,\-.]{3,}\d)",
    re.IGNORECASE,
)
_IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)")
_IPV6 = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])")


def _iban_sub(m: re.Match[str]) -> str:
    from stdnum import iban

    value = m.group("iban")
    cued = _IBAN_WORD.search(m.string[: m.start()]) is not None
    ends = [i + 1 for i, ch in enumerate(value) if ch.isalnum()]
    for n_chars in range(len(ends), 14, -1):  # the longest valid IBAN at the start
        cut = ends[n_chars - 1]
        if iban.is_valid(value[:cut]):
            return MARKERS["account"] + value[cut:]
    return MARKERS["account"] if cued else value


def _ip_sub(m: re.Match[str]) -> str:
    try:
        ipaddress.ip_address(m.group(0))
    except ValueError:
        return m.group(0)
    return MARKERS["ip"]


def _ipv6_sub(m: re.Match[str]) -> str:
    text = m.group(0)
    if text.count(":") < 2 or not re.search(r"[0-9A-Fa-f]", text):
        return text
    return _ip_sub(m)


# -- personnummer -------------------------------------------------------------------------
_PNR = re.compile(
    r"(?<![\w+\-])(?P<c>18|19|20)?(?P<d>\d{6})(?P<s>[\-+ /.]?)(?P<n>\d{4})(?![\w]|[\-+]\d)"
)


def _is_date6(date6: str) -> bool:
    month, day = int(date6[2:4]), int(date6[4:6])
    return 1 <= month <= 12 and (1 <= day <= 31 or 61 <= day <= 91)


def luhn_ok(digits: str) -> bool:
    """Return whether ``digits`` end in their Luhn check digit (:mod:`stdnum.luhn`).

    Parameters
    ----------
    digits : str
        Decimal digits only (for a personnummer the ten digits ``YYMMDDNNNC``).

    Returns
    -------
    bool
    """
    from stdnum import luhn

    return luhn.is_valid(digits)


def _valid_pnr(ten: str) -> bool:
    """Return whether ``ten`` is a valid personnummer or samordningsnummer."""
    from stdnum.se import personnummer

    if int(ten[4:6]) > 60:  # samordningsnummer (day + 60): stdnum knows personnummer only
        return _is_date6(ten[:6]) and luhn_ok(ten)
    return personnummer.is_valid(f"{ten[:6]}-{ten[6:]}")


def _pnr_sub(m: re.Match[str]) -> str:
    date6 = m.group("d")
    if not _is_date6(date6):
        return m.group(0)
    sep, century = m.group("s"), m.group("c")
    if sep == " " and century is None and not _valid_pnr(date6 + m.group("n")):
        return m.group(0)  # "850709 9806": six and four digits, no check digit: leave
    if sep or century:
        return MARKERS["personnummer"]
    return MARKERS["personnummer"] if _valid_pnr(date6 + m.group("n")) else m.group(0)


# -- phone numbers ------------------------------------------------------------------------
_PHONE = re.compile(
    r"(?:(?<![\w+\-/.:,])|(?<=[^\W\d_]:))"
    r"(?P<p>(?:\+|00)46[ \-.]?(?:\(0\)[ \-.]?)?|0|46(?=[1-9]\d{7,9}(?!\d)))"
    r"(?P<b>[1-9]\d*(?:(?: - |[ \-/.])\d+)?(?:[ .]\d+)*)"
    r"(?![\w]|[.:,/]\d)"
)

_PHONE_PAREN = re.compile(
    r"(?<![\w(])\(0(?P<a>[1-9]\d{0,2})\)[ \-]?(?P<s>\d+(?: \d+)*)(?![\w]|[.:,/]\d)"
)

_GROUP_SPLIT = re.compile(r"( - |[ \-/.])")
_TIME_RANGE = re.compile(r"^(?:[01]\d|2[0-4])[0-5]\d ?- ?(?:[01]\d|2[0-4])[0-5]\d$")
_DATE_LIKE = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}$|^(?:19|20)\d{2} ?- ?(?:19|20)\d{2}$")


def _phone_sub(m: re.Match[str]) -> str:
    body = m.group("b")
    parts = _GROUP_SPLIT.split(body)  # digits, sep, digits, sep, ...
    groups = parts[0::2]
    seps = parts[1::2]
    dots = [s for s in seps if s == "."]
    if dots and len(dots) < len(seps) - 1:
        return m.group(0)  # dots mixed with spaces: a decimal number or a date
    if m.group("p") == "0" and dots and len(groups) == 3:
        return m.group(0)  # 01.02.2024: a date
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


def _phonenumbers(text: str) -> str:
    """Numbers libphonenumber finds (region SE) that the rules above left."""
    if sum(ch.isdigit() for ch in text) < 7:
        return text
    import phonenumbers

    out = []
    last = 0
    for match in phonenumbers.PhoneNumberMatcher(text, "SE", leniency=phonenumbers.Leniency.VALID):
        raw = match.raw_string.strip()
        before = text[max(0, match.start - 4): match.start].casefold()
        if _TIME_RANGE.match(raw) or _DATE_LIKE.match(raw) or re.search(r"kl\.?\s*$", before):
            continue
        out.append(text[last: match.start])
        out.append(MARKERS["phone"])
        last = match.end
    out.append(text[last:])
    return "".join(out)


# -- plates ---------------------------------------------------------------------------------
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


# -- addresses ------------------------------------------------------------------------------
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


# -- names ----------------------------------------------------------------------------------
_SHORT_FORMS = (
    "Kalle", "Olle", "Pelle", "Lasse", "Janne", "Micke", "Nisse", "Kicki", "Gittan", "Bosse",
    "Sune", "Stina", "Lotta", "Mackan", "Jocke", "Robban", "Totte", "Pekka", "Affe", "Ante",
    "Kenta", "Ludde", "Tompa", "Sigge", "Lisa", "Lena", "Mona", "Ulla",
)
"""Common Swedish short forms of first names (not in the statistics as given names)."""

_COMMON_WORDS = frozenset(
    """
    bo per hans dan max sten björn ek berg lind holm rut eva vera mats liv stig tor bror åke
    ulf lo saga tim nora nova my maj kim sam ali ella mio neo noa alf asp alm dag gun siv
    uno ola ole ben del ina isa kai kaj jan jon leo lea love hugo frank hall green brink
    frid frisk falk borg fors gren blom björk lilja kling ferm flink hjort hägg
    """.split()
)
"""Names that are also Swedish words: at a sentence start a name only before a surname."""

_CUES = (
    r"heter|kallad|kallas|grannen|granne|grannens|ägaren|föraren|herr|fru|familjen|mvh|"
    r"hälsningar|hälsning|vänligen|anmälare|anmälaren|kontakt|kontaktperson|son|dotter|"
    r"sonen|dottern|pojken|killen|tjejen|flickan|mannen|kvinnan|/|-"
)
_WORD = re.compile(r"[A-Za-zÅÄÖåäöÉéÜüØøÆæ]+(?:-[A-Za-zÅÄÖåäöÉéÜüØøÆæ]+)?")
_SURNAME_SUFFIX = re.compile(r"(?:s?son|dotter|sdotter)$")


@functools.cache
def _name_lists() -> tuple[frozenset[str], frozenset[str]]:
    text = resources.files("trafikplan.io").joinpath("data/names_sv.txt").read_text("utf-8")
    first: set[str] = {n.casefold() for n in _SHORT_FORMS}
    last: set[str] = set()
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        kind, name = line.split(" ", 1)
        (first if kind == "first" else last).add(name.strip().casefold())
    return frozenset(first), frozenset(last)


def _is_cap(word: str) -> bool:
    return (word[:1].isupper() and not word.isupper()) or (len(word) > 1 and word.istitle())


def _is_surname(word: str, last: frozenset[str]) -> bool:
    low = word.casefold()
    return low in last or (len(low) > 5 and bool(_SURNAME_SUFFIX.search(low))
                           and low not in _NOT_SURNAMES)


_NOT_SURNAMES = frozenset({"person", "personen", "säsong", "säsongen", "lektion", "station",
                           "reson", "dotter", "sonson", "frisson", "garnison", "version",
                           "kollision", "kollisionen", "provision", "television", "division",
                           "vision", "mission", "passion", "session", "stationen"})


def _names(text: str) -> str:
    first, last = _name_lists()
    words = list(_WORD.finditer(text))
    if not words:
        return text
    hit = [False] * len(words)
    for i, m in enumerate(words):
        w = m.group(0)
        low = w.casefold()
        stem = low[:-1] if low.endswith("s") and len(low) > 3 else low  # Annas, Anderssons
        prev = text[: m.start()]
        start_of_sentence = not prev.strip() or bool(re.search(r"[.!?:\n]\s*$", prev))
        nxt = words[i + 1] if i + 1 < len(words) else None
        gap_ok = nxt is not None and re.fullmatch(r"[ ]", text[m.end(): nxt.start()]) is not None
        next_surname = gap_ok and nxt is not None and _is_surname(nxt.group(0), last) and (
            _is_cap(nxt.group(0)) or not _is_cap(w))
        cue = re.search(rf"(?:\b(?:{_CUES})\b|[/-])\s*$", prev.casefold()) is not None
        is_first = low in first or (stem in first and not start_of_sentence)
        if _is_cap(w) and is_first:
            if low in _COMMON_WORDS and not next_surname and (start_of_sentence or not cue):
                continue
            hit[i] = True
        elif is_first and next_surname:  # "kalle andersson"
            hit[i] = True
        elif _is_cap(w) and _is_surname(w, last) and (
                (i > 0 and hit[i - 1]) or cue or _SURNAME_SUFFIX.search(low) is not None):
            if low in _COMMON_WORDS and not (i > 0 and hit[i - 1]):
                continue
            hit[i] = True
        elif i > 0 and hit[i - 1] and gap_ok is not None and _is_surname(w, last):
            hit[i] = True
        if hit[i] and nxt is not None and gap_ok and _is_cap(nxt.group(0)) and not re.search(
                "|".join(STREET_SUFFIXES) + "$", nxt.group(0).casefold()):
            # "Kalle Svensk": the capitalised word after a first name is its surname
            if is_first and not nxt.group(0).isupper():
                hit[i + 1] = True
    out = []
    last_end = 0
    i = 0
    while i < len(words):
        if not hit[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(words) and hit[j + 1] and re.fullmatch(
                r"[ ]", text[words[j].end(): words[j + 1].start()]):
            j += 1
        out.append(text[last_end: words[i].start()])
        out.append(MARKERS["name"])
        last_end = words[j].end()
        i = j + 1
    out.append(text[last_end:])
    return "".join(out)


_RULES = (
    (_EMAIL, MARKERS["email"]),
    (_EMAIL_PLAIN, MARKERS["email"]),
    (_IBAN, _iban_sub),
    (_ACCOUNT, lambda m: m.group("cue") + MARKERS["account"]),
    (_IPV4, _ip_sub),
    (_IPV6, _ipv6_sub),
    (_PNR, _pnr_sub),
    (_PHONE_PAREN, _phone_paren_sub),
    (_PHONE, _phone_sub),
)
_RULES_AFTER = (
    (_FOREIGN_CUED, lambda m: m.group("cue") + MARKERS["plate"]),
    (_PLATE, _plate_sub),
    (_FOREIGN, _foreign_sub),
    (_APARTMENT, MARKERS["apartment"]),
    (_HOUSE, _house_sub),
    (_POSTCODE_CUED, lambda m: m.group("cue") + MARKERS["postcode"]),
    (_POSTCODE, _postcode_sub),
)


def redact_text(text: str) -> str:
    """Normalise one text and replace personal data in it with markers.

    Parameters
    ----------
    text : str

    Returns
    -------
    str
        See the module docstring for what is recognised.
    """
    out = normalise_text(text)
    for pattern, repl in _RULES:
        out = pattern.sub(repl, out)
    out = _phonenumbers(out)
    for pattern, repl in _RULES_AFTER:
        out = pattern.sub(repl, out)
    return _names(out)


@overload
def redact(text: str) -> str: ...
@overload
def redact(text: pd.Series) -> pd.Series: ...


def redact(text: pd.Series | str) -> pd.Series | str:
    """Replace personal data in free text with markers.

    See the module docstring for exactly what is recognised; markers are the
    values of :data:`MARKERS`.

    Parameters
    ----------
    text : Series of str or str
        Free text (NA entries of a Series stay NA).

    Returns
    -------
    Series of str or str
        Same type as ``text``; a Series keeps its index and becomes ``string``
        dtype. Each distinct text is redacted once.
    """
    if isinstance(text, str):
        return redact_text(text)
    series = text.astype("string")
    values = series.dropna().unique()
    mapping = {v: redact_text(v) for v in values}
    return series.map(mapping, na_action="ignore").astype("string")
