"""Draft a format profile from a counter file nobody wrote a profile for.

:func:`draft_profile` reads the head of a file and guesses what a person
would otherwise work out by reading it: encoding, delimiter, decimal mark,
the header line (or that there is none), the site id (a column, a metadata
line such as ``Site Code: 166905``, or the file name), the time columns and
their format, the interval, the direction (a column, direction count
columns, or ``all``), the speed-class columns (``30-50``, ``>0 to 15``,
``90-``, ``>75``, whole-number labels such as ``16-20`` as
``upper_inclusive``) or the per-vehicle speed, length, headway and class
columns. What it cannot know it says in a ``# CHECK`` comment next to the
key: the device clock (``local`` unless the file says otherwise), the speed
unit (``mph`` only when the file or its 12-hour clock says US), whether an
interval time marks its start or its end.

The draft is a starting point to review, not a reading: the user saves it in
``DATA_DIR/formats/`` (``trafikplan formats draft FILE``) and checks it with
``trafikplan formats check FILE``.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from trafikplan._errors import InputError
from trafikplan.io.files import decoding, textfile
from trafikplan.io.profiles.profile import FORMATS_DIR, load_profile

__all__ = ["draft_profile"]

_HEAD_LINES = 400
_DELIMITERS = (";", ",", "\t", "|")
_DATES = ("%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%Y/%m/%d", "%d-%m-%Y", "%Y%m%d")
_CLOCKS = ("%H:%M:%S", "%H:%M", "%I:%M:%S %p", "%I:%M %p", "%H.%M", "%H")
_RANGE = re.compile(r"^(\d{1,2}[:.]\d{2}(?:[:.]\d{2})?)\s*(-|–|to)\s*\d{1,2}[:.]\d{2}")
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
_CLASS_PATTERNS: tuple[tuple[str, ...], ...] = (
    (r">(?P<lo>\d+(?:\.\d+)?)(?: to (?P<hi>\d+(?:\.\d+)?))?",),
    (r"(?P<lo>\d+(?:[.,]\d+)?)\s*-\s*(?P<hi>\d+(?:[.,]\d+)?)?(?:\s*(?:km/h|mph))?",
     r"[>]\s*(?P<above>\d+)(?:\s*(?:km/h|mph))?"),
)
_NAMES = {
    "direction": r"(?i)^(direction|riktning|dir|channel|kanal|lane|körfält|körriktning)\b",
    "speed": r"(?i)(speed|hastighet|km/h|mph|^v$)",
    "length": r"(?i)(length|längd)",
    "headway": r"(?i)(headway|tidlucka|gap)",
    "vehicle_class": r"(?i)(^class$|klass|vehicle_class|fordonstyp|^typ$)",
    "site": r"(?i)^(site_?id|site|mätplats(-?id)?|station)$",
}
_DIRECTION_COLUMNS = re.compile(
    r"(?i)^(?P<prefix>channel|kanal|riktning|direction|dir|lane|körfält)"
    r"(?:\s*(?P<direction>\d+)|\s+(?P<word>\S+))$")
_SITE_META = (r"(?i)^(site|mätplats|station|plats)[^:;,=]*(id|code|kod|nr|nummer)",
              r"(?i)^(site|mätplats|station)\b")


@dataclass
class _Draft:
    """What was found, in TOML order."""

    top: dict[str, Any] = field(default_factory=dict)
    sections: dict[str, dict[str, Any]] = field(default_factory=dict)
    comments: dict[tuple[str, str], str] = field(default_factory=dict)

    def set(self, section: str, key: str, value: Any, comment: str = "") -> None:
        target = self.top if section == "" else self.sections.setdefault(section, {})
        target[key] = value
        if comment:
            self.comments[(section, key)] = comment

    def toml(self) -> str:
        lines = []
        for key, value in self.top.items():
            lines.append(self._line("", key, value))
        for name, table in self.sections.items():
            lines += ["", f"[{name}]"]
            lines += [self._line(name, k, v) for k, v in table.items()]
        return "\n".join(lines) + "\n"

    def _line(self, section: str, key: str, value: Any) -> str:
        bare = re.fullmatch(r"[A-Za-z0-9_-]+", key)
        text = f"{key if bare else json.dumps(key, ensure_ascii=False)} = {_value(value)}"
        comment = self.comments.get((section, key))
        return f"{text}  # {comment}" if comment else text


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def _decode(path: Path) -> tuple[list[str], str]:
    head = textfile.read_head(path)
    decoding.check_not_empty_or_binary(head, path)
    for encoding in ("utf-8", "cp1252"):
        try:
            text = decoding.decode(head, (encoding,), path, partial=True).text
        except InputError:
            continue
        return [line.removesuffix("\r") for line in text.split("\n")[:_HEAD_LINES]], encoding
    raise InputError("err_not_text", path=path)


def _split(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader(io.StringIO(line, newline=""), delimiter=delimiter), [])
    except csv.Error:  # a stray CR or quote: the plain split is as good a guess
        return line.split(delimiter)


def _delimiter(lines: Sequence[str]) -> tuple[str, int]:
    """Return the delimiter whose field count is steadiest on the last lines, and the count."""
    tail = [line for line in lines[-60:] if line.strip()] or list(lines)
    best = (",", 1, 0.0)
    for d in _DELIMITERS:
        counts = Counter(len(_split(line, d)) for line in tail)
        width, n = counts.most_common(1)[0]
        score = n / len(tail) if width > 1 else 0.0
        if score > best[2] or (score == best[2] and width > best[1]):
            best = (d, width, score)
    return best[0], best[1]


def _is_data(field_: str) -> bool:
    text = field_.strip().strip('"')
    return text == "" or bool(_NUMBER.match(text) or re.match(r"^\d{1,4}[-/.]\d", text)
                              or re.match(r"^\d{1,2}[:.]\d{2}", text))


def _parses(values: pd.Series, fmt: str) -> bool:
    if fmt == "iso":
        got = pd.to_datetime(values, format="ISO8601", errors="coerce", utc=True)
    else:
        got = pd.to_datetime(values, format=fmt, errors="coerce")
    return bool(len(values)) and bool(got.notna().all())


def _date_format(values: pd.Series) -> str | None:
    """Return a date format all values fit (month first when both orders fit)."""
    fits = [f for f in _DATES if _parses(values, f)]
    if not fits:
        return None
    if "%d/%m/%Y" in fits and "%m/%d/%Y" in fits:
        return "%m/%d/%Y"  # decided later by the clock (12-hour: US) or refused in a comment
    return fits[0]


def _time_format(values: pd.Series) -> str | None:
    for fmt in _CLOCKS:
        if _parses(values.str.upper(), fmt):
            return fmt
    return None


def _find_times(frame: pd.DataFrame) -> list[tuple[list[str], str]]:
    """Time columns found, in column order: (columns, strftime format or 'iso')."""
    found: list[tuple[list[str], str]] = []
    names = list(frame.columns)
    used: set[str] = set()
    for i, name in enumerate(names):
        if name in used:
            continue
        values = frame[name].str.strip()
        values = values[values != ""]
        if values.empty:
            continue
        if values.str.contains(r"\dT\d|\d(?:Z|[+-]\d{2}:?\d{2})$", regex=True).all() \
                and _parses(values, "iso"):
            found.append(([name], "iso"))
            used.add(name)
            continue
        head = values.str.split(r"\s+", n=1, regex=True)
        date_part = head.str[0]
        date_fmt = _date_format(date_part)
        if date_fmt is None:
            continue
        rest = head.str[1].astype("string").fillna("")
        if (rest != "").all():
            clock = _time_format(rest.map(_range_start))
            if clock:
                found.append(([name], f"{date_fmt} {clock}"))
                used.add(name)
                continue
        if i + 1 < len(names):
            nxt = frame[names[i + 1]].str.strip()[values.index]
            clock = _time_format(nxt.map(_range_start))
            if clock:
                found.append(([name, names[i + 1]], f"{date_fmt} {clock}"))
                used |= {name, names[i + 1]}
                continue
    return found


def _range_start(value: str) -> str:
    m = _RANGE.match(value)
    return m.group(1) if m else value


def _class_columns(names: Sequence[str]) -> tuple[list[str], list[str]]:
    """Return the class-column patterns that match most names, and the names matched."""
    best: tuple[list[str], list[str]] = ([], [])
    for patterns in _CLASS_PATTERNS:
        compiled = [re.compile(p) for p in patterns]
        hits = [n for n in names if any(p.fullmatch(n) for p in compiled)]
        if len(hits) > len(best[1]):
            best = (list(patterns), hits)
    return best if len(best[1]) >= 2 else ([], [])


def _inclusive(hits: Sequence[str], patterns: Sequence[str]) -> bool:
    """Whole-number labels where each class starts one above the last one's end."""
    edges = []
    for name in hits:
        m = re.fullmatch(patterns[0], name)
        if m and m.group("lo") and m.groupdict().get("hi"):
            edges.append((float(m.group("lo").replace(",", ".")),
                          float(m.group("hi").replace(",", "."))))
    edges.sort()
    steps = [b[0] - a[1] for a, b in itertools.pairwise(edges)]
    return bool(steps) and all(s == 1 for s in steps)


