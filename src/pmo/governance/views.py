"""Pages: each project's, programme's and portfolio's register (risks, assumptions, issues,
dependencies, decisions, actions) with its heat map, exposure trend and Excel export; lists of
every entry a user may see; entry pages with their escalation history; "my actions";
notifications; the organisation's risk scale and escalation thresholds."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import TemplateView, View

from pmo.core.choices import Action
from pmo.core.errors import DomainError, NotFound, PermissionRefused
from pmo.core.models import AuditEvent
from pmo.core.permissions import grants_for
from pmo.core.views.generic import ObjectDetailView, ObjectEditView, ObjectHistoryView, ObjectListView, ServiceFormView
from pmo.governance import exports, selectors, services
from pmo.governance.filtersets import FILTERSETS, NotificationFilterSet
from pmo.governance.forms import (
    ENTRY_FORMS,
    ActionItemForm,
    EscalationRuleForm,
    ReasonRequiredForm,
    RiskScaleForm,
)
from pmo.governance.models import (
    RAID_MODELS,
    ActionItem,
    Decision,
    EscalationRule,
    Notification,
    Risk,
    RiskScale,
)
from pmo.governance.tables import COLUMNS

MODELS = {**RAID_MODELS, "decision": Decision, "action": ActionItem}
PLURALS = {
    "risk": "risks",
    "assumption": "assumptions",
    "issue": "issues",
    "dependency": "dependencies",
    "decision": "decisions",
    "action": "actions",
}
TABS = list(PLURALS)
REGISTER_PAGE_SIZE = 50


def register_target(user, level: str, pk: int):
    """The project, programme or portfolio named in the address, if the user may see it."""
    model = selectors.TARGET_MODELS.get(level)
    if model is None:
        raise Http404(f"No register of a {level!r}.")
    return get_object_or_404(model.objects.visible_to(user, Action.VIEW), pk=pk)


def may_change(user, target) -> bool:
    return type(target).objects.visible_to(user, Action.CHANGE).filter(pk=target.pk).exists()


def _safe_next(request, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return default


class TargetMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.level = kwargs["level"]
            self.target = register_target(request.user, self.level, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


# --- the register of one project, programme or portfolio -------------------------------------


class RegisterView(TargetMixin, TemplateView):
    template_name = "governance/register.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        tab = self.request.GET.get("tab", "risk")
        if tab not in TABS:
            tab = "risk"
        queryset = (
            selectors.register_actions(user, self.target)
            if tab == "action"
            else selectors.register_entries(user, self.target, tab)
        )
        query = self.request.GET.copy()
        query.pop("page", None)
        filterset = FILTERSETS[tab](query or None, queryset=queryset, request=self.request)
        rows = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
        if filterset.is_bound and not filterset.is_valid():
            rows = queryset.none()
        page = Paginator(rows, REGISTER_PAGE_SIZE).get_page(self.request.GET.get("page"))
        for name in ("project", "programme", "portfolio"):
            filterset.form.fields.pop(name, None)
        context.update(
            target=self.target,
            level=self.level,
            tab=tab,
            export_query=_export_query(query, tab),
            tabs=[(kind, PLURALS[kind].capitalize()) for kind in TABS],
            counts=selectors.register_counts(user, self.target),
            filterset=filterset,
            columns=COLUMNS[tab],
            page_obj=page,
            rows=page.object_list,
            querystring=query.urlencode(),
            can_change=may_change(user, self.target),
            today=timezone.localdate(),
        )
        if tab == "risk":
            risks = selectors.risks_for_heat_map(user, self.target)
            scale = RiskScale.current()
            context.update(
                heat_map=selectors.heat_map(risks, scale=scale),
                trend=selectors.exposure_trend(user, self.target),
            )
        return context


class HeatMapView(TargetMixin, TemplateView):
    template_name = "governance/heat_map.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        risks = selectors.risks_for_heat_map(self.request.user, self.target)
        scale = RiskScale.current()
        context.update(
            target=self.target,
            level=self.level,
            maps=[selectors.heat_map(risks, scale=scale), selectors.heat_map(risks, scale=scale, is_residual=True)],
            trend=selectors.exposure_trend(self.request.user, self.target),
            scale=scale,
        )
        return context


def _export_query(query, tab: str) -> str:
    """The register page's filters as the export link's query: the same rows, all of them."""
    exported = query.copy()
    exported["tab"] = tab
    return exported.urlencode()


class RegisterExportView(TargetMixin, View):
    """The register as a workbook; with the register page's filters (``tab`` and its fields), that
    tab's sheet holds only the rows the filters keep."""

    def get(self, request, *args, **kwargs):
        tab = request.GET.get("tab")
        filtered = {}
        if tab in FILTERSETS and tab != "action":
            query = request.GET.copy()
            query.pop("page", None)
            queryset = selectors.register_entries(request.user, self.target, tab)
            filterset = FILTERSETS[tab](query, queryset=queryset, request=request)
            if not filterset.is_valid():
                problems = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in filterset.errors.items())
                return HttpResponse(f"The filters are not valid: {problems}", status=400, content_type="text/plain")
            filtered[tab] = filterset.qs
        content = exports.register_workbook(request.user, self.target, filtered=filtered)
        response = HttpResponse(content, content_type=exports.XLSX_CONTENT_TYPE)
        name = getattr(self.target, "code", None) or f"{self.level}-{self.target.pk}"
        response["Content-Disposition"] = f'attachment; filename="raid-{name}.xlsx"'
        return response


