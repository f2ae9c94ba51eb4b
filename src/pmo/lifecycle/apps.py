from django.apps import AppConfig


class LifecycleConfig(AppConfig):
    name = "pmo.lifecycle"
    label = "lifecycle"
    verbose_name = "Lifecycle and charter"

    def ready(self):
        # Portfolio sits below this app: it asks its registered guards before any stage move.
        from pmo.lifecycle.services import check_stage_move
        from pmo.portfolio.services import register_stage_guard

        register_stage_guard(check_stage_move)
