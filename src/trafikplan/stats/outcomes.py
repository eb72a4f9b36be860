"""What the police's speed checks found: violation rates with checks as the units.

Input is the ``checks_done`` table (column contract in
:mod:`trafikplan.io.user_tables.checks_done`): one row per completed check with
``vehicles_checked`` and ``violations``.

Method
------
The violation rate of a group of checks is ``k / n`` with ``k`` the
violations and ``n`` the vehicles checked, summed over the group's checks.
Its 95 % interval treats the *checks* as the units: rates differ from check
to check (weather, the day, drivers warning each other), so vehicles of one
check are not independent trials. With ``K >= 2`` checks the interval is the
cluster-robust (CR1) interval of a ratio, ``p ± t(K - 1) se`` with
``se² = K / (K - 1) · sum_i (k_i - p n_i)² / n²`` (clipped to [0, 1]),
widened where needed to contain the Wilson interval of the pooled vehicles
(:func:`trafikplan.stats.intervals.wilson_interval`; it keeps the interval
honest when few violations leave the spread between checks at 0). One check
gives its own Wilson interval: an interval for that check only.

Site-hours: a check counts, with all its vehicles, for every local
``weekday`` x ``hour_of_day`` (settings' time zone, 1 = Monday) it overlaps
(a check 20:00-21:30 on a Friday is evidence for Friday 20 and Friday 21).
Within one group a check is counted once, so ``n`` of a group is a plain sum
of vehicles; across the hours of one check the evidence is shared, not split.

Functions
---------
:func:`check_outcomes`
    one row per check with its own rate and interval;
:func:`violation_rates`
    rates per site (or street) and local hour of the week, or per site;
:func:`add_outcome_evidence`
    joins the rates into the flags table and adds the outcome to its reason
    (``förra kontrollen (2024-10-23): 9 av 41 över gränsen``);
:func:`done_vs_planned`
    matches planned checks with completed ones (checks done against planned).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import special

from trafikplan.settings import Settings
from trafikplan.stats.intervals import wilson_interval
from trafikplan.stats.localtime import hour_codes

__all__ = [
    "OUTCOME_COLUMNS",
    "add_outcome_evidence",
    "check_outcomes",
    "done_vs_planned",
    "outcome_reasons",
    "violation_rates",
]

OUTCOME_COLUMNS = (
    "checks_n", "vehicles_checked", "violations", "violation_rate", "violation_rate_lo",
    "violation_rate_hi", "last_check_start", "last_vehicles_checked", "last_violations",
    "outcome_reason",
)
"""Evidence columns of :func:`violation_rates` (after its keys)."""

_HOUR_NS = 3_600_000_000_000


def _rate_columns(df: pd.DataFrame, k: str, n: str, spread: pd.DataFrame | None = None,
                  level: float = 0.95) -> pd.DataFrame:
    """Rate and interval columns (module docstring).

    ``spread`` holds per row ``checks_n``, ``kk`` (sum of k_i²), ``kn`` (sum
    of k_i n_i) and ``nn`` (sum of n_i²) for the between-check interval; None
    (one check per row) gives the Wilson interval alone.
    """
    kk = df[k].to_numpy(dtype=float)
    nn = df[n].to_numpy(dtype=float)
    lo, hi = wilson_interval(kk, nn, level)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(nn > 0, kk / np.where(nn > 0, nn, 1.0), np.nan)
    if spread is not None:
        m = spread["checks_n"].to_numpy(float)
        many = (m >= 2) & (nn > 0)
        with np.errstate(invalid="ignore", divide="ignore"):
            ss = (spread["kk"].to_numpy(float) - 2.0 * rate * spread["kn"].to_numpy(float)
                  + rate**2 * spread["nn"].to_numpy(float))
            se = np.sqrt(np.maximum(ss, 0.0) * m / np.maximum(m - 1.0, 1.0)) / nn
        t = special.stdtrit(np.maximum(m - 1.0, 1.0), 0.5 + level / 2.0)
        lo = np.where(many, np.minimum(lo, np.clip(rate - t * se, 0.0, 1.0)), lo)
        hi = np.where(many, np.maximum(hi, np.clip(rate + t * se, 0.0, 1.0)), hi)
    df["violation_rate"] = rate
    df["violation_rate_lo"] = lo
    df["violation_rate_hi"] = hi
    return df


def check_outcomes(checks_done: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Return each completed check with its violation rate and Wilson interval.

    Parameters
    ----------
    checks_done : DataFrame
        The checks_done table (``team, start, end`` [UTC], ``site_id, street,
        vehicles_checked, violations``, optional ``max_speed`` [km/h]).
    settings : Settings
        ``timezone`` of the local keys.

    Returns
    -------
    DataFrame
        Sorted by ``start``: ``team``, ``start``, ``end`` (datetime64[ns, UTC]),
        ``site_id``, ``street``, ``weekday`` (int, 1 = Monday, local, of the
        start), ``hour_of_day`` (int, local, of the start), ``minutes``
        (float [min]), ``vehicles_checked``, ``violations`` [vehicles],
        ``violation_rate``, ``violation_rate_lo``, ``violation_rate_hi``
        [share, 0..1; Wilson 95 %; NaN when no vehicle was checked],
        ``max_speed`` [km/h].
    """
    cols = ["team", "start", "end", "site_id", "street", "vehicles_checked", "violations"]
    out = checks_done[cols].copy()
    out["max_speed"] = (checks_done["max_speed"].astype(float) if "max_speed" in checks_done
                        else np.nan)
    out = out.sort_values(["start", "site_id", "team"], kind="stable",
                          ignore_index=True)
    if len(out):
        codes, hours = hour_codes(out["start"], settings.timezone)
        out["weekday"] = hours["weekday"].to_numpy()[codes]
        out["hour_of_day"] = hours["hour_of_day"].to_numpy()[codes]
    else:
        out["weekday"] = pd.Series(dtype="int64")
        out["hour_of_day"] = pd.Series(dtype="int64")
    out["minutes"] = (out["end"] - out["start"]).dt.total_seconds() / 60.0
    out = _rate_columns(out, "violations", "vehicles_checked")
    order = ["team", "start", "end", "site_id", "street", "weekday", "hour_of_day", "minutes",
             "vehicles_checked", "violations", "violation_rate", "violation_rate_lo",
             "violation_rate_hi", "max_speed"]
    return out[order]


