"""The settings of a data folder and their defaults: what ``trafikplan.toml`` may hold.

One frozen dataclass per TOML table (``[checks]``, ``[measurements]`` ...), every key
with its default and unit in the field's docstring; :class:`Settings` holds them all.
Reading and checking the file is :mod:`trafikplan.settings.load`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

__all__ = [
    "SECTIONS",
    "SETTINGS_FILE",
    "CheckSettings",
    "FlagSettings",
    "ImportSettings",
    "LearningSettings",
    "LimitSettings",
    "MeasurementSettings",
    "ReportSettings",
    "Settings",
    "StatsSettings",
]

SETTINGS_FILE = "trafikplan.toml"


@dataclass(frozen=True)
class CheckSettings:
    """``[checks]``: rules for police speed checks (minutes, km/h, hours)."""

    min_minutes: int = 20
    """Shortest check [min] (short visits: most of a check's effect comes in its first
    20-30 minutes, see ``visit_halflife_minutes``)."""
    max_minutes: int = 60
    """Longest check [min]."""
    step_minutes: int = 5
    """Checks start and end on this grid counted from Monday 00:00 [min]; divides 60 and,
    to keep set-up exact, ``setup_minutes``."""
    setup_minutes: int = 15
    travel_kmh: float = 30.0
    max_per_site_per_week: int = 2
    min_hours_between_same_site: float = 48.0
    focus_min_per_week: int = 3
    seed: int = 0
    distance_halo_km: float = 0.9
    """Distance at which partial credit for a nearby site halves [km]."""
    value_tolerance: float = 0.03
    """Seeded alternative plans keep the main value within this share of the best."""
    time_limit_s: float = 30.0
    """Solver time limit per solve [s] (CP-SAT deterministic time: plans are reproducible)."""
    distance_halo_radius_km: float = 2.0
    """A check gives partial credit to other sites only within this distance [km]."""
    repeat_factor: float = 0.5
    """Share of its value a repeated check at the same site earns (time halo) [1]."""
    time_halo_hours: float = 168.0
    """A check this soon after one in an earlier plan at the same site counts as repeated [h]."""
    area_share_slack: float = 0.5
    """Each area gets at least (1 - this) of its need-proportional share of check minutes [1]."""
    num_workers: int = 1
    """CP-SAT search workers; more take turns in fixed batches (reproducible too, but their
    deterministic time overshoots the limit)."""
    distance_halo_cap: float = 0.1
    """A site-slot's distance-halo credit is at most this share of its value, however
    many checks run nearby (a check at the site itself earns it all) [1]."""
    distance_halo_same_street: bool = True
    """The distance halo reaches only sites on the check's own street (the effect of a
    check runs along the road it is on); False: every site within the radius."""
    visit_halflife_minutes: float = 15.0
    """A check's value per minute halves every this many minutes after it starts
    (diminishing returns of one visit: a 20-minute check earns 60 %, 30 minutes 75 % of
    what an endless one would); 0 = constant [min]."""
    length_step_minutes: int = 20
    """Check lengths are ``min_minutes``, ``min_minutes + this``, ... up to ``max_minutes``
    (0 = every multiple of ``step_minutes``) [min]."""
    max_checks_per_shift: int = 8
    """At most this many checks in one shift of a team (0 = no cap) [count]."""
    break_minutes: int = 30
    """Meal break without checks in the middle of every shift longer than
    ``break_after_hours`` (0 = none) [min]."""
    break_after_hours: float = 5.0
    """Shifts longer than this get the break [h]."""
    recency_weeks: int = 4
    """Site-hours (site, local weekday, hour) checked in the issued plans of this many
    weeks before the planned one count as recently used [weeks]."""
    recency_penalty: float = 0.8
    """A recently used site-hour is worth (1 - this) of its value: drivers must not learn
    where and when checks come back [1]."""
    bound_iterations: int = 60
    """Subgradient steps of the week's upper bound: a fixed budget, so the bound is the
    same on a loaded and an idle machine [count]."""
    cpsat_max_candidates: int = 8_000
    """CP-SAT plans the whole week only when it keeps at most this many candidates;
    larger weeks go from the greedy plan straight to the local search [count]."""
    candidates_per_start: int = 6
    """Candidate checks kept per shift, start and length: the best this many sites
    (plus focus sites, two per area and the greedy plan's checks); 0 keeps all [count]."""
    start_step_minutes: int = 15
    """Checks start on this grid of local time (quarter hours), or where they fit tightly:
    at the start of the shift or right after its break, or ending at the break, at the
    shift's end or on a full hour; 0 (or a value that is no multiple of ``step_minutes``)
    lets checks start on every ``step_minutes`` [min]."""
    shifts_per_site: int = 16
    """A site is a candidate in the shifts where a check there is worth most: its best this
    many shifts, and every shift that ranks it among its best ``sites_per_shift``; 0 (in
    both) keeps every site in every shift [count]."""
    sites_per_shift: int = 24
    """See ``shifts_per_site`` [count]."""
    search_rounds: int = 10
    """Rounds of the iterated local search (perturb three shifts, improve again): an
    iteration budget, so the plan is the same on a loaded and an idle machine [count]."""


@dataclass(frozen=True)
class MeasurementSettings:
    """``[measurements]``: rules for counter deployments."""

    min_days: int = 7
    max_installs_per_day: int = 2
    after_weeks: int = 4
    stale_months: int = 24
    time_limit_s: float = 30.0
    """Solver time limit [s] (CP-SAT deterministic time: plans are reproducible)."""
    max_days: int = 14
    """Longest deployment, install to removal [days]; at least ``min_days``."""
    before_max_age_months: int = 12
    """A planned measure needs a before measurement unless its site has data this new [months]."""
    seed: int = 0
    """Seed of the solver (one worker) and of the evaluation's bootstrap."""
    bootstrap_reps: int = 2000
    """Bootstrap replicates for the V85 difference in ``evaluate``."""
    evaluation_window_days: int = 365
    """Length of the before and of the after period in ``evaluate`` [days]."""
    neighbour_radius_km: float = 1.5
    """Sites this close on other streets: comparison candidates and diversion checks [km]."""
    diversion_min_change: float = 0.10
    """Volume growth on a neighbouring street reported as possible diversion [share]."""


@dataclass(frozen=True)
class StatsSettings:
    """``[stats]``: speed statistics."""

    free_flow_headway_s: float = 5.0
    """Vehicles closer than this to the one ahead are not in free flow [s]."""
    min_vehicles_percentile: int = 0
    """Extra floor on n for percentiles (0 = only the order-statistic rule)."""
    include_bicycles: bool = False
    """Bicycles are kept in the store but left out of motor-vehicle statistics."""


@dataclass(frozen=True)
class FlagSettings:
    """``[flags]``: thresholds for flagging a site and local hour of the week."""

    share_over_limit_min: float = 0.15
    """The share over the limit that marks a speed problem [share]: used for the
    regression-to-the-mean warning of evaluations and the measurement plan's
    "uncertain" band. Not a second speeding rule: V85 above limit + 5 km/h
    already means more than 15 % over the limit (``trafikplan.flags.compute``)."""
    v85_margin_kmh: float = 5.0
    """Speeding needs the lower 95 % limit of V85 above limit + this [km/h]."""
    max_class_width_kmh: float = 10.0
    """A V85 read from speed classes wider than this is not used for a speeding
    flag; the reason says so [km/h]."""
    min_vehicles: int = 30
    """Fewer vehicles in a site-hour than this give no speeding evidence."""
    extreme_over_kmh: float = 30.0
    """A vehicle faster than limit + this is an extreme speed [km/h]."""
    night_hours: tuple[int, ...] = (22, 23, 0, 1, 2, 3, 4, 5)
    """Local hours of day that count as night."""
    report_smoothing_hours: int = 1
    """Reports count for this many neighbouring hours on each side."""
    extreme_min_count: int = 3
    """Extreme speeds fire when at least this many vehicles exceed limit + extreme_over_kmh."""
    extreme_share_min: float = 0.005
    """... and the lower 95 % Wilson limit of their share exceeds this [share]."""
    lap_over_kmh: float = 25.0
    """A night pass faster than limit + this is a fast pass for the laps indicator [km/h]."""
    lap_min_passes: int = 4
    """Laps fire when at least this many fast passes fall within lap_window_minutes."""
    lap_window_minutes: float = 20.0
    """Window of the laps indicator, within one night at one site [min]."""
    night_excess_kmh: float = 5.0
    """Night excess fires when night V85 lower limit exceeds day V85 upper limit by this [km/h]."""
    slow_speed_min_kmh: float = 20.0
    """Lower speed of a slow vehicle (A-traktor, moped) [km/h]."""
    slow_speed_max_kmh: float = 35.0
    """Upper speed of a slow vehicle (A-traktor, moped) [km/h]."""
    slow_group_gap_s: float = 4.0
    """Slow vehicles at most this far apart form a group [s]."""
    slow_group_min_vehicles: int = 3
    """A slow group has at least this many vehicles."""
    slow_group_min_limit_kmh: float = 50.0
    """Slow groups only count on streets with at least this limit [km/h]."""
    slow_group_min_count: int = 2
    """Slow groups fire when a site-hour has at least this many groups."""
    short_headway_s: float = 1.0
    """A headway below this at a speed over the limit is a short headway at speed [s]."""
    short_headway_min_count: int = 5
    """Short headways fire when at least this many occur in a site-hour ..."""
    short_headway_share_min: float = 0.02
    """... and the lower 95 % Wilson limit of their share exceeds this [share]."""
    reports_min: int = 3
    """Reports within the smoothing window needed to flag a site-hour [reports]."""
    report_categories: tuple[str, ...] = ("speeding", "reckless", "noise")
    """Canonical report categories counted as evidence."""
    weight_injury: float = 1.0
    """Score weight of the injury-crash term, (v / limit) ** 2 - 1 (Nilsson)."""
    weight_serious: float = 1.0
    """Score weight of the serious-injury term, (v / limit) ** 3 - 1 (Nilsson)."""
    weight_fatal: float = 1.0
    """Score weight of the fatal-crash term, (v / limit) ** 4 - 1 (Nilsson)."""
    reckless_weight: float = 10.0
    """Score per reckless event (extreme pass, lap pass, slow-group vehicle, short
    headway at speed) per observed hour [h / event]."""
    report_weight: float = 10.0
    """Score per smoothed report in the site-hour [1 / report]."""


@dataclass(frozen=True)
class LearningSettings:
    """``[learning]``: learning from what checks found (:mod:`trafikplan.plan.learning`)."""

    exploration_weight: float = 0.5
    """Exploration bonus of a site-hour without evidence, as a share of the reference
    score (median positive flag score at check spots) [1]; 0 turns exploration off."""
    counter_day_weight: float = 0.5
    """Evidence units of one day of counter data at a site-hour [checks / day]."""
    prior_vehicles: float = 100.0
    """Strength of the prior on a site-hour's violation rate (the rate of all checks)
    [vehicles]: fewer vehicles checked there move its value little."""
    max_lift: float = 3.0
    """Largest factor by which check outcomes raise or lower a site-hour's score [1]."""
    halo_baseline_weeks: int = 3
    """Weeks before a check whose same hours of the week are its halo baseline [weeks]."""
    halo_min_checks: int = 10
    """Checks with counter data needed before the planner uses the measured halo
    instead of ``[checks] time_halo_hours`` [checks]: checks are the units of
    the halo's interval, and fewer than about ten cannot tell a halo of a few
    km/h from day-to-day variation."""


@dataclass(frozen=True)
class ImportSettings:
    """``[import]``: plausibility limits and matching of reports to sites."""

    min_speed_kmh: float = 0.0
    max_speed_kmh: float = 250.0
    """Speeds above this are impossible readings and set aside [km/h]."""
    match_radius_m: float = 300.0
    """A report with coordinates matches the nearest site within this [m]."""
    chunk_rows: int = 2_000_000
    """Rows read at a time from a large counter file."""
    first_year: int = 1990
    """Times before 1 January of this year are rejected rows (a typo, not a measurement)."""
    last_year: int = 0
    """Times after 31 December of this year are rejected rows; 0 = next year."""

    def time_window(self) -> tuple[Any, Any]:
        """Return the plausible times ``[lo, hi)`` as UTC pandas Timestamps."""
        import datetime as dt

        import pandas as pd

        last = self.last_year or dt.datetime.now(dt.UTC).year + 1
        return (pd.Timestamp(f"{self.first_year}-01-01", tz="UTC"),
                pd.Timestamp(f"{last + 1}-01-01", tz="UTC"))


@dataclass(frozen=True)
class ReportSettings:
    """``[reports]``: what is kept of Embrace reports (data minimisation)."""

    keep_text: bool = False
    """Keep the reports' free text in the store (redacted of personal data).

    Off by default: the text is used at import (category keywords, street
    matching) and then dropped; ``text`` is NA in the store and the outputs."""
    known_streets: tuple[str, ...] = ()
    """Street names of the municipality besides those of sites.csv and
    ``focus_streets``; a report street that is none of these and not shaped
    like a street name (``…gatan``, ``…vägen`` ...) is stored as unknown
    (shown as "okänd plats")."""


@dataclass(frozen=True)
class LimitSettings:
    """``[limits]``: how large or deep an input may be before it is refused (exit 2).

    Hostile or broken files (a gzip or ``.xlsx`` bomb, one line of 10 MB, a
    header of millions of columns, TOML nested thousands deep) stop with one
    line naming the file and the limit, within seconds and bounded memory;
    raise a limit here when a genuine file needs it.
    """

    max_decompressed_mb: float = 8192.0
    """Largest decompressed content of one gzip file or ``.xlsx`` workbook [MiB]."""
    max_compression_ratio: float = 200.0
    """Largest decompressed/compressed size ratio of a gzip file or ``.xlsx`` part, checked
    once more than 16 MiB came out (text compresses 5-20 times; bombs 1000 times) [1]."""
    max_line_kb: float = 1024.0
    """Longest line of a text file [KiB]."""
    max_field_kb: float = 128.0
    """Longest field (a quoted field may span lines) of a report, site or check file [KiB]."""
    max_columns: int = 1000
    """Most columns in a header or a row."""
    max_rows_xlsx: int = 1_000_000
    """Most rows read from a sheet of an ``.xlsx`` file (Excel's own limit is 1 048 576)."""
    max_toml_depth: int = 20
    """Deepest nesting of arrays and tables in a TOML file (settings, format profiles)."""
    max_table_mb: float = 512.0
    """Largest (decompressed) small table read whole: sites, reports, checks, roster [MiB]."""


@dataclass(frozen=True)
class Settings:
    """All settings of one data folder.

    Attributes
    ----------
    municipality : str
        Name shown in reports.
    timezone : str
        IANA time zone of every local hour, date and weekday a user sees.
    language : str
        ``"sv"`` (default) or ``"en"`` for text a person reads.
    focus_streets : tuple of str
        Streets of the medborgarlöfte; marked, never scored higher by fiat.
    """

    municipality: str
    timezone: str = "Europe/Stockholm"
    language: str = "sv"
    focus_streets: tuple[str, ...] = ()
    checks: CheckSettings = field(default_factory=CheckSettings)
    measurements: MeasurementSettings = field(default_factory=MeasurementSettings)
    stats: StatsSettings = field(default_factory=StatsSettings)
    flags: FlagSettings = field(default_factory=FlagSettings)
    import_: ImportSettings = field(default_factory=ImportSettings)
    learning: LearningSettings = field(default_factory=LearningSettings)
    reports: ReportSettings = field(default_factory=ReportSettings)
    limits: LimitSettings = field(default_factory=LimitSettings)
    category_rules: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """``[categories]``: canonical category -> extra raw names/keywords."""

    @property
    def tz(self) -> ZoneInfo:
        """The time zone as a :class:`zoneinfo.ZoneInfo`."""
        return ZoneInfo(self.timezone)


SECTIONS: dict[str, type] = {
    "checks": CheckSettings,
    "measurements": MeasurementSettings,
    "stats": StatsSettings,
    "flags": FlagSettings,
    "import": ImportSettings,
    "learning": LearningSettings,
    "reports": ReportSettings,
    "limits": LimitSettings,
}
"""TOML table name -> its dataclass (``import`` is the attribute ``import_``)."""
