from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from pmo.core.models import AuditEvent
from pmo.demo.logins import DEMO_LOGINS, DEMO_PASSWORD
from pmo.portfolio.models import Project

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_loads_the_small_demo_and_prints_the_logins():
    output = run("--seed", "11")
    assert "Loaded the small demo (seed 11" in output
    assert "portfolio.Project" in output
    assert DEMO_PASSWORD in output
    for login in DEMO_LOGINS:
        assert login.username in output
    assert 38 <= Project.objects.count() <= 42


def test_if_empty_does_nothing_on_a_database_with_projects():
    run()
    codes = list(Project.objects.values_list("code", "name"))
    output = run("--if-empty", "--seed", "5")
    assert "already has projects" in output
    assert list(Project.objects.values_list("code", "name")) == codes
    assert AuditEvent.objects.filter(action="demo.loaded").count() == 1


def test_refuses_a_second_load_with_a_clear_message():
    run()
    with pytest.raises(CommandError, match="already has projects"):
        run()


def test_refuses_an_unknown_size():
    with pytest.raises(CommandError, match="invalid choice"):
        run("--size", "huge")
    assert not Project.objects.exists()
