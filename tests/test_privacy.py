"""Privacy: Swedish personal data in report texts never reaches the store, out/ or exports.

The corpus holds every common written form of

- personnummer and samordningsnummer (with and without century, with ``-``,
  ``+`` or no separator; valid Luhn check digits),
- registration plates (old ``ABC 123`` and new ``ABC 12D``, with space,
  hyphen or nothing, upper and lower case),
- phone numbers (mobile and landline; ``0``, ``+46``, ``0046``, ``+46 (0)``;
  hyphen, spaces or nothing between groups),
- e-mail addresses,

each embedded in a realistic Swedish sentence at the start, the middle and the
end. A second corpus holds what must *not* be redacted: times, dates, street
numbers, speeds, years, counts and report ids.

The end-to-end test puts the whole corpus into an Embrace export of a copy of the lean
sample (:func:`conftest.copy_lean_sample`), imports it and runs ``trafikplan run`` (and
the table exports), then searches every file of the store (Parquet decoded), ``out/``
(HTML, CSV, XLSX, ICS, PDF decoded) and the exports for each item. Corpus size and
misses are printed; misses must be zero.
"""

from __future__ import annotations

import html
import re
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from conftest import copy_lean_sample
from redaction_corpus import FORMS
from test_redact_corpus import fold, survivors
from trafikplan.io.redact import luhn_ok, redact

CLI = [sys.executable, "-m", "trafikplan"]


def _with_check_digit(nine: str) -> str:
    """``nine`` digits (YYMMDDNNN) with their Luhn check digit appended."""
    for d in "0123456789":
        if luhn_ok(nine + d):
            return nine + d
    raise AssertionError(nine)


def _pnr_forms(century: str, yymmdd: str, nnn: str) -> list[str]:
    ten = _with_check_digit(yymmdd + nnn)
    date, tail = ten[:6], ten[6:]
    return [
        f"{century}{date}-{tail}",
        f"{century}{date}{tail}",
        f"{date}-{tail}",
        f"{date}{tail}",
        f"{date}+{tail}",
        f"{century}{date}+{tail}",
    ]


PERSONNUMMER = (
    _pnr_forms("19", "850709", "980")
    + _pnr_forms("20", "051231", "239")
    + _pnr_forms("19", "780314", "456")
    + _pnr_forms("19", "640823", "323")
)
SAMORDNINGSNUMMER = _pnr_forms("19", "701063", "238") + _pnr_forms("20", "010291", "457")
PLATES = [
    "ABC 123", "ABC123", "ABC-123", "MLB 25D", "MLB25D", "MLB-25D", "abc 123", "xyz 98k",
    "KFG 730", "GUB 03E", "Rst 456", "NPW 11A", "yhz-552", "DLK 99X",
]
PHONES = [
    "070-123 45 67", "0701234567", "070 123 45 67", "070-1234567", "070 1234567",
    "073-987 65 43", "076-555 12 34", "+46 70 123 45 67", "+46701234567", "+46 70-123 45 67",
    "0046 70 123 45 67", "0046701234567", "+46 (0)70 123 45 67", "+46(0)701234567",
    "08-123 456 78", "08-12345678", "08 123 456 78", "+46 8 123 456 78", "08-12 34 56",
    "0221-123 45", "0221-12345", "0221 123 45", "021-12 34 56", "021-123456",
    "+46 221 123 45", "0046 21 12 34 56", "031-711 22 33", "040-10 20 30",
    "070 - 123 45 67", "0708-12 34 56", "+4670-1234567", "+46-70-123 45 67",
    "(070) 123 45 67", "(08) 123 456 78", "(0221) 123 45", "070/123 45 67", "08/123 456 78",
    "tel:0701234567",
]
EMAILS = [
    "anna.svensson@example.se", "kalle+trafik@example.com", "olle_p@koping.se",
    "lisa-marie.ek@mail.example.org", "JOHAN.B@EXEMPEL.SE", "x9@a-b.nu",
]
CORPUS: dict[str, list[str]] = {
    "personnummer": PERSONNUMMER,
    "samordningsnummer": SAMORDNINGSNUMMER,
    "plate": PLATES,
    "phone": PHONES,
    "email": EMAILS,
}
TEMPLATES = [
    "{x} körde alldeles för fort förbi skolan",
    "Ring mig på {x} om ni vill veta mer",
    "Föraren (uppgav {x}) gasade på Ringvägen, kontakta mig: {x}.",
    "Samma bil igen, se {x}",
]

