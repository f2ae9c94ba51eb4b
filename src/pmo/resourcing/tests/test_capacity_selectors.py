"""Capacity read from the database: what counts as capacity and demand, the heatmap's overloads,
the drill-down that adds up to its cell, unassigned demand and the skill gap forecast.

The world (weeks from Monday 2 March 2026), built by :func:`build_capacity_world`:
- Ada (IT, Python 4): Build (CRM replacement, 2-13 March, 80 h, billable), Warehouse support on a
  project of another portfolio (2-6 March, 20 h), an allocation of 30 h in the week of 16 March:
  60 h on 40 in week 1 (overloaded), 40 on 40, 30 on 40, 0;
- Bob (IT, Python 2, a calendar with Friday 6 March off, absent 9-10 March): half of Build, 40 h
  over his 7 working days;
- Carol (Data, under IT; SQL 2, contingent until 30 April), Dan (Finance, no skills): no work;
- a generic role, Data engineer (SQL 3), on Model data (2-6 March, 40 h): unassigned demand, a
  gap that Carol could close with training; courses in the register teach SQL at 2, 3 and 4.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from pmo.core import services as core_services
from pmo.core.errors import InvalidData, PermissionRefused
from pmo.planning import services as planning_services
from pmo.resourcing.models import Assignment, CourseSkill, Resource, TrainingCourse
from pmo.resourcing.selectors import capacity as selectors
from pmo.resourcing.services import resources as services
from pmo.resourcing.testing import make_resource, scheduled_activity, skill

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 3, 2)


@dataclass
class CapacityWorld:
    world: object
    ada: Resource
    bob: Resource
    carol: Resource
    dan: Resource
    role: Resource
    data_unit: object
    finance: object
    build_ada: Assignment
    support_ada: Assignment
    build_bob: Assignment
    model_role: Assignment


def build_capacity_world(world) -> CapacityWorld:
    admin = world.admin
    data_unit = core_services.create_unit(actor=admin, name="Data", code="data", parent=world.unit)
    finance = core_services.create_unit(actor=admin, name="Finance", code="fin")
    calendar = planning_services.create_calendar(
        actor=admin, name="Office holidays", exceptions=[(date(2026, 3, 6), False, "Founders' day")]
    )
    ada = make_resource(admin, "Ada Lovelace", unit=world.unit, skills={"Python": 4})
    bob = make_resource(admin, "Bob Babbage", unit=world.unit, skills={"Python": 2}, calendar=calendar)
    services.add_absence(actor=admin, resource=bob, start=date(2026, 3, 9), end=date(2026, 3, 10))
    carol = make_resource(
        admin,
        "Carol Codd",
        unit=data_unit,
        skills={"SQL": 2},
        employment_type="contingent",
        contract_end=date(2026, 4, 30),
    )
    dan = make_resource(admin, "Dan Debit", unit=finance)
    role = services.create_resource(
        actor=admin, kind="role", name="Data engineer", role_skill=skill(admin, "SQL"), role_level=3, unit=world.unit
    )
    build = scheduled_activity(admin, world.project, "Build", MONDAY, days=10)
    model = scheduled_activity(admin, world.project, "Model data", MONDAY, days=5)
    support = scheduled_activity(admin, world.other_project, "Warehouse support", MONDAY, days=5)
    build_ada = services.create_assignment(actor=admin, activity=build, resource=ada, is_billable=True)
    support_ada = services.create_assignment(actor=admin, activity=support, resource=ada, planned_hours=Decimal("20"))
    build_bob = services.create_assignment(actor=admin, activity=build, resource=bob, units_percent=Decimal("50"))
    model_role = services.create_assignment(actor=admin, activity=model, resource=role)
    services.create_allocation(
        actor=admin, project=world.project, resource=ada, period_start=date(2026, 3, 16), hours=Decimal("30")
    )
    for name, level, cost, archived in (
        ("SQL basics", 2, 300, False),
        ("Advanced SQL", 3, 900, False),
        ("SQL masterclass", 4, 1500, False),
        ("Old SQL course", 3, 100, True),
    ):
        course = TrainingCourse.objects.create(
            name=name, provider="Data Academy", cost=Decimal(cost), is_archived=archived
        )
        CourseSkill.objects.create(course=course, skill=skill(admin, "SQL"), level=level)
    return CapacityWorld(
        world, ada, bob, carol, dan, role, data_unit, finance, build_ada, support_ada, build_bob, model_role
    )


@pytest.fixture
def cw(world):
    return build_capacity_world(world)


def row_of(view, resource):
    return view.person_row(view.result.resource_index(str(resource.pk)))


def test_the_overloaded_cells_are_exactly_those_above_capacity(cw):
    view = selectors.capacity_analysis(cw.world.admin, start=MONDAY, periods=4)
    ada = row_of(view, cw.ada)
    assert [cell.demand_hours for cell in ada.cells] == pytest.approx([60, 40, 30, 0])
    assert [cell.capacity_hours for cell in ada.cells] == pytest.approx([40, 40, 40, 40])
    assert [cell.is_overloaded for cell in ada.cells] == [True, False, False, False]
    assert [cell.band for cell in ada.cells] == ["over", "high", "mid", "low"]
    assert [cell.percent for cell in ada.cells] == [150, 100, 75, 0]
    assert ada.cells[0].billable_hours == pytest.approx(40)
    assert view.result.is_overloaded.sum() == 1
    assert view.summary["overloaded_people"] == 1 and view.summary["people"] == 4
    # Overloaded people first, then by name.
    names = [view.person_row(row).name for row in view.people_order()]
    assert names[0] == "Ada Lovelace"
    assert [view.person_row(row).name for row in view.people_order(overloaded_only=True)] == ["Ada Lovelace"]
    assert [view.person_row(row).name for row in view.people_order(sort="name")] == [
        "Ada Lovelace",
        "Bob Babbage",
        "Carol Codd",
        "Dan Debit",
    ]


def test_absences_and_calendar_holidays_take_capacity_away(cw):
    view = selectors.capacity_analysis(cw.world.admin, start=MONDAY, periods=3)
    bob = row_of(view, cw.bob)
    assert [cell.capacity_hours for cell in bob.cells] == pytest.approx([32, 24, 40])
    # 40 h over his 7 working days: 4 in the first week, 3 in the second.
    assert [cell.demand_hours for cell in bob.cells] == pytest.approx([40 * 4 / 7, 40 * 3 / 7, 0])
    assert not any(cell.is_overloaded for cell in bob.cells)


def test_a_horizon_starting_midweek_is_moved_to_its_monday(cw):
    view = selectors.capacity_analysis(cw.world.admin, start=date(2026, 3, 4), periods=1)
    assert view.period_starts == (MONDAY,)
    monthly = selectors.capacity_analysis(cw.world.admin, start=date(2026, 3, 18), periods=2, kind="month")
    assert monthly.period_starts == (date(2026, 3, 1), date(2026, 4, 1))
    ada = row_of(monthly, cw.ada)
    assert ada.cells[0].demand_hours == pytest.approx(60 + 40 + 30)


def test_remaining_hours_only_and_finished_work_is_left_out(cw):
    Assignment.objects.filter(pk=cw.build_ada.pk).update(actual_hours=Decimal("60"))
    view = selectors.capacity_analysis(cw.world.admin, start=MONDAY, periods=2)
    # 20 h still to do on Build, spread over its ten days: 10 h a week.
    assert [cell.demand_hours for cell in row_of(view, cw.ada).cells] == pytest.approx([30, 10])
    planning_services.record_progress(
        actor=cw.world.admin,
        activity=cw.support_ada.activity,
        changes={
            "actual_start": timezone.make_aware(datetime(2026, 3, 2, 8)),
            "actual_finish": timezone.make_aware(datetime(2026, 3, 4, 17)),
            "percent_complete": Decimal("100"),
        },
    )
    view = selectors.capacity_analysis(cw.world.admin, start=MONDAY, periods=2)
    assert [cell.demand_hours for cell in row_of(view, cw.ada).cells] == pytest.approx([10, 10])


def test_drill_down_lists_what_fills_the_cell_and_adds_up(cw):
    view = selectors.capacity_analysis(cw.world.admin, start=MONDAY, periods=4)
    (cell,) = selectors.resource_breakdown(cw.world.admin, resource_id=cw.ada.pk, start=MONDAY)
    assert cell.demand_hours == pytest.approx(row_of(view, cw.ada).cells[0].demand_hours)
    assert sum(line.hours for line in cell.lines) == pytest.approx(cell.demand_hours)
    assert [(line.project, line.label, line.hours, line.is_billable) for line in cell.lines] == [
        ("HERE-1 CRM replacement", "Build", pytest.approx(40), True),
        ("ELSE-1 Warehouse automation", "Warehouse support", pytest.approx(20), False),
    ]
    assert cell.is_overloaded and cell.percent == 150
    (third,) = selectors.resource_breakdown(cw.world.admin, resource_id=cw.ada.pk, start=date(2026, 3, 16))
    assert [(line.source, line.hours) for line in third.lines] == [("allocation", pytest.approx(30))]


def test_projects_the_user_cannot_see_are_not_named(cw):
    (cell,) = selectors.resource_breakdown(cw.world.permitted, resource_id=cw.ada.pk, start=MONDAY)
    hidden = [line for line in cell.lines if line.project == selectors.HIDDEN_PROJECT]
    assert len(hidden) == 1 and hidden[0].hours == pytest.approx(20)
    assert hidden[0].label == "" and hidden[0].project_id is None
    assert "Warehouse" not in repr(cell)
    # The load is real all the same.
    assert cell.demand_hours == pytest.approx(60)


def test_project_labels_name_only_what_the_user_may_see(cw):
    mine, elsewhere = str(cw.world.project.pk), str(cw.world.other_project.pk)
    admin = selectors.capacity_analysis(cw.world.admin, start=MONDAY, periods=2)
    assert admin.project_label(elsewhere) == "ELSE-1 Warehouse automation"
    permitted = selectors.capacity_analysis(cw.world.permitted, start=MONDAY, periods=2)
    assert permitted.project_label(mine) == "HERE-1 CRM replacement"
    assert permitted.project_label(elsewhere) == selectors.HIDDEN_PROJECT
    # The hidden project's hours weigh on Ada all the same.
    assert row_of(permitted, cw.ada).cells[0].demand_hours == pytest.approx(60)


def test_generic_role_work_is_unassigned_demand_and_a_skill_gap(cw):
    view = selectors.capacity_analysis(cw.world.admin, start=MONDAY, periods=4)
    assert list(view.result.unassigned_demand_hours) == pytest.approx([40, 0, 0, 0])
    assert str(cw.role.pk) not in view.result.resource_keys
    sql = str(skill(cw.world.admin, "SQL").pk)
    (gap,) = view.skill_gaps(sql)
    assert gap.first_period_start == MONDAY and gap.periods == 1
    assert gap.required_level == 3 and gap.total_gap_hours == pytest.approx(40)
    assert gap.recommendation == "training" and "train them to level 3" in gap.reason
    (cell,) = selectors.resource_breakdown(cw.world.admin, resource_id=None, start=MONDAY)
    assert cell.name == selectors.UNASSIGNED_NAME
    assert [(line.label, line.hours) for line in cell.lines] == [("Model data (Data engineer)", pytest.approx(40))]


def test_courses_teaching_the_gap_skill_at_the_level_cheapest_first(cw):
    sql = skill(cw.world.admin, "SQL")
    courses = selectors.courses_for(cw.world.admin, {sql.pk: 3})[sql.pk]
    assert [(course.name, course.level, course.cost) for course in courses] == [
        ("Advanced SQL", 3, Decimal("900.00")),
        ("SQL masterclass", 4, Decimal("1500.00")),
    ]
    python = skill(cw.world.admin, "Python")
    assert selectors.courses_for(cw.world.admin, {python.pk: 1}) == {python.pk: []}


def test_unit_filter_takes_the_units_below_and_their_roles(cw):
    view = selectors.capacity_analysis(cw.world.admin, start=MONDAY, periods=2, unit=cw.world.unit)
    names = sorted(view.person_row(row).name for row in range(len(view.result.resource_keys)))
    assert names == ["Ada Lovelace", "Bob Babbage", "Carol Codd"]
    assert view.summary["unassigned_demand_hours"] == pytest.approx(40)
    finance = selectors.capacity_analysis(cw.world.admin, start=MONDAY, periods=2, unit=cw.finance)
    assert [finance.person_row(0).name] == ["Dan Debit"]
    assert finance.summary["unassigned_demand_hours"] == 0


def test_skill_filter_keeps_holders_and_the_demand_for_the_skill(cw):
    sql = skill(cw.world.admin, "SQL")
    view = selectors.capacity_analysis(cw.world.admin, start=MONDAY, periods=2, skill=sql)
    assert [view.person_row(row).name for row in view.people_order()] == ["Carol Codd"]
    assert view.summary["unassigned_demand_hours"] == pytest.approx(40)
    rows = [view.skill_row(index) for index in view.skill_order()]
    assert [row.name for row in rows] == ["SQL"]
    assert [cell.demand_hours for cell in rows[0].cells] == pytest.approx([40, 0])
    assert [cell.capacity_hours for cell in rows[0].cells] == pytest.approx([40, 40])
    level_three = view.skill_row(view.skill_order()[0], level=3)
    assert level_three.holders == 0 and level_three.cells[0].band == "over"


def test_contracts_ending_and_the_employment_mix(cw):
    view = selectors.capacity_analysis(cw.world.admin, start=MONDAY, periods=12)
    (contract,) = selectors.contracts_ending(view)
    assert (contract.name, contract.contract_end) == ("Carol Codd", date(2026, 4, 30))
    mix = {row.name: row for row in selectors.unit_mix(view)}
    assert mix["Data"].contingent_people == 1 and mix["Data"].contingent_share == 1.0
    assert mix["Information Technology"].permanent_people == 2 and mix["Information Technology"].contingent_share == 0
    weeks = selectors.period_mix(view)
    assert weeks[0].contingent_hours == pytest.approx(40)
    assert weeks[-1].contingent_hours == 0  # the week of 18 May: her contract has ended


def test_archived_people_have_no_capacity_and_their_skilled_work_is_unassigned(cw):
    python = skill(cw.world.admin, "Python")
    services.update_assignment(
        actor=cw.world.admin, assignment=cw.build_bob, changes={"required_skill": python, "required_level": 2}
    )
    services.archive_resource(actor=cw.world.admin, resource=cw.bob)
    view = selectors.capacity_analysis(cw.world.admin, start=MONDAY, periods=2)
    assert str(cw.bob.pk) not in view.result.resource_keys
    # Bob's 40 h become unassigned Python work, spread Monday to Friday over the two weeks.
    assert list(view.result.unassigned_demand_hours) == pytest.approx([40 + 20, 20])


def test_no_role_no_capacity_and_bad_parameters_are_named(cw):
    with pytest.raises(PermissionRefused):
        selectors.capacity_analysis(cw.world.nobody, start=MONDAY)
    with pytest.raises(InvalidData, match="periods"):
        selectors.capacity_analysis(cw.world.admin, start=MONDAY, periods=105)
    with pytest.raises(InvalidData, match="kind"):
        selectors.capacity_analysis(cw.world.admin, start=MONDAY, kind="fortnight")
    with pytest.raises(InvalidData, match="threshold"):
        selectors.capacity_analysis(cw.world.admin, start=MONDAY, overload_threshold=0)
    with pytest.raises(InvalidData, match="resource"):
        selectors.resource_breakdown(cw.world.admin, resource_id=cw.role.pk, start=MONDAY)


def test_capacity_inputs_for_other_readers(cw):
    grid = selectors.horizon(MONDAY, 2)
    inputs = selectors.capacity_inputs(cw.world.admin, grid=grid, resource_ids=[cw.ada.pk], include_unassigned=False)
    assert [resource.key for resource in inputs.resources] == [str(cw.ada.pk)]
    assert sorted(item.key for item in inputs.demand) == sorted([f"a{cw.build_ada.pk}", f"a{cw.support_ada.pk}"])
    assert inputs.people[str(cw.ada.pk)].name == "Ada Lovelace"
    assert inputs.skill_names[str(skill(cw.world.admin, "Python").pk)] == "Python"
