"""The column-wise CSV writer gives exactly pandas' text (``QUOTE_NONNUMERIC``, decimal point)."""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
import pytest

from trafikplan.report.csv_text import csv_text

TEXTS = ["a", 'b"c', "x,y", "line\nbreak", "", "'=1", "Ö ä", None, np.nan, pd.NA]


def _pandas(df: pd.DataFrame) -> str:
    out = io.StringIO()
    df.to_csv(out, index=False, quoting=csv.QUOTE_NONNUMERIC)
    return out.getvalue()


def _column(rng: np.random.Generator, kind: int, m: int) -> object:
    if kind == 0:  # floats over many magnitudes, NaN, inf, signed zero
        v = rng.normal(0, 1, m) * 10.0 ** rng.integers(-20, 20, m)
        v[rng.random(m) < 0.2] = np.nan
        v[rng.random(m) < 0.1] = -np.inf
        v[rng.random(m) < 0.1] = -0.0
        return v
    if kind == 1:
        return rng.integers(-(10**12), 10**12, m)
    if kind == 2:
        return np.array([TEXTS[i] for i in rng.integers(0, len(TEXTS), m)], dtype=object)
    if kind == 3:
        return pd.array([TEXTS[i] for i in rng.integers(0, 3, m)], dtype="str")
    return np.full(m, np.nan)


@pytest.mark.parametrize("seed", range(40))
def test_the_same_text_as_pandas(seed):
    rng = np.random.default_rng(seed)
    m = int(rng.integers(0, 8))
    df = pd.DataFrame({f'c"{j}' if j == 2 else f"c{j}": _column(rng, int(rng.integers(0, 5)), m)
                       for j in range(int(rng.integers(1, 6)))})
    assert csv_text(df) == _pandas(df)


@pytest.mark.parametrize("column", [
    np.array([True, False]),
    np.array([1, "x"], dtype=object),
    pd.to_datetime(["2024-01-01", "2024-01-02"]),
    pd.array([1, None], dtype="Int64"),
    np.array([0.5, 1.5], dtype=np.float32),
])
def test_other_columns_are_left_to_pandas(column):
    assert csv_text(pd.DataFrame({"a": [0.1, 0.2], "b": column})) is None