NOT_PERSONAL = [
    "kl 22:40", "kl. 22.40", "kl 22", "kl 0800-1000", "07.30-08.15", "2024-04-19",
    "2024-04-19 22:40", "19/4", "19 april", "05-04-2024", "2024-04-19T22:40:00+02:00",
    "Ringvägen", "Östanåsgatan", "Glasgatan", "Stora Gatan", "80 km/h",
    "110 km/h", "50-väg", "över 100 km/h", "30 km/h-skylt", "2024", "20 gånger",
    "EMB-2024-00012", "3 bilar", "vecka 16", "1 500 fordon", "väg 250", "E18",
    "och 120", "Mot 110", "typ 100", "maj 2024", "kl 23.15-01.00", "nr 1234",
    "05/04/2024", "2024/05/04", "kl 0800/1000", "(2024)", "12:05", "22:40:15",
    "Hagavägen", "K03", "59,5121", "15.9803",
]


def _corpus() -> list[tuple[str, str]]:
    return [(kind, item) for kind, items in CORPUS.items() for item in items]


def _compact(item: str) -> str:
    return re.sub(r"[\s()+\-]", "", item)


def _patterns() -> list[tuple[str, re.Pattern[str], str, str | None]]:
    """Per corpus item: the item as written (any case), or its bare digits.

    With what a match needs in the text: the item folded (:func:`fold`), and
    its bare digits (``None`` if not a number).
    """
    out = []
    for _kind, item in _corpus():
        alternatives = [rf"(?<!\w){re.escape(item)}(?!\w)"]
        compact = _compact(item)
        digits = compact if compact.isdigit() and len(compact) >= 9 else None
        if digits:
            alternatives.append(rf"(?<![\d.,]){compact}(?![\d])")
        out.append((item, re.compile("|".join(alternatives), re.IGNORECASE), fold(item), digits))
    return out


_PATTERNS = _patterns()
SECRETS = [secret for _kind, _form, secrets in FORMS for secret in secrets]
"""Every personal detail of the forms, in order."""


def _survivors(text: str) -> list[str]:
    """Corpus items (as written, or as bare digits) that occur in ``text``.

    A substring test first, the pattern only where it passes (the same answer).
    """
    folded = fold(text)
    return [item for item, pattern, written, digits in _PATTERNS
            if (written in folded or (digits is not None and digits in text))
            and pattern.search(text)]


def test_redact_removes_every_corpus_item_in_every_position() -> None:
    cases = 0
    misses = []
    for kind, item in _corpus():
        for template in TEMPLATES:
            cases += 1
            out = redact(template.format(x=item))
            if _survivors(out) or "[" not in out:
                misses.append((kind, item, out))
    print(f"\nredaction corpus: {len(_corpus())} items in {cases} sentences; misses {len(misses)}")
    assert not misses, misses


@pytest.mark.parametrize("text", NOT_PERSONAL)
def test_redact_leaves_times_dates_street_numbers_and_speeds(text: str) -> None:
    sentence = f"Fortkörning {text}, Ringvägen"
    assert redact(sentence) == sentence
    assert redact(text) == text


def test_not_personal_corpus_survives_as_written_in_one_text() -> None:
    text = "; ".join(NOT_PERSONAL)
    assert redact(text) == text
    print(f"\nno-redaction corpus: {len(NOT_PERSONAL)} items, false redactions 0")


# -- end to end: store, out/, exports ---------------------------------------------
def _reports_csv(path: Path) -> int:
    """An Embrace export (generic report CSV) with both corpora in its texts and streets."""
    lines = ["report_id,time,category,street,lat,lon,text"]
    streets = ["Ringvägen", "Skogsleden", "Östanåsgatan"]
    n = 0
    for i, (_kind, form, _secrets) in enumerate(FORMS):
        text = form.replace('"', '""') + " KONTROLLORD"
        street = form.replace('"', '""') if i % 5 == 0 else streets[i % 3]  # typed in street
        lines.append(f'F-{i:04d},2024-10-{28 + i % 4}T1{i % 10}:{i % 60:02d}:00+01:00,'
                     f'Fortkörning,"{street}",,,"{text}"')
        n += 1
    for i, (_kind, item) in enumerate(_corpus()):
        template = TEMPLATES[i % len(TEMPLATES)]
        text = template.format(x=item).replace('"', '""') + " KONTROLLORD"
        day = 28 + i % 4
        lines.append(
            f'P-{i:04d},2024-10-{day}T2{i % 4}:{i % 60:02d}:00+01:00,Fortkörning,'
            f'{streets[i % 3]},,,"{text}"'
        )
        n += 1
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return n


