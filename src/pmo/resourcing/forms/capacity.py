"""The query parameters of the capacity pages, their exports and the capacity API.

Every field is optional and has a default, so a bare URL shows this week and the next eleven;
a wrong value is reported against the parameter that carries it. ``analysis_arguments()`` gives
the keyword arguments of ``selectors.capacity.capacity_analysis``.
"""

from django import forms

from pmo.core.forms import UserFormMixin
from pmo.core.models import OrganisationUnit
from pmo.resourcing.choices import PROFICIENCY_LEVELS, PeriodKind
from pmo.resourcing.models import Skill
from pmo.resourcing.selectors.capacity import DEFAULT_WEEKS, MAX_PERIODS, default_start

DEFAULTS = {"periods": DEFAULT_WEEKS, "kind": PeriodKind.WEEK, "threshold": 100, "burnout_weeks": 3, "level": 1}
HEATMAP_SORTS = [("peak", "Peak utilisation, highest first"), ("name", "Name"), ("unit", "Unit")]
ROWS = [("people", "People"), ("skills", "Skills")]
TOTALS_SORTS = [
    ("name", "Name"),
    ("-utilisation", "Utilisation, highest first"),
    ("utilisation", "Utilisation, lowest first"),
    ("-billable_utilisation", "Billable utilisation, highest first"),
    ("billable_utilisation", "Billable utilisation, lowest first"),
    ("-capacity_hours", "Capacity, largest first"),
    ("-demand_hours", "Demand, largest first"),
    ("unit", "Unit"),
]


class CapacityFilterForm(UserFormMixin, forms.Form):
    """The horizon, the scope and the overload threshold shared by every capacity page."""

    start = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Moved back to its Monday (or the first of its month). Default: this week.",
    )
    periods = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_PERIODS,
        label="Periods",
        widget=forms.NumberInput(attrs={"placeholder": str(DEFAULT_WEEKS)}),
    )
    kind = forms.ChoiceField(required=False, choices=PeriodKind.choices, label="Period")
    unit = forms.ModelChoiceField(
        required=False, queryset=OrganisationUnit.objects.all(), label="Unit", empty_label="Whole organisation"
    )
    skill = forms.ModelChoiceField(required=False, queryset=Skill.objects.all(), label="Skill", empty_label="Any skill")
    threshold = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=500,
        label="Overloaded above (%)",
        widget=forms.NumberInput(attrs={"placeholder": "100"}),
        help_text="A period is overloaded when demand is above this share of capacity.",
    )
    burnout_weeks = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_PERIODS,
        label="Burnout risk after (periods)",
        widget=forms.NumberInput(attrs={"placeholder": "3"}),
    )

    def clean(self):
        cleaned = super().clean()
        for name, default in DEFAULTS.items():
            if name in self.fields and cleaned.get(name) in (None, ""):
                cleaned[name] = default
        if "start" in self.fields and cleaned.get("start") is None and "start" not in self.errors:
            cleaned["start"] = default_start(cleaned.get("kind") or PeriodKind.WEEK)
        return cleaned

    def analysis_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "start": data["start"],
            "periods": data["periods"],
            "kind": data["kind"],
            "unit": data["unit"],
            "skill": data["skill"],
            "overload_threshold": data["threshold"] / 100,
            "burnout_weeks": data["burnout_weeks"],
        }


class HeatmapForm(CapacityFilterForm):
    rows = forms.ChoiceField(required=False, choices=ROWS, label="Rows")
    sort = forms.ChoiceField(required=False, choices=HEATMAP_SORTS, label="Sort by")
    overloaded = forms.BooleanField(required=False, label="Only overloaded")
    level = forms.TypedChoiceField(
        required=False, choices=PROFICIENCY_LEVELS, coerce=int, label="Skill level", help_text="Skill rows only."
    )

    def clean(self):
        cleaned = super().clean()
        cleaned["rows"] = cleaned.get("rows") or "people"
        cleaned["sort"] = cleaned.get("sort") or "peak"
        return cleaned


class SkillDemandForm(CapacityFilterForm):
    level = forms.TypedChoiceField(
        required=False,
        choices=PROFICIENCY_LEVELS,
        coerce=int,
        label="Capacity of holders at level",
        help_text="Demand needing this level or more against people holding it at this level or more.",
    )


class UtilisationForm(CapacityFilterForm):
    sort = forms.ChoiceField(required=False, choices=TOTALS_SORTS, label="Sort by")

    def clean(self):
        cleaned = super().clean()
        cleaned["sort"] = cleaned.get("sort") or "name"
        return cleaned


class ResourceChoiceMixin(forms.Form):
    """``resource``: a person resource's id, or ``unassigned`` for the demand nobody is named for."""

    resource = forms.CharField(required=True, help_text="A person resource's id, or 'unassigned'.")

    def clean_resource(self):
        value = self.cleaned_data["resource"].strip()
        if value == "unassigned":
            return None
        if not value.isdigit() or len(value) > 18:
            raise forms.ValidationError("Give a person resource's id, or 'unassigned'.")
        return int(value)

    def breakdown_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "resource_id": data["resource"],
            "start": data["start"],
            "periods": data["periods"],
            "kind": data["kind"],
            "unit": data["unit"],
            "skill": data["skill"],
            "overload_threshold": data["threshold"] / 100,
        }


class CellForm(ResourceChoiceMixin, CapacityFilterForm):
    """One heatmap cell: ``resource`` and ``period`` (the first day of the period, or any day in
    it), with the heatmap's other parameters (kept for the links back)."""

    period = forms.DateField(required=True, help_text="The first day of the period (or any day in it).")

    def breakdown_arguments(self) -> dict:
        return {**super().breakdown_arguments(), "start": self.cleaned_data["period"], "periods": 1}


class PersonExportForm(ResourceChoiceMixin, CapacityFilterForm):
    """A person's (or the unassigned) demand over the horizon of ``start`` and ``periods``."""
