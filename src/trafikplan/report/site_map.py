"""The report's map: Leaflet (vendored, inlined) with OpenStreetMap tiles when online.

The page carries Leaflet's own script and styles (the npm package's ``dist``
files, kept in ``report/vendor/leaflet`` with their licence), so the map works
from a file with no network: the markers and their labels are drawn as SVG
over an empty background; when the reader is online the OpenStreetMap tiles
show the streets underneath. Markers are coloured by what was found (a site's
strongest flag kind); streets flagged only by Embrace reports, without a
counter site, are drawn where their reports were made. Labels that would
overlap a label already placed are hidden until the marker is pointed at.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from trafikplan.columns import table_rows
from trafikplan.report.figures_overview import KIND_COLOURS

__all__ = [
    "KIND_ORDER",
    "MAP_SCRIPT",
    "TILE_ORIGIN",
    "TILE_URL",
    "leaflet_assets",
    "map_data",
    "site_kinds",
    "street_anchor",
]

TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
"""OpenStreetMap's standard tiles (fetched by the reader's browser, only when online)."""

TILE_ORIGIN = "https://tile.openstreetmap.org"
"""Allowed for images in the report's content security policy."""


KIND_ORDER = ("speeding", "reckless", "reports", "measure_here")
"""Flag kinds, strongest first (the map colours a site by its strongest)."""


def street_anchor(street: str) -> str:
    """Return the report's HTML anchor of a street's section (``street-ringvägen``)."""
    keep = "".join(c if c.isalnum() else "-" for c in street.lower())
    return "street-" + keep.strip("-")


def site_kinds(sites: pd.DataFrame, flagged: pd.DataFrame, hours: pd.DataFrame) -> pd.Series:
    """Return the strongest flag kind per site (the map's colour).

    ``none`` for a site with data but no flag, ``no_data`` for one without data.
    """
    kind = pd.Series("no_data", index=sites["site_id"].astype(str), dtype=object)
    with_data = set(hours.loc[hours["n"] > 0, "site_id"].astype(str))
    kind[kind.index.isin(with_data)] = "none"
    for k in reversed(KIND_ORDER):
        has = flagged.loc[flagged["kind"].astype(str).str.contains(k, regex=False), "site_id"]
        kind[kind.index.isin(set(has.astype(str)))] = k
    return kind


def leaflet_assets() -> dict[str, str]:
    """Return Leaflet's ``js`` and ``css`` text (vendored from the npm package ``leaflet``)."""
    base = resources.files("trafikplan.report") / "vendor" / "leaflet"
    return {"js": (base / "leaflet.js").read_text(encoding="utf-8"),
            "css": (base / "leaflet.css").read_text(encoding="utf-8")}


def map_data(sites: pd.DataFrame, kinds: pd.Series, street_flags: pd.DataFrame,
             reports: pd.DataFrame, t: dict) -> dict[str, Any]:
    """Return what the map shows, as plain JSON-able values.

    Parameters
    ----------
    sites : DataFrame
        ``site_id, street, lat, lon`` [deg WGS 84].
    kinds : Series
        Strongest flag kind per ``site_id`` (a key of :data:`KIND_COLOURS`).
    street_flags : DataFrame
        Flagged rows without a site (``street, kind``): streets flagged only
        by reports.
    reports : DataFrame
        Embrace reports (``street, lat, lon``) placing those streets.
    t : dict
        Texts.

    Returns
    -------
    dict
        ``sites`` (id, street, lat, lon, colour, kind name, anchor),
        ``streets`` (name, lat, lon, colour, kind name), ``legend`` and the
        ``tiles`` URL with its attribution. A caller may add ``site_link`` (an
        address prefix): each site's popup then links to ``site_link`` + its id.
    """
    s = sites.dropna(subset=["lat", "lon"])
    out_sites = []
    order = list(KIND_COLOURS)
    for r in table_rows(s):
        kind = str(kinds.get(str(r.site_id), "no_data"))
        out_sites.append({
            "id": str(r.site_id), "street": str(r.street), "lat": float(r.lat),
            "lon": float(r.lon), "colour": KIND_COLOURS.get(kind, "#7f8c8d"),
            "kind": t["kind_names"].get(kind, kind), "rank": order.index(kind)
            if kind in order else len(order), "anchor": street_anchor(str(r.street)),
        })
    out_streets = []
    if len(street_flags):
        placed = reports.dropna(subset=["lat", "lon"])
        for street, part in street_flags.groupby(street_flags["street"].astype(str)):
            here = placed.loc[placed["street"].astype(str) == street]
            if here.empty:
                continue
            found = {k for text in part["kind"].astype(str) for k in text.split(";") if k}
            kind = next((k for k in order if k in found), "reports")
            out_streets.append({
                "name": street, "lat": float(np.median(here["lat"])),
                "lon": float(np.median(here["lon"])),
                "colour": KIND_COLOURS.get(kind, "#e67e22"),
                "kind": t["kind_names"].get(kind, kind), "anchor": street_anchor(street),
            })
    shown = {x["kind"] for x in out_sites} | {x["kind"] for x in out_streets}
    legend = [{"colour": KIND_COLOURS[k], "name": t["kind_names"][k]} for k in KIND_COLOURS
              if t["kind_names"][k] in shown]
    return {"sites": out_sites, "streets": out_streets, "legend": legend,
            "tiles": TILE_URL, "attribution": "© OpenStreetMap",
            "street_only": t["map_street_only"]}


