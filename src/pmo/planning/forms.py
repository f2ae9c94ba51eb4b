"""Forms of plan pages. They validate input; services do the writing."""

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
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Progress is measured at this date; leave empty to keep the plan's.",
    )


class BaselineForm(forms.Form):
    number = forms.IntegerField(min_value=0, max_value=10, initial=0)
    name = forms.CharField(max_length=200, required=False)


MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class PlanImportForm(forms.Form):
    file = forms.FileField(
        help_text="Microsoft Project (.xml, .mpp), Primavera (.xer), ProjectLibre, Planner or GanttProject file."
    )
    replace = forms.BooleanField(required=False, help_text="Replace the plan the project has now.")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(f"The file is {upload.size // 1_048_576} MB; the largest accepted is 50 MB.")
        return upload
