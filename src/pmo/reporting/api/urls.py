"""Routes of the reporting API; ``pmo.api.urls`` puts every app's router under ``/api/v1/``."""

from rest_framework.routers import SimpleRouter

from pmo.reporting.api import views

router = SimpleRouter()
router.register("highlight-reports", views.HighlightReportViewSet, basename="highlight-report")
router.register("report-packs", views.ReportPackViewSet, basename="report-pack")

# Everything here is routed through ``router``.
urlpatterns: list = []
