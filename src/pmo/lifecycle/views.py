"""Pages of the lifecycle: the PMO charter, terms of reference, the standards library, the gate
criteria, and each project's gates (reviews, evidence, decisions, and the move they allow)."""

from abc import ABCMeta, abstractmethod

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import TemplateView, View

from pmo.core.choices import Action
from pmo.core.errors import DomainError, InvalidData, NotFound, PermissionRefused
from pmo.core.permissions import grants_for
from pmo.core.views.generic import ArchiveView, ObjectDetailView, ObjectEditView, ObjectListView, ServiceFormView
from pmo.lifecycle import services
from pmo.lifecycle.filtersets import (
    GateCriterionFilterSet,
    GateReviewFilterSet,
    PMOCharterFilterSet,
    StandardFilterSet,
    TermsOfReferenceFilterSet,
)
from pmo.lifecycle.forms import (
    DecisionForm,
    EvidenceForm,
    GateCriterionForm,
    PMOCharterForm,
    StandardForm,
    StopProjectForm,
    TermsOfReferenceForm,
)
from pmo.lifecycle.models import GateCheckItem, GateCriterion, GateReview, PMOCharter, Standard, TermsOfReference
from pmo.lifecycle.services import overview
from pmo.lifecycle.services.common import is_pmo_head
from pmo.lifecycle.services.gates import EVIDENCE_FIELDS
from pmo.lifecycle.tables import (
    CHARTER_COLUMNS,
    CRITERION_COLUMNS,
    REVIEW_COLUMNS,
    STANDARD_COLUMNS,
    TERMS_COLUMNS,
)
from pmo.portfolio import services as portfolio_services
from pmo.portfolio.models import Project


def _visible_project(user, pk, action: str = Action.VIEW) -> Project:
    return get_object_or_404(Project.objects.visible_to(user, action), pk=pk)


def _may(user, obj, action: str) -> bool:
    return type(obj).objects.visible_to(user, action).filter(pk=obj.pk).exists()


class ServiceActionView(LoginRequiredMixin, View, metaclass=ABCMeta):
    """A POST that calls one service on one visible object and goes back to a page, with the
    service's refusal as a message (403 when the user may not, 404 when they cannot see). Each
    page's view says which service in :meth:`act`."""

    model = None
    success_message = "Done."

    @abstractmethod
    def act(self, obj):
        """Call the service on ``obj``; what it returns (or ``obj``) gives the page to go back to."""

    def done_url(self, obj, result) -> str:
        return (result or obj).get_absolute_url()

    def post(self, request, pk):
        obj = get_object_or_404(self.model.objects.visible_to(request.user, Action.VIEW), pk=pk)
        try:
            result = self.act(obj)
        except PermissionRefused as error:
            raise PermissionDenied(error.message) from None
        except NotFound as error:
            raise Http404(error.message) from None
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(self.done_url(obj, None))
        messages.success(request, self.success_message)
        return redirect(self.done_url(obj, result))


# --- the PMO charter ------------------------------------------------------------------------


class CharterView(LoginRequiredMixin, TemplateView):
    """The charter in force, the draft being written, and the history of versions."""

    template_name = "lifecycle/charter.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(overview.charter_overview(user))
        context.update(
            pmo_model=services.current_pmo_model(),
            can_change=grants_for(user).allows_everywhere(Action.CHANGE),
            can_publish=is_pmo_head(user),
        )
        return context


class CharterListView(ObjectListView):
    model = PMOCharter
    filterset_class = PMOCharterFilterSet
    columns = CHARTER_COLUMNS
    default_ordering = ("-version",)
    title = "PMO charter: versions"

    def may_create(self) -> bool:
        return False


class CharterDetailView(ObjectDetailView):
    model = PMOCharter
    template_name = "lifecycle/charter_detail.html"
    select_related = ("published_by",)
    edit_url_name = "lifecycle:charter_edit"
    history_url_name = "lifecycle:charter_history"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_change"] = context["can_change"] and self.object.is_draft
        context["can_publish"] = self.object.is_draft and is_pmo_head(self.request.user)
        return context


class CharterEditView(ObjectEditView):
    model = PMOCharter
    form_class = PMOCharterForm
    title = "Edit the charter draft"

    def perform(self, form):
        return services.update_charter(actor=self.request.user, charter=self.object, changes=form.cleaned_data)


class CharterNewDraftView(LoginRequiredMixin, View):
    def post(self, request):
        try:
            draft = services.start_charter_draft(actor=request.user)
        except PermissionRefused as error:
            raise PermissionDenied(error.message) from None
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("lifecycle:charter")
        messages.success(request, f"Version {draft.version} started as a copy of the last one.")
        return redirect("lifecycle:charter_edit", draft.pk)


class CharterPublishView(ServiceActionView):
    model = PMOCharter
    success_message = "Published: this version of the charter is now in force."

    def act(self, charter):
        return services.publish_charter(actor=self.request.user, charter=charter)


