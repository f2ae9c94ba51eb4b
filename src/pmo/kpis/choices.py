"""Choices of the kpis app."""
