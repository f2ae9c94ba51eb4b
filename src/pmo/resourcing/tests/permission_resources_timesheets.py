"""Timesheets in the permission matrix (web/tests/test_permission_matrix.py).

The "here" week is a team member's submitted week that books hours to the world's project, so
that the portfolio manager of that project (``world.permitted``) reads it and decides its part;
people elsewhere and logins without a role see neither. Both are changed only through their
actions (lines, submit, approve, reject, reopen), never by PATCH, PUT or DELETE: read-only here.
"""

from pmo.core.testing.harness import Resource
from pmo.resourcing.models import Timesheet, TimesheetApproval
from pmo.resourcing.tests.timesheet_builders import hours, make_crew, submitted_week


def _timesheet(world) -> Timesheet:
    existing = Timesheet.objects.filter(resource__person__user__username="member.here").first()
    if existing is not None:
        return existing
    crew = make_crew(world)
    return submitted_week(crew, [{"activity": crew.build, "hours": hours(8, 8)}])


def _approval(world) -> TimesheetApproval:
    return _timesheet(world).approvals.get()


TIMESHEET_RESOURCES = [
    Resource(
        name="timesheet",
        obj=_timesheet,
        permitted=lambda w: w.permitted,
        scoped=True,
        ui_detail="resourcing:timesheet_detail",
        api_basename="timesheet",
        read_only=True,
    ),
    Resource(
        name="timesheet-approval",
        obj=_approval,
        permitted=lambda w: w.permitted,
        scoped=True,
        api_basename="timesheet-approval",
        read_only=True,
    ),
]
