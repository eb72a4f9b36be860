"""Huge and hostile inputs: each refused with one line and exit 2, fast, in bounded memory.

Every case is a small generated file (a bomb is small compressed) dropped into
a copy of a small data folder; ``trafikplan import`` runs in a subprocess that
reports its peak memory. Each must end with exit 2, exactly one line on
stderr naming the file, within 30 s, under 1 GB, the data folder unchanged.
"""

from __future__ import annotations

import gzip
import re
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import TEST_DATA, bare_data_dir, tree_hashes

_RUN = (
    "import resource, sys\n"
    "from trafikplan.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "try:  # this program's own peak (ru_maxrss starts at the forking parent's size)\n"
    "    with open('/proc/self/status') as fh:\n"
    "        peak = next(int(x.split()[1]) for x in fh if x.startswith('VmHWM:'))\n"
    "except OSError:\n"
    "    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "print(peak)\n"
    "sys.exit(code)\n"
)
LINE = b"K01,2024-04-15T07:00:03+02:00,1,43.2,4.6\n"
HEADER = b"site_id,time,direction,speed,length\n"


def _folder(root: Path) -> Path:
    data = bare_data_dir(root / "data", "counters", "embrace")
    shutil.copy(TEST_DATA / "counters" / "generic_vehicles.csv", data / "counters")
    return data


def _gzip_bomb(path: Path, body: bytes, repeat: int, header: bytes = HEADER) -> None:
    """``header`` then ``body`` ``repeat`` times, gzip-compressed.

    The body is compressed once and its gzip member written ``repeat`` times:
    members in a row are one stream to a gzip reader (RFC 1952), so the file
    inflates to ``header + body * repeat`` without compressing gigabytes here.
    """
    member = gzip.compress(body, 9, mtime=0)
    with open(path, "wb") as fh:
        fh.write(gzip.compress(header, 9, mtime=0))
        for _ in range(repeat):
            fh.write(member)


def gzip_counter_bomb(data: Path) -> Path:
    path = data / "counters" / "radar_export.csv.gz"
    _gzip_bomb(path, LINE * 50_000, 1_000)  # 2 GB of valid rows, a few MB compressed
    return path


def gzip_report_bomb(data: Path) -> Path:
    path = data / "embrace" / "arenden.csv.gz"
    lines = (TEST_DATA / "reports" / "embrace_koping_2024.csv").read_bytes().splitlines(True)
    _gzip_bomb(path, lines[1] * 20_000, 2_000, lines[0])
    return path


def gzip_zeros_bomb(data: Path) -> Path:
    path = data / "counters" / "zeros.csv.gz"
    _gzip_bomb(path, b"\0" * (1 << 20), 4_000, b"")  # 4 GB of NUL bytes
    return path


def huge_line(data: Path) -> Path:
    path = data / "counters" / "one_line.csv"
    path.write_bytes(HEADER + LINE * 10 + b"K01," + b"9" * (10 << 20) + b"\n" + LINE)
    return path


def many_columns(data: Path) -> Path:
    path = data / "counters" / "wide.csv"
    extra = ",".join(f"c{i}" for i in range(5_000)).encode()
    path.write_bytes(HEADER.rstrip(b"\n") + b"," + extra + b"\n"
                     + LINE.rstrip(b"\n") + b",0" * 5_000 + b"\n")
    return path


def millions_of_columns(data: Path) -> Path:
    path = data / "counters" / "wider.csv"
    path.write_bytes(HEADER.rstrip(b"\n") + b",x" * 5_000_000 + b"\n" + LINE)
    return path


def _xlsx_bytes(rows: list[list[object]]) -> bytes:
    from io import BytesIO

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xlsx_zip_bomb(data: Path) -> Path:
    path = data / "embrace" / "arenden.xlsx"
    good = _xlsx_bytes([["Ärendenummer", "Skapad"], ["E-1", "2024-04-19"]])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out, \
            zipfile.ZipFile(__import__("io").BytesIO(good)) as src:
        for info in src.infolist():
            if info.filename != "xl/sharedStrings.xml":
                out.writestr(info, src.read(info))
        with out.open("xl/sharedStrings.xml", "w", force_zip64=True) as fh:
            fh.write(b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/'
                     b'spreadsheetml/2006/main"><si><t>')
            block = b"A" * (1 << 20)
            for _ in range(300):  # 300 MB of one string
                fh.write(block)
            fh.write(b"</t></si></sst>")
    return path


def xlsx_million_rows(data: Path) -> Path:
    from openpyxl import load_workbook

    path = data / "embrace" / "arenden.xlsx"
    wb = load_workbook(TEST_DATA / "reports" / "embrace_ärenden_2024.xlsx")
    wb.active.cell(row=1_048_576, column=1, value="E-9")
    wb.save(path)
    return path


