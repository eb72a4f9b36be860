"""Figure axes write numbers as the tables do: a decimal comma in Swedish, a point in English."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from trafikplan.i18n import texts
from trafikplan.report import figures
from trafikplan.report.number_axes import localize_axes

CLASSES = pd.DataFrame({"speed_lo": np.arange(20, 70, 2.0), "speed_hi": np.arange(22, 72, 2.0),
                        "count": (1000 * np.exp(-((np.arange(20, 70, 2) - 45) / 8) ** 2))
                        .astype(int)})


def tick_texts(svg: str) -> list[str]:
    """The numeric texts of an inline SVG (tick labels; text is kept as text)."""
    return [s for s in re.findall(r"<text[^>]*>([^<]*)</text>", svg)
            if re.fullmatch(r"[\d\s\u202f.,\u2212-]+", s)]


def test_swedish_axes_use_a_decimal_comma() -> None:
    ticks = tick_texts(figures.distribution_figure(CLASSES, 40.0, texts("sv"), "sv"))
    decimals = [s for s in ticks if re.search(r"\d[.,]\d", s)]
    assert decimals, ticks  # the share axis has decimals (0,01 ...)
    assert all("," in s and "." not in s for s in decimals), decimals
    assert "Hastighetsfördelning (n = 7\u202f078)" in figures.distribution_figure(
        CLASSES, 40.0, texts("sv"), "sv")


def test_english_axes_keep_the_point() -> None:
    svg = figures.distribution_figure(CLASSES, 40.0, texts("en"), "en")
    decimals = [s for s in tick_texts(svg) if re.search(r"\d[.,]\d", s)]
    assert decimals and all("." in s and "," not in s for s in decimals), decimals
    assert "(n = 7,078)" in svg


def test_thousands_and_minus_on_an_axis() -> None:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot([-2500.5, 12000.25], [0.5, 1.5])
    localize_axes(fig, "sv")
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_xticklabels()]
    plt.close(fig)
    assert "10\u202f000" in labels and "\u22122\u202f000" in labels, labels
