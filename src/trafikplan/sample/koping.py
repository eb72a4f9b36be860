"""The Köping 2024 scenario: sites, counter deployments and what is planted in them.

Köping's medborgarlöfte 2024 (traffic safety on Ringvägen, Skogsleden and the
southern part of Östanåsgatan) as sample data. Every number that a later
stage must find is decided here and returned by :func:`simulate_counters`
for the expected file:

- evening and night speeding: Skogsleden vid Ullvileden (K05) Friday and
  Saturday 21–02, Ringvägen södra (K04) every evening 19–23;
- buskörning on Ringvägen vid Mästaregatan (K02) on Friday and Saturday
  nights: the same few cars doing laps at 75–100 km/h (22–01) and groups of
  3–6 A-traktorer/mopeds at about 30 km/h with short headways (20–01);
- before (April) and after (September) weeks on the three focus streets
  around measures built in summer 2024, with Åkerbovägen (K15) as the
  comparison street, a town-wide trend of -1 km/h from August on;
- defective rows of each reject reason, a stale site (data from 2021 only).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import holidays
import numpy as np
import pandas as pd

from trafikplan.sample import traffic
from trafikplan.sample.traffic import ClassMix

__all__ = [
    "CHECKS_DONE",
    "DEPLOYMENTS",
    "EQUIPMENT",
    "GROUP_HOURS",
    "HALO_KMH",
    "LAP_HOURS",
    "MEASURES",
    "RECKLESS_SITE",
    "SEED",
    "SITE",
    "SITES",
    "SPEEDING",
    "TIP_STREETS",
    "TREND_FROM",
    "TREND_KMH",
    "TZ",
    "Deployment",
    "Measure",
    "Site",
    "deployment_bounds",
    "new_rng",
    "simulate_deployment",
]

TZ = "Europe/Stockholm"
SEED = 20240415
TREND_FROM = pd.Timestamp("2024-08-01", tz=TZ)
TREND_KMH = -1.0
"""Town-wide change of mean speed from August 2024 on [km/h] (seen everywhere)."""

_RING = ClassMix(heavy=0.07, trailer=0.015, bicycle=0.006)
_SKOG = ClassMix(heavy=0.04, trailer=0.02, bicycle=0.008)
_TOWN = ClassMix(heavy=0.03, trailer=0.01, bicycle=0.03, moped=0.01)
_MAIN = ClassMix(heavy=0.05)


@dataclass(frozen=True)
class Site:
    """A counter site or check spot (one row of ``sites.csv``)."""

    site_id: str
    street: str
    section: str
    lat: float
    lon: float
    speed_limit: int
    area: str
    check_spot: bool
    description: str
    adt: float = 0.0
    """Vehicles per average working day, both directions [vehicles/day]."""
    mix: ClassMix = field(default_factory=ClassMix)


SITES: tuple[Site, ...] = (
    Site("K01", "Ringvägen", "norra, vid Scheelegatan", 59.52050, 15.98500, 50, "Norr", True,
         "Ringvägen norr om centrum, fyrfältig infart", 8500, _RING),
    Site("K02", "Ringvägen", "vid Mästaregatan", 59.51800, 15.97850, 50, "Väster", True,
         "Ringvägen vid Mästaregatan, fredags- och lördagskvällar samlingsplats", 8000, _RING),
    Site("K03", "Ringvägen", "vid Nygårdsskolan", 59.51450, 15.97400, 40, "Nygård", True,
         "Skolsträcka, upphöjd passage byggd sommaren 2024", 6500, _RING),
    Site("K04", "Ringvägen", "södra, vid Hagavägen", 59.51050, 15.97250, 50, "Söder", True,
         "Ringvägens södra del mot E18", 7500, _RING),
    Site("K05", "Skogsleden", "vid Ullvileden", 59.52620, 16.00800, 50, "Ullvi", True,
         "Rak sträcka ut mot Ullvi backar", 4000, _SKOG),
    Site("K06", "Skogsleden", "vid Konvaljevägen", 59.52450, 16.01500, 40, "Ullvi", True,
         "Hastighetssäkrat övergångsställe byggt sommaren 2024", 3400, _SKOG),
    Site("K07", "Skogsleden", "östra", 59.52280, 16.02250, 60, "Ullvi", True,
         "Skogsledens östra del, glesbebyggt", 4000, _SKOG),
    Site("K08", "Östanåsgatan", "södra delen", 59.50800, 16.00600, 40, "Öster", True,
         "Södra Östanåsgatan, avsmalning byggd sommaren 2024", 3000, _MAIN),
    Site("K09", "Östanåsgatan", "norra delen", 59.51250, 16.00750, 50, "Öster", True,
         "Norra Östanåsgatan", 3000, _MAIN),
    Site("K10", "Stora Gatan", "vid Stora torget", 59.51280, 15.99300, 30, "Centrum", False,
         "Gågatunära, smal gata utan uppställningsplats", 1800, _TOWN),
    Site("K11", "Östra Långgatan", "centrum", 59.51220, 15.99650, 30, "Centrum", True,
         "Centrumgata med kantstensparkering", 1500, _TOWN),
    Site("K12", "Nygatan", "centrum", 59.51400, 15.99050, 30, "Centrum", False,
         "Centrumgata", 1200, _TOWN),
    Site("K13", "Nygårdsgatan", "bostadsområde", 59.51500, 15.97000, 30, "Nygård", False,
         "Bostadsgata i Nygård", 600, _TOWN),
    Site("K14", "Hagavägen", "vid Hagaskolan", 59.50850, 15.98000, 40, "Söder", True,
         "Planerat upphöjt övergångsställe 2025, ingen mätning ännu", 2500, _MAIN),
    Site("K15", "Åkerbovägen", "mellan Pungbovägen och Hagavägen", 59.50600, 15.98600, 50,
         "Söder", True, "Jämförelsegata utan åtgärd", 5000, _MAIN),
    Site("K16", "Pungbovägen", "söder", 59.50400, 15.98000, 40, "Söder", True,
         "Matargata söder", 1500, _TOWN),
    Site("K17", "Mästaregatan", "vid polishuset", 59.51650, 15.98100, 40, "Väster", True,
         "Ny GCM-passage 2023", 2000, _MAIN),
    Site("K18", "Scheelegatan", "norra", 59.51850, 15.99000, 40, "Norr", True,
         "Matargata norr", 2200, _MAIN),
    Site("K19", "Västeråsvägen", "östra infarten", 59.51000, 16.02000, 60, "Öster", True,
         "Infart från E18 öster", 4500, _MAIN),
    Site("K20", "Rosenlundsgatan", "norra", 59.51700, 15.98600, 30, "Norr", False,
         "Senast mätt 2021", 700, _TOWN),
    Site("P01", "Skogsleden", "busshållplats Ullvi", 59.52550, 16.01150, 50, "Ullvi", True,
         "Uppställningsplats för hastighetskontroll (ingen mätare)"),
    Site("P02", "Hantverkaregatan", "vid Rosenlundsgatan", 59.51600, 15.98350, 40, "Väster",
         True, "Uppställningsplats för hastighetskontroll (ingen mätare)"),
)
SITE = {s.site_id: s for s in SITES}

TIP_STREETS = {  # streets with Embrace reports and no counter: (lat, lon)
    "Glasgatan": (59.51350, 15.99600),
    "Barnängsgatan": (59.51900, 16.00000),
    "Tunadalsgatan": (59.50650, 16.00100),
}


@dataclass(frozen=True)
class Deployment:
    """One counter deployment, written as one raw file."""

    sites: tuple[str, ...]
    layout: str  # "A", "B" or "C"
    start: str  # local date of installation (midnight)
    days: int
    file: str
    purpose: str = ""
    utc: bool = False  # layout B: write times with Z


DEPLOYMENTS: tuple[Deployment, ...] = (
    Deployment(("K13",), "C", "2024-01-15", 14, "K13_Nygardsgatan_2024-01-15_slang.csv"),
    Deployment(("K07",), "C", "2024-03-04", 14, "K07_Skogsleden_2024-03-04_slang.csv"),
    Deployment(("K02",), "A", "2024-03-25", 14, "K02_Ringvagen_2024-03-25.csv.gz", "buskörning"),
    Deployment(("K03",), "A", "2024-04-15", 14, "K03_Ringvagen_2024-04-15.csv.gz", "before"),
    Deployment(("K06",), "A", "2024-04-15", 14, "K06_Skogsleden_2024-04-15.csv.gz", "before"),
    Deployment(("K08",), "A", "2024-04-15", 14, "K08_Ostanasgatan_2024-04-15.csv.gz", "before"),
    Deployment(("K15",), "B", "2024-04-15", 14, "K15_Akerbovagen_2024-04-15.csv.gz",
               "comparison before", utc=True),
    Deployment(("K05",), "A", "2024-05-06", 21, "K05_Skogsleden_2024-05-06.csv.gz", "speeding"),
    Deployment(("K02",), "A", "2024-05-20", 14, "K02_Ringvagen_2024-05-20.csv.gz", "buskörning"),
    Deployment(("K12",), "C", "2024-05-27", 14, "K12_Nygatan_2024-05-27_slang.csv.gz"),
    Deployment(("K07",), "A", "2024-06-10", 14, "K07_Skogsleden_2024-06-10.csv.gz"),
    Deployment(("K09",), "C", "2024-06-10", 14, "K09_Ostanasgatan_2024-06-10_slang.csv.gz"),
    Deployment(("K04",), "A", "2024-08-19", 14, "K04_Ringvagen_2024-08-19.csv.gz", "speeding"),
    Deployment(("K16",), "C", "2024-08-26", 14, "K16_Pungbovagen_2024-08-26_slang.csv.gz"),
    Deployment(("K18",), "C", "2024-09-02", 14, "K18_Scheelegatan_2024-09-02_slang.csv.gz"),
    Deployment(("K03",), "A", "2024-09-16", 14, "K03_Ringvagen_2024-09-16.csv.gz", "after"),
    Deployment(("K06",), "A", "2024-09-16", 14, "K06_Skogsleden_2024-09-16.csv.gz", "after"),
    Deployment(("K08",), "A", "2024-09-16", 14, "K08_Ostanasgatan_2024-09-16.csv.gz", "after"),
    Deployment(("K15",), "B", "2024-09-16", 14, "K15_Akerbovagen_2024-09-16.csv.gz",
               "comparison after"),
    Deployment(("K17",), "C", "2024-10-07", 14, "K17_Mastaregatan_2024-10-07_slang.csv.gz"),
    Deployment(("K19",), "C", "2024-10-07", 14, "K19_Vasterasvagen_2024-10-07_slang.csv.gz"),
    Deployment(("K01",), "A", "2024-10-21", 14, "K01_Ringvagen_2024-10-21.csv.gz", "dst"),
    Deployment(("K10", "K11"), "B", "2024-10-21", 14, "export_centrum_2024-10-21.csv.gz", "dst"),
    Deployment(("K20",), "B", "2021-05-10", 3, "K20_Rosenlundsgatan_2021-05-10.csv", "stale"),
)

EQUIPMENT = {"K01": "Radar SR-4 (serienr 40117)", "K02": "Radar SR-4 (serienr 40117)",
             "K03": "Radar SR-4 (serienr 40118)", "K04": "Radar SR-4 (serienr 40118)"}


@dataclass(frozen=True)
class Measure:
    """A traffic-safety measure (one row of ``measures.csv``) and its true effect."""

    measure_id: str
    street: str
    site_id: str
    kind: str
    built: str
    description: str
    comparison_site_id: str
    effect_kmh: float
    """True change of the mean speed of motor vehicles at the site [km/h]."""


MEASURES: tuple[Measure, ...] = (
    Measure("M1", "Ringvägen", "K03", "upphöjd passage", "2024-07-01",
            "Upphöjd gång- och cykelpassage vid Nygårdsskolan", "K15", -5.0),
    Measure("M2", "Skogsleden", "K06", "hastighetssäkrat övergångsställe", "2024-06-24",
            "Hastighetssäkrat övergångsställe vid Konvaljevägen", "K15", -6.0),
    Measure("M3", "Östanåsgatan", "K08", "avsmalning", "2024-08-12",
            "Avsmalning med refug på södra Östanåsgatan", "K15", -4.0),
    Measure("M4", "Hagavägen", "K14", "upphöjt övergångsställe", "2025-05-19",
            "Planerat upphöjt övergångsställe vid Hagaskolan (före-mätning behövs)", "K15", 0.0),
)

SPEEDING = (
    # site, {weekday: hours}, shift [km/h], volume factor
    ("K05", {5: (21, 22, 23), 6: (0, 1, 21, 22, 23), 7: (0, 1)}, 13.0, 1.5),
    ("K04", {d: (19, 20, 21, 22) for d in range(1, 8)}, 10.0, 1.0),
)
"""Planted evening/night speeding: local weekday -> hours at a site."""

CHECKS_DONE = (
    # team, local start, minutes, site, vehicles checked, violations, max speed [km/h]
    ("Trafikgruppen Västmanland", "2024-06-11 10:00", 90, "K07", 212, 9, 84),
    ("Trafikgruppen Västmanland", "2024-06-18 14:00", 90, "K07", 248, 12, 88),
    ("Ingripande Köping 1", "2024-09-06 20:00", 90, "P01", 96, 7, 81),
    ("Ingripande Köping 2", "2024-10-23 15:00", 90, "K01", 402, 11, 71),
    ("Ingripande Köping 1", "2024-10-25 19:00", 90, "K01", 233, 8, 74),
)
"""Completed police speed checks (``checks_done/``); K01 and K07 have radar data around them."""

HALO_KMH = ((0, 24, -4.0), (24, 48, -2.0))
"""True time halo after a check: (from [h], to [h] after its end, change of mean speed [km/h])."""

RECKLESS_SITE = "K02"
LAP_HOURS = (22, 1)  # 22:00 to 01:00 local, Friday and Saturday evenings
GROUP_HOURS = (20, 1)


def _season(month: np.ndarray) -> np.ndarray:
    f = np.ones(len(month))
    f[np.isin(month, (1, 2, 12))] = 0.9
    f[month == 7] = 0.8
    return f


def _hourly_plan(site: Site, dep: Deployment) -> pd.DataFrame:
    """Hour grid of a deployment with expected vehicles per direction and speed shift."""
    start = pd.Timestamp(dep.start, tz=TZ)
    grid = traffic.hour_grid(start, start + pd.Timedelta(days=dep.days), TZ)
    years = sorted({start.year, (start + pd.Timedelta(days=dep.days)).year})
    hol = holidays.Sweden(years=years, include_sundays=False)
    dates = grid["date"].dt.date
    profile_day = np.where(dates.map(lambda d: d in hol).to_numpy(dtype=bool), 7,
                           grid["weekday"].to_numpy())
    share = traffic.HOURLY_PROFILE[profile_day - 1, grid["hour_of_day"]]
    volume = (site.adt / 2.0 * share * traffic.WEEKDAY_FACTOR[profile_day - 1]
              * _season(grid["date"].dt.month.to_numpy()))
    shift = np.zeros(len(grid))
    planted = np.zeros(len(grid), dtype=bool)
    for site_id, cells, kmh, boost in SPEEDING:
        if site_id != site.site_id:
            continue
        for wd, hours in cells.items():
            m = (grid["weekday"].to_numpy() == wd) & np.isin(grid["hour_of_day"], hours)
            planted |= m
            shift[m] += kmh
            volume[m] *= boost
    local_start = grid["date"].dt.tz_localize(TZ)
    shift += np.where(local_start >= TREND_FROM, TREND_KMH, 0.0)
    hours_s = grid["hour_start"].to_numpy()
    for _, start_text, minutes, site_id, *_ in CHECKS_DONE:
        if site_id != site.site_id:
            continue
        end = (pd.Timestamp(start_text, tz=TZ) + pd.Timedelta(minutes=minutes)).timestamp()
        for lo, hi, kmh in HALO_KMH:
            shift += np.where((hours_s >= end + lo * 3600) & (hours_s < end + hi * 3600),
                              kmh, 0.0)
    for m in MEASURES:
        if m.site_id == site.site_id:
            shift += np.where(local_start >= pd.Timestamp(m.built, tz=TZ), m.effect_kmh, 0.0)
    grid["volume"] = volume
    grid["shift"] = shift
    grid["planted"] = planted
    return grid


def _normal_traffic(site: Site, dep: Deployment, rng: np.random.Generator) -> dict:
    """Ordinary traffic of one site in one deployment, both directions."""
    plan = _hourly_plan(site, dep)
    starts = plan["hour_start"].to_numpy()
    out: dict[str, list] = {"t": [], "dir": [], "hod": [], "shift": []}
    for direction in (1, 2):  # one vectorised draw per direction
        counts = rng.poisson(plan["volume"].to_numpy())
        t = traffic.spread_in_hours(counts, starts, rng)
        out["t"].append(t)
        out["dir"].append(np.full(len(t), direction, dtype=np.int8))
        out["hod"].append(np.repeat(plan["hour_of_day"].to_numpy(), counts))
        out["shift"].append(np.repeat(plan["shift"].to_numpy(), counts))
    t = np.concatenate(out["t"])
    cls = traffic.draw_classes(len(t), site.mix, rng)
    speed = traffic.draw_speeds(cls, np.full(len(t), float(site.speed_limit)),
                                np.concatenate(out["hod"]), rng,
                                shift=np.concatenate(out["shift"]))
    return {"t": t, "dir": np.concatenate(out["dir"]), "speed": speed,
            "length": traffic.draw_lengths(cls, rng), "cls": cls}


def _evenings(dep: Deployment, weekdays: tuple[int, ...]) -> list[pd.Timestamp]:
    """Local midnights of the deployment's days that fall on ``weekdays``."""
    days = pd.date_range(pd.Timestamp(dep.start, tz=TZ), periods=dep.days, freq="D")
    return [d for d in days if d.day_of_week + 1 in weekdays]


