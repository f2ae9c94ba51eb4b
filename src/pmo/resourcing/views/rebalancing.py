"""Pages: rebalancing. Ask the optimiser for moves that take work off overloaded people, read
each move's explanation, and accept or reject it."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.views.generic import FormView, TemplateView, View

from pmo.core.choices import Action
from pmo.core.errors import DomainError, InvalidData, NotFound, PermissionRefused
from pmo.portfolio.models import Project
from pmo.resourcing.choices import ProposalStatus
from pmo.resourcing.forms.rebalancing import DecisionForm, RebalanceForm
from pmo.resourcing.models import RebalanceProposal, RebalanceRun
from pmo.resourcing.selectors.rebalancing import plan_rebalancing
from pmo.resourcing.services import rebalancing as services


class RebalanceView(LoginRequiredMixin, FormView):
    """The form, and the runs the user may read (newest first)."""

    template_name = "resourcing/rebalance.html"
    form_class = RebalanceForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["runs"] = (
            RebalanceRun.objects.visible_to(self.request.user)
            .select_related("requested_by", "unit")
            .annotate(
                proposal_count=Count("proposals"),
                open_count=Count("proposals", filter=Q(proposals__status=ProposalStatus.OPEN)),
            )[:20]
        )
        context["may_rebalance"] = services.may_rebalance(self.request.user)
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        user = self.request.user
        try:
            computed = plan_rebalancing(
                user,
                start=data["start"],
                weeks=data["weeks"],
                unit=data["unit"],
                overload_threshold=data["threshold"] / 100,
                max_seconds=data["max_seconds"],
            )
            plan = computed.plan
            run = services.record_run(
                actor=user,
                start=computed.start,
                weeks=computed.weeks,
                unit=computed.unit,
                overload_threshold=computed.overload_threshold,
                status=plan.status,
                is_optimal=plan.is_optimal,
                movable_items=plan.movable_item_count,
                overload_before_hours=plan.overload_before_hours,
                overload_after_hours=plan.overload_after_hours,
                seconds=plan.seconds,
                moves=computed.moves,
            )
        except PermissionRefused as error:
            raise PermissionDenied(error.message) from None
        except InvalidData as error:
            for field, problems in error.errors.items():
                form.add_error(field if field in form.fields else None, problems)
            return self.form_invalid(form)
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, f"{len(computed.moves)} move(s) proposed.")
        return redirect(run)


class RunView(LoginRequiredMixin, TemplateView):
    template_name = "resourcing/rebalance_run.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        run = get_object_or_404(
            RebalanceRun.objects.visible_to(user).select_related("unit", "requested_by"), pk=kwargs["pk"]
        )
        proposals = (
            RebalanceProposal.objects.visible_to(user)
            .filter(run=run)
            .select_related("project", "assignment__activity", "from_resource", "to_resource", "decided_by")
        )
        changeable = set(
            Project.objects.visible_to(user, Action.CHANGE)
            .filter(pk__in={proposal.project_id for proposal in proposals})
            .values_list("pk", flat=True)
        )
        hidden = RebalanceProposal.objects.filter(run=run).count() - len(proposals)
        context.update(run=run, proposals=proposals, changeable=changeable, hidden=hidden)
        return context


class DecideView(LoginRequiredMixin, View):
    """POST: accept or reject one proposal, back to its run."""

    accept = True

    def post(self, request, pk):
        proposal = get_object_or_404(RebalanceProposal.objects.visible_to(request.user), pk=pk)
        form = DecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, f"{proposal}: not decided. Reason: {' '.join(form.errors['reason'])}")
            return redirect("resourcing:rebalance_run", proposal.run_id)
        reason = form.cleaned_data["reason"]
        service = services.accept if self.accept else services.reject
        try:
            service(actor=request.user, proposal=proposal, reason=reason)
        except PermissionRefused as error:
            raise PermissionDenied(error.message) from None
        except NotFound as error:
            raise Http404(error.message) from None
        except DomainError as error:
            messages.error(request, f"{proposal}: {error.message}")
            return redirect("resourcing:rebalance_run", proposal.run_id)
        messages.success(request, f"{'Accepted' if self.accept else 'Rejected'}: {proposal}.")
        return redirect("resourcing:rebalance_run", proposal.run_id)


urlpatterns = [
    path("capacity/rebalancing/", RebalanceView.as_view(), name="rebalance"),
    path("capacity/rebalancing/<int:pk>/", RunView.as_view(), name="rebalance_run"),
    path("capacity/rebalancing/proposals/<int:pk>/accept/", DecideView.as_view(accept=True), name="proposal_accept"),
    path("capacity/rebalancing/proposals/<int:pk>/reject/", DecideView.as_view(accept=False), name="proposal_reject"),
]
