"""trafikplan.plan."""
