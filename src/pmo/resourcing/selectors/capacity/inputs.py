"""The database read as the inputs of ``pmo_engine.capacity`` (see the package's docstring for
what is read and why), in a fixed number of queries whatever the number of people."""

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import connections
from django.db.models import F, FloatField, Q
from django.db.models.functions import Cast
from django.utils import timezone

from pmo.core.choices import Action
from pmo.core.errors import InvalidData, PermissionRefused
from pmo.core.models import OrganisationUnit
from pmo.core.permissions import grants_for
from pmo.planning.models import Activity, CalendarException
from pmo.resourcing import adapters
from pmo.resourcing.choices import PeriodKind, ResourceKind
from pmo.resourcing.models import Absence, Allocation, Assignment, Resource, ResourceSkill, Skill, week_of
from pmo_engine.capacity import CapacityResource, DemandItem, PeriodGrid
from pmo_engine.errors import InvalidInput

MAX_PERIODS = 104
DEFAULT_WEEKS = 12
NO_UNIT_NAME = "No unit"

# --- the horizon --------------------------------------------------------------------------------


def default_start(kind: str = PeriodKind.WEEK, today: date | None = None) -> date:
    """This week's Monday (or the first day of this month)."""
    today = today or timezone.localdate()
    return today.replace(day=1) if kind == PeriodKind.MONTH else week_of(today)


def horizon(start: date, periods: int, kind: str = PeriodKind.WEEK) -> PeriodGrid:
    """The grid of ``periods`` weeks or months from the week (Monday) or month holding ``start``.

    Raises ``InvalidData`` naming ``kind`` or ``periods`` when they are out of bounds."""
    if kind not in PeriodKind.values:
        raise InvalidData({"kind": [f"Choose week or month, not {kind!r}."]})
    if isinstance(periods, bool) or not isinstance(periods, int) or not 1 <= periods <= MAX_PERIODS:
        raise InvalidData({"periods": [f"Give a number of periods from 1 to {MAX_PERIODS}, not {periods!r}."]})
    first = start.replace(day=1) if kind == PeriodKind.MONTH else week_of(start)
    try:
        return PeriodGrid(first, periods, kind)
    except InvalidInput as error:
        raise InvalidData({error.field or "start": [error.message]}) from None


def _aware_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class _LocalDays(dict):
    """The local date of each moment of a ``DateTimeField`` as the database returns it (raw),
    computed once per distinct value: plans share few distinct start and finish times, and the
    conversion (the backend's own, then the time zone) is the slowest step of reading demand."""

    def __init__(self, field, connection):
        super().__init__()
        self.column = field.get_col(field.model._meta.db_table)
        self.connection = connection
        self.converters = [*connection.ops.get_db_converters(self.column), *field.get_db_converters(connection)]

    def __missing__(self, raw) -> date:
        moment = raw
        for converter in self.converters:
            moment = converter(moment, self.column, self.connection)
        day = self[raw] = timezone.localtime(moment).date()
        return day


# --- the engine's inputs ------------------------------------------------------------------------


@dataclass(frozen=True)
class ResourceInfo:
    """What the pages show of a person beside the numbers."""

    resource_id: int
    name: str
    unit_key: str
    employment_type: str
    contract_end: date | None


@dataclass(frozen=True)
class CapacityInputs:
    """The engine's inputs for one horizon and scope, with the names behind the keys.

    ``resources`` and ``demand`` go to ``analyse_capacity``; ``people`` maps a resource key to
    its name and unit; ``unit_names`` and ``skill_names`` map unit and skill keys to names (every
    key that appears in the inputs); ``demand`` item keys are ``a<assignment id>`` and
    ``l<allocation id>`` (``adapters.item_source`` reads them back)."""

    grid: PeriodGrid
    resources: tuple[CapacityResource, ...]
    demand: tuple[DemandItem, ...]
    people: dict[str, ResourceInfo]
    unit_names: dict[str, str]
    skill_names: dict[str, str]


def require_viewer(user) -> None:
    """Capacity is for anyone with a role; others are refused."""
    if not grants_for(user).has_any_role:
        raise PermissionRefused("You need a role in the organisation to see capacity.")


def _unit_tree(unit: OrganisationUnit | None) -> tuple[dict[int, str], set[int] | None]:
    """Every unit's name, and the ids of ``unit`` and the units under it (None: no filter)."""
    rows = list(OrganisationUnit.objects.values_list("pk", "parent_id", "name"))
    names = {pk: name for pk, _, name in rows}
    if unit is None:
        return names, None
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent, _ in rows:
        children[parent].append(pk)
    chosen, stack = set(), [unit.pk]
    while stack:
        current = stack.pop()
        if current not in chosen:
            chosen.add(current)
            stack.extend(children[current])
    return names, chosen