def _reckless(dep: Deployment, rng: np.random.Generator) -> tuple[dict, list, list]:
    """Laps of fast cars (22–01) and slow groups (20–01) on Friday and Saturday nights."""
    cls_pb = traffic.CLASSES.index("PB")
    cls_moped = traffic.CLASSES.index("MOPED")
    t_all, d_all, v_all, l_all, c_all = [], [], [], [], []
    laps, groups = [], []
    end_of_dep = pd.Timestamp(dep.start, tz=TZ) + pd.Timedelta(days=dep.days)
    for day in _evenings(dep, (5, 6)):
        night_end = min(day + pd.Timedelta(hours=24 + LAP_HOURS[1]), end_of_dep)
        lap_start = (day + pd.Timedelta(hours=LAP_HOURS[0])).timestamp()
        lap_end = night_end.timestamp()
        n_cars = int(rng.integers(2, 4))
        passes = []
        for car in range(n_cars):  # a handful of cars per night
            gaps = rng.uniform(360, 840, 40)
            t = lap_start + rng.uniform(0, 600) + np.concatenate([[0.0], np.cumsum(gaps)])
            t = t[t < lap_end]
            length = round(float(rng.uniform(4.3, 4.9)), 1)
            t_all.append(t)
            d_all.append(np.full(len(t), car % 2 + 1, dtype=np.int8))
            v_all.append(np.round(rng.uniform(75, 100, len(t)), 1))
            l_all.append(np.full(len(t), length))
            c_all.append(np.full(len(t), cls_pb, dtype=np.int8))
            passes.append(len(t))
        laps.append({"night": day.date().isoformat(), "weekday": int(day.day_of_week + 1),
                     "cars": n_cars, "passes": int(sum(passes)),
                     "start": pd.Timestamp(lap_start, unit="s", tz="UTC").isoformat(),
                     "end": pd.Timestamp(lap_end, unit="s", tz="UTC").isoformat(),
                     "speed_min": 75.0, "speed_max": 100.0})
        g_start = (day + pd.Timedelta(hours=GROUP_HOURS[0])).timestamp()
        g_end = min(day + pd.Timedelta(hours=24 + GROUP_HOURS[1]), end_of_dep).timestamp()
        n_groups = int(rng.integers(4, 8))
        starts = np.sort(rng.uniform(g_start, g_end - 60, n_groups))
        for s in starts:
            size = int(rng.integers(3, 7))
            t = s + np.concatenate([[0.0], np.cumsum(rng.uniform(1.3, 2.8, size - 1))])
            moped = rng.random() < 0.4
            direction = int(rng.integers(1, 3))
            t_all.append(t)
            d_all.append(np.full(size, direction, dtype=np.int8))
            v_all.append(np.round(rng.uniform(28, 32, size), 1))
            l_all.append(np.round(rng.uniform(1.7, 1.9, size) if moped
                                  else rng.uniform(3.6, 4.2, size), 1))
            c_all.append(np.full(size, cls_moped if moped else cls_pb, dtype=np.int8))
            groups.append({"night": day.date().isoformat(), "weekday": int(day.day_of_week + 1),
                           "start": pd.Timestamp(s, unit="s", tz="UTC").isoformat(),
                           "size": size, "direction": str(direction),
                           "kind": "moped" if moped else "A-traktor"})
    planted = {"t": np.concatenate(t_all), "dir": np.concatenate(d_all),
               "speed": np.concatenate(v_all), "length": np.concatenate(l_all),
               "cls": np.concatenate(c_all)}
    return planted, laps, groups


