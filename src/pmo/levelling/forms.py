from django import forms

from pmo.levelling.choices import Goal
from pmo.levelling.services import MAX_TIME_LIMIT


class LevelForm(forms.Form):
    """What to ask of a levelling: the goal, whether to keep the plan's order, how long to search."""

    level_from = forms.DateField(
        label="Level from",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Nothing moves to before this day; work started by then stays where it is.",
    )
    goal = forms.ChoiceField(choices=Goal.choices, initial=Goal.MAKESPAN)
    keep_plan = forms.BooleanField(
        required=False,
        initial=True,
        label="Keep the plan where possible",
        help_text="Among equally good schedules, move as few activities as little as possible.",
    )
    time_limit_seconds = forms.IntegerField(
        min_value=1,
        max_value=MAX_TIME_LIMIT,
        initial=10,
        label="Time limit (seconds)",
        help_text="The solver stops here with its best schedule and says how far from optimal it may be.",
    )


class DecisionForm(forms.Form):
    reason = forms.CharField(required=False, max_length=500, widget=forms.TextInput)
