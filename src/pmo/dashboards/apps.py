from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "pmo.dashboards"
    label = "dashboards"
    verbose_name = "Dashboards"