def _check_hours(checks: pd.DataFrame, tz: str) -> pd.DataFrame:
    """One row per (check, local hour it overlaps): ``check, weekday, hour_of_day``."""
    start = checks["start"].dt.tz_convert("UTC").dt.as_unit("ns").array.asi8
    end = checks["end"].dt.tz_convert("UTC").dt.as_unit("ns").array.asi8
    codes_s, table = hour_codes(np.concatenate([start, end - 1]), tz)
    first = codes_s[: len(start)]
    last = codes_s[len(start):]
    span = np.maximum(last - first + 1, 1)
    check = np.repeat(np.arange(len(checks)), span)
    offs = np.arange(check.size) - np.repeat(np.cumsum(span) - span, span)
    row = first[check] + offs
    return pd.DataFrame({"check": check,
                         "weekday": table["weekday"].to_numpy()[row],
                         "hour_of_day": table["hour_of_day"].to_numpy()[row]})


def violation_rates(
    checks_done: pd.DataFrame,
    settings: Settings,
    *,
    by: Sequence[str] = ("site_id", "street", "weekday", "hour_of_day"),
) -> pd.DataFrame:
    """Violation rates per site (or street) and local hour of the week, with Wilson intervals.

    Parameters
    ----------
    checks_done : DataFrame
        The checks_done table (:mod:`trafikplan.io.user_tables.checks_done`).
    settings : Settings
        ``timezone`` (local keys) and ``language`` (``outcome_reason``).
    by : sequence of str
        Keys: ``site_id``, ``street`` and optionally ``weekday`` and
        ``hour_of_day`` (both or neither). With the hour keys a check counts
        for every local hour it overlaps (module docstring); without them once
        per site. Records without a site (street only) form groups with
        ``site_id`` NA.

    Returns
    -------
    DataFrame
        One row per group with a check, sorted by the keys: the keys, then
        ``checks_n`` [checks], ``vehicles_checked``, ``violations``
        [vehicles, summed], ``violation_rate``, ``violation_rate_lo``,
        ``violation_rate_hi`` [share, 95 %, checks as units (module
        docstring); NaN when n = 0],
        ``last_check_start`` (datetime64[ns, UTC], the latest check of the
        group), ``last_vehicles_checked``, ``last_violations`` [vehicles] of that
        check, ``outcome_reason`` (str, Swedish or English, e.g.
        ``förra kontrollen (2024-10-23): 9 av 41 över gränsen``).
    """
    keys = list(by)
    hourly = "weekday" in keys or "hour_of_day" in keys
    if hourly and not {"weekday", "hour_of_day"} <= set(keys):
        raise ValueError("by needs both weekday and hour_of_day, or neither")
    base = [k for k in keys if k not in ("weekday", "hour_of_day")]
    checks = checks_done.reset_index(drop=True)
    if hourly and len(checks):
        rows = _check_hours(checks, settings.timezone)
        frame = checks.iloc[rows["check"].to_numpy()].reset_index(drop=True)
        frame["weekday"] = rows["weekday"].to_numpy()
        frame["hour_of_day"] = rows["hour_of_day"].to_numpy()
        frame = frame.drop_duplicates([*base, "weekday", "hour_of_day", "team", "start"])
    else:
        frame = checks.copy()
        if hourly:
            frame["weekday"] = pd.Series(dtype="int64")
            frame["hour_of_day"] = pd.Series(dtype="int64")
    for k in base:
        frame[k] = frame[k].astype("string")
    if frame.empty:
        out = pd.DataFrame({k: pd.Series(dtype="string" if k in base else "int64") for k in keys})
        for c in OUTCOME_COLUMNS:
            out[c] = pd.Series(dtype="datetime64[ns, UTC]" if c == "last_check_start"
                               else "string" if c == "outcome_reason" else "float64")
        return out
    frame = frame.sort_values("start", kind="stable")
    kv = frame["violations"].to_numpy(float)
    nv = frame["vehicles_checked"].to_numpy(float)
    frame = frame.assign(_kk=kv * kv, _kn=kv * nv, _nn=nv * nv)
    grouped = frame.groupby(keys, dropna=False, sort=True)
    out = grouped.agg(checks_n=("start", "size"), vehicles_checked=("vehicles_checked", "sum"),
                      violations=("violations", "sum"), last_check_start=("start", "last"),
                      last_vehicles_checked=("vehicles_checked", "last"),
                      last_violations=("violations", "last"), kk=("_kk", "sum"),
                      kn=("_kn", "sum"), nn=("_nn", "sum")).reset_index()
    for c in ("checks_n", "vehicles_checked", "violations", "last_vehicles_checked",
              "last_violations"):
        out[c] = out[c].astype("int64")
    for k in base:
        out[k] = out[k].astype("string")
    if hourly:
        out["weekday"] = out["weekday"].astype("int64")
        out["hour_of_day"] = out["hour_of_day"].astype("int64")
    out = _rate_columns(out, "violations", "vehicles_checked", spread=out)
    out["outcome_reason"] = outcome_reasons(out, settings)
    return out[[*keys, *OUTCOME_COLUMNS]]


