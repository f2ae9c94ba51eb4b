"""Models of change control."""
