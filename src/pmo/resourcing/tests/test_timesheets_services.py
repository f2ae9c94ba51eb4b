"""Services of timesheets: filling a week, submitting it, the approvers' decisions, the lock of an
approved week, corrections after a rejection or a reopening, and the actuals of assignments."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from pmo.core.errors import DomainError, InvalidData, NotFound, PermissionRefused
from pmo.core.models import AuditEvent
from pmo.planning import services as planning_services
from pmo.portfolio import services as portfolio_services
from pmo.resourcing.choices import ApprovalStatus, TimesheetStatus
from pmo.resourcing.models import Assignment, Timesheet, TimesheetApproval, TimesheetLine
from pmo.resourcing.services import resources as resource_services
from pmo.resourcing.services import timesheets as services
from pmo.resourcing.services.timesheets import InvalidLines, parse_hours
from pmo.resourcing.testing import make_resource
from pmo.resourcing.tests.timesheet_builders import MONDAY, filled_week, hours, make_crew, submitted_week

pytestmark = pytest.mark.django_db


@pytest.fixture
def crew(world):
    return make_crew(world)


def stored(timesheet) -> list[tuple]:
    return [
        (line.project_id, line.activity_id, line.category, line.hours, line.total_hours, line.is_billable)
        for line in TimesheetLine.objects.filter(timesheet=timesheet).order_by("id")
    ]


def decide_all(world, crew, timesheet):
    for approval in timesheet.approvals.all():
        approver = crew.manager if approval.project_id == world.project.pk else world.elsewhere_user
        if approval.project_id is None:
            approver = world.org_head
        services.decide(actor=approver, approval=approval, approve=True)
    timesheet.refresh_from_db()
    return timesheet


# --- parsing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("7.5", "7.5"),
        ("7,5", "7.5"),
        ("7:30", "7.5"),
        ("7:20", "7.33"),
        (".5", "0.5"),
        ("", "0"),
        (8, "8"),
        (None, "0"),
    ],
)
def test_hours_are_read_as_people_type_them(typed, expected):
    assert parse_hours(typed) == Decimal(expected)


@pytest.mark.parametrize("typed", ["abc", "7.5h", "1e3", "NaN", "7:75", True, float("inf")])
def test_text_that_is_no_number_of_hours_is_refused(typed):
    with pytest.raises(ValueError):
        parse_hours(typed)


# --- the week --------------------------------------------------------------------------------


def test_a_week_is_made_once_as_a_draft_from_any_of_its_days(crew):
    first = services.week_for(actor=crew.member, resource=crew.resource, week_start=MONDAY + timedelta(days=3))
    again = services.week_for(actor=crew.member, resource=crew.resource, week_start=MONDAY)
    assert first == again
    assert (first.week_start, first.status) == (MONDAY, TimesheetStatus.DRAFT)
    assert AuditEvent.objects.filter(action="timesheet.created").count() == 1


def test_only_the_owner_or_an_organisation_role_starts_a_week(world, crew):
    colleague = make_resource(world.admin, "", user=world.permitted)
    with pytest.raises(PermissionRefused, match="only your own timesheet"):
        services.week_for(actor=world.permitted, resource=crew.resource, week_start=MONDAY)
    with pytest.raises(NotFound):
        services.week_for(actor=world.nobody, resource=crew.resource, week_start=MONDAY)
    assert not Timesheet.objects.exists()
    services.week_for(actor=world.org_head, resource=crew.resource, week_start=MONDAY)
    services.week_for(actor=world.permitted, resource=colleague, week_start=MONDAY)
    assert Timesheet.objects.count() == 2


def test_lines_are_saved_with_totals_and_empty_lines_dropped(world, crew):
    timesheet = filled_week(
        crew,
        [
            {"activity": crew.build, "hours": ["7,5", "8", "7:30", "", 0, 0, 0], "is_billable": True, "note": "API"},
            {"project": world.project, "activity": crew.test, "hours": hours()},
            {"category": "admin", "hours": hours(0.5, 0, 0.5)},
        ],
    )
    assert stored(timesheet) == [
        (world.project.pk, crew.build.pk, "", [7.5, 8.0, 7.5, 0.0, 0.0, 0.0, 0.0], Decimal("23.00"), True),
        (None, None, "admin", [0.5, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0], Decimal("1.00"), False),
    ]
    timesheet.refresh_from_db()
    assert timesheet.total_hours == Decimal("24.00")
    event = AuditEvent.objects.get(action="timesheet.lines_saved")
    assert event.before["lines"] == [] and event.after["total_hours"] == "24.00"


def test_saving_again_replaces_the_lines(crew):
    timesheet = filled_week(crew, [{"activity": crew.build, "hours": hours(8, 8)}])
    services.save_lines(actor=crew.member, timesheet=timesheet, lines=[{"activity": crew.test, "hours": hours(4)}])
    assert [(line[1], line[4]) for line in stored(timesheet)] == [(crew.test.pk, Decimal("4.00"))]
    # The same lines again change nothing and write no event.
    services.save_lines(actor=crew.member, timesheet=timesheet, lines=[{"activity": crew.test, "hours": hours(4)}])
    assert AuditEvent.objects.filter(action="timesheet.lines_saved").count() == 2


def test_problems_name_the_line_and_the_day_and_nothing_is_stored(world, crew):
    timesheet = filled_week(crew, [{"activity": crew.build, "hours": hours(8)}])
    before = stored(timesheet)
    events = AuditEvent.objects.count()
    with pytest.raises(InvalidLines) as caught:
        services.save_lines(
            actor=crew.member,
            timesheet=timesheet,
            lines=[
                {"activity": crew.build, "hours": hours(8, 8, 25)},
                {"activity": crew.test, "hours": hours(0, "abc", -1, 7.125)},
                {"category": "leave", "hours": hours(0, 0, 0, 20)},
                {"category": "training", "hours": hours(0, 0, 0, 5)},
            ],
        )
    messages = caught.value.errors["lines"]
    assert messages == [
        "Line 1 (HERE-1 · Build API), Wednesday: 25 is more than 24 hours.",
        "Line 2 (HERE-1 · Test), Tuesday: 'abc' is not a number of hours (type 7.5, 7,5 or 7:30).",
        "Line 2 (HERE-1 · Test), Wednesday: -1 is negative; hours go from 0 to 24.",
        "Line 2 (HERE-1 · Test), Thursday: 7.125 has more than two decimals.",
        "Thursday 2026-03-05: 25 hours in all is more than the 24 hours of a day.",
    ]
    assert [(p.line, p.day) for p in caught.value.problems] == [(1, 2), (2, 1), (2, 2), (2, 3), (None, 3)]
    assert stored(timesheet) == before
    assert AuditEvent.objects.count() == events


def test_lines_must_book_the_resources_own_work(world, crew):
    timesheet = services.week_for(actor=crew.member, resource=crew.resource, week_start=MONDAY)
    unassigned = planning_services.create_activity(actor=world.admin, project=world.project, name="Deploy")
    elsewhere = portfolio_services.create_project(
        actor=world.admin, portfolio=world.portfolio, code="HERE-2", name="Data platform"
    )
    with pytest.raises(InvalidLines) as caught:
        services.save_lines(
            actor=crew.member,
            timesheet=timesheet,
            lines=[
                {"activity": unassigned, "hours": hours(1)},
                {"project": elsewhere, "hours": hours(1)},
                {"activity": crew.build, "hours": hours(1)},
                {"project": world.project, "activity": crew.build, "hours": hours(0, 1)},
                {"project": world.other_project, "activity": crew.build, "hours": hours(1)},
                {"category": "holiday", "hours": hours(1)},
                {"category": "admin", "project": world.project, "hours": hours(1)},
                {"hours": hours(1)},
            ],
        )
    assert caught.value.errors["lines"] == [
        "Line 1 (HERE-1 · Deploy): Member.Here is not assigned to Deploy.",
        "Line 2 (HERE-2 · Data platform): Member.Here is neither assigned to HERE-2 nor allocated to it in the week "
        "of 2026-03-02.",
        "Line 4 (HERE-1 · Build API) repeats line 3; put all the hours for it on one line.",
        "Line 5 (HERE-1 · Build API): the activity belongs to HERE-1, not ELSE-1.",
        "Line 6: 'holiday' is not a kind of non-project time (leave, sickness, administration, training, "
        "other non-project time).",
        "Line 7: choose either project work or a kind of non-project time, not both.",
        "Line 8: choose what the hours are for: an activity, a project or non-project time.",
    ]
    assert not TimesheetLine.objects.exists()


def test_a_project_line_needs_an_allocation_that_week_when_there_is_no_assignment(world, crew):
    data = portfolio_services.create_project(actor=world.admin, portfolio=world.portfolio, code="HERE-2", name="Data")
    resource_services.create_allocation(
        actor=world.admin, project=data, resource=crew.resource, period_start=MONDAY + timedelta(days=7), hours=10
    )
    with pytest.raises(InvalidLines, match="nor allocated to it in the week of 2026-03-02"):
        filled_week(crew, [{"project": data, "hours": hours(2)}])
    timesheet = filled_week(crew, [{"project": data, "hours": hours(2)}], week_start=MONDAY + timedelta(days=7))
    assert timesheet.total_hours == Decimal("2.00")
    monthly = portfolio_services.create_project(actor=world.admin, portfolio=world.portfolio, code="HERE-3", name="M")
    resource_services.create_allocation(
        actor=world.admin,
        project=monthly,
        resource=crew.resource,
        period_kind="month",
        period_start=date(2026, 2, 1),
        hours=40,
    )
    # February's allocation covers the week that starts on 2026-02-23 and ends in March.
    filled_week(crew, [{"project": monthly, "hours": hours(3)}], week_start=date(2026, 2, 23))


def test_a_summary_activity_takes_no_hours(world, crew):
    planning_services.create_activity(actor=world.admin, project=world.project, name="Endpoints", parent=crew.build)
    planning_services.reschedule(actor=world.admin, projects=[world.project])
    with pytest.raises(InvalidLines, match=r"Build API is a summary activity; book the hours to one of its tasks"):
        filled_week(crew, [{"activity": crew.build, "hours": hours(4)}])


# --- submitting ------------------------------------------------------------------------------


def test_an_empty_week_is_not_submitted(crew):
    timesheet = services.week_for(actor=crew.member, resource=crew.resource, week_start=MONDAY)
    with pytest.raises(DomainError, match="no hours to submit"):
        services.submit(actor=crew.member, timesheet=timesheet)
    assert Timesheet.objects.get().status == TimesheetStatus.DRAFT


def test_submitting_asks_each_project_booked(world, crew):
    timesheet = submitted_week(
        crew,
        [
            {"activity": crew.build, "hours": hours(8, 8)},
            {"activity": crew.robots, "hours": hours(0, 0, 8)},
            {"category": "leave", "hours": hours(0, 0, 0, 8)},
        ],
    )
    assert timesheet.status == TimesheetStatus.SUBMITTED and timesheet.submitted_at
    parts = list(timesheet.approvals.values_list("project_id", "status"))
    assert sorted(parts) == sorted([(world.project.pk, "pending"), (world.other_project.pk, "pending")])
    with pytest.raises(DomainError, match="submitted and waiting for approval"):
        services.save_lines(actor=crew.member, timesheet=timesheet, lines=[])


def test_non_project_time_alone_goes_to_the_pmo(world, crew):
    timesheet = submitted_week(crew, [{"category": "training", "hours": hours(8, 8)}])
    approval = timesheet.approvals.get()
    assert approval.project is None
    with pytest.raises(NotFound):
        services.decide(actor=crew.manager, approval=approval, approve=True)
    services.decide(actor=world.org_head, approval=approval, approve=True)
    timesheet.refresh_from_db()
    assert timesheet.status == TimesheetStatus.APPROVED


def test_only_the_owner_submits(world, crew):
    timesheet = filled_week(crew, [{"activity": crew.build, "hours": hours(8)}])
    with pytest.raises(PermissionRefused, match="submits their own timesheet"):
        services.submit(actor=world.org_head, timesheet=timesheet)
    with pytest.raises(NotFound):  # a draft is its owner's alone
        services.submit(actor=crew.manager, timesheet=timesheet)
    assert Timesheet.objects.get().status == TimesheetStatus.DRAFT


# --- deciding --------------------------------------------------------------------------------


def test_approval_by_every_project_locks_the_week_and_costs_it(world, crew):
    timesheet = submitted_week(
        crew, [{"activity": crew.build, "hours": hours(8, 8)}, {"activity": crew.robots, "hours": hours(0, 0, 4)}]
    )
    here = timesheet.approvals.get(project=world.project)
    services.decide(actor=crew.manager, approval=here, approve=True, comment="Thanks")
    timesheet.refresh_from_db()
    assert timesheet.status == TimesheetStatus.SUBMITTED  # still waiting for ELSE-1
    assert Assignment.objects.get(pk=crew.build_assignment.pk).actual_hours == 0

    services.decide(
        actor=world.elsewhere_user, approval=timesheet.approvals.get(project=world.other_project), approve=True
    )
    timesheet.refresh_from_db()
    assert timesheet.status == TimesheetStatus.APPROVED and timesheet.approved_at
    assert [line.cost for line in timesheet.lines.order_by("id")] == [Decimal("800.00"), Decimal("200.00")]
    build = Assignment.objects.get(pk=crew.build_assignment.pk)
    assert (build.actual_hours, build.actual_cost) == (Decimal("16.00"), Decimal("800.00"))
    event = AuditEvent.objects.for_object(build).get(action="assignment.actuals_changed")
    assert event.before == {"actual_hours": "0.00", "actual_cost": "0.00"}
    assert event.after == {"actual_hours": "16.00", "actual_cost": "800.00"}
    with pytest.raises(DomainError, match="approved and locked"):
        services.save_lines(actor=crew.member, timesheet=timesheet, lines=[])
    with pytest.raises(DomainError, match="approved and locked"):
        services.submit(actor=crew.member, timesheet=timesheet)


def test_a_rate_change_mid_week_costs_each_day_at_its_rate(world, crew):
    resource_services.add_rate(
        actor=world.admin,
        resource=crew.resource,
        effective_from=MONDAY + timedelta(days=2),
        cost_per_hour=Decimal("80"),
    )
    timesheet = submitted_week(crew, [{"activity": crew.build, "hours": hours(8, 8, 8, 4.5)}])
    decide_all(world, crew, timesheet)
    build = Assignment.objects.get(pk=crew.build_assignment.pk)
    # Monday and Tuesday at 50 (800), Wednesday and Thursday at 80 (1,000).
    assert (build.actual_hours, build.actual_cost) == (Decimal("28.50"), Decimal("1800.00"))


def test_a_rejection_needs_a_comment_and_sends_the_week_back(world, crew):
    timesheet = submitted_week(
        crew, [{"activity": crew.build, "hours": hours(8, 8)}, {"activity": crew.robots, "hours": hours(0, 0, 4)}]
    )
    robots_part = timesheet.approvals.get(project=world.other_project)
    services.decide(actor=world.elsewhere_user, approval=robots_part, approve=True)
    here = timesheet.approvals.get(project=world.project)
    with pytest.raises(InvalidData, match="Say why the hours are rejected"):
        services.decide(actor=crew.manager, approval=here, approve=False, comment="  ")
    assert TimesheetApproval.objects.get(pk=here.pk).status == ApprovalStatus.PENDING

    services.decide(actor=crew.manager, approval=here, approve=False, comment="Tuesday was the offsite.")
    timesheet.refresh_from_db()
    assert timesheet.status == TimesheetStatus.REJECTED and timesheet.is_editable
    assert TimesheetApproval.objects.get(pk=robots_part.pk).status == ApprovalStatus.APPROVED
    assert AuditEvent.objects.get(action="timesheet.rejected").reason == "Tuesday was the offsite."

    # Corrected and submitted again: every project is asked again, the one that had approved too.
    services.save_lines(
        actor=crew.member,
        timesheet=timesheet,
        lines=[{"activity": crew.build, "hours": hours(8)}, {"activity": crew.robots, "hours": hours(0, 0, 4)}],
    )
    services.submit(actor=crew.member, timesheet=timesheet)
    assert sorted(timesheet.approvals.values_list("status", flat=True)) == ["pending", "pending"]
    decide_all(world, crew, timesheet)
    assert timesheet.status == TimesheetStatus.APPROVED
    assert Assignment.objects.get(pk=crew.build_assignment.pk).actual_hours == Decimal("8.00")


def test_parts_of_a_rejected_week_wait_for_its_resubmission(world, crew):
    timesheet = submitted_week(
        crew, [{"activity": crew.build, "hours": hours(8)}, {"activity": crew.robots, "hours": hours(0, 4)}]
    )
    services.decide(
        actor=crew.manager, approval=timesheet.approvals.get(project=world.project), approve=False, comment="No"
    )
    with pytest.raises(DomainError, match="rejected, not waiting for approval"):
        services.decide(
            actor=world.elsewhere_user, approval=timesheet.approvals.get(project=world.other_project), approve=True
        )


def test_a_part_is_decided_once(world, crew):
    timesheet = submitted_week(
        crew, [{"activity": crew.build, "hours": hours(8)}, {"activity": crew.robots, "hours": hours(0, 4)}]
    )
    here = timesheet.approvals.get(project=world.project)
    services.decide(actor=crew.manager, approval=here, approve=True)
    with pytest.raises(DomainError, match=r"already approved by pm\.here"):
        services.decide(actor=world.permitted, approval=here, approve=False, comment="Changed my mind")


def test_nobody_decides_on_their_own_week(world, crew):
    manager_resource = make_resource(world.admin, "", user=crew.manager)
    resource_services.create_assignment(actor=world.admin, activity=crew.test, resource=manager_resource)
    timesheet = services.week_for(actor=crew.manager, resource=manager_resource, week_start=MONDAY)
    services.save_lines(actor=crew.manager, timesheet=timesheet, lines=[{"activity": crew.test, "hours": hours(6)}])
    services.submit(actor=crew.manager, timesheet=timesheet)
    with pytest.raises(PermissionRefused, match="Nobody approves their own timesheet"):
        services.decide(actor=crew.manager, approval=timesheet.approvals.get(), approve=True)
    services.decide(actor=world.permitted, approval=timesheet.approvals.get(), approve=True)


def test_only_those_who_may_change_the_project_decide(world, crew):
    timesheet = submitted_week(crew, [{"activity": crew.build, "hours": hours(8)}])
    approval = timesheet.approvals.get()
    colleague = make_resource(world.admin, "Colleague")  # noqa: F841 - a second resource in the register
    with pytest.raises(NotFound):
        services.decide(actor=world.elsewhere_user, approval=approval, approve=True)
    with pytest.raises(NotFound):
        services.decide(actor=world.nobody, approval=approval, approve=True)
    # A team member of the project sees the project, but not a colleague's hours.
    from pmo.core.choices import Role, ScopeType
    from pmo.core.testing.logins import make_login

    teammate = make_login("team.mate", Role.TEAM_MEMBER, ScopeType.PROJECT, world.project.pk)
    with pytest.raises(NotFound):
        services.decide(actor=teammate, approval=approval, approve=True)
    assert not Timesheet.objects.visible_to(teammate).filter(pk=timesheet.pk).exists()
    with pytest.raises((NotFound, PermissionRefused)):
        services.save_lines(actor=teammate, timesheet=timesheet, lines=[])
    assert TimesheetApproval.objects.get().status == ApprovalStatus.PENDING


# --- reopening and actuals -------------------------------------------------------------------


def test_the_pmo_reopens_an_approved_week_for_a_correction(world, crew):
    timesheet = submitted_week(crew, [{"activity": crew.build, "hours": hours(8, 8)}])
    decide_all(world, crew, timesheet)
    with pytest.raises(PermissionRefused):
        services.reopen(actor=crew.manager, timesheet=timesheet, reason="Wrong week")
    with pytest.raises(InvalidData, match="Say why"):
        services.reopen(actor=world.org_head, timesheet=timesheet, reason=" ")
    services.reopen(actor=world.org_head, timesheet=timesheet, reason="Hours belonged to the next week")
    timesheet.refresh_from_db()
    assert timesheet.status == TimesheetStatus.DRAFT and timesheet.approved_at is None
    assert not timesheet.approvals.exists()
    build = Assignment.objects.get(pk=crew.build_assignment.pk)
    assert (build.actual_hours, build.actual_cost) == (0, 0)
    assert AuditEvent.objects.get(action="timesheet.reopened").reason == "Hours belonged to the next week"
    with pytest.raises(DomainError, match="Only an approved week is reopened"):
        services.reopen(actor=world.org_head, timesheet=timesheet, reason="Again")

    services.save_lines(actor=crew.member, timesheet=timesheet, lines=[{"activity": crew.build, "hours": hours(8)}])
    services.submit(actor=crew.member, timesheet=timesheet)
    decide_all(world, crew, timesheet)
    assert Assignment.objects.get(pk=crew.build_assignment.pk).actual_hours == Decimal("8.00")


def test_actuals_add_up_over_approved_weeks_only(world, crew):
    first = submitted_week(crew, [{"activity": crew.build, "hours": hours(8)}])
    decide_all(world, crew, first)
    submitted_week(crew, [{"activity": crew.build, "hours": hours(5)}], week_start=MONDAY + timedelta(days=7))
    build = Assignment.objects.get(pk=crew.build_assignment.pk)
    assert build.actual_hours == Decimal("8.00")

    # Recomputing by hand gives the same figures and changes nothing.
    assert services.recompute_actuals(actor=crew.manager, assignments=[build]) == []
    Assignment.objects.filter(pk=build.pk).update(actual_hours=0, actual_cost=0)
    changed = services.recompute_actuals(actor=crew.manager, pairs=[(crew.resource, crew.build.pk)])
    assert [(a.actual_hours, a.actual_cost) for a in changed] == [(Decimal("8.00"), Decimal("400.00"))]
    with pytest.raises(PermissionRefused):
        services.recompute_actuals(actor=world.elsewhere_user, assignments=[build])
