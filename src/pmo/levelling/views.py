"""Pages: level resources on a project, a programme or a portfolio; watch the run; compare its
scenario with the plan (dates, project finishes, each person's load before and after); accept or
discard it. And the people's load as the plans stand now."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.views.generic import FormView, ListView, TemplateView, View

from pmo.core.choices import Action
from pmo.core.errors import DomainError, InvalidData, PermissionRefused
from pmo.core.permissions import grants_for
from pmo.levelling import selectors, services
from pmo.levelling.choices import Scope
from pmo.levelling.forms import DecisionForm, LevelForm
from pmo.levelling.models import LevellingRun

MOVES_PER_PAGE = 100


def _target(user, scope: str, pk: int | None):
    """The project, programme or portfolio named in the address, if the user may see it; None
    for the whole organisation (for those who read across it)."""
    if scope == Scope.ORGANISATION:
        if not grants_for(user).allows_everywhere(Action.VIEW):
            raise Http404("The whole organisation's levelling is for roles across the organisation.")
        return None
    if scope not in services.TARGET_MODELS:
        raise Http404(f"Nothing to level called {scope!r}.")
    model = services.TARGET_MODELS[Scope(scope)]
    return get_object_or_404(model.objects.visible_to(user, Action.VIEW), pk=pk)


def _urls(scope: str, target) -> dict[str, str]:
    if target is None:
        return {
            "level_url": reverse("levelling:level_organisation"),
            "load_url": reverse("levelling:load_organisation"),
        }
    return {
        "level_url": reverse("levelling:level", args=[scope, target.pk]),
        "load_url": reverse("levelling:load", args=[scope, target.pk]),
    }


class LevelView(LoginRequiredMixin, FormView):
    """The form to level a target, with its people's load now and its earlier runs."""

    template_name = "levelling/level.html"
    form_class = LevelForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.scope = kwargs.get("scope", Scope.ORGANISATION)
            self.target = _target(request.user, self.scope, kwargs.get("pk"))
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {**super().get_initial(), "level_from": timezone.localdate()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        runs = LevellingRun.objects.visible_to(user).filter(scope=self.scope)
        if self.target is not None:
            runs = runs.filter(**{self.scope: self.target})
        context.update(
            scope=self.scope,
            target=self.target,
            target_label=services.label_of(self.scope, self.target),
            may_level=services.may_level(user, self.scope, self.target),
            projects=services.projects_of(self.scope, self.target),
            runs=runs.select_related("requested_by", "project", "programme", "portfolio")[:10],
            **_urls(self.scope, self.target),
        )
        return context

    def form_valid(self, form):
        try:
            run = services.start_run(actor=self.request.user, scope=self.scope, target=self.target, **form.cleaned_data)
        except PermissionRefused as error:
            raise PermissionDenied(error.message) from None
        except InvalidData as error:
            for field, problems in error.errors.items():
                form.add_error(field if field in form.fields else None, problems)
            return self.form_invalid(form)
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, f"Levelling of {services.label_of(self.scope, self.target)} started.")
        return redirect(run)


class LoadView(LoginRequiredMixin, TemplateView):
    """HTMX panel: the load of the target's people as the plans stand now."""

    template_name = "levelling/_current_load.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scope = kwargs.get("scope", Scope.ORGANISATION)
        target = _target(self.request.user, scope, kwargs.get("pk"))
        projects = services.projects_of(scope, target)
        show_all = self.request.GET.get("all") == "1"
        try:
            from_day = date.fromisoformat(self.request.GET.get("from", ""))
        except ValueError:
            from_day = timezone.localdate()
        context.update(
            target_label=services.label_of(scope, target),
            show_all=show_all,
            **_urls(scope, target),
            from_day=from_day,
            load=selectors.current_load(projects, from_day=from_day, overloaded_only=not show_all),
        )
        return context


def _run_for(user, pk: int) -> LevellingRun:
    return get_object_or_404(
        LevellingRun.objects.visible_to(user).select_related(
            "project", "programme", "portfolio", "requested_by", "decided_by"
        ),
        pk=pk,
    )


class RunView(LoginRequiredMixin, TemplateView):
    """A run: its progress while it computes, then its scenario beside the plan."""

    template_name = "levelling/run.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        run = _run_for(user, kwargs["pk"])
        moves = run.moves.select_related("activity", "project").order_by("-shift_hours", "project__code", "id")
        if self.request.GET.get("moved", "1") == "1":
            moves = moves.exclude(shift_hours=0)
        page = Paginator(moves, MOVES_PER_PAGE).get_page(self.request.GET.get("page"))
        show_all = self.request.GET.get("all") == "1"
        context.update(
            run=run,
            page=page,
            only_moved=self.request.GET.get("moved", "1") == "1",
            comparisons=selectors.run_histograms(run, overloaded_only=not show_all) if run.load else [],
            show_all=show_all,
            may_decide=LevellingRun.objects.visible_to(user, Action.CHANGE).filter(pk=run.pk).exists(),
        )
        return context


class RunStatusView(LoginRequiredMixin, TemplateView):
    """HTMX panel polled while a run computes; once it has finished, the page reloads itself."""

    template_name = "levelling/_run_status.html"

    def get(self, request, *args, **kwargs):
        run = _run_for(request.user, kwargs["pk"])
        if run.is_finished and request.htmx:
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return self.render_to_response({"run": run})


class DecideView(LoginRequiredMixin, View):
    """POST: accept or discard a run's scenario."""

    accept = True

    def post(self, request, pk):
        run = _run_for(request.user, pk)
        form = DecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, f"Not decided: {' '.join(form.errors['reason'])}")
            return redirect(run)
        service = services.accept_run if self.accept else services.discard_run
        try:
            service(actor=request.user, run=run, reason=form.cleaned_data["reason"])
        except PermissionRefused as error:
            raise PermissionDenied(error.message) from None
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(run)
        if self.accept:
            messages.success(request, f"Accepted: {run.moved_count} activities moved; the plans are rescheduled.")
        else:
            messages.success(request, "Discarded: the plans are unchanged.")
        return redirect(run)


class RunListView(LoginRequiredMixin, ListView):
    template_name = "levelling/run_list.html"
    context_object_name = "runs"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "may_level_organisation": services.may_level(self.request.user, Scope.ORGANISATION, None),
        }

    def get_queryset(self):
        return LevellingRun.objects.visible_to(self.request.user).select_related(
            "project", "programme", "portfolio", "requested_by"
        )


urlpatterns = [
    path("levelling/", RunListView.as_view(), name="run_list"),
    path("levelling/runs/<int:pk>/", RunView.as_view(), name="run"),
    path("levelling/runs/<int:pk>/status/", RunStatusView.as_view(), name="run_status"),
    path("levelling/runs/<int:pk>/accept/", DecideView.as_view(accept=True), name="accept"),
    path("levelling/runs/<int:pk>/discard/", DecideView.as_view(accept=False), name="discard"),
    path("levelling/organisation/", LevelView.as_view(), name="level_organisation"),
    path("levelling/organisation/load/", LoadView.as_view(), name="load_organisation"),
    path("levelling/<str:scope>/<int:pk>/", LevelView.as_view(), name="level"),
    path("levelling/<str:scope>/<int:pk>/load/", LoadView.as_view(), name="load"),
]
