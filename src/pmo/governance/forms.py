"""Forms of the register pages. They validate input; services do the writing."""

from django import forms

from pmo.core.forms import UserFormMixin
from pmo.governance.models import (
    ActionItem,
    Assumption,
    Decision,
    Dependency,
    EscalationRule,
    Issue,
    Risk,
    RiskScale,
)
from pmo.governance.services.raid import ENTRY_FIELDS


def _date(**attrs):
    return forms.DateInput(attrs={"type": "date", **attrs}, format="%Y-%m-%d")


TEXT = forms.Textarea(attrs={"rows": 3})


class RegisterEntryForm(UserFormMixin, forms.ModelForm):
    """The fields a register entry's service takes, in the service's terms."""

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields if name in self.cleaned_data}


class RiskForm(RegisterEntryForm):
    class Meta:
        model = Risk
        fields = list(ENTRY_FIELDS["risk"])
        widgets = {
            "raised_on": _date(),
            "proximity_on": _date(),
            "closed_on": _date(),
            "description": TEXT,
            "cause": TEXT,
            "event": TEXT,
            "effect": TEXT,
            "response_plan": TEXT,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scale = RiskScale.current()
        for name in ("probability", "impact", "residual_probability", "residual_impact"):
            kind = "probability" if "probability" in name else "impact"
            required = not name.startswith("residual")
            choices = [(value, scale.label(kind, value)) for value in range(1, scale.levels + 1)]
            self.fields[name] = forms.TypedChoiceField(
                label=self.fields[name].label,
                choices=([] if required else [("", "—")]) + choices,
                coerce=int,
                empty_value=None,
                required=required,
            )


class AssumptionForm(RegisterEntryForm):
    class Meta:
        model = Assumption
        fields = list(ENTRY_FIELDS["assumption"])
        widgets = {
            "raised_on": _date(),
            "validate_by": _date(),
            "validated_on": _date(),
            "description": TEXT,
            "notes": TEXT,
        }


class IssueForm(RegisterEntryForm):
    class Meta:
        model = Issue
        fields = list(ENTRY_FIELDS["issue"])
        widgets = {
            "raised_on": _date(),
            "due_on": _date(),
            "resolved_on": _date(),
            "description": TEXT,
            "resolution": TEXT,
        }


class DependencyForm(RegisterEntryForm):
    class Meta:
        model = Dependency
        fields = list(ENTRY_FIELDS["dependency"])
        widgets = {"raised_on": _date(), "needed_by": _date(), "description": TEXT}


class ActionItemForm(RegisterEntryForm):
    class Meta:
        model = ActionItem
        fields = ["title", "description", "owner", "due_on"]
        widgets = {"due_on": _date(), "description": TEXT}


class DecisionForm(RegisterEntryForm):
    class Meta:
        model = Decision
        fields = ["title", "description", "decided_on", "decided_by", "body"]
        widgets = {"decided_on": _date(), "description": TEXT}


class ReasonRequiredForm(UserFormMixin, forms.Form):
    reason = forms.CharField(widget=TEXT, max_length=2000, help_text="Kept with the escalation and in the audit trail.")


class RiskScaleForm(RegisterEntryForm):
    probability_labels = forms.CharField(
        required=False, help_text="One label per step, lowest first, separated by commas."
    )
    impact_labels = forms.CharField(required=False, help_text="One label per step, lowest first, separated by commas.")

    class Meta:
        model = RiskScale
        fields = ["levels", "probability_labels", "impact_labels", "amber_from", "red_from"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("probability_labels", "impact_labels"):
            self.initial[name] = ", ".join(getattr(self.instance, name) or [])

    def _labels(self, name: str) -> list[str]:
        return [label.strip() for label in (self.cleaned_data.get(name) or "").split(",") if label.strip()]

    def clean_probability_labels(self):
        return self._labels("probability_labels")

    def clean_impact_labels(self):
        return self._labels("impact_labels")


class EscalationRuleForm(RegisterEntryForm):
    class Meta:
        model = EscalationRule
        fields = ["risk_score", "issue_severity", "issue_priority"]


ENTRY_FORMS = {
    "risk": RiskForm,
    "assumption": AssumptionForm,
    "issue": IssueForm,
    "dependency": DependencyForm,
    "decision": DecisionForm,
    "action": ActionItemForm,
}
