"""Declarative columns for list pages: what to show, how to sort by it, where it links."""

from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class Column:
    """One column of a list page.

    ``accessor`` is a dotted path read from each row (``programme.name``); a method named
    ``get_<field>_display`` is called. ``order_by`` names the database field to sort on, or is
    empty for a column that cannot be sorted. ``link`` makes the cell a link to the row's page.
    """

    label: str
    accessor: str
    order_by: str = ""
    link: bool = False
    css_class: str = ""

    def value(self, row: models.Model):
        value = row
        for part in self.accessor.split("."):
            if value is None:
                return None
            value = getattr(value, part)
            if callable(value) and not isinstance(value, models.Manager):
                value = value()
        return value


def ordering_choices(columns: list[Column]) -> dict[str, str]:
    """Map the ``?sort=`` keys a list page accepts to database orderings."""
    return {column.order_by: column.order_by for column in columns if column.order_by}


UNIT_COLUMNS = [
    Column("Name", "name", "name", link=True),
    Column("Code", "code", "code"),
    Column("Parent unit", "parent", "parent__name"),
]
PERSON_COLUMNS = [
    Column("Name", "full_name", "full_name", link=True),
    Column("Job title", "job_title", "job_title"),
    Column("Unit", "unit", "unit__name"),
    Column("Email", "email", "email"),
]
OFFICE_COLUMNS = [
    Column("Name", "name", "name", link=True),
    Column("Kind", "get_kind_display", "kind"),
    Column("Permanent", "is_permanent", "is_permanent"),
    Column("Unit", "unit", "unit__name"),
    Column("Closes on", "closes_on", "closes_on"),
    Column("Staff", "staff_count", "staff_count"),
]
AUDIT_COLUMNS = [
    Column("When", "occurred_at", "occurred_at"),
    Column("Who", "actor_name", "actor_name"),
    Column("Action", "action", "action"),
    Column("Object", "object_repr", "object_repr"),
    Column("Reason", "reason"),
]
