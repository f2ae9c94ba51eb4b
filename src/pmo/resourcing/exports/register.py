"""The resource register as an Excel workbook, in the layout the import reads back unchanged.

Sheets ``People``, ``Skills`` and ``Rates`` hold what the user may see, one row per person, skill
and rate; ``Skills matrix`` (people by skills, the level in each cell) is for reading and is
protected, and the import ignores it. ``register_template`` writes the same sheets with one
example row each.

Text that a spreadsheet would take for a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return) is written as a text cell with Excel's quote prefix, so that opening or
editing the file never runs it; the import reads the text back as it was.
"""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from io import BytesIO

from django.db.models import Prefetch
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pmo.core.choices import Action
from pmo.resourcing.models import Resource, ResourceRate, ResourceSkill, Skill

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PEOPLE_HEADERS = (
    "full_name",
    "email",
    "job_title",
    "unit_code",
    "employment_type",
    "contract_end",
    "hours_per_day",
    "weekday_hours",
    "skills",
)
SKILL_HEADERS = ("name", "category", "description")
RATE_HEADERS = ("email", "full_name", "effective_from", "cost_per_hour", "bill_rate_per_hour")
MATRIX_SHEET = "Skills matrix"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_DATE_FORMAT = "yyyy-mm-dd"
_MONEY_FORMAT = "#,##0.00"
_MONEY_COLUMNS = ("cost_per_hour", "bill_rate_per_hour")
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="E8ECF4")
_WIDTHS = {
    "full_name": 26,
    "email": 30,
    "job_title": 24,
    "unit_code": 12,
    "employment_type": 16,
    "contract_end": 13,
    "hours_per_day": 13,
    "weekday_hours": 20,
    "skills": 40,
    "name": 26,
    "category": 20,
    "description": 50,
    "effective_from": 14,
    "cost_per_hour": 14,
    "bill_rate_per_hour": 17,
}

EXAMPLE_ROWS = {
    "People": (
        "Ada Lovelace",
        "ada.lovelace@example.org",
        "Data engineer",
        None,
        "contingent",
        date(2027, 3, 31),
        Decimal("7.5"),
        "7.5, 7.5, 7.5, 7.5, 7.5, 0, 0",
        "Python:4; SQL:3",
    ),
    "Skills": ("Python", "Engineering", "Writing and reviewing Python code."),
    "Rates": ("ada.lovelace@example.org", "Ada Lovelace", date(2026, 1, 1), Decimal("65.00"), Decimal("95.00")),
}
# The example's skills must exist for the example to import: the Skills sheet of the template
# names each of them.
EXAMPLE_EXTRA_SKILLS = (("SQL", "Engineering", "Querying and modelling relational data."),)


def put(sheet: Worksheet, row: int, column: int, value, number_format: str | None = None) -> None:
    """Write one cell; text that a spreadsheet would run as a formula stays text."""
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True
    elif isinstance(value, date):
        cell.number_format = _DATE_FORMAT
    elif number_format and isinstance(value, Decimal):
        cell.number_format = number_format


def _hours(value) -> str:
    return f"{Decimal(str(value)).normalize():f}"


def _sheet(workbook: Workbook, title: str, headers: tuple[str, ...], notes: Mapping[str, str] | None) -> Worksheet:
    sheet = workbook.create_sheet(title)
    for column, header in enumerate(headers, start=1):
        put(sheet, 1, column, header)
        cell = sheet.cell(row=1, column=column)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        if notes and notes.get(header):
            cell.comment = Comment(notes[header], "pmo")
        sheet.column_dimensions[get_column_letter(column)].width = _WIDTHS.get(header, 16)
    sheet.freeze_panes = "A2"
    return sheet


def _rows(sheet: Worksheet, rows) -> None:
    headers = [cell.value for cell in sheet[1]]
    formats = [_MONEY_FORMAT if header in _MONEY_COLUMNS else None for header in headers]
    for row_number, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            if value is not None and value != "":
                put(sheet, row_number, column, value, formats[column - 1])


