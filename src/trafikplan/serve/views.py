"""What the engineer's pages show, computed from the data folder and cached until it changes.

The cache key is the modification times of the files an import reads (the raw
folders, ``sites.csv``, ``trafikplan.toml``) and of the store's manifest, so a
file copied into the folder by hand is seen on the next page view (the load
imports it first, as every command does).
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from trafikplan.columns import table_rows

if TYPE_CHECKING:
    from trafikplan.io.importing.summary import ImportSummary
    from trafikplan.io.store.tables import Tables
    from trafikplan.serve.web import ServeState

__all__ = [
    "cached",
    "flags",
    "import_view",
    "measurement_plan",
    "one_line",
    "site_view",
    "sites_view",
    "tables",
    "warm_up",
]

_WATCHED = ("trafikplan.toml", "sites.csv", "measures.csv", "counters", "embrace",
            "checks_done", "roster.csv", ".trafikplan/manifest.json")


def _key(data_dir: Path) -> tuple:
    out = []
    for name in _WATCHED:
        p = data_dir / name
        out.append(p.stat().st_mtime_ns if p.exists() else 0)
        if p.is_dir() and name in ("counters", "embrace", "checks_done"):
            out += sorted(f.stat().st_mtime_ns for f in p.rglob("*") if f.is_file())
    return tuple(out)


def cached(state: ServeState, name: str, make) -> Any:
    """Return ``make()`` cached under ``name`` until the data folder changes.

    Two requests that need the same view at once compute it once: the second
    waits for the first (a lock per name).
    """
    with state.lock:
        name_lock = state.cache_locks.setdefault(name, threading.Lock())
    with name_lock:
        key = _key(state.data_dir)
        with state.lock:
            if state.cache.get("_key") != key:
                state.cache = {"_key": key, **{k: v for k, v in state.cache.items()
                                              if k == "measurement_plan"}}
            if name in state.cache:
                return state.cache[name]
        value = make()
        with state.lock:
            state.cache[name] = value
        return value


def warm_up(state: ServeState) -> threading.Thread:
    """Load the folder and compute the sites page in a background thread (started at once)."""
    def work() -> None:
        try:
            sites_view(state)
        except Exception:  # the page that needs it shows the error
            pass

    thread = threading.Thread(target=work, name="trafikplan-warm-up", daemon=True)
    thread.start()
    return thread


def tables(state: ServeState) -> Tables:
    """Return the loaded data folder (imports new raw files first)."""
    from trafikplan.serve.planning import load_tables

    return cached(state, "tables", lambda: load_tables(state.data_dir))


def flags(state: ServeState) -> pd.DataFrame:
    """Return the flags of the data folder (:func:`trafikplan.flags.flags_of`)."""
    from trafikplan.flags import flags_of

    return cached(state, "flags", lambda: flags_of(tables(state)))


def sites_view(state: ServeState) -> dict[str, Any]:
    """Return the sites page's context: the map's data and one table row per site."""
    return cached(state, "sites_view", lambda: _sites_view(state))


def _sites_view(state: ServeState) -> dict[str, Any]:
    from trafikplan.i18n import texts
    from trafikplan.report import site_map
    from trafikplan.report.site_map import site_kinds

    t = texts(state.language)
    tab = tables(state)
    fl = flags(state)
    flagged = fl.loc[fl["flagged"].astype(bool)]
    sites = tab.sites.copy()
    sites["site_id"] = sites["site_id"].astype(str)
    with_data = set(tab.vehicles["site_id"].astype(str)) | set(tab.bins["site_id"].astype(str))
    hours = pd.DataFrame({"site_id": sorted(with_data), "n": 1})
    kinds = site_kinds(sites, flagged, hours)
    data = site_map.map_data(sites, kinds, flagged.loc[flagged["site_id"].isna()],
                             tab.reports, t)
    data["site_link"] = "/sites/"  # a marker's popup links to the site's page
    rows = [{"id": r.site_id, "street": str(r.street),
             "section": "" if pd.isna(getattr(r, "section", None)) else str(r.section),
             "limit": "" if pd.isna(r.speed_limit) else f"{int(r.speed_limit)}",
             "kind": t["kind_names"].get(str(kinds.get(r.site_id, "no_data")), ""),
             "colour": next((x["colour"] for x in data["sites"] if x["id"] == r.site_id),
                            "#7f8c8d")}
            for r in table_rows(sites)]
    return {"title": "", "map_data": data, "rows": rows,
            "map_legend": data["legend"]}


def site_view(state: ServeState, site_id: str) -> dict[str, Any] | None:
    """Return the per-site report's context of ``site_id`` (None for an unknown site)."""
    from trafikplan.pipeline import evaluate_folder, site_report_context

    tab = tables(state)
    if site_id not in set(tab.sites["site_id"].astype(str)):
        return None
    evaluation = cached(state, "evaluation",
                        lambda: evaluate_folder(tab, language=state.language))
    return cached(state, f"site:{site_id}", lambda: site_report_context(
        tab, site_id, evaluation=evaluation, language=state.language))


