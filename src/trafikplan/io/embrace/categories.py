"""Map raw Embrace categories (and report text) to the canonical categories.

The canonical categories are :data:`trafikplan.columns.REPORT_CATEGORIES`:
``speeding, reckless, parking, noise, other``.

Rule order (the first rule that gives an answer wins)
-----------------------------------------------------
All comparisons are on *normalised* text: case-folded, diacritics removed
(``Buskörning`` = ``buskorning`` = ``BUSKÖRNING``), runs of white space made
one space.

1. **Exact name, user rules**: the raw category equals one of the names given
   in ``[categories]`` of ``trafikplan.toml`` (``settings.category_rules``:
   canonical category -> extra raw names/keywords).
2. **Exact name, built-in Swedish names** (:data:`DEFAULT_NAMES`), e.g.
   Buskörning/Busåkning/Racing -> reckless, Hastighet/Fortkörning/Höga
   hastigheter -> speeding, Felparkering/Parkering -> parking, Störande
   ljud/Ljudnivå/Motorljud/Samlingar/Störande samlingar -> noise, and
   Nedskräpning/Klotter/Belysning/... -> other. Generic names such as
   ``Övrigt`` or ``Annat`` are deliberately *not* exact names, so that their
   text can still be classified by the keyword rules below.
3. **Keywords in the raw category**: the user's keywords (every entry of
   ``settings.category_rules`` is also a keyword, matched as a substring so
   that it finds Swedish compounds) before the built-in ones
   (:data:`DEFAULT_KEYWORDS`, regular expressions on normalised text).
   When keywords of several categories occur, the priority is
   reckless > speeding > noise > parking.
4. **Keywords in the text**, same keywords and priority.
5. Otherwise ``other``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from trafikplan._errors import InputError
from trafikplan.columns import REPORT_CATEGORIES

__all__ = ["DEFAULT_KEYWORDS", "DEFAULT_NAMES", "PRIORITY", "map_categories", "normalize"]

PRIORITY = ("reckless", "speeding", "noise", "parking")
"""Order in which keyword rules are tried when several categories match."""

DEFAULT_NAMES: dict[str, tuple[str, ...]] = {
    "reckless": ("Buskörning", "Busåkning", "Racing", "Bilbus", "Vårdslös körning",
                 "Motorbus", "Mopedbus"),
    "speeding": ("Hastighet", "Fortkörning", "Höga hastigheter", "Hög hastighet",
                 "Hastighetsöverträdelse", "Hastighetsbrott"),
    "parking": ("Felparkering", "Parkering", "Felparkerade fordon"),
    "noise": ("Störande ljud", "Ljudnivå", "Motorljud", "Samlingar", "Störande samlingar",
              "Störande ljud/samlingar", "Ljudnivå/motorljud", "Buller", "Oljud"),
    "other": ("Nedskräpning", "Klotter", "Belysning", "Snöröjning", "Vägskada",
              "Skadegörelse", "Nedskräpning/klotter"),
}
"""Built-in exact raw names (Swedish) per canonical category."""

DEFAULT_KEYWORDS: dict[str, tuple[str, ...]] = {
    "reckless": (r"buskor", r"busak", r"\bdrift", r"burnout", r"rivstart", r"sladd",
                 r"\bspinn", r"racing", r"\brace", r"gatlopp", r"kappkor", r"\bgas(ar|ade|ande)\b",
                 r"vardslos", r"munkar", r"donut"),
    "speeding": (r"fortkor", r"\b(kor|koer|kora|kort|korde|for|akte|aker|gar) (sa )?fort\b",
                 r"\bfort\b", r"hastighet", r"km/?h\b", r"\bkmh\b", r"hog(a)? fart",
                 r"i fart\b", r"\bfarter\b", r"fartkontroll", r"farthinder", r"fartgupp"),
    "noise": (r"ljud", r"musik", r"vasnas", r"buller", r"bullr", r"avgassystem", r"samlas",
              r"samling", r"raggar", r"skrik", r"tuta", r"tutar"),
    "parking": (r"parker", r"stallplats", r"p-plats", r"p-skiva", r"blockerar", r"stoppforbud",
                r"\bstar (stilla )?pa (trottoar|gangbana|cykelbana)"),
}
"""Built-in keyword patterns (regular expressions on normalised text)."""


def normalize(values: pd.Series) -> pd.Series:
    """Case-fold, strip diacritics and collapse white space (vectorised).

    Parameters
    ----------
    values : Series of str

    Returns
    -------
    Series of str
        ``string`` dtype; NA stays NA.
    """
    s = values.astype("string").str.normalize("NFKD")
    s = s.str.replace(r"[\u0300-\u036f]", "", regex=True).str.casefold()
    return s.str.replace(r"\s+", " ", regex=True).str.strip()


def _norm_one(value: str) -> str:
    return str(normalize(pd.Series([value])).iloc[0])


def _check_rules(rules: Mapping[str, Sequence[str]]) -> None:
    for key, entries in rules.items():
        if key not in REPORT_CATEGORIES:
            raise InputError("err_category_unknown", key=key,
                             choices=", ".join(REPORT_CATEGORIES))
        if isinstance(entries, str):
            raise InputError("err_category_list", key=key)


def _keyword_match(
    norm: pd.Series, rules: Mapping[str, Sequence[str]]
) -> pd.Series:
    """Category from keywords in ``norm`` (NA where none), user keywords first."""
    conditions = []
    choices = []
    for source in ("user", "default"):
        for cat in (*PRIORITY, "other"):
            if source == "user":
                words = [re.escape(_norm_one(w)) for w in rules.get(cat, ()) if w.strip()]
            elif cat == "other":
                continue
            else:
                words = [re.sub(r"\((?!\?)", "(?:", w) for w in DEFAULT_KEYWORDS[cat]]
            if not words:
                continue
            pattern = re.compile("|".join(f"(?:{w})" for w in words))
            hit = norm.str.contains(pattern, regex=True).fillna(False).to_numpy(dtype=bool)
            conditions.append(hit)
            choices.append(cat)
    if not conditions:
        return pd.Series(pd.NA, index=norm.index, dtype="string")
    out = np.select(conditions, choices, default="")
    return pd.Series(out, index=norm.index, dtype="string").replace("", pd.NA)


def map_categories(
    category_raw: pd.Series,
    text: pd.Series,
    rules: Mapping[str, Sequence[str]] | None = None,
) -> pd.Series:
    """Map raw categories (and text) to canonical report categories.

    The rule order is documented in the module docstring: exact user names,
    exact built-in names, keywords in the category, keywords in the text,
    else ``other``.

    Parameters
    ----------
    category_raw : Series of str
        Category as exported (may be NA).
    text : Series of str
        Free text of the report, aligned with ``category_raw`` (may be NA).
    rules : mapping of str to sequence of str, optional
        ``settings.category_rules``: canonical category -> extra raw names and
        keywords; they extend (and take precedence over) the defaults.

    Returns
    -------
    Series of str
        One of :data:`trafikplan.columns.REPORT_CATEGORIES` per row, ``string``
        dtype, index of ``category_raw``.

    Raises
    ------
    InputError
        A rule key that is not a canonical category.
    """
    rules = dict(rules or {})
    _check_rules(rules)
    cat_norm = normalize(category_raw)
    text_norm = normalize(pd.Series(text.to_numpy(), index=category_raw.index))

    exact: dict[str, str] = {}
    for cat, names in DEFAULT_NAMES.items():
        exact.update({_norm_one(n): cat for n in names})
    for cat, user_names in rules.items():  # user names override the built-in ones
        exact.update({_norm_one(n): cat for n in user_names if n.strip()})

    result = cat_norm.map(exact).astype("string")
    by_category = _keyword_match(cat_norm, rules)
    by_text = _keyword_match(text_norm, rules)
    result = result.fillna(by_category).fillna(by_text).fillna("other")
    return result.astype("string")
