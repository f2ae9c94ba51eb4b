"""Change requests with impact analysis, configuration items and quality reviews."""