def _text_of(path: Path) -> str:
    """Everything a person or a program can read in ``path``, decoded."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        table = pq.read_table(path)
        texts: list[str] = []
        for name in table.column_names:
            col = table[name].combine_chunks()
            if pa.types.is_dictionary(col.type):  # categorical: its distinct values suffice
                col = pc.unique(col.dictionary_decode())
            if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
                texts.extend(v for v in col.to_pylist() if v is not None)
        return "\n".join(texts)
    if suffix == ".xlsx":
        with zipfile.ZipFile(path) as z:
            xml = "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist()
                            if n.endswith(".xml"))
        return html.unescape(re.sub(r"<[^>]+>", " ", xml))
    if suffix == ".pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b" or b"\x00" in raw[:1000]:
        return ""
    text = raw.decode("utf-8", "replace")
    if suffix == ".ics":
        text = text.replace("\r\n ", "").replace("\\,", ",").replace("\\;", ";")
        text = text.replace("\\n", "\n").replace("\\N", "\n").replace("\\\\", "\\")
    if suffix in (".html", ".htm", ".svg", ".xml"):
        text = html.unescape(text)
    return text


@pytest.mark.slow
def test_no_personal_data_in_store_out_or_exports(tmp_path: Path) -> None:
    data = copy_lean_sample(tmp_path / "measurements")  # the text matters, not the volume
    toml = data / "trafikplan.toml"
    toml.write_text(  # short solves and bootstrap: this test is about text, not plans
        toml.read_text(encoding="utf-8").replace(
            "[measurements]", "[measurements]\ntime_limit_s = 1\nbootstrap_reps = 200", 1
        ),
        encoding="utf-8",
    )
    toml.write_text(toml.read_text(encoding="utf-8") + "\n[reports]\nkeep_text = true\n",
                    encoding="utf-8")
    n_reports = _reports_csv(data / "embrace" / "tips_med_personuppgifter.csv")
    notes = ["team,start,end,site_id,vehicles_checked,violations,notes"]
    for i, (_kind, form, _secrets) in enumerate(FORMS):
        day = 1 + i % 28
        notes.append(f'Trafikgruppen,2024-09-{day:02d}T1{i % 8}:00:00+02:00,'
                     f'2024-09-{day:02d}T1{i % 8}:45:00+02:00,K0{1 + i % 9},100,3,'
                     f'"{form.replace(chr(34), chr(34) * 2)}"')
    (data / "checks_done" / "anteckningar.csv").write_text("\n".join(notes) + "\n",
                                                           encoding="utf-8")
    out = tmp_path / "out"
    run = subprocess.run(
        [*CLI, "run", str(data), "-o", str(out), "--week", "2024-W45", "--weeks", "2",
         "--time-limit", "1"],
        capture_output=True, text=True, timeout=900,
    )
    assert run.returncode == 0, run.stderr
    exports = tmp_path / "exports"
    exports.mkdir()
    # `run` already wrote stats, flags and evaluation as CSV and XLSX into out/;
    # one export through its own command as well
    result = subprocess.run([*CLI, "flags", str(data), "-o", str(exports / "flags.xlsx")],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr

    # the texts did reach the store, so the search below can find a leak
    store_files = [p for p in (data / ".trafikplan").rglob("*") if p.is_file()]
    store_text = "\n".join(_text_of(p) for p in store_files)
    assert store_text.count("KONTROLLORD") >= n_reports
    assert "[personnummer]" in store_text and "[regnr]" in store_text
    assert "[telefon]" in store_text and "[e-post]" in store_text

    assert "KONTROLLORD" in _text_of(out / "report.html")  # out/ shows the report texts
    # the plans among the outputs are private (0600 files in 0700 folders)
    for plan_dir in (out / "checks", out / "measurements"):
        assert stat.S_IMODE(plan_dir.stat().st_mode) == 0o700, plan_dir
        for path in plan_dir.iterdir():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path

    leaks: dict[str, list[str]] = {}
    console = run.stdout + run.stderr + result.stdout + result.stderr
    found = survivors(console, SECRETS)
    if found:
        leaks["console"] = found
    searched = 0
    for folder in (data / ".trafikplan", out, exports):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            searched += 1
            text = _text_of(path)
            found = _survivors(text) + survivors(text, SECRETS, digits=False)
            if found:
                leaks[str(path)] = found
    print(f"\nredaction end to end: {len(_corpus())} corpus items and {len(FORMS)} forms in "
          f"{n_reports} reports and {len(FORMS)} check notes, "
          f"{searched} files searched (store, out/, exports); misses {len(leaks)}")
    assert not leaks, leaks
