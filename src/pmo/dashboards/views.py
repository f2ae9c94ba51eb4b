"""The dashboards' pages: portfolio (the organisation the user sees, or one portfolio),
programme and project, and the list of the projects behind a figure."""

from urllib.parse import urlencode

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Case, CharField, FilteredRelation, Q, Value, When
from django.db.models.functions import Round
from django.forms import MultipleChoiceField
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import TemplateView

from pmo.core.choices import Action
from pmo.core.models import Person
from pmo.core.tables import Column
from pmo.core.views.generic import ObjectListView
from pmo.dashboards import charts, selectors
from pmo.dashboards.filtersets import DashboardProjectFilterSet, group_selection
from pmo.health.choices import HealthStatus
from pmo.portfolio.models import Portfolio, Programme, Project, StrategicObjective

STATUSES = (HealthStatus.RED, HealthStatus.AMBER, HealthStatus.GREEN, HealthStatus.NOT_ASSESSED)


def _health_tables(data: dict, list_query: list) -> dict:
    """The counts behind the RAG and dimension charts, each with the link to its projects."""
    base = reverse("dashboards:projects")

    def link(dimension: str, status: str) -> str:
        return f"{base}?{urlencode([*list_query, ('dimension', dimension), ('health', status)])}"

    overall = [
        {
            "status": status,
            "label": HealthStatus(status).label,
            "health": data["health"][status],
            "manager_rag": data["manager_rag"].get(status),
            "url": link("overall", status),
        }
        for status in STATUSES
    ]
    dimensions = [
        {
            "label": row["label"],
            "cells": [
                {"status": status, "count": row[status], "url": link(row["dimension"], status)} for status in STATUSES
            ],
        }
        for row in data["dimensions"]
    ]
    return {"overall": overall, "dimensions": dimensions, "statuses": [(s, HealthStatus(s).label) for s in STATUSES]}


OPTION_LABELS = {
    Person: ("full_name",),
    Portfolio: ("name",),
    Programme: ("name",),
    StrategicObjective: ("code", "name"),
}


def _filter_fields(filterset) -> list[dict]:
    """The filter form as plain options: the page writes its selects itself, which is much faster
    than rendering each option through the widget templates (there may be hundreds of managers)."""
    form = filterset.form
    fields = []
    for name, field in form.fields.items():
        value = form[name].value()
        chosen = {
            str(item) for item in (value if isinstance(value, list | tuple) else [value]) if item not in (None, "")
        }
        if hasattr(field, "queryset"):
            # The rows' own names (as their __str__ gives them), read without building each object.
            label_fields = OPTION_LABELS[field.queryset.model]
            options = [
                (str(pk), " ".join(str(part) for part in parts))
                for pk, *parts in field.queryset.values_list("pk", *label_fields)
            ]
        else:
            options = [(str(key), label) for key, label in field.choices if key != ""]
        fields.append(
            {
                "name": name,
                "label": field.label or name.capitalize(),
                "multiple": isinstance(field, MultipleChoiceField),
                "options": [(key, label, key in chosen) for key, label in options],
                "errors": form.errors.get(name, []),
            }
        )
    return fields


class GroupDashboardView(LoginRequiredMixin, TemplateView):
    """A portfolio or programme dashboard: every widget over the filtered selection."""

    template_name = "dashboards/group.html"

    def programme(self):
        return None

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        return self.render_to_response(context, status=400 if context["filterset"].errors else 200)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        programme = self.programme()
        filterset, projects, registers = group_selection(self.request, self.request.GET, programme=programme)
        context["filterset"] = filterset
        context["filter_fields"] = _filter_fields(filterset)
        context["programme"] = programme
        if projects is None:
            return context
        query = {"programme": programme.pk} if programme else {}
        for name in ("portfolio", "programme", "objective", "manager"):
            if filterset.form.cleaned_data.get(name) is not None:
                query[name] = filterset.form.cleaned_data[name].pk
        stages = filterset.form.cleaned_data.get("stage") or []
        data = selectors.group_dashboard(self.request.user, projects, registers=registers)
        list_query = list(query.items()) + [("stage", stage) for stage in stages]
        context.update(
            dashboard=data,
            charts=charts.group_charts(data, list_query),
            list_query=urlencode(list_query),
            health_tables=_health_tables(data, list_query),
            scope=self.scope(filterset),
            worst_performers=sorted(data["performance"], key=lambda p: min(p["spi"], p["cpi"]))[:15],
            best_value=sorted(data["value_risk_cost"], key=lambda p: (-p["value"], p["risk_exposure"]))[:15],
        )
        return context

    def scope(self, filterset):
        portfolio = filterset.form.cleaned_data.get("portfolio")
        programme = filterset.form.cleaned_data.get("programme")
        if programme is not None:
            return programme
        return portfolio


