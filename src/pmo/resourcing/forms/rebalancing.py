"""The form that asks the optimiser for rebalancing proposals."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from pmo.core.forms import UserFormMixin
from pmo.core.models import OrganisationUnit
from pmo.resourcing.selectors.rebalancing import MAX_SECONDS, MAX_WEEKS


def next_monday():
    today = timezone.localdate()
    return today - timedelta(days=today.weekday()) + timedelta(days=7)


class RebalanceForm(UserFormMixin, forms.Form):
    start = forms.DateField(
        initial=next_monday,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="From the Monday of this date's week.",
    )
    weeks = forms.IntegerField(min_value=1, max_value=MAX_WEEKS, initial=12)
    unit = forms.ModelChoiceField(
        queryset=OrganisationUnit.objects.all(),
        required=False,
        empty_label="Whole organisation",
        help_text="Only people of this unit (and the units under it) give and take work.",
    )
    threshold = forms.IntegerField(
        min_value=50,
        max_value=200,
        initial=100,
        label="Overloaded above (%)",
    )
    max_seconds = forms.FloatField(
        min_value=1,
        max_value=MAX_SECONDS,
        initial=10,
        label="Time for the optimiser (seconds)",
    )


class DecisionForm(forms.Form):
    reason = forms.CharField(required=False, max_length=2000)
