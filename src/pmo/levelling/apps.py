from django.apps import AppConfig


class LevellingConfig(AppConfig):
    name = "pmo.levelling"
    label = "levelling"
    verbose_name = "Resource levelling"
