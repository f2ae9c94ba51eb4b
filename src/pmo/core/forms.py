"""Forms of the organisation pages. They validate input; services do the writing."""

from django import forms

from pmo.core.choices import Action
from pmo.core.models import OfficeMembership, OrganisationUnit, Person, PMOOffice, RoleAssignment


class UserFormMixin:
    """Forms receive the signed-in user so that choices only offer what that user may see."""

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and hasattr(queryset, "visible_to"):
                field.queryset = (
                    queryset.visible_to(user, Action.VIEW).filter(is_archived=False)
                    if hasattr(queryset.model, "is_archived")
                    else queryset.visible_to(user, Action.VIEW)
                )


class ReasonForm(UserFormMixin, forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, help_text="Kept in the audit trail."
    )


class OrganisationUnitForm(UserFormMixin, forms.ModelForm):
    class Meta:
        model = OrganisationUnit
        fields = ["name", "code", "parent"]


class PersonForm(UserFormMixin, forms.ModelForm):
    class Meta:
        model = Person
        fields = ["full_name", "email", "job_title", "unit"]


class PMOOfficeForm(UserFormMixin, forms.ModelForm):
    class Meta:
        model = PMOOffice
        fields = [
            "name",
            "kind",
            "is_permanent",
            "scope_type",
            "scope_id",
            "unit",
            "established_on",
            "closes_on",
            "mandate",
        ]
        widgets = {
            "established_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


class OfficeMembershipForm(UserFormMixin, forms.ModelForm):
    class Meta:
        model = OfficeMembership
        fields = ["person", "staff_role", "allocation_percent"]


class RoleAssignmentForm(UserFormMixin, forms.ModelForm):
    class Meta:
        model = RoleAssignment
        fields = ["role", "scope_type", "scope_id"]
