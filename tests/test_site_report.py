"""The per-site speed-survey report: its numbers match counts made directly from the rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from trafikplan.pipeline import site_report_contexts
from trafikplan.stats.survey import per_day_summary

TZ = "Europe/Stockholm"


@pytest.fixture(scope="module")
def surveys(sample_tables) -> dict:
    return site_report_contexts(sample_tables, ["K03", "K09"], figures=False)


def _deployment(survey: dict, number: int) -> dict:
    return next(d for d in survey["deployments"] if d["number"] == number)


def test_per_vehicle_deployment_matches_direct_counts(sample_tables, surveys) -> None:
    k03 = surveys["K03"]
    assert [d["number"] for d in k03["deployments"]] == [1, 2]  # two deployments, not pooled
    later = _deployment(k03, 2)
    assert later["used"] and not _deployment(k03, 1)["used"]
    assert "M1" in _deployment(k03, 1)["flags_use"]  # measured before the measure
    v = sample_tables.vehicles
    v = v.loc[(v["site_id"].astype(str) == "K03")
              & (v["time"] >= pd.Timestamp("2024-09-01", tz="UTC"))
              & (v["vehicle_class"].astype(str) != "bicycle")]
    local = v["time"].dt.tz_convert(TZ)
    direct = v.groupby([v["direction"].astype(str), local.dt.hour])["speed"].agg(["size", "mean"])
    labels = [x["label"] for x in later["directions"]]
    assert labels == sorted(v["direction"].astype(str).unique())  # the file's own labels
    for x in later["directions"]:
        h = x["hourly"].set_index("hour_of_day")
        want = direct.loc[x["label"]]
        assert h["n"].to_dict() == want["size"].to_dict()
        np.testing.assert_allclose(h["mean_speed"].to_numpy(), want["mean"].to_numpy())
        assert len(x["hours"]) == 24
        # vehicles per day: mean of the whole days (motor vehicles, as the statistics)
        mine = v.loc[v["direction"].astype(str) == x["label"]]
        per_day = mine.groupby(mine["time"].dt.tz_convert(TZ).dt.date).size()
        assert x["per_day"].startswith(f"{per_day.mean():,.0f}".replace(",", "\u202f"))
        assert x["heavy"] and x["vehicle_classes"]


def test_binned_deployment_matches_the_bins(sample_tables, surveys) -> None:
    k09 = surveys["K09"]
    binned = _deployment(k09, 2)
    assert binned["basis"] == "hastighetsklasser" and binned["used"]
    assert _deployment(k09, 1)["basis"] == "enskilda fordon"
    b = sample_tables.bins
    b = b.loc[b["site_id"].astype(str) == "K09"]
    hour = b["start"].dt.tz_convert(TZ).dt.hour
    direct = b.groupby([b["direction"].astype(str), hour])["count"].sum()
    for x in binned["directions"]:
        h = x["hourly"].set_index("hour_of_day")
        assert h["n"].to_dict() == direct.loc[x["label"]].astype(int).to_dict()
        classes = b.loc[b["direction"].astype(str) == x["label"]]
        assert sum(int(c["count"].replace("\u202f", "")) for c in x["classes"]) == int(
            classes["count"].sum())
        assert not x["heavy"]  # bins carry no vehicle classes


def test_per_day_summary_uses_whole_days_and_weights_weekends() -> None:
    days = pd.DataFrame({"n": [100, 100, 100, 100, 100, 40, 40, 7],
                         "n_hours": [24] * 7 + [5.0],  # the last day is cut short
                         "weekday": [1, 2, 3, 4, 5, 6, 7, 1]})
    out = per_day_summary(days)
    assert out["days"] == 7
    assert out["mean"] == pytest.approx((500 + 80) / 7)
    assert out["adt"] == pytest.approx((5 * 100 + 2 * 40) / 7)
    assert out["lo"] < out["mean"] < out["hi"]


def _deployment_rows(tables, site_id: str, number: int):
    """The vehicles and bins of one deployment, cut as the selection cuts them."""
    from trafikplan.flags.selection import deployment_index, deployments_of

    deps = deployments_of(tables)
    k = int(np.flatnonzero((deps["site_id"].astype(str) == site_id)
                           & (deps["deployment"] == number))[0])
    v, b = tables.vehicles, tables.bins
    return (v.loc[deployment_index(v, "time", deps) == k],
            b.loc[deployment_index(b, "start", deps) == k])


@pytest.mark.parametrize(("site_id", "number"), [("K03", 2), ("K09", 2)])
def test_hourly_table_matches_the_stats_table(sample_tables, surveys, site_id, number) -> None:
    """A per-vehicle (K03) and a binned (K09) deployment: every printed cell is the stats row."""
    from trafikplan.i18n import integer, interval
    from trafikplan.i18n import number as fmt
    from trafikplan.stats import speed_stats

    s = sample_tables.settings
    v, b = _deployment_rows(sample_tables, site_id, number)
    stats = speed_stats(v, sample_tables.sites, bins=b, by=("site_id", "direction", "hour_of_day"),
                        tz=s.timezone, include_bicycles=s.stats.include_bicycles,
                        min_n_percentile=s.stats.min_vehicles_percentile)
    dep = _deployment(surveys[site_id], number)
    labels = sorted({str(x) for part in (v, b) for x in part["direction"].astype(str).unique()})
    assert [x["label"] for x in dep["directions"]] == labels  # the files' labels, all of them
    for x in dep["directions"]:
        want = stats.loc[stats["direction"].astype(str) == x["label"]].sort_values("hour_of_day")
        assert len(x["hours"]) == len(want) > 0
        for shown, r in zip(x["hours"], want.itertuples(index=False), strict=True):
            assert shown["n"] == integer(r.n, "sv")
            assert shown["days"] == integer(r.n_days, "sv")
            assert shown["volume"] == fmt(r.vehicles_per_hour, 1, "sv")
            assert shown["mean"] == interval(r.mean_speed, r.mean_speed_lo, r.mean_speed_hi, 1,
                                             "sv")
            assert shown["v85"] == interval(r.v85, r.v85_lo, r.v85_hi, 1, "sv")
            assert shown["over"] == interval(r.share_over_limit, r.share_over_limit_lo,
                                             r.share_over_limit_hi, 0, "sv", scale=100.0,
                                             unit=" %")


def test_directions_keep_the_names_the_files_give_them(sample_tables, surveys) -> None:
    # The radar file's header says "Riktning 1;Mot centrum" / "Riktning 2;Från centrum".
    later = _deployment(surveys["K03"], 2)
    assert {x["label"]: x["name"] for x in later["directions"]} == {
        "1": "Mot centrum", "2": "Från centrum"}
    labels = sample_tables.directions
    k03 = labels.loc[labels["site_id"] == "K03"]
    assert set(k03["file"]) == {"counters/K03_Ringvagen_2024-04-15.csv.gz",
                                "counters/K03_Ringvagen_2024-09-16.csv.gz"}
    # A tube-counter export that names no directions keeps its codes only.
    assert all(x["name"] == "" for x in _deployment(surveys["K09"], 2)["directions"])


def test_a_site_page_shows_the_files_direction_names(sample_tables) -> None:
    from trafikplan.i18n import texts
    from trafikplan.pipeline import site_report_context
    from trafikplan.report.html import render

    site = site_report_context(sample_tables, "K03", figures=False)
    html = render({"t": texts("sv"), "site": site, "municipality": "Köping", "version": "0"},
                  "site.html.j2")
    assert "Riktning 1 – Mot centrum" in html and "Riktning 2 – Från centrum" in html
