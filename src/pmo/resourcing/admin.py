"""Resourcing on the admin site, for administrators only. Lists read through ``visible_to`` and
every save is audited (``AuditedModelAdmin``). Figures that services compute (planned cost,
actual hours and cost from approved timesheets, timesheet totals, the optimiser's results) are
shown read-only: they are never typed in. No inlines, so that every change is one audited save."""

from django.contrib import admin

from pmo.core.admin import AuditedModelAdmin, admin_site
from pmo.resourcing.models import (
    Absence,
    Allocation,
    Assignment,
    CourseSkill,
    RebalanceProposal,
    RebalanceRun,
    Resource,
    ResourceRate,
    ResourceSkill,
    Skill,
    Timesheet,
    TimesheetApproval,
    TimesheetLine,
    TrainingCourse,
    TrainingRecord,
)


@admin.register(Skill, site=admin_site)
class SkillAdmin(AuditedModelAdmin):
    list_display = ["name", "category", "is_archived"]
    list_filter = ["is_archived", "category"]
    search_fields = ["name", "category", "description"]


@admin.register(Resource, site=admin_site)
class ResourceAdmin(AuditedModelAdmin):
    list_display = ["name", "kind", "person", "unit", "employment_type", "contract_end", "hours_per_day", "is_archived"]
    list_filter = ["kind", "employment_type", "is_archived", "unit"]
    search_fields = ["name", "person__full_name", "person__email"]
    list_select_related = ["person", "unit"]
    raw_id_fields = ["person", "unit", "calendar", "role_skill"]


@admin.register(ResourceSkill, site=admin_site)
class ResourceSkillAdmin(AuditedModelAdmin):
    list_display = ["resource", "skill", "level"]
    list_filter = ["level", "skill"]
    search_fields = ["resource__name", "skill__name"]
    list_select_related = ["resource", "skill"]
    raw_id_fields = ["resource", "skill"]


@admin.register(ResourceRate, site=admin_site)
class ResourceRateAdmin(AuditedModelAdmin):
    list_display = ["resource", "effective_from", "cost_per_hour", "bill_rate_per_hour"]
    list_filter = ["effective_from"]
    search_fields = ["resource__name"]
    list_select_related = ["resource"]
    raw_id_fields = ["resource"]
    date_hierarchy = "effective_from"


@admin.register(Absence, site=admin_site)
class AbsenceAdmin(AuditedModelAdmin):
    list_display = ["resource", "kind", "start", "end", "note"]
    list_filter = ["kind", "start"]
    search_fields = ["resource__name", "note"]
    list_select_related = ["resource"]
    raw_id_fields = ["resource"]
    date_hierarchy = "start"


@admin.register(Assignment, site=admin_site)
class AssignmentAdmin(AuditedModelAdmin):
    list_display = [
        "project",
        "activity",
        "resource",
        "units_percent",
        "planned_hours",
        "planned_cost",
        "actual_hours",
        "actual_cost",
        "required_skill",
        "is_billable",
        "is_fixed",
    ]
    list_filter = ["is_billable", "is_fixed", "project"]
    search_fields = ["resource__name", "activity__name", "project__code", "project__name"]
    list_select_related = ["project", "activity", "resource", "required_skill"]
    raw_id_fields = ["project", "activity", "resource", "required_skill"]
    readonly_fields = ["planned_cost", "actual_hours", "actual_cost"]


@admin.register(Allocation, site=admin_site)
class AllocationAdmin(AuditedModelAdmin):
    list_display = ["project", "resource", "period_kind", "period_start", "hours", "required_skill", "is_billable"]
    list_filter = ["period_kind", "is_billable", "project"]
    search_fields = ["resource__name", "project__code", "project__name", "note"]
    list_select_related = ["project", "resource", "required_skill"]
    raw_id_fields = ["project", "resource", "required_skill"]
    date_hierarchy = "period_start"


