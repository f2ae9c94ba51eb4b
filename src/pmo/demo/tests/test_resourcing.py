"""The demo's resources, assignments, timesheets and training: believable, consistent with what
the services would compute, and showing what the pages are for (overloads, a queue to approve,
skill gaps)."""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from pmo.core.models import Person
from pmo.demo.names import EXECUTIVE_TITLES
from pmo.demo.sizes import SIZES
from pmo.demo.tests.conftest import TODAY
from pmo.resourcing import adapters
from pmo.resourcing.choices import ResourceKind, TimesheetStatus
from pmo.resourcing.models import (
    Allocation,
    Assignment,
    Resource,
    Timesheet,
    TimesheetLine,
    TrainingCourse,
    TrainingRecord,
    week_of,
)
from pmo.resourcing.selectors.capacity import capacity_analysis
from pmo.resourcing.selectors.timesheets import decidable_approvals
from pmo.resourcing.services import timesheets as timesheet_services

pytestmark = pytest.mark.django_db


def login(username):
    return get_user_model().objects.get(username=username)


def test_everyone_but_the_executives_is_a_resource(small_demo):
    executives = EXECUTIVE_TITLES[: SIZES["small"].executives]
    named = Resource.objects.filter(kind=ResourceKind.PERSON)
    assert named.count() == Person.objects.exclude(job_title__in=executives).count()
    assert Resource.objects.filter(kind=ResourceKind.ROLE).count() == 4
    assert all(resource.skills.exists() for resource in named.prefetch_related("skills"))
    assert named.filter(employment_type="contingent", contract_end__isnull=False).exists()
    assert TrainingCourse.objects.count() == 15
    assert TrainingRecord.objects.filter(status="completed").exists()
    assert TrainingRecord.objects.filter(status="planned").exists()
    assert Allocation.objects.exists()


def test_rows_pass_their_models_validation(small_demo):
    for model in (Resource, Assignment, Allocation, Timesheet):
        for instance in model.objects.all()[:300]:
            instance.full_clean(validate_unique=False)


def test_the_team_member_is_overloaded_in_the_coming_weeks(small_demo):
    view = capacity_analysis(login("pmo.head"), start=week_of(TODAY), periods=12)
    member = login("team.member").person.resource
    row = view.result.resource_index(adapters.resource_key(member.pk))
    assert view.result.is_overloaded[row].any()
    overloaded = int(view.result.is_overloaded.any(axis=1).sum())
    assert 1 < overloaded < len(view.result.resource_keys) / 3  # some people, not everyone
    assert view.result.unassigned_demand_hours.sum() > 0  # work for the generic roles
    assert view.result.skill_gaps


def test_half_a_year_of_timesheets_approved_and_last_week_waiting(small_demo):
    this_week = week_of(TODAY)
    weeks = set(Timesheet.objects.values_list("week_start", flat=True))
    assert min(weeks) == this_week - timedelta(weeks=26)
    assert max(weeks) == this_week - timedelta(weeks=1)
    assert (
        not Timesheet.objects.filter(week_start=this_week - timedelta(weeks=1))
        .exclude(status=TimesheetStatus.SUBMITTED)
        .exists()
    )
    assert decidable_approvals(login("project.manager")).exists()
    member = login("team.member").person.resource
    last_week = this_week - timedelta(weeks=1)
    assert not Timesheet.objects.filter(resource=member, week_start=last_week).exists()
    # ...which has work to book: an assigned activity running that week.
    assert Assignment.objects.filter(
        resource=member, activity__start__date__lte=last_week + timedelta(days=4), activity__finish__date__gte=last_week
    ).exists()
    assert Timesheet.objects.filter(resource=member, status=TimesheetStatus.APPROVED).exists()


def test_no_day_books_more_than_24_hours(small_demo):
    by_day = defaultdict(Decimal)
    for timesheet_id, hours in TimesheetLine.objects.values_list("timesheet_id", "hours"):
        for offset, value in enumerate(hours):
            by_day[(timesheet_id, offset)] += Decimal(str(value))
    assert max(by_day.values()) <= 24


def test_actuals_are_what_the_timesheet_service_computes(small_demo):
    worked = list(Assignment.objects.filter(actual_hours__gt=0).order_by("pk")[:40])
    assert worked
    changed = timesheet_services.recompute_actuals(actor=login("admin"), assignments=worked)
    assert changed == []
