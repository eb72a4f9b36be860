"""Files in and out: raw bytes to text within the limits, and writing safely.

Opening raw files, gzip and hashing while read (:mod:`.textfile`), bytes to text
(:mod:`.decoding`), the ``[limits]`` in force (:mod:`.limits`), ``.xlsx`` workbooks
(:mod:`.xlsxfile`); text from files made safe: identifiers, file names and the
terminal (:mod:`.safe_text`), regular expressions from users compiled with RE2
(:mod:`.patterns`); atomic writes and temp-file sweeps (:mod:`.atomic`).
Import names from these modules; the package exports nothing itself.
"""

from __future__ import annotations

__all__: list[str] = []