class EntryCreateView(TargetMixin, ServiceFormView):
    """A new entry, action or decision on a register."""

    def dispatch(self, request, *args, **kwargs):
        self.kind = kwargs["kind"]
        if self.kind not in MODELS:
            raise Http404(f"No register of {self.kind!r}.")
        if request.user.is_authenticated:
            target = register_target(request.user, kwargs["level"], kwargs["pk"])
            if not may_change(request.user, target):
                raise PermissionDenied(f"You may not change the register of {target}.")
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self):
        return ENTRY_FORMS[self.kind]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = MODELS[self.kind](**{self.level: self.target})
        return kwargs

    def get_initial(self):
        initial = super().get_initial()
        today = timezone.localdate()
        initial.update(raised_on=today, decided_on=today)
        if self.kind == "dependency" and self.request.GET.get("project_dependency"):
            initial.update(nature="internal", project_dependency=self.request.GET["project_dependency"])
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = f"New {MODELS[self.kind]._meta.verbose_name} on the register of {self.target}"
        context["cancel_url"] = reverse("governance:register", args=[self.level, self.target.pk]) + (
            f"?tab={self.kind}"
        )
        return context

    def perform(self, form):
        where = {self.level: self.target}
        fields = form.changes()
        if self.kind == "action":
            return services.create_action(actor=self.request.user, **where, **fields)
        if self.kind == "decision":
            return services.record_decision(actor=self.request.user, **where, **fields)
        return services.create_entry(actor=self.request.user, kind=self.kind, **where, **fields)


# --- lists, pages and edits of entries -------------------------------------------------------


def _list_view(kind: str):
    class EntryListView(ObjectListView):
        model = MODELS[kind]
        filterset_class = FILTERSETS[kind]
        columns = COLUMNS[kind]
        select_related = selectors.ENTRY_RELATIONS.get(kind, ("owner", "project", "programme", "portfolio"))
        if kind == "decision":
            select_related = ("decided_by", "project", "programme", "portfolio")
        default_ordering = tuple(part if isinstance(part, str) else "pk" for part in MODELS[kind]._meta.ordering)
        title = f"{PLURALS[kind].capitalize()} of every register"

        def may_create(self) -> bool:
            return False  # entries are made on a register's page

        def base_queryset(self):
            queryset = super().base_queryset()
            return queryset.prefetch_related("source") if kind == "action" else queryset

    EntryListView.__name__ = f"{kind.title()}ListView"
    return EntryListView


class EntryDetailView(ObjectDetailView):
    template_name = "governance/entry_detail.html"
    kind = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entry = self.object
        user = self.request.user
        context.update(
            kind=self.kind,
            edit_url_name=f"governance:{self.kind}_edit",
            register_url=reverse("governance:register", args=[entry.level, entry.register.pk]) + f"?tab={self.kind}",
            events=AuditEvent.objects.for_object(entry).select_related("actor")[:50],
        )
        if self.kind in ("risk", "issue"):
            context.update(
                escalations=selectors.escalation_history(user, entry),
                escalation_target=services.raid.escalation_target(entry),
                active_escalation=services.raid.active_escalation(entry),
            )
        if self.kind == "risk":
            scale = RiskScale.current()
            context.update(
                band=scale.band(entry.score),
                residual_band=scale.band(entry.residual_score),
                response_actions=ActionItem.objects.visible_to(user)
                .filter(source_type__model="risk", source_type__app_label="governance", source_id=entry.pk)
                .select_related("owner"),
            )
        if self.kind == "action":
            context.update(
                may_complete=entry.is_open
                and (context["can_change"] or (entry.owner_id and entry.owner.user_id == user.pk)),
            )
        return context