def _pct(x: np.ndarray) -> np.ndarray:
    """Whole percent as text (``0.123`` -> ``"12"``)."""
    return np.char.mod("%.0f", np.round(np.nan_to_num(x) * 100.0))


def outcome_reasons(rates: pd.DataFrame, settings: Settings) -> pd.Series:
    """Text of what the checks of each group found, for people.

    Parameters
    ----------
    rates : DataFrame
        Rows of :func:`violation_rates` (its evidence columns).
    settings : Settings
        ``timezone`` (the date of the last check) and ``language``.

    Returns
    -------
    Series of str
        E.g. ``förra kontrollen (2024-10-23): 9 av 41 över gränsen`` and, with
        more than one check, ``; 3 kontroller: 12 % över gränsen (9–16 %)`` /
        ``last check (2024-10-23): 9 of 41 over the limit; 3 checks: 12 % over
        the limit (9–16 %)``. Empty where the group has no check.
    """
    if rates.empty:
        return pd.Series([], dtype="string", index=rates.index)
    sv = settings.language == "sv"
    date = rates["last_check_start"].dt.tz_convert(settings.timezone).dt.strftime("%Y-%m-%d")
    k = rates["last_violations"].astype("int64").astype(str)
    n = rates["last_vehicles_checked"].astype("int64").astype(str)
    if sv:
        head = "förra kontrollen (" + date + "): " + k + " av " + n + " över gränsen"
    else:
        head = "last check (" + date + "): " + k + " of " + n + " over the limit"
    rate = _pct(rates["violation_rate"].to_numpy(float))
    lo = _pct(rates["violation_rate_lo"].to_numpy(float))
    hi = _pct(rates["violation_rate_hi"].to_numpy(float))
    many = rates["checks_n"].to_numpy() > 1
    word = " kontroller: " if sv else " checks: "
    over = " % över gränsen (" if sv else " % over the limit ("
    tail = pd.Series(np.char.add(np.char.add(np.char.add(np.char.add(np.char.add(
        np.char.add("; ", rates["checks_n"].astype(str).to_numpy().astype(str)), word),
        rate), over), np.char.add(np.char.add(lo, "–"), hi)), " %)"), index=rates.index)
    text = head + tail.where(many, "")
    return text.where(rates["checks_n"].to_numpy() > 0, "").astype("string")


