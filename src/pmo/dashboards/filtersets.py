"""The dashboards' filters: which projects every widget reads (shared by the pages and the API).

The choices offered are only what the user may see: portfolios and programmes through their
``visible_to``, managers of projects the user sees. Without a stage, the dashboards read the
projects still under way (closed and cancelled ones are left out).
"""

import django_filters

from pmo.core.choices import Action
from pmo.core.models import Person
from pmo.dashboards import selectors
from pmo.health.choices import Dimension, HealthStatus
from pmo.portfolio.choices import LifecycleStage
from pmo.portfolio.models import Portfolio, Programme, Project, StrategicObjective


def _portfolios(request):
    return Portfolio.objects.visible_to(request.user, Action.VIEW).filter(is_archived=False).order_by("name")


def _programmes(request):
    return Programme.objects.visible_to(request.user, Action.VIEW).filter(is_archived=False).order_by("name")


def _objectives(request):
    return StrategicObjective.objects.visible_to(request.user, Action.VIEW).filter(is_archived=False)


def _managers(request):
    managed = Project.objects.visible_to(request.user, Action.VIEW).filter(is_archived=False).values("manager_id")
    return Person.objects.filter(pk__in=managed).order_by("full_name")


class DashboardFilterSet(django_filters.FilterSet):
    portfolio = django_filters.ModelChoiceFilter(queryset=_portfolios)
    programme = django_filters.ModelChoiceFilter(queryset=_programmes)
    objective = django_filters.ModelChoiceFilter(
        field_name="objectives", queryset=_objectives, label="Strategic objective"
    )
    stage = django_filters.MultipleChoiceFilter(
        choices=LifecycleStage.choices, help_text="Without a stage: the projects still under way."
    )
    manager = django_filters.ModelChoiceFilter(queryset=_managers, label="Project manager")

    class Meta:
        model = Project
        fields = ["portfolio", "programme", "objective", "stage", "manager"]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("stage"):
            queryset = selectors.live_only(queryset)
        return queryset


class ProgrammeDashboardFilterSet(DashboardFilterSet):
    """Inside one programme: its portfolio and programme are given by the page."""

    portfolio = None
    programme = None

    class Meta(DashboardFilterSet.Meta):
        fields = ["objective", "stage", "manager"]


class DashboardProjectFilterSet(DashboardFilterSet):
    """The projects behind a figure: the dashboard's filters and, optionally, a health status of
    one dimension (or overall) from the projects' latest health check."""

    dimension = django_filters.ChoiceFilter(
        choices=[("overall", "Overall"), *Dimension.choices], method="filter_health", label="Health of"
    )
    health = django_filters.ChoiceFilter(choices=HealthStatus.choices, method="filter_health", label="Status")

    class Meta(DashboardFilterSet.Meta):
        fields = [*DashboardFilterSet.Meta.fields, "dimension", "health"]

    def filter_health(self, queryset, name, value):
        # Both parameters are read together, once, by the status filter.
        if name != "health":
            return queryset
        dimension = self.form.cleaned_data.get("dimension") or "overall"
        return selectors.with_health(queryset, dimension, value)


def group_selection(request, data, *, programme: Programme | None = None):
    """The filters of a portfolio (or, with ``programme``, a programme) dashboard read from
    ``data`` (GET parameters): the filter set (its errors name each wrong parameter), the projects
    it selects and the programme and portfolio registers whose own risks belong on the dashboard
    (none once the selection is narrowed to some projects by objective, stage or manager)."""
    projects = selectors.visible_projects(request.user)
    if programme is not None:
        filterset = ProgrammeDashboardFilterSet(data, queryset=projects.filter(programme=programme), request=request)
    else:
        filterset = DashboardFilterSet(data, queryset=projects, request=request)
    if not filterset.is_valid():
        return filterset, None, None
    cleaned = filterset.form.cleaned_data
    narrowed = any(cleaned.get(name) for name in ("objective", "stage", "manager"))
    registers = None
    if not narrowed:
        registers = selectors.scope_registers(
            portfolio=cleaned.get("portfolio"), programme=programme or cleaned.get("programme")
        )
    return filterset, filterset.qs, registers
