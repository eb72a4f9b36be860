"""Rows set aside from a file people typed into, their values redacted before storage.

An Embrace export and a file of completed checks hold free text; a row set aside
keeps the offending value so that the user can find and mend it, so the value
passes :func:`~trafikplan.io.redact.text.redact` first (the rejects table is
stored).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from trafikplan.columns import empty
from trafikplan.io.redact.text import redact

__all__ = ["redacted_rejects", "stack_rejects"]


def redacted_rejects(source: str, lines: np.ndarray, column: Sequence[Any], reason: str,
                     values: Sequence[Any]) -> pd.DataFrame:
    """Return rejects rows (``columns.REJECTS``) with their values redacted.

    Parameters
    ----------
    source : str
        The file relative to the data folder.
    lines : ndarray of int
        The rows' line numbers in the file (1-based).
    column : sequence
        The raw column name of each row's problem (NA: the whole row).
    reason : str
        A key of ``columns.REJECT_REASONS``.
    values : sequence
        The offending value of each row, as read.
    """
    return pd.DataFrame({
        "source": pd.array([source] * len(lines), dtype="string"),
        "line": np.asarray(lines, dtype=np.int64),
        "column": pd.array(list(column), dtype="string"),
        "reason": pd.array([reason] * len(lines), dtype="string"),
        "value": redact(pd.Series(list(values), dtype="string")).array,
    })


def stack_rejects(parts: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Return the non-empty ``parts`` as one rejects table sorted by line (stable)."""
    rej = pd.concat([r for r in parts if len(r)] or [empty("rejects")], ignore_index=True)
    return rej.sort_values("line", kind="stable").reset_index(drop=True)
