"""What a reject reason means, for a person (the reasons are in :mod:`trafikplan.columns`)."""

from __future__ import annotations

from trafikplan.i18n.codes import REJECT_REASONS_SV

__all__ = ["reject_meaning"]


def reject_meaning(reason: str, language: str) -> str:
    """Return what a reject reason means, in ``language`` (the reason itself if unknown)."""
    from trafikplan.columns import REJECT_REASONS  # pandas: only where rejects are shown

    table = REJECT_REASONS_SV if language == "sv" else REJECT_REASONS
    return table.get(reason, reason)