def _detail_view(kind: str):
    return type(
        f"{kind.title()}DetailView",
        (EntryDetailView,),
        {"model": MODELS[kind], "kind": kind, "select_related": ("project", "programme", "portfolio")},
    )


class EntryEditView(ObjectEditView):
    kind = ""

    def get_form_class(self):
        return ENTRY_FORMS[self.kind]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = f"Edit {self.model._meta.verbose_name}"
        return context

    def perform(self, form):
        user, changes = self.request.user, form.changes()
        if self.kind == "action":
            return services.update_action(actor=user, action=self.object, changes=changes)
        if self.kind == "decision":
            return services.update_decision(actor=user, decision=self.object, changes=changes)
        return services.update_entry(actor=user, entry=self.object, changes=changes)


def _edit_view(kind: str):
    return type(f"{kind.title()}EditView", (EntryEditView,), {"model": MODELS[kind], "kind": kind})


def _history_view(kind: str):
    return type(f"{kind.title()}HistoryView", (ObjectHistoryView,), {"model": MODELS[kind]})


class EscalationView(ObjectEditView):
    """Escalate an entry (or take it down again) with a reason."""

    form_class = ReasonRequiredForm
    is_up = True

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        target = services.raid.escalation_target(self.object)
        context["title"] = f"Escalate to {target}" if self.is_up else "De-escalate"
        return context

    def perform(self, form):
        service = services.escalate_entry if self.is_up else services.deescalate_entry
        service(actor=self.request.user, entry=self.object, reason=form.cleaned_data["reason"])
        return self.object

    def dispatch(self, request, *args, **kwargs):
        # De-escalating is also open to whoever may change the programme it went to: the
        # service decides; the page only needs the entry to be visible.
        if not self.is_up:
            self.action = Action.VIEW
        return super().dispatch(request, *args, **kwargs)


class ResponseActionView(ObjectEditView):
    model = Risk
    form_class = ActionItemForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = ActionItem(
            project=self.object.project, programme=self.object.programme, portfolio=self.object.portfolio
        )
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = "New response action"
        return context

    def perform(self, form):
        data = form.cleaned_data
        services.add_response_action(
            actor=self.request.user, risk=self.object, title=data["title"], owner=data["owner"], due_on=data["due_on"]
        )
        return self.object


class ActionStatusView(LoginRequiredMixin, View):
    """Mark an action done, cancel it or reopen it (a button on the action's page and on "my actions")."""

    operations = {
        "done": (services.complete_action, "Marked done."),
        "cancel": (services.cancel_action, "Cancelled."),
        "reopen": (services.reopen_action, "Reopened."),
    }

    def post(self, request, pk, operation):
        if operation not in self.operations:
            raise Http404("No such operation on an action.")
        action = get_object_or_404(ActionItem.objects.visible_to(request.user, Action.VIEW), pk=pk)
        service, message = self.operations[operation]
        try:
            service(actor=request.user, action=action, reason=request.POST.get("reason", ""))
        except PermissionRefused as error:
            raise PermissionDenied(error.message) from None
        except NotFound as error:
            raise Http404(error.message) from None
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"“{action.title}”: {message}")
        return redirect(_safe_next(request, action.get_absolute_url()))


# --- my actions and notifications ------------------------------------------------------------


class MyActionsView(LoginRequiredMixin, TemplateView):
    template_name = "governance/my_actions.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        actions = list(selectors.my_actions(self.request.user))
        overdue = [action for action in actions if action.is_overdue(today)]
        rest = [action for action in actions if not action.is_overdue(today)]
        unread = Notification.objects.visible_to(self.request.user).unread()
        context.update(overdue=overdue, upcoming=rest, today=today, unread=unread[:5], unread_count=unread.count())
        return context


class NotificationListView(LoginRequiredMixin, TemplateView):
    template_name = "governance/notifications.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        queryset = Notification.objects.visible_to(self.request.user)
        filterset = NotificationFilterSet(self.request.GET or None, queryset=queryset)
        rows = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
        page = Paginator(rows, 30).get_page(self.request.GET.get("page"))
        context.update(filterset=filterset, page_obj=page, notifications=page.object_list)
        return context


