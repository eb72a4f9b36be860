"""trafikplan.flags."""
