from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "pmo.demo"
    label = "demo"
    verbose_name = "Demo portfolio"