# --- terms of reference ---------------------------------------------------------------------


class TermsListView(ObjectListView):
    model = TermsOfReference
    filterset_class = TermsOfReferenceFilterSet
    columns = TERMS_COLUMNS
    select_related = ("project",)
    default_ordering = ("project__code", "-version")
    title = "Terms of reference"

    def may_create(self) -> bool:
        return False


class TermsDetailView(ObjectDetailView):
    model = TermsOfReference
    template_name = "lifecycle/terms_detail.html"
    select_related = ("project", "published_by")
    edit_url_name = "lifecycle:terms_edit"
    history_url_name = "lifecycle:terms_history"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_change"] = context["can_change"] and self.object.is_draft
        context["versions"] = overview.project_terms(self.request.user, self.object.project)
        return context


class TermsEditView(ObjectEditView):
    model = TermsOfReference
    form_class = TermsOfReferenceForm
    title = "Edit the terms of reference"

    def perform(self, form):
        return services.update_terms(actor=self.request.user, terms=self.object, changes=form.cleaned_data)


class TermsPublishView(ServiceActionView):
    model = TermsOfReference
    success_message = "Published: this version is now frozen."

    def act(self, terms):
        return services.publish_terms(actor=self.request.user, terms=terms)


class ProjectTermsView(LoginRequiredMixin, TemplateView):
    """A project's terms of reference: the latest version, or the way to start the first."""

    template_name = "lifecycle/project_terms.html"

    def get(self, request, *args, **kwargs):
        project = _visible_project(request.user, kwargs["pk"])
        versions = overview.project_terms(request.user, project)
        if versions:
            return redirect(versions[0])
        return render(
            request,
            self.template_name,
            {"project": project, "can_change": _may(request.user, project, Action.CHANGE)},
        )


class ProjectTermsNewDraftView(ServiceActionView):
    model = Project
    success_message = "Draft started."

    def act(self, project):
        return services.start_terms_draft(actor=self.request.user, project=project)

    def done_url(self, project, result) -> str:
        if result is None:
            return reverse("lifecycle:project_terms", args=[project.pk])
        return reverse("lifecycle:terms_edit", args=[result.pk])


# --- standards ------------------------------------------------------------------------------


class StandardListView(ObjectListView):
    model = Standard
    filterset_class = StandardFilterSet
    columns = STANDARD_COLUMNS
    default_ordering = ("title",)
    title = "Standards library"
    create_url_name = "lifecycle:standard_create"

    def may_create(self) -> bool:
        return grants_for(self.request.user).allows_everywhere(Action.CREATE)


class StandardDetailView(ObjectDetailView):
    model = Standard
    template_name = "lifecycle/standard_detail.html"
    edit_url_name = "lifecycle:standard_edit"
    history_url_name = "lifecycle:standard_history"


class StandardCreateView(ServiceFormView):
    form_class = StandardForm
    title = "New standard"
    success_message = "Standard saved as a draft."

    def perform(self, form):
        return services.create_standard(actor=self.request.user, **form.cleaned_data)


class StandardEditView(ObjectEditView):
    model = Standard
    form_class = StandardForm
    title = "Edit standard"

    def perform(self, form):
        return services.update_standard(actor=self.request.user, standard=self.object, changes=form.cleaned_data)


class StandardPublishView(ServiceActionView):
    model = Standard
    success_message = "Published."

    def act(self, standard):
        return services.publish_standard(actor=self.request.user, standard=standard)


class StandardRetireView(ServiceActionView):
    model = Standard
    success_message = "Retired."

    def act(self, standard):
        return services.retire_standard(actor=self.request.user, standard=standard)


# --- gate criteria --------------------------------------------------------------------------


class CriterionListView(ObjectListView):
    model = GateCriterion
    filterset_class = GateCriterionFilterSet
    columns = CRITERION_COLUMNS
    default_ordering = ("stage", "order", "id")
    title = "Gate criteria"
    create_url_name = "lifecycle:criterion_create"

    def may_create(self) -> bool:
        return grants_for(self.request.user).allows_everywhere(Action.CREATE)


class CriterionDetailView(ObjectDetailView):
    model = GateCriterion
    template_name = "lifecycle/criterion_detail.html"
    edit_url_name = "lifecycle:criterion_edit"
    archive_url_name = "lifecycle:criterion_archive"
    history_url_name = "lifecycle:criterion_history"


class CriterionCreateView(ServiceFormView):
    form_class = GateCriterionForm
    title = "New gate criterion"
    success_message = "Criterion added: reviews opened from now on include it."

    def get_initial(self):
        return {"stage": self.request.GET.get("stage")}

    def perform(self, form):
        return services.create_criterion(actor=self.request.user, **form.cleaned_data)


class CriterionEditView(ObjectEditView):
    model = GateCriterion
    form_class = GateCriterionForm
    title = "Edit gate criterion"

    def perform(self, form):
        return services.update_criterion(actor=self.request.user, criterion=self.object, changes=form.cleaned_data)


