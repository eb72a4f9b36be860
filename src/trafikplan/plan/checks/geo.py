"""Distances between sites."""

from __future__ import annotations

import numpy as np

__all__ = ["EARTH_RADIUS_KM", "haversine_km"]

EARTH_RADIUS_KM = 6371.0088
"""Mean Earth radius (IUGG) [km]."""


def haversine_km(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Return the great-circle distance between every pair of points.

    Parameters
    ----------
    lat, lon : ndarray of float [deg]
        WGS 84 coordinates of n points.

    Returns
    -------
    ndarray of float, shape (n, n) [km]
        Haversine distance on a sphere of radius :data:`EARTH_RADIUS_KM`
        (within 0.5 % of the ellipsoidal distance: ample for travel times).
    """
    phi = np.radians(np.asarray(lat, dtype=float))
    lam = np.radians(np.asarray(lon, dtype=float))
    dphi = phi[:, None] - phi[None, :]
    dlam = lam[:, None] - lam[None, :]
    a = np.sin(dphi / 2) ** 2 + np.cos(phi)[:, None] * np.cos(phi)[None, :] * np.sin(dlam / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
