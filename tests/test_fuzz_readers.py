"""Property-based fuzzing of every reader and of the import (hypothesis).

Inputs are random bytes and random mutations of valid sample files: cut at a
random byte, duplicated / dropped / swapped lines, swapped columns, a wrong
delimiter, lines re-encoded in another encoding (mixed encodings), huge and
special numbers, empty fields, inserted garbage bytes. Each reader must either
succeed (bad rows set aside and counted, the table valid against its column
contract) or raise :class:`~trafikplan._errors.TrafikplanError` with one line
naming the file. Any other exception is a bug.

The import-level property runs ``trafikplan import`` (the CLI's ``main``, in
process) on a data folder with a mutated raw file: exit 0 with a consistent
store (rows and rejects as counted, a second import adds nothing) or exit 2
with one line naming the file and the store byte-for-byte unchanged; never
exit 1, never a traceback.

The default suite runs a short, derandomised sample. ``make fuzz`` sets
``TRAFIKPLAN_FUZZ=N`` and runs about N cases in all (N >= 10,000), random
each run; the number of cases run is printed at the end.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import os
import re
import shutil
import tempfile
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SAMPLE, TEST_DATA
from trafikplan import columns
from trafikplan._errors import TrafikplanError
from trafikplan.io.profiles.detect import detect_profile
from trafikplan.io.profiles.profile import load_profiles
from trafikplan.settings import load_settings

pytestmark = pytest.mark.filterwarnings(
    "ignore:Generating overly large repr:hypothesis.errors.HypothesisWarning"
)

FUZZ_TOTAL = int(os.environ.get("TRAFIKPLAN_FUZZ", "0"))
"""Total cases of the long run (0: the short default run)."""

# Share of the long run per property (readers are fast, an import is slower).
_WEIGHT = {"reader": 0.06, "random_bytes": 0.08, "settings": 0.04, "import": 0.015}
_SHORT = {"reader": 12, "random_bytes": 15, "settings": 15, "import": 6}

CASES: Counter[str] = Counter()
"""Cases run per property (printed at the end of the module)."""

_PROFILES = load_profiles(None)
_SETTINGS = load_settings(SAMPLE)


def _examples(prop: str) -> int:
    if FUZZ_TOTAL:
        return max(_SHORT[prop], int(FUZZ_TOTAL * _WEIGHT[prop]) + 1)
    return _SHORT[prop]


def _fuzz_settings(prop: str) -> settings:
    return settings(
        max_examples=_examples(prop),
        deadline=None,
        database=None,
        derandomize=not FUZZ_TOTAL,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@pytest.fixture(scope="module", autouse=True)
def _print_case_count() -> Iterator[None]:
    yield
    total = sum(v for k, v in CASES.items() if not k.startswith("known"))
    detail = ", ".join(f"{k} {v}" for k, v in sorted(CASES.items()))
    print(f"\nfuzz cases run: {total} ({detail})")
    ran_all = sum(not k.startswith("known") for k in CASES) == _N_PROPS
    if FUZZ_TOTAL and ran_all and "PYTEST_XDIST_WORKER" not in os.environ:
        assert total >= FUZZ_TOTAL, f"only {total} of {FUZZ_TOTAL} fuzz cases ran"


# -- the readers ---------------------------------------------------------------
def _sites() -> pd.DataFrame:
    from trafikplan.io.user_tables.sites import read_sites

    return read_sites(SAMPLE / "sites.csv", _SETTINGS)


_SITE_TABLE = _sites()


def _read_counter(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    from trafikplan.io.counters import read_counter_file

    profile = detect_profile(path, _PROFILES, kinds=("vehicles", "bins"))
    res = read_counter_file(
        path, profile, settings=_SETTINGS, source=path.name,
        known_sites=set(_SITE_TABLE["site_id"]),
    )
    columns.validate(res.table, profile.kind)
    return res.table, res.rejects


def _read_reports(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    from trafikplan.io.embrace.reports import read_report_file

    profile = detect_profile(path, _PROFILES, kinds=("reports",))
    res = read_report_file(path, profile, settings=_SETTINGS, sites=_SITE_TABLE, source=path.name)
    columns.validate(res.table, "reports")
    return res.table, res.rejects


def _read_checks_done(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    from trafikplan.io.user_tables.checks_done import read_checks_done_file

    profile = detect_profile(path, _PROFILES, kinds=("checks_done",))
    res = read_checks_done_file(
        path, profile, settings=_SETTINGS, sites=_SITE_TABLE, source=path.name
    )
    return res.table, res.rejects


def _read_sites(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    from trafikplan.io.user_tables.sites import read_sites

    table = read_sites(path, _SETTINGS)
    columns.validate(table, "sites")
    return table, columns.empty("rejects")


def _read_roster(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    from trafikplan.io.user_tables.roster import read_roster

    return read_roster(path, tz=_SETTINGS.timezone), columns.empty("rejects")


def _read_measures(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    from trafikplan.io.user_tables.measures import read_measures

    return read_measures(path), columns.empty("rejects")


def _read_fleet(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    from trafikplan.io.user_tables.measures import read_counter_fleet

    return read_counter_fleet(path), columns.empty("rejects")


Reader = Callable[[Path], tuple[pd.DataFrame, pd.DataFrame]]

SEEDS: list[tuple[str, Path, Reader]] = [
    ("se_radar", TEST_DATA / "counters" / "se_radar_sample.csv", _read_counter),
    ("se_radar_bad_rows", TEST_DATA / "counters" / "se_radar_bad_rows.csv", _read_counter),
    ("generic_vehicles", TEST_DATA / "counters" / "generic_vehicles.csv", _read_counter),
    ("se_bins", TEST_DATA / "counters" / "se_bins_sample.csv", _read_counter),
    ("slang", SAMPLE / "counters" / "K07_Skogsleden_2024-03-04_slang.csv", _read_counter),
    ("embrace_csv", TEST_DATA / "reports" / "embrace_koping_2024.csv", _read_reports),
    ("generic_reports", TEST_DATA / "reports" / "generic_reports.csv", _read_reports),
    ("embrace_xlsx", TEST_DATA / "reports" / "embrace_ärenden_2024.xlsx", _read_reports),
    ("checks_done", TEST_DATA / "checks_done" / "checks_basic.csv", _read_checks_done),
    ("checks_done_xlsx", TEST_DATA / "checks_done" / "checks_done.xlsx", _read_checks_done),
    ("sites", SAMPLE / "sites.csv", _read_sites),
    ("sites_cp1252", TEST_DATA / "sites" / "sites_semicolon_cp1252.csv", _read_sites),
    ("roster", SAMPLE / "roster.csv", _read_roster),
    ("measures", SAMPLE / "measures.csv", _read_measures),
    ("counter_fleet", SAMPLE / "counter_fleet.csv", _read_fleet),
]
_SEED_BYTES = {name: path.read_bytes() for name, path, _ in SEEDS}
_READERS = {name: reader for name, _, reader in SEEDS}
_N_PROPS = len(_SEED_BYTES) + 3
_SUFFIX = {name: "".join(path.suffixes[-1:]) for name, path, _ in SEEDS}
# a gzip-compressed counter file: cuts and garbage hit the compressed stream
_SEED_BYTES["se_radar_gz"] = gzip.compress(_SEED_BYTES["se_radar"], mtime=0)
_READERS["se_radar_gz"] = _read_counter
_SUFFIX["se_radar_gz"] = ".csv.gz"


# -- mutations -----------------------------------------------------------------
_SPECIAL_NUMBERS = [
    "1e308", "-1e308", "99999999999999999999999999", "-0", "nan", "NaN", "inf", "-inf",
    "0x1F", "1,5,5", "١٢٣", "4.6.2", "", " ", "9" * 400, "1e-400", "+", "−50",
]
_DELIMITERS = [",", ";", "\t", "|", " "]
_ENCODINGS = ["utf-8", "cp1252", "latin-1", "utf-16", "utf-8-sig", "mac_roman"]


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True) or [b""]


def _guess_delimiter(data: bytes) -> bytes:
    head = data[:4000]
    return max((b";", b",", b"\t"), key=head.count)


@st.composite
def _mutation(draw: st.DrawFn, data: bytes) -> bytes:
    """One random mutation of ``data``."""
    kind = draw(
        st.sampled_from(
            [
                "cut", "dup_line", "drop_line", "swap_lines", "swap_columns", "delimiter",
                "reencode_line", "reencode_all", "number", "empty_field", "garbage",
                "line_endings", "quote", "repeat_block",
            ]
        )
    )
    lines = _lines(data)
    n = len(lines)
    i = draw(st.integers(0, n - 1))
    if kind == "cut":
        return data[: draw(st.integers(0, len(data)))]
    if kind == "dup_line":
        return b"".join(lines[: i + 1] + [lines[i]] * draw(st.integers(1, 3)) + lines[i + 1 :])
    if kind == "drop_line":
        return b"".join(lines[:i] + lines[i + 1 :])
    if kind == "swap_lines":
        j = draw(st.integers(0, n - 1))
        lines[i], lines[j] = lines[j], lines[i]
        return b"".join(lines)
    if kind == "repeat_block":
        j = draw(st.integers(i, n))
        return b"".join(lines[:j] + lines[i:j] + lines[j:])
    if kind == "line_endings":
        sep = draw(st.sampled_from([b"\r\n", b"\r", b"\n\n", b"\n"]))
        return sep.join(line.rstrip(b"\r\n") for line in lines)
    if kind == "garbage":
        pos = draw(st.integers(0, len(data)))
        junk = draw(st.binary(min_size=1, max_size=40))
        return data[:pos] + junk + data[pos:]
    if kind == "reencode_all":
        enc = draw(st.sampled_from(_ENCODINGS))
        text = data.decode("utf-8", errors="replace") if data[:2] != b"PK" else ""
        return text.encode(enc, errors="replace") if text else data[::-1]
    delim = _guess_delimiter(data)
    if kind == "delimiter":
        new = draw(st.sampled_from(_DELIMITERS)).encode()
        everywhere = draw(st.booleans())
        if everywhere:
            return data.replace(delim, new)
        lines[i] = lines[i].replace(delim, new)
        return b"".join(lines)
    if kind == "reencode_line":
        enc = draw(st.sampled_from(_ENCODINGS))
        for src in ("utf-8", "cp1252"):
            try:
                text = lines[i].decode(src)
                break
            except UnicodeDecodeError:
                continue
        else:
            return data
        lines[i] = text.encode(enc, errors="replace")
        return b"".join(lines)
    if kind == "quote":
        pos = draw(st.integers(0, len(data)))
        return data[:pos] + b'"' + data[pos:]
    # column-wise mutations of one or every line
    all_lines = draw(st.booleans())
    targets = range(n) if all_lines else [i]
    a = draw(st.integers(0, 12))
    b = draw(st.integers(0, 12))
    value = draw(st.sampled_from(_SPECIAL_NUMBERS)).encode()
    for k in targets:
        body = lines[k].rstrip(b"\r\n")
        end = lines[k][len(body) :]
        fields = body.split(delim)
        if kind == "swap_columns":
            if a < len(fields) and b < len(fields):
                fields[a], fields[b] = fields[b], fields[a]
        elif kind == "number":
            if a < len(fields):
                fields[a] = value
        elif a < len(fields):  # empty_field
            fields[a] = b""
        lines[k] = delim.join(fields) + end
    return b"".join(lines)


@st.composite
def _mutated(draw: st.DrawFn, seed: str) -> bytes:
    data = _SEED_BYTES[seed]
    for _ in range(draw(st.integers(1, 4))):
        data = draw(_mutation(data))
    return data


# -- the oracle ----------------------------------------------------------------
def _known_reasons() -> set[str]:
    from trafikplan.io.user_tables import checks_done

    return set(columns.REJECT_REASONS) | set(checks_done.REJECT_REASONS)


def _one_line_naming(exc: BaseException, name: str) -> None:
    message = str(exc)
    assert "\n" not in message, message
    assert name in message, f"error does not name the file {name!r}: {message}"


KNOWN_BUGS: dict[str, tuple[str, str]] = {
    # id: (regex of the module the exception comes from, regex of "Type: message")
}
"""Bugs the fuzzing found in modules this test may not change (the strict xfail tests
at the end reproduce each one). A case that hits one is counted in
``CASES["known_bug:ID"]``, not failed; remove the entry with its fix (its xfail test
then passes and, being strict, says so)."""


def _known_bug(exc: BaseException) -> str | None:
    """The id of the known bug ``exc`` is (raised from its module), or None."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "trafikplan" in f.filename]
    text = f"{type(exc).__name__}: {exc}"
    for bug, (module, pattern) in KNOWN_BUGS.items():
        if frames and re.search(module + "$", frames[-1].filename) and re.search(pattern, text):
            return bug
    return None