class CriterionArchiveView(ArchiveView):
    model = GateCriterion
    archive_service = services.archive_criterion
    archive_argument = "criterion"


# --- gates of a project ---------------------------------------------------------------------


class ProjectGatesView(LoginRequiredMixin, TemplateView):
    """A project's gates: what the next move needs, the reviews so far, open a review, and (for
    the PMO head of a directive PMO) stop the project."""

    template_name = "lifecycle/project_gates.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        project = _visible_project(user, kwargs["pk"])
        context.update(overview.project_gates(user, project))
        context.update(
            project=project,
            can_change=_may(user, project, Action.CHANGE),
            can_stop=is_pmo_head(user) and context["gate"].pmo_model == "directive",
            stop_form=StopProjectForm(),
            next_url=self.next_url(project),
        )
        return context

    def next_url(self, project) -> str:
        """Where a move from the panel comes back to."""
        return self.request.path


class ProjectMoveView(LoginRequiredMixin, View):
    """Move a project to another stage through the portfolio's service, which asks the gate."""

    def post(self, request, pk):
        project = _visible_project(request.user, pk)
        stage = request.POST.get("stage", "")
        try:
            project = portfolio_services.move_project_stage(
                actor=request.user, project=project, stage=stage, reason=request.POST.get("reason", "")
            )
        except PermissionRefused as error:
            raise PermissionDenied(error.message) from None
        except InvalidData as error:
            messages.error(request, " ".join(message for values in error.errors.values() for message in values))
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{project.code} moved to {project.get_stage_display()}.")
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = project.get_absolute_url()
        return redirect(back)


class ReviewOpenView(ServiceActionView):
    model = Project
    success_message = "Review opened: its approvers have been told."

    def act(self, project):
        return services.open_review(
            actor=self.request.user, project=project, to_stage=self.request.POST.get("to_stage") or None
        )

    def done_url(self, project, result) -> str:
        return result.get_absolute_url() if result else reverse("lifecycle:project_gates", args=[project.pk])


class ProjectStopView(ServiceActionView):
    model = Project
    success_message = "The project is stopped."

    def act(self, project):
        form = StopProjectForm(self.request.POST)
        reason = form.data.get("reason", "")
        return services.stop_project(actor=self.request.user, project=project, reason=reason)

    def done_url(self, project, result) -> str:
        return reverse("lifecycle:project_gates", args=[project.pk])


class ReviewListView(ObjectListView):
    model = GateReview
    filterset_class = GateReviewFilterSet
    columns = REVIEW_COLUMNS
    select_related = ("project",)
    default_ordering = ("-created_at", "-id")
    title = "Gate reviews"

    def may_create(self) -> bool:
        return False


class ReviewDetailView(ObjectDetailView):
    model = GateReview
    template_name = "lifecycle/review_detail.html"
    select_related = ("project", "opened_by")
    history_url_name = "lifecycle:review_history"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        parts = overview.review_overview(self.request.user, self.object)
        context.update(parts)
        context["decision_form"] = DecisionForm(roles=parts["my_roles"])
        context["gate"] = services.gate_state(self.object.project, self.object.to_stage)
        return context


class ReviewDecideView(LoginRequiredMixin, View):
    def post(self, request, pk):
        review = get_object_or_404(GateReview.objects.visible_to(request.user, Action.VIEW), pk=pk)
        form = DecisionForm(request.POST, roles=services.required_roles(review))
        if not form.is_valid():
            messages.error(request, "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
            return redirect(review)
        data = form.cleaned_data
        try:
            services.decide(
                actor=request.user,
                review=review,
                decision=data["decision"],
                role=data["role"],
                comment=data["comment"],
                conditions=data["conditions"],
            )
        except PermissionRefused as error:
            raise PermissionDenied(error.message) from None
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Decision recorded and logged.")
        return redirect(review)


class EvidenceEditView(ObjectEditView):
    model = GateCheckItem
    form_class = EvidenceForm
    template_name = "lifecycle/evidence_form.html"
    title = "Evidence"
    success_message = "Evidence recorded."

    def perform(self, form):
        data = form.cleaned_data
        changes = {name: data[name] for name in EVIDENCE_FIELDS}
        return services.record_evidence(
            actor=self.request.user, item=self.object, changes=changes, document=data.get("document")
        )


class EvidenceDocumentView(LoginRequiredMixin, View):
    """The stored document of one criterion, for whoever can see the review."""

    def get(self, request, pk):
        item = get_object_or_404(GateCheckItem.objects.visible_to(request.user, Action.VIEW), pk=pk)
        if not item.evidence_document or not default_storage.exists(item.evidence_document):
            raise Http404("No document is stored for this criterion.")
        return FileResponse(
            default_storage.open(item.evidence_document, "rb"), as_attachment=True, filename=item.document_name
        )