def add_outcome_evidence(
    flags: pd.DataFrame, rates: pd.DataFrame, settings: Settings
) -> pd.DataFrame:
    """Join what the checks found into the flags table.

    Parameters
    ----------
    flags : DataFrame
        The flags table (keys ``site_id, street, weekday, hour_of_day``,
        ``reason``, ``score`` ... per the flags contract).
    rates : DataFrame
        :func:`violation_rates` with its default keys.
    settings : Settings
        ``language`` (separator of the reason).

    Returns
    -------
    DataFrame
        ``flags`` with the :data:`OUTCOME_COLUMNS` evidence (``checks_n``,
        ``vehicles_checked``, ``violations`` 0 and rates NaN where no check
        ran) and ``outcome_reason`` appended to ``reason`` after ``"; "``.
        Site-hours with a check but no other evidence are added as rows with
        ``score`` 0, ``flagged`` False and ``kind`` ``""`` (other evidence
        columns NaN / 0 / empty as the flags stage fills them), so that the
        evidence is not lost. Rows keep the order of ``flags``; added rows
        follow in the order of ``rates``.
    """
    keys = ["site_id", "street", "weekday", "hour_of_day"]
    left = flags.copy()
    left["_row"] = np.arange(len(left))
    r = rates.copy()
    for k in ("site_id", "street"):
        left[k] = left[k].astype("string")
        r[k] = r[k].astype("string")
    # street-only rates match flag rows by street where the flag row has no site
    merged = left.merge(r, on=keys, how="outer", indicator=True, sort=False)
    added = merged["_merge"] == "right_only"
    merged = merged.drop(columns="_merge")
    for c in ("checks_n", "vehicles_checked", "violations", "last_vehicles_checked",
              "last_violations"):
        merged[c] = merged[c].fillna(0).astype("int64")
    merged["outcome_reason"] = merged["outcome_reason"].astype("string").fillna("")
    if "score" in merged:
        merged["score"] = merged["score"].fillna(0.0)
    if "flagged" in merged:
        merged["flagged"] = merged["flagged"].astype("boolean").fillna(False).astype(bool)
    if "kind" in merged:
        merged["kind"] = merged["kind"].astype("string").fillna("")
    for c in ("focus", "speeding", "reckless", "reports", "measure_here"):
        if c in merged:
            merged[c] = merged[c].astype("boolean").fillna(False).astype(bool)
    if "focus" in merged:
        focus = {s.casefold() for s in settings.focus_streets}
        merged.loc[added, "focus"] = merged.loc[added, "street"].str.casefold().isin(
            focus).fillna(False).to_numpy(bool)
    for c in ("area", "speed_limit"):
        if c in merged and added.any():
            known = left.dropna(subset=["site_id"]).drop_duplicates("site_id")
            by_site = dict(zip(known["site_id"].astype(str), known[c], strict=True))
            ids = merged.loc[added, "site_id"].astype(object)
            fill = pd.Series([by_site.get(i) if isinstance(i, str) else None for i in ids],
                             index=ids.index, dtype=object)
            merged.loc[added, c] = (pd.to_numeric(fill, errors="coerce") if c == "speed_limit"
                                    else fill.astype(merged[c].dtype))
    reason = merged["reason"].astype("string").fillna("") if "reason" in merged else \
        pd.Series("", index=merged.index, dtype="string")
    sep = pd.Series(np.where((reason != "") & (merged["outcome_reason"] != ""), "; ", ""),
                    index=merged.index, dtype="string")
    merged["reason"] = (reason + sep + merged["outcome_reason"]).astype("string")
    merged["_row"] = merged["_row"].fillna(
        pd.Series(len(left) + np.arange(len(merged)), index=merged.index)).astype("int64")
    merged = merged.sort_values(["_row"], kind="stable").drop(columns="_row")
    return merged.reset_index(drop=True)


