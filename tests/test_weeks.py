"""One ISO-week parser for every command: spellings agree, bad weeks are refused."""

import pytest

from trafikplan.errors import InputError
from trafikplan.weeks import iso_week, week_bounds


@pytest.mark.parametrize("typed", ["2024-W45", "2024W45", "2024-w45", " 2024w45 "])
def test_spellings_name_the_same_week(typed):
    assert iso_week(typed) == "2024-W45"


def test_one_digit_week_is_padded():
    assert iso_week("2024W5") == "2024-W05"


@pytest.mark.parametrize("typed", ["2024-45", "W45", "2023-W53", "2024-W00", "24-W45"])
def test_bad_weeks_are_refused(typed):
    with pytest.raises(InputError):
        iso_week(typed)


def test_dst_week_lasts_169_hours():
    start, end = week_bounds("2024-W43", "Europe/Stockholm")
    assert start.isoformat() == "2024-10-21T00:00:00+02:00"
    assert (end - start).total_seconds() / 3600 == 169
