"""Pages: resources (with the skills they hold, their rates and absences), skills, and the
resources of a project (assignments to its activities and allocations by period)."""

from abc import ABC, abstractmethod

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.views.generic import TemplateView, View

from pmo.core.choices import Action
from pmo.core.errors import DomainError, NotFound, PermissionRefused
from pmo.core.permissions import grants_for
from pmo.core.views.generic import (
    ArchiveView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    ServiceFormView,
)
from pmo.core.views.organisation import OrganisationCreateMixin
from pmo.portfolio.models import Project
from pmo.resourcing.filtersets.resources import ResourceFilterSet, SkillFilterSet
from pmo.resourcing.forms.resources import (
    AbsenceForm,
    AllocationEditForm,
    AllocationForm,
    AssignmentEditForm,
    AssignmentForm,
    HeldSkillForm,
    RateForm,
    ResourceForm,
    SkillForm,
)
from pmo.resourcing.imports import may_import
from pmo.resourcing.models import (
    Absence,
    Allocation,
    Assignment,
    Resource,
    ResourceRate,
    ResourceSkill,
    Skill,
)
from pmo.resourcing.selectors.training import training_for
from pmo.resourcing.services import resources as services
from pmo.resourcing.tables.resources import RESOURCE_COLUMNS, SKILL_COLUMNS


def _refusal_to_http(error: DomainError):
    if isinstance(error, PermissionRefused):
        raise PermissionDenied(error.message) from None
    if isinstance(error, NotFound):
        raise Http404(error.message) from None


class ServicePostView(LoginRequiredMixin, View, ABC):
    """A small POST form on a detail page: validate, call ``perform``, and return to the page with
    a message; on an error the message names the problem and nothing is stored."""

    form_class = None
    success_message = "Saved."

    @abstractmethod
    def target(self) -> str:
        """The page to return to (a URL)."""

    @abstractmethod
    def perform(self, form) -> None:
        """Call the service with the validated ``form`` (None when the view takes no form)."""

    def post(self, request, **kwargs):
        self.kwargs = kwargs
        target = self.target()
        form = self.form_class(request.POST, user=request.user) if self.form_class else None
        if form is not None and not form.is_valid():
            problems = "; ".join(
                f"{form.fields[name].label if name in form.fields else 'Form'}: {' '.join(errors)}"
                for name, errors in form.errors.items()
            )
            messages.error(request, f"Not saved. {problems}")
            return redirect(target)
        try:
            self.perform(form)
        except DomainError as error:
            _refusal_to_http(error)
            messages.error(request, f"Not saved. {error.message}")
            return redirect(target)
        messages.success(request, self.success_message)
        return redirect(target)


# --- resources ------------------------------------------------------------------------------


class ResourceListView(OrganisationCreateMixin, ObjectListView):
    template_name = "resourcing/resource_list.html"
    model = Resource
    filterset_class = ResourceFilterSet
    columns = RESOURCE_COLUMNS
    select_related = ("unit",)
    default_ordering = ("name", "pk")
    title = "Resources"
    create_url_name = "resourcing:resource_create"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "may_import": may_import(self.request.user)}


class ResourceDetailView(ObjectDetailView):
    model = Resource
    template_name = "resourcing/resource_detail.html"
    select_related = ("unit", "person", "calendar", "role_skill")
    edit_url_name = "resourcing:resource_edit"
    archive_url_name = "resourcing:resource_archive"
    history_url_name = "resourcing:resource_history"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        resource, user = self.object, self.request.user
        context.update(
            held_skills=resource.skills.select_related("skill"),
            rates=resource.rates.order_by("-effective_from"),
            absences=resource.absences.order_by("-start")[:50],
            assignments=Assignment.objects.visible_to(user)
            .filter(resource=resource)
            .select_related("project", "activity", "required_skill")
            .order_by("activity__start", "pk")[:200],
            allocations=Allocation.objects.visible_to(user)
            .filter(resource=resource)
            .select_related("project", "required_skill")
            .order_by("period_start", "pk")[:200],
            training=training_for(user, resource),
            can_plan_training=grants_for(user).allows_everywhere(Action.CHANGE),
            skill_form=HeldSkillForm(user=user),
            rate_form=RateForm(user=user),
            absence_form=AbsenceForm(user=user),
        )
        return context


class ResourceCreateView(ServiceFormView):
    form_class = ResourceForm
    title = "New resource"
    success_message = "Resource added."

    def perform(self, form):
        data = dict(form.cleaned_data)
        return services.create_resource(
            actor=self.request.user, kind=data.pop("kind"), person=data.pop("person"), name=data.pop("name"), **data
        )


class ResourceEditView(ObjectEditView):
    model = Resource
    form_class = ResourceForm
    title = "Edit resource"

    def perform(self, form):
        changes = dict(form.cleaned_data)
        if not changes.get("name"):
            changes["name"] = self.object.person.full_name if self.object.person_id else self.object.name
        return services.update_resource(actor=self.request.user, resource=self.object, changes=changes)


class ResourceArchiveView(ArchiveView):
    model = Resource
    archive_service = services.archive_resource
    archive_argument = "resource"


