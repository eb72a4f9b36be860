"""trafikplan.sample."""
