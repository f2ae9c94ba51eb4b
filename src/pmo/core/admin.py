"""The admin site, for administrators only. Every list is filtered by ``visible_to`` and every
change is audited, as in the rest of pmo."""

from django.contrib import admin

from pmo.core.audit import record_event, snapshot
from pmo.core.choices import Action
from pmo.core.models import AuditEvent, OfficeMembership, OrganisationUnit, Person, PMOOffice, RoleAssignment
from pmo.core.permissions import grants_for


class PMOAdminSite(admin.AdminSite):
    site_header = "pmo administration"
    site_title = "pmo admin"
    index_title = "Records"

    def has_permission(self, request) -> bool:
        return request.user.is_active and grants_for(request.user).is_administrator


admin_site = PMOAdminSite(name="admin")


class AuditedModelAdmin(admin.ModelAdmin):
    """A model admin that reads through ``visible_to`` and writes an audit event per change."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.visible_to(request.user, Action.VIEW) if hasattr(queryset, "visible_to") else queryset

    def _allowed(self, request, action: str, obj=None) -> bool:
        if not grants_for(request.user).is_administrator:
            return False
        if obj is None or not hasattr(self.model.objects, "visible_to"):
            return True
        return self.model.objects.visible_to(request.user, action).filter(pk=obj.pk).exists()

    def has_module_permission(self, request):
        return grants_for(request.user).is_administrator

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, Action.VIEW, obj)

    def has_add_permission(self, request):
        return self._allowed(request, Action.CREATE)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, Action.CHANGE, obj)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, Action.ARCHIVE, obj)

    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        after = snapshot(obj)
        name = obj._meta.model_name
        record_event(
            actor=request.user,
            action=f"{name}.{'changed' if change else 'created'}_in_admin",
            obj=obj,
            before=before,
            after=after,
        )

    def delete_model(self, request, obj):
        record_event(
            actor=request.user, action=f"{obj._meta.model_name}.deleted_in_admin", obj=obj, before=snapshot(obj)
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(OrganisationUnit, site=admin_site)
class OrganisationUnitAdmin(AuditedModelAdmin):
    list_display = ["name", "code", "parent", "is_archived"]
    search_fields = ["name", "code"]
    list_select_related = ["parent"]


@admin.register(Person, site=admin_site)
class PersonAdmin(AuditedModelAdmin):
    list_display = ["full_name", "job_title", "unit", "user", "is_archived"]
    search_fields = ["full_name", "email"]
    list_select_related = ["unit", "user"]
    autocomplete_fields = ["unit"]
    raw_id_fields = ["user"]


@admin.register(PMOOffice, site=admin_site)
class PMOOfficeAdmin(AuditedModelAdmin):
    list_display = ["name", "kind", "is_permanent", "scope_type", "scope_id", "closes_on"]
    list_filter = ["kind", "is_permanent"]


@admin.register(OfficeMembership, site=admin_site)
class OfficeMembershipAdmin(AuditedModelAdmin):
    list_display = ["office", "person", "staff_role", "allocation_percent"]
    list_select_related = ["office", "person"]
    raw_id_fields = ["person"]


@admin.register(RoleAssignment, site=admin_site)
class RoleAssignmentAdmin(AuditedModelAdmin):
    list_display = ["person", "role", "scope_type", "scope_id"]
    list_filter = ["role", "scope_type"]
    list_select_related = ["person"]
    raw_id_fields = ["person"]


@admin.register(AuditEvent, site=admin_site)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is never edited."""

    list_display = ["occurred_at", "actor_name", "action", "object_repr", "request_id"]
    list_filter = ["action"]
    search_fields = ["object_repr", "actor_name", "request_id"]

    def has_module_permission(self, request):
        return grants_for(request.user).is_administrator

    def has_view_permission(self, request, obj=None):
        return grants_for(request.user).is_administrator

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
