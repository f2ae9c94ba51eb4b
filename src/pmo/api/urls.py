"""The REST API: ``/api/v1/`` (every app's resources), the OpenAPI schema and its two viewers.

URL names live in the ``api`` namespace: ``api:<basename>-list``, ``api:<basename>-detail``,
``api:schema``, ``api:docs``, ``api:redoc``.
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from pmo.api.routers import ApiRouter
from pmo.changes.api import urls as changes_api
from pmo.core.api import urls as core_api
from pmo.governance.api import urls as governance_api
from pmo.levelling.api import urls as levelling_api
from pmo.lifecycle.api import urls as lifecycle_api
from pmo.planning.api import urls as planning_api
from pmo.portfolio.api import urls as portfolio_api
from pmo.resourcing.api import urls as resourcing_api

app_name = "api"

router = ApiRouter()
router.include(core_api.router)
router.include(portfolio_api.router)
router.include(planning_api.router)
router.include(resourcing_api.router)
router.include(levelling_api.router)
router.include(governance_api.router)
router.include(changes_api.router)
router.include(lifecycle_api.router)

urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/", include(core_api.urlpatterns)),
    path("v1/", include(portfolio_api.urlpatterns)),
    path("v1/", include(governance_api.urlpatterns)),
    path("v1/", include(changes_api.urlpatterns)),
    path("v1/", include(lifecycle_api.urlpatterns)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
]
