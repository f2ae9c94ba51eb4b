"""Routes of the levelling API; ``pmo.api.urls`` puts every app's router under ``/api/v1/``."""

from rest_framework.routers import SimpleRouter

from pmo.levelling.api import runs

router = SimpleRouter()
runs.register(router)

urlpatterns = []
