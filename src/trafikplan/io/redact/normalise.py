"""Text normalised before redaction, so that invisible characters cannot hide a number."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalise_text"]

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
