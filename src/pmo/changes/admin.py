"""Change control in Django's admin: read-only, because every write goes through the audited services."""

from django.contrib import admin

from pmo.changes.models import ApprovalPolicy, ChangeRequest, ConfigurationItem, QualityReview
from pmo.core.admin import AuditedModelAdmin, admin_site


class ReadOnlyAdmin(AuditedModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ChangeRequest, site=admin_site)
class ChangeRequestAdmin(ReadOnlyAdmin):
    list_display = ("project", "number", "title", "status", "required_board", "delay_days", "raised_on")
    list_filter = ("status", "required_board")
    search_fields = ("title", "project__code")


@admin.register(ConfigurationItem, site=admin_site)
class ConfigurationItemAdmin(ReadOnlyAdmin):
    list_display = ("project", "identifier", "name", "kind", "version", "status")
    list_filter = ("kind", "status")


@admin.register(QualityReview, site=admin_site)
class QualityReviewAdmin(ReadOnlyAdmin):
    list_display = ("project", "title", "planned_on", "held_on", "result")
    list_filter = ("result",)


@admin.register(ApprovalPolicy, site=admin_site)
class ApprovalPolicyAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "cost_limit", "delay_days_limit")
