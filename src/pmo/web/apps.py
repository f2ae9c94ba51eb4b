from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "pmo.web"
    label = "web"
    verbose_name = "Web interface"