class PortfolioDashboardView(GroupDashboardView):
    """The organisation, or the portfolio chosen in the filters."""


class ProgrammeDashboardView(GroupDashboardView):
    def programme(self):
        if not hasattr(self, "_programme"):
            self._programme = get_object_or_404(
                Programme.objects.visible_to(self.request.user, Action.VIEW).select_related("portfolio"),
                pk=self.kwargs["pk"],
            )
        return self._programme

    def scope(self, filterset):
        return self.programme()


class ProjectDashboardView(LoginRequiredMixin, TemplateView):
    template_name = "dashboards/project.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = get_object_or_404(
            Project.objects.visible_to(self.request.user, Action.VIEW).select_related("portfolio", "programme"),
            pk=kwargs["pk"],
        )
        data = selectors.project_dashboard(self.request.user, project)
        figures = {"s_curve": charts.project_s_curve_figure(data["s_curve"])}
        if data["health"] is not None:
            figures["dimensions"] = charts.project_dimension_figure(
                data["health"], reverse("health:project_health", args=[project.pk])
            )
        context.update(object=project, dashboard=data, charts=figures)
        return context


HEALTH_LABEL = Case(
    *[When(**{"check__overall": value}, then=Value(label)) for value, label in HealthStatus.choices],
    default=Value(HealthStatus.NOT_ASSESSED.label),
    output_field=CharField(),
)
PROJECT_COLUMNS = [
    Column("Code", "code", "code", link=True),
    Column("Project", "name", "name", link=True),
    Column("Portfolio", "portfolio", "portfolio__name"),
    Column("Programme", "programme", "programme__name"),
    Column("Stage", "get_stage_display", "stage"),
    Column("Manager", "manager", "manager__full_name"),
    Column("RAG", "rag", "rag", css_class="rag"),
    Column("Health", "health_label", "health_label"),
    Column("SPI", "latest_spi", "latest_spi", css_class="num"),
    Column("CPI", "latest_cpi", "latest_cpi", css_class="num"),
    Column("Budget", "budget", "budget", css_class="num"),
]


class DashboardProjectListView(ObjectListView):
    """The projects behind a dashboard figure (a health bar, a RAG count), with the same filters."""

    model = Project
    filterset_class = DashboardProjectFilterSet
    columns = PROJECT_COLUMNS
    select_related = ("portfolio", "programme", "manager")
    default_ordering = ("code",)
    title = "Projects on the dashboard"

    def base_queryset(self):
        return (
            selectors.visible_projects(self.request.user)
            .select_related(*self.select_related)
            .annotate(
                check=FilteredRelation("health_checks", condition=Q(health_checks__is_latest=True)),
                latest=FilteredRelation("snapshots", condition=Q(snapshots__is_latest=True)),
            )
            .annotate(health_label=HEALTH_LABEL, latest_spi=Round("latest__spi", 2), latest_cpi=Round("latest__cpi", 2))
        )

    def get_queryset(self):
        queryset = self.base_queryset()
        # Always bound: without a stage the list keeps the projects under way, as the dashboards do.
        self.filterset = self.filterset_class(self.request.GET, queryset=queryset, request=self.request)
        queryset = self.filterset.qs if self.filterset.is_valid() else queryset.none()
        self.sort = self.request.GET.get("sort", "")
        if self.sort.lstrip("-") in {column.order_by for column in self.columns if column.order_by}:
            return queryset.order_by(self.sort, "pk")
        self.sort = ""
        return queryset.order_by(*self.default_ordering)

    def may_create(self) -> bool:
        return False