def deep_toml(data: Path) -> Path:
    path = data / "trafikplan.toml"
    path.write_text(path.read_text(encoding="utf-8") + "\n[import]\n", encoding="utf-8")
    text = path.read_text(encoding="utf-8").replace(
        "\n[import]\n", "\n[x_deep]\nv = " + "[" * 100_000 + "]" * 100_000 + "\n[import]\n")
    path.write_text(text, encoding="utf-8")
    return path


def deep_profile(data: Path) -> Path:
    (data / "formats").mkdir()
    path = data / "formats" / "vendor.toml"
    path.write_text('kind = "vehicles"\nheader_match = "^x"\nextra = ' + "{a = " * 50_000
                    + "1" + "}" * 50_000 + "\n", encoding="utf-8")
    return path


def catastrophic_regex(data: Path) -> Path:
    (data / "formats").mkdir()
    path = data / "formats" / "vendor.toml"
    path.write_text(
        'kind = "vehicles"\nheader_match = "^(a+)+$"\ntime_basis = "utc"\n'
        '[time]\ncolumns = "t"\n[site]\nvalue = "K01"\n[columns]\ndirection = "d"\n'
        'speed = "s"\n', encoding="utf-8")
    header = data / "counters" / "aaa.csv"
    header.write_bytes(b"a" * 60_000 + b"!\n1,2,3\n")  # (a+)+$ backtracks 2^60000 ways
    return header


CASES: dict[str, Callable[[Path], Path]] = {
    "gzip bomb, counter file": gzip_counter_bomb,
    "gzip bomb, Embrace file": gzip_report_bomb,
    "gzip bomb of NUL bytes": gzip_zeros_bomb,
    "one 10 MB line": huge_line,
    "5 000 columns": many_columns,
    "5 million columns": millions_of_columns,
    "xlsx zip bomb": xlsx_zip_bomb,
    "xlsx with a row 1 048 576": xlsx_million_rows,
    "TOML nested 100 000 deep": deep_toml,
    "format profile nested 50 000 deep": deep_profile,
    "catastrophic regular expression": catastrophic_regex,
}


@pytest.mark.slow
@pytest.mark.parametrize("case", list(CASES))
def test_hostile_input_is_refused_fast_in_one_line(tmp_path: Path, case: str) -> None:
    data = _folder(tmp_path)
    bad = CASES[case](data)
    before = tree_hashes(data)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _RUN, "import", str(data)],
                          capture_output=True, text=True, timeout=120)
    took = time.perf_counter() - started
    peak_mb = int(done.stdout.strip().splitlines()[-1]) / 1024
    err = done.stderr.strip().splitlines()
    print(f"{case}: exit {done.returncode}, {took:.1f} s, {peak_mb:.0f} MB: {err}")
    assert done.returncode == 2, done.stderr
    assert len(err) == 1 and bad.name in err[0], err
    assert took < 30
    assert peak_mb < 1024
    assert tree_hashes(data) == before


def test_a_workbook_declaring_a_huge_dimension_is_read_by_its_cells(tmp_path: Path) -> None:
    from trafikplan.io.files.xlsxfile import open_workbook, sheet_rows

    path = tmp_path / "declared.xlsx"
    path.write_bytes(_xlsx_bytes([["a", "b"], [1, 2]]))
    with zipfile.ZipFile(path) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"',
                          parts[sheet])
    assert b"XFD1048576" in parts[sheet]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in parts.items():
            zf.writestr(name, body)
    started = time.perf_counter()
    wb = open_workbook(path)
    rows = list(sheet_rows(wb.worksheets[0], path))
    wb.close()
    assert rows == [(1, ("a", "b")), (2, (1, 2))]
    assert time.perf_counter() - started < 5


def test_gzip_within_the_limits_reads_as_before(tmp_path: Path) -> None:
    from trafikplan.io.importing.importer import import_data

    data = _folder(tmp_path)
    raw = (TEST_DATA / "counters" / "generic_vehicles.csv").read_bytes()
    (data / "counters" / "generic_vehicles.csv").unlink()
    with gzip.open(data / "counters" / "generic_vehicles.csv.gz", "wb") as fh:
        fh.write(raw)
    summary = import_data(data)
    assert summary.totals["vehicles"] == 7


def test_the_limits_are_settings(tmp_path: Path) -> None:
    from trafikplan.cli import main

    data = _folder(tmp_path)
    many_columns(data)
    toml = data / "trafikplan.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n[limits]\nmax_columns = 6000\n",
                    encoding="utf-8")
    assert main(["import", str(data)]) == 0  # raised for a genuine wide file
