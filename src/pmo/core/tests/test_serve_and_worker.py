"""`pmo serve` answers HTTP; `pmo worker` runs tasks queued in the database."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest


@pytest.fixture
def var_environment(tmp_path) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("PMO_") and key != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    environment["PMO_VAR_DIR"] = str(tmp_path)
    subprocess.run(
        [sys.executable, "-m", "pmo.cli", "migrate", "--verbosity", "0"], env=environment, check=True, timeout=120
    )
    return environment


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _workers_of(var_dir: str) -> list[int]:
    """Processes running ``pmo.cli worker`` for this test's database."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as cmdline, open(f"/proc/{entry}/environ", "rb") as environ:
                if b"pmo.cli\0worker" in cmdline.read() and f"PMO_VAR_DIR={var_dir}".encode() in environ.read():
                    found.append(int(entry))
        except OSError:
            continue
    return found


def test_serve_answers_the_sign_in_page_and_static_files(var_environment, tmp_path):
    marker = tmp_path / "served.txt"
    enqueue = (
        "import django; django.setup();"
        "from pmo.core.tests.sample_tasks import write_marker;"
        f"write_marker.enqueue({str(marker)!r}, 'run beside the server')"
    )
    environment = {**var_environment, "DJANGO_SETTINGS_MODULE": "pmo.config.settings"}
    subprocess.run([sys.executable, "-c", enqueue], env=environment, check=True, timeout=60)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "pmo.cli", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=var_environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/sign-in/", timeout=5) as response:
                    page = response.read().decode()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.3)
        assert "Sign in to pmo" in page
        stylesheet = page.split('href="', 2)[1].split('"')[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{stylesheet}", timeout=5) as response:
            assert response.status == 200 and b".topbar" in response.read()
        # The worker started beside the server runs the queued task.
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.3)
        assert marker.read_text() == "run beside the server"
        assert _workers_of(var_environment["PMO_VAR_DIR"])
    finally:
        server.terminate()
        server.wait(timeout=30)
    # ...and stops when the server stops.
    deadline = time.monotonic() + 30
    while _workers_of(var_environment["PMO_VAR_DIR"]) and time.monotonic() < deadline:
        time.sleep(0.3)
    assert not _workers_of(var_environment["PMO_VAR_DIR"])


def test_worker_runs_queued_tasks_then_stops_in_batch_mode(var_environment, tmp_path):
    marker = tmp_path / "marker.txt"
    enqueue = (
        "import django, os; django.setup();"
        "from pmo.core.tests.sample_tasks import write_marker;"
        f"print(write_marker.enqueue({str(marker)!r}, 'done').id)"
    )
    environment = {**var_environment, "DJANGO_SETTINGS_MODULE": "pmo.config.settings"}
    result_id = subprocess.run(
        [sys.executable, "-c", enqueue], env=environment, check=True, capture_output=True, text=True, timeout=60
    ).stdout.strip()
    assert not marker.exists()
    subprocess.run([sys.executable, "-m", "pmo.cli", "worker", "--batch"], env=environment, check=True, timeout=120)
    assert marker.read_text() == "done"
    status = (
        "import django; django.setup();"
        "from pmo.core.tests.sample_tasks import write_marker;"
        f"print(write_marker.get_result({result_id!r}).status)"
    )
    output = subprocess.run(
        [sys.executable, "-c", status], env=environment, check=True, capture_output=True, text=True, timeout=60
    )
    assert output.stdout.strip() == "SUCCESSFUL"
