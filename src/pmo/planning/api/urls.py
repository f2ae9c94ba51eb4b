"""Routes of the planning API; ``pmo.api.urls`` puts every app's router under ``/api/v1/``."""

from rest_framework.routers import SimpleRouter

from pmo.planning.api import views

router = SimpleRouter()
router.register("activities", views.ActivityViewSet, basename="activity")
router.register("links", views.LinkViewSet, basename="link")
router.register("calendars", views.CalendarViewSet, basename="calendar")
router.register("baselines", views.BaselineViewSet, basename="baseline")
router.register("plans", views.ProjectPlanViewSet, basename="plan")

# Everything here is routed through ``router``.
urlpatterns = []
