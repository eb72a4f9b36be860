"""Calendar files (``.ics``) for the police teams and the counter crew.

Built with the icalendar package: events carry zoneinfo-aware times in the
settings' time zone, stable UIDs (the caller derives them from what the event
is, so re-importing an updated plan updates the events instead of doubling
them), and a fixed DTSTAMP so the same plan gives byte-identical files.
Text is escaped by icalendar (commas, semicolons, backslashes, newlines);
control characters other than the line break are removed first.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd

from trafikplan.columns import table_rows
from trafikplan.io.files.atomic import write_bytes
from trafikplan.io.files.safe_text import strip_control

__all__ = ["EVENT_COLUMNS", "calendar_bytes", "write_calendar"]

EVENT_COLUMNS = ("uid", "start", "end", "summary", "description")
"""Required columns of the events table; ``location``, ``lat``, ``lon`` optional."""


def calendar_bytes(
    events: pd.DataFrame,
    *,
    name: str,
    tz: str,
    stamp: datetime,
    prodid: str = "-//trafikplan//trafikplan//SV",
    method: str = "PUBLISH",
) -> bytes:
    """Return an iCalendar document with one VEVENT per row of ``events``.

    Parameters
    ----------
    events : DataFrame
        ``uid`` (str, stable), ``start``/``end`` (tz-aware), ``summary``,
        ``description`` (str); optional ``location`` (str), ``lat``/``lon``
        [deg WGS 84], ``sequence`` (int: raised each time the event changes) and
        ``status`` (``CONFIRMED`` or ``CANCELLED``: a removed event is sent again
        cancelled, with a higher sequence, so Outlook and other clients drop it).
    name : str
        Calendar name (``X-WR-CALNAME``).
    tz : str
        IANA time zone the event times are shown in.
    stamp : datetime
        DTSTAMP of every event (fixed so files are reproducible).
    prodid : str
        PRODID of the calendar.
    method : str
        ``METHOD`` of the calendar: ``PUBLISH`` for a team's calendar,
        ``CANCEL`` for a file that only withdraws events.
    """
    from icalendar import Calendar, Event

    zone = ZoneInfo(tz)
    cal = Calendar()
    cal.add("prodid", prodid)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    cal.add("x-wr-calname", " ".join(strip_control(name).split()))
    cal.add("x-wr-timezone", tz)
    for row in table_rows(events.sort_values(["start", "uid"])):
        ev = Event()
        ev.add("uid", row.uid)
        ev.add("dtstamp", stamp)
        ev.add("dtstart", pd.Timestamp(row.start).tz_convert(zone).to_pydatetime())
        ev.add("dtend", pd.Timestamp(row.end).tz_convert(zone).to_pydatetime())
        ev.add("summary", strip_control(str(row.summary)))
        ev.add("description", strip_control(str(row.description)))
        seq = getattr(row, "sequence", None)
        if seq is not None and pd.notna(seq):
            ev.add("sequence", int(seq))
        status = getattr(row, "status", None)
        if isinstance(status, str) and status:
            ev.add("status", status)
        location = getattr(row, "location", None)
        if isinstance(location, str) and location:
            ev.add("location", strip_control(location))
        lat, lon = getattr(row, "lat", None), getattr(row, "lon", None)
        if lat is not None and lon is not None and pd.notna(lat) and pd.notna(lon):
            ev.add("geo", (float(lat), float(lon)))
        cal.add_component(ev)
    if hasattr(cal, "add_missing_timezones"):
        cal.add_missing_timezones()
    return cal.to_ical()


def write_calendar(
    events: pd.DataFrame,
    path: Path,
    *,
    name: str,
    tz: str,
    stamp: datetime,
    private: bool = True,
    method: str = "PUBLISH",
) -> Path:
    """Write :func:`calendar_bytes` to ``path`` (0600 by default: plans are sensitive)."""
    return write_bytes(
        Path(path), calendar_bytes(events, name=name, tz=tz, stamp=stamp, method=method),
        private=private)
