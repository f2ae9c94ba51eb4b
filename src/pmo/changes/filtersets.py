"""Filters of change control, shared by the list pages, the Excel export and the API."""

import django_filters
from django.db.models import Q

from pmo.changes.choices import (
    Board,
    ChangeStatus,
    ConfigurationItemKind,
    ConfigurationItemStatus,
    ReviewResult,
    RiskLevel,
)
from pmo.changes.models import ApprovalPolicy, ChangeRequest, ConfigurationItem, QualityReview
from pmo.core.filtersets import IdFilter


class ChangeRequestFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label="Search")
    project = IdFilter(field_name="project_id", label="Project id")
    programme = IdFilter(field_name="project__programme_id", label="Programme id")
    portfolio = IdFilter(field_name="project__portfolio_id", label="Portfolio id")
    status = django_filters.ChoiceFilter(choices=ChangeStatus.choices)
    required_board = django_filters.ChoiceFilter(choices=Board.choices, label="Board")
    risk_level = django_filters.ChoiceFilter(choices=RiskLevel.choices)
    raised_after = django_filters.DateFilter(field_name="raised_on", lookup_expr="gte", label="Raised from")
    raised_before = django_filters.DateFilter(field_name="raised_on", lookup_expr="lte", label="Raised until")

    class Meta:
        model = ChangeRequest
        fields = [
            "q",
            "project",
            "programme",
            "portfolio",
            "status",
            "required_board",
            "risk_level",
            "raised_after",
            "raised_before",
        ]

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value) | Q(description__icontains=value) | Q(project__code__icontains=value)
        )


class ConfigurationItemFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label="Search")
    project = IdFilter(field_name="project_id", label="Project id")
    kind = django_filters.ChoiceFilter(choices=ConfigurationItemKind.choices)
    status = django_filters.ChoiceFilter(choices=ConfigurationItemStatus.choices)

    class Meta:
        model = ConfigurationItem
        fields = ["q", "project", "kind", "status"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(identifier__icontains=value) | Q(name__icontains=value))


class QualityReviewFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label="Search")
    project = IdFilter(field_name="project_id", label="Project id")
    configuration_item = IdFilter(field_name="configuration_item_id", label="Item id")
    result = django_filters.ChoiceFilter(choices=ReviewResult.choices)

    class Meta:
        model = QualityReview
        fields = ["q", "project", "configuration_item", "result"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(deliverable__icontains=value))


class ApprovalPolicyFilterSet(django_filters.FilterSet):
    programme = IdFilter(field_name="programme_id", label="Programme id")
    project = IdFilter(field_name="project_id", label="Project id")

    class Meta:
        model = ApprovalPolicy
        fields = ["programme", "project"]
