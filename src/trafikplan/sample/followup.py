"""Follow-up of the Köping sample: what the police's checks found, and speeds after them.

Added to the sample for learning from check outcomes (issue 11), with its own
random generator (:data:`SEED`), after everything else is drawn, so the rest
of the sample keeps its bytes:

- ``checks_done/kontroller_2024_uppfoljning.csv``: :data:`CHECKS` -- a few
  dozen completed checks over 2024 at several sites, each with vehicles
  checked and violations drawn from a true violation rate per site and time
  (:data:`TRUE_RATE`); one check spot, :data:`NEVER_CHECKED` (Pungbovägen),
  is never checked;
- two radar deployments (:data:`DEPLOYMENTS`), each three weeks before and
  eight days after one of those checks (:data:`HALO_CHECKS`), with the known
  time halo of :data:`trafikplan.sample.koping.HALO_KMH` planted after the
  check: -4 km/h in the 24 hours after its end, -2 km/h in the next 24 hours
  (hours whose start lies in the window; checks end on the hour).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from trafikplan.sample import koping, layouts, traffic
from trafikplan.sample.koping import HALO_KMH, SITE, TZ, Deployment

__all__ = [
    "CHECKS",
    "DEPLOYMENTS",
    "FILE",
    "HALO_CHECKS",
    "NEVER_CHECKED",
    "SEED",
    "TRUE_RATE",
    "write_followup",
]

SEED = 20241111
"""Seed of the follow-up's own random generator."""

FILE = "checks_done/kontroller_2024_uppfoljning.csv"
"""The follow-up's check records, relative to the data folder."""

NEVER_CHECKED = "K16"
"""A check spot no check ever visited (its evidence is thin)."""

DEPLOYMENTS: tuple[Deployment, ...] = (
    Deployment(("K09",), "A", "2024-01-08", 29, "K09_Ostanasgatan_2024-01-08.csv.gz", "halo"),
    Deployment(("K19",), "A", "2024-02-05", 29, "K19_Vasterasvagen_2024-02-05.csv.gz", "halo"),
)
"""Radar deployments around a check (three weeks before it, eight days after)."""

HALO_CHECKS = (
    # team, local start, minutes, site
    ("Ingripande Köping 2", "2024-01-29 14:00", 120, "K09"),
    ("Trafikgruppen Västmanland", "2024-02-26 13:00", 120, "K19"),
)
"""Checks inside :data:`DEPLOYMENTS` whose halo is planted in the counter data."""

_TEAMS = ("Ingripande Köping 1", "Ingripande Köping 2", "Trafikgruppen Västmanland")

# site, local start, minutes: before the roster (2024-11-04), outside every counter
# deployment at that site
_OTHER_CHECKS = (
    ("K04", "2024-02-13 19:00", 90), ("K05", "2024-02-16 21:00", 120),
    ("K02", "2024-02-23 22:00", 90), ("P01", "2024-03-08 20:00", 90),
    ("K17", "2024-03-12 10:00", 60), ("K04", "2024-03-19 20:00", 90),
    ("K11", "2024-03-21 15:00", 60), ("K05", "2024-04-06 22:00", 90),
    ("P02", "2024-04-09 09:00", 60), ("K02", "2024-04-26 23:00", 90),
    ("K15", "2024-05-02 16:00", 60), ("K04", "2024-06-04 21:00", 90),
    ("K19", "2024-06-12 07:00", 90), ("K05", "2024-06-15 00:00", 90),
    ("K09", "2024-07-02 13:00", 60), ("P01", "2024-07-12 21:00", 120),
    ("K17", "2024-08-13 08:00", 60), ("K02", "2024-08-24 22:00", 120),
    ("K05", "2024-09-07 21:00", 90), ("K11", "2024-09-10 11:00", 60),
    ("K04", "2024-09-24 19:00", 90), ("K15", "2024-10-01 15:00", 90),
    ("K19", "2024-10-29 16:00", 60), ("P02", "2024-10-15 18:00", 60),
    ("K05", "2024-10-18 22:00", 90), ("K02", "2024-11-01 23:00", 90),
)

CHECKS = tuple(sorted(
    [(team, start, minutes, site) for team, start, minutes, site in HALO_CHECKS]
    + [(_TEAMS[i % 3], start, minutes, site)
       for i, (site, start, minutes) in enumerate(_OTHER_CHECKS)],
    key=lambda c: (c[1], c[3])))
"""All follow-up checks: team, local start, minutes, site."""

TRUE_RATE = {"K02": 0.10, "K04": 0.16, "K05": 0.22, "P01": 0.12, "K19": 0.06, "K09": 0.05,
             "K11": 0.04, "K15": 0.05, "K17": 0.03, "P02": 0.08}
"""True share of checked vehicles over the limit per site (the police's tolerance
applied) [share]; checks in the evening (19-02) at K04 and K05 see this rate."""

_DAY_FACTOR = 0.5
"""Daytime checks at K04 and K05 see this share of their evening rate."""


