"""Routes of the resourcing API; ``pmo.api.urls`` puts every app's router under ``/api/v1/``.
Each module of this package registers its viewsets in ``register(router)``."""

from rest_framework.routers import SimpleRouter

from pmo.resourcing.api import capacity, rebalancing, resources, timesheets, training, transfer

router = SimpleRouter()
for module in (resources, timesheets, capacity, training, rebalancing, transfer):
    module.register(router)

# Everything here is routed through ``router``.
urlpatterns = []
