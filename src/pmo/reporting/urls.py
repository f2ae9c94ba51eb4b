from django.urls import path

from pmo.core.views.generic import ObjectHistoryView
from pmo.reporting import views
from pmo.reporting.models import HighlightReport, ReportPack

app_name = "reporting"

urlpatterns = [
    path("highlight-reports/", views.ReportBoardView.as_view(), name="report_list"),
    path("projects/<int:pk>/highlight-reports/", views.ProjectReportsView.as_view(), name="project_reports"),
    path("projects/<int:pk>/highlight-reports/new/", views.ReportCreateView.as_view(), name="report_create"),
    path("highlight-reports/<int:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("highlight-reports/<int:pk>/edit/", views.ReportEditView.as_view(), name="report_edit"),
    path("highlight-reports/<int:pk>/submit/", views.ReportSubmitView.as_view(), name="report_submit"),
    path("highlight-reports/<int:pk>/refresh/", views.ReportRefreshView.as_view(), name="report_refresh"),
    path("highlight-reports/<int:pk>/review/", views.ReportReviewView.as_view(), name="report_review"),
    path("highlight-reports/<int:pk>/report.pdf", views.ReportPdfView.as_view(), name="report_pdf"),
    path(
        "highlight-reports/<int:pk>/history/", ObjectHistoryView.as_view(model=HighlightReport), name="report_history"
    ),
    path("report-packs/", views.PackListView.as_view(), name="pack_list"),
    path("report-packs/new/", views.PackCreateView.as_view(), name="pack_create"),
    path("report-packs/<int:pk>/", views.PackDetailView.as_view(), name="pack_detail"),
    path("report-packs/<int:pk>/pack.pdf", views.PackPdfView.as_view(), name="pack_pdf"),
    path("report-packs/<int:pk>/pack.xlsx", views.PackXlsxView.as_view(), name="pack_xlsx"),
    path("report-packs/<int:pk>/history/", ObjectHistoryView.as_view(model=ReportPack), name="pack_history"),
    path("report-packs/<int:pk>/<slug:step>/", views.PackStepView.as_view(), name="pack_step"),
    path("reporting/settings/", views.SettingsView.as_view(), name="settings"),
]
