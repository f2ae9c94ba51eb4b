"""Pages of the organisation: units, people (with their roles) and PMO offices (with staff)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import View

from pmo.core import services
from pmo.core.choices import Action
from pmo.core.errors import DomainError, PermissionRefused
from pmo.core.filtersets import AuditEventFilterSet, OrganisationUnitFilterSet, PersonFilterSet, PMOOfficeFilterSet
from pmo.core.forms import (
    OfficeMembershipForm,
    OrganisationUnitForm,
    PersonForm,
    PMOOfficeForm,
    RoleAssignmentForm,
)
from pmo.core.models import AuditEvent, OfficeMembership, OrganisationUnit, Person, PMOOffice, RoleAssignment
from pmo.core.permissions import grants_for
from pmo.core.tables import AUDIT_COLUMNS, OFFICE_COLUMNS, PERSON_COLUMNS, UNIT_COLUMNS
from pmo.core.views.generic import (
    ArchiveView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    ServiceFormView,
)


class OrganisationCreateMixin:
    """Organisation records are created by people with the create action everywhere."""

    def may_create(self) -> bool:
        return grants_for(self.request.user).allows_everywhere(Action.CREATE)


# --- units ----------------------------------------------------------------------------------


class UnitListView(OrganisationCreateMixin, ObjectListView):
    model = OrganisationUnit
    filterset_class = OrganisationUnitFilterSet
    columns = UNIT_COLUMNS
    select_related = ("parent",)
    default_ordering = ("name",)
    title = "Organisation units"
    create_url_name = "core:unit_create"


class UnitDetailView(ObjectDetailView):
    model = OrganisationUnit
    template_name = "core/unit_detail.html"
    select_related = ("parent",)
    edit_url_name = "core:unit_edit"
    archive_url_name = "core:unit_archive"
    history_url_name = "core:unit_history"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["children"] = self.object.children.visible_to(self.request.user).filter(is_archived=False)
        context["people"] = self.object.people.visible_to(self.request.user).filter(is_archived=False)[:200]
        return context


class UnitCreateView(ServiceFormView):
    form_class = OrganisationUnitForm
    title = "New organisation unit"
    success_message = "Unit created."

    def perform(self, form):
        return services.create_unit(actor=self.request.user, **form.cleaned_data)


class UnitEditView(ObjectEditView):
    model = OrganisationUnit
    form_class = OrganisationUnitForm
    title = "Edit organisation unit"

    def perform(self, form):
        return services.update_unit(actor=self.request.user, unit=self.object, changes=form.cleaned_data)


class UnitArchiveView(ArchiveView):
    model = OrganisationUnit
    archive_service = services.archive_unit
    archive_argument = "unit"


# --- people ---------------------------------------------------------------------------------


class PersonListView(OrganisationCreateMixin, ObjectListView):
    model = Person
    filterset_class = PersonFilterSet
    columns = PERSON_COLUMNS
    select_related = ("unit",)
    default_ordering = ("full_name",)
    title = "People"
    create_url_name = "core:person_create"


class PersonDetailView(ObjectDetailView):
    model = Person
    template_name = "core/person_detail.html"
    select_related = ("unit", "user")
    edit_url_name = "core:person_edit"
    archive_url_name = "core:person_archive"
    history_url_name = "core:person_history"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["role_assignments"] = self.object.role_assignments.all()
        context["memberships"] = self.object.office_memberships.select_related("office")
        context["can_assign_roles"] = grants_for(self.request.user).has_any_scope_for(Action.ASSIGN_ROLES)
        context["role_form"] = RoleAssignmentForm(user=self.request.user)
        return context


class PersonCreateView(ServiceFormView):
    form_class = PersonForm
    title = "New person"
    success_message = "Person added."

    def perform(self, form):
        return services.create_person(actor=self.request.user, **form.cleaned_data)


class PersonEditView(ObjectEditView):
    model = Person
    form_class = PersonForm
    title = "Edit person"

    def perform(self, form):
        return services.update_person(actor=self.request.user, person=self.object, changes=form.cleaned_data)


class PersonArchiveView(ArchiveView):
    model = Person
    archive_service = services.archive_person
    archive_argument = "person"


class RoleAssignView(ServiceFormView):
    """Grant a role to a person (from the person's page)."""

    form_class = RoleAssignmentForm
    title = "Assign a role"
    success_message = "Role assigned."

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.person = get_object_or_404(Person.objects.visible_to(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def perform(self, form):
        services.assign_role(actor=self.request.user, person=self.person, **form.cleaned_data)
        return self.person


class RoleRevokeView(View):
    def post(self, request, pk):
        assignment = get_object_or_404(RoleAssignment.objects.visible_to(request.user).select_related("person"), pk=pk)
        try:
            services.revoke_role(actor=request.user, assignment=assignment, reason=request.POST.get("reason", ""))
        except PermissionRefused as error:
            raise PermissionDenied(error.message) from None
        messages.success(request, "Role revoked.")
        return redirect(assignment.person)


# --- offices --------------------------------------------------------------------------------


class OfficeListView(OrganisationCreateMixin, ObjectListView):
    model = PMOOffice
    filterset_class = PMOOfficeFilterSet
    columns = OFFICE_COLUMNS
    select_related = ("unit",)
    default_ordering = ("kind", "name")
    title = "PMO offices"
    create_url_name = "core:office_create"

    def base_queryset(self):
        return super().base_queryset().annotate(staff_count=Count("memberships"))


class OfficeDetailView(ObjectDetailView):
    model = PMOOffice
    template_name = "core/office_detail.html"
    select_related = ("unit",)
    edit_url_name = "core:office_edit"
    archive_url_name = "core:office_archive"
    history_url_name = "core:office_history"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["memberships"] = self.object.memberships.select_related("person", "person__unit")
        context["membership_form"] = OfficeMembershipForm(user=self.request.user)
        return context


class OfficeCreateView(ServiceFormView):
    form_class = PMOOfficeForm
    title = "New PMO office"
    success_message = "Office created."

    def perform(self, form):
        return services.create_office(actor=self.request.user, **form.cleaned_data)


class OfficeEditView(ObjectEditView):
    model = PMOOffice
    form_class = PMOOfficeForm
    title = "Edit PMO office"

    def perform(self, form):
        return services.update_office(actor=self.request.user, office=self.object, changes=form.cleaned_data)


class OfficeArchiveView(ArchiveView):
    model = PMOOffice
    archive_service = services.archive_office
    archive_argument = "office"


class OfficeMemberAddView(ServiceFormView):
    form_class = OfficeMembershipForm
    title = "Add a member of staff"
    success_message = "Member added."

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.office = get_object_or_404(PMOOffice.objects.visible_to(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def perform(self, form):
        services.add_office_member(actor=self.request.user, office=self.office, **form.cleaned_data)
        return self.office


class OfficeMemberRemoveView(View):
    def post(self, request, pk):
        membership = get_object_or_404(
            OfficeMembership.objects.visible_to(request.user).select_related("office"), pk=pk
        )
        try:
            services.remove_office_member(
                actor=request.user, membership=membership, reason=request.POST.get("reason", "")
            )
        except DomainError as error:
            raise PermissionDenied(error.message) from None
        messages.success(request, "Member removed.")
        return redirect(reverse("core:office_detail", args=[membership.office_id]))


# --- the audit trail ------------------------------------------------------------------------


class AuditEventListView(ObjectListView):
    """Every change, for those who may see the whole organisation."""

    model = AuditEvent
    filterset_class = AuditEventFilterSet
    columns = AUDIT_COLUMNS
    default_ordering = ("-occurred_at", "-id")
    title = "Audit trail"

    def base_queryset(self):
        if not grants_for(self.request.user).allows_everywhere(Action.VIEW):
            raise PermissionDenied("The whole audit trail is open to those who may see the whole organisation.")
        return AuditEvent.objects.all()

    def may_create(self) -> bool:
        return False
