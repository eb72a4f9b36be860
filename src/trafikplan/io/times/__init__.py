"""Times of counter files: parsing, wall clock to UTC, time bases, the device clock.

Parsing time strings (:mod:`.timeparse`), local wall-clock times to UTC across
daylight-saving changes (:mod:`.localize`), the four time bases of a profile
(:mod:`.timebase`), whether a counter's clock keeps daylight saving time
(:mod:`.clockcheck`). Named ``times`` so that it never shadows the standard
library's ``time``. The package exports nothing itself.
"""

from __future__ import annotations

__all__: list[str] = []
