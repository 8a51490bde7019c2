"""Pages of the main window, one per register or task."""
