"""Redaction over a Swedish corpus of >= 200 forms, and its false redactions.

Every sentence of :data:`redaction_corpus.FORMS` loses each of its personal
details (as written, in any case, or as the bare digits of a number) and gets a
marker; every sentence of :data:`redaction_corpus.CLEAN` comes back unchanged.
The counts are printed (``pytest -s``).
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from redaction_corpus import CLEAN, FORMS
from trafikplan.io.redact import MARKERS, normalise_text, redact


def secret_patterns(secret: str) -> list[re.Pattern[str]]:
    """The secret as written (after normalisation), and as bare digits when long."""
    plain = normalise_text(secret)
    pats = [re.compile(rf"(?<!\w){re.escape(plain)}(?!\w)", re.IGNORECASE)]
    digits = re.sub(r"\D", "", plain)
    if len(digits) >= 7 and len(digits) >= len(re.sub(r"\s", "", plain)) - 2:
        pats.append(re.compile(rf"(?<!\d){digits}(?!\d)"))
    return pats


def survivors(text: str, secrets: list[str], *, digits: bool = True) -> list[str]:
    """Secrets found in ``text`` as written, or (``digits``) as their bare digits."""
    flat = re.sub(r"[\s\-–.()/]", "", text) if digits else ""
    out = []
    for s in secrets:
        pats = secret_patterns(s)
        if pats[0].search(text) or any(p.search(flat) for p in pats[1:]):
            out.append(s)
    return out


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
