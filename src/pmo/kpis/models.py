"""Models of the kpis app."""
