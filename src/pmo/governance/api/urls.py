"""Routes of the governance API; ``pmo.api.urls`` puts every app's router under ``/api/v1/``."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from pmo.governance.api import views

router = SimpleRouter()
views.register(router)

urlpatterns = [
    path("risk-scale/", views.RiskScaleView.as_view(), name="risk-scale"),
    path("escalation-rule/", views.EscalationRuleView.as_view(), name="escalation-rule"),
]
