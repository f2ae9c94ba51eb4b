"""Importing the register: from checked tables to a plan of changes, then the changes made
through the services in one transaction."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models.functions import Lower

from pmo.core import services as core_services
from pmo.core.choices import Action
from pmo.core.errors import DomainError, InvalidData, PermissionRefused
from pmo.core.models import OrganisationUnit, Person
from pmo.core.permissions import grants_for
from pmo.resourcing.choices import EmploymentType
from pmo.resourcing.imports.reading import (
    Bad,
    Cells,
    Refused,
    Table,
    check_columns,
    read_tables,
    to_date,
    to_decimal,
    to_email,
    to_employment_type,
    to_skills,
    to_text,
    to_weekday_hours,
)
from pmo.resourcing.imports.report import (
    FILE,
    PEOPLE,
    RATES,
    REGISTER_COLUMNS,
    SHEETS,
    SKILLS,
    ImportProblem,
    ImportReport,
    SheetCounts,
)
from pmo.resourcing.models import Resource, ResourceRate, ResourceSkill, Skill
from pmo.resourcing.services import resources as services

_CHUNK = 500  # values per IN (...) query, well under SQLite's limit on bound parameters
# The service's field name -> the column of the register that sets it.
_COLUMN_OF_FIELD = {
    "name": "full_name",
    "unit": "unit_code",
    "person": "email",
    "level": "skills",
    "skill": "skills",
    "resource": "email",
}


def may_import(user) -> bool:
    """Importing creates and changes organisation records: it needs both across the organisation."""
    grants = grants_for(user)
    return grants.allows_everywhere(Action.CREATE) and grants.allows_everywhere(Action.CHANGE)


# --- from tables to a plan of changes --------------------------------------------------------


@dataclass
class _SkillRow:
    row: int
    name: str
    fields: dict
    shown: dict
    skill: Skill | None


@dataclass
class _PersonRow:
    row: int
    key: str
    person: Person | None
    person_fields: dict
    resource_fields: dict
    skills: list[tuple[str, int]]
    shown: dict


@dataclass
class _RateRow:
    row: int
    person_key: str | None
    resource: Resource | None
    effective_from: date
    cost_per_hour: Decimal
    bill_rate_per_hour: Decimal | None
    shown: dict


@dataclass
class _Plan:
    sheets: list[str]
    skills: list[_SkillRow] = field(default_factory=list)
    people: list[_PersonRow] = field(default_factory=list)
    rates: list[_RateRow] = field(default_factory=list)
    # Every person of the People sheet, by key and by lower-case name, even one whose row has a
    # problem: the rates that name them are then not reported as naming nobody.
    keys_in_file: set = field(default_factory=set)
    names_in_file: dict = field(default_factory=lambda: defaultdict(list))
    held: dict = field(default_factory=dict)  # (resource id, skill id) -> level
    rates_held: dict = field(default_factory=dict)  # (resource id, effective_from) -> ResourceRate


def _lookup(queryset, field_name: str, values: Iterable[str]) -> dict[str, list]:
    """Rows of ``queryset`` by the lower-cased ``field_name``, for the lower-case ``values``."""
    found, wanted = defaultdict(list), sorted(set(values))
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        for row in queryset.annotate(match_key=Lower(field_name)).filter(match_key__in=chunk):
            found[row.match_key].append(row)
    return found


def _only(candidates: list, what: str):
    if len(candidates) > 1:
        raise Bad(f"{len(candidates)} people in pmo have this {what}; give the email to say which.")
    return candidates[0] if candidates else None


def _plan(actor, tables: list[Table], problems: list[ImportProblem]) -> _Plan:
    plan = _Plan(sheets=[sheet for sheet in SHEETS if any(table.sheet == sheet for table in tables)])
    by_sheet = {}
    for table in tables:
        if table.sheet in by_sheet:
            problems.append(ImportProblem(table.sheet, None, "", "", "The file has this sheet twice."))
            continue
        columns = check_columns(table, problems)
        if columns is not None:
            by_sheet[table.sheet] = [
                Cells(table.sheet, number, values, columns, problems) for number, values in table.rows
            ]
    if problems:
        return plan
    people_cells, rate_cells = by_sheet.get(PEOPLE, []), by_sheet.get(RATES, [])
    skills = {skill.name.lower(): skill for skill in Skill.objects.visible_to(actor, Action.VIEW)}
    skill_names = {key: skill.name for key, skill in skills.items()}
    _plan_skills(plan, by_sheet.get(SKILLS, []), skills, skill_names)
    units = {unit.code.lower(): unit for unit in OrganisationUnit.objects.visible_to(actor, Action.VIEW)}
    people = Person.objects.visible_to(actor, Action.VIEW).select_related("resource", "unit")
    every_row = [*people_cells, *rate_cells]
    emails = [cells.text("email").lower() for cells in every_row if cells.raw("email") is not None]
    # People rows are looked up by name too: a person pmo holds without an email gets the file's.
    names = [cells.text("full_name").lower() for cells in people_cells] + [
        cells.text("full_name").lower() for cells in rate_cells if cells.raw("email") is None
    ]
    by_email, by_name = _lookup(people, "email", emails), _lookup(people, "full_name", names)
    _plan_people(plan, people_cells, units=units, skill_names=skill_names, by_email=by_email, by_name=by_name)
    _plan_rates(plan, rate_cells, by_email, by_name)
    resource_ids = [row.person.resource.pk for row in plan.people if row.person and _resource_of(row.person)]
    resource_ids += [row.resource.pk for row in plan.rates if row.resource is not None]
    for start in range(0, len(resource_ids), _CHUNK):
        chunk = resource_ids[start : start + _CHUNK]
        for held in ResourceSkill.objects.filter(resource_id__in=chunk):
            plan.held[held.resource_id, held.skill_id] = held.level
        for rate in ResourceRate.objects.filter(resource_id__in=chunk).select_related("resource"):
            plan.rates_held[rate.resource_id, rate.effective_from] = rate
    return plan


def _resource_of(person: Person) -> Resource | None:
    return getattr(person, "resource", None)


def _plan_skills(plan: _Plan, rows: list[Cells], skills: dict, skill_names: dict) -> None:
    first_row = {}
    for cells in rows:
        name = cells.get("name", to_text, 120)
        if name is None:
            cells.fail("name", "A skill needs a name.")
        fields = {
            "category": cells.get("category", to_text, 120),
            "description": cells.get("description", to_text, 10_000),
        }
        if name and name.lower() in first_row:
            cells.fail("name", f"This skill is also on row {first_row[name.lower()]}; give each skill once.")
        elif name:
            first_row[name.lower()] = cells.number
        if cells.failed:
            continue
        skill_names.setdefault(name.lower(), name)
        shown = {column: cells.shown(column) for column in ("name", "category", "description")}
        fields = {key: value for key, value in fields.items() if value is not None}
        plan.skills.append(_SkillRow(cells.number, name, fields, shown, skills.get(name.lower())))


def _plan_people(plan: _Plan, rows: list[Cells], *, units: dict, skill_names: dict, by_email, by_name) -> None:
    first_row = {}
    for cells in rows:
        full_name = cells.get("full_name", to_text, 200)
        if full_name is None:
            cells.fail("full_name", "A person needs a full name.")
        email = cells.get("email", to_email)
        key = f"email:{email.lower()}" if email else f"name:{full_name.lower()}" if full_name else None
        if key in first_row:
            column = "email" if email else "full_name"
            cells.fail(column, f"This person is also on row {first_row[key]}; give each person once.")
        elif key is not None:
            first_row[key] = cells.number
            plan.keys_in_file.add(key)
            if full_name:
                plan.names_in_file[full_name.lower()].append(key)
        person = None
        try:
            if email:
                person = _only(by_email.get(email.lower(), []), "email")
                if person is None and full_name:
                    without_email = [known for known in by_name.get(full_name.lower(), []) if not known.email]
                    person = _only(without_email, "name and no email")
            elif full_name:
                person = _only(by_name.get(full_name.lower(), []), "name")
        except Bad as error:
            cells.fail("email" if email else "full_name", str(error))
        unit = None
        if cells.raw("unit_code") is not None:
            code = cells.text("unit_code")
            unit = units.get(code.lower())
            if unit is None:
                cells.fail("unit_code", "No organisation unit in pmo has this code.")
            elif unit.is_archived:
                cells.fail("unit_code", f"The unit {unit} is archived.")
        employment_type = cells.get("employment_type", to_employment_type)
        contract_end = cells.get("contract_end", to_date)
        resource = _resource_of(person) if person else None
        effective_type = employment_type or (resource.employment_type if resource else EmploymentType.PERMANENT)
        if contract_end and effective_type == EmploymentType.PERMANENT:
            cells.fail("contract_end", "A permanent resource has no contract end; make employment_type contingent.")
        held = cells.get("skills", to_skills, skill_names) or []
        person_fields = {
            "full_name": full_name,
            "email": email,
            "job_title": cells.get("job_title", to_text, 200),
            # unit_code is the resource's unit; a person's own unit is set only where it has none.
            "unit": unit if person is None or person.unit_id is None else None,
        }
        resource_fields = {
            "unit": unit,
            "employment_type": employment_type,
            "contract_end": contract_end,
            "hours_per_day": cells.get("hours_per_day", to_decimal, Decimal("0.25"), Decimal(24)),
            "weekday_hours": cells.get("weekday_hours", to_weekday_hours),
        }
        if employment_type == EmploymentType.PERMANENT and contract_end is None and resource and resource.contract_end:
            resource_fields["contract_end"] = None  # made permanent: the contract's end no longer applies
        elif contract_end is None:
            del resource_fields["contract_end"]
        if cells.failed:
            continue
        plan.people.append(
            _PersonRow(
                row=cells.number,
                key=key,
                person=person,
                person_fields={name: value for name, value in person_fields.items() if value is not None},
                resource_fields={
                    name: value
                    for name, value in resource_fields.items()
                    if value is not None or name == "contract_end"
                },
                skills=held,
                shown={column.name: cells.shown(column.name) for column in REGISTER_COLUMNS[PEOPLE]},
            )
        )


def _plan_rates(plan: _Plan, rows: list[Cells], by_email, by_name) -> None:
    keys, names_in_file = plan.keys_in_file, plan.names_in_file
    first_row = {}
    for cells in rows:
        email = cells.get("email", to_email)
        full_name = cells.get("full_name", to_text, 200)
        effective_from = cells.get("effective_from", to_date)
        cost = cells.get("cost_per_hour", to_decimal, Decimal(0), Decimal("999999999999.99"))
        bill = cells.get("bill_rate_per_hour", to_decimal, Decimal(0), Decimal("999999999999.99"))
        for column, value in (("effective_from", effective_from), ("cost_per_hour", cost)):
            if value is None and cells.raw(column) is None:
                cells.fail(column, "This is required.")
        person_key, resource = None, None
        column = "email" if email else "full_name"
        if cells.raw("email") is None or email is not None:  # a bad email is reported already
            try:
                person_key, resource = _rate_person(
                    email, full_name, keys=keys, names_in_file=names_in_file, by_email=by_email, by_name=by_name
                )
            except Bad as error:
                cells.fail(column, str(error))
        target = person_key or (resource.pk if resource else None)
        if target and effective_from and (target, effective_from) in first_row:
            cells.fail(
                "effective_from",
                f"This person's rate from this date is also on row {first_row[target, effective_from]}.",
            )
        elif target and effective_from:
            first_row[target, effective_from] = cells.number
        if cells.failed:
            continue
        shown = {column.name: cells.shown(column.name) for column in REGISTER_COLUMNS[RATES]}
        plan.rates.append(_RateRow(cells.number, person_key, resource, effective_from, cost, bill, shown))


def _rate_person(email, full_name, *, keys, names_in_file, by_email, by_name) -> tuple[str | None, Resource | None]:
    """Whose rate a row is: the key of a row of the People sheet, or an existing resource."""
    if email:
        key = f"email:{email.lower()}"
        if key in keys:
            return key, None
        person = _only(by_email.get(email.lower(), []), "email")
    elif full_name:
        in_file = names_in_file.get(full_name.lower(), [])
        if len(in_file) > 1:
            raise Bad(f"{len(in_file)} people of the People sheet have this name; give the email.")
        if in_file:
            return in_file[0], None
        person = _only(by_name.get(full_name.lower(), []), "name")
    else:
        raise Bad("Give the email (or the full name) of the person the rate is for.")
    if person is None:
        raise Bad(f"No person in pmo or in the People sheet has this {'email' if email else 'full name'}.")
    resource = _resource_of(person)
    if resource is None:
        raise Bad(f"{person} is not a resource yet; add them to the People sheet.")
    return None, resource


# --- writing the plan through the services ---------------------------------------------------


class _Undo(Exception):
    """Raised to roll the import back after a refusal, or after a dry run."""


def _refusal(sheet: str, row: int, error: DomainError, shown: dict) -> list[ImportProblem]:
    if isinstance(error, PermissionRefused):
        raise error
    fields = error.errors if isinstance(error, InvalidData) else {error.field or "": [error.message]}
    found = []
    for name, messages in fields.items():
        column = name if name in shown else _COLUMN_OF_FIELD.get(name, "")
        found.append(ImportProblem(sheet, row, column, shown.get(column, ""), " ".join(messages)))
    return found


def _changes(instance, wanted: dict) -> dict:
    changes = {}
    for name, value in wanted.items():
        field = instance._meta.get_field(name)
        if field.is_relation:  # compared by key, without loading the related row
            if getattr(instance, field.attname) != (value.pk if value is not None else None):
                changes[name] = value
            continue
        current = getattr(instance, name)
        if name == "email" and (current or "").lower() == (value or "").lower():
            continue
        if name == "weekday_hours" and [float(hours) for hours in current] == value:
            continue
        if current != value:
            changes[name] = value
    return changes


def _write_skills(actor, plan: _Plan, reason: str, counts: SheetCounts, problems: list) -> dict[str, Skill]:
    skills = {skill.name.lower(): skill for skill in Skill.objects.visible_to(actor, Action.VIEW)}
    for row in plan.skills:
        try:
            if row.skill is None:
                skills[row.name.lower()] = services.create_skill(
                    actor=actor, name=row.name, reason=reason, **row.fields
                )
                counts.created += 1
            elif changes := _changes(row.skill, row.fields):
                services.update_skill(actor=actor, skill=row.skill, changes=changes, reason=reason)
                counts.updated += 1
            else:
                counts.unchanged += 1
        except DomainError as error:
            problems.extend(_refusal(SKILLS, row.row, error, row.shown))
    return skills


def _write_person(actor, plan: _Plan, row: _PersonRow, skills: dict, reason: str) -> tuple[Resource, bool]:
    """The row's person and resource, created or brought up to date; and whether anything changed."""
    changed = False
    person = row.person
    if person is None:
        person = core_services.create_person(actor=actor, reason=reason, **row.person_fields)
        changed = True
    elif changes := _changes(person, row.person_fields):
        person = core_services.update_person(actor=actor, person=person, changes=changes, reason=reason)
        changed = True
    resource = _resource_of(row.person) if row.person is not None else None
    resource_fields = {"name": row.person_fields["full_name"], **row.resource_fields}
    if resource is None:
        resource_fields.pop("name")
        resource = services.create_resource(actor=actor, person=person, reason=reason, **resource_fields)
        changed = True
    elif changes := _changes(resource, resource_fields):
        resource = services.update_resource(actor=actor, resource=resource, changes=changes, reason=reason)
        changed = True
    for name, level in row.skills:
        skill = skills.get(name)
        if skill is None:
            continue  # the Skills sheet's row for it was refused, and is reported there
        if plan.held.get((resource.pk, skill.pk)) != level:
            services.set_skill(actor=actor, resource=resource, skill=skill, level=level, reason=reason)
            changed = True
    return resource, changed


