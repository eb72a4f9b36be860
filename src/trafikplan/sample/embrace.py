"""Embrace reports of the Köping sample and their export layouts D (CSV) and E (xlsx).

About 300 reports over 2024, clustered where the problems are: buskörning and
noise on Ringvägen on Friday and Saturday nights, speeding on the planted
sections, parking in the centre, and tips from streets without a counter
(:data:`trafikplan.sample.koping.TIP_STREETS`). Some free texts carry
personal data (personnummer with valid Luhn digits, samordningsnummer,
registration plates, phone numbers, e-mail addresses; all fake), and two carry
hostile text; every such string is returned so tests can check that none
survives redaction.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from trafikplan.columns import table_rows
from trafikplan.sample.koping import SITE, TIP_STREETS, TZ

__all__ = [
    "HOSTILE",
    "PERSONAL_DATA",
    "REPORT_COLUMNS",
    "luhn_digit",
    "make_reports",
    "report_times_utc",
    "write_embrace_csv",
    "write_embrace_xlsx",
]

REPORT_COLUMNS = ("report_id", "created", "event", "category_raw", "street", "address",
                  "text", "lat", "lon")
"""Columns of the internal report table (local naive times, WGS 84 coordinates)."""


def luhn_digit(nine: str) -> int:
    """Control digit of a Swedish personnummer from its nine digits ``YYMMDDNNN``."""
    total = 0
    for i, ch in enumerate(nine):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return (10 - total % 10) % 10


def _pnr(yymmdd: str, nnn: str, century: str = "", sep: str = "-") -> str:
    return f"{century}{yymmdd}{sep}{nnn}{luhn_digit(yymmdd + nnn)}"


PERSONAL_DATA: tuple[tuple[str, str], ...] = (
    ("personnummer", _pnr("850312", "239", "19")),
    ("personnummer", _pnr("920704", "158")),
    ("personnummer", _pnr("120418", "642", sep="+")),
    ("personnummer", _pnr("760809", "137", "19", sep="")),
    ("samordningsnummer", _pnr("900375", "284")),
    ("personnummer", _pnr("030115", "471", "20")),
    ("plate", "MLB 482"),
    ("plate", "DTK 73F"),
    ("plate", "RZN 19X"),
    ("plate", "FHU605"),
    ("plate", "KGW 55C"),
    ("phone", "070-318 52 94"),
    ("phone", "0736124589"),
    ("phone", "+46 70 412 33 81"),
    ("phone", "0221-341 27"),
    ("phone", "073-555 12 34"),
    ("email", "anna.karlsson@example.se"),
    ("email", "p.nilsson77@exempel.com"),
)
"""Fake but well-formed personal data planted in report texts: (kind, string)."""

HOSTILE = ("<script>alert(1)</script>", '=HYPERLINK("http://x","y")')
"""Hostile strings planted in report texts (HTML and spreadsheet formula injection)."""

_TEXTS = {
    "Buskörning": [
        "Bilar kör i hög fart varje fredag, samma bilar varv efter varv.",
        "Buskörning runt rondellen hela kvällen; däckskrik och motorvrål.",
        'Ett gäng bilar kör "race" mellan rondellerna, farligt för gående.',
        "Mopeder och A-traktorer kör i grupp och blockerar vägen.\nHåller på till efter midnatt.",
        "Samma tre bilar kör förbi gång på gång i över 80 km/h.",
    ],
    "Hastighet": [
        "Många kör alldeles för fort här, särskilt på kvällarna.",
        "Bilar håller minst 70 på 50-sträckan förbi busshållplatsen.",
        "Barn går till skolan här och bilarna kör fort; kan ni mäta?",
        "Fartkontroll behövs, ingen håller hastigheten.",
    ],
    "Fortkörning": [
        "Fortkörning på kvällar och helger, hör motorerna varva upp.",
        "Bilar gasar på rakan efter rondellen.",
        "Fortkörning nattetid, det låter som en racerbana.",
    ],
    "Felparkering": [
        "Bilar parkerar på trottoaren så att barnvagnar inte kommer förbi.",
        "Felparkerade bilar vid övergångsstället skymmer sikten.",
        "Lastbil står på gångbanan varje morgon vid lastning.",
        "Parkering i korsningen; bussen kommer inte fram.",
    ],
    "Störande ljud/samlingar": [
        "Stora samlingar med bilar på parkeringen, hög musik till sent.",
        "Ungdomar samlas med mopeder och spelar hög musik.",
    ],
    "Ljudnivå/motorljud": [
        "Motorljud och smällar från avgassystem hela natten.",
        "Bilar med ombyggda avgassystem varvar vid rödljuset.",
    ],
    "Nedskräpning": [
        "Skräp och burkar kvar efter helgens samlingar.",
        "Nedskräpat vid busshållplatsen.",
    ],
    "Övrigt": [
        "Trasig gatlykta gör övergångsstället mörkt.",
        "Skymd sikt av buskar vid utfarten.",
        "Hålor i vägen efter vintern.",
    ],
}

_PD_TEMPLATES = {
    "personnummer": "Anmälare (pnr {v}) vill bli kontaktad.",
    "samordningsnummer": "Vittne med samordningsnummer {v} såg händelsen.",
    "plate": "En av bilarna hade reg.nr {v}.",
    "phone": "Ring mig gärna på {v}.",
    "email": "Svara till {v} tack.",
}


def _clusters() -> list[dict]:
    """Report clusters: count, raw categories with weights, place and time pattern."""
    ring = ("Buskörning", "Störande ljud/samlingar", "Ljudnivå/motorljud")
    return [
        dict(n=45, cats=ring, w=(0.6, 0.2, 0.2), street="Ringvägen", at="K02",
             when="weekend_night"),
        dict(n=25, cats=ring[1:], w=(0.5, 0.5), street="Ringvägen", at="K01", when="weekend_night"),
        dict(n=35, cats=("Hastighet", "Fortkörning"), w=(0.6, 0.4), street="Skogsleden",
             at="K05", when="weekend_night"),
        dict(n=20, cats=("Hastighet", "Fortkörning"), w=(0.5, 0.5), street="Ringvägen",
             at="K04", when="evening"),
        dict(n=20, cats=("Felparkering",), w=(1.0,), street="Stora Gatan", at="K10", when="day"),
        dict(n=15, cats=("Felparkering",), w=(1.0,), street="Östra Långgatan", at="K11",
             when="day"),
        dict(n=15, cats=("Felparkering",), w=(1.0,), street="Nygatan", at="K12", when="day"),
        dict(n=18, cats=("Hastighet", "Fortkörning"), w=(0.7, 0.3), street="Glasgatan",
             at="Glasgatan", when="school"),
        dict(n=14, cats=("Hastighet", "Buskörning"), w=(0.7, 0.3), street="Barnängsgatan",
             at="Barnängsgatan", when="school"),
        dict(n=10, cats=("Hastighet",), w=(1.0,), street="Tunadalsgatan", at="Tunadalsgatan",
             when="school"),
        dict(n=15, cats=("Hastighet",), w=(1.0,), street="Östanåsgatan", at="K08",
             when="school"),
        dict(n=20, cats=("Nedskräpning",), w=(1.0,), street="Ringvägen", at="K02", when="day"),
        dict(n=22, cats=("Övrigt",), w=(1.0,), street="Hagavägen", at="K14", when="day"),
        dict(n=26, cats=("Hastighet", "Fortkörning"), w=(0.5, 0.5), street="Åkerbovägen",
             at="K15", when="day"),
    ]


def _event_times(n: int, when: str, rng: np.random.Generator) -> pd.DatetimeIndex:
    """Local naive event times in 2024-01-08 .. 2024-11-03 following a time pattern."""
    days = pd.date_range("2024-01-08", "2024-11-03", freq="D")
    wd = days.day_of_week.to_numpy() + 1
    if when == "weekend_night":
        pool = days[np.isin(wd, (5, 6))]
        hours = rng.choice([20, 21, 22, 23, 24, 25], n, p=[0.1, 0.2, 0.25, 0.25, 0.12, 0.08])
    elif when == "evening":
        pool = days
        hours = rng.integers(18, 23, n)
    elif when == "school":
        pool = days[wd <= 5]
        hours = rng.choice([7, 8, 15, 16, 17], n)
    else:
        pool = days[wd <= 6]
        hours = rng.integers(8, 18, n)
    day = pool[rng.integers(0, len(pool), n)]
    minutes = rng.integers(0, 60, n)
    return pd.DatetimeIndex(day + pd.to_timedelta(hours * 60 + minutes, unit="min"))


def make_reports(rng: np.random.Generator) -> pd.DataFrame:
    """Draw the sample's Embrace reports.

    Returns
    -------
    DataFrame
        :data:`REPORT_COLUMNS`, sorted by ``created``: ``report_id`` (str),
        ``created``, ``event`` (local naive Timestamp; ``event`` NaT when the
        reporter left it empty), ``category_raw``, ``street`` (as in layout D),
        ``address`` (with a house number, as in layout E), ``text``, ``lat``,
        ``lon`` (WGS 84 [deg], NaN when not given).
    """
    rows = []
    for c in _clusters():
        n = c["n"]
        events = _event_times(n, c["when"], rng)
        cats = rng.choice(len(c["cats"]), n, p=np.array(c["w"]) / sum(c["w"]))
        if c["at"] in TIP_STREETS:
            lat0, lon0 = TIP_STREETS[c["at"]]
        else:
            lat0, lon0 = SITE[c["at"]].lat, SITE[c["at"]].lon
        has_xy = rng.random(n) < 0.72
        lat = np.where(has_xy, np.round(lat0 + rng.normal(0, 0.0006, n), 5), np.nan)
        lon = np.where(has_xy, np.round(lon0 + rng.normal(0, 0.0012, n), 5), np.nan)
        for i in range(n):  # ~300 reports: building their texts one by one is cheap
            cat = c["cats"][cats[i]]
            texts = _TEXTS[cat]
            rows.append({
                "event": events[i], "category_raw": cat, "street": c["street"],
                "address": f"{c['street']} {int(rng.integers(1, 60))}",
                "text": texts[int(rng.integers(0, len(texts)))], "lat": lat[i], "lon": lon[i],
                "delay": float(rng.exponential(600.0)), "no_event": bool(rng.random() < 0.1),
            })
    df = pd.DataFrame(rows)
    df["created"] = (df["event"] + pd.to_timedelta(np.ceil(df["delay"]).astype(int), unit="min")
                     ).dt.floor("min")
    df.loc[df["no_event"], "event"] = pd.NaT
    df = df.sort_values(["created", "street", "text"], kind="stable").reset_index(drop=True)
    # personal data and hostile text go into fixed, spread-out reports
    slots = np.linspace(3, len(df) - 4, len(PERSONAL_DATA) + len(HOSTILE)).astype(int)
    for slot, (kind, value) in zip(slots, PERSONAL_DATA, strict=False):
        df.loc[slot, "text"] = df.loc[slot, "text"] + " " + _PD_TEMPLATES[kind].format(v=value)
    df.loc[slots[-2], "text"] = "Se bifogad länk " + HOSTILE[0]
    df.loc[slots[-2], "category_raw"] = "Övrigt"
    df.loc[slots[-1], "text"] = HOSTILE[1]
    df.loc[slots[-1], "category_raw"] = "Övrigt"
    df["report_id"] = [f"EMB-2024-{i + 1:05d}" for i in range(len(df))]
    # a few rows with the street and house number in the CSV too
    numbered = rng.random(len(df)) < 0.12
    df.loc[numbered, "street"] = df.loc[numbered, "address"]
    return df[list(REPORT_COLUMNS)]


def _num(x: float, decimals: int) -> str:
    return "" if np.isnan(x) else f"{x:.{decimals}f}".replace(".", ",")


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def write_embrace_csv(reports: pd.DataFrame, path: Path | str) -> None:
    """Write reports as an Embrace CSV export (layout D: Windows-1252, ``;``, CRLF).

    Parameters
    ----------
    reports : DataFrame
        Columns of :data:`REPORT_COLUMNS`.
    path : Path or str
        Target file.
    """
    fmt = "%Y-%m-%d %H:%M"
    lines = ["Ärendenummer;Skapad;Händelsetid;Kategori;Gata/plats;Beskrivning;Latitud;Longitud"]
    for r in table_rows(reports):  # a few hundred rows, quoted free text
        event = "" if pd.isna(r.event) else r.event.strftime(fmt)
        lines.append(";".join([r.report_id, r.created.strftime(fmt), event, r.category_raw,
                               r.street, _quote(r.text).replace("\n", "\r\n"),
                               _num(r.lat, 4), _num(r.lon, 4)]))
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))


_FIXED_TIME = datetime(2024, 11, 4, 8, 0, 0)  # noqa: DTZ001 - xlsx stores naive times


def write_embrace_xlsx(reports: pd.DataFrame, path: Path | str) -> None:
    """Write reports as an Embrace Excel export (layout E), byte for byte reproducible.

    Sheet ``Ärenden``; ``Datum`` an Excel date, ``Tid`` text ``HH:MM`` (local
    time of the event, or of the report when the event time is empty),
    coordinates SWEREF 99 TM (``X`` northing, ``Y`` easting, [m]) or empty.

    Parameters
    ----------
    reports : DataFrame
        Columns of :data:`REPORT_COLUMNS`.
    path : Path or str
        Target ``.xlsx`` file.
    """
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet
    from pyproj import Transformer

    to_sweref = Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True)
    east, north = to_sweref.transform(reports["lon"].to_numpy(), reports["lat"].to_numpy())
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook's one sheet
    ws.title = "Ärenden"
    ws.append(["Ärende-ID", "Datum", "Tid", "Typ", "Adress", "Meddelande",
               "X (SWEREF 99 TM)", "Y (SWEREF 99 TM)"])
    when = reports["event"].fillna(reports["created"])
    for i, r in enumerate(table_rows(reports)):  # ~50 rows
        x = None if np.isnan(north[i]) else round(float(north[i]), 1)
        y = None if np.isnan(east[i]) else round(float(east[i]), 1)
        ws.append([r.report_id, when.iloc[i].to_pydatetime().date(),
                   when.iloc[i].strftime("%H:%M"), r.category_raw, r.address, r.text, x, y])
        ws.cell(row=i + 2, column=2).number_format = "yyyy-mm-dd"
        ws.cell(row=i + 2, column=6).data_type = "s"
    wb.properties.creator = "Embrace"
    wb.properties.created = _FIXED_TIME
    wb.properties.modified = _FIXED_TIME
    buf = io.BytesIO()
    wb.save(buf)
    _write_fixed_zip(buf.getvalue(), Path(path))


def _write_fixed_zip(data: bytes, path: Path) -> None:
    """Rewrite a zip with fixed entry times and fixed document timestamps."""
    stamp = _FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(
            out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*",
                                 rb"\g<1>" + stamp.encode(), content)
            fixed = zipfile.ZipInfo(info.filename, date_time=(2024, 11, 4, 8, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, content)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())


def report_times_utc(reports: pd.DataFrame) -> pd.Series:
    """UTC time of each report: the event time, or the creation time when empty."""
    local = reports["event"].fillna(reports["created"])
    return local.dt.tz_localize(TZ, ambiguous="NaT", nonexistent="NaT").dt.tz_convert("UTC")
