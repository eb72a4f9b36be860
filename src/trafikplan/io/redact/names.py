"""Names of people in free text, from the shipped lists of Swedish first names and surnames.

What is accepted is listed in :mod:`trafikplan.io.redact`.
"""

from __future__ import annotations

import functools
import re
from importlib import resources

from trafikplan.io.redact.addresses import STREET_SUFFIXES
from trafikplan.io.redact.markers import MARKERS

__all__ = ["redact_names"]

_SHORT_FORMS = (
    "Kalle", "Olle", "Pelle", "Lasse", "Janne", "Micke", "Nisse", "Kicki", "Gittan", "Bosse",
    "Sune", "Stina", "Lotta", "Mackan", "Jocke", "Robban", "Totte", "Pekka", "Affe", "Ante",
    "Kenta", "Ludde", "Tompa", "Sigge", "Lisa", "Lena", "Mona", "Ulla",
)
"""Common Swedish short forms of first names (not in the statistics as given names)."""

_COMMON_WORDS = frozenset(
    """
    bo per hans dan max sten björn ek berg lind holm rut eva vera mats liv stig tor bror åke
    ulf lo saga tim nora nova my maj kim sam ali ella mio neo noa alf asp alm dag gun siv
    uno ola ole ben del ina isa kai kaj jan jon leo lea love hugo frank hall green brink
    frid frisk falk borg fors gren blom björk lilja kling ferm flink hjort hägg
    """.split()
)
"""Names that are also Swedish words: at a sentence start a name only before a surname."""

_CUES = (
    r"heter|kallad|kallas|grannen|granne|grannens|ägaren|föraren|herr|fru|familjen|mvh|"
    r"hälsningar|hälsning|vänligen|anmälare|anmälaren|kontakt|kontaktperson|son|dotter|"
    r"sonen|dottern|pojken|killen|tjejen|flickan|mannen|kvinnan|/|-"
)
_WORD = re.compile(r"[A-Za-zÅÄÖåäöÉéÜüØøÆæ]+(?:-[A-Za-zÅÄÖåäöÉéÜüØøÆæ]+)?")
_SURNAME_SUFFIX = re.compile(r"(?:s?son|dotter|sdotter)$")


@functools.cache
def _name_lists() -> tuple[frozenset[str], frozenset[str]]:
    text = resources.files("trafikplan.io.redact").joinpath("data/names_sv.txt").read_text("utf-8")
    first: set[str] = {n.casefold() for n in _SHORT_FORMS}
    last: set[str] = set()
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        kind, name = line.split(" ", 1)
        (first if kind == "first" else last).add(name.strip().casefold())
    return frozenset(first), frozenset(last)


def _is_cap(word: str) -> bool:
    return (word[:1].isupper() and not word.isupper()) or (len(word) > 1 and word.istitle())


def _is_surname(word: str, last: frozenset[str]) -> bool:
    low = word.casefold()
    return low in last or (len(low) > 5 and bool(_SURNAME_SUFFIX.search(low))
                           and low not in _NOT_SURNAMES)


_NOT_SURNAMES = frozenset({"person", "personen", "säsong", "säsongen", "lektion", "station",
                           "reson", "dotter", "sonson", "frisson", "garnison", "version",
                           "kollision", "kollisionen", "provision", "television", "division",
                           "vision", "mission", "passion", "session", "stationen"})


def redact_names(text: str) -> str:
    """Replace the names of people in ``text`` with :data:`MARKERS` ``["name"]``."""
    first, last = _name_lists()
    words = list(_WORD.finditer(text))
    if not words:
        return text
    hit = [False] * len(words)
    for i, m in enumerate(words):
        w = m.group(0)
        low = w.casefold()
        stem = low[:-1] if low.endswith("s") and len(low) > 3 else low  # Annas, Anderssons
        prev = text[: m.start()]
        start_of_sentence = not prev.strip() or bool(re.search(r"[.!?:\n]\s*$", prev))
        nxt = words[i + 1] if i + 1 < len(words) else None
        gap_ok = nxt is not None and re.fullmatch(r"[ ]", text[m.end(): nxt.start()]) is not None
        next_surname = gap_ok and nxt is not None and _is_surname(nxt.group(0), last) and (
            _is_cap(nxt.group(0)) or not _is_cap(w))
        cue = re.search(rf"(?:\b(?:{_CUES})\b|[/-])\s*$", prev.casefold()) is not None
        is_first = low in first or (stem in first and not start_of_sentence)
        if _is_cap(w) and is_first:
            if low in _COMMON_WORDS and not next_surname and (start_of_sentence or not cue):
                continue
            hit[i] = True
        elif is_first and next_surname:  # "kalle andersson"
            hit[i] = True
        elif _is_cap(w) and _is_surname(w, last) and (
                (i > 0 and hit[i - 1]) or cue or _SURNAME_SUFFIX.search(low) is not None):
            if low in _COMMON_WORDS and not (i > 0 and hit[i - 1]):
                continue
            hit[i] = True
        elif i > 0 and hit[i - 1] and gap_ok is not None and _is_surname(w, last):
            hit[i] = True
        if hit[i] and nxt is not None and gap_ok and _is_cap(nxt.group(0)) and not re.search(
                "|".join(STREET_SUFFIXES) + "$", nxt.group(0).casefold()):
            # "Kalle Svensk": the capitalised word after a first name is its surname
            if is_first and not nxt.group(0).isupper():
                hit[i + 1] = True
    out = []
    last_end = 0
    i = 0
    while i < len(words):
        if not hit[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(words) and hit[j + 1] and re.fullmatch(
                r"[ ]", text[words[j].end(): words[j + 1].start()]):
            j += 1
        out.append(text[last_end: words[i].start()])
        out.append(MARKERS["name"])
        last_end = words[j].end()
        i = j + 1
    out.append(text[last_end:])
    return "".join(out)
