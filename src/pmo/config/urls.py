from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path

from pmo.core.admin import admin_site

urlpatterns = [
    path("", include("pmo.web.urls")),
    path("", include("pmo.core.urls")),
    path("", include("pmo.portfolio.urls")),
    path("", include("pmo.planning.urls")),
    path("", include("pmo.resourcing.urls")),
    path("", include("pmo.levelling.urls")),
    path("", include("pmo.governance.urls")),
    path("", include("pmo.changes.urls")),
    path("", include("pmo.lifecycle.urls")),
    path("", include("pmo.health.urls")),
    path("", include("pmo.kpis.urls")),
    path("", include("pmo.reporting.urls")),
    path("", include("pmo.dashboards.urls")),
    path("api/", include("pmo.api.urls")),
    path("admin/", admin_site.urls),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler403 = "pmo.web.views.permission_denied"
handler404 = "pmo.web.views.page_not_found"
handler500 = "pmo.web.views.server_error"
