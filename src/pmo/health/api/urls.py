"""Routes of the health API; ``pmo.api.urls`` puts every app's router under ``/api/v1/``."""

from rest_framework.routers import SimpleRouter

from pmo.health.api import views

router = SimpleRouter()
router.register("health-checks", views.HealthCheckViewSet, basename="health-check")
router.register("project-health", views.ProjectHealthViewSet, basename="project-health")
router.register("project-snapshots", views.ProjectSnapshotViewSet, basename="project-snapshot")
router.register("health-rules", views.HealthRuleSettingViewSet, basename="health-rule")

# Everything here is routed through ``router``.
urlpatterns: list = []
