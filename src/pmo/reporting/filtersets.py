"""Filters of highlight reporting, shared by the pages and the API."""

import django_filters
from django.db.models import Q

from pmo.core.filtersets import IdFilter
from pmo.portfolio.models import Project
from pmo.reporting.choices import PackStatus, ReportStatus
from pmo.reporting.models import HighlightReport, ReportPack


class HighlightReportFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label="Search")
    project = IdFilter(field_name="project_id", label="Project id")
    programme = IdFilter(field_name="project__programme_id", label="Programme id")
    portfolio = IdFilter(field_name="project__portfolio_id", label="Portfolio id")
    status = django_filters.ChoiceFilter(choices=ReportStatus.choices)
    period_from = django_filters.DateFilter(field_name="period_start", lookup_expr="gte", label="Periods from")
    period_until = django_filters.DateFilter(field_name="period_end", lookup_expr="lte", label="Periods until")

    class Meta:
        model = HighlightReport
        fields = ["q", "project", "programme", "portfolio", "status", "period_from", "period_until"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            Q(project__code__icontains=value) | Q(project__name__icontains=value) | Q(summary__icontains=value)
        )


BOARD_STATUS_CHOICES = [("missing", "Not started"), ("late", "Late"), *ReportStatus.choices]


class ReportBoardFilterSet(django_filters.FilterSet):
    """The PMO board's filters: which projects (the period and the status are applied to the
    board's rows by the view, since a project without a report has no row to filter)."""

    portfolio = IdFilter(field_name="portfolio_id", label="Portfolio id")
    programme = IdFilter(field_name="programme_id", label="Programme id")
    period = django_filters.DateFilter(method="keep", label="Period (any day)")
    status = django_filters.ChoiceFilter(choices=BOARD_STATUS_CHOICES, method="keep", label="Report status")

    class Meta:
        model = Project
        fields = ["portfolio", "programme", "period", "status"]

    def keep(self, queryset, name, value):
        return queryset


class ReportPackFilterSet(django_filters.FilterSet):
    programme = IdFilter(field_name="programme_id", label="Programme id")
    portfolio = IdFilter(field_name="portfolio_id", label="Portfolio id")
    status = django_filters.ChoiceFilter(choices=PackStatus.choices)

    class Meta:
        model = ReportPack
        fields = ["programme", "portfolio", "status"]
