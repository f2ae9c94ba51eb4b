"""Forms of the lifecycle pages. They validate input; services do the writing."""

from django import forms

from pmo.core.forms import UserFormMixin
from pmo.lifecycle.choices import ApproverRole, GateDecision
from pmo.lifecycle.models import GateCheckItem, GateCriterion, PMOCharter, Standard, TermsOfReference

TEXT = forms.Textarea(attrs={"rows": 4})


class PMOCharterForm(UserFormMixin, forms.ModelForm):
    class Meta:
        model = PMOCharter
        fields = list(PMOCharter.CONTENT_FIELDS)
        widgets = dict.fromkeys(("purpose", "authority", "reporting_lines", "resources"), TEXT)


class TermsOfReferenceForm(UserFormMixin, forms.ModelForm):
    class Meta:
        model = TermsOfReference
        fields = list(TermsOfReference.CONTENT_FIELDS)
        widgets = dict.fromkeys(("objectives", "scope", "deliverables", "authority", "governance", "resources"), TEXT)


class StandardForm(UserFormMixin, forms.ModelForm):
    class Meta:
        model = Standard
        fields = ["title", "version", "applies_to", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14})}


class GateCriterionForm(UserFormMixin, forms.ModelForm):
    class Meta:
        model = GateCriterion
        fields = ["stage", "text", "evidence_required", "evidence_kind", "order"]


class EvidenceForm(UserFormMixin, forms.ModelForm):
    """The evidence of one criterion: a link, a document, a figure and its unit, a note."""

    document = forms.FileField(required=False, help_text="Kept in pmo's document storage (20 MB at most).")

    class Meta:
        model = GateCheckItem
        fields = ["evidence_url", "document", "evidence_figure", "evidence_unit", "evidence_note"]
        widgets = {"evidence_note": forms.Textarea(attrs={"rows": 2})}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=GateDecision.choices)
    role = forms.ChoiceField(choices=ApproverRole.choices, label="Deciding as")
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    conditions = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For go with conditions: one condition a line; each becomes an action for the project manager.",
    )

    def __init__(self, *args, roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(role, ApproverRole(role).label) for role in roles]


class OpenReviewForm(forms.Form):
    reason = forms.CharField(required=False, max_length=500, widget=forms.TextInput)


class StopProjectForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
