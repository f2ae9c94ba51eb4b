"""Planning services: activities and links, rescheduling through the engine, progress, baselines."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from pmo.core.errors import DomainError, InvalidData, NotFound
from pmo.core.models import AuditEvent
from pmo.planning import services
from pmo.planning.models import Activity, Link, ProjectPlan

DAY = 480


def at(year, month, day, hour=8) -> datetime:
    return timezone.make_aware(datetime(year, month, day, hour))


@pytest.fixture
def plan(world):
    """A small network: design (3d) -> build (5d) -> test (2d) -> launch (milestone); docs (2d)."""
    project = world.project
    services.update_plan(actor=world.admin, project=project, changes={"start": at(2026, 3, 2)})  # a Monday
    make = lambda name, days, **more: services.create_activity(  # noqa: E731
        actor=world.permitted, project=project, name=name, duration_minutes=days * DAY, **more
    )
    activities = {
        "design": make("Design", 3),
        "build": make("Build", 5),
        "test": make("Test", 2),
        "launch": make("Launch", 0, is_milestone=True),
        "docs": make("Write docs", 2),
    }
    for predecessor, successor in (("design", "build"), ("build", "test"), ("test", "launch"), ("design", "docs")):
        services.create_link(
            actor=world.permitted, predecessor=activities[predecessor], successor=activities[successor]
        )
    return activities


def test_reschedule_writes_dates_floats_and_critical_path(world, plan):
    summary = services.reschedule(actor=world.permitted, projects=[world.project])
    design, build, docs, launch = (
        Activity.objects.get(pk=plan[name].pk) for name in ("design", "build", "docs", "launch")
    )
    assert design.early_start == at(2026, 3, 2) and design.early_finish == at(2026, 3, 4, 17)
    assert build.early_start == at(2026, 3, 5)
    assert launch.early_finish == at(2026, 3, 13, 17)  # 10 working days after Monday 2 March
    assert design.is_critical and build.is_critical and launch.is_critical
    assert not docs.is_critical and docs.total_float_minutes == 5 * DAY
    assert summary["projects"][world.project.pk]["finish"] == at(2026, 3, 13, 17)
    assert ProjectPlan.objects.get(project=world.project).critical_paths == [
        [plan[n].pk for n in ("design", "build", "test", "launch")]
    ]
    event = AuditEvent.objects.for_object(world.project).filter(action="project.rescheduled").get()
    assert event.after["early_finish"].startswith("2026-03-13T17:00")


def test_changing_a_duration_moves_successors(world, plan):
    services.reschedule(actor=world.permitted, projects=[world.project])
    services.update_activity(actor=world.permitted, activity=plan["docs"], changes={"duration_minutes": 9 * DAY})
    services.reschedule(actor=world.permitted, projects=[world.project])
    docs, build = Activity.objects.get(pk=plan["docs"].pk), Activity.objects.get(pk=plan["build"].pk)
    assert docs.is_critical and not build.is_critical
    assert ProjectPlan.objects.get(project=world.project).early_finish == at(2026, 3, 17, 17)


def test_a_loop_is_refused_naming_the_activities(world, plan):
    with pytest.raises(InvalidData, match="loop: Design → Build → Test → Design"):
        services.create_link(actor=world.permitted, predecessor=plan["test"], successor=plan["design"])
    assert not Link.objects.filter(predecessor=plan["test"], successor=plan["design"]).exists()


def test_progress_at_a_status_date(world, plan):
    services.record_progress(
        actor=world.permitted,
        activity=plan["design"],
        changes={"actual_start": at(2026, 3, 2), "actual_finish": at(2026, 3, 5, 17), "percent_complete": 100},
    )
    services.record_progress(
        actor=world.permitted,
        activity=plan["build"],
        changes={"actual_start": at(2026, 3, 6), "percent_complete": 40, "remaining_duration_minutes": 3 * DAY},
    )
    services.reschedule(actor=world.permitted, projects=[world.project], status_date=date(2026, 3, 10))
    build = Activity.objects.get(pk=plan["build"].pk)
    assert build.start == at(2026, 3, 6)
    # Three days of work remain after the status date (Tuesday 10 March).
    assert build.finish == at(2026, 3, 13, 17)


def test_bad_progress_is_refused_naming_the_field(world, plan):
    with pytest.raises(InvalidData) as refused:
        services.record_progress(actor=world.permitted, activity=plan["design"], changes={"percent_complete": 50})
    assert "actual_start" in refused.value.errors
    with pytest.raises(InvalidData) as refused:
        services.record_progress(
            actor=world.permitted,
            activity=plan["design"],
            changes={"actual_start": at(2026, 3, 5), "actual_finish": at(2026, 3, 2)},
        )
    assert "actual_finish" in refused.value.errors


def test_baseline_freezes_dates_and_can_be_cleared(world, plan):
    services.reschedule(actor=world.permitted, projects=[world.project])
    baseline = services.set_baseline(actor=world.permitted, project=world.project, number=0, name="Approved plan")
    entry = baseline.entries.get(activity=plan["launch"])
    assert entry.finish == at(2026, 3, 13, 17) and baseline.is_primary
    services.update_activity(actor=world.permitted, activity=plan["build"], changes={"duration_minutes": 7 * DAY})
    services.reschedule(actor=world.permitted, projects=[world.project])
    assert baseline.entries.get(activity=plan["launch"]).finish == at(2026, 3, 13, 17)
    services.clear_baseline(actor=world.permitted, baseline=baseline)
    assert not world.project.baselines.exists()


def test_baseline_needs_a_schedule(world, plan):
    with pytest.raises(DomainError, match="Reschedule the project first"):
        services.set_baseline(actor=world.permitted, project=world.project)


def test_links_across_projects_move_the_dependent_project(world, plan):
    other = services.create_activity(
        actor=world.admin, project=world.other_project, name="Supplier data feed", duration_minutes=15 * DAY
    )
    services.update_plan(actor=world.admin, project=world.other_project, changes={"start": at(2026, 3, 2)})
    services.create_link(actor=world.admin, predecessor=other, successor=plan["build"])
    services.reschedule(actor=world.admin, projects=[world.project])
    build = Activity.objects.get(pk=plan["build"].pk)
    assert build.early_start == at(2026, 3, 23)  # after 15 working days of the other project's work
    # The other project's activity was scheduled alongside but not written back.
    assert Activity.objects.get(pk=other.pk).early_start is None


def test_outsiders_cannot_change_the_plan(world, plan):
    with pytest.raises(NotFound):
        services.update_activity(actor=world.elsewhere_user, activity=plan["build"], changes={"duration_minutes": 1})
    with pytest.raises(NotFound):
        services.reschedule(actor=world.elsewhere_user, projects=[world.project])
    assert Activity.objects.get(pk=plan["build"].pk).duration_minutes == 5 * DAY


def test_progress_without_a_status_date_is_explained_with_the_activity_name(world, plan):
    services.record_progress(
        actor=world.permitted, activity=plan["design"], changes={"actual_start": at(2026, 3, 2), "percent_complete": 10}
    )
    with pytest.raises(DomainError, match="Activity 'Design'"):
        services.reschedule(actor=world.permitted, projects=[world.project])
