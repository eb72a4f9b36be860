"""The layout of a counter file: which raw columns a format profile finds in its header.

From the header line and the profile: the time columns, the canonical
columns present (optional ones may be missing), where the site id comes from
(a column, a metadata line above the header, the file name or a fixed value)
and, for binned counts, the speed-class or direction count columns with their
class edges [km/h].
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trafikplan._errors import InputError
from trafikplan.i18n.phrase import Phrase
from trafikplan.io.files.patterns import safe_pattern
from trafikplan.io.files.safe_text import clean_text
from trafikplan.io.profiles.detect import Header
from trafikplan.io.profiles.profile import Profile

__all__ = ["FOOT", "MPH", "Layout", "direction_labels", "layout_of"]

MPH = 1.609344
"""km/h per mph."""
FOOT = 0.3048
"""m per foot."""


@dataclass(frozen=True)
class Layout:
    """What a profile needs from one file's header."""

    header: Header
    time_cols: tuple[str, ...]
    end_cols: tuple[str, ...]
    mapped: dict[str, str]          # canonical -> raw present in the file
    site_col: str | None
    site_value: str | None
    class_cols: tuple[tuple[str, float, float], ...]  # raw, lo, hi [km/h] (bins)
    dir_cols: tuple[tuple[str, str], ...]             # raw, direction (bins)
    warnings: tuple[Phrase, ...] = ()                 # for people: gaps between classes
    class_dirs: tuple[str | None, ...] = ()           # direction of each class column
    direction_value: str | None = None                # from a metadata line or file name
    total_col: str | None = None                      # the vendor's total per row (bins)

    @property
    def needed(self) -> list[str]:
        """Raw columns read from the file, in header order of first mention."""
        names = [*self.time_cols, *self.end_cols, *self.mapped.values()]
        if self.site_col:
            names.append(self.site_col)
        names += [c for c, _, _ in self.class_cols] + [c for c, _ in self.dir_cols]
        if self.total_col:
            names.append(self.total_col)
        return list(dict.fromkeys(names))


def _as_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def _edge(text: str | None, factor: float) -> float:
    if text is None or text == "":
        return float("inf")
    return float(text.replace(",", ".")) * factor


def layout_of(path: Path, profile: Profile, header: Header) -> Layout:
    """Find what ``profile`` needs in a file's ``header``.

    Raises
    ------
    InputError
        A required column is missing, no site id is found, or no speed-class
        (or direction) count columns match the profile's pattern.
    """
    names = header.names
    present = set(names)

    def missing(raw: str, what: str | Phrase) -> InputError:
        return InputError("err_missing_required", raw=raw, what=what, profile=profile.name,
                          names=", ".join(names), path=path, line=header.line, column=raw)

    time = profile.section("time")
    time_cols = _as_tuple(time.get("columns"))
    end_cols = _as_tuple(time.get("end_columns"))
    for raw in (*time_cols, *end_cols):
        if raw not in present:
            raise missing(raw, "time")
    mapped: dict[str, str] = {}
    for canonical, raw in profile.columns.items():
        if raw in present:
            mapped[canonical] = raw
        elif canonical not in profile.optional:
            raise missing(raw, canonical)
    site = profile.section("site")
    site_col = None
    site_value = None
    if "column" in site and site["column"] in present:
        site_col = site["column"]
    else:
        site_value = _site_from_file(path, profile, header)
        if site_value is None:
            if "column" in site:
                raise missing(site["column"], Phrase("err_what_site_id"))
            raise InputError(
                "err_no_site_id", profile=profile.name,
                where=" | ".join(f"{k} {site[k]!r}" for k in ("metadata", "filename")
                                 if k in site),
                path=path, line=header.line,
            )
    class_cols: list[tuple[str, float, float]] = []
    class_dirs: list[str | None] = []
    dir_cols: list[tuple[str, str]] = []
    total_col = profile.section("bins").get("total_column")
    if total_col is not None and total_col not in present:
        raise missing(total_col, Phrase("err_what_total"))
    factor = MPH if profile.section("units").get("speed", "km/h") == "mph" else 1.0
    if profile.kind == "bins":
        bins = profile.section("bins")
        if bins.get("speed_columns"):
            class_cols, class_dirs = _speed_classes(path, profile, header, factor)
        elif bins.get("direction_columns"):
            pattern = safe_pattern(bins["direction_columns"],
                                   where="[bins] direction_columns", path=profile.path)
            for raw in names:
                m = pattern.fullmatch(raw)
                if m:
                    dir_cols.append((raw, m.group("direction")))
            if not dir_cols:
                raise InputError(
                    "err_no_count_columns", pattern=pattern.pattern, profile=profile.name,
                    path=path, line=header.line,
                )
    gaps: list[Phrase] = []
    for direction in dict.fromkeys(class_dirs):
        gaps += _class_gaps([c for c, d in zip(class_cols, class_dirs, strict=True)
                             if d == direction], factor)
    return Layout(header, time_cols, end_cols, mapped, site_col, site_value,
                  tuple(class_cols), tuple(dir_cols), tuple(gaps), tuple(class_dirs),
                  _direction_from_file(path, profile, header), total_col)


def _patterns(value: Any) -> list[re.Pattern[str]]:
    return [safe_pattern(p, where="[bins] speed_columns") for p in _as_tuple(value)]


