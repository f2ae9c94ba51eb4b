"""Levelling delays on a plan: applied and cleared as a whole, kept by every reschedule and edit,
shown read-only by the API, and carried through MS Project XML."""

from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from pmo.core.errors import DomainError, NotFound, PermissionRefused
from pmo.core.models import AuditEvent
from pmo.planning import services
from pmo.planning.exports import export_plan
from pmo.planning.imports import import_plan
from pmo.planning.models import Activity
from pmo.portfolio import services as portfolio_services
from pmo_engine.formats import read_mspdi, write_mspdi

DAY = 480


def at(month, day, hour=8) -> datetime:
    return timezone.make_aware(datetime(2026, month, day, hour))


@pytest.fixture
def plan(world):
    """Design (3d) -> build (5d) -> test (2d); design -> docs (2d). Starts Monday 2 March 2026."""
    services.update_plan(actor=world.admin, project=world.project, changes={"start": at(3, 2)})
    activities = {
        name: services.create_activity(
            actor=world.permitted, project=world.project, name=name.title(), duration_minutes=days * DAY
        )
        for name, days in (("design", 3), ("build", 5), ("test", 2), ("docs", 2))
    }
    for predecessor, successor in (("design", "build"), ("build", "test"), ("design", "docs")):
        services.create_link(
            actor=world.permitted, predecessor=activities[predecessor], successor=activities[successor]
        )
    services.reschedule(actor=world.permitted, projects=[world.project])
    return activities


def fresh(activity: Activity) -> Activity:
    return Activity.objects.get(pk=activity.pk)


def test_apply_levelling_sets_the_delays_reschedules_and_audits_once(world, plan):
    services.apply_levelling(
        actor=world.permitted,
        project=world.project,
        delays={plan["build"].pk: DAY, plan["docs"].pk: 2 * DAY},
        reason="Levelled: Ada is on the design review",
    )
    build, test, docs = fresh(plan["build"]), fresh(plan["test"]), fresh(plan["docs"])
    assert (build.levelling_delay_minutes, docs.levelling_delay_minutes) == (DAY, 2 * DAY)
    assert build.early_start == at(3, 6)  # Thursday 5 March is the delay
    assert test.early_finish == at(3, 16, 17)
    assert docs.early_start == at(3, 9)  # Thursday and Friday are its delay
    assert build.total_float_minutes == 0 and fresh(plan["design"]).is_critical
    events = AuditEvent.objects.for_object(world.project)
    levelled = events.filter(action="project.levelling_applied").get()
    assert levelled.after["activities"] == 2
    assert levelled.after["levelling_delay_minutes"] == {str(plan["build"].pk): DAY, str(plan["docs"].pk): 2 * DAY}
    assert levelled.reason == "Levelled: Ada is on the design review"
    assert events.filter(action="project.rescheduled").count() == 2  # the fixture's and this one


def test_apply_levelling_touches_only_the_activities_given(world, plan):
    services.apply_levelling(actor=world.permitted, project=world.project, delays={plan["docs"].pk: DAY}, reason="a")
    services.apply_levelling(actor=world.permitted, project=world.project, delays={plan["build"].pk: DAY}, reason="b")
    assert fresh(plan["docs"]).levelling_delay_minutes == DAY
    assert fresh(plan["build"]).levelling_delay_minutes == DAY
    assert fresh(plan["design"]).levelling_delay_minutes == 0


@pytest.mark.parametrize(
    ("delays", "message"),
    [
        (lambda plan, other: {plan["build"].pk: -DAY}, r"0 or more; not so for activities {build}\."),
        (lambda plan, other: {plan["build"].pk: 1.5}, r"0 or more; not so for activities {build}\."),
        (lambda plan, other: {plan["build"].pk: DAY, other.pk: DAY}, r"Activities {other} are not activities of"),
        (lambda plan, other: {plan["build"].pk: DAY, 999_999: DAY}, r"Activities 999999 are not activities of"),
    ],
)
def test_apply_levelling_refuses_bad_values_and_foreign_ids_and_changes_nothing(world, plan, delays, message):
    other_project = portfolio_services.create_project(
        actor=world.admin, portfolio=world.portfolio, code="HERE-2", name="Other"
    )
    other = services.create_activity(actor=world.admin, project=other_project, name="Elsewhere", duration_minutes=DAY)
    wanted = delays(plan, other)
    with pytest.raises(DomainError, match=message.format(build=plan["build"].pk, other=other.pk)):
        services.apply_levelling(actor=world.permitted, project=world.project, delays=wanted, reason="")
    assert fresh(plan["build"]).levelling_delay_minutes == 0
    assert not AuditEvent.objects.filter(action="project.levelling_applied").exists()


def test_apply_levelling_refuses_a_delay_on_a_summary(world, plan):
    services.create_activity(
        actor=world.permitted, project=world.project, name="Chapter", duration_minutes=DAY, parent=plan["docs"]
    )
    with pytest.raises(DomainError, match=r"Summary activities take no levelling delay .*: 'Docs'"):
        services.apply_levelling(actor=world.permitted, project=world.project, delays={plan["docs"].pk: DAY}, reason="")


