"""Routes of the kpis API; ``pmo.api.urls`` puts every app's router under ``/api/v1/``."""

from rest_framework.routers import SimpleRouter

from pmo.kpis.api import views

router = SimpleRouter()
router.register("kpis", views.KPIViewSet, basename="kpi")
router.register("kpi-measurements", views.MeasurementViewSet, basename="kpi-measurement")
router.register("kpi-recommendations", views.RecommendationViewSet, basename="kpi-recommendation")

# Everything here is routed through ``router``.
urlpatterns: list = []
