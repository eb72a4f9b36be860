r"""Format profiles: how a vendor's file layout maps to the canonical tables.

Adding a vendor layout is writing a profile, not code. A profile is a TOML
file; the shipped ones live in the package (``trafikplan/io/profiles/formats/*.toml``),
a data folder adds its own in ``DATA_DIR/formats/*.toml``. A user profile with
the same ``name`` as a shipped one replaces it.

A file's profile is detected from its column header line: the first profile
(user profiles first, then shipped, each in name order) whose ``header_match``
regular expression is found in one of the file's first ``header_within``
lines fits. Lines above the header line are the metadata block.

Profile TOML schema
-------------------
Top-level keys (every kind):

``name`` : str, default the file name without ``.toml``
    Profile name, shown in errors and stored with the import.
``kind`` : str, required
    ``"vehicles"`` (one row per vehicle), ``"bins"`` (counts per interval and
    speed class), ``"reports"`` (Embrace), ``"checks_done"`` (police records).
``description`` : str, default ``""``
    One line for people: which device or export this is.
``file_type`` : str, default ``"text"``
    ``"text"`` (delimited text, optionally gzip-compressed) or ``"xlsx"``.
``encodings`` : list of str, default ``["utf-8"]``
    Python codec names tried in order; a UTF-8 byte order mark is always
    accepted. Only encodings where a line end is the byte ``0x0A`` (not UTF-16).
``delimiter`` : str, default ``","``
    Field separator, one character (``";"``, ``","``, ``"\t"``).
``decimal`` : str, default ``"."``
    Decimal mark of numbers: ``"."`` or ``","``.
``header_match`` : str, required
    Regular expression (Python :mod:`re`, searched, not anchored unless you
    write ``^``) that identifies the column header line. Make it match the
    first few column names only, so that a file missing a later required
    column is reported as such rather than as "fits no profile".
``header_within`` : int, default 50
    How many lines from the top are searched for the header line.
``has_header`` : bool, default true
    ``false`` for a file without a header line (columns by position): then
    ``header_names`` is required and ``header_match`` identifies the first
    data line, e.g. ``header_match = '^\d{4}-\d{2}-\d{2};\d{2};'``; lines
    above it are the metadata block.
``header_names`` : list of str, optional
    The column names in file order, used instead of the file's own header
    (a headerless file, or a vendor header that is garbled or short:
    ``header_names = ["Datum", "Tid", "Riktning", "0-30", "30-50"]``).
``extra_fields`` : str, default ``"refuse"``
    ``"ignore"``: rows may carry more fields than the header names (a
    trailing ``;`` on every line, unnamed vendor columns); the field count of
    the first data line is taken and the extra fields are never read.
``strip_fields`` : bool, default false
    Remove spaces around every field (layouts written as ``a, b, c``).
``time_basis`` : str, required for vehicles and bins
    The device clock. ``"utc"`` (naive times are UTC), ``"offset"`` (ISO
    8601 with an offset or ``Z`` in every value; a value without offset is
    local wall time), ``"local"`` (wall-clock time in the settings' time
    zone with daylight saving: times in the spring-forward gap are rejected
    rows, repeated fall-back times are resolved by file order),
    ``"local_standard"`` (local time *without* daylight saving: the zone's
    standard time all year, CET ``+01:00`` in Sweden, as many counters keep),
    ``"fixed+HH:MM"`` / ``"fixed-HH:MM"`` (a fixed offset from UTC all year,
    e.g. ``"fixed+01:00"``).
``optional`` : list of str, default ``[]``
    Canonical column names (keys of ``[columns]``) whose raw column may be
    missing from a file; missing ones become NaN (``length``, ``headway``) or
    ``unknown`` (``vehicle_class``). Every other mapped column is required.

``[columns]`` : table, canonical name -> raw header name
    vehicles: ``direction``, ``speed`` (required), ``length``, ``headway``,
    ``vehicle_class``, ``site_id`` (when the site is a column);
    bins: ``direction``, and for a long layout ``speed_lo``, ``speed_hi``,
    ``count``. Raw names are compared after removing surrounding spaces.

``[time]`` : table
    ``columns`` : str or list of str, required -- raw column(s) of the time (of
    the interval start for bins), joined with one space in the given order.
    ``format`` : str, default ``"iso"`` -- ``strftime``-style format of the
    joined value (``"%Y-%m-%d %H:%M:%S"``, ``"%m/%d/%Y %I:%M:%S %p"``), or
    ``"iso"`` for ISO 8601 (``2024-04-15T07:00:03+02:00``, ``...Z``, naive).
    ``end_columns`` / ``end_format`` : bins only -- the interval end, if the file
    has it. ``interval_minutes`` : int, bins only -- interval length when the
    file has no end column. ``label`` : ``"start"`` (default) or ``"end"`` --
    which end of the interval a bins file's single time column names
    (``label = "end"``: ``07:15`` closes the quarter 07:00-07:15; a stamp
    ``24:00`` is the next day's ``00:00``, in any strftime format).
    ``range_separator`` : str, optional -- the last time column holds a range
    (``14:00 - 14:59``); the value is cut at the separator that follows its
    first time and the start is used (``range_separator = "-"`` with
    ``interval_minutes = 60``).

``[site]`` : table -- where the site id comes from; tried in this order:
    ``column`` (raw header of a per-row site id), ``metadata`` (regular
    expression with one group, searched in the metadata lines above the
    header, e.g. ``'^Mätplats-ID;\s*(\S+)'``), ``filename`` (regular expression
    with one group, searched in the file name, e.g. ``'^(\d+)'``), ``value``
    (a fixed site id). At least one is required.

``[fixed]`` : table, canonical name -> constant
    Values every row gets, e.g. ``direction = "all"`` when a file counts both
    directions together.

``[direction]`` : table -- the direction of a file that holds one direction
    and says so only outside its rows: ``metadata`` (regular expression with
    one group, searched in the metadata lines, e.g. ``'^Riktning:\s*(\S+)'``),
    ``filename`` (one group, searched in the file name, e.g.
    ``'_(nb|sb)\.csv$'``), ``default`` (used when neither matches, e.g.
    ``"all"`` for the total of a count exported as total and per direction),
    ``[direction.names]`` (raw value -> direction label, e.g. ``nb = "N"``).
    A file where none is found and no ``default`` is given is refused.

``[direction_labels]`` : table -- what the file calls each direction, shown
    beside the direction code in reports: ``metadata`` (regular expression with
    two groups, the code and its label, searched in every metadata line, e.g.
    ``'^Riktning\s*(\S+);\s*(.+?)\s*$'`` for ``Riktning 1;Mot centrum``).

``[units]`` : table
    ``speed`` : ``"km/h"`` (default) or ``"mph"`` (1 mph = 1.609344 km/h; also
    applies to speed-class edges); ``length`` : ``"m"`` (default) or ``"ft"``.
    (A speed limit in mph goes in ``sites.csv`` as ``35 mph``.)

``[classes]`` : table, raw class -> canonical class
    Canonical classes are ``car, heavy, motorcycle, bicycle, unknown``. Raw
    values are compared case-insensitively after removing spaces; an unmapped
    value becomes ``unknown``. Without this table raw values that already are
    canonical class names are kept and everything else becomes ``unknown``.

``[bins]`` : table, bins only
    ``speed_columns`` : regular expression (or a list of them) with named
    groups matched (fully) against each raw column name; every matching
    column is a speed class holding counts, ``lo < speed <= hi`` in the
    profile's speed unit. Groups: ``lo`` and ``hi`` (``'(?P<lo>\d+)-(?P<hi>\d+)'``
    for ``30-50``); ``lo`` alone is a class up to the next one, open-ended
    when it is the last (``90-``); ``above`` is an open class over a value
    (``'>(?P<above>\d+)'`` for ``>75``); ``direction`` gives the column its
    direction (``'(?P<direction>[NS]) (?P<lo>\d+)-(?P<hi>\d+)'`` for ``N 30-50``).
    Classes are checked when the file is read: a class of zero width or two
    that overlap stop the import naming the columns; a gap between classes
    is a warning.
    ``upper_inclusive`` : bool, default false -- labels are whole numbers with
    both ends included: ``16-20`` holds 16 up to (not including) 21, so the
    class edges are 16 and 21, and ``>75`` starts at 76.
    ``total_column`` : str, optional -- the vendor's own total of each row;
    a row whose classes do not add up to it gives a warning (the classes are
    used), e.g. ``total_column = "Summa"``.
    ``direction_columns`` : regular expression with a named group
    ``direction``: every matching column holds the count of all speeds in
    that direction (volume-only layouts). Without either, the long layout's
    ``[columns]`` ``speed_lo``, ``speed_hi``, ``count`` are used.

Counter files (kinds ``vehicles`` and ``bins``) hold one row per physical line:
no line breaks inside quoted fields. A file from which every row is set aside
stops the import naming the column, the reason and the expected format.
Lines whose every field is empty are skipped; a row with too few or too many
fields is set aside (reason ``field_count``) with its line number.

Profiles of other kinds (``reports``, ``checks_done``) use the top-level keys
above and read their own sections from :attr:`Profile.raw`.

Example (a simplified ``se_bins``)::

    name = "se_bins"
    kind = "bins"
    encodings = ["utf-8"]
    delimiter = ";"
    header_match = '^Från;Till;Riktning'
    time_basis = "fixed+01:00"
    [time]
    columns = "Från"
    end_columns = "Till"
    format = "%Y-%m-%d %H:%M"
    [columns]
    direction = "Riktning"
    [site]
    metadata = '^Mätplats-ID;\s*([^;\s]+)'
    [bins]
    speed_columns = '(?P<lo>\d+)-(?P<hi>\d*)'

The header line of a file is found, and a file's profile detected, by
:mod:`trafikplan.io.profiles.detect`; the TOML is checked against the schema
by :mod:`trafikplan.io.profiles.schema`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pandas as pd

from trafikplan._errors import InputError
from trafikplan.io.files import limits
from trafikplan.io.files.patterns import safe_pattern
from trafikplan.io.profiles.schema import bad_profile, check_profile
from trafikplan.settings import read_toml

__all__ = ["FORMATS_DIR", "USER_FORMATS", "Profile", "ReadResult", "load_profile", "load_profiles"]

FORMATS_DIR = Path(__file__).with_name("formats")
"""Folder of the shipped profiles."""

USER_FORMATS = "formats"
"""Sub-folder of a data folder with user profiles."""


def _frozen(value: Any) -> Any:
    if isinstance(value, dict):
        return MappingProxyType({k: _frozen(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    return value


@dataclass(frozen=True)
class Profile:
    """One format profile (see the module docstring for the TOML schema).

    Attributes
    ----------
    name : str
        Profile name.
    kind : str
        ``"vehicles"``, ``"bins"``, ``"reports"`` or ``"checks_done"``.
    path : Path
        The TOML file it came from.
    description : str
        One line for people.
    raw : Mapping
        The whole parsed TOML (read-only).
    """

    name: str
    kind: str
    path: Path
    description: str
    raw: Mapping[str, Any] = field(repr=False, compare=False)

    @property
    def file_type(self) -> str:
        """``"text"`` or ``"xlsx"``."""
        return str(self.raw.get("file_type", "text"))

    @property
    def encodings(self) -> tuple[str, ...]:
        """Encodings tried in order (a UTF-8 BOM is always accepted)."""
        return tuple(self.raw.get("encodings", ("utf-8",)))

    @property
    def delimiter(self) -> str:
        """Field delimiter."""
        return str(self.raw.get("delimiter", ","))

    @property
    def decimal(self) -> str:
        """Decimal mark, ``"."`` or ``","``."""
        return str(self.raw.get("decimal", "."))

    @property
    def header_match(self) -> Any:
        """Compiled regular expression identifying the column header line."""
        return safe_pattern(self.raw["header_match"], where="header_match", path=self.path)

    @property
    def header_within(self) -> int:
        """Lines from the top searched for the header line."""
        return int(self.raw.get("header_within", 50))

    @property
    def strip_fields(self) -> bool:
        """Remove spaces around every field."""
        return bool(self.raw.get("strip_fields", False))

    @property
    def time_basis(self) -> str:
        """``"utc"``, ``"offset"``, ``"local"`` or ``"fixed+HH:MM"``."""
        return str(self.raw.get("time_basis", "offset"))

    @property
    def columns(self) -> Mapping[str, str]:
        """Canonical column name -> raw header name."""
        return self.raw.get("columns", MappingProxyType({}))

    @property
    def optional(self) -> frozenset[str]:
        """Canonical columns whose raw column may be missing."""
        return frozenset(self.raw.get("optional", ()))

    def section(self, name: str) -> Mapping[str, Any]:
        """Return the TOML table ``[name]`` (empty mapping when absent)."""
        value = self.raw.get(name, MappingProxyType({}))
        return value if isinstance(value, Mapping) else MappingProxyType({})


@dataclass
class ReadResult:
    """What a reader returns for one file (or one chunk of it).

    Attributes
    ----------
    kind : str
        As the profile.
    table : DataFrame
        Canonical columns of :mod:`trafikplan.columns` (VEHICLES, BINS, ...).
    rejects : DataFrame
        :data:`trafikplan.columns.REJECTS` columns; ``reason`` a key of
        :data:`trafikplan.columns.REJECT_REASONS`.
    profile : str
        Profile name.
    meta : dict
        E.g. ``{"site_ids": [...], "first": Timestamp, "last": Timestamp}``.
    """

    kind: str
    table: pd.DataFrame
    rejects: pd.DataFrame
    profile: str
    meta: dict[str, Any] = field(default_factory=dict)



def load_profile(path: Path | str) -> Profile:
    """Read and check one profile TOML.

    Raises
    ------
    InputError
        Broken TOML or a key that does not fit the schema, naming the file.
    """
    path = Path(path)
    try:
        raw = read_toml(path, limits.limits().max_toml_depth)
    except InputError as exc:
        raise bad_profile(path, exc.phrase) from None
    check_profile(raw, path)
    name = raw.get("name", path.stem)
    return Profile(
        name=name,
        kind=raw["kind"],
        path=path,
        description=raw.get("description", ""),
        raw=_frozen(raw),
    )


def load_profiles(data_dir: Path | str | None = None) -> list[Profile]:
    """Load the shipped profiles and those of ``DATA_DIR/formats/``.

    Parameters
    ----------
    data_dir : Path or str, optional
        The data folder; without it only the shipped profiles are loaded.

    Returns
    -------
    list of Profile
        User profiles first (a user profile replaces a shipped one of the same
        name), then shipped ones, each in name order: the detection order.

    Raises
    ------
    InputError
        A profile TOML that is broken, naming it.
    """
    shipped = {p.name: p for p in map(load_profile, sorted(FORMATS_DIR.glob("*.toml")))}
    user: dict[str, Profile] = {}
    if data_dir is not None:
        folder = Path(data_dir) / USER_FORMATS
        if folder.is_dir():
            for file in sorted(folder.glob("*.toml")):
                profile = load_profile(file)
                if profile.name in user:
                    raise InputError(
                        "err_profile_twice", name=profile.name,
                        other=user[profile.name].path.name,
                        path=file,
                    )
                user[profile.name] = profile
    ordered = [user[n] for n in sorted(user)]
    ordered += [shipped[n] for n in sorted(shipped) if n not in user]
    return ordered