def import_view(state: ServeState, summary: ImportSummary, names: list[str]) -> dict[str, Any]:
    """Return the import result page's context (files, store totals, rows set aside)."""
    from trafikplan.i18n import code, integer, reject_meaning, text, vehicle_total

    lang = state.language
    files = summary.files
    shown = files.loc[files["file"].isin(names) | ~files["status"].eq("unchanged")]
    t = summary.totals
    store = text("import_store", lang, vehicles=vehicle_total(
        t.get("vehicles", 0), t.get("bin_vehicles"), t.get("bins", 0), lang),
        reports=integer(t.get("reports", 0), lang),
        unmatched=integer(t.get("reports_unmatched", 0), lang),
        checks=integer(t.get("checks_done", 0), lang), rejects=integer(t.get("rejects", 0), lang))
    rows = [{"file": r.file, "status": code("import_status", r.status, lang),
             "profile": "" if pd.isna(r.profile) else str(r.profile),
             "rows": integer(r.rows, lang), "rejected": integer(r.rejected, lang)}
            for r in table_rows(shown)]
    rejects = tables(state).rejects
    mine = rejects.loc[rejects["source"].astype(str).isin(names)].head(200)
    set_aside = [{"file": str(r.source), "line": int(r.line),
                  "column": "" if pd.isna(r.column) else str(r.column),
                  "reason": reject_meaning(str(r.reason), lang)}
                 for r in table_rows(mine)]
    return {"title": "", "files": rows, "store": store, "warnings": list(summary.warnings),
            "set_aside": set_aside, "set_aside_total": len(
                rejects.loc[rejects["source"].astype(str).isin(names)]),
            "rejects": [{"reason": code("reject", r.reason, lang),
                         "meaning": reject_meaning(str(r.reason), lang),
                         "count": integer(r.count, lang)}
                        for r in table_rows(summary.rejects)]}


def measurement_plan(state: ServeState, start: dt.date, weeks: int) -> dict[str, Any]:
    """Plan counter deployments as ``trafikplan plan measurements`` does; rows for the page."""
    from trafikplan.i18n import code, text
    from trafikplan.plan.measurements import plan_for_folder, planning_inputs

    lang = state.language
    fleet, measures = planning_inputs(state.data_dir)
    result = plan_for_folder(tables(state), start, weeks, fleet=fleet, measures=measures)
    rows = [{"counter": str(r.counter),
             "site": r.site_id if isinstance(r.site_id, str) else text("new_site", lang),
             "street": str(r.street), "install": pd.Timestamp(r.install).date().isoformat(),
             "remove": pd.Timestamp(r.remove).date().isoformat(),
             "purpose": code("purpose", r.purpose, lang), "reason": str(r.reason)}
            for r in table_rows(result.plan)]
    return {"start": start.isoformat(), "weeks": weeks, "rows": rows,
            "summary": result.summary(lang)}


def one_line(exc: Exception, language: str = "sv") -> str:
    """Return an error for people in one line (a bug gets its type, never a traceback)."""
    from trafikplan._errors import TrafikplanError, WordedError

    if isinstance(exc, WordedError):
        return exc.one_line(language)
    if isinstance(exc, TrafikplanError):
        return " ".join(str(exc).split())
    return f"{type(exc).__name__}: {' '.join(str(exc).split())}"
