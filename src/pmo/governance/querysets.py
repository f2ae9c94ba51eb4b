"""Querysets of this app: what each user may see and change."""
