"""Figures to inline SVG: matplotlib (Agg) drawn to byte-stable SVG text.

:func:`to_svg` makes the SVG byte-stable: a fixed ``svg.hashsalt`` per
figure (so ids do not collide between the figures of one page), no date
metadata, text kept as text (``svg.fonttype = "none"``: no embedded glyphs,
the browser's own sans-serif font, nothing fetched from the internet).
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

import matplotlib

__all__ = ["new_figure", "to_svg"]

matplotlib.use("Agg")

import matplotlib.pyplot as plt

from trafikplan.report.number_axes import localize_axes

matplotlib.rcParams["text.parse_math"] = False  # a "$" in a street name is text, not TeX

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

_SIZE = re.compile(r'<svg([^>]*?) width="[^"]*" height="[^"]*"')


def to_svg(fig: Figure, salt: str, label: str = "", *, tight: bool = True,
           language: str = "en") -> str:
    """Return ``fig`` as inline SVG markup and close it.

    Parameters
    ----------
    fig : Figure
        A matplotlib figure.
    salt : str
        ``svg.hashsalt`` for this figure: the same figure gives the same bytes,
        and two figures with different salts never share an element id.
    label : str
        ``aria-label`` of the figure (what it shows, for screen readers).
    tight : bool
        Crop to the drawn content (an extra layout pass; figures with many
        labels set their margins themselves instead).
    language : str
        Numbers on the axes in this language's format (:func:`localize_axes`).

    Returns
    -------
    str
        ``<svg ...>...</svg>`` without XML declaration or DOCTYPE; the fixed
        width and height are replaced by ``width="100%"`` so it scales with
        the page (the ``viewBox`` keeps the proportions); every element id
        (and every reference to one) is prefixed with ``salt``, so the
        figures of one page never share an id.
    """
    localize_axes(fig, language)
    buf = io.StringIO()
    with plt.rc_context({"svg.hashsalt": f"trafikplan-{salt}", "svg.fonttype": "none"}):
        fig.savefig(buf, format="svg", metadata={"Date": None},
                    bbox_inches="tight" if tight else None)
    plt.close(fig)
    text = buf.getvalue()
    text = text[text.index("<svg"):]
    text = _SIZE.sub(r'<svg\1 width="100%"', text, count=1)
    prefix = re.sub(r"[^A-Za-z0-9_-]", "_", salt)
    text = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', text)
    text = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", text)
    text = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}-\1"', text)
    if label:
        from markupsafe import escape

        text = text.replace("<svg", f'<svg role="img" aria-label="{escape(label)}"', 1)
    return text


def new_figure(width: float, height: float) -> tuple[Figure, Axes]:
    """Return a new figure of ``width`` x ``height`` inches (96 dpi) with one axes."""
    fig, ax = plt.subplots(figsize=(width, height), dpi=96)
    return fig, ax
