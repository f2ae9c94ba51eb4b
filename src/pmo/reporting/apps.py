from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "pmo.reporting"
    label = "reporting"
    verbose_name = "Highlight reports"

    def ready(self):
        # Health reads the reports missing and the days late through this provider; reporting
        # sits above health, so it registers itself rather than being imported.
        from pmo.health.services import register_figure_provider
        from pmo.reporting.selectors import report_figures_provider

        register_figure_provider(report_figures_provider)
