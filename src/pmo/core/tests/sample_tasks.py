"""A task for the worker test: it records that it ran, in a file the test reads."""

from pathlib import Path

from django.tasks import task


@task
def write_marker(path: str, text: str) -> str:
    Path(path).write_text(text)
    return text
