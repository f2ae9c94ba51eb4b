from django.apps import AppConfig


class LifecycleConfig(AppConfig):
    name = "pmo.lifecycle"
    label = "lifecycle"
    verbose_name = "Lifecycle and charter"
