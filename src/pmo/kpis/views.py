"""Pages of the KPI app: the KPI library, a KPI with its targets and trend charts, the panel on a
project's, programme's or portfolio's page, manual entry of a value, and the open recommendations
to accept into actions or dismiss. Views parse the request and call services; reads go through
``visible_to`` (in the selectors)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView, View

from pmo.core.choices import Action
from pmo.core.errors import DomainError, InvalidData, NotFound, PermissionRefused
from pmo.core.permissions import grants_for
from pmo.core.views.generic import ObjectDetailView, ObjectEditView, ObjectListView, ServiceFormView
from pmo.kpis import selectors, services
from pmo.kpis.choices import RecommendationStatus
from pmo.kpis.filtersets import KPIFilterSet, RecommendationFilterSet
from pmo.kpis.forms import AcceptForm, DismissForm, KPIForm, MeasurementForm
from pmo.kpis.models import KPI, Recommendation
from pmo.kpis.tables import KPI_COLUMNS
from pmo_engine import kpi as engine
from pmo_engine.metrics import METRICS

CHARTS_SHOWN = 4
TARGETS_PER_PAGE = 50  # the worst first: a page of targets is what a reader acts on


class KPIListView(ObjectListView):
    model = KPI
    filterset_class = KPIFilterSet
    columns = KPI_COLUMNS
    select_related = ("project", "programme", "portfolio")
    default_ordering = ("level", "code")
    title = "KPIs"
    create_url_name = "kpis:kpi_create"

    def may_create(self) -> bool:
        return grants_for(self.request.user).allows_everywhere(Action.CREATE)


class KPIDetailView(ObjectDetailView):
    model = KPI
    template_name = "kpis/kpi_detail.html"
    select_related = ("project", "programme", "portfolio", "owner")
    edit_url_name = "kpis:kpi_edit"
    history_url_name = "kpis:kpi_history"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kpi = self.object
        targets = selectors.kpi_targets(self.request.user, kpi)
        chosen = self.request.GET.get("target", "")
        shown = [t for t in targets if t.key == chosen] or targets[:CHARTS_SHOWN]
        selectors.load_series(self.request.user, kpi, shown)
        charts = [
            {
                "target": t,
                "id": f"kpi-trend-{t.key}",
                "figure": selectors.trend_figure(kpi, t.points, title=f"{t.target.code} {t.target.name}"),
            }
            for t in shown
        ]
        try:
            names = engine.parse(kpi.formula, METRICS).names
            formula_error = ""
        except engine.FormulaError as error:
            names, formula_error = (), error.message
        page = Paginator(targets, TARGETS_PER_PAGE).get_page(self.request.GET.get("page"))
        context.update(
            targets=page.object_list,
            page_obj=page,
            target_count=len(targets),
            charts=charts,
            figures=[METRICS[name] for name in names],
            formula_error=formula_error,
            recommendations=Recommendation.objects.visible_to(self.request.user)
            .filter(kpi=kpi, status=RecommendationStatus.PROPOSED)
            .select_related("project", "programme", "portfolio")[:20],
        )
        return context


class PMOOnlyMixin:
    """Defining KPIs is the PMO's: a role across the organisation."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not grants_for(request.user).allows_everywhere(Action.CREATE):
            raise PermissionDenied("Defining KPIs needs a role across the whole organisation.")
        return super().dispatch(request, *args, **kwargs)


class FormulaHelpMixin:
    template_name = "kpis/kpi_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(figure_help=selectors.figure_help(), function_help=selectors.function_help())
        return context


class KPICreateView(PMOOnlyMixin, FormulaHelpMixin, ServiceFormView):
    form_class = KPIForm
    title = "New KPI"
    success_message = "KPI defined; it is measured from the next snapshots."

    def perform(self, form):
        return services.create_kpi(actor=self.request.user, **form.cleaned_data)


class KPIEditView(FormulaHelpMixin, ObjectEditView):
    model = KPI
    form_class = KPIForm
    title = "Edit KPI"

    def perform(self, form):
        return services.update_kpi(actor=self.request.user, kpi=self.object, changes=form.cleaned_data)


