"""Choices of the dashboards app."""
