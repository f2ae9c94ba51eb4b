from django.apps import AppConfig


class ResourcingConfig(AppConfig):
    name = "pmo.resourcing"
    label = "resourcing"
    verbose_name = "Resources, timesheets and capacity"
