"""The REST API: ``/api/v1/`` (every app's resources), the OpenAPI schema and its two viewers.

URL names live in the ``api`` namespace: ``api:<basename>-list``, ``api:<basename>-detail``,
``api:schema``, ``api:docs``, ``api:redoc``.
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from pmo.api.routers import ApiRouter
from pmo.changes.api import urls as changes_api
from pmo.core.api import urls as core_api
from pmo.dashboards.api import urls as dashboards_api
from pmo.governance.api import urls as governance_api
from pmo.health.api import urls as health_api
from pmo.kpis.api import urls as kpis_api
from pmo.levelling.api import urls as levelling_api
from pmo.lifecycle.api import urls as lifecycle_api
from pmo.planning.api import urls as planning_api
from pmo.portfolio.api import urls as portfolio_api
from pmo.reporting.api import urls as reporting_api
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
router.include(health_api.router)
router.include(kpis_api.router)
router.include(reporting_api.router)
router.include(dashboards_api.router)

urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/", include(core_api.urlpatterns)),
    path("v1/", include(portfolio_api.urlpatterns)),
    path("v1/", include(governance_api.urlpatterns)),
    path("v1/", include(changes_api.urlpatterns)),
    path("v1/", include(lifecycle_api.urlpatterns)),
    path("v1/", include(health_api.urlpatterns)),
    path("v1/", include(kpis_api.urlpatterns)),
    path("v1/", include(reporting_api.urlpatterns)),
    path("v1/", include(dashboards_api.urlpatterns)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
]
