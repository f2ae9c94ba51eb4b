"""Routes of the core API; ``pmo.api.urls`` puts every app's router, and these patterns, under
``/api/v1/``, so that one API root lists every resource."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from pmo.core.api import views

router = SimpleRouter()
router.register("units", views.OrganisationUnitViewSet, basename="unit")
router.register("people", views.PersonViewSet, basename="person")
router.register("offices", views.PMOOfficeViewSet, basename="office")
router.register("office-memberships", views.OfficeMembershipViewSet, basename="office-membership")
router.register("role-assignments", views.RoleAssignmentViewSet, basename="role-assignment")
router.register("audit-events", views.AuditEventViewSet, basename="audit-event")

urlpatterns = [
    path("auth/token/", views.ObtainTokenView.as_view(), name="auth-token"),
]
