"""match_reports: street names, sections, coordinates, radius."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pyproj import Geod

from trafikplan.io.embrace.matching import (
    haversine_m,
    match_counts,
    match_reports,
    street_key,
    street_name,
)

SITES = pd.DataFrame({
    "site_id": ["K01", "K02", "K03", "K10", "K20", "K30", "K31"],
    "street": ["Ringvägen", "Ringvägen", "Östanåsgatan", "Skogsleden", "Stora Gatan",
               "Kvarngatan", "Kvärngatan"],
    "lat": [59.5121, 59.5140, 59.5035, 59.5230, 59.5110, 59.5000, 59.4950],
    "lon": [15.9803, 15.9905, 15.9972, 15.9721, 15.9925, 16.0100, 16.0200],
})


def _reports(streets, lat=None, lon=None):
    n = len(streets)
    return pd.DataFrame({
        "street": pd.Series(streets, dtype="string"),
        "lat": lat if lat is not None else [np.nan] * n,
        "lon": lon if lon is not None else [np.nan] * n,
    })


@pytest.mark.parametrize(("raw", "name"), [
    ("Östanåsgatan 12", "Östanåsgatan"),
    ("Östanåsgatan 12 B", "Östanåsgatan"),
    ("Östanåsg. 3", "Östanåsgatan"),
    ("Östanåsgt", "Östanåsgatan"),
    ("Ringv. 14", "Ringvägen"),
    ("Ringvg", "Ringvägen"),
    ("Ringvägen vid Nygårdsskolan", "Ringvägen"),
    ("Ringvägen, korsningen mot Skogsleden", "Ringvägen"),
    ("  Stora   Gatan  ", "Stora Gatan"),
])
def test_street_name(raw, name):
    assert street_name(pd.Series([raw])).iloc[0] == name


def test_street_key_keeps_swedish_letters():
    keys = street_key(pd.Series(["Stora Gatan", "stora  gatan", "Kvärngatan", "Kvarngatan",
                                 "Café-gatan", ""])).tolist()
    assert keys[:5] == ["storagatan", "storagatan", "kvärngatan", "kvarngatan", "cafegatan"]
    assert pd.isna(keys[5])


def test_single_site_street_match():
    got = match_reports(_reports(["Östanåsgatan 12", "ÖSTANÅSG.", "ostanasgatan",
                                  "stora gatan 3"]), SITES, 300)
    assert got["site_id"].tolist() == ["K03", "K03", "K03", "K20"]
    assert got["street"].tolist() == ["Östanåsgatan"] * 3 + ["Stora Gatan"]
    assert set(got["match"]) == {"street"}


def test_folding_only_when_unambiguous():
    # "kvarngatan" is a site street itself; "Kvarngatan" never becomes Kvärngatan
    got = match_reports(_reports(["Kvärngatan", "Kvarngatan", "KVARNGATAN 4"]), SITES, 300)
    assert got["site_id"].tolist() == ["K31", "K30", "K30"]


def test_ambiguous_fold_matches_nothing():
    sites = SITES[SITES["site_id"].isin(["K30", "K31"])]
    sites = sites.assign(street=["Kvärngatan", "Kvårngatan"])
    got = match_reports(_reports(["Kvarngatan"]), sites, 300)
    assert got["site_id"].isna().all()
    assert got["match"].tolist() == ["none"]


def test_sections_nearest_by_coordinates_or_street_only():
    got = match_reports(_reports(["Ringvägen 14", "Ringvägen", "Ringv."],
                                 lat=[59.5139, 59.5122, np.nan], lon=[15.9901, 15.9800, np.nan]),
                        SITES, 300)
    assert got["site_id"].tolist()[:2] == ["K02", "K01"]
    assert pd.isna(got["site_id"].iloc[2])
    assert got["street"].tolist() == ["Ringvägen"] * 3
    assert got["match"].tolist() == ["street_nearest", "street_nearest", "street_only"]


def test_street_wins_over_far_coordinates():
    # coordinates near Skogsleden but the report names Östanåsgatan
    got = match_reports(_reports(["Östanåsgatan"], lat=[59.5230], lon=[15.9721]), SITES, 300)
    assert got["site_id"].tolist() == ["K03"]


def test_coordinates_only_within_radius():
    geod = Geod(ellps="WGS84")
    lon_150, lat_150, _ = geod.fwd(15.9721, 59.5230, 90, 150)
    lon_450, lat_450, _ = geod.fwd(15.9721, 59.5230, 90, 450)
    got = match_reports(_reports([None, "", "okänd plats"],
                                 lat=[lat_150, lat_450, lat_150],
                                 lon=[lon_150, lon_450, lon_150]), SITES, 300)
    assert got["site_id"].tolist()[0] == "K10"
    assert pd.isna(got["site_id"].iloc[1])
    assert got["site_id"].tolist()[2] == "K10"
    assert got["street"].tolist()[0] == "Skogsleden"  # filled from the site
    assert got["street"].tolist()[2] == "Skogsleden"
    assert got["match"].tolist() == ["nearest", "none", "nearest"]


def test_crossing_matches_first_named_street():
    got = match_reports(_reports(["Korsningen Ringvägen/Skogsleden",
                                  "Infarten till Skogsleden"]), SITES, 300)
    assert got["street"].tolist() == ["Ringvägen", "Skogsleden"]
    assert got["site_id"].tolist()[1] == "K10"


def test_unmatched_kept_and_counted():
    reports = _reports(["Tunnlandsgatan", None, "Ringvägen", "Skogsleden"],
                       lat=[np.nan, np.nan, np.nan, np.nan], lon=[np.nan] * 4)
    got = match_reports(reports, SITES, 300)
    assert len(got) == 4
    counts = match_counts(got)
    assert counts["unmatched"] == 3
    assert counts["street"] == 1 and counts["street_only"] == 1 and counts["none"] == 2


def test_no_sites():
    got = match_reports(_reports(["Ringvägen"], lat=[59.5], lon=[15.9]),
                        SITES.iloc[:0], 300)
    assert got["site_id"].isna().all()


def test_haversine_against_pyproj_geod():
    geod = Geod(ellps="WGS84")
    lat1, lon1 = np.array([59.5121, 59.5035]), np.array([15.9803, 15.9972])
    lat2, lon2 = np.array([59.5140, 59.5230]), np.array([15.9905, 15.9721])
    _, _, dist = geod.inv(lon1, lat1, lon2, lat2)
    assert haversine_m(lat1, lon1, lat2, lon2) == pytest.approx(dist, rel=5e-3)


def test_named_street_without_site_is_a_tip_not_a_neighbour():
    # Glasgatan has no site; its report lies 20 m from K20 on Stora Gatan
    got = match_reports(_reports(["Glasgatan 3"], lat=[59.5111], lon=[15.9928]), SITES, 300)
    assert pd.isna(got["site_id"].iloc[0])
    assert got["street"].iloc[0] == "Glasgatan"
    assert got["match"].iloc[0] == "none"


def test_text_in_the_street_field_is_an_unknown_place_not_a_street():
    from trafikplan.plan.measurements.candidates import _tips
    from trafikplan.settings import MeasurementSettings

    streets = ["[namn] kör varje kväll", "Nygårdsskolan", "Glasgatan 4", "E18",
               "Kalle Anderssons väg", "Kyrkbacken", "Skolgården", "okänd plats"]
    got = match_reports(_reports(streets), SITES, 300, known_streets=["Skolgården"])
    assert got["street"].fillna("-").tolist() == [
        "-", "-", "Glasgatan", "E18", "Kalle Anderssons väg", "Kyrkbacken", "Skolgården", "-"]
    assert got["match"].tolist()[:2] == ["street_unknown", "street_unknown"]
    assert match_counts(got)["street_unknown"] == 2
    # coordinates still place a report whose street field holds no place
    near = match_reports(_reports(["Anna Svensson"], [59.5121], [15.9803]), SITES, 300)
    assert near["site_id"].tolist() == ["K01"] and near["match"].tolist() == ["nearest"]
    # an unknown place never becomes a tip street of the measurement plan
    reports = got.assign(time=pd.Timestamp("2024-05-01", tz="UTC"), category="speeding")
    newest = pd.DataFrame({"site_id": pd.Series(dtype=object),
                           "newest": pd.Series(dtype="datetime64[ns]")})
    tips = _tips(SITES, reports, newest, None,
                 pd.Timestamp("2024-06-01", tz="UTC"), pd.Timestamp("2022-06-01"),
                 MeasurementSettings(), "Europe/Stockholm", True)
    tip_streets = {t["street"] for t in tips}
    assert tip_streets == {"Glasgatan", "E18", "Kalle Anderssons väg", "Kyrkbacken",
                           "Skolgården"}
