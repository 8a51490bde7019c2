"""Use cases: each owns its transaction; the UI and the CLI call these."""
