from datetime import date

import pytest
from django.db import transaction
from django.test import override_settings

from pmo.core.models import OfficeMembership, OrganisationUnit, Person, PMOOffice, RoleAssignment
from pmo.demo.build import build_demo
from pmo.portfolio.models import (
    Portfolio,
    Programme,
    Project,
    ProjectDependency,
    ProjectObjective,
    StrategicObjective,
)

# A fixed date the demo is built around, so that every run sees the same data.
TODAY = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # The demo hashes one password per login; the default hasher would make each build slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def _small_demo_for_module(django_db_setup, django_db_blocker):
    """The small demo, built once for a test module inside a transaction that is rolled back when
    the module ends. Each test runs inside it in a savepoint of its own (the ``db`` fixture), so
    what a test writes is undone before the next, and the demo is built once, not once a test."""
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=fast):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_demo(size="small", seed=2026, today=TODAY)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def small_demo(_small_demo_for_module, db):
    return _small_demo_for_module


def fingerprint() -> list:
    """Everything the demo wrote, by natural keys (codes, names), free of primary keys and
    timestamps: equal fingerprints mean the same organisation."""
    codes = {
        "portfolio": dict(Portfolio.objects.values_list("pk", "code")),
        "programme": dict(Programme.objects.values_list("pk", "code")),
        "project": dict(Project.objects.values_list("pk", "code")),
    }

    def scope(scope_type, scope_id):
        return codes[scope_type][scope_id] if scope_id is not None else None

    def rows(model, *fields):
        return sorted(model.objects.values_list(*fields))

    return [
        rows(OrganisationUnit, "code", "name", "parent__code"),
        rows(Person, "full_name", "email", "job_title", "unit__code", "user__username"),
        rows(StrategicObjective, "code", "name", "weight", "owner__full_name", "active_from", "active_to"),
        rows(Portfolio, "code", "name", "manager__full_name"),
        rows(Programme, "code", "name", "portfolio__code", "manager__full_name", "sro__full_name"),
        rows(
            Project,
            "code",
            "name",
            "portfolio__code",
            "programme__code",
            "stage",
            "planned_start",
            "planned_finish",
            "budget",
            "rag",
            "manager__full_name",
            "sro__full_name",
            "scope_statement",
        ),
        rows(ProjectObjective, "project__code", "objective__code", "contribution_weight"),
        rows(ProjectDependency, "dependent__code", "provider__code", "output", "needed_by", "status"),
        sorted(
            (
                office.name,
                office.kind,
                office.is_permanent,
                scope(office.scope_type, office.scope_id),
                office.established_on,
                office.closes_on,
            )
            for office in PMOOffice.objects.all()
        ),
        rows(OfficeMembership, "office__name", "person__full_name", "staff_role", "allocation_percent"),
        sorted(
            (a.person.full_name, a.role, a.scope_type, scope(a.scope_type, a.scope_id))
            for a in RoleAssignment.objects.select_related("person")
        ),
    ]


def built_fingerprint(*, seed: int, today: date = TODAY, size: str = "small") -> list:
    """Build the demo, read its fingerprint, and roll the build back."""
    with transaction.atomic():
        build_demo(size=size, seed=seed, today=today)
        data = fingerprint()
        transaction.set_rollback(True)
    return data