def _simulate(dep: Deployment, rng: np.random.Generator) -> pd.DataFrame:
    """Vehicles of one deployment with the halo after its checks planted."""
    site = SITE[dep.sites[0]]
    plan = koping._hourly_plan(site, dep)
    hour_s = plan["hour_start"].to_numpy()
    shift = plan["shift"].to_numpy().copy()
    for _, start_text, minutes, site_id in HALO_CHECKS:
        if site_id != site.site_id:
            continue
        end = (pd.Timestamp(start_text, tz=TZ) + pd.Timedelta(minutes=minutes)).timestamp()
        for lo, hi, kmh in HALO_KMH:
            shift += np.where((hour_s >= end + lo * 3600) & (hour_s < end + hi * 3600), kmh, 0.0)
    t_all, d_all, hod, sh = [], [], [], []
    for direction in (1, 2):
        counts = rng.poisson(plan["volume"].to_numpy())
        t = traffic.spread_in_hours(counts, hour_s, rng)
        t_all.append(t)
        d_all.append(np.full(len(t), direction, dtype=np.int8))
        hod.append(np.repeat(plan["hour_of_day"].to_numpy(), counts))
        sh.append(np.repeat(shift, counts))
    t = np.concatenate(t_all)
    cls = traffic.draw_classes(len(t), site.mix, rng)
    speed = traffic.draw_speeds(cls, np.full(len(t), float(site.speed_limit)),
                                np.concatenate(hod), rng, shift=np.concatenate(sh))
    frame = traffic.vehicles_frame(np.zeros(len(t), dtype=np.int32), [site.site_id], t,
                                   np.concatenate(d_all), speed, traffic.draw_lengths(cls, rng),
                                   cls, f"counters/{dep.file}")
    return frame.drop(columns="line")


def _outcomes(rng: np.random.Generator) -> list[dict[str, Any]]:
    rows = []
    for team, start_text, minutes, site_id in CHECKS:
        start = pd.Timestamp(start_text, tz=TZ)
        end = start + pd.Timedelta(minutes=minutes)
        evening = start.hour >= 19 or start.hour < 2
        rate = TRUE_RATE[site_id] * (1.0 if evening or site_id not in ("K04", "K05")
                                     else _DAY_FACTOR)
        checked = int(rng.poisson(45 * minutes / 60)) + 10
        violations = int(rng.binomial(checked, rate))
        limit = SITE[site_id].speed_limit
        vmax = (round(float(limit + 8 + rng.gamma(2.0, 6.0)), 0) if violations
                else round(float(limit - rng.uniform(1, 6)), 0))
        rows.append({"team": team, "start": start.isoformat(), "end": end.isoformat(),
                     "site_id": site_id, "vehicles_checked": checked, "violations": violations,
                     "max_speed": int(vmax), "fines": violations - violations // 4,
                     "warnings": violations // 4, "notes": "Laserkontroll",
                     "true_rate": rate})
    return rows


def write_followup(data_dir: Path | str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Write the follow-up's check records and counter files into ``data_dir``.

    Parameters
    ----------
    data_dir : Path or str
        The sample data folder (``checks_done/`` and ``counters/`` exist).

    Returns
    -------
    files : dict
        Expected entries of the new counter files (as ``expected["files"]``).
    expected : dict
        ``file``, ``checks`` (with ``true_rate``), ``never_checked``,
        ``true_rate``, ``halo_checks``, ``halo_files``, ``halo_kmh``.
    """
    data_dir = Path(data_dir)
    rng = np.random.default_rng(SEED)
    checks = _outcomes(rng)
    table = pd.DataFrame(checks).drop(columns="true_rate")
    (data_dir / FILE).write_text(table.to_csv(index=False, lineterminator="\n"),
                                 encoding="utf-8")
    files: dict[str, Any] = {}
    for dep in DEPLOYMENTS:
        vehicles = _simulate(dep, rng)
        site = SITE[dep.sites[0]]
        rel = f"counters/{dep.file}"
        meta = {"site_id": site.site_id, "name": f"{site.street} {site.section}",
                "direction_1": "Mot centrum", "direction_2": "Från centrum",
                "equipment": "Radar SR-4 (serienr 40119)"}
        layouts.write_se_radar(vehicles, data_dir / rel, meta, tz=TZ)
        start, end = koping.deployment_bounds(dep)
        files[rel] = {"layout": "A", "sites": list(dep.sites), "start": start.isoformat(),
                      "end": end.isoformat(), "purpose": dep.purpose, "rejects": [],
                      "profile": "se_radar", "kind": "vehicles", "vehicles": len(vehicles),
                      "data_rows": len(vehicles), "header_lines": 6,
                      "vehicles_by_site": {site.site_id: len(vehicles)}}
    halo_checks = []
    for team, start_text, minutes, site_id in HALO_CHECKS:
        start = pd.Timestamp(start_text, tz=TZ)
        dep = next(d for d in DEPLOYMENTS if site_id in d.sites)
        halo_checks.append({"team": team, "site_id": site_id, "start": start.isoformat(),
                            "end": (start + pd.Timedelta(minutes=minutes)).isoformat(),
                            "file": f"counters/{dep.file}"})
    expected = {
        "file": FILE,
        "checks": checks,
        "never_checked": NEVER_CHECKED,
        "true_rate": dict(sorted(TRUE_RATE.items())),
        "halo_checks": halo_checks,
        "halo_files": sorted(files),
        "halo_kmh": [{"from_hours": lo, "to_hours": hi, "mean_change_kmh": kmh}
                     for lo, hi, kmh in HALO_KMH],
    }
    return files, expected
