"""trafikplan.report."""
