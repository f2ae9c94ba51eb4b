"""Routes of the lifecycle and charter API; ``pmo.api.urls`` puts every app's router under ``/api/v1/``."""

from rest_framework.routers import SimpleRouter

from pmo.lifecycle.api import views

router = SimpleRouter()
views.register(router)

urlpatterns = []
