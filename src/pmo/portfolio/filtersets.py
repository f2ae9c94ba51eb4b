"""Filters shared by the list pages and the API."""

import django_filters
from django.db.models import Q

from pmo.core.filtersets import IdFilter
from pmo.core.models import Person
from pmo.portfolio.choices import RAG, DependencyStatus, LifecycleStage
from pmo.portfolio.models import Portfolio, Programme, Project, ProjectDependency, StrategicObjective


class SearchFilterMixin:
    search_fields: tuple[str, ...] = ()

    def filter_search(self, queryset, name, value):
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)


def _people_who(relation: str):
    """Only the people who hold this part somewhere: a list of every person would be too long."""

    def queryset(request):
        return Person.objects.filter(**{f"{relation}__isnull": False}).distinct().order_by("full_name")

    return queryset


class StrategicObjectiveFilterSet(SearchFilterMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label="Search")
    owner = django_filters.ModelChoiceFilter(queryset=_people_who("objectives_owned"))
    search_fields = ("code", "name")
    is_archived = django_filters.BooleanFilter()

    class Meta:
        model = StrategicObjective
        fields = ["q", "owner", "is_archived"]


class PortfolioFilterSet(SearchFilterMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label="Search")
    manager = django_filters.ModelChoiceFilter(queryset=_people_who("portfolios_managed"))
    search_fields = ("code", "name")
    is_archived = django_filters.BooleanFilter()

    class Meta:
        model = Portfolio
        fields = ["q", "manager", "is_archived"]


class ProgrammeFilterSet(SearchFilterMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label="Search")
    manager = django_filters.ModelChoiceFilter(queryset=_people_who("programmes_managed"))
    sro = django_filters.ModelChoiceFilter(queryset=_people_who("programmes_sponsored"), label="SRO")
    search_fields = ("code", "name")
    is_archived = django_filters.BooleanFilter()

    class Meta:
        model = Programme
        fields = ["q", "portfolio", "manager", "sro", "is_archived"]


class ProjectFilterSet(SearchFilterMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label="Search")
    search_fields = ("code", "name", "scope_statement")
    stage = django_filters.MultipleChoiceFilter(choices=LifecycleStage.choices)
    rag = django_filters.MultipleChoiceFilter(choices=RAG.choices, label="RAG")
    manager = django_filters.ModelChoiceFilter(queryset=_people_who("projects_managed"))
    sro = django_filters.ModelChoiceFilter(queryset=_people_who("projects_sponsored"), label="SRO")
    objective = django_filters.ModelChoiceFilter(field_name="objectives", queryset=StrategicObjective.objects.all())
    planned_finish_before = django_filters.DateFilter(field_name="planned_finish", lookup_expr="lte")
    planned_finish_after = django_filters.DateFilter(field_name="planned_finish", lookup_expr="gte")
    is_archived = django_filters.BooleanFilter()

    class Meta:
        model = Project
        fields = ["q", "portfolio", "programme", "stage", "rag", "manager", "sro", "objective", "is_archived"]


class ProjectDependencyFilterSet(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=DependencyStatus.choices)
    project = IdFilter(method="filter_project", label="Either project (id)")

    class Meta:
        model = ProjectDependency
        fields = ["dependent", "provider", "status", "project"]

    def filter_project(self, queryset, name, value):
        return queryset.filter(Q(dependent_id=value) | Q(provider_id=value))
