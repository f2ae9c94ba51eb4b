"""Filters shared by the list pages and the API."""

import django_filters
from django.db.models import Q

from pmo.core.filtersets import IdFilter
from pmo.lifecycle.choices import GATE_STAGE_CHOICES, PMOModel, ReviewStatus, StandardStatus, VersionStatus
from pmo.lifecycle.models import (
    GateApproval,
    GateCheckItem,
    GateCriterion,
    GateReview,
    PMOCharter,
    Standard,
    TermsOfReference,
)


class PMOCharterFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=VersionStatus.choices)
    pmo_model = django_filters.ChoiceFilter(choices=PMOModel.choices, label="PMO model")

    class Meta:
        model = PMOCharter
        fields = ["status", "pmo_model"]


class TermsOfReferenceFilterSet(django_filters.FilterSet):
    project = IdFilter(field_name="project_id")
    status = django_filters.ChoiceFilter(choices=VersionStatus.choices)

    class Meta:
        model = TermsOfReference
        fields = ["project", "status"]


class StandardFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label="Search")
    status = django_filters.ChoiceFilter(choices=StandardStatus.choices)
    project_type = django_filters.CharFilter(method="filter_project_type", label="Project type", max_length=50)

    class Meta:
        model = Standard
        fields = ["q", "status", "project_type"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(body__icontains=value))

    def filter_project_type(self, queryset, name, value):
        """Standards for this kind of project, and those that apply to every project."""
        tag = " ".join(value.split()).lower()
        if not tag:
            return queryset
        return queryset.filter(
            Q(applies_to="")
            | Q(applies_to=tag)
            | Q(applies_to__startswith=f"{tag},")
            | Q(applies_to__endswith=f",{tag}")
            | Q(applies_to__contains=f",{tag},")
        )


class GateCriterionFilterSet(django_filters.FilterSet):
    stage = django_filters.ChoiceFilter(choices=GATE_STAGE_CHOICES, label="Gate into")
    is_archived = django_filters.BooleanFilter()

    class Meta:
        model = GateCriterion
        fields = ["stage", "evidence_kind", "is_archived"]


class GateReviewFilterSet(django_filters.FilterSet):
    project = IdFilter(field_name="project_id")
    status = django_filters.ChoiceFilter(choices=ReviewStatus.choices)
    to_stage = django_filters.ChoiceFilter(choices=GATE_STAGE_CHOICES, label="Gate into")

    class Meta:
        model = GateReview
        fields = ["project", "status", "to_stage"]


class GateCheckItemFilterSet(django_filters.FilterSet):
    review = IdFilter(field_name="review_id")

    class Meta:
        model = GateCheckItem
        fields = ["review"]


class GateApprovalFilterSet(django_filters.FilterSet):
    review = IdFilter(field_name="review_id")

    class Meta:
        model = GateApproval
        fields = ["review", "role", "decision"]