def _known_bug_in_cli_error(err: str) -> str | None:
    """The id of the known bug a CLI 'internal error' line names, or None."""
    for bug, (_module, pattern) in KNOWN_BUGS.items():
        if "internal error" in err and re.search(pattern, err):
            return bug
    return None


FAILURES = Path(tempfile.gettempdir()) / "trafikplan-fuzz-failures"
"""Where an input that breaks a reader is saved (to reproduce it outside hypothesis)."""


def _save_failure(seed: str, data: bytes) -> Path:
    FAILURES.mkdir(exist_ok=True)
    path = FAILURES / f"{seed}-{hashlib.sha256(data).hexdigest()[:12]}{_SUFFIX[seed]}"
    path.write_bytes(data)
    return path


def _check_reader(seed: str, data: bytes) -> None:
    """Run the seed's reader on ``data``: a valid result or a one-line TrafikplanError."""
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        path = Path(tmp) / f"fuzzed_{seed}{_SUFFIX[seed]}"
        path.write_bytes(data)
        try:
            table, rejects = _READERS[seed](path)
        except TrafikplanError as exc:
            _one_line_naming(exc, path.name)
            return
        except Exception as exc:
            bug = _known_bug(exc)
            if bug is None:
                saved = _save_failure(seed, data)
                raise AssertionError(
                    f"{seed}: {type(exc).__name__}: {exc} (input saved as {saved})"
                ) from exc
            CASES[f"known_bug:{bug}"] += 1
            return
        assert isinstance(table, pd.DataFrame)
        if len(rejects):
            assert set(rejects["reason"].astype(str)) <= _known_reasons(), rejects
            assert rejects["line"].notna().all()


