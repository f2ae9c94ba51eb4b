"""Routes of the governance API; ``pmo.api.urls`` puts every app's router under ``/api/v1/``."""

from rest_framework.routers import SimpleRouter

from pmo.governance.api import views

router = SimpleRouter()
views.register(router)

urlpatterns = []
