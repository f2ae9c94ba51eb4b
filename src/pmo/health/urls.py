from django.urls import path

from pmo.health import views

app_name = "health"

urlpatterns = [
    path("health/", views.HealthListView.as_view(), name="health_list"),
    path("health/rules/", views.SettingsView.as_view(), name="settings"),
    path("projects/<int:pk>/health/", views.ProjectHealthView.as_view(), name="project_health"),
    path("projects/<int:pk>/health/panel/", views.ProjectPanelView.as_view(), name="project_panel"),
    path("projects/<int:pk>/health/refresh/", views.ProjectRefreshView.as_view(), name="project_refresh"),
]