class NotificationReadView(LoginRequiredMixin, View):
    def post(self, request, pk=None):
        if pk is None:
            count = services.mark_read(actor=request.user, every=True)
            messages.success(request, f"Marked {count} notification(s) as read.")
            return redirect("governance:notifications")
        notification = get_object_or_404(Notification.objects.visible_to(request.user), pk=pk)
        services.mark_read(actor=request.user, notification=notification)
        if request.POST.get("follow") and notification.url.startswith("/"):
            return redirect(notification.url)
        return redirect(_safe_next(request, reverse("governance:notifications")))


# --- organisation settings --------------------------------------------------------------------


class SettingsView(LoginRequiredMixin, TemplateView):
    template_name = "governance/settings.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not grants_for(self.request.user).has_any_role:
            raise Http404("The governance settings are for people with a role.")
        scale = RiskScale.current()
        context.update(
            scale=scale,
            rule=EscalationRule.current(),
            grid=selectors.heat_map(Risk.objects.none(), scale=scale),
            can_change=grants_for(self.request.user).allows_everywhere(Action.CHANGE),
        )
        return context


class SettingsEditView(ServiceFormView):
    which = "scale"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not grants_for(request.user).allows_everywhere(Action.CHANGE):
            raise PermissionDenied("Changing the organisation's settings needs a role across the organisation.")
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self):
        return RiskScaleForm if self.which == "scale" else EscalationRuleForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = RiskScale.current() if self.which == "scale" else EscalationRule.current()
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title="Risk scale" if self.which == "scale" else "Escalation thresholds",
            cancel_url=reverse("governance:settings"),
        )
        return context

    def perform(self, form):
        service = services.update_risk_scale if self.which == "scale" else services.update_escalation_rule
        return service(actor=self.request.user, changes=form.changes())


def _entry_urls() -> list:
    patterns = []
    for kind, plural in PLURALS.items():
        patterns += [
            path(f"governance/{plural}/", _list_view(kind).as_view(), name=f"{kind}_list"),
            path(f"governance/{plural}/<int:pk>/", _detail_view(kind).as_view(), name=f"{kind}_detail"),
            path(f"governance/{plural}/<int:pk>/edit/", _edit_view(kind).as_view(), name=f"{kind}_edit"),
            path(f"governance/{plural}/<int:pk>/history/", _history_view(kind).as_view(), name=f"{kind}_history"),
        ]
    for kind in ("risk", "issue"):
        model = MODELS[kind]
        patterns += [
            path(
                f"governance/{PLURALS[kind]}/<int:pk>/escalate/",
                type("Escalate", (EscalationView,), {"model": model, "is_up": True}).as_view(),
                name=f"{kind}_escalate",
            ),
            path(
                f"governance/{PLURALS[kind]}/<int:pk>/deescalate/",
                type("Deescalate", (EscalationView,), {"model": model, "is_up": False}).as_view(),
                name=f"{kind}_deescalate",
            ),
        ]
    return patterns


urlpatterns = [
    path("governance/risks/<int:pk>/actions/new/", ResponseActionView.as_view(), name="risk_action_create"),
    path("governance/<str:level>/<int:pk>/register/", RegisterView.as_view(), name="register"),
    path("governance/<str:level>/<int:pk>/heat-map/", HeatMapView.as_view(), name="heat_map"),
    path("governance/<str:level>/<int:pk>/register.xlsx", RegisterExportView.as_view(), name="register_export"),
    path("governance/<str:level>/<int:pk>/<str:kind>/new/", EntryCreateView.as_view(), name="entry_create"),
    *_entry_urls(),
    path("governance/actions/<int:pk>/<str:operation>/", ActionStatusView.as_view(), name="action_status"),
    path("governance/settings/", SettingsView.as_view(), name="settings"),
    path("governance/settings/scale/", SettingsEditView.as_view(which="scale"), name="settings_scale"),
    path("governance/settings/escalation/", SettingsEditView.as_view(which="rule"), name="settings_escalation"),
    path("my/actions/", MyActionsView.as_view(), name="my_actions"),
    path("my/notifications/", NotificationListView.as_view(), name="notifications"),
    path("my/notifications/read/", NotificationReadView.as_view(), name="notifications_read_all"),
    path("my/notifications/<int:pk>/read/", NotificationReadView.as_view(), name="notification_read"),
]
