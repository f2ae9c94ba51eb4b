"""Forms of the KPI pages. They validate input; services do the writing."""

from datetime import timedelta

from django import forms
from django.urls import reverse
from django.utils import timezone

from pmo.core.forms import UserFormMixin
from pmo.kpis.models import KPI

TEXT = forms.Textarea(attrs={"rows": 3})


class KPIForm(UserFormMixin, forms.ModelForm):
    """A KPI's definition. The formula is checked as it is typed (``kpis:formula_check``) and again
    by the service when saved."""

    class Meta:
        model = KPI
        fields = [
            "code",
            "name",
            "description",
            "level",
            "project",
            "programme",
            "portfolio",
            "formula",
            "unit",
            "target",
            "amber",
            "red",
            "direction",
            "frequency",
            "owner",
            "is_active",
        ]
        widgets = {"description": TEXT}
        help_texts = {
            "project": "For one project only (level Project); empty: every project.",
            "programme": "For one programme only (level Programme); empty: every programme.",
            "portfolio": "For one portfolio only (level Portfolio); empty: every portfolio.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["formula"].widget = forms.TextInput(
            attrs={
                "autocomplete": "off",
                "spellcheck": "false",
                "hx-get": reverse("kpis:formula_check"),
                "hx-trigger": "keyup changed delay:300ms, change",
                "hx-target": "#formula-check",
                "hx-swap": "innerHTML",
            }
        )


class MeasurementForm(UserFormMixin, forms.Form):
    """A KPI's value for one target and period, entered by hand."""

    kpi = forms.ModelChoiceField(queryset=KPI.objects.none(), label="KPI")
    period_end = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), help_text="The Sunday ending the period."
    )
    value = forms.FloatField()
    note = forms.CharField(widget=TEXT, required=False, max_length=2000)
    reason = forms.CharField(required=False, max_length=2000, help_text="Kept in the audit trail.")

    def __init__(self, *args, kpis=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kpis is not None:
            self.fields["kpi"].queryset = kpis
        today = timezone.localdate()
        self.fields["period_end"].initial = today - timedelta(days=(today.weekday() + 1) % 7)


class DismissForm(forms.Form):
    reason = forms.CharField(max_length=2000, help_text="Why the recommendation is dismissed.")


class AcceptForm(UserFormMixin, forms.Form):
    due_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    reason = forms.CharField(required=False, max_length=2000)
