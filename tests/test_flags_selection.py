"""Flags use per site the newest deployment, not stale data and not data from before a measure."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from test_flags_fixtures import finish, sites, traffic
from trafikplan import columns
from trafikplan.flags import compute_flags, flags_of
from trafikplan.flags.selection import deployments, select_for_flags
from trafikplan.io.store.tables import Tables
from trafikplan.settings import Settings

SETTINGS = Settings(municipality="Köping", timezone="Europe/Stockholm")
SITES = sites(("K01", "Ringvägen", 50.0, "Norr"), ("K02", "Skogsleden", 50.0, "Norr"),
              ("K03", "Nygatan", 50.0, "Centrum"))
MEASURES = ("measure_id,street,site_id,kind,built,description\n"
            "M1,Skogsleden,K02,avsmalning,2024-05-01,\n")


def _world() -> pd.DataFrame:
    drop = ["headway", "length", "source", "line"]
    parts = [
        traffic("K01", 50.0, start="2021-05-03", days=14, mean=80.0, seed=1),  # stale: 3 years
        traffic("K01", 50.0, start="2024-09-02", days=14, mean=44.0, seed=2),
        traffic("K02", 50.0, start="2024-03-04", days=14, mean=80.0, seed=3),  # before M1
        traffic("K02", 50.0, start="2024-09-02", days=14, mean=44.0, seed=4),
        traffic("K03", 50.0, start="2024-04-01", days=14, mean=44.0, seed=5),  # older
        traffic("K03", 50.0, start="2024-09-02", days=14, mean=80.0, seed=6),  # newest
    ]
    return finish(pd.concat([p.drop(columns=drop) for p in parts], ignore_index=True))


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> Tables:
    folder = tmp_path_factory.mktemp("selection")
    (folder / "measures.csv").write_text(MEASURES, encoding="utf-8")
    return Tables(data_dir=Path(folder), settings=SETTINGS, sites=SITES, vehicles=_world(),
                  bins=columns.empty("bins"), reports=columns.empty("reports"),
                  rejects=columns.empty("rejects"), imports=pd.DataFrame(),
                  checks_done=columns.empty("checks_done"))


@pytest.mark.slow
def test_deployments_are_kept_apart_and_say_why(tables: Tables) -> None:
    from trafikplan.io.user_tables.measures import read_measures

    deps = deployments(tables.vehicles, tables.bins,
                       measures=read_measures(tables.data_dir / "measures.csv"),
                       stale_months=24, tz=SETTINGS.timezone)
    got = {(r.site_id, r.deployment): (r.why, r.measure_id) for r in deps.itertuples()}
    assert got == {
        ("K01", 1): ("stale", None), ("K01", 2): ("used", None),
        ("K02", 1): ("before_measure", "M1"), ("K02", 2): ("used", None),
        ("K03", 1): ("older_deployment", None), ("K03", 2): ("used", None),
    }
    assert (deps["days"] == 14).all()
    assert deps["directions"].eq("1;2").all()
    assert deps["vehicles"].sum() == len(tables.vehicles)
    kept, _ = select_for_flags(tables.vehicles, tables.bins, deps)
    assert (kept["time"] >= pd.Timestamp("2024-09-01", tz="UTC")).all()
    assert len(kept) == deps.loc[deps["used"], "vehicles"].sum()


@pytest.mark.slow
def test_flags_leave_out_stale_data_and_data_from_before_a_measure(tables: Tables) -> None:
    def v85(flags: pd.DataFrame) -> dict[str, float]:
        return flags.groupby(flags["site_id"].astype(str))["v85"].median().to_dict()

    everything = v85(compute_flags(tables.vehicles, tables.sites, tables.reports, SETTINGS,
                                   bins=tables.bins))
    assert everything["K01"] > 70 and everything["K02"] > 70  # pooled: the old data weigh in
    selected = flags_of(tables)
    used = v85(selected)
    assert used["K01"] < 60 and used["K02"] < 60  # stale / before-measure data left out
    assert used["K03"] > 75  # only the newest deployment, the earlier one not pooled in
    assert (selected.loc[selected["site_id"] == "K03", "n_days"] <= 2).all()


def test_no_data_gives_an_empty_list() -> None:
    deps = deployments(columns.empty("vehicles"), columns.empty("bins"))
    assert deps.empty and "why" in deps.columns
