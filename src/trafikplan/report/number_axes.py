"""Numbers on figure axes in the report's language (Swedish decimal comma).

matplotlib writes tick labels with a decimal point; :func:`localize_axes`
gives every plain numeric axis a formatter that writes them with
:func:`trafikplan.i18n.number` instead (one number format for tables and
figures).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from matplotlib.ticker import ScalarFormatter

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["NumberFormatter", "localize_axes"]


class NumberFormatter(ScalarFormatter):
    """Tick labels in the one number format of :func:`trafikplan.i18n.number`.

    Ticks are chosen as matplotlib would (no offset, the same number of
    decimals as its own labels), then written in ``language``: in Swedish a
    decimal comma, a narrow no-break space between thousands and a real minus.
    """

    def __init__(self, language: str) -> None:
        super().__init__(useOffset=False)
        self.language = language

    def __call__(self, x: float, pos: int | None = None) -> str:
        """Return the label of tick value ``x``."""
        from trafikplan.i18n import number

        plain = super().__call__(x, pos).replace("\u2212", "-")
        try:
            float(plain)
        except ValueError:  # scientific or empty: matplotlib's own text
            return plain
        digits = len(plain.split(".")[1]) if "." in plain else 0
        return number(float(plain), digits, self.language)


def localize_axes(fig: Figure, language: str) -> None:
    """Give every plain numeric axis of ``fig`` the :class:`NumberFormatter` of ``language``.

    Axes with labels of their own (hours, weekdays, site names) keep them.
    """
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            if type(axis.get_major_formatter()) is ScalarFormatter:
                axis.set_major_formatter(NumberFormatter(language))