def _write_rate(actor, plan: _Plan, row: _RateRow, resource: Resource, reason: str) -> str:
    held = plan.rates_held.get((resource.pk, row.effective_from))
    if held is not None:
        if (held.cost_per_hour, held.bill_rate_per_hour) == (row.cost_per_hour, row.bill_rate_per_hour):
            return "unchanged"
        # A rate is a fact from a date: a corrected one replaces it (both steps audited).
        services.remove_rate(actor=actor, rate=held, reason=reason)
    services.add_rate(
        actor=actor,
        resource=resource,
        effective_from=row.effective_from,
        cost_per_hour=row.cost_per_hour,
        bill_rate_per_hour=row.bill_rate_per_hour,
        reason=reason,
    )
    return "created" if held is None else "updated"


def _write(actor, plan: _Plan, reason: str, counts: dict[str, SheetCounts], problems: list) -> None:
    skills = _write_skills(actor, plan, reason, counts.get(SKILLS, SheetCounts()), problems)
    resources = {}
    for row in plan.people:
        try:
            resources[row.key], changed = _write_person(actor, plan, row, skills, reason)
        except DomainError as error:
            problems.extend(_refusal(PEOPLE, row.row, error, row.shown))
            continue
        people = counts[PEOPLE]
        if row.person is None:
            people.created += 1
        elif changed:
            people.updated += 1
        else:
            people.unchanged += 1
    for row in plan.rates:
        resource = row.resource or resources.get(row.person_key)
        if resource is None:
            continue  # its person was refused, which is reported on the People sheet
        try:
            outcome = _write_rate(actor, plan, row, resource, reason)
        except DomainError as error:
            problems.extend(_refusal(RATES, row.row, error, row.shown))
            continue
        setattr(counts[RATES], outcome, getattr(counts[RATES], outcome) + 1)