class _ResourcePart(ServicePostView):
    def resource(self) -> Resource:
        return get_object_or_404(Resource.objects.visible_to(self.request.user), pk=self.kwargs["pk"])

    def target(self):
        return reverse("resourcing:resource_detail", args=[self.kwargs["pk"]])


class HeldSkillSetView(_ResourcePart):
    form_class = HeldSkillForm
    success_message = "Skill recorded."

    def perform(self, form):
        services.set_skill(actor=self.request.user, resource=self.resource(), **form.cleaned_data)


class HeldSkillRemoveView(_ResourcePart):
    success_message = "Skill removed."

    def perform(self, form):
        held = get_object_or_404(ResourceSkill.objects.filter(resource_id=self.kwargs["pk"]), pk=self.kwargs["held"])
        self.resource()
        services.remove_skill(actor=self.request.user, held=held)


class RateAddView(_ResourcePart):
    form_class = RateForm
    success_message = "Rate added."

    def perform(self, form):
        services.add_rate(actor=self.request.user, resource=self.resource(), **form.cleaned_data)


class RateRemoveView(_ResourcePart):
    success_message = "Rate removed."

    def perform(self, form):
        self.resource()
        rate = get_object_or_404(ResourceRate.objects.filter(resource_id=self.kwargs["pk"]), pk=self.kwargs["rate"])
        services.remove_rate(actor=self.request.user, rate=rate)


class AbsenceAddView(_ResourcePart):
    form_class = AbsenceForm
    success_message = "Absence recorded."

    def perform(self, form):
        services.add_absence(actor=self.request.user, resource=self.resource(), **form.cleaned_data)


class AbsenceRemoveView(_ResourcePart):
    success_message = "Absence removed."

    def perform(self, form):
        self.resource()
        absence = get_object_or_404(Absence.objects.filter(resource_id=self.kwargs["pk"]), pk=self.kwargs["absence"])
        services.remove_absence(actor=self.request.user, absence=absence)


# --- skills ---------------------------------------------------------------------------------


class SkillListView(OrganisationCreateMixin, ObjectListView):
    model = Skill
    filterset_class = SkillFilterSet
    columns = SKILL_COLUMNS
    default_ordering = ("name",)
    title = "Skills"
    create_url_name = "resourcing:skill_create"

    def base_queryset(self):
        return (
            super()
            .base_queryset()
            .annotate(holder_count=Count("holders", filter=Q(holders__resource__is_archived=False)))
        )


class SkillDetailView(ObjectDetailView):
    model = Skill
    template_name = "resourcing/skill_detail.html"
    edit_url_name = "resourcing:skill_edit"
    archive_url_name = "resourcing:skill_archive"
    history_url_name = "resourcing:skill_history"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["holders"] = (
            self.object.holders.filter(resource__is_archived=False)
            .select_related("resource__unit")
            .order_by("-level", "resource__name")
        )
        context["roles"] = self.object.roles.filter(is_archived=False)
        return context


class SkillCreateView(ServiceFormView):
    form_class = SkillForm
    title = "New skill"
    success_message = "Skill added."

    def perform(self, form):
        return services.create_skill(actor=self.request.user, **form.cleaned_data)


class SkillEditView(ObjectEditView):
    model = Skill
    form_class = SkillForm
    title = "Edit skill"

    def perform(self, form):
        return services.update_skill(actor=self.request.user, skill=self.object, changes=form.cleaned_data)


class SkillArchiveView(ArchiveView):
    model = Skill
    archive_service = services.archive_skill
    archive_argument = "skill"


# --- the resources of a project -------------------------------------------------------------


def _visible_project(user, pk) -> Project:
    return get_object_or_404(Project.objects.visible_to(user, Action.VIEW), pk=pk)


class ProjectResourcesView(LoginRequiredMixin, TemplateView):
    """Who works on a project: assignments to its activities and allocations by period, with
    forms to add them for those who may change the project."""

    template_name = "resourcing/project_resources.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        project = _visible_project(user, kwargs["pk"])
        can_change = Project.objects.visible_to(user, Action.CHANGE).filter(pk=project.pk).exists()
        assignments = (
            Assignment.objects.visible_to(user)
            .filter(project=project)
            .select_related("activity", "resource", "required_skill")
            .order_by("activity__position", "resource__name", "pk")
        )
        allocations = (
            Allocation.objects.visible_to(user)
            .filter(project=project)
            .select_related("resource", "required_skill")
            .order_by("resource__name", "period_start", "pk")
        )
        context.update(
            project=project,
            can_change=can_change,
            assignments=assignments,
            allocations=allocations,
            assignment_form=AssignmentForm(user=user, project=project) if can_change else None,
            allocation_form=AllocationForm(user=user) if can_change else None,
        )
        return context


class AssignmentCreateView(ServicePostView):
    success_message = "Assigned."

    def target(self):
        return reverse("resourcing:project_resources", args=[self.kwargs["pk"]])

    def post(self, request, **kwargs):
        self.project = _visible_project(request.user, kwargs["pk"])
        return super().post(request, **kwargs)

    @property
    def form_class(self):
        project = self.project

        def build(*args, **kwargs):
            return AssignmentForm(*args, project=project, **kwargs)

        return build

    def perform(self, form):
        data = dict(form.cleaned_data)
        services.create_assignment(actor=self.request.user, **data)


