"""Settings come from PMO_* variables only; the pmo command answers bad input clearly."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError

from pmo.config import env
from pmo.core.choices import Role
from pmo.core.models import Person, RoleAssignment
from pmo.core.permissions import grants_for


def test_boolean_and_integer_readers_name_the_variable(monkeypatch):
    monkeypatch.setenv("PMO_SAMPLE", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="PMO_SAMPLE must be true or false"):
        env.boolean("PMO_SAMPLE")
    monkeypatch.setenv("PMO_SAMPLE", "twelve")
    with pytest.raises(ImproperlyConfigured, match="PMO_SAMPLE must be a whole number"):
        env.integer("PMO_SAMPLE", 1)
    monkeypatch.setenv("PMO_SAMPLE", " a, b ,,c")
    assert env.text_list("PMO_SAMPLE", []) == ["a", "b", "c"]


def test_secret_key_is_generated_once_and_kept_private(tmp_path, monkeypatch):
    monkeypatch.delenv("PMO_SECRET_KEY", raising=False)
    first = env.secret_key("PMO_SECRET_KEY", tmp_path)
    assert len(first) > 50
    assert env.secret_key("PMO_SECRET_KEY", tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    monkeypatch.setenv("PMO_SECRET_KEY", "from-the-environment")
    assert env.secret_key("PMO_SECRET_KEY", tmp_path) == "from-the-environment"


def _pmo(*arguments: str, environment: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pmo.cli", *arguments],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


@pytest.fixture
def clean_environment(tmp_path) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("PMO_") and key != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    environment["PMO_VAR_DIR"] = str(tmp_path)
    return environment


def test_check_deploy_passes_for_a_production_configuration(clean_environment):
    production = {
        **clean_environment,
        "PMO_SECRET_KEY": "k" * 20 + "Qz8-w3Y_pL0vR5tN2xB7mC4dF9gH1jK6",
        "PMO_HTTPS": "true",
        "PMO_ALLOWED_HOSTS": "pmo.example.org",
        "PMO_DEBUG": "false",
        "PMO_EMAIL_BACKEND": "smtp",
    }
    result = _pmo("check", "--deploy", environment=production)
    assert result.returncode == 0, result.stderr
    insecure = _pmo("check", "--deploy", environment={**production, "PMO_HTTPS": "false"})
    assert insecure.returncode != 0
    assert "SECURE_SSL_REDIRECT" in insecure.stderr or "security.W008" in insecure.stderr


def test_bad_setting_stops_start_up_with_the_variable_named(clean_environment):
    result = _pmo("check", environment={**clean_environment, "PMO_DEBUG": "sometimes"})
    assert result.returncode != 0
    assert "PMO_DEBUG must be true or false" in result.stderr
    result = _pmo("check", environment={**clean_environment, "PMO_CACHE_URL": "memcached://x"})
    assert "PMO_CACHE_URL must start with" in result.stderr


def test_sqlite_database_runs_in_wal_mode(clean_environment):
    assert _pmo("migrate", "--verbosity", "0", environment=clean_environment).returncode == 0
    database = Path(clean_environment["PMO_VAR_DIR"]) / "pmo.sqlite3"
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.mark.django_db
def test_createuser_makes_a_login_with_a_role(monkeypatch):
    monkeypatch.setattr("sys.stdin", _Lines("correct-horse-battery-9\n"))
    call_command("createuser", "grace", role=Role.PMO_HEAD, full_name="Grace Hopper", password_stdin=True)
    user = authenticate(username="grace", password="correct-horse-battery-9")
    assert user is not None and user.person.full_name == "Grace Hopper"
    assert grants_for(user).allows_everywhere("change")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "password", "role", "message"),
    [
        ("weak", "abc", None, "password"),
        ("", "correct-horse-battery-9", None, "username"),
        ("someone", "correct-horse-battery-9", "emperor", "Unknown role"),
    ],
)
def test_createuser_refuses_bad_input_and_creates_nothing(monkeypatch, username, password, role, message):
    monkeypatch.setattr("sys.stdin", _Lines(password + "\n"))
    with pytest.raises(CommandError, match=message):
        call_command("createuser", username, role=role, password_stdin=True)
    assert not Person.objects.exists() and not RoleAssignment.objects.exists()


def test_unknown_command_and_benchmark_exit_non_zero(clean_environment):
    assert _pmo("fly", environment=clean_environment).returncode != 0
    result = _pmo("bench", "nonexistent", environment=clean_environment)
    assert result.returncode == 2 and "cpm" in result.stdout


class _Lines:
    """A stand-in for standard input that is not a terminal."""

    def __init__(self, text: str):
        self.lines = text.splitlines(keepends=True)

    def isatty(self) -> bool:
        return False

    def readline(self) -> str:
        return self.lines.pop(0) if self.lines else ""