def _class_map(values: Sequence[str]) -> dict[str, str] | None:
    """Return a shipped profile's class table that knows every raw class value found."""
    keys = {v.strip().casefold() for v in values if v.strip()}
    best: tuple[int, dict[str, str] | None] = (len(keys) // 2, None)  # at least half known
    for path in sorted(FORMATS_DIR.glob("*.toml")):
        table = load_profile(path).section("classes")
        known = len(keys & {str(k).strip().casefold() for k in table})
        if known > best[0]:
            best = (known, dict(table))
    return best[1]


def _clock_from_metadata(meta: Sequence[str]) -> tuple[str, str] | None:
    text = " ".join(meta)
    m = re.search(r"UTC\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?", text)
    if m:
        return (f"fixed{m.group(1)}{int(m.group(2)):02d}:{m.group(3) or '00'}",
                "the file says " + m.group(0))
    if re.search(r"(?i)normaltid|vintertid|standard time|utan sommartid|no dst", text):
        return "local_standard", "the file says its clock keeps standard time"
    return None


def _site_from_metadata(meta: Sequence[str], delimiter: str) -> str | None:
    for pattern in _SITE_META:
        for line in meta:
            fields = re.split(r"[:;,=\t]", line, maxsplit=1)
            if len(fields) == 2 and re.search(pattern, fields[0].strip()) and \
                    fields[1].strip(" ,;\t:"):
                key = re.escape(fields[0].strip())
                return rf"^{key}\s*[:;,=]?\s*[:;,=]?\s*([^{re.escape(delimiter)}\s,;]+)"
    return None


def draft_profile(path: Path | str, name: str | None = None) -> str:
    """Guess a format profile for a counter file; return its TOML text.

    Parameters
    ----------
    path : Path or str
        The counter file (gzip allowed).
    name : str, optional
        Profile name (default: from the file name).

    Returns
    -------
    str
        TOML of a ``vehicles`` or ``bins`` profile with ``# CHECK`` comments
        where the file does not tell.

    Raises
    ------
    InputError
        Empty, binary or undecodable file; no time column or no speed (or
        class) column found.
    """
    path = Path(path)
    lines, encoding = _decode(path)
    delimiter, width = _delimiter(lines)
    rows = [_split(line, delimiter) for line in lines]
    start = next((i for i, r in enumerate(rows) if len(r) == width), None)
    if start is None:
        raise InputError("err_no_table", path=path)
    headerless = all(_is_data(f) for f in rows[start])
    body_from = start if headerless else start + 1
    body = [r for r in rows[body_from:] if len(r) == width]
    if lines and lines[-1] and len(body) > 1:
        body = body[:-1]  # the head may end inside a line
    strip = any(f.startswith(" ") for r in body[:20] for f in r[1:])
    names = ([f"col{k + 1}" for k in range(width)] if headerless
             else [f.strip() for f in rows[start]])
    twice = [n for n, k in Counter(names).items() if k > 1]
    if twice:
        raise InputError("err_draft_duplicate", name=twice[0],
                         path=path, line=start + 1, column=twice[0])
    if not body:
        raise InputError("err_no_data_rows",
                         path=path, line=start + 1)
    frame = pd.DataFrame(body[:300], columns=names, dtype="string").fillna("")
    frame = frame.apply(lambda c: c.str.strip())
    meta = lines[:start]
    d = _Draft()
    d.set("", "name", name or re.sub(r"\W+", "_", path.name.split(".")[0]).strip("_").lower())
    d.set("", "description", f"drafted from {path.name}; review the CHECK comments")
    d.set("", "encodings", [encoding] if encoding != "utf-8" else ["utf-8"])
    d.set("", "delimiter", delimiter)
    numeric = frame.apply(lambda c: c.str.fullmatch(r"[+-]?\d+(?:[.,]\d+)?").fillna(False).all())
    decimal = "," if delimiter != "," and any(
        frame[c].str.contains(r"\d,\d", regex=True).any() for c in frame.columns[numeric]) else "."
    d.set("", "decimal", decimal)
    if strip:
        d.set("", "strip_fields", True)
    if headerless:
        shape = delimiter.join(re.sub(r"\d+", r"\\d+", re.escape(f)) for f in rows[start][:2])
        d.set("", "has_header", False)
        d.set("", "header_names", names, "CHECK: name the columns")
        d.set("", "header_match", "^" + shape + re.escape(delimiter))
    else:
        raw = lines[start]
        cut = [m.start() for m in re.finditer(re.escape(delimiter), raw)]
        prefix = raw[: cut[2]] if len(cut) > 2 else raw
        d.set("", "header_match", "^" + re.escape(prefix))
    times = _find_times(frame)
    if not times:
        raise InputError("err_no_time_column", path=path, line=start + 1)
    (time_cols, time_fmt), *rest = times
    us_clock = "%p" in time_fmt
    dates = frame[time_cols[0]].str.split(r"\s+", n=1, regex=True).str[0]
    both = _parses(dates, "%m/%d/%Y") and _parses(dates, "%d/%m/%Y")
    if both and not us_clock:
        time_fmt = time_fmt.replace("%m/%d/%Y", "%d/%m/%Y")
    classes, hits = _class_columns(names)
    kind = "bins" if hits or _dir_columns(names, numeric) else "vehicles"
    speed = next((n for n in names if re.search(_NAMES["speed"], n) and n not in hits
                  and numeric.get(n, False)), None)
    if kind == "vehicles" and speed is None:
        raise InputError("err_no_speed_column",
                         path=path, line=start + 1)
    d.top = {"name": d.top["name"], "kind": kind, **{k: v for k, v in d.top.items()
                                                     if k != "name"}}
    clock = _clock_from_metadata(meta)
    offsets = time_fmt == "iso" and frame[time_cols[0]].str.contains(
        r"(?:Z|[+-]\d{2}:?\d{2})$", regex=True).any()
    basis, why = ("offset", "the times carry their offset") if offsets else (
        clock or ("local", "CHECK: local (with DST), local_standard (no DST), utc or "
                  "fixed+01:00"))
    d.set("", "time_basis", basis, why)
    d.set("time", "columns", time_cols if len(time_cols) > 1 else time_cols[0])
    d.set("time", "format", time_fmt,
          ("CHECK: no date tells day/month order; guessed "
           + ("month first from the 12-hour clock" if us_clock else "day first"))
          if both else "")
    last = frame[time_cols[-1]]
    if last.str.split(r"\s+", n=1, regex=True).str[-1].map(
            lambda v: bool(_RANGE.match(v))).all():
        first_range = _RANGE.match(last.str.split(r"\s+", n=1, regex=True).str[-1].iloc[0])
        assert first_range is not None  # every value matched just above
        sep = first_range.group(2)
        d.set("time", "range_separator", sep)
    if kind == "bins":
        if rest and rest[0][1] == time_fmt:
            d.set("time", "end_columns", rest[0][0] if len(rest[0][0]) > 1 else rest[0][0][0])
        else:
            d.set("time", "interval_minutes", _interval(frame, time_cols, time_fmt))
            d.set("time", "label", "start", "CHECK: or end, if a stamp closes its interval")
    _site(d, names, frame, meta, delimiter, numeric)
    direction = next((n for n in names if re.search(_NAMES["direction"], n)
                      and not _DIRECTION_COLUMNS.match(n)), None)
    if direction:
        d.set("columns", "direction", direction)
    if kind == "vehicles":
        d.set("columns", "speed", speed)
        optional = []
        for key in ("length", "headway", "vehicle_class"):
            col = next((n for n in names if re.search(_NAMES[key], n) and n != speed), None)
            if col:
                d.set("columns", key, col)
                optional.append(key)
        if optional:
            d.top["optional"] = optional
    mph = us_clock or any("mph" in n.casefold() for n in names) or any(
        "mph" in m.casefold() for m in meta)
    if mph:
        d.set("units", "speed", "mph", "CHECK: guessed from the US clock or a header")
    if kind == "bins":
        if hits:
            d.set("bins", "speed_columns", classes if len(classes) > 1 else classes[0])
            if _inclusive(hits, classes):
                d.set("bins", "upper_inclusive", True, "labels 16-20, 21-25: both ends included")
        else:
            d.set("bins", "direction_columns", _dir_columns(names, numeric))
        if not direction and "bins" in d.sections and "direction_columns" not in d.sections[
                "bins"]:
            d.set("fixed", "direction", "all", "CHECK: the file does not say its direction")
    elif not direction:
        d.set("fixed", "direction", "all", "CHECK: the file does not say its direction")
    if kind == "vehicles" and "vehicle_class" in d.sections.get("columns", {}):
        found = _class_map(frame[d.sections["columns"]["vehicle_class"]].tolist())
        if found:
            d.sections["classes"] = found
    return d.toml()


def _dir_columns(names: Sequence[str], numeric: pd.Series) -> str | None:
    hits = [m for n in names if numeric.get(n, False) and (m := _DIRECTION_COLUMNS.match(n))]
    if len(hits) < 2:
        return None
    return re.escape(hits[0].group("prefix")) + r"\s*(?P<direction>\S+)"


def _interval(frame: pd.DataFrame, cols: Sequence[str], fmt: str) -> int:
    text = frame[cols[0]] if len(cols) == 1 else frame[cols[0]] + " " + frame[cols[1]]
    if " " in fmt and "%p" in fmt:
        text = text.str.upper()
    text = text.map(lambda v: v if not (m := re.search(r"\s*(-|–|to)\s*\d{1,2}[:.]\d{2}.*$", v))
                    else v[: m.start()])
    times = pd.to_datetime(text, format="ISO8601" if fmt == "iso" else fmt, errors="coerce")
    steps = pd.Series(sorted(times.dropna().unique())).diff().dropna()
    steps = steps[steps > pd.Timedelta(0)]
    if steps.empty:
        return 60
    return int(steps.mode().iloc[0] / pd.Timedelta(minutes=1))


def _site(d: _Draft, names: Sequence[str], frame: pd.DataFrame, meta: Sequence[str],
          delimiter: str, numeric: pd.Series) -> None:
    column = next((n for n in names if re.search(_NAMES["site"], n)), None)
    if column:
        d.set("site", "column", column)
        return
    pattern = _site_from_metadata(meta, delimiter)
    if pattern:
        d.set("site", "metadata", pattern)
    d.set("site", "filename", r"^([^_. -]+)",
          "CHECK: the site id is the start of the file name" if not pattern else "")