def done_vs_planned(
    planned: pd.DataFrame,
    checks_done: pd.DataFrame,
    *,
    tolerance_hours: float = 3.0,
) -> pd.DataFrame:
    """Match planned checks with completed ones (for the report's "what the checks found").

    A planned check counts as done when a completed check at the same site
    starts within ``tolerance_hours`` of its planned start; each completed
    check is matched at most once (the nearest in time, earliest plan first).

    Parameters
    ----------
    planned : DataFrame
        Planned checks ``team, start, end, site_id`` (tz-aware; e.g. the saved
        plans of :func:`trafikplan.plan.checks.load_prior_plans`).
    checks_done : DataFrame
        The checks_done table.
    tolerance_hours : float [h]
        Largest difference between planned and actual start.

    Returns
    -------
    DataFrame
        One row per planned check and per completed check that matches no plan:
        ``site_id``, ``planned_start``, ``planned_team`` (NaT / NA for unplanned
        checks), ``done_start`` (NaT when not done), ``done_team``,
        ``vehicles_checked``, ``violations`` [vehicles] (0 when not done),
        ``status`` (``done``, ``not_done`` or ``unplanned``), sorted by site
        and time.
    """
    plan = pd.DataFrame({
        "p": np.arange(len(planned)),
        "site_id": planned["site_id"].astype(str).to_numpy() if len(planned) else [],
        "planned_start": pd.to_datetime(planned["start"], utc=True) if len(planned) else
        pd.Series(dtype="datetime64[ns, UTC]"),
        "planned_team": planned["team"].astype(str).to_numpy() if len(planned) else [],
    })
    done = checks_done[checks_done["site_id"].notna()] if len(checks_done) else checks_done
    real = pd.DataFrame({
        "d": np.arange(len(done)),
        "site_id": done["site_id"].astype(str).to_numpy() if len(done) else [],
        "done_start": pd.to_datetime(done["start"], utc=True) if len(done) else
        pd.Series(dtype="datetime64[ns, UTC]"),
        "done_team": done["team"].astype(str).to_numpy() if len(done) else [],
        "vehicles_checked": done["vehicles_checked"].to_numpy() if len(done) else [],
        "violations": done["violations"].to_numpy() if len(done) else [],
    })
    pairs = plan.merge(real, on="site_id", how="inner")
    gap = (pairs["done_start"] - pairs["planned_start"]).abs()
    pairs = pairs[gap <= pd.Timedelta(hours=tolerance_hours)].assign(gap=gap)
    pairs = pairs.sort_values(["gap", "planned_start", "p"], kind="stable")
    pairs = pairs.drop_duplicates("p").drop_duplicates("d")
    matched = plan.merge(pairs[["p", "d", "done_start", "done_team", "vehicles_checked",
                                "violations"]], on="p", how="left")
    matched["status"] = np.where(matched["d"].notna(), "done", "not_done")
    extra = real[~real["d"].isin(pairs["d"])].assign(status="unplanned")
    out = pd.concat([matched.drop(columns=["p", "d"]), extra.drop(columns="d")],
                    ignore_index=True)
    for c in ("vehicles_checked", "violations"):
        out[c] = pd.to_numeric(out[c]).fillna(0).astype("int64")
    for c in ("planned_start", "done_start"):
        out[c] = pd.to_datetime(out[c], utc=True)
    out["site_id"] = out["site_id"].astype("string")
    out["planned_team"] = out["planned_team"].astype("string")
    out["done_team"] = out["done_team"].astype("string")
    key = out["planned_start"].fillna(out["done_start"])
    out = out.assign(_k=key).sort_values(["site_id", "_k"], kind="stable").drop(columns="_k")
    cols = ["site_id", "planned_start", "planned_team", "done_start", "done_team",
            "vehicles_checked", "violations", "status"]
    return out[cols].reset_index(drop=True)
