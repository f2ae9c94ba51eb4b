from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "pmo.health"
    label = "health"
    verbose_name = "Project health and earned value"
