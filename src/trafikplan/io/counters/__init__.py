"""Readers of traffic-counter files: per-vehicle records and binned counts.

One reader for every vendor: the layout is the file's format profile
(:mod:`trafikplan.io.profiles.profile`, :mod:`trafikplan.io.counters.layout`). The
body is parsed by :mod:`pyarrow.csv` in blocks of raw bytes
(:mod:`trafikplan.io.counters.blocks`): typed straight to numbers and times
where that cannot differ from reading text, else every column as text, then
converted vectorised (decimal comma, units, times per the profile's time
basis). Counter files hold one row per physical line (no line breaks inside
quoted fields), so the 1-based line of a row is known exactly.

Rows that cannot be used go to the rejects table (``source, line, column,
reason, value``; reasons of :data:`trafikplan.columns.REJECT_REASONS`), one
reject per row (its first problem), so counts are exact. A file that cannot be
read at all raises :class:`~trafikplan._errors.InputError` with file, line,
column and what was expected. Blank lines (every field empty) are skipped.
The readers never write anything.

Output columns (units as in :mod:`trafikplan.columns`):

vehicles
    ``site_id, time [UTC], direction, speed [km/h], length [m], headway [s],
    vehicle_class, source, line``. ``headway`` is the file's own value when
    the profile maps it, else the time since the previous vehicle of the same
    site and direction in this file (NaN for the first).
bins
    ``site_id, start [UTC], end [UTC], direction, speed_lo [km/h] (exclusive),
    speed_hi [km/h] (inclusive, inf = open), count, source, line``; one row
    per interval, direction and speed class, zero counts kept.
"""

from __future__ import annotations

from trafikplan.io.counters.layout import FOOT, MPH
from trafikplan.io.counters.read import counts_by_reason, iter_counter_file, read_counter_file

__all__ = ["FOOT", "MPH", "counts_by_reason", "iter_counter_file", "read_counter_file"]
