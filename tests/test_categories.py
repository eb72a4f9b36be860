"""map_categories: exact names, keywords in category then text, user rules."""

from __future__ import annotations

import pandas as pd
import pytest

from trafikplan._errors import InputError
from trafikplan.columns import REPORT_CATEGORIES
from trafikplan.io.embrace.categories import map_categories


def _map(cats, texts=None, rules=None):
    cats = pd.Series(cats, dtype="string")
    texts = pd.Series(texts if texts is not None else [None] * len(cats), dtype="string")
    return map_categories(cats, texts, rules or {}).tolist()


@pytest.mark.parametrize(("raw", "expected"), [
    ("Buskörning", "reckless"), ("Busåkning", "reckless"), ("Racing", "reckless"),
    ("Hastighet", "speeding"), ("Fortkörning", "speeding"), ("Höga hastigheter", "speeding"),
    ("Felparkering", "parking"), ("Parkering", "parking"),
    ("Störande ljud", "noise"), ("Ljudnivå", "noise"), ("Motorljud", "noise"),
    ("Samlingar", "noise"), ("Störande samlingar", "noise"),
    ("Störande ljud/samlingar", "noise"), ("Ljudnivå/motorljud", "noise"),
    ("Nedskräpning", "other"), ("Övrigt", "other"),
])
@pytest.mark.slow
def test_swedish_defaults(raw, expected):
    assert _map([raw]) == [expected]


def test_case_and_diacritics_insensitive():
    assert _map(["BUSKÖRNING", "buskorning", "  fortkorning ", "STÖRANDE  LJUD"]) == [
        "reckless", "reckless", "speeding", "noise"]


def test_keywords_in_category_then_text():
    cats = ["Trafik: buskörare", "Bilar kör fort", "Övrigt", "Övrigt", "Övrigt", "Övrigt",
            "Övrigt", None, "Annat"]
    texts = ["", "", "Mopeder driftar i rondellen", "Bilar i 90 km/h förbi skolan",
             "Hög musik från bilar hela natten", "Bil parkerad på gångbanan",
             "Fortfarande skräp vid infarten", "De gasar och rivstartar", "Vi väsnas inte"]
    assert _map(cats, texts) == ["reckless", "speeding", "reckless", "speeding", "noise",
                                 "parking", "other", "reckless", "noise"]


def test_exact_name_wins_over_text():
    # a littering report whose text mentions speed stays 'other' (exact name first)
    assert _map(["Nedskräpning"], ["Folk kör fort och slänger skräp"]) == ["other"]
    # a specific category is not overridden by the text either
    assert _map(["Felparkering"], ["Bilen stod med motorljud på"]) == ["parking"]


def test_keyword_priority_reckless_over_speeding_over_noise_over_parking():
    assert _map(["Övrigt"], ["buskörning med hög fart, musik och felparkerade bilar"]) == [
        "reckless"]
    assert _map(["Övrigt"], ["hög fart, musik och felparkerade bilar"]) == ["speeding"]
    assert _map(["Övrigt"], ["musik och felparkerade bilar"]) == ["noise"]


def test_user_rules_extend_and_override():
    rules = {"speeding": ["Trafiksäkerhet", "fartdåre"], "other": ["Parkering"]}
    got = _map(["Trafiksäkerhet", "Parkering", "Övrigt", "Felparkering"],
               ["", "", "en fartdåre igen", ""], rules)
    assert got == ["speeding", "other", "speeding", "parking"]


def test_unknown_rule_key():
    with pytest.raises(InputError, match="racing"):
        _map(["x"], rules={"racing": ["Race"]})


def test_result_always_canonical_and_aligned():
    cats = pd.Series(["Buskörning", None, "", "Vad som helst"], index=[7, 3, 5, 1],
                     dtype="string")
    texts = pd.Series([None, None, "parkerar", "xyz"], index=[7, 3, 5, 1], dtype="string")
    got = map_categories(cats, texts, {})
    assert list(got.index) == [7, 3, 5, 1]
    assert set(got) <= set(REPORT_CATEGORIES)
    assert got.tolist() == ["reckless", "other", "parking", "other"]
