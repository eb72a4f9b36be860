"""CLI command module (being written)."""
