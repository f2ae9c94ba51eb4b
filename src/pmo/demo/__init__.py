"""A seeded, deterministic demo organisation for pmo: units, people, PMO offices, objectives,
portfolios, programmes and projects, role assignments and one login per role.

``pmo.demo.build.build_demo(size=..., seed=..., today=...)`` loads it in one transaction; the ``demo`` management
command runs it from the command line. ``pmo.demo.logins.DEMO_LOGINS`` lists the logins, all with ``DEMO_PASSWORD``.
This package is also a Django app, so that the command is found; nothing is imported here.
"""
