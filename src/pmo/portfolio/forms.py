"""Forms of the portfolio pages. They validate input; services do the writing."""

from django import forms
from django.forms import formset_factory

from pmo.core.choices import Action
from pmo.core.forms import UserFormMixin
from pmo.portfolio.models import Portfolio, Programme, Project, ProjectDependency, StrategicObjective

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StrategicObjectiveForm(UserFormMixin, forms.ModelForm):
    class Meta:
        model = StrategicObjective
        fields = ["code", "name", "description", "weight", "owner", "active_from", "active_to"]
        widgets = {"active_from": DATE, "active_to": DATE, "description": forms.Textarea(attrs={"rows": 3})}


class PortfolioForm(UserFormMixin, forms.ModelForm):
    class Meta:
        model = Portfolio
        fields = ["code", "name", "description", "manager"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ProgrammeForm(UserFormMixin, forms.ModelForm):
    class Meta:
        model = Programme
        fields = ["portfolio", "code", "name", "description", "manager", "sro"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ProjectForm(UserFormMixin, forms.ModelForm):
    class Meta:
        model = Project
        fields = [
            "portfolio",
            "programme",
            "code",
            "name",
            "scope_statement",
            "sro",
            "manager",
            "stage",
            "planned_start",
            "planned_finish",
            "budget",
            "rag",
        ]
        widgets = {"planned_start": DATE, "planned_finish": DATE, "scope_statement": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only offer the places where this user may put a project.
        if self.instance.pk is None:
            self.fields["portfolio"].queryset = Portfolio.objects.visible_to(self.user, Action.VIEW).active()
            self.fields["programme"].queryset = Programme.objects.visible_to(self.user, Action.VIEW).active()


class ProjectDependencyForm(UserFormMixin, forms.ModelForm):
    class Meta:
        model = ProjectDependency
        fields = ["provider", "output", "needed_by", "status", "notes"]
        widgets = {"needed_by": DATE, "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A dependency is shared by both projects: keep its current provider selectable even
        # when the editor cannot see that project otherwise.
        if self.instance.provider_id:
            current = Project.objects.filter(pk=self.instance.provider_id)
            self.fields["provider"].queryset = (self.fields["provider"].queryset | current).distinct()


class ObjectiveContributionForm(UserFormMixin, forms.Form):
    objective = forms.ModelChoiceField(queryset=StrategicObjective.objects.all())
    contribution_weight = forms.DecimalField(min_value=0, max_value=100, decimal_places=2)


ObjectiveContributionFormSet = formset_factory(ObjectiveContributionForm, extra=2, can_delete=True)
