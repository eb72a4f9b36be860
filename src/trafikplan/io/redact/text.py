"""The order in which personal data is replaced: :func:`redact` and :func:`redact_text`."""

from __future__ import annotations

from typing import overload

import pandas as pd

from trafikplan.io.redact.addresses import ADDRESS_RULES
from trafikplan.io.redact.contacts import ACCOUNT_RULES, PHONE_RULES, redact_other_phones
from trafikplan.io.redact.names import redact_names
from trafikplan.io.redact.normalise import normalise_text
from trafikplan.io.redact.personnummer import PNR_RULES
from trafikplan.io.redact.plates import PLATE_RULES

__all__ = ["redact", "redact_text"]

_RULES = (*ACCOUNT_RULES, *PNR_RULES, *PHONE_RULES)
_RULES_AFTER = (*PLATE_RULES, *ADDRESS_RULES)


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
    out = redact_other_phones(out)
    for pattern, repl in _RULES_AFTER:
        out = pattern.sub(repl, out)
    return redact_names(out)


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
