"""Columns of resourcing list pages, one module per area (e.g. ``tables/training.py``)."""
