"""The plans' resources in the permission matrix (web/tests/test_permission_matrix.py)."""

from datetime import datetime

from django.utils import timezone

from pmo.core.testing.harness import Resource, form_data
from pmo.planning import services
from pmo.planning.forms import ActivityForm
from pmo.planning.models import Activity, Baseline, Calendar, Link


def _activity(world, name: str = "Design") -> Activity:
    existing = Activity.objects.filter(project=world.project, name=name).first()
    return existing or services.create_activity(
        actor=world.admin, project=world.project, name=name, duration_minutes=960
    )


def _link(world) -> Link:
    design, build = _activity(world), _activity(world, "Build")
    existing = Link.objects.filter(predecessor=design, successor=build).first()
    return existing or services.create_link(actor=world.admin, predecessor=design, successor=build)


def _calendar(world) -> Calendar:
    existing = Calendar.objects.filter(project=world.project).first()
    return existing or services.create_calendar(
        actor=world.admin, project=world.project, name="Four-day week", working_weekdays=[0, 1, 2, 3]
    )


def _baseline(world) -> Baseline:
    existing = Baseline.objects.filter(project=world.project).first()
    if existing:
        return existing
    _activity(world)
    services.update_plan(
        actor=world.admin, project=world.project, changes={"start": timezone.make_aware(datetime(2026, 3, 2, 8))}
    )
    services.reschedule(actor=world.admin, projects=[world.project])
    return services.set_baseline(actor=world.admin, project=world.project, number=0, name="Approved")


def _plan(world):
    return services.plan_for(world.project)


PLANNING_RESOURCES = [
    Resource(
        name="activity",
        obj=_activity,
        permitted=lambda w: w.permitted,
        scoped=True,
        ui_edit="planning:activity_edit",
        edit_form=lambda activity: form_data(ActivityForm, activity, name="Design, first pass", duration_days="3"),
        api_basename="activity",
        api_change={"name": "Design, first pass"},
    ),
    Resource(
        name="link",
        obj=_link,
        permitted=lambda w: w.permitted,
        scoped=True,
        api_basename="link",
        api_change={"lag_minutes": 480},
    ),
    Resource(
        name="calendar",
        obj=_calendar,
        permitted=lambda w: w.permitted,
        scoped=True,
        ui_detail="planning:calendar_detail",
        api_basename="calendar",
        api_change={"name": "Four-day week (summer)"},
    ),
    Resource(
        name="baseline",
        obj=_baseline,
        permitted=lambda w: w.permitted,
        scoped=True,
        api_basename="baseline",
        api_delete=True,
    ),
    Resource(
        name="plan",
        obj=_plan,
        permitted=lambda w: w.permitted,
        scoped=True,
        api_basename="plan",
        api_change={"status_date": "2026-05-01"},
    ),
]
