"""Building the demo on an empty database: the same seed gives the same organisation, a bad
request or a failing step writes nothing, and the large demo holds what it says. (The tests that
read the small demo, built once for their module, are in test_build.py.)"""

from datetime import date

import pytest
from django.contrib.auth import authenticate, get_user_model

from pmo.core.errors import DomainError
from pmo.core.models import AuditEvent, OrganisationUnit, Person
from pmo.demo import build as build_module
from pmo.demo.build import DEMO_LOADED, build_demo
from pmo.demo.logins import DEMO_LOGINS, DEMO_PASSWORD
from pmo.demo.tests.conftest import TODAY, built_fingerprint
from pmo.portfolio.choices import LifecycleStage
from pmo.portfolio.models import Portfolio, Programme, Project, StrategicObjective

pytestmark = pytest.mark.django_db


def test_same_seed_and_date_give_the_same_organisation(db):
    first = built_fingerprint(seed=2026)
    assert Project.objects.count() == 0
    assert built_fingerprint(seed=2026) == first
    assert built_fingerprint(seed=7) != first
    assert built_fingerprint(seed=2026, today=date(2027, 1, 4)) != first


def test_refuses_an_unknown_size(db):
    with pytest.raises(DomainError, match="Unknown demo size 'medium'"):
        build_demo(size="medium", today=TODAY)
    assert not Person.objects.exists()


def test_refuses_clashing_logins_and_writes_nothing(db):
    get_user_model().objects.create_user(username="admin", password="x")
    with pytest.raises(DomainError, match="logins admin"):
        build_demo(today=TODAY)
    assert not Person.objects.exists() and not OrganisationUnit.objects.exists()


def test_a_failing_step_leaves_nothing_behind(db, monkeypatch):
    def broken_step(ctx):
        raise RuntimeError("disk full")

    steps = build_module.STEPS
    monkeypatch.setattr(build_module, "STEPS", (*steps[:6], broken_step, *steps[6:]))
    with pytest.raises(RuntimeError, match="disk full"):
        build_demo(today=TODAY)
    for model in (OrganisationUnit, Person, StrategicObjective, Portfolio, Programme, Project, AuditEvent):
        assert not model.objects.exists(), model


def test_large_demo(db):
    summary = build_demo(size="large", seed=2026, today=TODAY)
    assert summary.projects == Project.objects.count() == 1000
    assert summary.people == Person.objects.count() == 5000
    assert Portfolio.objects.count() == 5
    assert Programme.objects.count() == 40
    assert OrganisationUnit.objects.count() == 30
    assert set(Project.objects.values_list("stage", flat=True)) == set(LifecycleStage.values)
    assert Project.objects.values("name").distinct().count() == 1000
    assert Project.objects.order_by("code").first().code == "PRJ-0001"
    assert AuditEvent.objects.filter(action=DEMO_LOADED).count() == 1
    for login in DEMO_LOGINS:
        assert authenticate(username=login.username, password=DEMO_PASSWORD) is not None
