"""Candidates for counter deployments, each with an explainable priority.

One candidate per site (or, for a street with reports but no counter site,
per street). Every purpose that applies adds a reason; the candidate's
``purpose`` is the one with the highest priority. Only what was known on the
first day of the plan counts: data, reports and measures dated from ``start``
on are ignored (so a plan can be re-made for a past date).

Purposes and priority points (documented formula; a focus street gets no
extra points: it is marked, never scored higher by fiat):

``after`` — 100
    A measure built at least ``after_weeks`` weeks before the latest possible
    install day, and no data at its site since ``built + after_weeks``. Earliest
    install ``built + after_weeks``. The counter kind that made the before
    measurement is preferred (per-vehicle data -> ``radar``, binned counts ->
    ``tube``): like is compared with like. Preferred install days: the ISO weeks
    of the year and the weekday on which the before measurement started.
``before`` — 90
    A measure planned but not built (``built`` empty or after ``start``) whose
    site has no data from the last ``before_max_age_months`` months. Latest
    removal: the day before ``built`` (when known).
``tip`` — 40 + 5 per report, at most 80
    A street with Embrace reports of category speeding, reckless or noise in
    the last ``stale_months`` months, and no measurement on the street within
    ``stale_months`` (also the flags table's ``measure_here`` rows). The site
    is the street's site with the most matched reports, or none (a new site:
    the crew picks the spot). ``radar`` preferred when reports are about
    reckless driving or noise (individual speeds and headways show laps and
    groups; a tube gives the same per-vehicle data only when it is not run
    over by cars doing laps at night).
``uncertain`` — 30 + 1 per 6 site-hours (rounded), at most 60
    Site-hours of the flags table, not flagged, whose interval straddles its
    threshold (V85 interval containing limit + ``v85_margin_kmh``, or the
    share-over-limit interval containing ``share_over_limit_min``): more data
    decides them. Only sites with data within ``stale_months`` (older data
    makes a site ``stale`` instead).
``stale`` — 20 + 1 per month beyond ``stale_months``, at most 40
    A site whose newest data is older than ``stale_months`` months.

Each further purpose of the same candidate adds 10 points.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from trafikplan.columns import table_rows
from trafikplan.settings import FlagSettings, MeasurementSettings

CANDIDATE_COLUMNS = (
    "candidate_id", "site_id", "street", "purpose", "purposes", "priority", "earliest",
    "latest", "counter_kind", "prefer_weeks", "prefer_weekday", "measure_id", "reason",
)
"""Columns of :func:`build_candidates`."""

PURPOSES = ("after", "before", "tip", "uncertain", "stale")
"""Purposes, highest base priority first."""

REPORT_TIP_CATEGORIES = ("speeding", "reckless", "noise")
"""Report categories that make a street a tip."""

_CAT_SV = {"speeding": "hastighet", "reckless": "buskörning", "noise": "buller"}


def _key(s: pd.Series) -> pd.Series:
    return s.astype("string").str.strip().str.replace(r"\s+", " ", regex=True).str.casefold()


def _local_day(times: pd.Series, tz: str) -> pd.Series:
    return times.dt.tz_convert(tz).dt.tz_localize(None).dt.normalize()


def _newest_data(vehicles: pd.DataFrame, bins: pd.DataFrame | None, start_utc: pd.Timestamp,
                 tz: str) -> pd.DataFrame:
    """Per site: newest and oldest local day of data before ``start`` and its basis."""
    parts = []
    if vehicles is not None and len(vehicles):
        v = vehicles.loc[vehicles["time"] < start_utc, ["site_id", "time"]]
        parts.append(v.assign(basis="vehicles"))
    if bins is not None and len(bins):
        b = bins.loc[bins["start"] < start_utc, ["site_id", "start"]].rename(
            columns={"start": "time"})
        parts.append(b.assign(basis="bins"))
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame({"site_id": pd.Series(dtype=object),
                             "newest": pd.Series(dtype="datetime64[ns]"),
                             "basis": pd.Series(dtype=object)})
    df = pd.concat(parts, ignore_index=True)
    df["site_id"] = df["site_id"].astype(object)
    g = df.groupby(["site_id", "basis"], observed=True)["time"].max().reset_index()
    g = g.sort_values("time").drop_duplicates("site_id", keep="last")
    g["newest"] = _local_day(g["time"], tz)
    return g[["site_id", "newest", "basis"]]


def _dates_text(d: pd.Timestamp | dt.date) -> str:
    return pd.Timestamp(d).strftime("%Y-%m-%d")


def build_candidates(
    sites: pd.DataFrame,
    vehicles: pd.DataFrame,
    reports: pd.DataFrame | None,
    measures: pd.DataFrame | None,
    *,
    start: dt.date,
    weeks: int,
    settings: MeasurementSettings,
    flags: pd.DataFrame | None = None,
    flag_settings: FlagSettings | None = None,
    bins: pd.DataFrame | None = None,
    tz: str = "Europe/Stockholm",
    language: str = "sv",
) -> pd.DataFrame:
    """Collect the candidates for a measurement plan starting on ``start``.

    Parameters
    ----------
    sites : DataFrame
        Canonical sites table (``site_id, street``).
    vehicles : DataFrame
        Canonical vehicles table (``site_id, time`` [UTC]).
    reports : DataFrame or None
        Canonical reports table (``time`` [UTC], ``category, street, site_id``).
    measures : DataFrame or None
        From :func:`trafikplan.io.user_tables.measures.read_measures`.
    start : datetime.date
        First local day of the plan; only what happened before it counts.
    weeks : int [weeks]
        Length of the plan.
    settings : MeasurementSettings
        ``after_weeks, stale_months, before_max_age_months, min_days``.
    flags : DataFrame, optional
        The flags table (contract in DESIGN.md; computed from data before ``start``).
    flag_settings : FlagSettings, optional
        Thresholds ``v85_margin_kmh, share_over_limit_min`` for ``uncertain``.
    bins : DataFrame, optional
        Canonical bins table (``site_id, start`` [UTC]).
    tz : str
        Local time zone.
    language : str
        ``"sv"`` or ``"en"`` for the reasons.

    Returns
    -------
    DataFrame
        One row per candidate, sorted by ``priority`` (descending) then
        ``candidate_id``; columns :data:`CANDIDATE_COLUMNS`:

        * ``candidate_id`` : str, the site id, or ``street:<street>``;
        * ``site_id`` : str or None (None: a street without a counter site);
        * ``street`` : str; ``purpose`` : str (main); ``purposes`` : str, ``;``-joined;
        * ``priority`` : int [points];
        * ``earliest`` : date or None, first allowed install day;
          ``latest`` : date or None, last allowed removal day;
        * ``counter_kind`` : str, preferred kind (``radar``, ``tube``) or ``""``;
        * ``prefer_weeks`` : str, ``;``-joined ISO weeks of the year preferred
          for the install (after measurements), ``""`` if none;
          ``prefer_weekday`` : int, preferred install weekday (1 = Monday, 0 = none);
        * ``measure_id`` : str, for ``before``/``after`` (else ``""``);
        * ``reason`` : str, Swedish or English.
    """
    sv = language == "sv"
    fs = flag_settings or FlagSettings()
    start_ts = pd.Timestamp(start)
    start_utc = start_ts.tz_localize(tz).tz_convert("UTC")
    end_ts = start_ts + pd.Timedelta(days=7 * weeks - 1)
    stale_cut = start_ts - pd.DateOffset(months=settings.stale_months)
    before_cut = start_ts - pd.DateOffset(months=settings.before_max_age_months)
    sites = sites.drop_duplicates("site_id").copy()
    sites["site_id"] = sites["site_id"].astype(object)
    sites["street"] = sites["street"].astype(object)
    street_of = dict(zip(sites["site_id"], sites["street"], strict=True))
    newest = _newest_data(vehicles, bins, start_utc, tz)
    newest_of = dict(zip(newest["site_id"], newest["newest"], strict=True))
    rows: list[dict] = []

    def add(site_id: str | None, street: str, purpose: str, priority: int, reason: str,
            **extra: object) -> None:
        rows.append({"candidate_id": site_id if site_id else f"street:{street}",
                     "site_id": site_id, "street": street, "purpose": purpose,
                     "priority": int(priority), "reason": reason, **extra})

    # after / before ---------------------------------------------------------
    if measures is not None and len(measures):
        obs = _observed(vehicles, bins, start_utc, tz)
        for m in table_rows(measures):  # a handful of measures
            built = m.built if (m.built is not None and not pd.isna(m.built)) else None
            site = m.site_id
            street = street_of.get(site, m.street)
            label = f"{m.measure_id} ({m.kind})" if m.kind else str(m.measure_id)
            if built is not None and pd.Timestamp(built) < start_ts:
                first_after = pd.Timestamp(built) + pd.Timedelta(weeks=settings.after_weeks)
                if first_after + pd.Timedelta(days=settings.min_days) > end_ts:
                    continue
                site_obs = obs[obs["site_id"] == site]
                if (site_obs["day"] >= first_after).any():
                    continue
                before = site_obs[site_obs["day"] < pd.Timestamp(built)]
                if len(before):
                    last = before["day"].max()
                    campaign = before[before["day"] >= last - pd.Timedelta(days=60)]
                    first_day = campaign["day"].min()
                    weeks_iso = sorted(set(campaign["day"].dt.isocalendar().week.astype(int)))
                    kind = "tube" if (campaign["basis"] == "bins").mean() > 0.5 else "radar"
                    wk = ";".join(str(w) for w in weeks_iso)
                    wd = int(first_day.isoweekday())
                    txt = (f"Åtgärd {label} byggd {_dates_text(built)}: efter-mätning saknas; "
                           f"före-mätning {_dates_text(first_day)} (v. {wk.replace(';', ', ')}, "
                           f"{kind})" if sv else
                           f"Measure {label} built {_dates_text(built)}: no after measurement; "
                           f"before measurement {_dates_text(first_day)} (weeks "
                           f"{wk.replace(';', ', ')}, {kind})")
                else:
                    kind, wk, wd = "", "", 0
                    txt = (f"Åtgärd {label} byggd {_dates_text(built)}: efter-mätning saknas "
                           "(före-mätning saknas också)" if sv else
                           f"Measure {label} built {_dates_text(built)}: no after measurement "
                           "(no before measurement either)")
                add(site, street, "after", 100, txt, earliest=first_after.date(), latest=None,
                    counter_kind=kind, prefer_weeks=wk, prefer_weekday=wd,
                    measure_id=str(m.measure_id))
            else:
                recent = newest_of.get(site)
                if recent is not None and recent >= before_cut:
                    continue
                latest = (pd.Timestamp(built) - pd.Timedelta(days=1)).date() if built else None
                when = (f"byggs {_dates_text(built)}" if built else "byggdatum ej satt") if sv \
                    else (f"to be built {_dates_text(built)}" if built else "no build date yet")
                txt = (f"Åtgärd {label} planerad ({when}): före-mätning saknas" if sv else
                       f"Measure {label} planned ({when}): no before measurement")
                add(site, street, "before", 90, txt, earliest=None, latest=latest,
                    counter_kind="", prefer_weeks="", prefer_weekday=0,
                    measure_id=str(m.measure_id))

    # stale ------------------------------------------------------------------
    stale = newest[newest["newest"] < stale_cut]
    for r in table_rows(stale):  # sites, not data rows
        months = int((start_ts - r.newest).days // 30.44) - settings.stale_months
        newest_text = _dates_text(r.newest)
        txt = (f"senaste mätning {newest_text}, äldre än {settings.stale_months} mån" if sv
               else f"newest data {newest_text}, older than {settings.stale_months} months")
        add(r.site_id, street_of.get(r.site_id, ""), "stale",
            20 + min(20, max(months, 0)), txt, counter_kind="tube" if r.basis == "bins" else "")

    # tip --------------------------------------------------------------------
    rows += _tips(sites, reports, newest, flags, start_utc, stale_cut, settings, tz, sv)

    # uncertain --------------------------------------------------------------
    if flags is not None and len(flags):
        recent = set(newest.loc[newest["newest"] >= stale_cut, "site_id"])
        rows += _uncertain(flags[flags["site_id"].isin(recent)], fs, sv)

    return _merge(rows, sv)


def _observed(vehicles: pd.DataFrame, bins: pd.DataFrame | None, start_utc: pd.Timestamp,
              tz: str) -> pd.DataFrame:
    """Distinct (site, local day, basis) with data before ``start``."""
    parts = []
    if vehicles is not None and len(vehicles):
        v = vehicles.loc[vehicles["time"] < start_utc, ["site_id", "time"]]
        parts.append(pd.DataFrame({"site_id": v["site_id"].astype(object).to_numpy(),
                                   "day": _local_day(v["time"], tz).to_numpy(),
                                   "basis": "vehicles"}))
    if bins is not None and len(bins):
        b = bins.loc[bins["start"] < start_utc, ["site_id", "start"]]
        parts.append(pd.DataFrame({"site_id": b["site_id"].astype(object).to_numpy(),
                                   "day": _local_day(b["start"], tz).to_numpy(),
                                   "basis": "bins"}))
    if not parts:
        return pd.DataFrame({"site_id": pd.Series(dtype=object),
                             "day": pd.Series(dtype="datetime64[ns]"),
                             "basis": pd.Series(dtype=object)})
    return pd.concat(parts, ignore_index=True).drop_duplicates()


def _tips(sites: pd.DataFrame, reports: pd.DataFrame | None, newest: pd.DataFrame,
          flags: pd.DataFrame | None, start_utc: pd.Timestamp, stale_cut: pd.Timestamp,
          settings: MeasurementSettings, tz: str, sv: bool) -> list[dict]:
    """Tip candidates: reported streets without a recent measurement."""
    counts = pd.DataFrame({"key": pd.Series(dtype="string"), "street": [], "category": [],
                           "site_id": []})
    if reports is not None and len(reports):
        r = reports[(reports["time"] < start_utc)
                    & (reports["category"].astype(object).isin(REPORT_TIP_CATEGORIES))]
        r = r[_local_day(r["time"], tz) >= stale_cut]
        r = r[r["street"].notna()]
        counts = pd.DataFrame({"key": _key(r["street"]).to_numpy(),
                               "street": r["street"].astype(object).to_numpy(),
                               "category": r["category"].astype(object).to_numpy(),
                               "site_id": r["site_id"].astype(object).to_numpy()})
    site_key = _key(sites["street"])
    recent_sites = set(newest.loc[newest["newest"] >= stale_cut, "site_id"])
    measured_keys = set(site_key[sites["site_id"].isin(recent_sites)].dropna())
    out = []
    if len(counts):
        counts = counts[~counts["key"].isin(measured_keys)]
        by_cat = pd.crosstab(counts["key"], counts["category"])
        names = counts.groupby("key")["street"].agg(lambda s: s.mode().iloc[0])
        matched = counts.dropna(subset=["site_id"]).groupby(["key", "site_id"]).size()
        for key_label, cats in by_cat.iterrows():  # reported streets, not data rows
            key = str(key_label)
            n = int(cats.sum())
            street_sites = sites.loc[site_key == key, ["site_id", "street"]]
            site = None
            street = names[key]
            if len(street_sites):
                street = street_sites["street"].iloc[0]
                at = np.asarray(matched.index.get_level_values(0) == key)
                best = matched[at].droplevel(0) if at.any() else matched.iloc[:0]
                if len(best):
                    site = str(best.sort_values(ascending=False, kind="stable").index[0])
                else:
                    site = str(street_sites["site_id"].sort_values().iloc[0])
            parts = ", ".join(f"{_CAT_SV[str(c)] if sv else c} {int(k)}"
                              for c, k in cats.items() if k > 0)
            nomeas = ("ingen mätning på gatan senaste" if sv else "no measurement on the street "
                      "in the last")
            txt = (f"{n} Embrace-rapporter ({parts}), {nomeas} {settings.stale_months} mån"
                   if sv else f"{n} Embrace reports ({parts}), {nomeas} "
                   f"{settings.stale_months} months")
            kind = "radar" if (cats.get("reckless", 0) + cats.get("noise", 0)) > 0 else ""
            out.append({"candidate_id": site if site else f"street:{street}", "site_id": site,
                        "street": street, "purpose": "tip", "priority": 40 + min(40, 5 * n),
                        "reason": txt, "counter_kind": kind})
    if flags is not None and len(flags) and "kind" in flags.columns:
        fl = flags[flags["site_id"].isna()
                   & flags["kind"].astype("string").str.contains("measure_here", na=False)]
        have = {o["candidate_id"] for o in out}
        for street, g in fl.groupby(fl["street"].astype(object)):  # report-only streets
            if f"street:{street}" in have or _key(pd.Series([street])).iloc[0] in measured_keys:
                continue
            n = int(g["reports_n"].max()) if "reports_n" in g.columns else 1
            txt = (f"Embrace-rapporter men ingen mätplats på gatan (flaggor: {len(g)} timmar)"
                   if sv else f"Embrace reports but no counter site on the street "
                   f"(flags: {len(g)} hours)")
            out.append({"candidate_id": f"street:{street}", "site_id": None, "street": street,
                        "purpose": "tip", "priority": 40 + min(40, 5 * n), "reason": txt,
                        "counter_kind": ""})
    return out


def _uncertain(flags: pd.DataFrame, fs: FlagSettings, sv: bool) -> list[dict]:
    """Uncertain candidates: unflagged site-hours whose interval straddles the threshold.

    Only sites with data within ``stale_months`` are passed in (older data
    makes a site ``stale``, not uncertain).
    """
    f = flags[flags["site_id"].notna()]
    if "flagged" in f.columns:
        f = f[~f["flagged"].astype(bool)]
    limit = f["speed_limit"].to_numpy(dtype=float)
    thr = limit + fs.v85_margin_kmh
    v_lo, v_hi = f["v85_lo"].to_numpy(dtype=float), f["v85_hi"].to_numpy(dtype=float)
    s_lo = f["share_over_limit_lo"].to_numpy(dtype=float)
    s_hi = f["share_over_limit_hi"].to_numpy(dtype=float)
    straddle = ((v_lo <= thr) & (thr < v_hi)) | (
        (s_lo <= fs.share_over_limit_min) & (fs.share_over_limit_min < s_hi))
    u = f[straddle]
    out: list[dict[str, object]] = []
    if not len(u):
        return out
    counts = u.groupby(u["site_id"].astype(object)).agg(
        hours=("hour_of_day", "size"), street=("street", "first"),
        limit=("speed_limit", "first"))
    for site, r in counts.iterrows():  # sites
        txt = (f"{int(r.hours)} timmar där intervallet spänner över gränsen "
               f"(V85 mot {r.limit + fs.v85_margin_kmh:.0f} km/h eller andel över gränsen "
               f"mot {100 * fs.share_over_limit_min:.0f} %)" if sv else
               f"{int(r.hours)} hours whose interval straddles the threshold (V85 against "
               f"{r.limit + fs.v85_margin_kmh:.0f} km/h or share over the limit against "
               f"{100 * fs.share_over_limit_min:.0f}%)")
        out.append({"candidate_id": str(site), "site_id": str(site), "street": str(r.street),
                    "purpose": "uncertain",
                    "priority": 30 + min(30, round(int(r.hours) / 6)),
                    "reason": txt, "counter_kind": ""})
    return out


def _merge(rows: list[dict], sv: bool) -> pd.DataFrame:
    """One row per candidate: main purpose, summed extras, reasons joined."""
    defaults = {"earliest": None, "latest": None, "counter_kind": "", "prefer_weeks": "",
                "prefer_weekday": 0, "measure_id": ""}
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in CANDIDATE_COLUMNS})
    df = pd.DataFrame([{**defaults, **r} for r in rows])
    df["rank"] = df["purpose"].map({p: i for i, p in enumerate(PURPOSES)})
    df = df.sort_values(["candidate_id", "priority", "rank"], ascending=[True, False, True],
                        kind="stable")
    g = df.groupby("candidate_id", sort=False)
    first = g.head(1).set_index("candidate_id")
    n = g.size()
    out = first.copy()
    out["priority"] = first["priority"] + 10 * (n.loc[first.index] - 1)
    out["purposes"] = g["purpose"].agg(";".join)
    out["reason"] = g["reason"].agg("; ".join)
    out["earliest"] = pd.Series({k: max(v.dropna().tolist(), default=None)
                                 for k, v in g["earliest"]}, dtype=object)
    out["latest"] = pd.Series({k: min(v.dropna().tolist(), default=None)
                               for k, v in g["latest"]}, dtype=object)
    kinds = df[df["counter_kind"] != ""].groupby("candidate_id", sort=False)["counter_kind"].first()
    out["counter_kind"] = kinds.reindex(out.index).fillna("")
    out = out.reset_index()
    out["priority"] = out["priority"].astype("int64")
    out["prefer_weekday"] = out["prefer_weekday"].astype("int64")
    out["site_id"] = out["site_id"].astype(object).where(out["site_id"].notna(), None)
    out = out.sort_values(["priority", "candidate_id"], ascending=[False, True], kind="stable")
    return out[list(CANDIDATE_COLUMNS)].reset_index(drop=True)


__all__ = ["CANDIDATE_COLUMNS", "PURPOSES", "REPORT_TIP_CATEGORIES", "build_candidates"]
