from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "pmo.api"
    label = "api"
    verbose_name = "REST API"