@pytest.mark.parametrize("seed", list(_SEED_BYTES))
@pytest.mark.slow
def test_mutated_sample_files_read_or_stop_with_one_line(seed: str) -> None:
    @_fuzz_settings("reader")
    @given(data=_mutated(seed))
    def run(data: bytes) -> None:
        CASES[f"reader:{seed}"] += 1
        _check_reader(seed, data)

    run()


@_fuzz_settings("random_bytes")
@given(seed=st.sampled_from(list(_SEED_BYTES)), data=st.binary(max_size=3000))
def test_random_bytes_read_or_stop_with_one_line(seed: str, data: bytes) -> None:
    CASES["random_bytes"] += 1
    _check_reader(seed, data)


_TOML_SEED = (SAMPLE / "trafikplan.toml").read_bytes()


@_fuzz_settings("settings")
@given(data=_mutation(_TOML_SEED))
def test_mutated_settings_load_or_stop_with_one_line(data: bytes) -> None:
    CASES["settings"] += 1
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        (Path(tmp) / "trafikplan.toml").write_bytes(data)
        try:
            load_settings(Path(tmp))
        except TrafikplanError as exc:
            _one_line_naming(exc, "trafikplan.toml")


# -- the import ----------------------------------------------------------------
_IMPORT_SEEDS = [
    "se_radar", "se_radar_gz", "generic_vehicles", "se_bins", "slang", "embrace_csv",
    "generic_reports", "embrace_xlsx",
]


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _cli(*args: str) -> tuple[int, str]:
    from trafikplan.cli import main

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(list(args))
    return code, err.getvalue()


