"""One reporting world per test module, built inside a transaction rolled back when the module
ends; each test runs in a savepoint of its own (the ``db`` fixture)."""

import pytest
from django.db import transaction
from django.test import override_settings

from pmo.reporting.testing import build_reporting_world

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def _reporting_world_for_module(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER, TIME_ZONE="UTC"):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_reporting_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def rw(_reporting_world_for_module, db, settings):
    settings.TIME_ZONE = "UTC"
    return _reporting_world_for_module
