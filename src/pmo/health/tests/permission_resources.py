"""Health's resources in the permission matrix (web/tests/test_permission_matrix.py)."""

from pmo.core.testing.harness import Resource
from pmo.health import services
from pmo.health.models import HealthCheck, HealthRuleSetting, ProjectSnapshot


def _record(world) -> None:
    if not HealthCheck.objects.filter(project=world.project).exists():
        services.record_snapshots(project_ids=[world.project.pk])


def _check(world) -> HealthCheck:
    _record(world)
    return HealthCheck.objects.get(project=world.project, is_latest=True)


def _snapshot(world) -> ProjectSnapshot:
    _record(world)
    return ProjectSnapshot.objects.get(project=world.project, is_latest=True)


def _setting(world) -> HealthRuleSetting:
    existing = HealthRuleSetting.objects.filter(rule="cpi").first()
    return existing or services.update_rule_setting(actor=world.admin, rule="cpi", amber=0.9, red=0.8)


HEALTH_RESOURCES = [
    Resource(
        name="health check",
        obj=_check,
        permitted=lambda w: w.permitted,
        scoped=True,
        ui_list="health:health_list",
        api_basename="health-check",
        api_change={"overall": "green"},
        read_only=True,
    ),
    Resource(
        name="project snapshot",
        obj=_snapshot,
        permitted=lambda w: w.permitted,
        scoped=True,
        api_basename="project-snapshot",
        api_change={"ev": 1.0},
        read_only=True,
    ),
    Resource(
        name="health rule setting",
        obj=_setting,
        permitted=lambda w: w.org_head,
        scoped=False,
        api_basename="health-rule",
        api_change={"amber": 0.92, "reason": "Tighter"},
    ),
]
