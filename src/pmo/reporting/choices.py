"""Choices of the reporting app."""
