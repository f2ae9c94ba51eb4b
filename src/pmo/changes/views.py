"""Pages of change control: the change register (with its Excel export), a change request with
its impact analysis and decision buttons, configuration items, quality reviews and approval
limits. Views parse the request and call services; reads go through ``visible_to``."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.generic import View

from pmo.changes import exports, selectors, services
from pmo.changes.filtersets import (
    ApprovalPolicyFilterSet,
    ChangeRequestFilterSet,
    ConfigurationItemFilterSet,
    QualityReviewFilterSet,
)
from pmo.changes.forms import (
    ApprovalPolicyEditForm,
    ApprovalPolicyForm,
    ChangeRequestForm,
    ConfigurationItemForm,
    QualityReviewForm,
    ReviewResultForm,
    TransitionForm,
)
from pmo.changes.models import ApprovalPolicy, ChangeRequest, ConfigurationItem, QualityReview
from pmo.changes.tables import CHANGE_COLUMNS, ITEM_COLUMNS, POLICY_COLUMNS, REVIEW_COLUMNS
from pmo.core.choices import Action
from pmo.core.errors import DomainError, NotFound, PermissionRefused
from pmo.core.views.generic import ObjectDetailView, ObjectEditView, ObjectListView, ServiceFormView
from pmo.portfolio.models import Project

# --- change requests ------------------------------------------------------------------------


class ChangeListView(ObjectListView):
    model = ChangeRequest
    filterset_class = ChangeRequestFilterSet
    columns = CHANGE_COLUMNS
    select_related = ("project",)
    default_ordering = ("project__code", "-number")
    title = "Change register"
    template_name = "changes/change_list.html"

    def may_create(self) -> bool:
        return False


class ChangeExportView(LoginRequiredMixin, View):
    """The register as filtered on its page, as an Excel workbook."""

    def get(self, request):
        rows, filterset = selectors.change_register(request.user, ChangeRequestFilterSet, request.GET)
        if rows is None:
            problems = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in filterset.errors.items())
            return HttpResponse(f"Invalid filter: {problems}", status=400, content_type="text/plain")
        response = HttpResponse(exports.change_register_workbook(rows), content_type=exports.XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = (
            f'attachment; filename="change-register-{timezone.localdate().isoformat()}.xlsx"'
        )
        return response


class ChangeDetailView(ObjectDetailView):
    model = ChangeRequest
    template_name = "changes/change_detail.html"
    select_related = ("project", "project__programme", "project__portfolio", "requested_by", "decided_by")
    edit_url_name = "changes:change_edit"
    history_url_name = "changes:change_history"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        change = self.object
        impact = services.change_impact(change)
        context.update(
            impact=impact,
            moved=[_moment_text(entry) for entry in impact["analysis"].get("moved", [])],
            may_decide=services.may_decide(self.request.user, change),
            activity_changes=change.activity_changes.select_related("activity", "predecessor"),
            items=change.configuration_items.all(),
            transition_form=TransitionForm(),
            is_editable=change.status in ("draft", "deferred"),
        )
        return context


def _moment_text(entry: dict) -> dict:
    """An analysed activity with its moments as people read them (``2026-03-02 08:00``)."""
    keys = ("start_before", "start_after", "finish_before", "finish_after")
    return {**entry, **{key: (entry.get(key) or "")[:16].replace("T", " ") for key in keys}}


class ChangeCreateView(ObjectEditView):
    """Raise a change request on a project (from the project's page)."""

    model = Project
    form_class = ChangeRequestForm
    template_name = "changes/change_form.html"
    title = "New change request"
    success_message = "Change request raised as a draft."

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        kwargs["project"] = self.object
        kwargs["initial"] = {
            "raised_on": timezone.localdate(),
            "requested_by": getattr(self.request.user, "person", None),
        }
        return kwargs

    def perform(self, form):
        data = dict(form.cleaned_data)
        items = data.pop("configuration_items")
        return services.create_change_request(
            actor=self.request.user,
            project=self.object,
            activity_changes=form.activity_changes() or [],
            configuration_items=items,
            **data,
        )


class ChangeEditView(ObjectEditView):
    model = ChangeRequest
    form_class = ChangeRequestForm
    template_name = "changes/change_form.html"
    title = "Edit change request"

    def perform(self, form):
        data = dict(form.cleaned_data)
        items = data.pop("configuration_items")
        return services.update_change_request(
            actor=self.request.user,
            change=self.object,
            changes=data,
            activity_changes=form.activity_changes(),
            configuration_items=items,
        )


TRANSITIONS = {
    "submit": (services.submit_change_request, "Submitted; the impact is analysed and the board told."),
    "analyse": (services.analyse_change_request, "Impact analysed again against the plan as it is now."),
    "approve": (services.approve_change_request, "Approved."),
    "reject": (services.reject_change_request, "Rejected."),
    "defer": (services.defer_change_request, "Deferred."),
    "withdraw": (services.withdraw_change_request, "Withdrawn."),
    "implement": (services.implement_change_request, "Implemented."),
}


class ChangeTransitionView(LoginRequiredMixin, View):
    """POST one step of the flow (submit, analyse, approve, reject, defer, withdraw, implement)."""

    def post(self, request, pk, transition):
        if transition not in TRANSITIONS:
            raise Http404("No such step.")
        change = get_object_or_404(ChangeRequest.objects.visible_to(request.user, Action.VIEW), pk=pk)
        form = TransitionForm(request.POST)
        if not form.is_valid():
            messages.error(request, "; ".join(" ".join(e) for e in form.errors.values()))
            return redirect(change)
        service, done = TRANSITIONS[transition]
        extra = {}
        if transition == "approve":
            extra = {"implement": form.cleaned_data["implement"], "rebaseline": form.cleaned_data["rebaseline"]}
        elif transition == "implement":
            extra = {"apply_to_plan": form.cleaned_data["implement"], "rebaseline": form.cleaned_data["rebaseline"]}
        try:
            service(actor=request.user, change=change, reason=form.cleaned_data["reason"], **extra)
        except NotFound as error:
            raise Http404(error.message) from None
        except (PermissionRefused, DomainError) as error:
            messages.error(request, error.message)
        else:
            messages.success(request, done)
        return redirect(change)


# --- configuration items --------------------------------------------------------------------


class ItemListView(ObjectListView):
    model = ConfigurationItem
    filterset_class = ConfigurationItemFilterSet
    columns = ITEM_COLUMNS
    select_related = ("project", "owner")
    default_ordering = ("project__code", "identifier")
    title = "Configuration items"

    def may_create(self) -> bool:
        return False


class ItemDetailView(ObjectDetailView):
    model = ConfigurationItem
    template_name = "changes/item_detail.html"
    select_related = ("project", "owner")
    edit_url_name = "changes:item_edit"
    history_url_name = "changes:item_history"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            versions=self.object.versions.select_related("recorded_by", "change_request"),
            changes=selectors.item_changes(user, self.object),
            reviews=selectors.item_reviews(user, self.object),
        )
        return context


