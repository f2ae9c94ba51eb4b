"""Filters of plan lists, shared by pages and the API."""

import django_filters
from django.db.models import Q

from pmo.core.filtersets import IdFilter
from pmo.planning.models import Activity, Baseline, Calendar, Link


class ActivityFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label="Search")
    is_critical = django_filters.BooleanFilter()
    is_milestone = django_filters.BooleanFilter()
    is_summary = django_filters.BooleanFilter()

    class Meta:
        model = Activity
        fields = ["project", "parent", "q", "is_critical", "is_milestone", "is_summary"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(wbs_code__startswith=value))


class LinkFilterSet(django_filters.FilterSet):
    project = IdFilter(method="filter_project", label="Either end's project (id)")

    class Meta:
        model = Link
        fields = ["predecessor", "successor", "link_type", "project"]

    def filter_project(self, queryset, name, value):
        return queryset.filter(Q(predecessor__project_id=value) | Q(successor__project_id=value))


class CalendarFilterSet(django_filters.FilterSet):
    class Meta:
        model = Calendar
        fields = ["project"]


class BaselineFilterSet(django_filters.FilterSet):
    class Meta:
        model = Baseline
        fields = ["project", "number", "is_primary"]
