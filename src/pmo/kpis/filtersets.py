"""Filters of the KPI app, shared by the list pages and the API."""

import django_filters
from django.db.models import Q

from pmo.core.filtersets import IdFilter
from pmo.kpis.choices import (
    Direction,
    Frequency,
    KPILevel,
    MeasurementSource,
    MeasurementStatus,
    RecommendationStatus,
)
from pmo.kpis.models import KPI, Measurement, Recommendation


class KPIFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label="Search")
    level = django_filters.ChoiceFilter(choices=KPILevel.choices)
    direction = django_filters.ChoiceFilter(choices=Direction.choices)
    frequency = django_filters.ChoiceFilter(choices=Frequency.choices)
    is_active = django_filters.BooleanFilter(label="Active")

    class Meta:
        model = KPI
        fields = ["q", "level", "direction", "frequency", "is_active"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value) | Q(formula__icontains=value))


class TargetFilterSet(django_filters.FilterSet):
    kpi = IdFilter(field_name="kpi_id", label="KPI id")
    project = IdFilter(field_name="project_id", label="Project id")
    programme = IdFilter(field_name="programme_id", label="Programme id")
    portfolio = IdFilter(field_name="portfolio_id", label="Portfolio id")


class MeasurementFilterSet(TargetFilterSet):
    status = django_filters.ChoiceFilter(choices=MeasurementStatus.choices)
    source = django_filters.ChoiceFilter(choices=MeasurementSource.choices)
    period_after = django_filters.DateFilter(field_name="period_end", lookup_expr="gte", label="Periods from")
    period_before = django_filters.DateFilter(field_name="period_end", lookup_expr="lte", label="Periods until")

    class Meta:
        model = Measurement
        fields = ["kpi", "project", "programme", "portfolio", "status", "source", "period_after", "period_before"]


class RecommendationFilterSet(TargetFilterSet):
    status = django_filters.ChoiceFilter(choices=RecommendationStatus.choices)
    rule = django_filters.CharFilter(max_length=40)

    class Meta:
        model = Recommendation
        fields = ["status", "kpi", "project", "programme", "portfolio", "rule"]
