"""Levelling as its services do it: the problem built from the plans, the run computed, the
scenario accepted into the plans (and refused when stale or not permitted) or discarded."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from pmo.core.choices import Role, ScopeType
from pmo.core.errors import DomainError, InvalidData, PermissionRefused
from pmo.core.models import AuditEvent
from pmo.core.testing.logins import make_login
from pmo.levelling import adapters, selectors, services
from pmo.levelling.choices import RunState
from pmo.levelling.models import LevellingRun
from pmo.planning import services as planning_services
from pmo.planning.models import Activity
from pmo.resourcing.services import resources as resource_services
from pmo.resourcing.testing import make_resource, scheduled_activity

pytestmark = pytest.mark.django_db

MONDAY = date(2027, 3, 1)
LEVEL_FROM = date(2027, 2, 1)  # levelling never looks at the clock: it starts from this day


def overloaded_plan(world):
    """Ada holds three activities that all start on the same Monday: 5, 5 and 3 days, each full time;
    "Test" needs "Build" finished first."""
    ada = make_resource(world.admin, "Ada Lovelace", unit=world.unit)
    activities = {
        name: scheduled_activity(world.admin, world.project, name, MONDAY, days)
        for name, days in (("Design", 5), ("Build", 5), ("Test", 3))
    }
    planning_services.create_link(actor=world.admin, predecessor=activities["Build"], successor=activities["Test"])
    planning_services.reschedule(actor=world.admin, projects=[world.project])
    for activity in activities.values():
        resource_services.create_assignment(actor=world.admin, activity=activity, resource=ada)
    return ada, {name: Activity.objects.get(pk=a.pk) for name, a in activities.items()}


def computed_run(world, **settings) -> LevellingRun:
    run = services.start_run(
        actor=world.permitted, scope="project", target=world.project, level_from=LEVEL_FROM, **settings
    )
    return services.execute_run(run.pk)


def test_the_problem_holds_the_plan(world):
    ada, activities = overloaded_plan(world)
    data = adapters.build_input([world.project], now=datetime(2027, 2, 1))

    keys = {adapters.job_key(a.pk) for a in activities.values()}
    assert {job.key for job in data.problem.jobs} == keys
    assert data.problem.capacities == {adapters.resource_key(ada.pk): 100}
    assert {job.duration for job in data.problem.jobs} == {40, 24}
    assert [(link.before, link.after) for link in data.problem.links] == [
        (adapters.job_key(activities["Build"].pk), adapters.job_key(activities["Test"].pk))
    ]
    # Nothing may start before its unlevelled early start: the SNET date, or Build's finish for Test.
    design = adapters.job_key(activities["Design"].pk)
    assert data.release[design] == data.current[design] > 0
    assert data.clock.start_of(data.release[design]) == datetime(2027, 3, 1, 8)


def test_a_run_removes_the_overload_and_accepting_writes_it_into_the_plan(world):
    _, activities = overloaded_plan(world)
    before = selectors.current_load([world.project], from_day=LEVEL_FROM)
    assert before.overloaded_people == 1

    run = computed_run(world)

    assert run.state == RunState.READY, run.message
    assert run.solver_status == "optimal"
    assert run.overload_before_hours == 5 * 8  # Design and Build side by side for 5 days
    assert run.overload_after_hours == 0
    assert run.moved_count == 1  # Design goes after Test: one move, where Design first would take two
    # Counted from the first hour of 1 February: 20 working days of waiting, then 13 days of work.
    assert run.objective == run.lower_bound == (20 + 13) * 8
    assert run.moves.count() == 3
    assert not any(row["after"][i] > 100 for row in run.load["resources"] for i in range(len(run.load["days"])))

    events = AuditEvent.objects.count()
    services.accept_run(actor=world.permitted, run=run, reason="Ada cannot do three things at once")

    run.refresh_from_db()
    assert run.state == RunState.ACCEPTED and run.decided_by == world.permitted
    assert AuditEvent.objects.count() > events
    after = selectors.current_load([world.project], from_day=LEVEL_FROM)
    assert after.overloaded_people == 0
    dates = {name: Activity.objects.get(pk=a.pk) for name, a in activities.items()}
    assert dates["Test"].start >= dates["Build"].finish
    assert [name for name, a in dates.items() if a.levelling_delay_minutes] == ["Design"]
    finish = max(a.finish for a in dates.values())
    assert finish == timezone.make_aware(datetime(2027, 3, 17, 17))  # 13 working days from 1 March


def test_a_stale_scenario_is_refused_and_nothing_changes(world):
    _, activities = overloaded_plan(world)
    run = computed_run(world)
    planning_services.update_activity(
        actor=world.admin, activity=activities["Design"], changes={"duration_minutes": 6 * 480}
    )

    with pytest.raises(DomainError, match="changed since"):
        services.accept_run(actor=world.permitted, run=run)
    assert not Activity.objects.filter(levelling_delay_minutes__gt=0).exists()
    assert LevellingRun.objects.get(pk=run.pk).state == RunState.READY


def test_discarding_leaves_the_plan_and_a_decided_run_cannot_be_decided_again(world):
    overloaded_plan(world)
    run = computed_run(world)
    services.discard_run(actor=world.permitted, run=run)

    assert LevellingRun.objects.get(pk=run.pk).state == RunState.DISCARDED
    assert not Activity.objects.filter(levelling_delay_minutes__gt=0).exists()
    with pytest.raises(DomainError, match="discarded"):
        services.accept_run(actor=world.permitted, run=run)


def test_only_who_may_change_the_target_levels_and_decides(world):
    overloaded_plan(world)
    reader = make_login("reader.here", Role.PROJECT_MANAGER, ScopeType.PROJECT, world.other_project.pk)
    with pytest.raises(PermissionRefused):
        services.start_run(actor=reader, scope="project", target=world.project)
    with pytest.raises(PermissionRefused):
        services.start_run(actor=world.elsewhere_user, scope="portfolio", target=world.portfolio)

    run = computed_run(world)
    with pytest.raises(PermissionRefused):
        services.accept_run(actor=world.elsewhere_user, run=run)
    assert LevellingRun.objects.get(pk=run.pk).state == RunState.READY


def test_bad_settings_are_named_and_nothing_is_queued(world):
    overloaded_plan(world)
    with pytest.raises(InvalidData) as refused:
        services.start_run(
            actor=world.permitted,
            scope="project",
            target=world.project,
            time_limit_seconds=0,
            weights={world.other_project.pk: 2},
        )
    assert set(refused.value.errors) == {"time_limit_seconds", "weights"}
    assert not LevellingRun.objects.exists()


def test_started_work_and_other_projects_never_move(world):
    ada, activities = overloaded_plan(world)
    other = scheduled_activity(world.admin, world.other_project, "Elsewhere", MONDAY, 2)
    resource_services.create_assignment(actor=world.admin, activity=other, resource=ada)
    planning_services.update_plan(actor=world.admin, project=world.project, changes={"status_date": date(2027, 3, 2)})
    planning_services.record_progress(
        actor=world.admin,
        activity=activities["Design"],
        changes={"actual_start": timezone.make_aware(datetime(2027, 3, 1, 8)), "percent_complete": 10},
    )

    data = adapters.build_input([world.project], now=datetime(2027, 2, 1))
    design = adapters.job_key(activities["Design"].pk)
    assert design in data.fixed
    assert data.current[adapters.background_key(other.pk)] == data.current[design]
    # Design (started) and Elsewhere (another project) hold Ada 200 % on the first two days.
    assert data.raised == {adapters.resource_key(ada.pk): 200}

    run = services.execute_run(services.start_run(actor=world.permitted, scope="project", target=world.project).pk)
    assert run.state == RunState.READY, run.message
    fixed = run.moves.get(activity=activities["Design"])
    assert fixed.is_fixed and fixed.shift_hours == 0
    assert "Ada Lovelace (200 %)" in run.message


def test_the_whole_organisation_is_levelled_by_roles_across_it(world):
    overloaded_plan(world)
    with pytest.raises(PermissionRefused):
        services.start_run(actor=world.permitted, scope="organisation", target=None)
    with pytest.raises(DomainError, match="takes no target"):
        services.start_run(actor=world.admin, scope="organisation", target=world.portfolio)

    run = services.execute_run(
        services.start_run(actor=world.admin, scope="organisation", target=None, level_from=LEVEL_FROM).pk
    )
    assert run.state == RunState.READY, run.message
    assert set(run.projects.all()) == {world.project, world.other_project}
    assert str(run) == "Levelling of the whole organisation"
    assert not LevellingRun.objects.visible_to(world.permitted).filter(pk=run.pk).exists()
