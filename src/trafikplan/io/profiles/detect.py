"""Finding a file's column header line, and the profile whose ``header_match`` fits it.

The schema of profiles is in :mod:`trafikplan.io.profiles.profile`; a text file's head
is decoded with the profile's encodings only as far as the header line
(:func:`locate_header`), an ``.xlsx`` file's first sheet is matched row by row
(:func:`detect_profile`).
"""

from __future__ import annotations

import csv
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from trafikplan._errors import InputError
from trafikplan.i18n.phrase import Phrase
from trafikplan.io.files import decoding, limits, textfile

if TYPE_CHECKING:
    from trafikplan.io.profiles.profile import Profile

__all__ = ["Header", "check_columns", "detect_profile", "locate_header", "split_header"]


@dataclass(frozen=True)
class Header:
    """The column header of a text file as a profile sees it.

    Attributes
    ----------
    line : int
        1-based line number of the header line.
    names : tuple of str
        Column names, surrounding spaces removed.
    metadata : tuple of str
        Decoded lines above the header line (line ends removed).
    encoding : str
        Encoding that decoded the head of the file.
    body_offset : int
        Byte offset (in the decompressed content) of the first line after the
        header line.
    """

    line: int
    names: tuple[str, ...]
    metadata: tuple[str, ...]
    encoding: str
    body_offset: int


def split_header(line: str, delimiter: str, path: Path | str | None = None,
                 line_no: int | None = None) -> tuple[str, ...]:
    """Split a header line into column names (quotes honoured, spaces stripped).

    Raises
    ------
    InputError
        A line that cannot be split (a stray carriage return in an unquoted field).
    """
    try:
        fields = next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error as exc:
        raise InputError("err_line_split", detail=exc, path=path, line=line_no) from None
    return tuple(f.strip() for f in fields)


def check_columns(n: int, path: Path | str, line: int) -> None:
    """Raise :class:`~trafikplan.io.files.limits.LimitError` for over ``max_columns`` columns."""
    if n > limits.limits().max_columns:
        raise limits.LimitError(Phrase("err_limit_columns", n=n), "max_columns", path=path,
                                  line=line)


def _head_lines(head: bytes, n: int) -> list[bytes]:
    lines = decoding.split_lines(head, n)
    return lines[:n]


def _offset_after_line(body: bytes, index: int) -> int:
    """Byte offset just after line ``index`` (0-based) of ``body``."""
    pos = -1
    for _ in range(index + 1):
        pos = body.find(b"\n", pos + 1)
        if pos < 0:
            return len(body)
    return pos + 1


def locate_header(path: Path | str, profile: Profile, head: bytes | None = None) -> Header:
    """Find ``profile``'s column header line in a text file.

    Parameters
    ----------
    path : Path or str
        The raw file (gzip allowed).
    profile : Profile
        A profile with ``file_type = "text"``.
    head : bytes, optional
        The first bytes of the file if already read.

    Returns
    -------
    Header

    Raises
    ------
    InputError
        Empty or binary file, bytes the profile's encodings cannot decode in
        the lines above and at the header, no header line, or duplicate
        column names.
    """
    path = Path(path)
    if head is None:
        head = textfile.read_head(path)
    decoding.check_not_empty_or_binary(head, path)
    bom = head.startswith(decoding.BOM)
    body = head[len(decoding.BOM):] if bom else head
    raw_lines = _head_lines(body, profile.header_within)
    pattern = profile.header_match
    # decode only as far as needed: each line on its own
    chunk = b"\n".join(raw_lines)
    complete = len(raw_lines) < profile.header_within and not body.endswith(b"\n")
    decoded = decoding.decode(
        (decoding.BOM if bom else b"") + chunk, profile.encodings, path,
        partial=not complete,
    )
    lines = decoded.text.split("\n")
    for i, text in enumerate(lines):
        text = text.removesuffix("\r")
        if pattern.search(text):
            has_header = bool(profile.raw.get("has_header", True))
            names = split_header(text, profile.delimiter, path, i + 1)
            check_columns(len(names), path, i + 1)
            if "header_names" in profile.raw:
                names = tuple(str(n).strip() for n in profile.raw["header_names"])
            first_data = i + 1 if has_header else i
            if profile.raw.get("extra_fields") == "ignore" and first_data < len(lines):
                width = len(split_header(lines[first_data].removesuffix("\r"),
                                         profile.delimiter, path, first_data + 1))
                names += tuple(f"_extra{k}" for k in range(1, width - len(names) + 1))
            seen: dict[str, int] = {}
            for j, name in enumerate(names):
                if name in seen:
                    raise InputError(
                        "err_duplicate_column_name", name=name, first=seen[name] + 1,
                        second=j + 1,
                        path=path, line=i + 1, column=name,
                    )
                seen[name] = j
            offset = (_offset_after_line(body, i - 1) if i else 0) if not has_header \
                else _offset_after_line(body, i)
            offset += len(decoding.BOM) if bom else 0
            return Header(
                line=i + 1 if has_header else i,
                names=names,
                metadata=tuple(t.removesuffix("\r") for t in lines[:i]),
                encoding=decoded.encoding,
                body_offset=offset,
            )
    raise InputError(
        "err_no_header_profile", n=profile.header_within, pattern=profile.header_match.pattern,
        profile=profile.name,
        path=path,
    )


