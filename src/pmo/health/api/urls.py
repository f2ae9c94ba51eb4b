"""Routes of the health API; ``pmo.api.urls`` puts every app's router under ``/api/v1/``."""

from rest_framework.routers import SimpleRouter

router = SimpleRouter()

urlpatterns: list = []
