from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "pmo.core"
    label = "core"
    verbose_name = "Organisation and people"
