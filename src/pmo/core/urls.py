from django.urls import path

from pmo.core.models import OrganisationUnit, Person, PMOOffice
from pmo.core.views import organisation as views
from pmo.core.views.generic import ObjectHistoryView

app_name = "core"

urlpatterns = [
    path("units/", views.UnitListView.as_view(), name="unit_list"),
    path("units/new/", views.UnitCreateView.as_view(), name="unit_create"),
    path("units/<int:pk>/", views.UnitDetailView.as_view(), name="unit_detail"),
    path("units/<int:pk>/edit/", views.UnitEditView.as_view(), name="unit_edit"),
    path("units/<int:pk>/archive/", views.UnitArchiveView.as_view(), name="unit_archive"),
    path("units/<int:pk>/history/", ObjectHistoryView.as_view(model=OrganisationUnit), name="unit_history"),
    path("people/", views.PersonListView.as_view(), name="person_list"),
    path("people/new/", views.PersonCreateView.as_view(), name="person_create"),
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("people/<int:pk>/edit/", views.PersonEditView.as_view(), name="person_edit"),
    path("people/<int:pk>/archive/", views.PersonArchiveView.as_view(), name="person_archive"),
    path("people/<int:pk>/history/", ObjectHistoryView.as_view(model=Person), name="person_history"),
    path("people/<int:pk>/roles/new/", views.RoleAssignView.as_view(), name="role_assign"),
    path("roles/<int:pk>/revoke/", views.RoleRevokeView.as_view(), name="role_revoke"),
    path("offices/", views.OfficeListView.as_view(), name="office_list"),
    path("offices/new/", views.OfficeCreateView.as_view(), name="office_create"),
    path("offices/<int:pk>/", views.OfficeDetailView.as_view(), name="office_detail"),
    path("offices/<int:pk>/edit/", views.OfficeEditView.as_view(), name="office_edit"),
    path("offices/<int:pk>/archive/", views.OfficeArchiveView.as_view(), name="office_archive"),
    path("offices/<int:pk>/history/", ObjectHistoryView.as_view(model=PMOOffice), name="office_history"),
    path("offices/<int:pk>/members/new/", views.OfficeMemberAddView.as_view(), name="office_member_add"),
    path("office-members/<int:pk>/remove/", views.OfficeMemberRemoveView.as_view(), name="office_member_remove"),
    path("audit/", views.AuditEventListView.as_view(), name="audit_list"),
]
