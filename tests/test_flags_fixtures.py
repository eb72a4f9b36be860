"""Small realistic vehicle tables for the flags tests, with planted patterns.

Importable from the other flags test modules (pytest puts tests/ on sys.path).
The normal traffic is a Poisson arrival process per site, direction and local
hour with a minimum headway of 1.2 s, busier by day than at night, and normal
speeds around a mean that fits the limit (46 km/h on a 50 road).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

TZ = "Europe/Stockholm"
MEAN_BY_LIMIT = {30: 31.0, 40: 38.5, 50: 46.0, 60: 56.0, 70: 66.0}
MIN_HEADWAY_S = 1.2


def traffic(
    site_id: str = "K01",
    limit: float = 50.0,
    *,
    start: str = "2024-04-01",
    days: int = 28,
    day_rate: float = 120.0,
    night_rate: float = 12.0,
    mean: float | None = None,
    sd: float = 7.0,
    seed: int = 0,
) -> pd.DataFrame:
    """Normal traffic: vehicles per hour and direction ``day_rate`` (06-21) or ``night_rate``."""
    rng = np.random.default_rng(seed)
    hours = pd.date_range(pd.Timestamp(start, tz=TZ), periods=days * 24, freq="h")
    hours = hours[hours < pd.Timestamp(start, tz=TZ) + pd.Timedelta(days=days)]
    hod = hours.hour.to_numpy()
    rate = np.where((hod >= 6) & (hod <= 21), day_rate, night_rate)
    rows = []
    for direction in ("1", "2"):
        n = rng.poisson(rate)
        idx = np.repeat(np.arange(len(hours)), n)
        k = np.concatenate([np.arange(c) for c in n]) if n.sum() else np.array([], int)
        span = np.maximum(3600.0 - n * MIN_HEADWAY_S, 1.0)[idx]
        u = rng.uniform(0.0, 1.0, len(idx)) * span
        frame = pd.DataFrame({"h": idx, "u": u})
        frame = frame.sort_values(["h", "u"], kind="stable")
        offs = frame["u"].to_numpy() + k * MIN_HEADWAY_S
        t = hours.tz_convert("UTC")[frame["h"].to_numpy()] + pd.to_timedelta(offs, unit="s")
        rows.append(pd.DataFrame({"time": t, "direction": direction}))
    v = pd.concat(rows, ignore_index=True)
    mu = MEAN_BY_LIMIT.get(int(limit), limit - 4) if mean is None else mean
    v["speed"] = np.round(np.clip(rng.normal(mu, sd, len(v)), 5.0, None), 1)
    v["site_id"] = site_id
    v["vehicle_class"] = "car"
    return finish(v)


def add(v: pd.DataFrame, site_id: str, local_times: list[str] | pd.DatetimeIndex,
        speed: float | list[float], *, direction: str = "1",
        vehicle_class: str = "car") -> pd.DataFrame:
    """Add passes at local wall-clock times (strings like ``2024-04-05 22:10:00``)."""
    t = pd.DatetimeIndex(pd.to_datetime(list(local_times))).tz_localize(TZ).tz_convert("UTC")
    extra = pd.DataFrame({
        "time": t, "direction": direction, "speed": speed, "site_id": site_id,
        "vehicle_class": vehicle_class,
    })
    return finish(pd.concat([v.drop(columns=["headway", "length", "source", "line"]), extra],
                            ignore_index=True))


def finish(v: pd.DataFrame) -> pd.DataFrame:
    """Sort, compute headways per site and direction, and give canonical dtypes."""
    v = v.sort_values(["site_id", "direction", "time"], kind="stable", ignore_index=True)
    same = (v["site_id"] == v["site_id"].shift()) & (v["direction"] == v["direction"].shift())
    gap = v["time"].diff().dt.total_seconds()
    v["headway"] = gap.where(same)
    v["length"] = np.nan
    v["source"] = "test"
    v["line"] = np.arange(2, len(v) + 2, dtype="int64")
    v = v.sort_values(["site_id", "time"], kind="stable", ignore_index=True)
    out = pd.DataFrame({
        "site_id": v["site_id"].astype("string"),
        "time": pd.to_datetime(v["time"], utc=True).astype("datetime64[ns, UTC]"),
        "direction": v["direction"].astype("string"),
        "speed": v["speed"].astype(float),
        "length": v["length"].astype(float),
        "headway": v["headway"].astype(float),
        "vehicle_class": v["vehicle_class"].astype("string"),
        "source": v["source"].astype("string"),
        "line": v["line"],
    })
    return out


def sites(*rows: tuple[str, str, float, str]) -> pd.DataFrame:
    """Sites table from ``(site_id, street, speed_limit, area)`` tuples."""
    df = pd.DataFrame(rows, columns=["site_id", "street", "speed_limit", "area"])
    n = len(df)
    return pd.DataFrame({
        "site_id": df["site_id"].astype("string"),
        "street": df["street"].astype("string"),
        "section": pd.Series([""] * n, dtype="string"),
        "lat": 59.51 + 0.002 * np.arange(n),
        "lon": np.full(n, 15.99),
        "speed_limit": df["speed_limit"].astype(float),
        "area": df["area"].astype("string"),
        "check_spot": np.ones(n, dtype=bool),
    })


def reports(*rows: tuple[str, str, str, str | None]) -> pd.DataFrame:
    """Reports table from ``(local time, category, street, site_id)`` tuples."""
    df = pd.DataFrame(rows, columns=["time", "category", "street", "site_id"])
    n = len(df)
    t = pd.DatetimeIndex(pd.to_datetime(df["time"])).tz_localize(TZ).tz_convert("UTC")
    return pd.DataFrame({
        "report_id": pd.Series([f"E-{1000 + i}" for i in range(n)], dtype="string"),
        "time": pd.Series(t, dtype="datetime64[ns, UTC]"),
        "category": df["category"].astype("string"),
        "category_raw": df["category"].astype("string"),
        "street": df["street"].astype("string"),
        "site_id": df["site_id"].astype("string"),
        "lat": np.full(n, np.nan),
        "lon": np.full(n, np.nan),
        "text": pd.Series([""] * n, dtype="string"),
        "source": pd.Series(["embrace/test.csv"] * n, dtype="string"),
    })


def fridays(start: str = "2024-04-05", weeks: int = 4) -> list[pd.Timestamp]:
    """Local dates of ``weeks`` Fridays from ``start`` (a Friday)."""
    return [pd.Timestamp(start) + pd.Timedelta(weeks=w) for w in range(weeks)]
