"""Levelling's resources in the permission matrix (web/tests/test_permission_matrix.py)."""

from pmo.core.testing.harness import Resource
from pmo.levelling import services
from pmo.levelling.models import LevellingRun


def _run(world) -> LevellingRun:
    existing = LevellingRun.objects.filter(project=world.project).first()
    return existing or services.start_run(actor=world.admin, scope="project", target=world.project)


LEVELLING_RESOURCES = [
    Resource(
        name="levelling run",
        obj=_run,
        permitted=lambda w: w.permitted,
        scoped=True,
        ui_list="levelling:run_list",
        ui_detail="levelling:run",
        api_basename="levelling-run",
        read_only=True,
    ),
]
