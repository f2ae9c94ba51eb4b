"""Forms of the timesheet pages: the weekly grid as posted, the approvals queue's decisions, and
the reason for reopening an approved week. They read the input; services check and write."""

import re
from datetime import date

from django import forms

from pmo.resourcing.models import DAYS_IN_WEEK
from pmo.resourcing.selectors.timesheets import GridRow, read_line_key

ROW_FIELD = re.compile(r"^row-(\d{1,4})-target$")
MAX_ROWS = 200
CELL_LENGTH = 20


class TimesheetGridForm(forms.Form):
    """The grid of a week: for each row ``n``, ``row-n-target`` (what it books to, a row key),
    ``row-n-billable``, ``row-n-note`` and ``row-n-d0`` to ``row-n-d6`` (hours Monday first, as
    typed). ``action`` says what to do: save, submit, or add the row ``add_target``.

    Rows keep the order of ``n``; the hours stay text so that the service reads "7,5" or "7:30"
    and reports what is wrong by line and day, while the grid shows back what was typed.
    """

    action = forms.ChoiceField(choices=[("save", "Save"), ("submit", "Submit"), ("add", "Add row")])
    add_target = forms.CharField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.indexes = sorted({int(match.group(1)) for name in (self.data or {}) if (match := ROW_FIELD.match(name))})
        for index in self.indexes[:MAX_ROWS]:
            prefix = f"row-{index}-"
            self.fields[f"{prefix}target"] = forms.CharField(required=False)
            self.fields[f"{prefix}billable"] = forms.BooleanField(required=False)
            self.fields[f"{prefix}note"] = forms.CharField(required=False, max_length=1000, strip=True)
            for day in range(DAYS_IN_WEEK):
                self.fields[f"{prefix}d{day}"] = forms.CharField(required=False, max_length=CELL_LENGTH, strip=True)

    def clean(self):
        cleaned = super().clean()
        if len(self.indexes) > MAX_ROWS:
            raise forms.ValidationError(f"A week holds at most {MAX_ROWS} rows; remove the empty ones.")
        if cleaned.get("action") == "add" and not cleaned.get("add_target"):
            self.add_error("add_target", "Choose what the new row is for.")
        return cleaned

    def _value(self, name: str):
        """The cleaned value, or what was typed when the field did not clean (so it is shown again)."""
        cleaned = getattr(self, "cleaned_data", {})
        if name in cleaned:
            return cleaned[name]
        if name.endswith("-billable"):
            return name in self.data and self.data.get(name) not in ("", "false", "0", "off")
        return str(self.data.get(name, "")).strip()

    def typed_rows(self) -> list[dict]:
        """The rows as typed, in order."""
        return [
            {
                "target": self._value(f"row-{index}-target"),
                "is_billable": bool(self._value(f"row-{index}-billable")),
                "note": self._value(f"row-{index}-note"),
                "cells": [self._value(f"row-{index}-d{day}") for day in range(DAYS_IN_WEEK)],
            }
            for index in self.indexes[:MAX_ROWS]
        ]

    def grid_rows(self, labels: dict[str, str]) -> list[GridRow]:
        """The rows to show again, with what the user typed kept."""
        return [
            GridRow(
                key=row["target"],
                label=labels.get(row["target"], "Unknown work: choose again"),
                is_billable=row["is_billable"],
                cells=row["cells"],
                note=row["note"],
            )
            for row in self.typed_rows()
        ]

    def service_lines(self) -> list[dict]:
        """The rows as the lines ``services.timesheets.save_lines`` takes."""
        return [
            {
                **read_line_key(row["target"]),
                "is_billable": row["is_billable"],
                "hours": row["cells"],
                "note": row["note"],
            }
            for row in self.typed_rows()
        ]


class WeekChoiceForm(forms.Form):
    """``?week=`` (any day of the week) and ``?resource=`` of the week page."""

    week = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    resource = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)

    def chosen_week(self, today: date) -> date:
        return (self.cleaned_data.get("week") if self.is_valid() else None) or today


class ApprovalDecisionsForm(forms.Form):
    """The decisions posted from the approvals queue: ``decide`` is ``approve:<id>``,
    ``reject:<id>`` or ``approve-selected`` (with ``selected`` ids); ``comment-<id>`` is the
    comment on each part."""

    decide = forms.CharField()
    selected = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, *args, part_ids: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.part_ids = part_ids
        self.fields["selected"].choices = [(pk, pk) for pk in part_ids]
        for pk in part_ids:
            self.fields[f"comment-{pk}"] = forms.CharField(required=False, max_length=2000, strip=True)

    def clean(self):
        cleaned = super().clean()
        decide = cleaned.get("decide", "")
        verb, _, value = decide.partition(":")
        if decide == "approve-selected":
            if not cleaned.get("selected"):
                raise forms.ValidationError("Tick the parts to approve first.")
            cleaned["decisions"] = [(pk, True) for pk in cleaned["selected"]]
        elif verb in ("approve", "reject") and value.isdigit() and int(value) in self.part_ids:
            cleaned["decisions"] = [(int(value), verb == "approve")]
        elif decide:
            raise forms.ValidationError(
                "That part is no longer waiting for you; it may have been decided by someone else."
            )
        return cleaned

    def decisions(self) -> list[tuple[int, bool, str]]:
        """(part id, approve?, comment) for each decision asked for."""
        return [
            (pk, approve, self.cleaned_data.get(f"comment-{pk}", "")) for pk, approve in self.cleaned_data["decisions"]
        ]

    def comments(self) -> dict[int, str]:
        """The comments as typed, to show again when a decision is refused."""
        return {pk: self.data.get(f"comment-{pk}", "") for pk in self.part_ids}


class ReopenForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text="Why the approved week is reopened; its owner sees it and it is kept in the audit trail.",
    )