def capacity_inputs(
    user,
    *,
    grid: PeriodGrid,
    unit: OrganisationUnit | None = None,
    skill: Skill | None = None,
    resource_ids: Collection[int] | None = None,
    include_unassigned: bool = True,
) -> CapacityInputs:
    """Read the people, their calendars and the demand on them for ``grid`` (see the module).

    Scope: ``unit`` keeps the people of that unit and the units under it (and the generic roles
    there); ``skill`` keeps the people holding the skill (at any level) and the unassigned demand
    for it; ``resource_ids`` keeps only those people (and, with ``include_unassigned`` False, no
    unassigned demand). Demand on the people kept counts in full, whatever skill it needs.
    Raises ``PermissionRefused`` for a user without a role. About ten queries."""
    require_viewer(user)
    unit_names, unit_ids = _unit_tree(unit)
    people = Resource.objects.visible_to(user, Action.VIEW).filter(kind=ResourceKind.PERSON, is_archived=False)
    if unit_ids is not None:
        people = people.filter(unit_id__in=unit_ids)
    if skill is not None:
        people = people.filter(pk__in=ResourceSkill.objects.filter(skill=skill).values("resource_id"))
    if resource_ids is not None:
        people = people.filter(pk__in=list(resource_ids))
    rows = list(
        people.order_by().values_list(
            "pk", "name", "unit_id", "employment_type", "contract_end", "hours_per_day", "weekday_hours", "calendar_id"
        )
    )
    person_ids = {row[0] for row in rows}
    person_scope = people.values("pk")

    unassigned = Q(resource__kind=ResourceKind.ROLE) | Q(resource__is_archived=True)
    if unit_ids is not None:
        unassigned &= Q(resource__unit_id__in=unit_ids)
    if skill is not None:
        unassigned &= Q(required_skill=skill) | Q(required_skill__isnull=True, resource__role_skill=skill)
    demand_scope = Q(resource_id__in=person_scope)
    if include_unassigned:
        demand_scope |= unassigned

    demand = _assignment_demand(grid, demand_scope, person_ids)
    demand += _allocation_demand(grid, demand_scope, person_ids)

    # Non-working dates matter inside the horizon and inside the dates of each item of the person
    # (they decide over which days its hours are spread); outside, they change nothing.
    horizon_span = (grid.start, grid.end - timedelta(days=1))
    spans = _demand_spans(demand, horizon_span)
    off = _days_off(person_scope, rows, spans, horizon_span)
    held: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for resource_id, skill_id, level in ResourceSkill.objects.filter(resource_id__in=person_scope).values_list(
        "resource_id", "skill_id", "level"
    ):
        held[resource_id].append((skill_id, level))

    resources, infos = [], {}
    for pk, name, unit_id, employment, contract_end, hours_per_day, weekday_hours, _calendar in rows:
        resource = adapters.capacity_resource(
            resource_id=pk,
            unit_id=unit_id,
            employment_type=employment,
            contract_end=contract_end,
            hours_per_day=hours_per_day,
            weekday_hours=weekday_hours,
            # A day the person never works anyway needs no mention.
            non_working_dates=[day for day in off.get(pk, ()) if weekday_hours[day.weekday()]],
            skills=held.get(pk, ()),
        )
        resources.append(resource)
        infos[resource.key] = ResourceInfo(pk, name, resource.organisation_unit_key, employment, resource.contract_end)

    skill_keys = {key for resource in resources for key, _ in resource.skills}
    skill_keys |= {item.required_skill for item in demand if item.required_skill is not None}
    skill_names = {
        adapters.skill_key(pk): name
        for pk, name in Skill.objects.filter(pk__in=[int(key) for key in skill_keys]).values_list("pk", "name")
    }
    units = {adapters.unit_key(pk): name for pk, name in unit_names.items()}
    units[adapters.NO_UNIT] = NO_UNIT_NAME
    return CapacityInputs(grid, tuple(resources), tuple(demand), infos, units, skill_names)


def _days_off(person_scope, rows: list[tuple], spans: dict, horizon_span: tuple[date, date]) -> dict[int, set[date]]:
    """Each person's absences and calendar holidays within their span (see :func:`_demand_spans`)."""
    span_start = min(first for first, _ in spans.values()) if spans else horizon_span[0]
    span_end = max(last for _, last in spans.values()) if spans else horizon_span[1]
    off: dict[int, set[date]] = defaultdict(set)
    absences = Absence.objects.filter(resource_id__in=person_scope, start__lte=span_end, end__gte=span_start)
    for resource_id, first, last in absences.values_list("resource_id", "start", "end"):
        low, high = spans.get(resource_id, horizon_span)
        day, stop = max(first, low), min(last, high)
        while day <= stop:
            off[resource_id].add(day)
            day += timedelta(days=1)
    calendars = defaultdict(list)
    for pk, *_, calendar_id in rows:
        if calendar_id is not None:
            calendars[calendar_id].append(pk)
    if calendars:
        exceptions = CalendarException.objects.filter(
            calendar_id__in=list(calendars), is_working=False, date__gte=span_start, date__lte=span_end
        )
        for calendar_id, day in exceptions.values_list("calendar_id", "date"):
            for pk in calendars[calendar_id]:
                low, high = spans.get(pk, horizon_span)
                if low <= day <= high:
                    off[pk].add(day)
    return off


