"""The portfolio pages as a person uses them: lists filter, sort and paginate in a constant
number of queries; forms name the field at fault and save nothing; a project manager of one
project reaches no other project through the UI or the admin."""

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pmo.core.choices import Role, ScopeType
from pmo.core.models import AuditEvent
from pmo.core.testing.harness import form_data
from pmo.core.testing.logins import make_login
from pmo.portfolio import services
from pmo.portfolio.forms import ProjectForm
from pmo.portfolio.models import Project


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _add_projects(world, count: int, start: int = 100):
    for number in range(start, start + count):
        project = services.create_project(
            actor=world.admin,
            portfolio=world.portfolio,
            programme=world.programme,
            code=f"BULK-{number}",
            name=f"Bulk project {number}",
            planned_finish=date(2027, 1, 1),
        )
        services.set_project_objectives(actor=world.admin, project=project, contributions={world.objective: 10})


LIST_PAGES = [
    "portfolio:project_list",
    "portfolio:programme_list",
    "portfolio:portfolio_list",
    "portfolio:objective_list",
    "portfolio:dependency_list",
    "core:person_list",
    "core:unit_list",
    "core:office_list",
    "core:audit_list",
    "web:home",
]


@pytest.mark.parametrize("page", LIST_PAGES)
def test_list_pages_use_a_constant_number_of_queries(world, page):
    client = _signed_in(world.admin)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(page) + "?sort=" if page != "web:home" else reverse(page)).status_code == 200
        return len(captured)

    few = count_queries()
    _add_projects(world, 30)
    assert count_queries() == few


def test_project_list_filters_sorts_and_paginates(world):
    _add_projects(world, 30)
    client = _signed_in(world.permitted)
    response = client.get(reverse("portfolio:project_list"), {"q": "Bulk", "sort": "-code"})
    page = response.context["page_obj"]
    assert page.paginator.count == 30
    assert [row.code for row in page.object_list][:2] == ["BULK-129", "BULK-128"]
    assert len(page.object_list) == 25
    second = client.get(reverse("portfolio:project_list"), {"q": "Bulk", "sort": "-code", "page": 2})
    assert len(second.context["page_obj"].object_list) == 5


def test_unknown_sort_key_and_bad_filter_do_not_break_the_page(world):
    client = _signed_in(world.permitted)
    assert client.get(reverse("portfolio:project_list"), {"sort": "password"}).status_code == 200
    response = client.get(reverse("portfolio:project_list"), {"stage": "nonsense"})
    assert response.status_code == 200
    assert "stage" in response.context["filterset"].errors


