"""Filters shared by the list pages and the API."""

import django_filters
from django import forms
from django.db.models import Q

from pmo.core.choices import OfficeKind, Role, ScopeType
from pmo.core.models import AuditEvent, OfficeMembership, OrganisationUnit, Person, PMOOffice, RoleAssignment

LARGEST_ID = 2**63 - 1


class IdFilter(django_filters.NumberFilter):
    """A row id: a whole number the database can hold, else a 400 naming the parameter (a float
    or a 30-digit number would otherwise reach the database and fail there)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", LARGEST_ID)
        super().__init__(*args, **kwargs)


class OrganisationUnitFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label="Search")
    is_archived = django_filters.BooleanFilter()

    class Meta:
        model = OrganisationUnit
        fields = ["q", "parent", "is_archived"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))


class PersonFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label="Search")
    has_login = django_filters.BooleanFilter(field_name="user", lookup_expr="isnull", exclude=True, label="Has a login")
    role = django_filters.ChoiceFilter(field_name="role_assignments__role", choices=Role.choices, distinct=True)
    is_archived = django_filters.BooleanFilter()

    class Meta:
        model = Person
        fields = ["q", "unit", "has_login", "role", "is_archived"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            Q(full_name__icontains=value) | Q(email__icontains=value) | Q(job_title__icontains=value)
        )


class PMOOfficeFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=OfficeKind.choices)
    is_archived = django_filters.BooleanFilter()

    class Meta:
        model = PMOOffice
        fields = ["kind", "is_permanent", "unit", "is_archived"]


class OfficeMembershipFilterSet(django_filters.FilterSet):
    class Meta:
        model = OfficeMembership
        fields = ["office", "person", "staff_role"]


class RoleAssignmentFilterSet(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(choices=Role.choices)
    scope_id = IdFilter()
    scope_type = django_filters.ChoiceFilter(choices=ScopeType.choices)

    class Meta:
        model = RoleAssignment
        fields = ["person", "role", "scope_type", "scope_id"]


class AuditEventFilterSet(django_filters.FilterSet):
    object_id = django_filters.CharFilter(max_length=64)
    model = django_filters.CharFilter(field_name="content_type__model", label="Object type (model name)")
    action = django_filters.CharFilter(lookup_expr="startswith")
    occurred_after = django_filters.IsoDateTimeFilter(field_name="occurred_at", lookup_expr="gte")
    occurred_before = django_filters.IsoDateTimeFilter(field_name="occurred_at", lookup_expr="lte")

    class Meta:
        model = AuditEvent
        fields = ["model", "object_id", "action", "actor", "request_id"]