class FormulaCheckView(LoginRequiredMixin, TemplateView):
    """htmx: the formula typed so far, checked: an error with its column, or the figures it reads."""

    template_name = "kpis/_formula_check.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        text = self.request.GET.get("formula", "")
        try:
            formula = engine.parse(text, METRICS)
        except engine.FormulaError as error:
            context.update(error=error.message, column=error.column, text=text)
        else:
            context.update(figures=[METRICS[name] for name in formula.names], text=text)
        return context


class TargetPanelView(LoginRequiredMixin, TemplateView):
    """htmx panel for a project's, programme's or portfolio's page: its KPIs with the latest value,
    status, trend arrow and flags."""

    template_name = "kpis/_target_panel.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            target = selectors.visible_target(self.request.user, kwargs["level"], kwargs["pk"])
        except NotFound as error:
            raise Http404(error.message) from None
        context.update(
            target=target,
            level=kwargs["level"],
            rows=selectors.target_panel(self.request.user, target),
            may_record=services.may_change_target(self.request.user, target),
        )
        return context


class MeasurementCreateView(ServiceFormView):
    """Enter a KPI's value for one project, programme or portfolio by hand."""

    form_class = MeasurementForm
    title = "Enter a KPI value"
    success_message = "Value recorded."
    template_name = "kpis/measurement_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        try:
            self.target = selectors.visible_target(request.user, kwargs["level"], kwargs["pk"])
        except NotFound as error:
            raise Http404(error.message) from None
        if not services.may_change_target(request.user, self.target):
            raise PermissionDenied(f"You may not record KPI values of {self.target}.")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["kpis"] = selectors.kpis_for_target(self.request.user, self.target)
        if "kpi" in self.request.GET:
            kwargs.setdefault("initial", {})["kpi"] = self.request.GET["kpi"]
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(target=self.target, cancel_url=self.target.get_absolute_url())
        return context

    def perform(self, form):
        data = form.cleaned_data
        return services.record_measurement(
            actor=self.request.user,
            kpi=data["kpi"],
            period_end=data["period_end"],
            value=data["value"],
            note=data["note"],
            reason=data["reason"],
            **{self.target._meta.model_name: self.target},
        )


class RecommendationListView(ObjectListView):
    model = Recommendation
    filterset_class = RecommendationFilterSet
    select_related = ("kpi", "project", "programme", "portfolio", "action")
    default_ordering = ("status", "-since", "id")
    title = "KPI recommendations"
    template_name = "kpis/recommendation_list.html"
    partial_template_name = "kpis/_recommendation_rows.html"

    def base_queryset(self):
        queryset = super().base_queryset()
        if "status" not in self.request.GET:
            queryset = queryset.filter(status=RecommendationStatus.PROPOSED)
        return queryset

    def may_create(self) -> bool:
        return False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(dismiss_form=DismissForm(), accept_form=AcceptForm())
        return context


class RecommendationDecisionView(LoginRequiredMixin, View):
    """POST: accept a recommendation into an action, or dismiss it with a reason."""

    decision = ""

    def post(self, request, pk):
        recommendation = get_object_or_404(Recommendation.objects.visible_to(request.user, Action.VIEW), pk=pk)
        form = (AcceptForm if self.decision == "accept" else DismissForm)(request.POST)
        back = request.POST.get("next") or reverse("kpis:recommendation_list")
        if not back.startswith("/") or back.startswith("//"):
            back = reverse("kpis:recommendation_list")
        if not form.is_valid():
            messages.error(request, "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items()))
            return redirect(back)
        try:
            if self.decision == "accept":
                done = services.accept_recommendation(
                    actor=request.user,
                    recommendation=recommendation,
                    due_on=form.cleaned_data["due_on"],
                    reason=form.cleaned_data["reason"],
                )
                messages.success(request, f"Accepted: action “{done.action}” is on the register.")
            else:
                services.dismiss_recommendation(
                    actor=request.user, recommendation=recommendation, reason=form.cleaned_data["reason"]
                )
                messages.success(request, "Dismissed.")
        except NotFound as error:
            raise Http404(error.message) from None
        except PermissionRefused as error:
            raise PermissionDenied(error.message) from None
        except (InvalidData, DomainError) as error:
            messages.error(request, error.message)
        return redirect(back)
