"""Filters of the health list, shared with the API."""

import django_filters
from django.db.models import Q

from pmo.core.filtersets import IdFilter
from pmo.health.choices import Dimension, HealthStatus
from pmo.health.models import HealthCheck, ProjectSnapshot


class HealthCheckFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label="Search")
    portfolio = IdFilter(field_name="project__portfolio_id", label="Portfolio id")
    programme = IdFilter(field_name="project__programme_id", label="Programme id")
    project = IdFilter(field_name="project_id", label="Project id")
    status = django_filters.ChoiceFilter(choices=HealthStatus.choices, method="filter_status", label="Status")
    dimension = django_filters.ChoiceFilter(
        choices=Dimension.choices, method="filter_noop", label="Dimension", empty_label="Overall"
    )

    class Meta:
        model = HealthCheck
        fields = ["q", "portfolio", "programme", "project", "status", "dimension"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(project__code__icontains=value) | Q(project__name__icontains=value))

    def filter_noop(self, queryset, name, value):
        return queryset  # read by filter_status

    def filter_status(self, queryset, name, value):
        dimension = self.form.cleaned_data.get("dimension") or "overall"
        return queryset.filter(**{dimension: value})


class ProjectSnapshotFilterSet(django_filters.FilterSet):
    portfolio = IdFilter(field_name="project__portfolio_id", label="Portfolio id")
    programme = IdFilter(field_name="project__programme_id", label="Programme id")
    project = IdFilter(field_name="project_id", label="Project id")
    period_from = django_filters.DateFilter(field_name="period_end", lookup_expr="gte", label="Weeks ending from")
    period_until = django_filters.DateFilter(field_name="period_end", lookup_expr="lte", label="Weeks ending until")
    is_latest = django_filters.BooleanFilter()

    class Meta:
        model = ProjectSnapshot
        fields = ["portfolio", "programme", "project", "period_from", "period_until", "is_latest"]
