"""Forms of health pages: the PMO's tuning of one rule."""

from django import forms

from pmo_engine.health import RULES


class RuleSettingForm(forms.Form):
    rule = forms.ChoiceField(choices=[(code, rule.label) for code, rule in RULES.items()], widget=forms.HiddenInput)
    amber = forms.FloatField(label="Amber at")
    red = forms.FloatField(label="Red at")
    enabled = forms.BooleanField(label="Used", required=False)
    reason = forms.CharField(label="Reason", required=False, max_length=500)

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
