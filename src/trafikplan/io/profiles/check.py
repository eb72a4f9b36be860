"""Which format profile reads a file, why the others do not, and what the reading gives.

:func:`check_file` tries every profile on a raw file the way the import
detects one (:func:`trafikplan.io.profiles.detect.detect_profile`), but instead of
stopping at the first that fits it says for each profile why it does not
fit (no header line matching its pattern within its first lines, a missing
column, the wrong file type) and, for the one the import would use, reads
the first rows as the import would read them.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from trafikplan._errors import InputError
from trafikplan.i18n.phrase import Phrase
from trafikplan.io.counters.layout import layout_of
from trafikplan.io.files import decoding, textfile
from trafikplan.io.profiles.detect import detect_profile, locate_header
from trafikplan.io.profiles.profile import Profile
from trafikplan.settings import Settings

__all__ = ["Verdict", "check_file", "preview"]

COUNTER_KINDS = ("vehicles", "bins")


@dataclass(frozen=True)
class Verdict:
    """One profile tried on one file.

    Attributes
    ----------
    profile : str
    kind : str
    fits : bool
        The import would read the file with this profile (the first that fits).
    why : Phrase
        Why it does not fit, or what it found (header line, columns), to be
        worded in the reader's language (:meth:`~trafikplan._errors.Phrase.text`).
    """

    profile: str
    kind: str
    fits: bool
    why: Phrase

    @property
    def reason(self) -> str:
        """:attr:`why` in English."""
        return self.why.text("en")


def _why(path: Path, profile: Profile, head: bytes) -> tuple[bool, Phrase]:
    is_xlsx = path.suffix.lower() in (".xlsx", ".xlsm")
    if (profile.file_type == "xlsx") != is_xlsx:
        return False, Phrase("fmt_for_xlsx" if profile.file_type == "xlsx" else "fmt_for_text")
    if is_xlsx:
        try:
            detect_profile(path, [profile])
        except InputError as exc:
            return False, exc.phrase
        return True, Phrase("fmt_header_row_found")
    try:
        header = locate_header(path, profile, head)
    except InputError as exc:
        return False, exc.phrase
    where = Phrase("fmt_header_on_line", line=header.line) if profile.raw.get(
        "has_header", True) else Phrase("fmt_first_data_line", line=header.line + 1)
    if profile.kind in COUNTER_KINDS:
        try:
            layout = layout_of(path, profile, header)
        except InputError as exc:
            return False, Phrase("fmt_but", where=where, error=exc.phrase)
        return True, Phrase("fmt_reads", where=where, columns=", ".join(layout.needed))
    return True, where


def check_file(path: Path | str, profiles: Sequence[Profile]) -> list[Verdict]:
    """Try every profile on ``path``; the first that fits is the one the import uses.

    Parameters
    ----------
    path : Path or str
        A raw file.
    profiles : sequence of Profile
        In detection order (:func:`trafikplan.io.profiles.profile.load_profiles`).

    Returns
    -------
    list of Verdict
        One per profile, in detection order; at most one has ``fits``.

    Raises
    ------
    InputError
        The file cannot be read at all (missing, empty, binary).
    """
    path = Path(path)
    head = b""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        head = textfile.read_head(path)
        decoding.check_not_empty_or_binary(head, path)
    out: list[Verdict] = []
    chosen = False
    for profile in profiles:
        fits, why = _why(path, profile, head)
        out.append(Verdict(profile.name, profile.kind, fits and not chosen,
                           Phrase("fmt_fits_too", why=why) if fits and chosen else why))
        chosen = chosen or fits
    return out


def preview(path: Path | str, profile: Profile, settings: Settings, *, rows: int = 10
            ) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Read the first rows of a counter file as the import would.

    Parameters
    ----------
    path : Path or str
        The counter file.
    profile : Profile
        Its profile (kind ``vehicles`` or ``bins``).
    settings : Settings
        Time zone and ``[import]`` limits.
    rows : int
        Raw rows read.

    Returns
    -------
    table : DataFrame
        Canonical rows read (vehicles or bins columns).
    rejects : DataFrame
        Rows set aside among them, with reasons.
    warnings : list of str
        What looks wrong (gaps between classes, vendor totals), in
        ``settings.language``.

    Raises
    ------
    InputError
        As the import would (every row set aside included).
    """
    from trafikplan.io.counters import iter_counter_file

    path = Path(path)
    chunks = iter_counter_file(path, profile, settings=settings, source=path.name,
                               chunk_rows=rows)
    try:
        first = next(chunks)
    finally:
        if isinstance(chunks, Generator):
            chunks.close()
    table = first.table
    if profile.kind == "vehicles":
        table = table.drop(columns=["headway"], errors="ignore")
    return table, first.rejects, list(first.meta.get("warnings", ()))
