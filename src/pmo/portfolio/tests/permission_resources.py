"""The portfolio hierarchy's resources in the permission matrix (web/tests/test_permission_matrix.py)."""

from pmo.core.testing.harness import Resource, form_data
from pmo.portfolio.forms import PortfolioForm, ProgrammeForm, ProjectDependencyForm, ProjectForm, StrategicObjectiveForm

PORTFOLIO_RESOURCES = [
    Resource(
        name="objective",
        obj=lambda w: w.objective,
        permitted=lambda w: w.org_head,
        scoped=False,
        ui_list="portfolio:objective_list",
        ui_detail="portfolio:objective_detail",
        ui_edit="portfolio:objective_edit",
        edit_form=lambda objective: form_data(StrategicObjectiveForm, objective, name="Grow revenue abroad"),
        api_basename="objective",
        api_change={"name": "Grow revenue abroad"},
    ),
    Resource(
        name="portfolio",
        obj=lambda w: w.portfolio,
        permitted=lambda w: w.permitted,
        scoped=True,
        ui_list="portfolio:portfolio_list",
        ui_detail="portfolio:portfolio_detail",
        ui_edit="portfolio:portfolio_edit",
        edit_form=lambda portfolio: form_data(PortfolioForm, portfolio, name="Change and growth"),
        api_basename="portfolio",
        api_change={"name": "Change and growth"},
    ),
    Resource(
        name="programme",
        obj=lambda w: w.programme,
        permitted=lambda w: w.permitted,
        scoped=True,
        ui_list="portfolio:programme_list",
        ui_detail="portfolio:programme_detail",
        ui_edit="portfolio:programme_edit",
        edit_form=lambda programme: form_data(ProgrammeForm, programme, name="Digital channels"),
        api_basename="programme",
        api_change={"name": "Digital channels"},
    ),
    Resource(
        name="project",
        obj=lambda w: w.project,
        permitted=lambda w: w.permitted,
        scoped=True,
        ui_list="portfolio:project_list",
        ui_detail="portfolio:project_detail",
        ui_edit="portfolio:project_edit",
        edit_form=lambda project: form_data(ProjectForm, project, name="CRM replacement, phase 1", rag="amber"),
        api_basename="project",
        api_change={"name": "CRM replacement, phase 1", "rag": "amber"},
    ),
    # The provider's managers see a dependency on their project, but only the dependent
    # project's managers may change it.
    Resource(
        name="project-dependency",
        obj=lambda w: w.dependency,
        permitted=lambda w: w.permitted,
        scoped=False,
        ui_list="portfolio:dependency_list",
        ui_detail="portfolio:dependency_detail",
        ui_edit="portfolio:dependency_edit",
        edit_form=lambda dependency: form_data(ProjectDependencyForm, dependency, status="at_risk"),
        api_basename="project-dependency",
        api_change={"status": "at_risk"},
    ),
]
