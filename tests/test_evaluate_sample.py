"""The sample's three focus-street measures, evaluated against the comparison site."""

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "measurements"
EXPECTED = ROOT / "tests" / "data" / "sample_expected.json"

pytestmark = pytest.mark.skipif(not (SAMPLE / "measures.csv").exists() or not EXPECTED.exists(),
                                reason="sample data folder not generated")


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory):
    from trafikplan.io.loading import load
    from trafikplan.io.user_tables.measures import read_measures
    from trafikplan.stats.evaluate import evaluate_measures

    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    folder = tmp_path_factory.mktemp("sample_eval")
    for name in ("trafikplan.toml", "sites.csv", "measures.csv"):
        shutil.copy(SAMPLE / name, folder / name)
    (folder / "counters").mkdir()
    files = {m[k]["file"] for m in expected["measures"] for k in
             ("before", "after", "comparison_before", "comparison_after") if k in m}
    for f in files:
        shutil.copy(SAMPLE / f, folder / f)
    tables = load(folder)
    measures = read_measures(folder / "measures.csv")
    s = tables.settings
    out = evaluate_measures(tables.vehicles, tables.sites, measures, tz=s.timezone,
                            after_weeks=s.measurements.after_weeks,
                            bootstrap_reps=s.measurements.bootstrap_reps,
                            as_of=dt.date(2024, 11, 4))
    return out.set_index("measure_id"), expected


@pytest.mark.slow
def test_focus_streets_evaluated_against_the_comparison_site(evaluated):
    out, expected = evaluated
    built = [m for m in expected["measures"] if m["status"] == "built"]
    assert {m["street"] for m in built} == {"Ringvägen", "Skogsleden", "Östanåsgatan"}
    for m in built:
        r = out.loc[m["measure_id"]]
        assert r["comparison_site_id"] == m["comparison_site_id"]
        assert r["comparison_source"] == "named"
        # The true effect of the measure lies inside the difference-in-differences interval,
        # and the naive before/after change (effect + town-wide trend) inside its own.
        assert r["did_lo"] <= m["true_effect_mean_kmh"] <= r["did_hi"], m["measure_id"]
        naive = m["true_effect_mean_kmh"] + m["town_trend_kmh"]
        assert r["mean_diff_lo"] - 0.1 <= naive <= r["mean_diff_hi"] + 0.1
        assert r["comparison_mean_diff"] == pytest.approx(m["town_trend_kmh"], abs=0.3)
        assert r["mean_diff_hi"] < 0 and r["v85_diff_hi"] < 0 and r["share_diff_hi"] < 0
        assert r["n_before"] > 10_000 and r["n_after"] > 10_000
        assert "sjönk" in r["verdict"] and "skillnad i skillnader" in r["verdict"]


@pytest.mark.slow
def test_planned_measure_is_not_evaluated(evaluated):
    out, expected = evaluated
    for m in expected["measures"]:
        if m["status"] == "planned":
            assert "planerad" in out.loc[m["measure_id"], "verdict"]
            assert out.loc[m["measure_id"], "n_after"] == 0
