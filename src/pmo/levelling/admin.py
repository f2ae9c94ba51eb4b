"""Levelling runs on the admin site, read-only: they are the solver's record, decided on their page."""

from django.contrib import admin

from pmo.core.admin import AuditedModelAdmin, admin_site
from pmo.levelling.models import LevellingRun


@admin.register(LevellingRun, site=admin_site)
class LevellingRunAdmin(AuditedModelAdmin):
    list_display = [
        "created_at",
        "scope",
        "requested_by",
        "state",
        "solver_status",
        "moved_count",
        "overload_before_hours",
        "overload_after_hours",
        "seconds",
    ]
    list_filter = ["state", "scope", "solver_status"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
