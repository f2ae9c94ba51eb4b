"""Generic pages every app builds on: list (filter, sort, paginate), detail, history, and forms
that call a service. Views only parse the request and call services; permission comes from the
querysets' ``visible_to`` for reads and from the services for writes."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import DetailView, FormView, ListView, TemplateView

from pmo.core.choices import Action
from pmo.core.errors import DomainError, InvalidData, NotFound, PermissionRefused
from pmo.core.forms import ReasonForm
from pmo.core.models import AuditEvent
from pmo.core.permissions import grants_for
from pmo.core.tables import Column, ordering_choices


class ObjectListView(LoginRequiredMixin, ListView):
    """A filterable, sortable, paginated list of the rows the user may see.

    The number of queries does not grow with the rows shown: name every relation the columns
    read in ``select_related``.
    """

    template_name = "core/object_list.html"
    partial_template_name = "core/partials/object_table.html"
    paginate_by = 25
    filterset_class = None
    columns: list[Column] = []
    select_related: tuple[str, ...] = ()
    default_ordering: tuple[str, ...] = ("pk",)
    title = ""
    create_url_name = ""

    def base_queryset(self):
        queryset = self.model.objects.visible_to(self.request.user, Action.VIEW)
        return queryset.select_related(*self.select_related) if self.select_related else queryset

    def get_queryset(self):
        queryset = self.base_queryset()
        self.filterset = self.filterset_class(self.request.GET or None, queryset=queryset, request=self.request)
        queryset = self.filterset.qs if self.filterset.is_bound and self.filterset.is_valid() else queryset
        if self.filterset.is_bound and not self.filterset.is_valid():
            queryset = queryset.none()
        self.sort = self.request.GET.get("sort", "")
        if self.sort.lstrip("-") in ordering_choices(self.columns):
            return queryset.order_by(self.sort, "pk")
        self.sort = ""
        return queryset.order_by(*self.default_ordering)

    def may_create(self) -> bool:
        return grants_for(self.request.user).has_any_scope_for(Action.CREATE)

    def get_template_names(self):
        if getattr(self.request, "htmx", False) and not self.request.htmx.boosted:
            return [self.partial_template_name]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        sortless = query.copy()
        sortless.pop("sort", None)
        context.update(
            title=self.title or self.model._meta.verbose_name_plural.capitalize(),
            columns=self.columns,
            filterset=self.filterset,
            sort=self.sort,
            querystring=query.urlencode(),
            sortless_querystring=sortless.urlencode(),
            create_url_name=self.create_url_name if self.create_url_name and self.may_create() else "",
        )
        return context


class ObjectDetailView(LoginRequiredMixin, DetailView):
    """One object the user may see (404 otherwise), with what they may do to it."""

    select_related: tuple[str, ...] = ()
    edit_url_name = ""
    archive_url_name = ""
    history_url_name = ""

    def get_queryset(self):
        queryset = self.model.objects.visible_to(self.request.user, Action.VIEW)
        return queryset.select_related(*self.select_related) if self.select_related else queryset

    def allowed(self, action: str) -> bool:
        return self.model.objects.visible_to(self.request.user, action).filter(pk=self.object.pk).exists()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            can_change=self.allowed(Action.CHANGE),
            can_archive=self.allowed(Action.ARCHIVE) and not getattr(self.object, "is_archived", False),
            edit_url_name=self.edit_url_name,
            archive_url_name=self.archive_url_name,
            history_url_name=self.history_url_name,
        )
        return context


class ObjectHistoryView(LoginRequiredMixin, TemplateView):
    """The audit trail of one object the user may see, newest first (a partial for htmx tabs)."""

    model = None
    template_name = "core/partials/history.html"
    paginate_by = 20

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = get_object_or_404(self.model.objects.visible_to(self.request.user, Action.VIEW), pk=kwargs["pk"])
        events = AuditEvent.objects.for_object(obj).select_related("actor")
        page = Paginator(events, self.paginate_by).get_page(self.request.GET.get("page"))
        context.update(object=obj, page_obj=page, events=page.object_list)
        return context


class ServiceFormView(LoginRequiredMixin, FormView):
    """A form whose valid data goes to a service; the service's refusals come back on the form.

    Subclasses implement ``perform(form)`` returning the saved object. Nothing is written unless
    the service commits, so a refused form leaves stored data as it was.
    """

    template_name = "core/object_form.html"
    title = ""
    success_message = "Saved."
    cancel_url = ""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def report_error(self, form, field: str | None, field_messages: list[str]) -> None:
        """Show a service's refusal on the form, beside the field it names when there is one."""
        form.add_error(field if field in form.fields else None, field_messages)

    def form_valid(self, form):
        try:
            obj = self.perform(form)
        except InvalidData as error:
            for field, field_messages in error.errors.items():
                self.report_error(form, field, field_messages)
            return self.form_invalid(form)
        except PermissionRefused as error:
            raise PermissionDenied(error.message) from None
        except NotFound as error:
            raise Http404(error.message) from None
        except DomainError as error:
            self.report_error(form, None, [error.message])
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(obj)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(title=self.title, cancel_url=self.cancel_url or self.request.GET.get("next", ""))
        return context


class ObjectEditView(ServiceFormView):
    """Edit one object: 404 if the user cannot see it, 403 if they may see but not change it."""

    model = None
    action = Action.CHANGE

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        visible = self.model.objects.visible_to(request.user, Action.VIEW)
        self.object = get_object_or_404(visible, pk=kwargs["pk"])
        if not self.model.objects.visible_to(request.user, self.action).filter(pk=self.object.pk).exists():
            raise PermissionDenied(f"You may not {self.action} this {self.model._meta.verbose_name}.")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.action == Action.CHANGE:
            kwargs["instance"] = self.object
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        context.setdefault("cancel_url", self.object.get_absolute_url())
        if not context["cancel_url"]:
            context["cancel_url"] = self.object.get_absolute_url()
        return context


class ArchiveView(ObjectEditView):
    """Confirm and archive one object, with a reason kept in the audit trail."""

    action = Action.ARCHIVE
    template_name = "core/object_archive.html"
    success_message = "Archived."
    archive_service = None
    archive_argument = ""

    form_class = ReasonForm

    def perform(self, form):
        service = type(self).archive_service
        return service(
            actor=self.request.user, reason=form.cleaned_data["reason"], **{self.archive_argument: self.object}
        )
