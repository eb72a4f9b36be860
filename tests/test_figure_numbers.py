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


FLAT = pd.DataFrame({"speed_lo": np.arange(20, 120, 2.0), "speed_hi": np.arange(22, 122, 2.0),
                     "count": np.full(50, 40)})
"""Every class 1 % per km/h: the share axis runs 0 to 1 % in steps with decimals (0,2 ...)."""


def test_swedish_axes_use_a_decimal_comma() -> None:
    ticks = tick_texts(figures.distribution_figure(FLAT, 40.0, texts("sv"), "sv"))
    decimals = [s for s in ticks if re.search(r"\d[.,]\d", s)]
    assert decimals, ticks  # the share axis has decimals (0,2 ...)
    assert all("," in s and "." not in s for s in decimals), decimals
    assert "Hastighetsfördelning (n = 7\u202f078)" in figures.distribution_figure(
        CLASSES, 40.0, texts("sv"), "sv")


def test_english_axes_keep_the_point() -> None:
    svg = figures.distribution_figure(FLAT, 40.0, texts("en"), "en")
    decimals = [s for s in tick_texts(svg) if re.search(r"\d[.,]\d", s)]
    assert decimals and all("." in s and "," not in s for s in decimals), decimals
    assert "(n = 7,078)" in figures.distribution_figure(CLASSES, 40.0, texts("en"), "en")


def test_the_distribution_shows_per_cent_of_vehicles_per_km_h() -> None:
    """Bars are % of vehicles per km/h of their class: their areas add up to 100 %."""
    uneven = pd.DataFrame({"speed_lo": [0.0, 30.0, 40.0, 50.0], "count": [30, 50, 15, 5],
                           "speed_hi": [30.0, 40.0, 50.0, float("inf")]})
    lo, width, share = figures.class_shares(uneven)
    assert list(lo) == [0.0, 30.0, 40.0, 50.0] and list(width) == [30.0, 10.0, 10.0, 10.0]
    assert np.allclose(share, [1.0, 5.0, 1.5, 0.5]) and np.isclose((share * width).sum(), 100.0)
    _, _, flat = figures.class_shares(FLAT)
    assert np.allclose(flat, 1.0)
    svg = figures.distribution_figure(CLASSES, 40.0, texts("sv"), "sv")
    assert "andel fordon per km/h [%]" in svg
    ticks = [float(s.replace(",", ".")) for s in tick_texts(svg)]
    assert max(ticks) >= 5  # per cent (the peak is about 7 % per km/h), not a 0-0.07 density
    assert figures.class_shares(uneven.assign(count=0))[2].tolist() == [0.0] * 4


def test_thousands_and_minus_on_an_axis() -> None:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot([-2500.5, 12000.25], [0.5, 1.5])
    localize_axes(fig, "sv")
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_xticklabels()]
    plt.close(fig)
    assert "10\u202f000" in labels and "\u22122\u202f000" in labels, labels