def _base_folder() -> Path:
    """An imported data folder with one counter file and one report file."""
    root = Path(tempfile.mkdtemp(prefix="fuzz-base-"))
    data = root / "data"
    (data / "counters").mkdir(parents=True)
    (data / "embrace").mkdir()
    for name in ("trafikplan.toml", "sites.csv"):
        shutil.copy(SAMPLE / name, data / name)
    shutil.copy(TEST_DATA / "counters" / "se_radar_sample.csv", data / "counters")
    shutil.copy(TEST_DATA / "reports" / "generic_reports.csv", data / "embrace")
    code, err = _cli("import", str(data))
    assert code == 0, err
    return data


@pytest.fixture(scope="module")
def base_folder() -> Iterator[Path]:
    data = _base_folder()
    yield data
    shutil.rmtree(data.parent, ignore_errors=True)


@pytest.mark.slow
def test_import_of_mutated_files_commits_fully_or_changes_nothing(base_folder: Path) -> None:
    import trafikplan

    @_fuzz_settings("import")
    @given(seed=st.sampled_from(_IMPORT_SEEDS), data=st.data())
    def run(seed: str, data: st.DataObject) -> None:
        CASES["import"] += 1
        content = data.draw(_mutated(seed))
        with tempfile.TemporaryDirectory(prefix="fuzz-imp-") as tmp:
            folder = Path(tmp) / "data"
            shutil.copytree(base_folder, folder)
            sub = "embrace" if seed.startswith(("embrace", "generic_rep")) else "counters"
            target = folder / sub / f"fuzzed_{seed}{_SUFFIX[seed]}"
            target.write_bytes(content)
            before = _snapshot(folder)
            code, err = _cli("import", str(folder))
            bug = _known_bug_in_cli_error(err) if code == 1 else None
            if bug is not None:
                CASES[f"known_bug:{bug}"] += 1
                return
            assert code in (0, 2), err
            assert "Traceback" not in err
            if code == 2:
                lines = err.strip().splitlines()
                assert len(lines) == 1, err
                assert re.search(re.escape(target.name), lines[0]) or "sites.csv" in lines[0], err
                assert _snapshot(folder) == before
                return
            tables = trafikplan.load(folder, import_new=False)
            manifest_rows = tables.imports.set_index("file")
            entry = manifest_rows.loc[f"{sub}/{target.name}"]
            n_kind = {
                "vehicles": len(tables.vehicles), "bins": len(tables.bins),
                "reports": len(tables.reports),
            }
            assert int(tables.imports["rejected"].sum()) == len(tables.rejects)
            assert int(tables.imports["rows"].sum()) >= sum(n_kind.values())
            if pd.notna(entry["kind"]):
                own = tables.rejects["source"].astype(str).str.startswith(f"{sub}/{target.name}")
                assert int(own.sum()) == int(entry["rejected"])
            after = _snapshot(folder)
            code2, err2 = _cli("import", str(folder))
            assert code2 == 0, err2
            assert _snapshot(folder) == after  # importing again adds nothing

    run()


