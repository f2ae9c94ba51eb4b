"""Fixtures of the dashboards' tests: a fixed today (the test data's last period end) and
clients signed in as a given user."""

import pytest
from django.test import Client

from pmo.dashboards import selectors
from pmo.dashboards.testing import TODAY


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(selectors.timezone, "localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture
def signed_in():
    def client_for(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return client_for
