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

The package: the markers (:mod:`.markers`), the normalisation
(:mod:`.normalise`), one module per kind of personal data (:mod:`.contacts`:
e-mail, accounts, IPs, phone numbers; :mod:`.personnummer`; :mod:`.plates`;
:mod:`.addresses`; :mod:`.names`), the order they are applied in
(:mod:`.text`: :func:`redact`, :func:`redact_text`), and rows set aside with their
values redacted (:mod:`.rejects`).
"""

from __future__ import annotations

from trafikplan.io.redact.addresses import STREET_SUFFIXES
from trafikplan.io.redact.markers import MARKERS
from trafikplan.io.redact.normalise import normalise_text
from trafikplan.io.redact.personnummer import luhn_ok
from trafikplan.io.redact.plates import PLATE_STOPWORDS
from trafikplan.io.redact.text import redact, redact_text

__all__ = [
    "MARKERS",
    "PLATE_STOPWORDS",
    "STREET_SUFFIXES",
    "luhn_ok",
    "normalise_text",
    "redact",
    "redact_text",
]
