"""Permission querysets of the dashboards app."""