# -- bugs the fuzzing found (in modules owned elsewhere) --------------------------
def test_counter_file_with_bare_cr_line_ends_stops_with_one_line(tmp_path: Path) -> None:
    data = (TEST_DATA / "counters" / "generic_vehicles.csv").read_bytes()
    path = tmp_path / "mac_line_ends.csv"
    path.write_bytes(data.replace(b"\r\n", b"\n").replace(b"\n", b"\r"))
    with pytest.raises(TrafikplanError, match=r"mac_line_ends\.csv"):
        _read_counter(path)


def test_roster_with_bare_cr_line_ends_reads_or_stops_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_bytes((SAMPLE / "roster.csv").read_bytes().replace(b"\n", b"\r"))
    try:
        table, _ = _read_roster(path)
    except TrafikplanError as exc:
        _one_line_naming(exc, "roster.csv")
    else:
        assert len(table) == len(_read_roster(SAMPLE / "roster.csv")[0])


def test_bin_count_beyond_int64_is_set_aside(tmp_path: Path) -> None:
    lines = (SAMPLE / "counters" / "K07_Skogsleden_2024-03-04_slang.csv").read_bytes()
    lines = lines.splitlines(keepends=True)
    fields = lines[5].split(b";")
    fields[3] = b"99999999999999999999999999"
    lines[5] = b";".join(fields)
    path = tmp_path / "huge_count.csv"
    path.write_bytes(b"".join(lines))
    _table, rejects = _read_counter(path)
    assert (rejects["line"] == 6).any()


def test_checks_done_count_beyond_int64_is_set_aside(tmp_path: Path) -> None:
    lines = (TEST_DATA / "checks_done" / "checks_basic.csv").read_text(encoding="utf-8")
    lines = lines.splitlines()
    fields = lines[1].split(",")
    fields[5] = "1e308"  # vehicles_checked
    lines[1] = ",".join(fields)
    path = tmp_path / "checks_huge.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _table, rejects = _read_checks_done(path)
    assert (rejects["line"] == 2).any()


def test_corrupt_gzip_counter_file_stops_with_one_line(tmp_path: Path) -> None:
    data = bytearray(_SEED_BYTES["se_radar_gz"])
    data[20:24] = b"\xff\xff\xff\xff"  # damage the deflate stream, keep the gzip header
    path = tmp_path / "damaged.csv.gz"
    path.write_bytes(bytes(data))
    with pytest.raises(TrafikplanError, match=r"damaged\.csv\.gz"):
        _read_counter(path)
