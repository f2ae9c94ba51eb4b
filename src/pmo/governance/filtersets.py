"""Filters of the registers, shared by the pages and the API."""

import django_filters
from django.db.models import Q

from pmo.core.choices import Action
from pmo.core.filtersets import IdFilter
from pmo.core.models import Person
from pmo.governance.choices import (
    ActionStatus,
    AssumptionStatus,
    DependencyKind,
    EscalationState,
    IssuePriority,
    IssueSeverity,
    IssueStatus,
    NotificationKind,
    ProximityBand,
    RaidDependencyStatus,
    RiskKind,
    RiskResponse,
    RiskStatus,
)
from pmo.governance.models import (
    ActionItem,
    Assumption,
    Decision,
    Dependency,
    Escalation,
    ExposureSnapshot,
    Issue,
    Notification,
    Risk,
)
from pmo.portfolio.models import Portfolio, Programme, Project


def _visible(model):
    def queryset(request):
        user = getattr(request, "user", None)
        return model.objects.visible_to(user, Action.VIEW) if user is not None else model.objects.none()

    return queryset


class RegisterFilterSet(django_filters.FilterSet):
    """Search and the register (project, programme, portfolio) every register's filters share."""

    q = django_filters.CharFilter(method="filter_search", label="Search")
    project = django_filters.ModelChoiceFilter(queryset=_visible(Project))
    programme = django_filters.ModelChoiceFilter(queryset=_visible(Programme))
    portfolio = django_filters.ModelChoiceFilter(queryset=_visible(Portfolio))
    owner = django_filters.ModelChoiceFilter(queryset=Person.objects.filter(is_archived=False))
    search_fields: tuple[str, ...] = ("title", "description")

    def filter_search(self, queryset, name, value):
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)


class EscalatedFilterMixin(django_filters.FilterSet):
    is_escalated = django_filters.BooleanFilter(method="filter_escalated", label="Escalated")

    def filter_escalated(self, queryset, name, value):
        escalated = Q(escalations__state=EscalationState.ACTIVE)
        ids = queryset.model.objects.filter(escalated).values("pk")
        return queryset.filter(pk__in=ids) if value else queryset.exclude(pk__in=ids)


class RiskFilterSet(EscalatedFilterMixin, RegisterFilterSet):
    nature = django_filters.ChoiceFilter(choices=RiskKind.choices)
    status = django_filters.ChoiceFilter(choices=RiskStatus.choices)
    response = django_filters.ChoiceFilter(choices=RiskResponse.choices)
    proximity = django_filters.ChoiceFilter(choices=ProximityBand.choices)
    probability = django_filters.NumberFilter()
    impact = django_filters.NumberFilter()
    residual_probability = django_filters.NumberFilter()
    residual_impact = django_filters.NumberFilter()
    score_min = django_filters.NumberFilter(field_name="score", lookup_expr="gte", label="Score at least")
    category = django_filters.CharFilter(lookup_expr="icontains")
    search_fields = ("title", "description", "cause", "event", "effect", "category")

    class Meta:
        model = Risk
        fields = [
            "q",
            "status",
            "nature",
            "is_escalated",
            "score_min",
            "owner",
            "response",
            "proximity",
            "category",
            "probability",
            "impact",
            "residual_probability",
            "residual_impact",
            "project",
            "programme",
            "portfolio",
        ]


class AssumptionFilterSet(RegisterFilterSet):
    status = django_filters.ChoiceFilter(choices=AssumptionStatus.choices)
    validate_by_before = django_filters.DateFilter(field_name="validate_by", lookup_expr="lte", label="Validate by")

    class Meta:
        model = Assumption
        fields = ["q", "status", "owner", "validate_by_before", "project", "programme", "portfolio"]


class IssueFilterSet(EscalatedFilterMixin, RegisterFilterSet):
    status = django_filters.ChoiceFilter(choices=IssueStatus.choices)
    priority = django_filters.ChoiceFilter(choices=IssuePriority.choices)
    severity = django_filters.ChoiceFilter(choices=IssueSeverity.choices)
    due_before = django_filters.DateFilter(field_name="due_on", lookup_expr="lte", label="Due by")
    search_fields = ("title", "description", "resolution")

    class Meta:
        model = Issue
        fields = [
            "q",
            "status",
            "priority",
            "severity",
            "is_escalated",
            "owner",
            "due_before",
            "project",
            "programme",
            "portfolio",
        ]


class DependencyFilterSet(RegisterFilterSet):
    nature = django_filters.ChoiceFilter(choices=DependencyKind.choices)
    status = django_filters.ChoiceFilter(choices=RaidDependencyStatus.choices)
    project_dependency = IdFilter(field_name="project_dependency_id")
    search_fields = ("title", "description", "party")

    class Meta:
        model = Dependency
        fields = ["q", "nature", "status", "owner", "project_dependency", "project", "programme", "portfolio"]


class DecisionFilterSet(RegisterFilterSet):
    owner = None
    decided_by = django_filters.ModelChoiceFilter(queryset=Person.objects.all())
    body = django_filters.CharFilter(lookup_expr="icontains")
    decided_from = django_filters.DateFilter(field_name="decided_on", lookup_expr="gte", label="Decided from")
    decided_to = django_filters.DateFilter(field_name="decided_on", lookup_expr="lte", label="Decided until")

    class Meta:
        model = Decision
        fields = ["q", "body", "decided_by", "decided_from", "decided_to", "project", "programme", "portfolio"]


class ActionItemFilterSet(RegisterFilterSet):
    status = django_filters.ChoiceFilter(choices=ActionStatus.choices)
    due_before = django_filters.DateFilter(field_name="due_on", lookup_expr="lte", label="Due by")
    source_type = IdFilter(field_name="source_type_id", label="Source type id")
    source_id = IdFilter(field_name="source_id", label="Source id")

    class Meta:
        model = ActionItem
        fields = [
            "q",
            "status",
            "owner",
            "due_before",
            "project",
            "programme",
            "portfolio",
            "source_type",
            "source_id",
        ]


class NotificationFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=NotificationKind.choices)
    is_read = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", exclude=True, label="Read")

    class Meta:
        model = Notification
        fields = ["kind", "is_read"]


FILTERSETS = {
    "risk": RiskFilterSet,
    "assumption": AssumptionFilterSet,
    "issue": IssueFilterSet,
    "dependency": DependencyFilterSet,
    "decision": DecisionFilterSet,
    "action": ActionItemFilterSet,
}


class EscalationFilterSet(django_filters.FilterSet):
    risk = IdFilter(field_name="risk_id")
    issue = IdFilter(field_name="issue_id")
    programme = IdFilter(field_name="programme_id")
    portfolio = IdFilter(field_name="portfolio_id")
    state = django_filters.ChoiceFilter(choices=EscalationState.choices)

    class Meta:
        model = Escalation
        fields = ["risk", "issue", "programme", "portfolio", "state", "is_automatic"]


class ExposureSnapshotFilterSet(django_filters.FilterSet):
    project = IdFilter(field_name="project_id")
    programme = IdFilter(field_name="programme_id")
    portfolio = IdFilter(field_name="portfolio_id")
    taken_from = django_filters.DateFilter(field_name="taken_on", lookup_expr="gte")
    taken_to = django_filters.DateFilter(field_name="taken_on", lookup_expr="lte")

    class Meta:
        model = ExposureSnapshot
        fields = ["project", "programme", "portfolio", "taken_from", "taken_to"]
