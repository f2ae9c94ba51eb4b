from django.urls import path

from pmo.core.views.generic import ObjectHistoryView
from pmo.kpis import views
from pmo.kpis.models import KPI

app_name = "kpis"

LEVEL = "<str:level>"

urlpatterns = [
    path("kpis/", views.KPIListView.as_view(), name="kpi_list"),
    path("kpis/new/", views.KPICreateView.as_view(), name="kpi_create"),
    path("kpis/formula-check/", views.FormulaCheckView.as_view(), name="formula_check"),
    path("kpis/recommendations/", views.RecommendationListView.as_view(), name="recommendation_list"),
    path(
        "kpis/recommendations/<int:pk>/accept/",
        views.RecommendationDecisionView.as_view(decision="accept"),
        name="recommendation_accept",
    ),
    path(
        "kpis/recommendations/<int:pk>/dismiss/",
        views.RecommendationDecisionView.as_view(decision="dismiss"),
        name="recommendation_dismiss",
    ),
    path(f"kpis/panel/{LEVEL}/<int:pk>/", views.TargetPanelView.as_view(), name="target_panel"),
    path(f"kpis/measure/{LEVEL}/<int:pk>/", views.MeasurementCreateView.as_view(), name="measurement_create"),
    path("kpis/<int:pk>/", views.KPIDetailView.as_view(), name="kpi_detail"),
    path("kpis/<int:pk>/edit/", views.KPIEditView.as_view(), name="kpi_edit"),
    path("kpis/<int:pk>/history/", ObjectHistoryView.as_view(model=KPI), name="kpi_history"),
]