def _demand_spans(demand: list[DemandItem], horizon_span: tuple[date, date]) -> dict[int, tuple[date, date]]:
    """For each person with demand: the first and last day of the horizon and of their items."""
    spans: dict[int, tuple[date, date]] = {}
    for item in demand:
        if item.resource_key is None:
            continue
        person = adapters.resource_id_of(item.resource_key)
        low, high = spans.get(person, horizon_span)
        spans[person] = (min(low, item.start), max(high, item.end))
    return spans


def _plain_rows(queryset) -> list[tuple]:
    """The rows of a ``values_list`` as the database driver returns them, without Django's
    conversion of each value: on 200,000 assignments the conversions cost more than the query.
    Ids, integers and floats come as they are, booleans as 0/1 or True/False, dates and times in
    the backend's raw form (convert them with the field's converters). Columns come in the order
    the SQL selects them: fields first, then annotations."""
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _who(resource, needed, level, role: tuple, person_ids: set[int]) -> tuple[int | None, int | None, int] | None:
    """(resource id, required skill id, level) of a demand row: a person in scope keeps the work;
    anyone else (a generic role, an archived person) makes it unassigned demand for the required
    skill, or the role's skill; None when no skill can be named."""
    if resource in person_ids:
        return resource, needed, level
    if needed is None:
        needed, level = role
    return None if needed is None else (None, needed, level)


def _assignment_demand(grid: PeriodGrid, scope: Q, person_ids: set[int]) -> list[DemandItem]:
    """One query, read without Django's conversion of each value (see :func:`_plain_rows`); the
    activities' dates are converted once per distinct value."""
    assignments = Assignment.objects.filter(
        scope,
        activity__start__lt=_aware_midnight(grid.end),
        activity__finish__gte=_aware_midnight(grid.start),
        activity__actual_finish__isnull=True,
        activity__percent_complete__lt=100,
        planned_hours__gt=F("actual_hours"),
    ).order_by()
    rows = _plain_rows(
        assignments.annotate(remaining_hours=Cast(F("planned_hours") - F("actual_hours"), FloatField())).values_list(
            "pk",
            "project_id",
            "resource_id",
            "resource__role_skill_id",
            "resource__role_level",
            "activity__start",
            "activity__finish",
            "required_skill_id",
            "required_level",
            "is_billable",
            "remaining_hours",  # the one annotation, last: the SQL selects it after the fields
        )
    )
    local_day = _LocalDays(Activity._meta.get_field("start"), connections[assignments.db])
    items = []
    for pk, project, resource, role_skill, role_level, start, finish, needed, level, billable, remaining in rows:
        who = _who(resource, needed, level, (role_skill, role_level), person_ids)
        if who is None:
            continue
        items.append(
            adapters.assignment_demand(
                assignment_id=pk,
                project_id=project,
                resource_id=who[0],
                remaining_hours=remaining,
                start=local_day[start],
                finish=local_day[finish],
                required_skill_id=who[1],
                required_level=who[2],
                is_billable=bool(billable),
            )
        )
    return items


def _allocation_demand(grid: PeriodGrid, scope: Q, person_ids: set[int]) -> list[DemandItem]:
    rows = (
        Allocation.objects.filter(
            scope, period_start__lt=grid.end, period_start__gt=grid.start - timedelta(days=31), hours__gt=0
        )
        .order_by()
        .annotate(float_hours=Cast("hours", FloatField()))
        .values_list(
            "pk",
            "project_id",
            "resource_id",
            "resource__role_skill_id",
            "resource__role_level",
            "period_kind",
            "period_start",
            "float_hours",
            "required_skill_id",
            "required_level",
            "is_billable",
        )
    )
    items = []
    for pk, project, resource, role_skill, role_level, kind, first, hours, needed, level, billable in rows:
        who = _who(resource, needed, level, (role_skill, role_level), person_ids)
        if who is None or adapters.period_end(kind, first) < grid.start:
            continue
        items.append(
            adapters.allocation_demand(
                allocation_id=pk,
                project_id=project,
                resource_id=who[0],
                period_kind=kind,
                period_start=first,
                hours=hours,
                required_skill_id=who[1],
                required_level=who[2],
                is_billable=billable,
            )
        )
    return items