class AssignmentEditView(ObjectEditView):
    model = Assignment
    form_class = AssignmentEditForm
    title = "Edit assignment"

    def get_success_url(self):
        return reverse("resourcing:project_resources", args=[self.object.project_id])

    def perform(self, form):
        services.update_assignment(actor=self.request.user, assignment=self.object, changes=form.cleaned_data)
        return self.get_success_url()  # redirect() takes a URL as well as an object

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = self.get_success_url()
        return context


class AssignmentDeleteView(ServicePostView):
    success_message = "Assignment removed."

    def target(self):
        return reverse("resourcing:project_resources", args=[self.assignment.project_id])

    def post(self, request, **kwargs):
        self.assignment = get_object_or_404(Assignment.objects.visible_to(request.user), pk=kwargs["pk"])
        return super().post(request, **kwargs)

    def perform(self, form):
        services.delete_assignment(actor=self.request.user, assignment=self.assignment)


class AllocationCreateView(ServicePostView):
    form_class = AllocationForm
    success_message = "Allocation added."

    def target(self):
        return reverse("resourcing:project_resources", args=[self.kwargs["pk"]])

    def perform(self, form):
        project = _visible_project(self.request.user, self.kwargs["pk"])
        services.create_allocation(actor=self.request.user, project=project, **form.cleaned_data)


class AllocationEditView(ObjectEditView):
    model = Allocation
    form_class = AllocationEditForm
    title = "Edit allocation"

    def get_success_url(self):
        return reverse("resourcing:project_resources", args=[self.object.project_id])

    def perform(self, form):
        services.update_allocation(actor=self.request.user, allocation=self.object, changes=form.cleaned_data)
        return self.get_success_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = self.get_success_url()
        return context


class AllocationDeleteView(ServicePostView):
    success_message = "Allocation removed."

    def target(self):
        return reverse("resourcing:project_resources", args=[self.allocation.project_id])

    def post(self, request, **kwargs):
        self.allocation = get_object_or_404(Allocation.objects.visible_to(request.user), pk=kwargs["pk"])
        return super().post(request, **kwargs)

    def perform(self, form):
        services.delete_allocation(actor=self.request.user, allocation=self.allocation)


urlpatterns = [
    path("resources/", ResourceListView.as_view(), name="resource_list"),
    path("resources/new/", ResourceCreateView.as_view(), name="resource_create"),
    path("resources/<int:pk>/", ResourceDetailView.as_view(), name="resource_detail"),
    path("resources/<int:pk>/edit/", ResourceEditView.as_view(), name="resource_edit"),
    path("resources/<int:pk>/archive/", ResourceArchiveView.as_view(), name="resource_archive"),
    path("resources/<int:pk>/history/", ObjectHistoryView.as_view(model=Resource), name="resource_history"),
    path("resources/<int:pk>/skills/", HeldSkillSetView.as_view(), name="resource_skill_set"),
    path("resources/<int:pk>/skills/<int:held>/remove/", HeldSkillRemoveView.as_view(), name="resource_skill_remove"),
    path("resources/<int:pk>/rates/", RateAddView.as_view(), name="resource_rate_add"),
    path("resources/<int:pk>/rates/<int:rate>/remove/", RateRemoveView.as_view(), name="resource_rate_remove"),
    path("resources/<int:pk>/absences/", AbsenceAddView.as_view(), name="resource_absence_add"),
    path(
        "resources/<int:pk>/absences/<int:absence>/remove/",
        AbsenceRemoveView.as_view(),
        name="resource_absence_remove",
    ),
    path("skills/", SkillListView.as_view(), name="skill_list"),
    path("skills/new/", SkillCreateView.as_view(), name="skill_create"),
    path("skills/<int:pk>/", SkillDetailView.as_view(), name="skill_detail"),
    path("skills/<int:pk>/edit/", SkillEditView.as_view(), name="skill_edit"),
    path("skills/<int:pk>/archive/", SkillArchiveView.as_view(), name="skill_archive"),
    path("skills/<int:pk>/history/", ObjectHistoryView.as_view(model=Skill), name="skill_history"),
    path("projects/<int:pk>/resources/", ProjectResourcesView.as_view(), name="project_resources"),
    path("projects/<int:pk>/resources/assign/", AssignmentCreateView.as_view(), name="assignment_create"),
    path("projects/<int:pk>/resources/allocate/", AllocationCreateView.as_view(), name="allocation_create"),
    path("assignments/<int:pk>/edit/", AssignmentEditView.as_view(), name="assignment_edit"),
    path("assignments/<int:pk>/delete/", AssignmentDeleteView.as_view(), name="assignment_delete"),
    path("allocations/<int:pk>/edit/", AllocationEditView.as_view(), name="allocation_edit"),
    path("allocations/<int:pk>/delete/", AllocationDeleteView.as_view(), name="allocation_delete"),
]
