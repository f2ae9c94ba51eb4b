from django.apps import AppConfig


class KpisConfig(AppConfig):
    name = "pmo.kpis"
    label = "kpis"
    verbose_name = "KPIs and measurements"