@admin.register(Timesheet, site=admin_site)
class TimesheetAdmin(AuditedModelAdmin):
    list_display = ["resource", "week_start", "status", "total_hours", "submitted_at", "approved_at"]
    list_filter = ["status", "week_start"]
    search_fields = ["resource__name"]
    list_select_related = ["resource"]
    raw_id_fields = ["resource"]
    readonly_fields = ["total_hours", "submitted_at", "approved_at"]
    date_hierarchy = "week_start"


@admin.register(TimesheetLine, site=admin_site)
class TimesheetLineAdmin(AuditedModelAdmin):
    list_display = ["timesheet", "project", "activity", "category", "is_billable", "total_hours", "cost"]
    list_filter = ["category", "is_billable"]
    search_fields = ["timesheet__resource__name", "project__code", "activity__name", "note"]
    list_select_related = ["timesheet__resource", "project", "activity"]
    raw_id_fields = ["timesheet", "project", "activity"]
    readonly_fields = ["total_hours", "cost"]


@admin.register(TimesheetApproval, site=admin_site)
class TimesheetApprovalAdmin(AuditedModelAdmin):
    list_display = ["timesheet", "project", "status", "decided_by", "decided_at"]
    list_filter = ["status"]
    search_fields = ["timesheet__resource__name", "project__code", "comment"]
    list_select_related = ["timesheet__resource", "project", "decided_by"]
    raw_id_fields = ["timesheet", "project", "decided_by"]
    readonly_fields = ["decided_at"]


@admin.register(TrainingCourse, site=admin_site)
class TrainingCourseAdmin(AuditedModelAdmin):
    list_display = ["name", "provider", "cost", "duration_days", "is_archived"]
    list_filter = ["is_archived", "provider"]
    search_fields = ["name", "provider", "description"]


@admin.register(CourseSkill, site=admin_site)
class CourseSkillAdmin(AuditedModelAdmin):
    list_display = ["course", "skill", "level"]
    list_filter = ["level", "skill"]
    search_fields = ["course__name", "course__provider", "skill__name"]
    list_select_related = ["course", "skill"]
    raw_id_fields = ["course", "skill"]


@admin.register(TrainingRecord, site=admin_site)
class TrainingRecordAdmin(AuditedModelAdmin):
    list_display = ["resource", "course", "status", "start", "completed_on"]
    list_filter = ["status", "course"]
    search_fields = ["resource__name", "course__name", "note"]
    list_select_related = ["resource", "course"]
    raw_id_fields = ["resource", "course"]
    date_hierarchy = "start"


@admin.register(RebalanceRun, site=admin_site)
class RebalanceRunAdmin(AuditedModelAdmin):
    """Runs are the optimiser's record: read-only."""

    list_display = [
        "created_at",
        "requested_by",
        "start",
        "weeks",
        "unit",
        "status",
        "is_optimal",
        "overload_before_hours",
        "overload_after_hours",
        "seconds",
    ]
    list_filter = ["status", "is_optimal"]
    search_fields = ["status", "requested_by__username"]
    list_select_related = ["requested_by", "unit"]

    def get_readonly_fields(self, request, obj=None):
        # Every figure of a run, including any the optimiser records in future.
        return [field.name for field in self.model._meta.concrete_fields if not field.primary_key]

    def has_add_permission(self, request):
        return False


@admin.register(RebalanceProposal, site=admin_site)
class RebalanceProposalAdmin(AuditedModelAdmin):
    list_display = ["run", "project", "assignment", "from_resource", "to_resource", "hours", "status"]
    list_filter = ["status"]
    search_fields = ["from_resource__name", "to_resource__name", "project__code", "reason"]
    list_select_related = [
        "run",
        "project",
        "assignment__resource",
        "assignment__activity",
        "from_resource",
        "to_resource",
    ]
    raw_id_fields = ["run", "project", "assignment", "from_resource", "to_resource", "decided_by"]
    readonly_fields = ["hours", "overload_removed_hours", "reason", "decided_at"]

    def has_add_permission(self, request):
        return False
