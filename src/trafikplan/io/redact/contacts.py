"""Contact details in free text: e-mail addresses, bank accounts and IBANs, IPs, phone numbers.

What is accepted is listed in :mod:`trafikplan.io.redact`.
"""

from __future__ import annotations

import ipaddress
import re

from trafikplan.io.redact.markers import MARKERS, Rule

__all__ = ["ACCOUNT_RULES", "PHONE_RULES", "redact_other_phones"]

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


def redact_other_phones(text: str) -> str:
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



ACCOUNT_RULES: tuple[Rule, ...] = (
    (_EMAIL, MARKERS["email"]),
    (_EMAIL_PLAIN, MARKERS["email"]),
    (_IBAN, _iban_sub),
    (_ACCOUNT, lambda m: m.group("cue") + MARKERS["account"]),
    (_IPV4, _ip_sub),
    (_IPV6, _ipv6_sub),
)
"""E-mail addresses, IBANs and bank accounts, IP addresses, in this order."""

PHONE_RULES: tuple[Rule, ...] = (
    (_PHONE_PAREN, _phone_paren_sub),
    (_PHONE, _phone_sub),
)
"""Phone numbers by the rules written for Swedish numbers (:func:`redact_other_phones` after)."""
