"""Pages of the portfolio hierarchy: objectives, portfolios, programmes, projects, dependencies."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import View

from pmo.core.choices import Action
from pmo.core.errors import DomainError, InvalidData, PermissionRefused
from pmo.core.permissions import grants_for
from pmo.core.views.generic import ArchiveView, ObjectDetailView, ObjectEditView, ObjectListView, ServiceFormView
from pmo.portfolio import selectors, services
from pmo.portfolio.filtersets import (
    PortfolioFilterSet,
    ProgrammeFilterSet,
    ProjectDependencyFilterSet,
    ProjectFilterSet,
    StrategicObjectiveFilterSet,
)
from pmo.portfolio.forms import (
    ObjectiveContributionFormSet,
    PortfolioForm,
    ProgrammeForm,
    ProjectDependencyForm,
    ProjectForm,
    StrategicObjectiveForm,
)
from pmo.portfolio.models import Portfolio, Programme, Project, ProjectDependency, StrategicObjective
from pmo.portfolio.tables import (
    DEPENDENCY_COLUMNS,
    OBJECTIVE_COLUMNS,
    PORTFOLIO_COLUMNS,
    PROGRAMME_COLUMNS,
    PROJECT_COLUMNS,
)

# --- strategic objectives -------------------------------------------------------------------


class ObjectiveListView(ObjectListView):
    model = StrategicObjective
    filterset_class = StrategicObjectiveFilterSet
    columns = OBJECTIVE_COLUMNS
    select_related = ("owner",)
    default_ordering = ("code",)
    title = "Strategic objectives"
    create_url_name = "portfolio:objective_create"

    def may_create(self) -> bool:
        return grants_for(self.request.user).allows_everywhere(Action.CREATE)


class ObjectiveDetailView(ObjectDetailView):
    model = StrategicObjective
    template_name = "portfolio/objective_detail.html"
    select_related = ("owner",)
    edit_url_name = "portfolio:objective_edit"
    archive_url_name = "portfolio:objective_archive"
    history_url_name = "portfolio:objective_history"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["project_links"] = (
            self.object.project_links.visible_to(self.request.user)
            .select_related("project", "project__programme")
            .order_by("project__code")
        )
        return context


class ObjectiveCreateView(ServiceFormView):
    form_class = StrategicObjectiveForm
    title = "New strategic objective"
    success_message = "Objective created."

    def perform(self, form):
        return services.create_objective(actor=self.request.user, **form.cleaned_data)


class ObjectiveEditView(ObjectEditView):
    model = StrategicObjective
    form_class = StrategicObjectiveForm
    title = "Edit strategic objective"

    def perform(self, form):
        return services.update_objective(actor=self.request.user, objective=self.object, changes=form.cleaned_data)


class ObjectiveArchiveView(ArchiveView):
    model = StrategicObjective
    archive_service = services.archive_objective
    archive_argument = "objective"


# --- portfolios -----------------------------------------------------------------------------


class PortfolioListView(ObjectListView):
    model = Portfolio
    filterset_class = PortfolioFilterSet
    columns = PORTFOLIO_COLUMNS
    select_related = ("manager",)
    default_ordering = ("name",)
    create_url_name = "portfolio:portfolio_create"

    def base_queryset(self):
        visible_projects = Project.objects.visible_to(self.request.user).filter(is_archived=False).values("id")
        return (
            super().base_queryset().annotate(project_count=Count("projects", filter=Q(projects__in=visible_projects)))
        )

    def may_create(self) -> bool:
        return grants_for(self.request.user).allows_everywhere(Action.CREATE)


class PortfolioDetailView(ObjectDetailView):
    model = Portfolio
    template_name = "portfolio/portfolio_detail.html"
    select_related = ("manager",)
    edit_url_name = "portfolio:portfolio_edit"
    archive_url_name = "portfolio:portfolio_archive"
    history_url_name = "portfolio:portfolio_history"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(selectors.portfolio_overview(self.request.user, self.object))
        context["can_create_inside"] = services.may_create_in(self.request.user, portfolio=self.object)
        return context


class PortfolioCreateView(ServiceFormView):
    form_class = PortfolioForm
    title = "New portfolio"
    success_message = "Portfolio created."

    def perform(self, form):
        return services.create_portfolio(actor=self.request.user, **form.cleaned_data)


class PortfolioEditView(ObjectEditView):
    model = Portfolio
    form_class = PortfolioForm
    title = "Edit portfolio"

    def perform(self, form):
        return services.update_portfolio(actor=self.request.user, portfolio=self.object, changes=form.cleaned_data)


class PortfolioArchiveView(ArchiveView):
    model = Portfolio
    archive_service = services.archive_portfolio
    archive_argument = "portfolio"


# --- programmes -----------------------------------------------------------------------------


class ProgrammeListView(ObjectListView):
    model = Programme
    filterset_class = ProgrammeFilterSet
    columns = PROGRAMME_COLUMNS
    select_related = ("portfolio", "manager", "sro")
    default_ordering = ("portfolio__name", "name")
    create_url_name = "portfolio:programme_create"


class ProgrammeDetailView(ObjectDetailView):
    model = Programme
    template_name = "portfolio/programme_detail.html"
    select_related = ("portfolio", "manager", "sro")
    edit_url_name = "portfolio:programme_edit"
    archive_url_name = "portfolio:programme_archive"
    history_url_name = "portfolio:programme_history"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(selectors.programme_overview(self.request.user, self.object))
        context["can_create_inside"] = services.may_create_in(
            self.request.user, portfolio=self.object.portfolio, programme=self.object
        )
        return context


class ProgrammeCreateView(ServiceFormView):
    form_class = ProgrammeForm
    title = "New programme"
    success_message = "Programme created."

    def get_initial(self):
        return {"portfolio": self.request.GET.get("portfolio")}

    def perform(self, form):
        data = dict(form.cleaned_data)
        return services.create_programme(actor=self.request.user, portfolio=data.pop("portfolio"), **data)


class ProgrammeEditView(ObjectEditView):
    model = Programme
    form_class = ProgrammeForm
    title = "Edit programme"

    def perform(self, form):
        return services.update_programme(actor=self.request.user, programme=self.object, changes=form.cleaned_data)


class ProgrammeArchiveView(ArchiveView):
    model = Programme
    archive_service = services.archive_programme
    archive_argument = "programme"


# --- projects -------------------------------------------------------------------------------


class ProjectListView(ObjectListView):
    model = Project
    filterset_class = ProjectFilterSet
    columns = PROJECT_COLUMNS
    select_related = ("portfolio", "programme", "manager")
    default_ordering = ("code",)
    create_url_name = "portfolio:project_create"


class ProjectDetailView(ObjectDetailView):
    model = Project
    template_name = "portfolio/project_detail.html"
    select_related = ("portfolio", "programme", "manager", "sro")
    edit_url_name = "portfolio:project_edit"
    archive_url_name = "portfolio:project_archive"
    history_url_name = "portfolio:project_history"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(selectors.project_dependencies(self.request.user, self.object))
        context["objective_links"] = self.object.objective_links.select_related("objective")
        return context


class ProjectCreateView(ServiceFormView):
    form_class = ProjectForm
    title = "New project"
    success_message = "Project created."

    def get_initial(self):
        return {key: self.request.GET.get(key) for key in ("portfolio", "programme") if self.request.GET.get(key)}

    def perform(self, form):
        data = dict(form.cleaned_data)
        return services.create_project(
            actor=self.request.user, portfolio=data.pop("portfolio"), programme=data.pop("programme"), **data
        )


class ProjectEditView(ObjectEditView):
    model = Project
    form_class = ProjectForm
    title = "Edit project"

    def perform(self, form):
        return services.update_project(actor=self.request.user, project=self.object, changes=form.cleaned_data)


class ProjectArchiveView(ArchiveView):
    model = Project
    archive_service = services.archive_project
    archive_argument = "project"


class ProjectObjectivesView(ObjectEditView):
    """Choose the strategic objectives a project serves and how much it contributes to each."""

    model = Project
    template_name = "portfolio/project_objectives.html"
    title = "Objectives served"

    def get_form_class(self):
        return ObjectiveContributionFormSet

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        user = kwargs.pop("user")
        kwargs["form_kwargs"] = {"user": user}
        kwargs["initial"] = [
            {"objective": link.objective_id, "contribution_weight": link.contribution_weight}
            for link in self.object.objective_links.all()
        ]
        return kwargs

    def report_error(self, form, field, field_messages):
        self.extra_errors.extend(field_messages)

    def perform(self, formset):
        self.extra_errors = []
        contributions: dict[StrategicObjective, Decimal] = {}
        for form in formset.forms:
            data = form.cleaned_data
            if not data or data.get("DELETE") or not data.get("objective"):
                continue
            if data["objective"] in contributions:
                raise InvalidData({"__all__": [f"{data['objective']} is listed twice."]})
            contributions[data["objective"]] = data["contribution_weight"]
        return services.set_project_objectives(
            actor=self.request.user, project=self.object, contributions=contributions
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["extra_errors"] = getattr(self, "extra_errors", [])
        return context


# --- dependencies between projects ----------------------------------------------------------


class DependencyListView(ObjectListView):
    model = ProjectDependency
    filterset_class = ProjectDependencyFilterSet
    columns = DEPENDENCY_COLUMNS
    select_related = ("dependent", "provider")
    default_ordering = ("needed_by", "id")
    title = "Dependencies between projects"

    def may_create(self) -> bool:
        return False


class DependencyDetailView(ObjectDetailView):
    model = ProjectDependency
    template_name = "portfolio/dependency_detail.html"
    select_related = ("dependent", "provider")
    edit_url_name = "portfolio:dependency_edit"
    history_url_name = "portfolio:dependency_history"


class DependencyCreateView(ObjectEditView):
    """Record that this project needs another project's output (from the project's page)."""

    model = Project
    form_class = ProjectDependencyForm
    title = "New dependency"
    success_message = "Dependency recorded."

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        return kwargs

    def perform(self, form):
        return services.create_dependency(actor=self.request.user, dependent=self.object, **form.cleaned_data)


class DependencyEditView(ObjectEditView):
    model = ProjectDependency
    form_class = ProjectDependencyForm
    title = "Edit dependency"

    def perform(self, form):
        return services.update_dependency(actor=self.request.user, dependency=self.object, changes=form.cleaned_data)


class DependencyDeleteView(View):
    def post(self, request, pk):
        dependency = get_object_or_404(ProjectDependency.objects.visible_to(request.user), pk=pk)
        project = dependency.dependent
        try:
            services.delete_dependency(actor=request.user, dependency=dependency, reason=request.POST.get("reason", ""))
        except PermissionRefused as error:
            raise PermissionDenied(error.message) from None
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Dependency removed.")
        return redirect(project)
