"""Forms of plan pages. They validate input; services do the writing."""

import re
from datetime import date

from django import forms

from pmo.core.forms import UserFormMixin
from pmo.planning.models import Activity

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ActivityForm(UserFormMixin, forms.ModelForm):
    """An activity's plan: name, place in the WBS, duration (entered in days), constraint."""

    duration_days = forms.DecimalField(min_value=0, max_digits=9, decimal_places=2, label="Duration (working days)")

    class Meta:
        model = Activity
        fields = [
            "name",
            "wbs_code",
            "parent",
            "is_milestone",
            "constraint_type",
            "constraint_date",
            "deadline",
            "cost",
            "notes",
        ]
        widgets = {"constraint_date": DATETIME, "deadline": DATETIME, "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        activity = self.instance
        self.minutes_per_day = activity.calendar.minutes_per_day if activity.calendar_id else 480
        self.fields["duration_days"].initial = round(activity.duration_minutes / self.minutes_per_day, 2)
        self.fields["parent"].queryset = Activity.objects.filter(project_id=activity.project_id).exclude(pk=activity.pk)

    def plan_changes(self) -> dict:
        data = dict(self.cleaned_data)
        data["duration_minutes"] = round(data.pop("duration_days") * self.minutes_per_day)
        return data


class ProgressForm(UserFormMixin, forms.ModelForm):
    class Meta:
        model = Activity
        fields = ["actual_start", "actual_finish", "percent_complete", "remaining_duration_minutes"]
        widgets = {"actual_start": DATETIME, "actual_finish": DATETIME}


class RescheduleForm(forms.Form):
    status_date = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Progress is measured at this date; leave empty to keep the plan's.",
    )


class BaselineForm(forms.Form):
    number = forms.IntegerField(min_value=0, max_value=10, initial=0)
    name = forms.CharField(max_length=200, required=False)


MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class PlanImportForm(forms.Form):
    file = forms.FileField(
        help_text="Microsoft Project (.xml, .mpp), Primavera (.xer), ProjectLibre, Planner, GanttProject, "
        "or the Excel plan template (.xlsx)."
    )
    replace = forms.BooleanField(required=False, help_text="Replace the plan the project has now.")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(f"The file is {upload.size // 1_048_576} MB; the largest accepted is 50 MB.")
        return upload


WEEKDAYS = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]
PERIOD = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
EXCEPTION = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s*(working)?\s*(.*)$", re.IGNORECASE)


class CalendarForm(forms.Form):
    """A calendar typed as a person thinks of it: working days, hours like "08:00-12:00, 13:00-17:00",
    and one exception a line: "2026-12-25 Christmas Day" (a holiday) or "2026-12-27 working"."""

    name = forms.CharField(max_length=200)
    working_weekdays = forms.TypedMultipleChoiceField(
        choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple, label="Working days"
    )
    working_hours = forms.CharField(
        initial="08:00-12:00, 13:00-17:00", help_text="Periods of each working day, comma-separated."
    )
    exceptions = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One date a line: '2026-12-25 Christmas Day' is a holiday; '2026-12-27 working' a working day.",
    )

    def __init__(self, *args, calendar=None, **kwargs):
        if calendar is not None and not kwargs.get("initial"):
            kwargs["initial"] = {
                "name": calendar.name,
                "working_weekdays": calendar.working_weekdays,
                "working_hours": ", ".join(
                    f"{start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}"
                    for start, end in calendar.working_periods
                ),
                "exceptions": "\n".join(
                    f"{e.date.isoformat()}{' working' if e.is_working else ''} {e.name}".strip()
                    for e in calendar.exceptions.all()
                ),
            }
        super().__init__(*args, **kwargs)

    def clean_working_hours(self):
        periods = []
        for part in self.cleaned_data["working_hours"].split(","):
            match = PERIOD.match(part)
            if not match:
                raise forms.ValidationError(f"'{part.strip()}' is not a period like 08:00-12:00.")
            start_hour, start_minute, end_hour, end_minute = (int(value) for value in match.groups())
            if start_hour > 24 or end_hour > 24 or start_minute > 59 or end_minute > 59:
                raise forms.ValidationError(f"'{part.strip()}' is not a time of day.")
            periods.append([start_hour * 60 + start_minute, end_hour * 60 + end_minute])
        return periods

    def clean_exceptions(self):
        rows = []
        for number, line in enumerate(self.cleaned_data["exceptions"].splitlines(), start=1):
            if not line.strip():
                continue
            match = EXCEPTION.match(line)
            try:
                day = date.fromisoformat(match.group(1)) if match else None
            except ValueError:
                day = None
            if day is None:
                raise forms.ValidationError(
                    f"Line {number}: '{line.strip()}' does not start with a date like 2026-12-25."
                )
            rows.append((day, bool(match.group(2)), match.group(3).strip()))
        return rows

    def service_fields(self) -> tuple[dict, list]:
        data = self.cleaned_data
        return (
            {
                "name": data["name"],
                "working_weekdays": sorted(data["working_weekdays"]),
                "working_periods": data["working_hours"],
            },
            data["exceptions"],
        )
