"""Texts of the report's table cells: integers and local dates."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

__all__ = ["integer_text", "local_date_text"]


def integer_text(value: int, lang: str) -> str:
    """Return an integer with thin-space thousands (Swedish) or commas (English)."""
    text = f"{int(value):,}"
    return text.replace(",", "\u202f" if lang == "sv" else ",")


def local_date_text(value: pd.Timestamp | dt.datetime | str | float | None, tz: str) -> str:
    """Return the local date (ISO) of an instant; empty for None or NaT."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    ts = pd.Timestamp(value)
    if ts is pd.NaT:
        return ""
    if ts.tzinfo is None:
        ts = ts.tz_localize("UTC")
    return ts.tz_convert(tz).date().isoformat()
