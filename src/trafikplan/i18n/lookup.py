"""Looking words up in the dictionary: a sentence, a code's name, a column's header, a table.

:func:`text` words a key of :data:`~trafikplan.i18n.dictionary.TEXT`,
:func:`code` a code value, :func:`column` a header; :func:`for_people` names a whole table's codes
and headers; :func:`vehicle_total` is the one vehicle total.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from trafikplan.i18n.codes import (
    CATEGORIES,
    CODES,
    COLUMN_CODES,
    KINDS,
    PLAN_STATUS,
    WEEKDAYS,
)
from trafikplan.i18n.dictionary import TEXT
from trafikplan.i18n.headers import COLUMNS, LO_HI
from trafikplan.i18n.languages import language_index
from trafikplan.i18n.numbers import integer

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["code", "column", "for_people", "text", "texts", "vehicle_total"]


def text(key: str, language: str, **values: object) -> str:
    """Return the sentence ``key`` in ``language``, with ``values`` filled in.

    Raises
    ------
    KeyError
        For an unknown key (a programming error, found by the tests).
    InputError
        For a language other than ``sv`` or ``en``.
    """
    words = TEXT[key][language_index(language)]
    return words.format(**values) if values else words


def texts(language: str) -> dict:
    """Return every :data:`TEXT` sentence in ``language`` as a dict (for templates).

    Parameters
    ----------
    language : str
        ``"sv"`` or ``"en"``.

    Returns
    -------
    dict
        Key -> text; ``weekday_names``, ``category_names``, ``kind_names``
        and ``plan_status`` are added as tuple/dicts of names.

    Raises
    ------
    InputError
        For any other language.
    """
    i = language_index(language)
    out: dict = {k: v[i] for k, v in TEXT.items()}
    out["weekday_names"] = WEEKDAYS[language]
    out["category_names"] = CATEGORIES[language]
    out["kind_names"] = KINDS[language]
    out["plan_status"] = PLAN_STATUS[language]
    return out


def code(vocabulary: str, value: object, language: str) -> str:
    """Return the name of code ``value`` of ``vocabulary`` (a :data:`CODES` key) for a person.

    ``;``-joined codes (the flag ``kind``) become a comma list; an unknown code
    is returned as it is (free text such as a measure's kind).
    """
    i = language_index(language)
    names = CODES[vocabulary]
    if isinstance(value, str) and ";" in value:
        return ", ".join(names[v][i] if v in names else v for v in value.split(";") if v)
    try:
        hit = names.get(value)  # type: ignore[call-overload]
    except TypeError:  # unhashable
        hit = None
    return hit[i] if hit is not None else ("" if value is None else str(value))


def column(name: str, language: str) -> str:
    """Return the header of column ``name`` for a person (the name itself when unknown)."""
    i = language_index(language)
    if name in COLUMNS:
        return COLUMNS[name][i]
    for suffix, words in LO_HI.items():
        base = name.removesuffix(suffix)
        if base != name and base in COLUMNS:
            return f"{COLUMNS[base][i]}, {words[i]}"
    return name


def vehicle_total(single: int, binned: int | None, bin_rows: int, language: str) -> str:
    """Return the one vehicle total: recorded one by one plus counted in speed classes.

    Parameters
    ----------
    single : int
        Per-vehicle records (rows of the vehicles table).
    binned : int or None
        Vehicles counted by binned counters (sum of the bins' ``count``); None
        when unknown (a store written before the count was kept).
    bin_rows : int
        Rows of the bins table.
    language : str
        ``"sv"`` or ``"en"``.
    """
    if not bin_rows:
        return text("vehicle_total_single", language, total=integer(single, language))
    if binned is None:
        return text("vehicle_total_unknown", language, single=integer(single, language),
                    bin_rows=integer(bin_rows, language))
    return text("vehicle_total", language, total=integer(single + binned, language),
                single=integer(single, language), binned=integer(binned, language),
                bin_rows=integer(bin_rows, language))


def for_people(df: pd.DataFrame, language: str, *, codes: dict[str, str] | None = None,
               weekday_names: bool = False) -> pd.DataFrame:
    """Return ``df`` with its code values named and its headers translated.

    Parameters
    ----------
    df : DataFrame
        Any table with column names of :data:`COLUMNS`.
    language : str
        ``"sv"`` or ``"en"``.
    codes : dict, optional
        Column -> :data:`CODES` vocabulary, on top of :data:`COLUMN_CODES`
        (e.g. ``{"status": "import_status"}``).
    weekday_names : bool
        Write ``weekday`` (1 = Monday) as its number and short name (``5 fre``).

    Returns
    -------
    DataFrame
        Values kept in their types (numbers stay numbers, booleans stay
        booleans); code columns become text; headers from :func:`column`.
    """
    out = df.copy()
    vocab = {**COLUMN_CODES, **(codes or {})}
    for col in out.columns:
        if col in vocab and out[col].dtype != bool:
            name = vocab[col]
            out[col] = out[col].map(lambda v, n=name: v if v is None or v != v
                                    else code(n, v, language)).astype(object)
    if weekday_names and "weekday" in out.columns:
        names = WEEKDAYS[language]
        out["weekday"] = out["weekday"].map(  # "5 fre": readable and still sorts right
            lambda w: f"{int(w)} {names[int(w) - 1]}" if w == w and w is not None else ""
        ).astype(object)
    out.columns = [column(str(c), language) for c in out.columns]
    return out
