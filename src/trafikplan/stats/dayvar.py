"""Day-to-day variation: the between-day variance component of pooled statistics.

Speeds at a site move together from day to day (weather, light, events,
roadworks, holidays), so the vehicles of one day are not independent draws
for "Fridays 22-23". Every statistic pooled over several days therefore
carries a between-day term in its variance. This module estimates that term
and turns it into design effects, vectorised over all groups at once.

Model and estimator
-------------------
Within one *hour-of-week unit* (site, direction, local weekday x hour of day)
the vehicles of day ``d`` follow ``y = mu + a_d + e`` with a day effect
``a_d`` of variance ``tau²`` and a within-day error of variance ``sigma²``.
Each *cell* (one local hour of one date) gives ``n_d`` vehicles with sum
``S_d`` and sum of squares. Per unit ``h`` with ``D_h >= 2`` days the
one-way ANOVA sums are ``SSB_h = sum n_d (ybar_d - ybar_h)²`` and
``SSW_h = sum (n_d - 1) s_d²``, with ``E[SSB_h] = (D_h - 1) sigma_h² + c_h tau²``
and ``c_h = N_h - sum n_d² / N_h`` (unbalanced method of moments, Searle,
Casella & McCulloch, *Variance Components*, ch. 3). Pooled over the units of
a site:

* *speeds* (a day shifts the speed distribution; ``tau²`` the same in every
  hour of the site): ``tau² = max(0, sum_h (SSB_h - (D_h - 1) s_h²) / sum_h c_h)``
  with ``s_h² = SSW_h / (N_h - D_h)``, degrees of freedom ``sum_h (D_h - 1)``;
* *shares* (a 0/1 indicator; the day variance proportional to ``p (1 - p)``,
  a constant intra-day correlation): ``theta = tau_p² / sigma_p²`` estimated
  as ``max(0, sum_h (SSB_h - (D_h - 1) s_h²) / sum_h c_h s_h²)``.

A site with no unit measured on two dates has no estimate (NaN).

From the component to an interval
---------------------------------
A group (any grouping of the statistics) is made of clusters: the
(site, local date) pieces of its vehicles, ``n_k`` vehicles each. The
vehicles of one site and date share a day effect, so

* mean: ``Var = s² / N + sum_k tau_s² n_k² / N²``;
* share: ``Var = p (1 - p) / N * deff`` with the design effect
  ``deff = 1 + sum_k theta_s n_k² / N`` and effective sample size ``N / deff``
  (Kish); the Wilson interval is taken on ``(k / deff, N / deff)``;
* percentile ``x_q``: Woodruff's method, the variance of the empirical CDF
  at ``x_q`` is ``q (1 - q) / N + f² sum_k tau_s² n_k² / N²`` (a day shift
  moves the CDF at ``x_q`` by the density ``f`` times the shift), which gives
  the effective ``n`` of the order-statistic interval (see
  :func:`percentile_design_effect`).

A group in which hours of one date stand for different hours of the week
(grouping by site only) treats the whole date as one cluster: conservative.
The figures answer "what is the long-run value of this hour of the week"
(``interval_scope == "long_run"``). A group whose keys fix one date
(``date`` or ``hour_start``), or whose sites have no estimate, gets no day
term: its interval is for the days measured (``"days_measured"``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

__all__ = [
    "DayTerms",
    "cluster_sums",
    "group_day_terms",
    "mean_interval",
    "no_day_terms",
    "percentile_design_effect",
    "site_components",
]


def site_components(
    unit: np.ndarray, site: np.ndarray, n: np.ndarray, s1: np.ndarray, s2: np.ndarray,
    n_sites: int, *, relative: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Between-day variance component per site, from per-cell sums (module docstring).

    Parameters
    ----------
    unit : ndarray of int64
        Hour-of-week unit of each cell (site, direction, weekday x hour), any
        integer code; cells of one unit are its dates.
    site : ndarray of int64
        Site code of each cell (``0 .. n_sites - 1``).
    n : ndarray of float [vehicles]
        Vehicles in each cell (may be fractional for binned counts).
    s1, s2 : ndarray of float
        Sum and sum of squares of the values in each cell (speeds centred on
        any constant [km/h, km/h²], or the 0/1 indicator: ``s2 == s1``).
    n_sites : int
        Number of sites.
    relative : bool
        False: ``tau²`` [unit²] (speeds); True: ``theta = tau² / sigma²`` [1]
        (shares).

    Returns
    -------
    component : ndarray of float, shape (n_sites,)
        ``tau²`` or ``theta``; NaN where no unit of the site has two dates.
    df : ndarray of float, shape (n_sites,)
        ``sum_h (D_h - 1)`` over the site's units used.
    """
    keep = n > 0
    codes, u = np.unique(unit[keep], return_inverse=True)
    nn, a1, a2 = n[keep], s1[keep], s2[keep]
    m = len(codes)
    n_h = np.bincount(u, weights=nn, minlength=m)
    d_h = np.bincount(u, minlength=m).astype(float)
    q_h = np.bincount(u, weights=a1 * a1 / nn, minlength=m)
    t_h = np.bincount(u, weights=a1, minlength=m)
    w_h = np.bincount(u, weights=a2, minlength=m)
    sq_h = np.bincount(u, weights=nn * nn, minlength=m)
    site_h = np.zeros(m, dtype=np.int64)
    site_h[u] = site[keep]
    ok = (d_h >= 2) & (n_h > d_h)
    with np.errstate(invalid="ignore", divide="ignore"):
        ssb = np.maximum(q_h - t_h * t_h / n_h, 0.0)
        s2_h = np.maximum(w_h - q_h, 0.0) / (n_h - d_h)
        c_h = n_h - sq_h / n_h
    num = np.where(ok, ssb - (d_h - 1.0) * s2_h, 0.0)
    den = np.where(ok, c_h * (s2_h if relative else 1.0), 0.0)
    num_s = np.bincount(site_h, weights=num, minlength=n_sites)
    den_s = np.bincount(site_h, weights=den, minlength=n_sites)
    df_s = np.bincount(site_h, weights=np.where(ok, d_h - 1.0, 0.0), minlength=n_sites)
    used = np.bincount(site_h, weights=ok, minlength=n_sites) > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        comp = np.where(den_s > 0, np.maximum(num_s / np.where(den_s > 0, den_s, 1.0), 0.0),
                        np.where(used, 0.0, np.nan))
    return comp, df_s