def _save(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _new_workbook() -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    return workbook


def _people_rows(resources: list[Resource]):
    for resource in resources:
        person = resource.person
        held = sorted(resource.skills.all(), key=lambda held: held.skill.name.lower())
        yield (
            person.full_name,
            person.email,
            person.job_title,
            resource.unit.code if resource.unit else None,
            resource.employment_type,
            resource.contract_end,
            Decimal(resource.hours_per_day).normalize(),
            ", ".join(_hours(hours) for hours in resource.weekday_hours),
            "; ".join(f"{held.skill.name}:{held.level}" for held in held),
        )


def _rate_rows(resources: list[Resource]):
    for resource in resources:
        for rate in resource.rates.all():
            yield (
                resource.person.email,
                resource.person.full_name,
                rate.effective_from,
                rate.cost_per_hour,
                rate.bill_rate_per_hour,
            )


def _matrix(workbook: Workbook, resources: list[Resource]) -> None:
    held_names = sorted({held.skill.name for resource in resources for held in resource.skills.all()}, key=str.lower)
    sheet = _sheet(workbook, MATRIX_SHEET, ("full_name", "email", *held_names), None)
    column_of = {name: index for index, name in enumerate(held_names, start=3)}
    for row_number, resource in enumerate(resources, start=2):
        put(sheet, row_number, 1, resource.person.full_name)
        if resource.person.email:
            put(sheet, row_number, 2, resource.person.email)
        for held in resource.skills.all():
            put(sheet, row_number, column_of[held.skill.name], held.level)
    for column in range(3, len(held_names) + 3):
        sheet.column_dimensions[get_column_letter(column)].width = 12
    # For reading only: the People sheet is where skills are changed.
    sheet.protection.sheet = True


def register_workbook(user) -> bytes:
    """The register ``user`` may see, as .xlsx bytes. ``user`` None means the server's owner (the
    command line), who reads everything. Costs the same number of queries for any number of rows."""
    resources_query = Resource.objects.all() if user is None else Resource.objects.visible_to(user, Action.VIEW)
    skills_query = Skill.objects.all() if user is None else Skill.objects.visible_to(user, Action.VIEW)
    held_query = ResourceSkill.objects.select_related("skill").order_by("skill__name")
    rates_query = ResourceRate.objects.order_by("effective_from")
    if user is not None:
        held_query = held_query.visible_to(user, Action.VIEW)
        rates_query = rates_query.visible_to(user, Action.VIEW)
    resources = list(
        resources_query.people()
        .filter(is_archived=False)
        .select_related("person", "unit")
        .prefetch_related(Prefetch("skills", queryset=held_query), Prefetch("rates", queryset=rates_query))
        .order_by("name", "pk")
    )
    workbook = _new_workbook()
    _rows(_sheet(workbook, "People", PEOPLE_HEADERS, None), _people_rows(resources))
    skills = skills_query.filter(is_archived=False).order_by("name")
    _rows(
        _sheet(workbook, "Skills", SKILL_HEADERS, None),
        ((skill.name, skill.category, skill.description) for skill in skills),
    )
    _rows(_sheet(workbook, "Rates", RATE_HEADERS, None), _rate_rows(resources))
    _matrix(workbook, resources)
    return _save(workbook)


def register_template(notes: Mapping[str, Mapping[str, str]] | None = None) -> bytes:
    """A register with its headers and one example row per sheet; ``notes`` (sheet -> column ->
    text) become comments on the headers."""
    notes = notes or {}
    workbook = _new_workbook()
    for title, headers in (("People", PEOPLE_HEADERS), ("Skills", SKILL_HEADERS), ("Rates", RATE_HEADERS)):
        rows = [EXAMPLE_ROWS[title], *(EXAMPLE_EXTRA_SKILLS if title == "Skills" else ())]
        _rows(_sheet(workbook, title, headers, notes.get(title)), rows)
    return _save(workbook)