def test_clear_levelling_zeroes_every_delay_audits_and_reschedules(world, plan):
    unlevelled = {name: fresh(activity).early_start for name, activity in plan.items()}
    services.apply_levelling(
        actor=world.permitted,
        project=world.project,
        delays={plan["build"].pk: DAY, plan["docs"].pk: 2 * DAY},
        reason="levelled",
    )
    cleared = services.clear_levelling(actor=world.permitted, project=world.project, reason="Back to the logic")
    assert cleared == 2
    assert {name: fresh(activity).levelling_delay_minutes for name, activity in plan.items()} == dict.fromkeys(plan, 0)
    assert {name: fresh(activity).early_start for name, activity in plan.items()} == unlevelled
    event = AuditEvent.objects.for_object(world.project).filter(action="project.levelling_cleared").get()
    assert event.before["levelling_delay_minutes"] == {str(plan["build"].pk): DAY, str(plan["docs"].pk): 2 * DAY}
    assert (event.after, event.reason) == ({"activities": 2}, "Back to the logic")


def test_unlevelled_early_starts_leave_the_delays_out_and_write_nothing(world, plan):
    services.apply_levelling(actor=world.permitted, project=world.project, delays={plan["build"].pk: DAY}, reason="")
    levelled = {name: fresh(activity).early_start for name, activity in plan.items()}
    starts = services.unlevelled_early_starts([world.project])
    assert starts == {
        plan["design"].pk: datetime(2026, 3, 2, 8),
        plan["build"].pk: datetime(2026, 3, 5, 8),
        plan["test"].pk: datetime(2026, 3, 12, 8),
        plan["docs"].pk: datetime(2026, 3, 5, 8),
    }
    assert {name: fresh(activity).early_start for name, activity in plan.items()} == levelled
    assert services.unlevelled_early_starts([]) == {}


def test_levelling_needs_the_right_to_change_the_project(world, plan):
    with pytest.raises((PermissionRefused, NotFound)):
        services.apply_levelling(
            actor=world.elsewhere_user, project=world.project, delays={plan["build"].pk: DAY}, reason=""
        )
    with pytest.raises((PermissionRefused, NotFound)):
        services.clear_levelling(actor=world.elsewhere_user, project=world.project)


def test_rescheduling_after_edits_keeps_the_delays(world, plan):
    services.apply_levelling(actor=world.permitted, project=world.project, delays={plan["build"].pk: DAY}, reason="")
    services.update_activity(actor=world.permitted, activity=plan["design"], changes={"duration_minutes": 4 * DAY})
    services.reschedule(actor=world.permitted, projects=[world.project])
    build = fresh(plan["build"])
    assert build.levelling_delay_minutes == DAY
    assert build.early_start == at(3, 9)  # design ends Thursday, Friday is the delay


def test_an_activity_that_becomes_a_summary_keeps_its_delay_unused(world, plan):
    services.apply_levelling(actor=world.permitted, project=world.project, delays={plan["docs"].pk: DAY}, reason="")
    chapter = services.create_activity(
        actor=world.permitted, project=world.project, name="Chapter", duration_minutes=DAY, parent=plan["docs"]
    )
    services.reschedule(actor=world.permitted, projects=[world.project])
    assert fresh(plan["docs"]).levelling_delay_minutes == DAY
    assert fresh(chapter).early_start == at(3, 5)  # straight after design: the summary's delay is not applied


def test_the_api_shows_the_delay_and_does_not_let_it_be_edited(world, plan):
    services.apply_levelling(actor=world.permitted, project=world.project, delays={plan["build"].pk: DAY}, reason="")
    client = APIClient()
    client.force_login(world.permitted)
    url = reverse("api:activity-detail", args=[plan["build"].pk])
    assert client.get(url).json()["levelling_delay_minutes"] == DAY
    response = client.patch(url, {"levelling_delay_minutes": 5 * DAY, "name": "Build it"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["levelling_delay_minutes"] == DAY
    assert (fresh(plan["build"]).name, fresh(plan["build"]).levelling_delay_minutes) == ("Build it", DAY)


def test_ms_project_xml_carries_the_delays_there_and_back(world, plan):
    services.apply_levelling(
        actor=world.permitted,
        project=world.project,
        delays={plan["build"].pk: DAY, plan["docs"].pk: 2 * DAY},
        reason="",
    )
    data = write_mspdi(export_plan(world.project).plan)
    assert data.count(b"<LevelingDelay>") == 2
    assert b"<LevelingDelay>4800</LevelingDelay>" in data
    copy = portfolio_services.create_project(actor=world.admin, portfolio=world.portfolio, code="COPY", name="Copy")
    import_plan(actor=world.admin, project=copy, plan=read_mspdi(data), source="levelled.xml")

    def shape(project):
        return sorted(
            (a.name, a.levelling_delay_minutes, a.early_start, a.early_finish)
            for a in Activity.objects.filter(project=project)
        )

    assert shape(copy) == shape(world.project)
