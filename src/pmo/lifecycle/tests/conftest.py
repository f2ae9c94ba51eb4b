"""One organisation for a test module, built once inside a transaction rolled back at the end of
the module; each test runs in a savepoint of its own (the ``db`` fixture)."""

import pytest
from django.db import transaction
from django.test import override_settings

from pmo.lifecycle.tests.gate_world import build_gate_world

FAST = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def _gate_world_for_module(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_gate_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def gw(_gate_world_for_module, db):
    world = _gate_world_for_module
    for obj in (world.project,):
        obj.refresh_from_db()
    return world