class ItemCreateView(ObjectEditView):
    model = Project
    form_class = ConfigurationItemForm
    title = "New configuration item"
    success_message = "Configuration item recorded."

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        return kwargs

    def perform(self, form):
        return services.create_configuration_item(actor=self.request.user, project=self.object, **form.cleaned_data)


class ItemEditView(ObjectEditView):
    model = ConfigurationItem
    form_class = ConfigurationItemForm
    title = "Edit configuration item"

    def perform(self, form):
        return services.update_configuration_item(actor=self.request.user, item=self.object, changes=form.cleaned_data)


# --- quality reviews ------------------------------------------------------------------------


class ReviewListView(ObjectListView):
    model = QualityReview
    filterset_class = QualityReviewFilterSet
    columns = REVIEW_COLUMNS
    select_related = ("project", "configuration_item")
    default_ordering = ("-planned_on", "id")
    title = "Quality reviews"

    def may_create(self) -> bool:
        return False


class ReviewDetailView(ObjectDetailView):
    model = QualityReview
    template_name = "changes/review_detail.html"
    select_related = ("project", "configuration_item")
    edit_url_name = "changes:review_edit"
    history_url_name = "changes:review_history"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            criteria=self.object.criteria.all(),
            reviewers=self.object.reviewers.all(),
            actions=selectors.review_actions(self.request.user, self.object),
        )
        return context


class ReviewCreateView(ObjectEditView):
    model = Project
    form_class = QualityReviewForm
    title = "New quality review"
    success_message = "Quality review planned."

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        kwargs["project"] = self.object
        return kwargs

    def perform(self, form):
        data = dict(form.cleaned_data)
        data.pop("criteria_text")
        return services.create_quality_review(
            actor=self.request.user,
            project=self.object,
            reviewers=data.pop("reviewers"),
            criteria=form.criteria(),
            **data,
        )


class ReviewEditView(ObjectEditView):
    model = QualityReview
    form_class = QualityReviewForm
    title = "Edit quality review"

    def perform(self, form):
        data = dict(form.cleaned_data)
        data.pop("criteria_text")
        return services.update_quality_review(
            actor=self.request.user,
            review=self.object,
            changes=data,
            reviewers=data.pop("reviewers"),
            criteria=form.criteria(),
        )


class ReviewResultView(ObjectEditView):
    model = QualityReview
    form_class = ReviewResultForm
    title = "Record the review's result"
    success_message = "Result recorded."

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        kwargs.pop("user", None)
        kwargs["review"] = self.object
        kwargs.setdefault("initial", {})
        kwargs["initial"] = {"held_on": self.object.held_on or timezone.localdate(), "summary": self.object.summary}
        return kwargs

    def perform(self, form):
        return services.record_review_result(
            actor=self.request.user,
            review=self.object,
            result=form.cleaned_data["result"],
            held_on=form.cleaned_data["held_on"],
            summary=form.cleaned_data["summary"],
            outcomes=form.outcomes(),
            actions=form.actions(),
        )


# --- approval limits ------------------------------------------------------------------------


class PolicyListView(ObjectListView):
    model = ApprovalPolicy
    filterset_class = ApprovalPolicyFilterSet
    columns = POLICY_COLUMNS
    select_related = ("programme", "project")
    default_ordering = ("project__code", "programme__code", "id")
    title = "Change approval limits"
    create_url_name = "changes:policy_create"


class PolicyDetailView(ObjectDetailView):
    model = ApprovalPolicy
    template_name = "changes/policy_detail.html"
    select_related = ("programme", "project")
    edit_url_name = "changes:policy_edit"
    history_url_name = "changes:policy_history"


class PolicyCreateView(ServiceFormView):
    form_class = ApprovalPolicyForm
    title = "New approval limits"
    success_message = "Approval limits recorded."

    def perform(self, form):
        return services.create_policy(actor=self.request.user, **form.cleaned_data)


class PolicyEditView(ObjectEditView):
    model = ApprovalPolicy
    form_class = ApprovalPolicyEditForm
    title = "Edit approval limits"

    def perform(self, form):
        return services.update_policy(actor=self.request.user, policy=self.object, changes=form.cleaned_data)
