r"""Text from data files made safe: identifiers, file names, writers and the terminal.

Identifiers (site ids, team names) are compared and stored as
:func:`clean_identifier` makes them: Unicode NFC, invisible format characters
(zero-width spaces and joiners, bidi controls, soft hyphens) removed, white
space collapsed. Control characters in an identifier are refused
(:func:`check_identifiers`), and two identifiers that differ only in case
(``K01``/``k01``) are refused as look-alikes naming both lines.

Anything that becomes part of a path is :func:`safe_slug`: ASCII letters,
digits and hyphens, at most 40 characters, plus a short hash of the exact
text, so ``..``, a 120-character id, or ``Köping 1`` and ``Koping 1`` give
distinct, short, harmless names.

Free text bound for a writer (XLSX, ICS, HTML, SVG, CSV) goes through
:func:`strip_control` (control characters other than line break and tab
removed); text bound for the terminal through :func:`printable` (control and
bidi characters shown as ``\\xNN`` / ``\\uNNNN`` escapes).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from trafikplan._errors import InputError
from trafikplan.i18n.phrase import Phrase

__all__ = [
    "check_identifiers",
    "clean_identifier",
    "clean_text",
    "finalize",
    "printable",
    "safe_slug",
    "strip_control",
]

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_TERMINAL = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def _drop_format(text: str) -> str:
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def clean_identifier(text: str) -> str:
    """Return ``text`` in NFC, without invisible format characters, spaces collapsed.

    Parameters
    ----------
    text : str

    Returns
    -------
    str
        Control characters are kept (so that :func:`check_identifiers` can
        refuse them).
    """
    text = _drop_format(unicodedata.normalize("NFC", text))
    return re.sub(r"[ \u00a0\u2000-\u200a\u3000]+", " ", text).strip()


def check_identifiers(values: pd.Series, lines: Sequence[int] | np.ndarray, path: Path,
                      column: str, *, what: str | Phrase = "id") -> pd.Series:
    """Clean identifiers and refuse control characters and case look-alikes.

    Parameters
    ----------
    values : Series of str
        The identifiers as read, one per row (the same id may repeat on
        several rows, e.g. a team in the roster).
    lines : sequence of int
        File line of each row.
    path : Path
        The file (for the error).
    column : str
        The column (for the error).
    what : str or Phrase
        What the identifier is, in the error message (a phrase of the dictionary,
        such as ``Phrase("err_what_site_id")``, is worded in the reader's language).

    Returns
    -------
    Series of str
        :func:`clean_identifier` of each value (same index).

    Raises
    ------
    InputError
        A control character (a line break, a tab, an escape), or two
        identifiers equal but for case (or for invisible characters and case).
    """
    cleaned = values.astype("string").map(clean_identifier, na_action="ignore").astype("string")
    lines = np.asarray(lines)
    bad = cleaned.fillna("").str.contains(_CONTROL.pattern, regex=True) | cleaned.fillna(
        "").str.contains(r"[\n\t]", regex=True)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        ch = _CONTROL.search(cleaned.iloc[i]) or re.search(r"[\n\t]", cleaned.iloc[i])
        assert ch is not None
        raise InputError("err_control_char", what=what, value=printable(cleaned.iloc[i]),
                         code=f"{ord(ch.group(0)):04X}", path=path, line=int(lines[i]),
                         column=column)
    first: dict[str, tuple[str, int]] = {}
    for value, line in zip(cleaned.tolist(), lines.tolist(), strict=True):
        if value is None or value is pd.NA:
            continue
        key = value.casefold()
        seen = first.get(key)
        if seen is None:
            first[key] = (value, int(line))
        elif seen[0] != value:
            raise InputError("err_same_but_case", what=what, value=printable(value),
                             other=printable(seen[0]), other_line=seen[1], path=path,
                             line=int(line), column=column)
    return cleaned


def safe_slug(text: str, max_len: int = 40) -> str:
    """Return a short, path-safe name for ``text``: an ASCII slug and a hash.

    Parameters
    ----------
    text : str
        Any text (a site id, a team name).
    max_len : int
        Longest slug before the hash.

    Returns
    -------
    str
        ``[a-z0-9-]`` only: the ASCII-folded, lowercased text with runs of
        other characters as ``-`` (cut at ``max_len``), ``-`` and the first 8
        hex digits of the SHA-256 of ``text`` (``Köping 1`` ->
        ``koping-1-1c6b8a4e``); never empty, never ``.`` or ``..``.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:max_len].strip("-")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    return f"{slug}-{digest}" if slug else digest


def clean_text(text: str) -> str:
    """Return free text in NFC without invisible format or control characters.

    Line breaks and tabs stay (see :func:`strip_control`).
    """
    return strip_control(unicodedata.normalize("NFC", text))


def strip_control(text: str) -> str:
    """Return ``text`` without control characters other than line break and tab.

    Also removes invisible format characters (bidi overrides, zero-width
    spaces); a CR becomes a line break.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _drop_format(_CONTROL.sub("", text))


def finalize(value: object) -> object:
    """Jinja2 ``finalize``: every string printed by a template without control characters.

    Keeps the type (a ``Markup`` stays ``Markup``).
    """
    if isinstance(value, str):
        return value.__class__(strip_control(value))
    return value


def printable(text: object) -> str:
    r"""Return ``str(text)`` with control and bidi characters escaped for a terminal.

    ``\\n`` -> ``\\x0a``, ESC -> ``\\x1b``, RLO -> ``\\u202e``: a file name
    or a value can neither move the cursor nor forge a line of output.
    """
    def esc(m: re.Match[str]) -> str:
        code = ord(m.group(0))
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _TERMINAL.sub(esc, str(text))
