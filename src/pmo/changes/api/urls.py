"""Routes of the change control API; ``pmo.api.urls`` puts every app's router under ``/api/v1/``."""

from rest_framework.routers import SimpleRouter

from pmo.changes.api import views

router = SimpleRouter()
router.register("change-requests", views.ChangeRequestViewSet, basename="change-request")
router.register("configuration-items", views.ConfigurationItemViewSet, basename="configuration-item")
router.register("quality-reviews", views.QualityReviewViewSet, basename="quality-review")
router.register("approval-policies", views.ApprovalPolicyViewSet, basename="approval-policy")

# Everything here is routed through ``router``.
urlpatterns = []
