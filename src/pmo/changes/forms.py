"""Forms of change control. They validate input and offer only what the user may see; services write."""

from decimal import Decimal

from django import forms
from django.forms import formset_factory

from pmo.changes.choices import CriterionOutcome, ReviewResult
from pmo.changes.models import ApprovalPolicy, ChangeRequest, ConfigurationItem, QualityReview
from pmo.core.forms import UserFormMixin
from pmo.core.models import Person
from pmo.planning.choices import ConstraintType
from pmo.planning.models import Activity

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MINUTES_PER_DAY = 480
TEXT = forms.Textarea(attrs={"rows": 3})


def _days(minutes: int | None):
    return None if minutes is None else round(Decimal(minutes) / MINUTES_PER_DAY, 2)


class ActivityChangeForm(forms.Form):
    """One affected activity: leave a row empty to ignore it."""

    activity = forms.ModelChoiceField(queryset=Activity.objects.none(), required=False)
    new_duration_days = forms.DecimalField(
        min_value=0, max_digits=9, decimal_places=2, required=False, label="New duration (working days)"
    )
    predecessor = forms.ModelChoiceField(
        queryset=Activity.objects.none(), required=False, help_text="Link (made if missing) from this activity."
    )
    lag_days = forms.DecimalField(max_digits=9, decimal_places=2, required=False, label="Lag of that link (days)")
    constraint_type = forms.ChoiceField(choices=[("", "—"), *ConstraintType.choices], required=False)
    constraint_date = forms.DateTimeField(
        required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    note = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, activities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = activities if activities is not None else Activity.objects.none()
        self.fields["predecessor"].queryset = self.fields["activity"].queryset

    def service_data(self) -> dict | None:
        data = self.cleaned_data
        if not data or not data.get("activity"):
            return None
        row = {"activity": data["activity"], "note": data.get("note") or ""}
        if data.get("new_duration_days") is not None:
            row["new_duration_minutes"] = round(data["new_duration_days"] * MINUTES_PER_DAY)
        if data.get("predecessor"):
            row["predecessor"] = data["predecessor"]
        if data.get("lag_days") is not None:
            row["lag_minutes"] = round(data["lag_days"] * MINUTES_PER_DAY)
        if data.get("constraint_type"):
            row["constraint_type"] = data["constraint_type"]
            row["constraint_date"] = data.get("constraint_date")
        return row


ActivityChangeFormSet = formset_factory(ActivityChangeForm, extra=3)


class ChangeRequestForm(UserFormMixin, forms.ModelForm):
    """A change request with its affected activities (a formset under the prefix ``activities``).

    Posted without the formset's management fields, the affected activities stay as they were."""

    class Meta:
        model = ChangeRequest
        fields = [
            "title",
            "description",
            "justification",
            "requested_by",
            "raised_on",
            "cost_impact",
            "time_impact_days",
            "scope_impact",
            "benefits_impact",
            "risk_impact",
            "risk_level",
            "configuration_items",
        ]
        widgets = {
            "raised_on": DATE,
            "description": TEXT,
            "justification": TEXT,
            "scope_impact": TEXT,
            "benefits_impact": TEXT,
            "risk_impact": TEXT,
        }

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project or self.instance.project
        self.fields["configuration_items"].queryset = ConfigurationItem.objects.filter(project=self.project)
        self.fields["requested_by"].queryset = Person.objects.filter(is_archived=False)
        activities = Activity.objects.filter(project=self.project).order_by("position", "id")
        initial = None
        if self.instance.pk:
            initial = [
                {
                    "activity": row.activity_id,
                    "new_duration_days": _days(row.new_duration_minutes),
                    "predecessor": row.predecessor_id,
                    "lag_days": _days(row.lag_minutes),
                    "constraint_type": row.constraint_type,
                    "constraint_date": row.constraint_date,
                    "note": row.note,
                }
                for row in self.instance.activity_changes.all()
            ]
        self.has_activity_rows = not self.is_bound or "activities-TOTAL_FORMS" in self.data
        self.activity_formset = ActivityChangeFormSet(
            self.data if self.is_bound and self.has_activity_rows else None,
            prefix="activities",
            initial=initial,
            form_kwargs={"activities": activities},
        )

    def is_valid(self) -> bool:
        valid = super().is_valid()
        if self.is_bound and self.has_activity_rows:
            valid = self.activity_formset.is_valid() and valid
        return valid

    def activity_changes(self) -> list[dict] | None:
        """The affected activities as the service takes them; None when the page did not post them."""
        if not self.has_activity_rows:
            return None
        return [row for row in (form.service_data() for form in self.activity_formset.forms) if row]


class TransitionForm(forms.Form):
    reason = forms.CharField(widget=TEXT, max_length=2000, required=False, help_text="Kept in the audit trail.")
    implement = forms.BooleanField(required=False, label="Apply to the plan now")
    rebaseline = forms.BooleanField(required=False, label="Take a new baseline")


class ConfigurationItemForm(UserFormMixin, forms.ModelForm):
    class Meta:
        model = ConfigurationItem
        fields = ["identifier", "name", "kind", "version", "status", "owner", "description"]
        widgets = {"description": TEXT}


class QualityReviewForm(UserFormMixin, forms.ModelForm):
    criteria_text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        label="Criteria",
        help_text="One criterion a line. Changing them is refused once a result is recorded.",
    )

    class Meta:
        model = QualityReview
        fields = ["title", "configuration_item", "deliverable", "planned_on", "reviewers", "summary"]
        widgets = {"planned_on": DATE, "summary": TEXT}

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project or self.instance.project
        self.fields["configuration_item"].queryset = ConfigurationItem.objects.filter(project=self.project)
        self.fields["reviewers"].queryset = Person.objects.filter(is_archived=False)
        if self.instance.pk:
            self.fields["criteria_text"].initial = "\n".join(self.instance.criteria.values_list("text", flat=True))

    def criteria(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("criteria_text", "").splitlines() if line.strip()]