MAP_SCRIPT = r"""
(function () {
  var data = JSON.parse(document.getElementById('map-data').textContent);
  var el = document.getElementById('site-map');
  if (!window.L || !el) { return; }
  var map = L.map(el, {preferCanvas: false, scrollWheelZoom: false});
  L.tileLayer(data.tiles, {maxZoom: 19, attribution: data.attribution}).addTo(map);
  var points = [];
  var labels = [];
  data.sites.forEach(function (s) {
    var m = L.circleMarker([s.lat, s.lon], {radius: 8, color: '#222', weight: 1.2,
      fillColor: s.colour, fillOpacity: 0.95}).addTo(map);
    m.bindTooltip(s.id + ' ' + s.street, {permanent: true, direction: 'right', offset: [8, 0],
      className: 'map-label'});
    var name = data.site_link ? '<a href="' + data.site_link + encodeURIComponent(s.id) + '">' +
      s.id + '</a>' : s.id;
    m.bindPopup('<b>' + name + '</b> ' + s.street + '<br>' + s.kind);
    points.push([s.lat, s.lon]);
    labels.push({marker: m, rank: s.rank});
  });
  data.streets.forEach(function (s) {
    var m = L.circleMarker([s.lat, s.lon], {radius: 9, color: s.colour, weight: 3,
      dashArray: '3 3', fillColor: '#ffffff', fillOpacity: 0.9}).addTo(map);
    m.bindTooltip(s.name + ' (' + data.street_only + ')', {permanent: true, direction: 'right',
      offset: [9, 0], className: 'map-label map-label-street'});
    m.bindPopup('<b>' + s.name + '</b><br>' + s.kind);
    points.push([s.lat, s.lon]);
    labels.push({marker: m, rank: 1});
  });
  if (points.length) { map.fitBounds(points, {padding: [30, 30]}); }
  else { map.setView([59.33, 18.07], 5); }
  function declutter() {
    var placed = [];
    labels.sort(function (a, b) { return a.rank - b.rank; }).forEach(function (l) {
      var tip = l.marker.getTooltip();
      var node = tip && tip.getElement();
      if (!node) { return; }
      node.style.visibility = 'visible';
      var r = node.getBoundingClientRect();
      var hit = placed.some(function (p) {
        return r.left < p.right && r.right > p.left && r.top < p.bottom && r.bottom > p.top;
      });
      if (hit) { node.style.visibility = 'hidden'; } else { placed.push(r); }
    });
  }
  labels.forEach(function (l) {
    l.marker.on('mouseover', function () {
      var n = l.marker.getTooltip().getElement(); if (n) { n.style.visibility = 'visible'; }
    });
    l.marker.on('mouseout', declutter);
  });
  map.on('zoomend moveend', declutter);
  declutter();
})();
"""
"""Draws the map from the page's JSON (``#map-data``) into ``#site-map``."""
