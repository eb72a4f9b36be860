"""Readable reasons for the flags table, Swedish (default) or English.

A reason names its numbers, for example::

    Fredagar 22–23: V85 58 km/h (55–61) på 40-väg, 35 % (30–40) över gränsen,
    14 % över +20 (n 312, 4 dagar); 6 Embrace-rapporter (6 buskörning) ±1 h

Parts, joined by ``"; "`` and each present only when it has evidence:

1. the local weekday (plural) and hour, ``"Fredagar 22–23"`` / ``"Fridays 22–23"``;
2. speeds: V85 with its 95 % interval, the limit, the share over the limit
   with its interval, the share over +20 km/h, the sample size and days;
3. each reckless indicator that fires, with its count;
4. reports within the smoothing window, by category;
5. "measure here" when reports point at a street or site without speed data.

Built column-wise with pandas string operations (no loop over rows).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["CATEGORY_NAMES", "WEEKDAYS", "build_reasons"]

WEEKDAYS = {
    "sv": ("Måndagar", "Tisdagar", "Onsdagar", "Torsdagar", "Fredagar", "Lördagar", "Söndagar"),
    "en": ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays"),
}
"""Plural weekday names, Monday first."""

CATEGORY_NAMES = {
    "sv": {"speeding": "fortkörning", "reckless": "buskörning", "noise": "störande ljud",
           "parking": "parkering", "other": "övrigt"},
    "en": {"speeding": "speeding", "reckless": "reckless driving", "noise": "noise",
           "parking": "parking", "other": "other"},
}
"""Report categories as a reader sees them."""

_TEXT = {
    "sv": {
        "road": "-väg", "on": "på ", "over_limit": " över gränsen", "over_20": " över +20",
        "days": " dagar", "day": " dag",
        "extreme": " fordon över +{x}", "laps": " snabba passager i varvkörning",
        "nights": " nätter", "night": " natt",
        "slow": " grupper långsamma fordon (A-traktor/moped)",
        "short": " tidluckor under {x} s över gränsen",
        "night_excess": "natt-V85 {x} km/h över dagtid (minst {lo})",
        "reports": " Embrace-rapporter", "report": " Embrace-rapport",
        "measure": "inga hastighetsmätningar – mät här",
    },
    "en": {
        "road": " road", "on": "on a ", "over_limit": " over the limit", "over_20": " over +20",
        "days": " days", "day": " day",
        "extreme": " vehicles over +{x}", "laps": " fast passes in laps",
        "nights": " nights", "night": " night",
        "slow": " groups of slow vehicles (A-tractor/moped)",
        "short": " headways under {x} s above the limit",
        "night_excess": "night V85 {x} km/h above daytime (at least {lo})",
        "reports": " Embrace reports", "report": " Embrace report",
        "measure": "no speed measurements – measure here",
    },
}


def _int(x: pd.Series) -> pd.Series:
    """Round to whole numbers and format; NA stays NA."""
    return pd.Series(np.round(x.astype(float).to_numpy()), index=x.index).astype(
        "Int64").astype("string")


def _pct(x: pd.Series) -> pd.Series:
    return _int(x.astype(float) * 100)


def _when(cond: pd.Series | np.ndarray, text: pd.Series | str, index: pd.Index) -> pd.Series:
    """``text`` where ``cond``, else the empty string."""
    t = text if isinstance(text, pd.Series) else pd.Series(text, index=index, dtype="string")
    c = np.asarray(cond, dtype=bool)
    return t.where(c, "").fillna("").astype("string")


def _join(parts: list[pd.Series], sep: str, index: pd.Index) -> pd.Series:
    out = pd.Series("", index=index, dtype="string")
    for p in parts:
        p = p.fillna("")
        both = (out != "") & (p != "")
        out = out + pd.Series(np.where(both, sep, ""), index=index, dtype="string") + p
    return out


def build_reasons(
    df: pd.DataFrame, *, language: str = "sv", extreme_over_kmh: float = 30.0,
    short_headway_s: float = 1.0, smoothing_hours: int = 1,
) -> pd.Series:
    """Build the ``reason`` column of the flags table.

    Parameters
    ----------
    df : DataFrame
        Flags rows with ``weekday, hour_of_day, speed_limit`` and the evidence
        columns (``v85, v85_lo, v85_hi, share_over_limit(_lo/_hi),
        share_over_20, n, n_days``, reckless counts with their ``*_fire(s)``
        columns, ``night_excess, night_excess_lo, night_excess_fires``,
        ``reports_window_n, reports_by_category``, ``measure_here``).
    language : str
        ``"sv"`` or ``"en"``.
    extreme_over_kmh : float [km/h]
        Threshold named in the extreme-speed text.
    short_headway_s : float [s]
        Threshold named in the short-headway text.
    smoothing_hours : int [h]
        Window named after the report count.

    Returns
    -------
    Series of string
        One reason per row, same index as ``df``.
    """
    lang = "en" if language == "en" else "sv"
    t = _TEXT[lang]
    idx = df.index
    wd = pd.Series(np.asarray(WEEKDAYS[lang], dtype=object)[df["weekday"].to_numpy() - 1],
                   index=idx, dtype="string")
    h = df["hour_of_day"].astype("int64")
    when = (wd + " " + h.map("{:02d}".format).astype("string") + "–"
            + (h + 1).map("{:02d}".format).astype("string"))

    # Speeds.
    v85 = df["v85"].astype(float)
    has_v85 = v85.notna()
    has_ci = has_v85 & df["v85_lo"].notna() & df["v85_hi"].notna()
    v85_txt = _when(has_v85, "V85 " + _int(v85) + " km/h", idx) + _when(
        has_ci, " (" + _int(df["v85_lo"]) + "–" + _int(df["v85_hi"]) + ")", idx)
    limit = df["speed_limit"].astype(float)
    road = _when(limit.notna(), _int(limit) + t["road"], idx)
    share = df["share_over_limit"].astype(float)
    has_share = share.notna()
    share_txt = _when(
        has_share,
        _pct(share) + " % (" + _pct(df["share_over_limit_lo"]) + "–"
        + _pct(df["share_over_limit_hi"]) + ")" + t["over_limit"], idx)
    s20 = df["share_over_20"].astype(float)
    s20_txt = _when(s20.notna() & (s20 > 0), _pct(s20) + " %" + t["over_20"], idx)
    n = df["n"].astype(float)
    days = df["n_days"].astype(float)
    n_txt = _when(
        n.notna() & (n > 0),
        "(n " + _int(n) + ", " + _int(days)
        + pd.Series(np.where(days == 1, t["day"], t["days"]), index=idx, dtype="string")
        + ")", idx)
    on_road = _when(road != "", t["on"] + road, idx)
    with_v85 = _join([_join([v85_txt, on_road], " ", idx), share_txt, s20_txt], ", ", idx)
    without_v85 = _join([_join([share_txt.str.lstrip(", "), on_road], " ", idx), s20_txt],
                        ", ", idx)
    speed_txt = pd.Series(np.where(has_v85, with_v85, without_v85), index=idx, dtype="string")
    speed_txt = _when(speed_txt != "", speed_txt + " " + n_txt, idx).str.strip()
    speed_txt = _when(has_v85 | has_share, speed_txt, idx)

    # Reckless indicators.
    ext = _when(df["extreme_fires"],
                _int(df["extreme_n"]) + t["extreme"].format(x=f"{extreme_over_kmh:g}"), idx)
    nights = df["lap_nights"].astype("int64")
    laps = _when(
        df["laps_fire"],
        _int(df["lap_passes"]) + t["laps"] + " (" + _int(nights)
        + pd.Series(np.where(nights == 1, t["night"], t["nights"]), index=idx, dtype="string")
        + ")", idx)
    slow = _when(df["slow_groups_fire"], _int(df["slow_groups"]) + t["slow"], idx)
    short = _when(df["short_headways_fire"],
                  _int(df["short_headways_at_speed"])
                  + t["short"].format(x=f"{short_headway_s:g}"), idx)
    excess_fmt = t["night_excess"].split("{x}")
    lo_fmt = excess_fmt[1].split("{lo}")
    night = _when(
        df["night_excess_fires"],
        excess_fmt[0] + _int(df["night_excess"]) + lo_fmt[0] + _int(df["night_excess_lo"])
        + lo_fmt[1], idx)

    # Reports.
    names = CATEGORY_NAMES[lang]
    cats = df["reports_by_category"].astype("string").fillna("")
    for cat, name in names.items():
        cats = cats.str.replace(rf"\b{cat}:(\d+)", rf"\1 {name}", regex=True)
    cats = cats.str.replace(";", ", ", regex=False)
    rn = df["reports_window_n"].fillna(0).astype("int64")
    rep = _when(
        rn > 0,
        _int(rn) + pd.Series(np.where(rn == 1, t["report"], t["reports"]), index=idx,
                             dtype="string")
        + " (" + cats + ")" + (f" ±{smoothing_hours} h" if smoothing_hours else ""), idx)
    measure = _when(df["measure_here"], t["measure"], idx)

    body = _join([speed_txt, ext, laps, slow, short, night, rep, measure], "; ", idx)
    return (when + _when(body != "", ": " + body, idx)).astype("string")
