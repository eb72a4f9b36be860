"""trafikplan.io."""
