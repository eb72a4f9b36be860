"""The exceptions a user of trafikplan catches.

:class:`InputError` (a file, setting or argument that cannot be used) and
:class:`InfeasiblePlanError` (a plan that cannot be made) are what the command line
turns into exit code 2 with one line on stderr; :class:`LockTimeoutError` means another
trafikplan process held the data folder too long; :class:`DiskFullError` that the
disk filled up while writing (what was being replaced is unchanged);
:class:`ReadOnlyStoreError` that new raw files could not be imported into a
read-only data folder; :class:`OutputError` that an output (a PDF Chromium
failed on) could not be made while the others were written. The first two are
:class:`WordedError`: ``err.one_line("sv")`` words the message in Swedish. All
derive from :class:`TrafikplanError`::

    from trafikplan.errors import InputError
    try:
        tables = trafikplan.load("data/measurements")
    except InputError as err:
        print(err.path, err.line, err.column, err.message)
"""

from __future__ import annotations

from trafikplan._errors import (
    DiskFullError,
    InfeasiblePlanError,
    InputError,
    LockTimeoutError,
    OutputError,
    ReadOnlyStoreError,
    TrafikplanError,
    WordedError,
)

__all__ = ["DiskFullError", "InfeasiblePlanError", "InputError", "LockTimeoutError",
           "OutputError", "ReadOnlyStoreError", "TrafikplanError", "WordedError"]
