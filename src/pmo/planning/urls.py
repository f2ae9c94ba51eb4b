from django.urls import path

from pmo.core.views.generic import ObjectHistoryView
from pmo.planning import views
from pmo.planning.models import Activity

app_name = "planning"

urlpatterns = [
    path("projects/<int:pk>/plan/", views.GanttView.as_view(), name="project_gantt"),
    path("projects/<int:pk>/plan/reschedule/", views.RescheduleView.as_view(), name="project_reschedule"),
    path("projects/<int:pk>/plan/baseline/", views.BaselineSetView.as_view(), name="baseline_set"),
    path("projects/<int:pk>/plan/summary/", views.ScheduleSummaryView.as_view(), name="project_summary"),
    path("projects/<int:pk>/plan/baselines/", views.BaselineComparisonView.as_view(), name="baseline_comparison"),
    path("projects/<int:pk>/plan/activities/new/", views.ActivityCreateView.as_view(), name="activity_create"),
    path("projects/<int:pk>/plan/import/", views.PlanImportView.as_view(), name="plan_import"),
    path("projects/<int:pk>/plan/export/", views.PlanExportView.as_view(), name="plan_export"),
    path("programmes/<int:programme_pk>/plan/", views.GanttView.as_view(), name="programme_gantt"),
    path("programmes/<int:programme_pk>/plan/reschedule/", views.RescheduleView.as_view(), name="programme_reschedule"),
    path("plans/data/", views.GanttDataView.as_view(), name="gantt_data"),
    path("activities/<int:pk>/edit/", views.ActivityEditView.as_view(), name="activity_edit"),
    path("activities/<int:pk>/progress/", views.ProgressEditView.as_view(), name="activity_progress"),
    path("activities/<int:pk>/history/", ObjectHistoryView.as_view(model=Activity), name="activity_history"),
    path("calendars/", views.CalendarListView.as_view(), name="calendar_list"),
    path("calendars/new/", views.CalendarFormView.as_view(), name="calendar_create"),
    path("calendars/<int:pk>/", views.CalendarDetailView.as_view(), name="calendar_detail"),
    path("calendars/<int:pk>/edit/", views.CalendarFormView.as_view(), name="calendar_edit"),
]
