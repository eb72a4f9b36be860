"""The visit curve: a check's value comes mostly in its first minutes.

A check's ``j``-th slot weighs ``visit[j]`` (:func:`visit_curve`); a check's
direct value and its halo weights are sums along that curve
(:func:`visit_sums` for given checks, :func:`visit_tables` for every start).
"""

from __future__ import annotations

import math

import numpy as np

from trafikplan.settings import CheckSettings

__all__ = ["visit_curve", "visit_sums", "visit_tables"]


def visit_curve(rules: CheckSettings, slots: int) -> np.ndarray:
    """Return the weight of each slot of a check: the visit curve averaged over the slot.

    ``w(m) = 0.5 ** (m / visit_halflife_minutes)``, ``m`` minutes since the
    check started, averaged over slot ``j`` (``j * step <= m < (j + 1) * step``):
    ``h / (step ln 2) * (w(j step) - w((j + 1) step))``; all 1 without a half-life.
    """
    h, step = rules.visit_halflife_minutes, rules.step_minutes
    if h <= 0:
        return np.ones(slots)
    j = np.arange(slots)
    return h / (step * math.log(2)) * (0.5 ** (j * step / h) - 0.5 ** ((j + 1) * step / h))


def visit_sums(matrix: np.ndarray, site: np.ndarray, start: np.ndarray, length: np.ndarray,
               curve: np.ndarray) -> np.ndarray:
    """Return ``sum_{j < length} matrix[site, start + j] * curve[j]`` of each check."""
    out = np.zeros(len(site))
    last = matrix.shape[1] - 1
    for j in range(int(length.max(initial=0))):
        on = length > j
        out += np.where(on, matrix[site, np.minimum(start + j, last)], 0.0) * curve[j]
    return out


def visit_tables(matrix: np.ndarray, curve: np.ndarray,
                 lengths: tuple[int, ...] | np.ndarray) -> dict[int, np.ndarray]:
    """Return, per length ``L``, ``sum_{j < L} matrix[:, a + j] * curve[j]`` for every ``a``.

    Dense (rows x columns) arrays; columns past the end count 0 (a check there is not
    allowed anyway).
    """
    n, t = matrix.shape
    wanted = {int(x) for x in lengths}
    acc = np.zeros((n, t))
    out = {}
    for j in range(max(wanted, default=0)):
        acc[:, : t - j] += matrix[:, j:] * curve[j]
        if j + 1 in wanted:
            out[j + 1] = acc.copy()
    return out
