from django.contrib import admin

from pmo.core.admin import AuditedModelAdmin, admin_site
from pmo.portfolio.models import Portfolio, Programme, Project, ProjectDependency, ProjectObjective, StrategicObjective


@admin.register(StrategicObjective, site=admin_site)
class StrategicObjectiveAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "weight", "owner", "active_from", "active_to"]
    search_fields = ["code", "name"]
    list_select_related = ["owner"]
    raw_id_fields = ["owner"]


@admin.register(Portfolio, site=admin_site)
class PortfolioAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "manager", "is_archived"]
    search_fields = ["code", "name"]
    list_select_related = ["manager"]
    raw_id_fields = ["manager"]


@admin.register(Programme, site=admin_site)
class ProgrammeAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "portfolio", "manager", "is_archived"]
    search_fields = ["code", "name"]
    list_select_related = ["portfolio", "manager"]
    raw_id_fields = ["manager", "sro"]


class ProjectObjectiveInline(admin.TabularInline):
    model = ProjectObjective
    extra = 0
    raw_id_fields = ["objective"]


@admin.register(Project, site=admin_site)
class ProjectAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "portfolio", "programme", "stage", "rag", "manager", "is_archived"]
    list_filter = ["stage", "rag", "portfolio"]
    search_fields = ["code", "name"]
    list_select_related = ["portfolio", "programme", "manager"]
    raw_id_fields = ["manager", "sro"]


@admin.register(ProjectDependency, site=admin_site)
class ProjectDependencyAdmin(AuditedModelAdmin):
    list_display = ["dependent", "provider", "output", "needed_by", "status"]
    list_select_related = ["dependent", "provider"]
    raw_id_fields = ["dependent", "provider"]
