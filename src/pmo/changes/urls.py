from django.urls import path

from pmo.changes import views
from pmo.changes.models import ApprovalPolicy, ChangeRequest, ConfigurationItem, QualityReview
from pmo.core.views.generic import ObjectHistoryView

app_name = "changes"

urlpatterns = [
    path("changes/", views.ChangeListView.as_view(), name="change_list"),
    path("changes/export.xlsx", views.ChangeExportView.as_view(), name="change_export"),
    path("projects/<int:pk>/changes/new/", views.ChangeCreateView.as_view(), name="change_create"),
    path("changes/<int:pk>/", views.ChangeDetailView.as_view(), name="change_detail"),
    path("changes/<int:pk>/edit/", views.ChangeEditView.as_view(), name="change_edit"),
    path("changes/<int:pk>/history/", ObjectHistoryView.as_view(model=ChangeRequest), name="change_history"),
    path("changes/<int:pk>/<slug:transition>/", views.ChangeTransitionView.as_view(), name="change_transition"),
    path("configuration-items/", views.ItemListView.as_view(), name="item_list"),
    path("projects/<int:pk>/configuration-items/new/", views.ItemCreateView.as_view(), name="item_create"),
    path("configuration-items/<int:pk>/", views.ItemDetailView.as_view(), name="item_detail"),
    path("configuration-items/<int:pk>/edit/", views.ItemEditView.as_view(), name="item_edit"),
    path(
        "configuration-items/<int:pk>/history/", ObjectHistoryView.as_view(model=ConfigurationItem), name="item_history"
    ),
    path("quality-reviews/", views.ReviewListView.as_view(), name="review_list"),
    path("projects/<int:pk>/quality-reviews/new/", views.ReviewCreateView.as_view(), name="review_create"),
    path("quality-reviews/<int:pk>/", views.ReviewDetailView.as_view(), name="review_detail"),
    path("quality-reviews/<int:pk>/edit/", views.ReviewEditView.as_view(), name="review_edit"),
    path("quality-reviews/<int:pk>/result/", views.ReviewResultView.as_view(), name="review_result"),
    path("quality-reviews/<int:pk>/history/", ObjectHistoryView.as_view(model=QualityReview), name="review_history"),
    path("approval-limits/", views.PolicyListView.as_view(), name="policy_list"),
    path("approval-limits/new/", views.PolicyCreateView.as_view(), name="policy_create"),
    path("approval-limits/<int:pk>/", views.PolicyDetailView.as_view(), name="policy_detail"),
    path("approval-limits/<int:pk>/edit/", views.PolicyEditView.as_view(), name="policy_edit"),
    path("approval-limits/<int:pk>/history/", ObjectHistoryView.as_view(model=ApprovalPolicy), name="policy_history"),
]
