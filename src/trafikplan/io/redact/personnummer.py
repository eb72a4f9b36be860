"""Personnummer and samordningsnummer in free text (accepted forms: :mod:`trafikplan.io.redact`)."""

from __future__ import annotations

import re

from trafikplan.io.redact.markers import MARKERS, Rule

__all__ = ["PNR_RULES", "luhn_ok"]

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



PNR_RULES: tuple[Rule, ...] = ((_PNR, _pnr_sub),)
"""Personnummer and samordningsnummer."""
