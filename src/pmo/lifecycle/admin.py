"""The lifecycle's records on the admin site, read-only: they change through their pages and the
API, where the rules of versions and gates apply."""

from django.contrib import admin

from pmo.core.admin import AuditedModelAdmin, admin_site
from pmo.lifecycle.models import GateCriterion, GateReview, PMOCharter, Standard, TermsOfReference


class ReadOnlyAdmin(AuditedModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PMOCharter, site=admin_site)
class PMOCharterAdmin(ReadOnlyAdmin):
    list_display = ["version", "status", "pmo_model", "published_at"]
    list_filter = ["status", "pmo_model"]


@admin.register(TermsOfReference, site=admin_site)
class TermsOfReferenceAdmin(ReadOnlyAdmin):
    list_display = ["project", "version", "status", "published_at"]
    list_filter = ["status"]


@admin.register(Standard, site=admin_site)
class StandardAdmin(ReadOnlyAdmin):
    list_display = ["title", "version", "status", "applies_to"]
    list_filter = ["status"]


@admin.register(GateCriterion, site=admin_site)
class GateCriterionAdmin(ReadOnlyAdmin):
    list_display = ["stage", "order", "text", "evidence_kind", "evidence_required", "is_archived"]
    list_filter = ["stage", "evidence_kind"]


@admin.register(GateReview, site=admin_site)
class GateReviewAdmin(ReadOnlyAdmin):
    list_display = ["project", "from_stage", "to_stage", "status", "pmo_model", "created_at", "decided_at"]
    list_filter = ["status", "to_stage", "pmo_model"]
