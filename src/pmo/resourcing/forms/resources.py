"""Forms of the resource, skill, assignment and allocation pages. They validate input; services write."""

from decimal import Decimal

from django import forms

from pmo.core.forms import UserFormMixin
from pmo.planning.models import Activity
from pmo.resourcing.choices import PROFICIENCY_LEVELS
from pmo.resourcing.models import Absence, Allocation, Assignment, Resource, ResourceRate, Skill

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class WeekdayHoursField(forms.CharField):
    """Seven numbers of hours, Monday first, typed as ``8, 8, 8, 8, 4, 0, 0``."""

    def to_python(self, value):
        value = super().to_python(value)
        parts = [part.strip() for part in value.replace(";", ",").split(",")] if value else []
        if len(parts) != len(WEEKDAYS):
            raise forms.ValidationError(f"Give seven numbers of hours, Monday first; {len(parts)} given.")
        hours = []
        for day, part in zip(WEEKDAYS, parts, strict=True):
            try:
                number = float(part)
            except ValueError:
                raise forms.ValidationError(f"{day}: {part!r} is not a number of hours.") from None
            if not 0 <= number <= 24:
                raise forms.ValidationError(f"{day}: {part} is not from 0 to 24 hours.")
            hours.append(number)
        return hours

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(f"{hours:g}" for hours in value)
        return value


class ResourceForm(UserFormMixin, forms.ModelForm):
    weekday_hours = WeekdayHoursField(
        initial="8, 8, 8, 8, 8, 0, 0", help_text="Hours on each weekday, Monday first: the part-time pattern."
    )

    class Meta:
        model = Resource
        fields = [
            "kind",
            "person",
            "name",
            "unit",
            "employment_type",
            "contract_end",
            "hours_per_day",
            "weekday_hours",
            "calendar",
            "role_skill",
            "role_level",
        ]
        widgets = {"contract_end": DATE}
        help_texts = {"name": "For a person, leave empty to use the person's name."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False
        self.fields["calendar"].queryset = self.fields["calendar"].queryset.filter(project__isnull=True)
        if self.instance.pk:
            del self.fields["kind"]
            del self.fields["person"]
        else:
            self.fields["person"].queryset = self.fields["person"].queryset.filter(resource__isnull=True)


class SkillForm(UserFormMixin, forms.ModelForm):
    class Meta:
        model = Skill
        fields = ["name", "category", "description"]


class HeldSkillForm(UserFormMixin, forms.Form):
    skill = forms.ModelChoiceField(queryset=Skill.objects.all())
    level = forms.TypedChoiceField(choices=PROFICIENCY_LEVELS, coerce=int)


class RateForm(UserFormMixin, forms.ModelForm):
    class Meta:
        model = ResourceRate
        fields = ["effective_from", "cost_per_hour", "bill_rate_per_hour"]
        widgets = {"effective_from": DATE}


class AbsenceForm(UserFormMixin, forms.ModelForm):
    class Meta:
        model = Absence
        fields = ["kind", "start", "end", "note"]
        widgets = {"start": DATE, "end": DATE}


class AssignmentForm(UserFormMixin, forms.ModelForm):
    """A new assignment on one project (the activity list offers that project's tasks)."""

    planned_hours = forms.DecimalField(
        required=False,
        min_value=Decimal("0"),
        max_digits=8,
        decimal_places=2,
        help_text="Leave empty to plan the units times the activity's working time.",
    )

    class Meta:
        model = Assignment
        fields = [
            "activity",
            "resource",
            "units_percent",
            "planned_hours",
            "required_skill",
            "required_level",
            "is_billable",
            "is_fixed",
        ]

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        if project is not None:
            self.fields["activity"].queryset = Activity.objects.filter(project=project, is_summary=False)
        self.fields["resource"].queryset = self.fields["resource"].queryset.order_by("kind", "name")


class AssignmentEditForm(UserFormMixin, forms.ModelForm):
    class Meta:
        model = Assignment
        fields = ["units_percent", "planned_hours", "required_skill", "required_level", "is_billable", "is_fixed"]


class AllocationForm(UserFormMixin, forms.ModelForm):
    class Meta:
        model = Allocation
        fields = [
            "resource",
            "period_kind",
            "period_start",
            "hours",
            "required_skill",
            "required_level",
            "is_billable",
            "note",
        ]
        widgets = {"period_start": DATE}


class AllocationEditForm(UserFormMixin, forms.ModelForm):
    class Meta:
        model = Allocation
        fields = ["hours", "required_skill", "required_level", "is_billable", "note"]