def simulate_deployment(dep: Deployment, rng: np.random.Generator) -> tuple[pd.DataFrame, dict]:
    """Simulate all vehicles of one deployment.

    Returns
    -------
    tuple
        Canonical vehicles (sorted by site and time, ``source`` = ``counters/<file>``)
        and a dict of what was planted (``laps``, ``groups``).
    """
    parts: list[dict[str, np.ndarray]] = []
    planted_info: dict = {}
    for site_id in dep.sites:
        site = SITE[site_id]
        v = _normal_traffic(site, dep, rng)
        if site_id == RECKLESS_SITE and dep.purpose == "buskörning":
            extra, laps, groups = _reckless(dep, rng)
            v = {k: np.concatenate([v[k], extra[k]]) for k in v}
            planted_info = {"laps": laps, "groups": groups}
        v["site"] = np.full(len(v["t"]), len(parts), dtype=np.int32)
        parts.append(v)
    merged = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    frame = traffic.vehicles_frame(merged["site"], list(dep.sites), merged["t"], merged["dir"],
                                   merged["speed"], merged["length"], merged["cls"],
                                   f"counters/{dep.file}")
    return frame.drop(columns="line"), planted_info


def deployment_bounds(dep: Deployment) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Local start and end (exclusive) of a deployment."""
    start = pd.Timestamp(dep.start, tz=TZ)
    return start, start + pd.Timedelta(days=dep.days)


def new_rng() -> np.random.Generator:
    """Return the scenario's random generator (fixed seed)."""
    return np.random.default_rng(SEED)
