from django.urls import path

from pmo.core.views.generic import ObjectHistoryView
from pmo.lifecycle import views
from pmo.lifecycle.models import GateCriterion, GateReview, PMOCharter, Standard, TermsOfReference

app_name = "lifecycle"

urlpatterns = [
    # The PMO charter.
    path("charter/", views.CharterView.as_view(), name="charter"),
    path("charter/versions/", views.CharterListView.as_view(), name="charter_list"),
    path("charter/new/", views.CharterNewDraftView.as_view(), name="charter_new_draft"),
    path("charter/<int:pk>/", views.CharterDetailView.as_view(), name="charter_detail"),
    path("charter/<int:pk>/edit/", views.CharterEditView.as_view(), name="charter_edit"),
    path("charter/<int:pk>/publish/", views.CharterPublishView.as_view(), name="charter_publish"),
    path("charter/<int:pk>/history/", ObjectHistoryView.as_view(model=PMOCharter), name="charter_history"),
    # Terms of reference.
    path("terms/", views.TermsListView.as_view(), name="terms_list"),
    path("terms/<int:pk>/", views.TermsDetailView.as_view(), name="terms_detail"),
    path("terms/<int:pk>/edit/", views.TermsEditView.as_view(), name="terms_edit"),
    path("terms/<int:pk>/publish/", views.TermsPublishView.as_view(), name="terms_publish"),
    path("terms/<int:pk>/history/", ObjectHistoryView.as_view(model=TermsOfReference), name="terms_history"),
    path("projects/<int:pk>/terms/", views.ProjectTermsView.as_view(), name="project_terms"),
    path("projects/<int:pk>/terms/new/", views.ProjectTermsNewDraftView.as_view(), name="project_terms_new"),
    # Standards.
    path("standards/", views.StandardListView.as_view(), name="standard_list"),
    path("standards/new/", views.StandardCreateView.as_view(), name="standard_create"),
    path("standards/<int:pk>/", views.StandardDetailView.as_view(), name="standard_detail"),
    path("standards/<int:pk>/edit/", views.StandardEditView.as_view(), name="standard_edit"),
    path("standards/<int:pk>/publish/", views.StandardPublishView.as_view(), name="standard_publish"),
    path("standards/<int:pk>/retire/", views.StandardRetireView.as_view(), name="standard_retire"),
    path("standards/<int:pk>/history/", ObjectHistoryView.as_view(model=Standard), name="standard_history"),
    # Gate criteria.
    path("gate-criteria/", views.CriterionListView.as_view(), name="criterion_list"),
    path("gate-criteria/new/", views.CriterionCreateView.as_view(), name="criterion_create"),
    path("gate-criteria/<int:pk>/", views.CriterionDetailView.as_view(), name="criterion_detail"),
    path("gate-criteria/<int:pk>/edit/", views.CriterionEditView.as_view(), name="criterion_edit"),
    path("gate-criteria/<int:pk>/archive/", views.CriterionArchiveView.as_view(), name="criterion_archive"),
    path("gate-criteria/<int:pk>/history/", ObjectHistoryView.as_view(model=GateCriterion), name="criterion_history"),
    # Gates of projects.
    path("projects/<int:pk>/gates/", views.ProjectGatesView.as_view(), name="project_gates"),
    path("projects/<int:pk>/gates/open/", views.ReviewOpenView.as_view(), name="review_open"),
    path("projects/<int:pk>/move/", views.ProjectMoveView.as_view(), name="project_move"),
    path("projects/<int:pk>/stop/", views.ProjectStopView.as_view(), name="project_stop"),
    path("gate-reviews/", views.ReviewListView.as_view(), name="review_list"),
    path("gate-reviews/<int:pk>/", views.ReviewDetailView.as_view(), name="review_detail"),
    path("gate-reviews/<int:pk>/decide/", views.ReviewDecideView.as_view(), name="review_decide"),
    path("gate-reviews/<int:pk>/history/", ObjectHistoryView.as_view(model=GateReview), name="review_history"),
    path("gate-checklist/<int:pk>/evidence/", views.EvidenceEditView.as_view(), name="evidence_edit"),
    path("gate-checklist/<int:pk>/document/", views.EvidenceDocumentView.as_view(), name="evidence_document"),
]