class ReviewResultForm(forms.Form):
    """The result of a review: an outcome and note per criterion, and up to three follow-up actions."""

    result = forms.ChoiceField(choices=[c for c in ReviewResult.choices if c[0] != ReviewResult.PENDING])
    held_on = forms.DateField(widget=DATE)
    summary = forms.CharField(widget=TEXT, required=False)

    def __init__(self, *args, review=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.review = review
        if review.result != ReviewResult.PENDING:
            self.fields["result"].initial = review.result
        for criterion in review.criteria.all():
            self.fields[f"outcome_{criterion.pk}"] = forms.ChoiceField(
                choices=CriterionOutcome.choices, initial=criterion.outcome, label=criterion.text
            )
            self.fields[f"note_{criterion.pk}"] = forms.CharField(
                max_length=500, required=False, initial=criterion.note, label="Note"
            )
        people = Person.objects.filter(is_archived=False)
        for n in range(1, 4):
            self.fields[f"action_{n}_title"] = forms.CharField(max_length=200, required=False, label=f"Action {n}")
            self.fields[f"action_{n}_owner"] = forms.ModelChoiceField(queryset=people, required=False, label="Owner")
            self.fields[f"action_{n}_due_on"] = forms.DateField(required=False, widget=DATE, label="Due on")

    def outcomes(self) -> dict[int, tuple[str, str]]:
        return {
            criterion.pk: (self.cleaned_data[f"outcome_{criterion.pk}"], self.cleaned_data[f"note_{criterion.pk}"])
            for criterion in self.review.criteria.all()
        }

    def actions(self) -> list[dict]:
        found = []
        for n in range(1, 4):
            title = self.cleaned_data.get(f"action_{n}_title")
            if title:
                found.append(
                    {
                        "title": title,
                        "owner": self.cleaned_data.get(f"action_{n}_owner"),
                        "due_on": self.cleaned_data.get(f"action_{n}_due_on"),
                    }
                )
        return found


class ApprovalPolicyForm(UserFormMixin, forms.ModelForm):
    class Meta:
        model = ApprovalPolicy
        fields = ["programme", "project", "cost_limit", "delay_days_limit", "notes"]
        widgets = {"notes": TEXT}


class ApprovalPolicyEditForm(UserFormMixin, forms.ModelForm):
    class Meta:
        model = ApprovalPolicy
        fields = ["cost_limit", "delay_days_limit", "notes"]
        widgets = {"notes": TEXT}
