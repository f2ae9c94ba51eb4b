from django.urls import path

from pmo.dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("dashboard/", views.PortfolioDashboardView.as_view(), name="portfolio"),
    path("dashboard/projects/", views.DashboardProjectListView.as_view(), name="projects"),
    path("programmes/<int:pk>/dashboard/", views.ProgrammeDashboardView.as_view(), name="programme"),
    path("projects/<int:pk>/dashboard/", views.ProjectDashboardView.as_view(), name="project"),
]
