"""The progress callback every long pipeline step accepts."""

from __future__ import annotations

from typing import Protocol

__all__ = ["Progress", "report_progress"]


class Progress(Protocol):
    """``progress(step, done, total)``: a step started or advanced.

    ``step`` is a stable key (``load``, ``flags``, ``checks``, ``import``,
    ``stats`` ...) or, while importing, the name of the file being read;
    ``done`` and ``total`` count work units (bytes while importing, stages in
    a run) and are None when unknown.
    """

    def __call__(self, step: str, done: int | None = None,
                 total: int | None = None) -> None:
        """Tell that ``step`` started or advanced to ``done`` of ``total``."""


def report_progress(progress: Progress | None, step: str, done: int | None = None,
                    total: int | None = None) -> None:
    """Call ``progress`` when there is one."""
    if progress is not None:
        progress(step, done, total)
