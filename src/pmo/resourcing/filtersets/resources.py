"""Filters of the resource, skill, assignment and allocation lists (pages and API)."""

import django_filters
from django.db.models import Q

from pmo.core.filtersets import IdFilter
from pmo.core.models import OrganisationUnit
from pmo.resourcing.choices import EmploymentType, PeriodKind, ResourceKind
from pmo.resourcing.models import Absence, Allocation, Assignment, Resource, ResourceRate, ResourceSkill, Skill


class ResourceFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label="Search")
    kind = django_filters.ChoiceFilter(choices=ResourceKind.choices)
    unit = django_filters.ModelChoiceFilter(queryset=OrganisationUnit.objects.all())
    employment_type = django_filters.ChoiceFilter(choices=EmploymentType.choices)
    skill = django_filters.ModelChoiceFilter(
        field_name="skills__skill", queryset=Skill.objects.all(), distinct=True, label="Holds skill"
    )
    is_archived = django_filters.BooleanFilter()

    class Meta:
        model = Resource
        fields = ["q", "kind", "unit", "employment_type", "skill", "is_archived"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(person__email__icontains=value))


class SkillFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label="Search")
    category = django_filters.CharFilter(lookup_expr="iexact")
    is_archived = django_filters.BooleanFilter()

    class Meta:
        model = Skill
        fields = ["q", "category", "is_archived"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(category__icontains=value))


class ResourceSkillFilterSet(django_filters.FilterSet):
    resource = IdFilter(field_name="resource_id")
    skill = IdFilter(field_name="skill_id")
    min_level = django_filters.NumberFilter(field_name="level", lookup_expr="gte")

    class Meta:
        model = ResourceSkill
        fields = ["resource", "skill", "min_level"]


class ResourceRateFilterSet(django_filters.FilterSet):
    resource = IdFilter(field_name="resource_id")

    class Meta:
        model = ResourceRate
        fields = ["resource"]


class AbsenceFilterSet(django_filters.FilterSet):
    resource = IdFilter(field_name="resource_id")
    ends_after = django_filters.DateFilter(field_name="end", lookup_expr="gte")
    starts_before = django_filters.DateFilter(field_name="start", lookup_expr="lte")

    class Meta:
        model = Absence
        fields = ["resource", "kind", "ends_after", "starts_before"]


class AssignmentFilterSet(django_filters.FilterSet):
    project = IdFilter(field_name="project_id")
    activity = IdFilter(field_name="activity_id")
    resource = IdFilter(field_name="resource_id")
    required_skill = IdFilter(field_name="required_skill_id")

    class Meta:
        model = Assignment
        fields = ["project", "activity", "resource", "required_skill", "is_billable"]


class AllocationFilterSet(django_filters.FilterSet):
    project = IdFilter(field_name="project_id")
    resource = IdFilter(field_name="resource_id")
    period_kind = django_filters.ChoiceFilter(choices=PeriodKind.choices)
    starts_from = django_filters.DateFilter(field_name="period_start", lookup_expr="gte")
    starts_before = django_filters.DateFilter(field_name="period_start", lookup_expr="lt")

    class Meta:
        model = Allocation
        fields = ["project", "resource", "period_kind", "starts_from", "starts_before"]
