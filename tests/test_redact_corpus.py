"""Redaction over a Swedish corpus of >= 200 forms, and its false redactions.

Every sentence of :data:`redaction_corpus.FORMS` loses each of its personal
details (as written, in any case, or as the bare digits of a number) and gets a
marker; every sentence of :data:`redaction_corpus.CLEAN` comes back unchanged.
The counts are printed (``pytest -s``).
"""

from __future__ import annotations

import functools
import re

import pandas as pd
import pytest

from redaction_corpus import CLEAN, FORMS
from trafikplan.io.redact import MARKERS, normalise_text, redact


def _case_fold_table() -> dict[int, str]:
    """A one-letter stand-in for every letter ``re.IGNORECASE`` takes as equal.

    Letters joined by their one-letter lower, upper, title and fold cases, by the
    first letter of a longer lower case (the dotted İ's i) and by a longer case they
    share (the two st ligatures) get one stand-in; so
    a pattern that matches some text case-blind leaves its literal, translated,
    as a substring of the translated text. ı, ſ, ς and µ included.
    """
    parent: dict[str, str] = {}

    def root(c: str) -> str:
        while parent.get(c, c) != c:
            c = parent[c]
        return c

    def join(c: str, d: str) -> None:
        a, b = root(c), root(d)
        if a != b:
            parent[max(a, b)] = min(a, b)

    first: dict[str, str] = {}  # a longer upper or lower case: its first letter
    for cp in range(0x10000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        c = chr(cp)
        for d in (c.lower(), c.upper(), c.title(), c.casefold(), c.lower()[:1]):
            if len(d) == 1 and d != c:
                join(c, d)
        for key in ("U" + c.upper(), "L" + c.lower()):  # the st ligatures: one upper case
            if len(key) > 2:
                join(c, first.setdefault(key, c))
    return {ord(c): root(c) for c in parent if root(c) != c}


_FOLD = _case_fold_table()


def fold(text: str) -> str:
    """``text`` with every letter replaced by its case-blind stand-in (one for one)."""
    return text.translate(_FOLD)


@functools.cache
def secret_patterns(secret: str) -> tuple[re.Pattern[str], ...]:
    """The secret as written (after normalisation), and as bare digits when long."""
    plain = normalise_text(secret)
    pats = [re.compile(rf"(?<!\w){re.escape(plain)}(?!\w)", re.IGNORECASE)]
    digits = re.sub(r"\D", "", plain)
    if len(digits) >= 7 and len(digits) >= len(re.sub(r"\s", "", plain)) - 2:
        pats.append(re.compile(rf"(?<!\d){digits}(?!\d)"))
    return tuple(pats)


@functools.cache
def _needles(secret: str) -> tuple[str, str]:
    """What each pattern of the secret needs in the text: its folded letters, its digits."""
    plain = normalise_text(secret)
    return fold(plain), re.sub(r"\D", "", plain)


def survivors(text: str, secrets: list[str], *, digits: bool = True) -> list[str]:
    """Secrets found in ``text`` as written, or (``digits``) as their bare digits.

    A substring test on the folded text (:func:`fold`) goes first and the
    pattern only where it passes: the same answer as the patterns alone.
    """
    flat = re.sub(r"[\s\-–.()/]", "", text) if digits else ""
    folded = fold(text)
    out = []
    for s in secrets:
        pats = secret_patterns(s)
        written, bare = _needles(s)
        if (written in folded and pats[0].search(text)) or (
                len(pats) > 1 and bare in flat and pats[1].search(flat)):
            out.append(s)
    return out


@pytest.mark.parametrize("letters", ["iIıİ", "sSſ", "σςΣ", "µμΜ", "kKK", "ßẞ", "åÅÅ", "ﬅﬆ"])
def test_fold_keeps_what_ignorecase_equates(letters):
    for a in letters:
        for b in letters:
            if re.fullmatch(re.escape(a), b, re.IGNORECASE):
                assert fold(a) == fold(b), (a, b)
    assert survivors("Hon heter ſVEN ı Köping", ["Sven"], digits=False) == ["Sven"]


def test_corpus_has_at_least_200_forms_of_every_kind():
    kinds = pd.Series([k for k, _, _ in FORMS]).value_counts()
    print(f"\nredaction corpus: {len(FORMS)} forms, {dict(kinds)}; clean {len(CLEAN)}")
    assert len(FORMS) >= 200
    assert set(kinds.index) >= {"name", "address", "personnummer", "plate", "phone", "email",
                                "account", "ip", "hidden"}
    assert len(CLEAN) >= 50


@pytest.mark.parametrize(("kind", "text", "secrets"), FORMS,
                         ids=[f"{k}-{i}" for i, (k, _, _) in enumerate(FORMS)])
def test_every_form_is_redacted(kind, text, secrets):
    out = redact(text)
    assert not survivors(out, secrets), (text, out)
    assert any(m in out for m in MARKERS.values()), out


def test_counts_misses_and_false_redactions():
    out = redact(pd.Series([t for _, t, _ in FORMS] + CLEAN, dtype="string"))
    followed = redact(pd.Series([f"{t} OCH MER TEXT 12" for _, t, _ in FORMS], dtype="string"))
    assert not [t for i, (_, t, s) in enumerate(FORMS) if survivors(followed.iloc[i], s)]
    misses = [(t, out.iloc[i]) for i, (_, t, s) in enumerate(FORMS)
              if survivors(out.iloc[i], s)]
    false = [(t, out.iloc[len(FORMS) + j]) for j, t in enumerate(CLEAN)
             if out.iloc[len(FORMS) + j] != t]
    print(f"\nredaction: {len(FORMS)} forms, misses {len(misses)}; {len(CLEAN)} clean "
          f"sentences, false redactions {len(false)}")
    assert not misses, misses
    assert not false, false
