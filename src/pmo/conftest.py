"""Fixtures shared by every app's tests."""

import threading

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

from pmo.portfolio.testing import build_world


class _OneRequestAtATimeOnSharedSQLite(ThreadedWSGIServer):
    """The browser tests' live server. On an in-memory SQLite database the server's threads share
    the tests' one connection, which is not safe across threads: a page whose panels load in
    parallel could break it ("bad parameter or other API misuse"). There, requests run one at a
    time (each connection still has its own thread, so keep-alive never blocks another); on any
    other database they run side by side, as in production."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, connections_override=connections_override, **kwargs)
        self._turn = threading.Lock() if connections_override else None

    def set_app(self, application):
        if self._turn is None:
            return super().set_app(application)
        turn = self._turn

        def one_at_a_time(environ, start_response):
            with turn:
                result = application(environ, start_response)
                try:
                    body = list(result)
                finally:
                    if hasattr(result, "close"):
                        result.close()
            return body

        return super().set_app(one_at_a_time)


LiveServerThread.server_class = _OneRequestAtATimeOnSharedSQLite


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The real hasher is slow by design; tests create many logins.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Drive the system's Chromium; never a downloaded browser."""
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }
