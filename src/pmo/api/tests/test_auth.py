"""Signing in to the API: a token for a username and password, or the web session (with CSRF)."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from pmo.api.tests.helpers import PASSWORD, url
from pmo.core.choices import Role

TOKEN_URL = "/api/v1/auth/token/"


def test_a_username_and_password_give_a_token(client_for, team_member_b):
    response = client_for(None).post(TOKEN_URL, {"username": "tess", "password": PASSWORD}, format="json")
    again = client_for(None).post(TOKEN_URL, {"username": "tess", "password": PASSWORD}, format="json")

    assert response.status_code == 200, response.data
    assert response.data == {"token": Token.objects.get(user=team_member_b).key}
    assert again.data == response.data


def test_the_token_authenticates_reads_and_writes(client_for, make_user, organisation):
    make_user("mia", Role.PROJECT_MANAGER, organisation.project_a1)
    token = client_for(None).post(TOKEN_URL, {"username": "mia", "password": PASSWORD}, format="json").data["token"]
    # CSRF is checked as in production: a token request needs none.
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    projects = client.get(url("project"))
    changed = client.patch(url("project", organisation.project_a1.pk), {"rag": "red"}, format="json")

    assert [row["code"] for row in projects.data["results"]] == ["PA-1"]
    assert changed.status_code == 200, changed.data
    organisation.project_a1.refresh_from_db()
    assert organisation.project_a1.rag == "red"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"username": "tess", "password": "wrong-horse-battery-9"}, "non_field_errors"),
        ({"username": "nobody", "password": PASSWORD}, "non_field_errors"),
        ({"username": "tess"}, "password"),
        ({}, "username"),
    ],
    ids=["wrong password", "unknown user", "no password", "nothing"],
)
def test_bad_credentials_give_no_token(client_for, team_member_b, body, field):
    response = client_for(None).post(TOKEN_URL, body, format="json")

    assert response.status_code == 400
    assert field in response.data["errors"]
    assert "token" not in response.data
    assert not Token.objects.exists()


def test_an_inactive_login_gets_no_token(client_for, team_member_b):
    team_member_b.is_active = False
    team_member_b.save()

    response = client_for(None).post(TOKEN_URL, {"username": "tess", "password": PASSWORD}, format="json")

    assert response.status_code == 400


def test_session_writes_need_the_csrf_token(team_member_b, administrator, organisation):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(administrator)

    read = client.get(url("project"))
    write = client.patch(url("project", organisation.project_a1.pk), {"rag": "red"}, format="json")

    assert read.status_code == 200
    assert write.status_code == 403
    assert "CSRF" in write.data["detail"]
    organisation.project_a1.refresh_from_db()
    assert organisation.project_a1.rag == "green"


def test_a_signed_in_session_can_still_ask_for_a_token(team_member_b):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(team_member_b)

    response = client.post(TOKEN_URL, {"username": "tess", "password": PASSWORD}, format="json")

    assert response.status_code == 200
