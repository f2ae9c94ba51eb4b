"""Routes of the dashboards API; ``pmo.api.urls`` puts every app's routes under ``/api/v1/``."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from pmo.dashboards.api import views

router = SimpleRouter()

urlpatterns = [
    path("dashboards/portfolio/", views.PortfolioDashboardView.as_view(), name="dashboard-portfolio"),
    path("dashboards/programmes/<int:pk>/", views.ProgrammeDashboardView.as_view(), name="dashboard-programme"),
    path("dashboards/projects/<int:pk>/", views.ProjectDashboardView.as_view(), name="dashboard-project"),
]
