from django.urls import path

from pmo.core.views.generic import ObjectHistoryView
from pmo.portfolio import views
from pmo.portfolio.models import Portfolio, Programme, Project, ProjectDependency, StrategicObjective

app_name = "portfolio"


def _object_routes(prefix: str, name: str, model, *views):
    """The list, create, detail, edit and archive pages of one model (None for a page it lacks)."""
    list_view, create_view, detail_view, edit_view, archive_view = views
    routes = [
        path(f"{prefix}/", list_view.as_view(), name=f"{name}_list"),
        path(f"{prefix}/<int:pk>/", detail_view.as_view(), name=f"{name}_detail"),
        path(f"{prefix}/<int:pk>/edit/", edit_view.as_view(), name=f"{name}_edit"),
        path(f"{prefix}/<int:pk>/history/", ObjectHistoryView.as_view(model=model), name=f"{name}_history"),
    ]
    if create_view is not None:
        routes.append(path(f"{prefix}/new/", create_view.as_view(), name=f"{name}_create"))
    if archive_view is not None:
        routes.append(path(f"{prefix}/<int:pk>/archive/", archive_view.as_view(), name=f"{name}_archive"))
    return routes


urlpatterns = [
    *_object_routes(
        "objectives",
        "objective",
        StrategicObjective,
        views.ObjectiveListView,
        views.ObjectiveCreateView,
        views.ObjectiveDetailView,
        views.ObjectiveEditView,
        views.ObjectiveArchiveView,
    ),
    *_object_routes(
        "portfolios",
        "portfolio",
        Portfolio,
        views.PortfolioListView,
        views.PortfolioCreateView,
        views.PortfolioDetailView,
        views.PortfolioEditView,
        views.PortfolioArchiveView,
    ),
    *_object_routes(
        "programmes",
        "programme",
        Programme,
        views.ProgrammeListView,
        views.ProgrammeCreateView,
        views.ProgrammeDetailView,
        views.ProgrammeEditView,
        views.ProgrammeArchiveView,
    ),
    *_object_routes(
        "projects",
        "project",
        Project,
        views.ProjectListView,
        views.ProjectCreateView,
        views.ProjectDetailView,
        views.ProjectEditView,
        views.ProjectArchiveView,
    ),
    path("projects/<int:pk>/objectives/", views.ProjectObjectivesView.as_view(), name="project_objectives"),
    path("projects/<int:pk>/dependencies/new/", views.DependencyCreateView.as_view(), name="dependency_create"),
    *_object_routes(
        "dependencies",
        "dependency",
        ProjectDependency,
        views.DependencyListView,
        None,
        views.DependencyDetailView,
        views.DependencyEditView,
        None,
    ),
    path("dependencies/<int:pk>/delete/", views.DependencyDeleteView.as_view(), name="dependency_delete"),
]