def _xlsx_header_lines(path: Path, n: int, delimiter: str) -> list[str]:
    from trafikplan.io.files.xlsxfile import open_workbook, sheet_rows

    wb = open_workbook(path)
    try:
        return [delimiter.join("" if v is None else str(v) for v in row).rstrip(delimiter)
                for _, row in sheet_rows(wb.worksheets[0], path, max_rows=n)]
    finally:
        wb.close()


def detect_profile(
    path: Path | str,
    profiles: Sequence[Profile],
    *,
    kinds: Collection[str] | None = None,
) -> Profile:
    """Return the profile whose ``header_match`` fits the file's header line.

    Text profiles are tried on text files (``.gz`` decompressed) with their own
    encodings; ``xlsx`` profiles on ``.xlsx`` files, matching the first
    sheet's rows joined with the profile's delimiter.

    Parameters
    ----------
    path : Path or str
        The raw file.
    profiles : sequence of Profile
        In detection order (as :func:`load_profiles` returns them).
    kinds : collection of str, optional
        Only profiles of these kinds are tried.

    Returns
    -------
    Profile
        The first that fits.

    Raises
    ------
    InputError
        Empty or binary file, a file whose header fits a profile only when
        decoded with the wrong encoding, or one that fits no profile (naming
        the profiles tried, with a hint about ``DATA_DIR/formats/``).
    """
    path = Path(path)
    candidates = [p for p in profiles if kinds is None or p.kind in kinds]
    is_xlsx = path.suffix.lower() in (".xlsx", ".xlsm")
    tried = [p for p in candidates if (p.file_type == "xlsx") == is_xlsx]
    encoding_problem: InputError | None = None
    if is_xlsx:
        for profile in tried:
            lines = _xlsx_header_lines(path, profile.header_within, profile.delimiter)
            if any(profile.header_match.search(line) for line in lines):
                return profile
    else:
        head = textfile.read_head(path)
        decoding.check_not_empty_or_binary(head, path)
        for profile in tried:
            try:
                locate_header(path, profile, head)
            except InputError as exc:
                if exc.message.startswith("no header line"):
                    continue
                if exc.message.startswith(("wrong encoding", "mixed encodings")):
                    text = head.decode(profile.encodings[0], errors="replace")
                    lines = text.split("\n")[: profile.header_within]
                    if any(profile.header_match.search(t) for t in lines):
                        encoding_problem = encoding_problem or exc
                    continue
                raise
            return profile
    if encoding_problem is not None:
        raise encoding_problem
    names: Phrase | str = ", ".join(p.name for p in tried) or Phrase("err_none")
    raise InputError(
        "err_no_profile_fits", names=names,
        path=path,
    )