def test_htmx_filter_returns_only_the_table(world):
    response = _signed_in(world.permitted).get(reverse("portfolio:project_list"), {"q": "CRM"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b"CRM replacement" in response.content


def test_create_project_through_the_form(world):
    client = _signed_in(world.permitted)
    response = client.post(
        reverse("portfolio:project_create"),
        {
            "portfolio": world.portfolio.pk,
            "programme": world.programme.pk,
            "code": "HERE-9",
            "name": "Self-service portal",
            "stage": "proposed",
            "budget": "120000",
            "rag": "green",
            "planned_start": "2026-03-02",
            "planned_finish": "2026-09-30",
        },
    )
    project = Project.objects.get(code="HERE-9")
    assert response.status_code == 302 and response["Location"] == project.get_absolute_url()
    assert AuditEvent.objects.for_object(project).get().action == "project.created"


def test_bad_form_input_names_the_field_and_saves_nothing(world):
    client = _signed_in(world.permitted)
    before = Project.objects.count()
    response = client.post(
        reverse("portfolio:project_create"),
        {
            "portfolio": world.portfolio.pk,
            "code": "HERE-10",
            "name": "Late",
            "stage": "proposed",
            "budget": "-3",
            "rag": "green",
            "planned_start": "2026-09-30",
            "planned_finish": "2026-03-02",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "budget" in errors and "planned_finish" in errors
    assert Project.objects.count() == before


def test_stage_jump_in_the_edit_form_is_refused_with_the_reason(world):
    data = form_data(ProjectForm, world.project, stage="closed")
    response = _signed_in(world.permitted).post(reverse("portfolio:project_edit", args=[world.project.pk]), data)
    assert response.status_code == 200
    assert "cannot move from Proposed to Closed" in str(response.context["form"].errors["stage"])
    assert Project.objects.get(pk=world.project.pk).stage == "proposed"


def test_project_form_offers_only_portfolios_the_user_can_see(world):
    response = _signed_in(world.permitted).get(reverse("portfolio:project_create"))
    choices = list(response.context["form"].fields["portfolio"].queryset)
    assert choices == [world.portfolio]


def test_project_manager_reaches_no_other_project_in_ui_or_admin(world):
    manager = make_login("pm.only", Role.PROJECT_MANAGER, ScopeType.PROJECT, world.project.pk)
    client = _signed_in(manager)
    assert client.get(reverse("portfolio:project_detail", args=[world.project.pk])).status_code == 200
    assert client.get(reverse("portfolio:project_detail", args=[world.other_project.pk])).status_code == 404
    assert client.get(reverse("portfolio:project_edit", args=[world.other_project.pk])).status_code == 404
    assert client.get(reverse("portfolio:project_history", args=[world.other_project.pk])).status_code == 404
    listed = client.get(reverse("portfolio:project_list")).context["object_list"]
    assert [project.code for project in listed] == ["HERE-1"]
    data = form_data(ProjectForm, world.other_project, name="Hijacked")
    assert client.post(reverse("portfolio:project_edit", args=[world.other_project.pk]), data).status_code == 404
    assert Project.objects.get(pk=world.other_project.pk).name == "Warehouse automation"
    # The admin is for administrators only.
    admin_page = client.get(reverse("admin:portfolio_project_change", args=[world.other_project.pk]))
    assert admin_page.status_code == 302 and "login" in admin_page["Location"]
    assert (
        client.post(reverse("admin:portfolio_project_change", args=[world.other_project.pk]), {"name": "x"}).status_code
        == 302
    )
    assert Project.objects.get(pk=world.other_project.pk).name == "Warehouse automation"


def test_project_manager_may_edit_but_not_archive_own_project(world):
    manager = make_login("pm.edit", Role.PROJECT_MANAGER, ScopeType.PROJECT, world.project.pk)
    client = _signed_in(manager)
    page = client.get(reverse("portfolio:project_detail", args=[world.project.pk]))
    assert page.context["can_change"] and not page.context["can_archive"]
    response = client.post(reverse("portfolio:project_archive", args=[world.project.pk]), {"reason": "done"})
    assert response.status_code == 403
    assert not Project.objects.get(pk=world.project.pk).is_archived


def test_archive_keeps_the_reason_in_the_audit_trail(world):
    client = _signed_in(world.permitted)
    response = client.post(
        reverse("portfolio:project_archive", args=[world.project.pk]), {"reason": "Merged into HERE-2"}
    )
    assert response.status_code == 302
    event = AuditEvent.objects.for_object(world.project).first()
    assert event.action == "project.archived" and event.reason == "Merged into HERE-2"


def test_history_tab_shows_changes_with_before_and_after(world):
    services.update_project(
        actor=world.permitted, project=world.project, changes={"rag": "red"}, reason="Supplier late"
    )
    response = _signed_in(world.permitted).get(reverse("portfolio:project_history", args=[world.project.pk]))
    content = response.content.decode()
    assert "project.changed" in content and "Supplier late" in content
    assert "<del>green</del>" in content and "<ins>red</ins>" in content


def test_administrator_edits_in_admin_with_audit(world):
    client = _signed_in(world.admin)
    url = reverse("admin:portfolio_portfolio_change", args=[world.portfolio.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"code": "HERE", "name": "Renamed in admin", "description": "", "manager": ""})
    assert response.status_code == 302
    event = AuditEvent.objects.for_object(world.portfolio).first()
    assert event.action == "portfolio.changed_in_admin" and event.after["name"] == "Renamed in admin"


def test_objectives_formset_saves_contributions(world):
    client = _signed_in(world.permitted)
    url = reverse("portfolio:project_objectives", args=[world.project.pk])
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-objective": world.objective.pk,
        "form-0-contribution_weight": "70",
        "form-1-objective": world.objective.pk,
        "form-1-contribution_weight": "20",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "listed twice" in response.content.decode()
    assert not world.project.objective_links.exists()
    data.update({"form-1-objective": "", "form-1-contribution_weight": ""})
    assert client.post(url, data).status_code == 302
    assert str(world.project.objective_links.get().contribution_weight) == "70.00"


@pytest.mark.parametrize(
    "path", ["/projects/99999999999999999999999/", "/projects/?project=1e400&manager=99999999999999999999999"]
)
def test_numbers_the_database_cannot_hold_do_not_break_pages(world, path):
    assert _signed_in(world.admin).get(path).status_code in (200, 404)


def test_edit_forms_show_dates_as_the_date_picker_reads_them(client, world):
    """A date field is shown in ISO form whatever the language's date format, so that the
    browser's date picker shows it and saving the form does not clear it."""
    client.force_login(world.admin)
    html = client.get(reverse("portfolio:project_edit", args=[world.project.pk])).content.decode()
    assert 'value="2026-01-05"' in html  # the project's planned start
