"""The measurement planner sees the flags through the data selection of flags and report.

Per site only its newest deployment, nothing from before a built measure and
nothing older than ``stale_months`` (counted back from the plan's first day)
is evidence for a flag: a stale site's old data does not count as fresh, and
the planner lists the site as one to measure again (``stale``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from test_flags_fixtures import finish, sites, traffic
from trafikplan import columns
from trafikplan.io.store.tables import Tables
from trafikplan.io.user_tables.measures import read_measures
from trafikplan.plan import measurements
from trafikplan.settings import Settings

SETTINGS = Settings(municipality="Köping", timezone="Europe/Stockholm")
SITES = sites(("K01", "Ringvägen", 50.0, "Norr"), ("K02", "Skogsleden", 50.0, "Norr"),
              ("K04", "Tunavägen", 50.0, "Söder"))
MEASURES = ("measure_id,street,site_id,kind,built,description\n"
            "M1,Skogsleden,K02,avsmalning,2024-05-01,\n")
START = dt.date(2024, 10, 7)


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> Tables:
    drop = ["headway", "length", "source", "line"]
    parts = [
        traffic("K01", 50.0, start="2021-05-03", days=14, mean=80.0, seed=1),  # stale
        traffic("K01", 50.0, start="2024-09-02", days=14, mean=44.0, seed=2),
        traffic("K02", 50.0, start="2024-03-04", days=14, mean=80.0, seed=3),  # before M1
        traffic("K02", 50.0, start="2024-09-02", days=14, mean=44.0, seed=4),
        traffic("K04", 50.0, start="2021-06-07", days=14, mean=80.0, seed=5),  # only stale
    ]
    vehicles = finish(pd.concat([p.drop(columns=drop) for p in parts], ignore_index=True))
    folder = tmp_path_factory.mktemp("plan_selection")
    (folder / "measures.csv").write_text(MEASURES, encoding="utf-8")
    return Tables(data_dir=Path(folder), settings=SETTINGS, sites=SITES, vehicles=vehicles,
                  bins=columns.empty("bins"), reports=columns.empty("reports"),
                  rejects=columns.empty("rejects"), imports=pd.DataFrame(),
                  checks_done=columns.empty("checks_done"))


@pytest.mark.slow
def test_old_data_is_no_fresh_evidence_and_a_stale_site_is_measured_again(
        tables: Tables, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, pd.DataFrame] = {}
    build = measurements.build_candidates

    def spy(*args, **kwargs):
        seen["flags"] = kwargs["flags"]
        return build(*args, **kwargs)

    monkeypatch.setattr(measurements.folder, "build_candidates", spy)
    fleet = pd.DataFrame({"counter": ["R1", "R2"], "kind": ["radar", "radar"],
                          "available_from": [None, None], "line": [2, 3]})
    result = measurements.plan_for_folder(
        tables, START, 4, fleet=fleet, measures=read_measures(tables.data_dir / "measures.csv"))
    flags = seen["flags"]
    with_data = flags.loc[flags["n"].fillna(0) > 0]
    v85 = with_data.groupby(with_data["site_id"].astype(str))["v85"].median()
    # K01: the 2021 deployment (80 km/h) is stale, K02: the 80 km/h data precede M1
    assert v85["K01"] < 60 and v85["K02"] < 60
    assert "K04" not in v85.index  # 2021 only: nothing a flag may rest on
    assert not flags.loc[flags["site_id"].astype(str) == "K04", "flagged"].astype(bool).any()
    purposes = result.candidates.groupby("site_id")["purpose"].agg(set)
    assert "stale" in purposes["K04"]
    assert "uncertain" not in purposes.get("K04", set())
