"""Choices of this app."""
