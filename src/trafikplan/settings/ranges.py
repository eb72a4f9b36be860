"""The allowed range of every numeric setting and the rules between settings.

:func:`check_ranges` returns every value outside its range (:data:`RANGES`) and
every broken rule between two keys (``min_minutes`` not above ``max_minutes``,
night hours 0 to 23 ...), each a :class:`~trafikplan._errors.Phrase` naming its key
and what is allowed, worded where it is shown.
"""

from __future__ import annotations

from trafikplan.i18n.phrase import Phrase
from trafikplan.settings.schema import Settings

__all__ = ["RANGES", "check_ranges"]

_POS = (0, None, True)
"""``> 0``."""
_NONNEG = (0, None, False)
"""``>= 0``."""
_SHARE = (0, 1, False)
"""``0..1``."""


def _at_least(n: float) -> tuple[float, None, bool]:
    return (n, None, False)


RANGES: dict[str, dict[str, tuple[float | None, float | None, bool]]] = {
    "checks": {
        "min_minutes": _at_least(1), "max_minutes": _at_least(1), "step_minutes": (1, 1440, False),
        "setup_minutes": _NONNEG, "travel_kmh": _POS, "max_per_site_per_week": _NONNEG,
        "min_hours_between_same_site": _NONNEG, "focus_min_per_week": _NONNEG,
        "distance_halo_km": _POS, "value_tolerance": _SHARE, "time_limit_s": _POS,
        "distance_halo_radius_km": _NONNEG, "repeat_factor": _SHARE, "time_halo_hours": _NONNEG,
        "area_share_slack": _SHARE, "num_workers": _at_least(1), "distance_halo_cap": _SHARE,
        "candidates_per_start": _NONNEG, "start_step_minutes": _NONNEG,
        "shifts_per_site": _NONNEG, "sites_per_shift": _NONNEG, "search_rounds": _NONNEG,
    },
    "measurements": {
        "min_days": _at_least(1), "max_installs_per_day": _at_least(1), "after_weeks": _NONNEG,
        "stale_months": _at_least(1), "time_limit_s": _POS, "max_days": _at_least(1),
        "before_max_age_months": _NONNEG, "bootstrap_reps": _at_least(1),
        "evaluation_window_days": _at_least(1), "neighbour_radius_km": _NONNEG,
        "diversion_min_change": _NONNEG,
    },
    "stats": {"free_flow_headway_s": _NONNEG, "min_vehicles_percentile": _NONNEG},
    "flags": {
        "share_over_limit_min": _SHARE, "v85_margin_kmh": _NONNEG, "min_vehicles": _at_least(1),
        "extreme_over_kmh": _NONNEG, "report_smoothing_hours": (0, 12, False),
        "extreme_min_count": _at_least(1), "extreme_share_min": _SHARE, "lap_over_kmh": _NONNEG,
        "lap_min_passes": _at_least(1), "lap_window_minutes": _POS, "night_excess_kmh": _NONNEG,
        "slow_speed_min_kmh": _NONNEG, "slow_speed_max_kmh": _POS, "slow_group_gap_s": _POS,
        "slow_group_min_vehicles": _at_least(1), "slow_group_min_limit_kmh": _NONNEG,
        "slow_group_min_count": _at_least(1), "short_headway_s": _POS,
        "short_headway_min_count": _at_least(1), "short_headway_share_min": _SHARE,
        "reports_min": _at_least(1), "weight_injury": _NONNEG, "weight_serious": _NONNEG,
        "weight_fatal": _NONNEG, "reckless_weight": _NONNEG, "report_weight": _NONNEG,
    },
    "learning": {
        "exploration_weight": _NONNEG, "counter_day_weight": _NONNEG, "prior_vehicles": _POS,
        "max_lift": _at_least(1), "halo_baseline_weeks": _at_least(1),
        "halo_min_checks": _at_least(1),
    },
    "import": {
        "min_speed_kmh": _NONNEG, "max_speed_kmh": _POS, "match_radius_m": _POS,
        "chunk_rows": _at_least(1), "first_year": (1900, 2200, False),
        "last_year": (0, 2200, False),
    },
    "limits": {
        "max_decompressed_mb": _POS, "max_compression_ratio": _at_least(1),
        "max_line_kb": _POS, "max_field_kb": _POS, "max_columns": _at_least(1),
        "max_rows_xlsx": _at_least(1), "max_toml_depth": _at_least(2), "max_table_mb": _POS,
    },
}
"""Allowed range of every numeric setting: ``(lowest, highest, lowest excluded)``."""



def _range(lo: float | None, hi: float | None, open_lo: bool) -> Phrase:
    if hi is None:
        return Phrase("set_range_above" if open_lo else "set_range_at_least", lo=f"{lo:g}")
    return Phrase("set_range_between", lo=f"{lo:g}", hi=f"{hi:g}")


def check_ranges(settings: Settings) -> list[Phrase]:
    """Return every setting outside its range and every broken rule between settings.

    Parameters
    ----------
    settings : Settings
        Settings built from a file (types already checked).

    Returns
    -------
    list of Phrase
        One per problem, in the order of :data:`RANGES` and then the rules.
    """
    problems = []
    for section, keys in RANGES.items():
        values = getattr(settings, "import_" if section == "import" else section)
        for key, (lo, hi, open_lo) in keys.items():
            v = getattr(values, key)
            if not (v == v) or (lo is not None and (v < lo or (open_lo and v == lo))) or (
                    hi is not None and v > hi):
                problems.append(Phrase("set_out_of_range", section=section, key=key,
                                       value=repr(v), range=_range(lo, hi, open_lo)))
    c, m, f, i = settings.checks, settings.measurements, settings.flags, settings.import_
    bad_hours = [h for h in f.night_hours if not 0 <= h <= 23]
    if bad_hours:
        problems.append(Phrase("set_night_hours", hours=bad_hours))
    rules = [
        (c.min_minutes <= c.max_minutes, "set_not_above", "checks", "min_minutes",
         c.min_minutes, "max_minutes", c.max_minutes),
        (m.min_days <= m.max_days, "set_not_above", "measurements", "min_days", m.min_days,
         "max_days", m.max_days),
        (f.slow_speed_min_kmh < f.slow_speed_max_kmh, "set_below", "flags",
         "slow_speed_min_kmh", f.slow_speed_min_kmh, "slow_speed_max_kmh", f.slow_speed_max_kmh),
        (i.min_speed_kmh < i.max_speed_kmh, "set_below", "import", "min_speed_kmh",
         i.min_speed_kmh, "max_speed_kmh", i.max_speed_kmh),
        (i.last_year == 0 or i.first_year <= i.last_year, "set_not_after", "import",
         "first_year", i.first_year, "last_year", i.last_year),
    ]
    problems += [Phrase(key, section=section, a=a, a_value=f"{va:g}", b=b, b_value=f"{vb:g}")
                 for ok, key, section, a, va, b, vb in rules if not ok]
    return problems