def cluster_sums(
    gid: np.ndarray, site: np.ndarray, date: np.ndarray, n: np.ndarray,
    weights: list[np.ndarray], n_groups: int,
) -> tuple[list[np.ndarray], np.ndarray]:
    """Per group ``sum_k w_s n_k²`` over its (site, date) clusters, for each weight.

    Parameters
    ----------
    gid : ndarray of int64
        Group of each cell (``-1``: none).
    site, date : ndarray of int64
        Site code and local date code of each cell.
    n : ndarray of float [vehicles]
        Vehicles of each cell.
    weights : list of ndarray of float, each shape (n_sites,)
        Per-site components (``tau²`` or ``theta``); NaN counts as 0 and
        marks the group.
    n_groups : int
        Number of groups.

    Returns
    -------
    sums : list of ndarray of float, each shape (n_groups,)
        ``sum_k w[site_k] n_k²`` per weight.
    unknown : ndarray of bool, shape (n_groups,)
        True where some cluster's site has no estimate (first weight NaN).
    """
    ok = (gid >= 0) & (n > 0)
    n_d = int(date.max()) + 1 if len(date) else 1
    n_s = int(site.max()) + 1 if len(site) else 1
    key = (gid[ok] * n_s + site[ok]) * n_d + date[ok]
    pairs, inv = np.unique(key, return_inverse=True)
    n_k = np.bincount(inv, weights=n[ok], minlength=len(pairs))
    g_k = pairs // (n_s * n_d)
    s_k = (pairs // n_d) % n_s
    sums = []
    for w in weights:
        wk = w[s_k]
        sums.append(np.bincount(g_k, weights=np.nan_to_num(wk) * n_k * n_k, minlength=n_groups))
    unknown = np.bincount(g_k, weights=np.isnan(weights[0][s_k]), minlength=n_groups) > 0
    return sums, unknown


def mean_interval(
    mean: np.ndarray, sd: np.ndarray, n: np.ndarray, day_sum: np.ndarray, df_day: np.ndarray,
    level: float = 0.95,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Student t interval of a pooled mean with the between-day term.

    ``Var = sd² / n + day_sum / n²`` (``day_sum = sum_k tau_s² n_k²``),
    ``mean ± t(nu) sqrt(Var)`` with Satterthwaite's ``nu`` from the within
    part (``n - 1`` df) and the day part (``df_day``). Without a day term it
    is the classical one-sample t interval.

    Returns
    -------
    lo, hi : ndarray of float [km/h]
        NaN where ``n < 2``.
    deff : ndarray of float [1]
        Design effect ``Var / (sd² / n)`` (1 without a day term).
    """
    n = np.asarray(n, dtype=float)
    ok = n >= 2
    nn = np.where(ok, n, 2.0)
    a = sd * sd / nn
    b = day_sum / (nn * nn)
    var = a + b
    with np.errstate(invalid="ignore", divide="ignore"):
        den = a * a / (nn - 1.0) + np.where(b > 0, b * b / np.maximum(df_day, 1.0), 0.0)
        df = np.where(den > 0, var * var / den, nn - 1.0)
        deff = np.where(a > 0, var / a, 1.0)
    t = special.stdtrit(np.maximum(df, 1.0), 0.5 + level / 2.0)
    half = np.where(ok, t * np.sqrt(var), np.nan)
    return mean - half, mean + half, np.where(ok, deff, np.nan)


def percentile_design_effect(
    q: float, n: np.ndarray, x_below: np.ndarray, x_above: np.ndarray, h: np.ndarray,
    day_sum: np.ndarray,
) -> np.ndarray:
    """Woodruff design effect of a percentile: ``1 + f² day_sum / (n q (1 - q))``.

    The density at the percentile is estimated from the sample as
    ``f = 2h / (x_{q+h} - x_{q-h})`` (a difference quotient of the empirical
    quantile function).

    Parameters
    ----------
    q : float
        The quantile (0.85 for V85).
    n : ndarray of float [vehicles]
        Group sizes.
    x_below, x_above : ndarray of float [km/h]
        Sample quantiles at ``q - h`` and ``q + h``.
    h : ndarray of float
        Half width of the difference quotient [probability].
    day_sum : ndarray of float [km/h² vehicles²]
        ``sum_k tau_s² n_k²`` of each group.

    Returns
    -------
    ndarray of float [1]
        ``>= 1``; 1 without a day term.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        dx = np.maximum(x_above - x_below, 1e-3)
        f = 2.0 * h / dx
        deff = 1.0 + f * f * day_sum / (np.maximum(n, 1.0) * q * (1.0 - q))
    return np.where(np.isfinite(deff), np.maximum(deff, 1.0), 1.0)


@dataclass
class DayTerms:
    """Between-day terms of every group (:func:`group_day_terms`).

    Attributes
    ----------
    mean : ndarray of float [km/h² vehicles²]
        ``sum_k tau_s² n_k²`` per group (0 where ``long_run`` is False).
    shares : ndarray of float, shape (n_groups, J) [vehicles]
        ``sum_k theta_s n_k²`` per group and share threshold.
    df : ndarray of float
        Degrees of freedom of the smallest site estimate of the group.
    day_sd : ndarray of float [km/h]
        ``sqrt(sum_k tau_s² n_k² / sum_k n_k²)``: the between-day standard
        deviation of the group's sites (NaN where unknown).
    long_run : ndarray of bool
        True where the interval includes the day term ("for that hour of the
        week"); False: for the days measured only.
    """

    mean: np.ndarray
    shares: np.ndarray
    df: np.ndarray
    day_sd: np.ndarray
    long_run: np.ndarray

    def scope(self) -> np.ndarray:
        """``"long_run"`` or ``"days_measured"`` per group (object array)."""
        return np.where(self.long_run, "long_run", "days_measured").astype(object)


def no_day_terms(n_groups: int, n_shares: int) -> DayTerms:
    """Day terms of groups whose keys fix one date: intervals for the days measured."""
    return DayTerms(np.zeros(n_groups), np.zeros((n_groups, n_shares)),
                    np.full(n_groups, np.inf), np.full(n_groups, np.nan),
                    np.zeros(n_groups, dtype=bool))


def group_day_terms(
    gid: np.ndarray, site: np.ndarray, unit: np.ndarray, date: np.ndarray, n: np.ndarray,
    s1: np.ndarray, s2: np.ndarray, k: np.ndarray, n_sites: int, n_groups: int,
) -> DayTerms:
    """Estimate the site components and sum them over each group's clusters.

    Parameters
    ----------
    gid, site, unit, date : ndarray of int64
        Per cell (one local hour of one date at a site and direction): group
        (``-1`` none), site code, hour-of-week unit, local date code.
    n, s1, s2 : ndarray of float
        Per cell: vehicles, sum and sum of squares of the centred speeds.
    k : ndarray of float, shape (n_cells, J)
        Per cell: vehicles over each share threshold.
    n_sites, n_groups : int
        Sizes.

    Returns
    -------
    DayTerms
    """
    n_j = k.shape[1]
    if len(n) == 0:
        return no_day_terms(n_groups, n_j)
    tau2, df_site = site_components(unit, site, n, s1, s2, n_sites)
    thetas = [site_components(unit, site, n, k[:, j], k[:, j], n_sites, relative=True)[0]
              for j in range(n_j)]
    ones = np.where(np.isnan(tau2), np.nan, 1.0)
    sums, unknown = cluster_sums(gid, site, date, n, [tau2, ones, *thetas], n_groups)
    long_run = ~unknown
    df = np.full(n_groups, np.inf)
    ok = (gid >= 0) & (n > 0)
    np.minimum.at(df, gid[ok], np.where(np.isnan(tau2), np.inf, df_site)[site[ok]])
    with np.errstate(invalid="ignore", divide="ignore"):
        day_sd = np.where(long_run & (sums[1] > 0), np.sqrt(sums[0] / sums[1]), np.nan)
    mean = np.where(long_run, sums[0], 0.0)
    shares = np.stack([np.where(long_run, s, 0.0) for s in sums[2:]], axis=1) if n_j else \
        np.zeros((n_groups, 0))
    return DayTerms(mean, shares, df, day_sd, long_run)
