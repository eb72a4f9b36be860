"""Reading the store's Parquet parts: which parts a query needs, reading them into tables.

Part of the store of :mod:`trafikplan.io.store.store` (its docstring has the layout);
only parts the manifest names are read.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from trafikplan import columns

if TYPE_CHECKING:
    import pyarrow as pa

from trafikplan.io.store.store import CATEGORICAL, Store
from trafikplan.io.store.tables import DIRECTION_LABELS

__all__ = ["between_times", "direction_labels_table", "imports_table", "months_between",
           "part_paths", "read_parts", "read_paths"]


def months_between(start: pd.Timestamp | None, end: pd.Timestamp | None) -> set[str] | None:
    """Return the UTC months (``YYYY-MM``) from ``start`` to ``end``; None for all."""
    if start is None and end is None:
        return None
    lo = (start or pd.Timestamp("1970-01-01", tz="UTC")).tz_convert("UTC")
    hi = (end or pd.Timestamp("2100-01-01", tz="UTC")).tz_convert("UTC")
    return {
        p.strftime("%Y-%m")
        for p in pd.period_range(lo.tz_localize(None), hi.tz_localize(None), freq="M")
    }


def part_paths(
    store: Store,
    manifest: dict[str, Any],
    table: str,
    *,
    sites: set[str] | None,
    months: set[str] | None,
) -> list[tuple[str | None, Path, int]]:
    """``(site_id, path, rows)`` of the committed parts of ``table`` that may hold rows wanted."""
    return [
        (part.get("site_id"), store.root / part["path"], int(part.get("rows", 0)))
        for name in sorted(manifest["files"])
        for part in manifest["files"][name].get("parts", [])
        if part["table"] == table
        and (sites is None or part.get("site_id") is None or part["site_id"] in sites)
        and (months is None or part.get("month") is None or part["month"] in months)
    ]


def read_paths(paths: Sequence[Path | str], table: str,
               only: Sequence[str] | None = None) -> pd.DataFrame:
    """Read Parquet parts of ``table`` into one DataFrame (text columns as categoricals).

    Parameters
    ----------
    paths : sequence of Path or str
        Part files (as :func:`scan` lists them).
    table : str
        ``"vehicles"``, ``"bins"``, ``"reports"`` or ``"rejects"``.
    only : sequence of str, optional
        Only these columns (those a part has); default all. Columns never
        read cost neither decoding nor memory.

    Returns
    -------
    DataFrame
        The columns of :mod:`trafikplan.columns` for ``table``; the low-cardinality
        text columns of :data:`CATEGORICAL` as pandas categoricals.
    """
    import pyarrow as pa

    wanted = None if only is None else list(only)
    if not paths:
        empty = columns.empty(table)
        return empty if wanted is None else empty[[c for c in wanted if c in empty.columns]]
    arrow = pa.concat_tables(_same_codes([_read_part(p, wanted) for p in paths]),
                             promote_options="default")
    # Dictionary columns become categoricals directly (no 10^7 Python strings);
    # split blocks: no copy into one 2-D block per dtype.
    df = arrow.to_pandas(strings_to_categorical=False, split_blocks=True)
    for col in CATEGORICAL.get(table, ()):
        if col in df.columns and not isinstance(df[col].dtype, pd.CategoricalDtype):
            df[col] = df[col].astype("category")
    return df


def _read_part(path: Path | str, wanted: list[str] | None) -> pa.Table:
    """One part as an Arrow table: all its columns, or those of ``wanted`` it has."""
    import pyarrow.parquet as pq

    if wanted is None:
        return pq.read_table(path)
    part = pq.ParquetFile(path)
    names = set(part.schema_arrow.names)
    return part.read(columns=[c for c in wanted if c in names])


def _same_codes(tables: list[pa.Table]) -> list[pa.Table]:
    """Give each dictionary column the narrowest code type that fits it in every table.

    Parts written by different versions (8-bit codes from pandas, 32-bit from
    Arrow) then concatenate, and hold no wider codes than needed.
    """
    import pyarrow as pa

    sizes: dict[str, int] = {}
    for table in tables:
        for i, f in enumerate(table.schema):
            if pa.types.is_dictionary(f.type):
                longest = max((len(c.dictionary) for c in table.column(i).chunks), default=0)
                sizes[f.name] = max(sizes.get(f.name, 0), longest)
    out = []
    for table in tables:
        for name, size in sizes.items():
            i = table.schema.get_field_index(name)
            if i < 0:
                continue
            f = table.schema.field(i)
            codes = pa.int8() if size < 2**7 else pa.int16() if size < 2**15 else pa.int32()
            if pa.types.is_dictionary(f.type) and f.type.index_type != codes:
                table = table.set_column(i, name, table.column(i).cast(
                    pa.dictionary(codes, f.type.value_type)))
        out.append(table)
    return out


def read_parts(
    store: Store,
    manifest: dict[str, Any],
    table: str,
    *,
    sites: set[str] | None,
    months: set[str] | None,
    only: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Read the parts of ``table`` the manifest names (of ``sites`` and ``months``).

    Only the columns ``only`` when given (see :func:`read_paths`).
    """
    paths = [p for _, p, _ in part_paths(store, manifest, table, sites=sites, months=months)]
    return read_paths(paths, table, only)


def between_times(
    df: pd.DataFrame, col: str, lo: pd.Timestamp | None, hi: pd.Timestamp | None
) -> pd.DataFrame:
    """Keep the rows whose ``col`` lies in ``[lo, hi)`` (no bound when None)."""
    if (lo is None and hi is None) or df.empty:
        return df
    mask = pd.Series(True, index=df.index)
    if lo is not None:
        mask &= df[col] >= lo
    if hi is not None:
        mask &= df[col] < hi
    return df[mask]


def imports_table(manifest: dict[str, Any]) -> pd.DataFrame:
    """One row per imported raw file, from a manifest."""
    rows = [
        {
            "file": name,
            "sha256": entry["sha256"],
            "profile": entry.get("profile"),
            "kind": entry.get("kind"),
            "rows": entry.get("rows", 0),
            "rejected": entry.get("rejected", 0),
            "first": entry.get("first"),
            "last": entry.get("last"),
            "imported_at": entry.get("imported_at"),
            "duplicate_of": entry.get("duplicate_of"),
        }
        for name, entry in sorted(manifest["files"].items())
    ]
    cols = [
        "file",
        "sha256",
        "profile",
        "kind",
        "rows",
        "rejected",
        "first",
        "last",
        "imported_at",
        "duplicate_of",
    ]
    return pd.DataFrame(rows, columns=cols)


def direction_labels_table(manifest: dict[str, Any]) -> pd.DataFrame:
    """Return what each imported counter file calls its directions, per site.

    Returns
    -------
    DataFrame
        ``site_id, direction, label, first, last, file``: one row per site and
        direction of a file whose profile reads direction labels
        (``[direction_labels]``); ``first``/``last`` are the times the file covers
        for that site and direction (UTC), so a report can take the labels of the
        deployment it shows.
    """
    rows = [
        {"site_id": site, "direction": direction, "label": entry["direction_labels"][direction],
         "first": pd.Timestamp(first), "last": pd.Timestamp(last), "file": name}
        for name, entry in sorted(manifest["files"].items())
        if entry.get("direction_labels") and not entry.get("duplicate_of")
        for site, direction, first, last in entry.get("coverage", ())
        if direction in entry["direction_labels"]
    ]
    table = pd.DataFrame(rows, columns=DIRECTION_LABELS)
    for col in ("first", "last"):
        table[col] = pd.to_datetime(table[col], utc=True)
    return table