@transaction.atomic
def import_register(*, actor, data: bytes, name: str, dry_run: bool = False, reason: str = "") -> ImportReport:
    """Import the register in ``data`` (the bytes of a file called ``name``, .xlsx or .csv).

    Returns the counts per sheet, or every problem found (and then nothing is imported). With
    ``dry_run`` the file is checked and written, and the writing undone. Raises
    ``PermissionRefused`` unless ``actor`` may create and change across the organisation.
    """
    core_services.require_global(actor, Action.CREATE, "people, resources, skills and rates")
    core_services.require_global(actor, Action.CHANGE, "people, resources, skills and rates")
    problems: list[ImportProblem] = []
    try:
        tables = read_tables(bytes(data), name, problems)
    except Refused as error:
        return ImportReport(name, problems=(*problems, ImportProblem(FILE, None, "", name, str(error))))
    plan = _plan(actor, tables, problems)
    if problems:
        return ImportReport(name, problems=tuple(sorted(problems, key=_order)))
    counts = {sheet: SheetCounts() for sheet in plan.sheets}
    try:
        with transaction.atomic():
            _write(actor, plan, reason or f"Imported from {name}", counts, problems)
            if problems or dry_run:
                raise _Undo
    except _Undo:
        pass
    if problems:
        return ImportReport(name, problems=tuple(sorted(problems, key=_order)))
    return ImportReport(name, counts=counts, dry_run=dry_run)


def _order(problem: ImportProblem) -> tuple:
    return (SHEETS.index(problem.sheet) if problem.sheet in SHEETS else -1, problem.row or 0)
