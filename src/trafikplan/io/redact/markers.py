"""The markers that replace personal data, by kind, and the shape of a redaction rule."""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["MARKERS", "Rule"]

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

Rule = tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]
"""A pattern and its replacement (a marker, or a function of the match), for ``re.sub``."""
