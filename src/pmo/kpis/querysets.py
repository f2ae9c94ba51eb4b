"""Permission querysets of the kpis app."""
