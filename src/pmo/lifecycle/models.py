"""Models of lifecycle and charter."""
