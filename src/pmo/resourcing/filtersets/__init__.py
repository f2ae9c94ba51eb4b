"""Filters of resourcing lists and API endpoints, one module per area (e.g. ``filtersets/training.py``)."""