def _speed_classes(path: Path, profile: Profile, header: Header, factor: float
                   ) -> tuple[list[tuple[str, float, float]], list[str | None]]:
    """Speed-class columns with their edges [km/h] and directions, checked.

    A class holds ``lo < speed <= hi``. With ``upper_inclusive`` the labels
    are whole numbers both included (``16-20`` holds 16 up to 21): the edges
    become ``lo`` and ``hi + 1``, and an open class ``>75`` starts at 76. A
    class with a lower edge only (``30-``) reaches up to the next class, or
    is open-ended when it is the last. A
    ``direction`` group in the pattern gives each column its direction
    (classes are then checked per direction). Classes come in direction, then
    speed order.

    Raises
    ------
    InputError
        No column matches, a class of zero or negative width, or two classes
        that overlap (naming both columns).
    """
    bins = profile.section("bins")
    inclusive = bool(bins.get("upper_inclusive", False))
    step = 1.0 if inclusive else 0.0
    patterns = _patterns(bins["speed_columns"])
    found: list[tuple[str, float, float, str | None]] = []
    lower_only: set[str] = set()  # '30-': from 30 up to the next class (open when last)
    for raw in header.names:
        m = next((m for p in patterns if (m := p.fullmatch(raw))), None)
        if m is None:
            continue
        groups = m.groupdict()
        if groups.get("above"):
            lo, hi = _edge(groups["above"], 1.0) + step, float("inf")
        else:
            lo = _edge(groups.get("lo"), 1.0)
            lo = 0.0 if lo == float("inf") else lo
            hi = _edge(groups.get("hi"), 1.0)
            if hi == float("inf"):
                lower_only.add(raw)
            else:
                hi += step
        found.append((raw, lo * factor, hi * factor, groups.get("direction")))
    if not found:
        raise InputError(
            "err_no_class_columns", patterns=" | ".join(repr(p.pattern) for p in patterns),
            profile=profile.name, names=", ".join(header.names),
            path=path, line=header.line,
        )
    for raw, lo, hi, _ in found:
        if not hi > lo:
            raise InputError("err_class_no_width", raw=raw, lo=f"{lo / factor:g}",
                             hi=f"{hi / factor:g}", path=path, line=header.line, column=raw)
    order = list(dict.fromkeys(c[3] for c in found))
    found.sort(key=lambda c: (order.index(c[3]), c[1], c[2]))
    for k, (raw, lo, _, direction) in enumerate(found[:-1]):  # '30-' up to the next class
        nxt = found[k + 1]
        if raw in lower_only and nxt[3] == direction:
            found[k] = (raw, lo, nxt[1], direction)
    for (a, _, a_hi, a_dir), (b, b_lo, _, b_dir) in itertools.pairwise(found):
        if a_dir == b_dir and b_lo < a_hi - 1e-9:
            raise InputError("err_classes_overlap", a=a, b=b, path=path, line=header.line,
                             column=b)
    return [c[:3] for c in found], [c[3] for c in found]


def _class_gaps(classes: list[tuple[str, float, float]], factor: float) -> tuple[Phrase, ...]:
    """Warnings naming gaps between consecutive speed classes."""
    out = []
    for (a, _, a_hi), (b, b_lo, _) in itertools.pairwise(classes):
        if b_lo > a_hi + 1e-9:
            out.append(Phrase("warn_class_gap", a=a, b=b, lo=f"{a_hi / factor:g}",
                              hi=f"{b_lo / factor:g}"))
    return tuple(out)


def _direction_from_file(path: Path, profile: Profile, header: Header) -> str | None:
    """Direction of a one-direction file from ``[direction]`` metadata or filename."""
    section = profile.section("direction")
    found = None
    if "metadata" in section:
        pattern = safe_pattern(section["metadata"], where="[direction] metadata", path=profile.path)
        for line in header.metadata:
            m = pattern.search(line)
            if m and m.group(1).strip():
                found = m.group(1).strip()
                break
    if found is None and "filename" in section:
        m = safe_pattern(section["filename"], where="[direction] filename",
                         path=profile.path).search(path.name)
        if m and m.group(1):
            found = m.group(1)
    if found is None and "default" in section:
        return str(section["default"])
    if found is None:
        if section:
            raise InputError(
                "err_no_direction", profile=profile.name,
                where=" | ".join(f"{k} {section[k]!r}" for k in ("metadata", "filename")
                                 if k in section),
                path=path, line=header.line)
        return None
    names = {str(k).casefold(): str(v) for k, v in section.get("names", {}).items()}
    return names.get(found.casefold(), found)


LABEL_MAX = 60
"""Longest direction label kept [characters] (longer ones are cut)."""


def direction_labels(profile: Profile, header: Header) -> dict[str, str]:
    """Return what the file calls each direction: direction code -> label.

    From the profile's ``[direction_labels] metadata`` pattern (two groups, code
    and label) searched in every metadata line above the header, e.g.
    ``Riktning 1;Mot centrum`` -> ``{"1": "Mot centrum"}``. Labels are stripped
    of control characters and cut to :data:`LABEL_MAX` characters; a file
    without such lines (or a profile without the pattern) gives ``{}``.
    """
    section = profile.section("direction_labels")
    if "metadata" not in section:
        return {}
    pattern = safe_pattern(section["metadata"], where="[direction_labels] metadata",
                           path=profile.path)
    found: dict[str, str] = {}
    for line in header.metadata:
        m = pattern.search(line)
        if m and m.group(1).strip() and m.group(2).strip():
            found.setdefault(m.group(1).strip(),
                             " ".join(clean_text(m.group(2)).split())[:LABEL_MAX])
    return found


def _site_from_file(path: Path, profile: Profile, header: Header) -> str | None:
    site = profile.section("site")
    if "metadata" in site:
        pattern = safe_pattern(site["metadata"], where="[site] metadata", path=profile.path)
        for line in header.metadata:
            m = pattern.search(line)
            if m and m.group(1).strip():
                return m.group(1).strip()
    if "filename" in site:
        m = safe_pattern(site["filename"], where="[site] filename",
                         path=profile.path).search(path.name)
        if m and m.group(1):
            return m.group(1)
    if "value" in site:
        return str(site["value"])
    return None
