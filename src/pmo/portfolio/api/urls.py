"""Routes of the portfolio API; ``pmo.api.urls`` puts every app's router under ``/api/v1/``."""

from rest_framework.routers import SimpleRouter

from pmo.portfolio.api import views

router = SimpleRouter()
router.register("objectives", views.StrategicObjectiveViewSet, basename="objective")
router.register("portfolios", views.PortfolioViewSet, basename="portfolio")
router.register("programmes", views.ProgrammeViewSet, basename="programme")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("project-dependencies", views.ProjectDependencyViewSet, basename="project-dependency")

# Everything here is routed through ``router``.
urlpatterns = []
