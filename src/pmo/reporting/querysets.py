"""Permission querysets of the reporting app."""
