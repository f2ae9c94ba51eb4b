"""pmo: the system of record of a Project Management Office (Django project)."""

__version__ = "0.1.0"
