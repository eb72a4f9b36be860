"""Which counter data the flags use: per site the newest deployment, recent, after any measure.

A *deployment* is one stay of a counter at a site: its days with data with no
gap longer than ``gap_days`` between them and no built measure in between.
Flags describe a street as it is now, so for each site they use only

* data no older than ``stale_months`` before the newest data of the folder
  (older data counts as missing, as in the measurement planner);
* data from after the newest measure built at the site (a measure changes the
  street: the speeds before it describe a street that is no longer there);
* of what is left, the newest deployment: an earlier one, of another season
  or year, is never pooled with it.

:func:`deployments` lists every deployment with ``used`` and, when it is not
used, why (``why``: ``older_deployment``, ``stale`` or ``before_measure``);
:func:`select_for_flags` keeps the rows of the used ones. The report shows the
list, so a reader sees what the flags rest on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from trafikplan.columns import table_rows

if TYPE_CHECKING:
    from trafikplan.io.store.tables import Tables

__all__ = [
    "DEPLOYMENT_COLUMNS",
    "WHY",
    "deployment_index",
    "deployments",
    "deployments_of",
    "select_for_flags",
]

DEPLOYMENT_COLUMNS = ("site_id", "deployment", "first", "last", "days", "vehicles", "binned",
                      "directions", "used", "why", "measure_id")
"""Columns of :func:`deployments` (see there)."""

WHY = ("used", "older_deployment", "stale", "before_measure")
"""Values of ``why``: the deployment is used, or why it is not."""

_NS_PER_DAY = 86_400 * 1_000_000_000


def _days(times: pd.Series, tz: str) -> np.ndarray:
    """Local day number of each tz-aware time [days since 1970-01-01]."""
    local = times.dt.tz_convert(tz).dt.tz_localize(None)
    return local.dt.as_unit("ns").array.asi8 // _NS_PER_DAY


def _join(labels: pd.Series) -> str:
    """``;``-join the distinct labels of ``;``-joined texts, sorted."""
    return ";".join(sorted({x for text in labels for x in str(text).split(";") if x}))


def _per_day(site: pd.Series, start: pd.Series, end: pd.Series, direction: pd.Series,
             count: pd.Series | None, tz: str) -> pd.DataFrame:
    """Per site and local day: first start, last end, records, vehicles counted, directions.

    Grouped on integer keys (site code and day in one int64), so a table of
    millions of vehicles takes a fraction of a second.
    """
    sites = pd.Categorical(site.astype("string") if not isinstance(
        site.dtype, pd.CategoricalDtype) else site)
    dirs = (direction.array if isinstance(direction.dtype, pd.CategoricalDtype)
            else pd.Categorical(direction.astype("string")))
    day = _days(start, tz)
    key = sites.codes.astype(np.int64) << 24 | (day - day.min())
    t0 = start.dt.tz_convert("UTC").dt.as_unit("ns").array.asi8
    t1 = end.dt.tz_convert("UTC").dt.as_unit("ns").array.asi8
    g = pd.DataFrame({"key": key, "t0": t0, "t1": t1,
                      "n": np.ones(len(key), dtype=np.int64) if count is None else 0,
                      "b": 0 if count is None else count.fillna(0).to_numpy(np.int64)}
                     ).groupby("key", sort=True).agg(t0=("t0", "min"), t1=("t1", "max"),
                                                     vehicles=("n", "sum"), binned=("b", "sum"))
    pairs = np.unique(key * 1024 + dirs.codes.astype(np.int64) + 1)
    labels = np.asarray([*dirs.categories.astype(str).tolist(), ""], dtype=object)
    per_key = pd.Series(labels[(pairs % 1024) - 1], index=pairs // 1024).groupby(level=0).agg(
        lambda d: ";".join(sorted(set(d) - {""})))
    keys = g.index.to_numpy()
    cats = np.asarray(sites.categories.astype(str), dtype=object)
    return pd.DataFrame({
        "site_id": cats[keys >> 24], "day": (keys & ((1 << 24) - 1)) + day.min(),
        "t0": pd.to_datetime(g["t0"].to_numpy()), "t1": pd.to_datetime(g["t1"].to_numpy()),
        "vehicles": g["vehicles"].to_numpy(), "binned": g["binned"].to_numpy(),
        "directions": per_key.reindex(keys).fillna("").to_numpy()})


def deployments(
    vehicles: pd.DataFrame,
    bins: pd.DataFrame | None,
    *,
    measures: pd.DataFrame | None = None,
    stale_months: int = 24,
    gap_days: int = 7,
    now: pd.Timestamp | None = None,
    tz: str = "Europe/Stockholm",
) -> pd.DataFrame:
    """Split each site's counter data into deployments and say which the flags use.

    Parameters
    ----------
    vehicles : DataFrame
        Canonical vehicles (``site_id, time, direction``).
    bins : DataFrame
        Canonical bins (``site_id, start, end, direction, count``).
    measures : DataFrame, optional
        ``measures.csv`` as read by :func:`trafikplan.io.user_tables.measures.read_measures`
        (``measure_id, site_id, built``; ``built`` a local date or None).
    stale_months : int [months]
        Data whose deployment ended longer ago than this before ``now`` is stale.
    gap_days : int [days]
        A longer gap between two days with data starts a new deployment.
    now : Timestamp, optional
        Reference time [UTC]; default the newest data (vehicle time or bin end).
    tz : str
        Time zone of the measures' ``built`` dates.

    Returns
    -------
    DataFrame
        One row per site and deployment, in site and time order:
        ``site_id`` (str), ``deployment`` (int, 1 = the site's first),
        ``first, last`` (UTC, first vehicle / bin start and last vehicle /
        bin end), ``days`` (days with data), ``vehicles`` (per-vehicle
        records), ``binned`` (vehicles counted in bins), ``directions``
        (the files' labels, ``;``-joined), ``used`` (bool), ``why`` (one of
        :data:`WHY`), ``measure_id`` (the measure a ``before_measure``
        deployment precedes, else None).
    """
    parts = [_per_day(vehicles["site_id"], vehicles["time"], vehicles["time"],
                      vehicles["direction"], None, tz) if len(vehicles) else None,
             _per_day(bins["site_id"], bins["start"], bins["end"], bins["direction"],
                      bins["count"], tz) if bins is not None and len(bins) else None]
    parts = [p for p in parts if p is not None]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in DEPLOYMENT_COLUMNS})
    both = pd.concat(parts, ignore_index=True)
    per_day = (both.groupby(["site_id", "day"], sort=True)
               .agg(t0=("t0", "min"), t1=("t1", "max"), vehicles=("vehicles", "sum"),
                    binned=("binned", "sum"), directions=("directions", _join))
               .reset_index())
    now = (per_day["t1"].max().tz_localize("UTC") if now is None
           else pd.Timestamp(now).tz_convert("UTC"))
    built = _built_days(measures, tz, now)
    # a new deployment: a new site, a gap, or a measure built since the day before
    prev_site = per_day["site_id"].shift()
    prev_day = per_day["day"].shift()
    new = (per_day["site_id"] != prev_site) | (per_day["day"] - prev_day > gap_days)
    for r in table_rows(built):
        at = (per_day["site_id"] == r.site_id) & (prev_day < r.day) & (per_day["day"] >= r.day)
        new |= at.to_numpy()
    per_day["deployment"] = new.astype(int).groupby(per_day["site_id"]).cumsum()
    out = (per_day.groupby(["site_id", "deployment"], sort=True)
           .agg(first=("t0", "min"), last=("t1", "max"), days=("day", "size"),
                vehicles=("vehicles", "sum"), binned=("binned", "sum"),
                directions=("directions", _join),
                last_day=("day", "max"))
           .reset_index())
    out["first"] = out["first"].dt.tz_localize("UTC")
    out["last"] = out["last"].dt.tz_localize("UTC")
    out["why"] = "older_deployment"
    out["measure_id"] = None
    for r in table_rows(built):
        before = (out["site_id"] == r.site_id) & (out["last_day"] < r.day)
        out.loc[before & (out["why"] == "older_deployment"), "measure_id"] = r.measure_id
        out.loc[before, "why"] = "before_measure"
    stale_cut = now - pd.DateOffset(months=stale_months)
    out.loc[(out["why"] == "older_deployment") & (out["last"] < stale_cut), "why"] = "stale"
    candidates = out.loc[out["why"] == "older_deployment"]
    newest = candidates.groupby("site_id")["deployment"].transform("max")
    out.loc[candidates.index[candidates["deployment"] == newest], "why"] = "used"
    out["used"] = out["why"] == "used"
    return out[list(DEPLOYMENT_COLUMNS)]


def _built_days(measures: pd.DataFrame | None, tz: str, now: pd.Timestamp) -> pd.DataFrame:
    """``site_id, measure_id, day``: measures built by ``now``, newest last [local day]."""
    empty = pd.DataFrame({"site_id": [], "measure_id": [], "day": []})
    if measures is None or measures.empty:
        return empty
    m = measures.loc[measures["built"].notna() & measures["site_id"].notna()]
    if m.empty:
        return empty
    start = pd.to_datetime(m["built"].astype(str)).dt.tz_localize(tz)
    keep = (start <= now).to_numpy()
    out = pd.DataFrame({"site_id": m["site_id"].astype(str).to_numpy()[keep],
                        "measure_id": m["measure_id"].astype(str).to_numpy()[keep],
                        "day": _days(start[keep], tz)})
    return out.sort_values("day", kind="stable", ignore_index=True)


def select_for_flags(vehicles: pd.DataFrame, bins: pd.DataFrame,
                     deps: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keep the vehicles and bins of the used deployments of :func:`deployments`.

    A row belongs to a deployment when its site matches and its time (a bin's
    start) lies within the deployment's ``first`` to ``last``.

    Returns
    -------
    tuple of DataFrame
        ``(vehicles, bins)``, same columns, only rows of used deployments.
    """
    used = deps.loc[deps["used"].astype(bool)]
    return (_within(vehicles, "time", used), _within(bins, "start", used))


def deployment_index(table: pd.DataFrame, col: str, deps: pd.DataFrame) -> np.ndarray:
    """Return for each row of ``table`` the position in ``deps`` of its deployment (-1: none).

    A row belongs to a deployment when its site matches and its time ``col``
    lies within the deployment's ``first`` to ``last``. Vectorised: one sort
    of the deployments by (site, first) and one ``searchsorted``.
    """
    if table.empty or deps.empty:
        return np.full(len(table), -1, dtype=np.int64)
    sites = pd.Categorical(table["site_id"].astype("string") if not isinstance(
        table["site_id"].dtype, pd.CategoricalDtype) else table["site_id"])
    dep_site = pd.Index(sites.categories.astype(str)).get_indexer(deps["site_id"].astype(str))
    first = deps["first"].dt.as_unit("ns").array.asi8
    last = deps["last"].dt.as_unit("ns").array.asi8
    t = table[col].dt.tz_convert("UTC").dt.as_unit("ns").array.asi8
    sec = 1_000_000_000
    base = min(int(t.min()), int(first.min())) // sec
    block = np.int64(1) << 36  # [s]: two thousand years per site
    order = np.argsort(dep_site * block + (first // sec - base), kind="stable")
    lo = (dep_site * block + (first // sec - base))[order]
    key = sites.codes.astype(np.int64) * block + (t // sec - base)
    i = np.searchsorted(lo, key, side="right") - 1
    pos = order[np.maximum(i, 0)]
    ok = ((i >= 0) & (sites.codes >= 0) & (dep_site[pos] == sites.codes)
          & (t <= last[pos]))
    return np.where(ok, pos, -1)


def _within(table: pd.DataFrame, col: str, used: pd.DataFrame) -> pd.DataFrame:
    if table.empty:
        return table
    return table.loc[deployment_index(table, col, used.reset_index(drop=True)) >= 0]


def deployments_of(tables: Tables) -> pd.DataFrame:
    """Return :func:`deployments` of a loaded data folder (its ``measures.csv`` and settings)."""
    from pathlib import Path

    folder = getattr(tables, "data_dir", None)
    path = Path(folder) / "measures.csv" if folder is not None else None
    measures = None
    if path is not None and path.is_file():
        from trafikplan.io.user_tables.measures import read_measures

        measures = read_measures(path)
    s = tables.settings
    return deployments(tables.vehicles, tables.bins, measures=measures,
                       stale_months=s.measurements.stale_months, tz=s.timezone)
