"""Forms of highlight reporting. They validate input and offer only what the user may see;
services write."""

from django import forms

from pmo.core.forms import UserFormMixin
from pmo.portfolio.choices import LifecycleStage
from pmo.portfolio.models import Portfolio, Programme
from pmo.reporting.choices import ReportFrequency, ReportStatus
from pmo.reporting.models import HighlightReport, ReportingPolicy
from pmo.reporting.services import NARRATIVE_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 4})
SHORT = forms.Textarea(attrs={"rows": 2})


class ReportCreateForm(UserFormMixin, forms.Form):
    period_day = forms.DateField(
        required=False,
        widget=DATE,
        label="Period",
        help_text="Any day of the period to report on; empty for the period that ended last.",
    )


class HighlightReportForm(UserFormMixin, forms.ModelForm):
    class Meta:
        model = HighlightReport
        fields = list(NARRATIVE_FIELDS)
        widgets = {
            "summary": TEXT,
            "achievements": TEXT,
            "next_steps": TEXT,
            "risks_commentary": TEXT,
            "decisions_needed": SHORT,
            "rag_justification": SHORT,
            **{name: SHORT for name in NARRATIVE_FIELDS if name.startswith("comment_")},
        }


class ReviewForm(UserFormMixin, forms.Form):
    decision = forms.ChoiceField(choices=[(ReportStatus.APPROVED, "Approve"), (ReportStatus.RETURNED, "Return")])
    comment = forms.CharField(
        required=False,
        widget=SHORT,
        max_length=4000,
        help_text="Needed when returning: what the manager should change.",
    )


class ReasonOnlyForm(forms.Form):
    reason = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)


class ReportingPolicyForm(UserFormMixin, forms.ModelForm):
    stages = forms.MultipleChoiceField(
        choices=LifecycleStage.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="The lifecycle stages whose projects report.",
    )
    frequency = forms.ChoiceField(choices=ReportFrequency.choices)

    class Meta:
        model = ReportingPolicy
        fields = ["frequency", "due_days", "reminder_days", "stages", "starts_on"]
        widgets = {"starts_on": DATE}


class PackCreateForm(UserFormMixin, forms.Form):
    programme = forms.ModelChoiceField(queryset=Programme.objects.all(), required=False)
    portfolio = forms.ModelChoiceField(
        queryset=Portfolio.objects.all(), required=False, help_text="For a portfolio pack, leave the programme empty."
    )
    period_day = forms.DateField(
        required=False,
        widget=DATE,
        label="Period",
        help_text="Any day of the period; empty for the period that ended last.",
    )
    title = forms.CharField(max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if data.get("programme") and data.get("portfolio"):
            if data["programme"].portfolio_id != data["portfolio"].pk:
                raise forms.ValidationError("The programme belongs to another portfolio.")
            data["portfolio"] = None
        if not data.get("programme") and not data.get("portfolio"):
            raise forms.ValidationError("Choose a programme or a portfolio.")
        return data
