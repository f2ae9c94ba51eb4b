"""Pages of project health: the panel on the project page, the full health and earned value
page, recompute now, the PMO's rule settings and the list of every visible project's health."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from pmo.core.choices import Action
from pmo.core.errors import DomainError, InvalidData, NotFound, PermissionRefused
from pmo.core.views.generic import ObjectListView
from pmo.health import selectors, services
from pmo.health.choices import Dimension
from pmo.health.filtersets import HealthCheckFilterSet
from pmo.health.forms import RuleSettingForm
from pmo.health.models import HealthCheck
from pmo.health.tables import HEALTH_COLUMNS
from pmo.portfolio.models import Project
from pmo_engine.health import DIMENSIONS


class ProjectMixin(LoginRequiredMixin):
    """The project of the URL, if the user may see it (404 otherwise)."""

    def get_project(self) -> Project:
        visible = Project.objects.visible_to(self.request.user, Action.VIEW).select_related("portfolio", "programme")
        return get_object_or_404(visible, pk=self.kwargs["pk"])


class ProjectPanelView(ProjectMixin, TemplateView):
    """The health card of the project page (loaded by htmx): overall and dimension badges, the
    rules that fired with their numbers, and why a dimension is not assessed."""

    template_name = "health/_panel.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self.get_project()
        context.update(project=project, health=selectors.project_health(project))
        return context


class ProjectHealthView(ProjectMixin, TemplateView):
    """The full health page: every finding, the history of statuses and the earned value section."""

    template_name = "health/project_health.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self.get_project()
        series = selectors.evm_series(project)
        history = selectors.check_history(project)
        context.update(
            project=project,
            health=selectors.project_health(project),
            history=history,
            dimensions=[(dimension, Dimension(dimension).label) for dimension in DIMENSIONS],
            history_rows=[
                (check.period_end, check.overall, [check.status_of(dimension) for dimension in DIMENSIONS])
                for check in history
            ],
            series=series,
            s_curve=selectors.s_curve_figure(series) if series["period_ends"] else None,
            indices=selectors.indices_figure(series) if series["history"] else None,
            may_refresh=selectors.may_refresh(self.request.user, project),
        )
        return context


class ProjectRefreshView(ProjectMixin, View):
    """POST: recompute the project's figures and health now (for those who may change it)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        project = self.get_project()
        try:
            check = services.refresh_project(actor=request.user, project=project, reason=request.POST.get("reason", ""))
        except PermissionRefused as error:
            raise PermissionDenied(error.message) from None
        except NotFound as error:
            raise Http404(error.message) from None
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"Health recomputed for the week ending {check.period_end:%Y-%m-%d}.")
        return redirect(reverse("health:project_health", args=[project.pk]))


class SettingsView(LoginRequiredMixin, TemplateView):
    """Every rule with its default and tuned thresholds; the PMO changes them here."""

    template_name = "health/settings.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        bound = kwargs.get("bound_form")
        rows = []
        for row in selectors.rule_rows():
            if bound is not None and bound.data.get("rule") == row.code:
                form = bound
            else:
                form = RuleSettingForm(
                    initial={"rule": row.code, "amber": row.amber, "red": row.red, "enabled": row.enabled},
                    auto_id=f"id_{row.code}_%s",
                )
            rows.append((row, form))
        context.update(rows=rows, can_change=selectors.may_tune_rules(self.request.user))
        return context

    def post(self, request):
        if "reset" in request.POST:
            return self._reset(request, request.POST["reset"])
        form = RuleSettingForm(request.POST, user=request.user, auto_id=f"id_{request.POST.get('rule', '')}_%s")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.update_rule_setting(
                    actor=request.user,
                    rule=data["rule"],
                    amber=data["amber"],
                    red=data["red"],
                    enabled=data["enabled"],
                    reason=data["reason"],
                )
            except PermissionRefused as error:
                raise PermissionDenied(error.message) from None
            except InvalidData as error:
                for field, field_messages in error.errors.items():
                    form.add_error(field if field in form.fields else None, field_messages)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, f"Thresholds of {dict(form.fields['rule'].choices)[data['rule']]} saved.")
                return redirect("health:settings")
        elif not selectors.may_tune_rules(request.user):
            raise PermissionDenied("You may not change the health rules: that needs a role across the organisation.")
        return self.render_to_response(self.get_context_data(bound_form=form), status=400)

    def _reset(self, request, rule: str):
        try:
            services.reset_rule_setting(actor=request.user, rule=rule, reason=request.POST.get("reason", ""))
        except PermissionRefused as error:
            raise PermissionDenied(error.message) from None
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "The rule is back to its default thresholds.")
        return redirect("health:settings")


class HealthListView(ObjectListView):
    """The latest health of every visible project, filtered by status, dimension and portfolio."""

    model = HealthCheck
    filterset_class = HealthCheckFilterSet
    columns = HEALTH_COLUMNS
    title = "Project health"
    template_name = "health/health_list.html"
    partial_template_name = "health/_health_table.html"
    default_ordering = ("project__code",)

    def base_queryset(self):
        return selectors.health_checks_visible_to(self.request.user)

    def may_create(self) -> bool:
        return False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["dimensions"] = DIMENSIONS
        return context
