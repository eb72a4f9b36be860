"""trafikplan.stats."""
