"""What the planners say to a person: errors, notes and reasons, in Swedish and English.

Part of the one dictionary (:data:`trafikplan.i18n.TEXT` takes these keys in): every
key maps to its ``(Swedish, English)`` pair, filled with ``str.format`` values. The
planners raise ``InputError("plan_err_...", path=..., **values)`` or
``InfeasiblePlanError("plan_err_...", **values)``; whoever shows it words it in the
reader's language. ``plan_msg_...`` are the notes a plan carries (its ``messages``),
``plan_reason_...`` the parts of a check's reason (:mod:`trafikplan.plan.checks.explain`).
Quoted values (``{name!r}``) are data from a file, shown as written.
"""

from __future__ import annotations

__all__ = ["PLAN_ERRORS"]

PLAN_ERRORS: dict[str, tuple[str, str]] = {
    # ---- plan_edits.toml (trafikplan.plan.edits)
    "plan_err_edit_time": (
        "{where}: väntade en tidpunkt som 2024-11-06T18:00:00+01:00, fann {value!r}",
        "{where}: expected a date-time such as 2024-11-06T18:00:00+01:00, got {value!r}"),
    "plan_err_edits_unreadable": (
        "planens ändringar går inte att läsa: {detail}",
        "cannot read the plan edits: {detail}"),
    "plan_err_edits_unknown_table": (
        "okänd tabell {name!r}; väntade [[lock]], [[forbid]] eller [[away]]",
        "unknown table {name!r}; expected [[lock]], [[forbid]] or [[away]]"),
    "plan_err_edits_not_list": (
        "{kind} ska vara en lista av tabeller ([[{kind}]])",
        "{kind} must be a list of tables ([[{kind}]])"),
    "plan_err_edits_unknown_key": (
        "{where}: okänd nyckel {name!r}; väntade {expected}",
        "{where}: unknown key {name!r}; expected {expected}"),
    "plan_err_edits_missing_key": ("{where}: {name} saknas", "{where}: {name} is missing"),
    "plan_err_edits_end_before_start": (
        "{where}: slutet ligger inte efter starten", "{where}: end is not after start"),
    "plan_err_locked_missing": (
        "den låsta kontrollen {team} {site_id} {start} – {end} är ingen möjlig kontroll "
        "(tidsrutnät, pass, kontrollplats eller längd)",
        "locked check {team} {site_id} {start} - {end} is not a possible check (grid, shift, "
        "check spot or length)"),
    # ---- the week's data (trafikplan.plan.checks)
    "plan_err_sites_lack": ("platstabellen saknar {columns}", "sites table lacks {columns}"),
    "plan_err_flags_lack": (
        "flaggtabellen saknar {columns} (se flaggornas kontrakt)",
        "flags table lacks {columns} (see the flags contract)"),
    "plan_err_step_minutes": (
        "[checks] step_minutes måste vara större än noll",
        "[checks] step_minutes must be positive"),
    "plan_err_no_length": (
        "ingen kontrollängd passar: min_minutes {min_minutes}, max_minutes {max_minutes} och "
        "step_minutes {step_minutes} ger ingen multipel",
        "no check length fits: min_minutes {min_minutes}, max_minutes {max_minutes} and "
        "step_minutes {step_minutes} leave no multiple"),
    "plan_err_no_check_spots": (
        "inga kontrollplatser: sites.csv markerar ingen plats som check_spot",
        "no check spots: sites.csv marks no site as check_spot"),
    "plan_err_no_check_fits": (
        "ingen kontroll får plats under {week}: passen rymmer ingen kontroll på "
        "{min_minutes}–{max_minutes} minuter vid en kontrollplats",
        "no check can be placed in {week}: the shifts fit no check of "
        "{min_minutes}-{max_minutes} minutes at a check spot"),
    "plan_err_no_roster": (
        "ingen polispersonal i schemat för {week}: roster.csv har inga pass",
        "no roster for {week}: roster.csv has no shifts"),
    "plan_err_no_shifts_in_week": (
        "inga pass i roster.csv under {week}", "no roster shifts in {week}"),
    "plan_err_overlapping_shifts": (
        "lag {team} har överlappande pass i olika områden ({area} och {other})",
        "team {team} has overlapping shifts in different areas ({area} and {other})"),
    "plan_err_no_roster_file": (
        "roster.csv saknas: polisens pass (team,start,end) behövs för att planera kontroller",
        "no roster.csv: the police shifts (team,start,end) are needed to plan checks"),
    # ---- solving (trafikplan.plan.checks)
    "plan_err_contradict": (
        "kontrollreglerna motsäger varandra: ingen plan finns",
        "the check rules contradict each other: no plan exists"),
    "plan_err_no_plan_in_time": (
        "ingen plan hittades inom time_limit_s = {seconds} s; höj den i [checks]",
        "no plan found within time_limit_s = {seconds} s; raise it in [checks]"),
    "plan_err_even_relaxed": (
        "{error} (även med {rules} släppta)", "{error} (even with {rules} relaxed)"),
    # ---- notes of a check plan
    "plan_msg_area_unreachable": (
        "område {area} har behov men inget pass når dit",
        "area {area} has need but no shift can reach it"),
    "plan_msg_focus_short": (
        "schemat räcker bara till {target} av {want} kontroller på fokusgator",
        "the roster allows only {target} of {want} checks on focus streets"),
    "plan_msg_focus_short_unproven": (
        "schemat räcker bara till {target} av {want} kontroller på fokusgator (fler hittades "
        "inte inom tidsgränsen)",
        "the roster allows only {target} of {want} checks on focus streets (no more found "
        "within the time limit)"),
    "plan_msg_relaxed": (
        "{rule} gav en tom plan och släpptes ({setting} = {loose})",
        "{rule} left the plan empty and was relaxed ({setting} = {loose})"),
    "plan_msg_little_evidence": (
        "lite underlag ({checks} kontroller, {days} mätdagar): platsen prövas",
        "little evidence ({checks} checks, {days} counter days): exploring"),
    "plan_msg_halo_default": (
        "tidshalo: standardvärdet {hours} h ({checks} kontroller med mätdata räcker inte för "
        "att mäta den)",
        "time halo: the default {hours} h ({checks} checks with counter data are too few to "
        "measure it)"),
    "plan_msg_halo_measured": (
        "tidshalo uppmätt: {hours} h efter {checks} kontroller med mätdata; upprepad kontroll "
        "inom den ger {factor} av värdet",
        "time halo measured: {hours} h after {checks} checks with counter data; a repeat "
        "within it earns {factor} of its value"),
    "plan_msg_nothing_even_relaxed": (
        "ingen kontroll kunde planeras ens med reglerna ovan släppta",
        "no check could be planned even with the rules above relaxed"),
    # ---- a check's reason (trafikplan.plan.checks.explain)
    "plan_reason_road_there": (", {limit}-väg där", ", a {limit} road there"),
    "plan_reason_also": ("Även {street} {km} km bort{there}: {base}",
                         "Also {street} {km} km away{there}: {base}"),
    "plan_reason_near": ("Nära {street} ({km} km{there}): {base}",
                         "Near {street} ({km} km{there}): {base}"),
    "plan_reason_focus": ("Fokusgata i medborgarlöftet", "Focus street of the citizen pledge"),
    "plan_reason_repeated": (" (upprepad kontroll på platsen: reducerat värde)",
                             " (repeated check at this site: reduced value)"),
    "plan_reason_flagged_hour": ("flaggad tid på {street}", "flagged hour at {street}"),
    "plan_reason_part_hour": (" ({part} av kontrollens {total} min i den timmen)",
                              " ({part} of the check's {total} min in that hour)"),
    # ---- the measurement plan (trafikplan.plan.measurements)
    "plan_crew_new_site": ("ny mätplats", "new site"),
    "plan_crew_install": ("Sätt upp", "Install"),
    "plan_crew_remove": ("Ta ner", "Remove"),
    "plan_err_no_fleet_file": (
        "counter_fleet.csv saknas: lista mätarna (counter,kind[,available_from])",
        "no counter_fleet.csv: list the counters (counter,kind[,available_from])"),
    "plan_err_weeks": (
        "--weeks måste vara minst 1, fick {weeks}", "--weeks must be at least 1, got {weeks}"),
    "plan_err_measure_settings": (
        "[measurements] min_days och max_installs_per_day måste vara minst 1",
        "[measurements] min_days and max_installs_per_day must be at least 1"),
    "plan_err_no_counters": (
        "inga mätare i counter_fleet.csv", "no counters in counter_fleet.csv"),
    "plan_err_candidate_ids": (
        "kandidaternas id måste vara unika", "candidate ids must be unique"),
    "plan_err_measure_timeout": (
        "lösaren hittade ingen mätplan inom {seconds} s (status {status}); höj "
        "[measurements] time_limit_s",
        "the solver found no measurement plan within {seconds} s (status {status}); raise "
        "[measurements] time_limit_s"),
}
"""Errors and notes of the planners: key -> (Swedish, English)."""
