"""The portfolio services: validation with messages naming the field, audit with before/after,
permission re-checked inside the transaction, and nothing written when a rule refuses."""

from datetime import date
from decimal import Decimal

import pytest

from pmo.core.audit import snapshot
from pmo.core.choices import Role, ScopeType
from pmo.core.errors import DomainError, InvalidData, NotFound, PermissionRefused
from pmo.core.models import AuditEvent, RoleAssignment
from pmo.core.services import assign_role, revoke_role
from pmo.core.testing.logins import make_login
from pmo.portfolio import services
from pmo.portfolio.choices import LifecycleStage
from pmo.portfolio.models import Project


def test_creating_a_project_is_audited_with_its_values(world):
    project = services.create_project(
        actor=world.permitted,
        portfolio=world.portfolio,
        programme=world.programme,
        code="HERE-2",
        name="Data platform",
        budget=Decimal("250000"),
        reason="Approved at the portfolio board",
    )
    event = AuditEvent.objects.for_object(project).get()
    assert event.action == "project.created"
    assert event.actor == world.permitted
    assert event.before is None
    assert event.after["code"] == "HERE-2" and event.after["budget"] == "250000"
    assert event.reason == "Approved at the portfolio board"


def test_update_records_only_the_fields_that_changed(world):
    services.update_project(actor=world.permitted, project=world.project, changes={"name": "CRM", "rag": "red"})
    event = AuditEvent.objects.for_object(world.project).first()
    assert event.action == "project.changed"
    assert event.before == {"name": "CRM replacement", "rag": "green"}
    assert event.after == {"name": "CRM", "rag": "red"}


def test_update_without_a_change_writes_no_event(world):
    count = AuditEvent.objects.count()
    services.update_project(actor=world.permitted, project=world.project, changes={"name": world.project.name})
    assert AuditEvent.objects.count() == count


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"planned_finish": date(2025, 1, 1)}, "planned_finish"),
        ({"budget": Decimal("-1")}, "budget"),
        ({"code": "lower case"}, "code"),
        ({"code": "ELSE-1"}, "code"),
        ({"programme": None, "portfolio": None}, "portfolio"),
    ],
)
def test_invalid_values_are_refused_naming_the_field_and_nothing_changes(world, changes, field):
    before = snapshot(Project.objects.get(pk=world.project.pk))
    events = AuditEvent.objects.count()
    with pytest.raises(InvalidData) as refused:
        services.update_project(actor=world.admin, project=world.project, changes=changes)
    assert field in refused.value.errors
    assert snapshot(Project.objects.get(pk=world.project.pk)) == before
    assert AuditEvent.objects.count() == events


def test_programme_must_belong_to_the_projects_portfolio(world):
    with pytest.raises(InvalidData) as refused:
        services.update_project(actor=world.admin, project=world.project, changes={"programme": world.other_programme})
    assert "programme" in refused.value.errors


def test_unknown_fields_are_refused_not_ignored(world):
    with pytest.raises(InvalidData) as refused:
        services.update_project(actor=world.admin, project=world.project, changes={"colour": "blue"})
    assert "colour" in refused.value.errors


def test_stage_moves_follow_the_lifecycle(world):
    services.move_project_stage(actor=world.permitted, project=world.project, stage=LifecycleStage.INITIATION)
    with pytest.raises(InvalidData, match="cannot move from Initiation to Closed"):
        services.move_project_stage(actor=world.permitted, project=world.project, stage=LifecycleStage.CLOSED)
    assert Project.objects.get(pk=world.project.pk).stage == LifecycleStage.INITIATION
    event = AuditEvent.objects.for_object(world.project).first()
    assert event.action == "project.stage_changed"
    assert (event.before, event.after) == ({"stage": "proposed"}, {"stage": "initiation"})


def test_a_new_project_cannot_start_closed(world):
    with pytest.raises(InvalidData, match="cannot start closed"):
        services.create_project(
            actor=world.admin, portfolio=world.portfolio, code="X-1", name="X", stage=LifecycleStage.CLOSED
        )


def test_project_manager_changes_own_project_only(world):
    manager = make_login("pm.one", Role.PROJECT_MANAGER, ScopeType.PROJECT, world.project.pk)
    services.update_project(actor=manager, project=world.project, changes={"rag": "amber"})
    with pytest.raises(NotFound):
        services.update_project(actor=manager, project=world.other_project, changes={"rag": "red"})
    with pytest.raises(PermissionRefused):
        services.archive_project(actor=manager, project=world.project)
    with pytest.raises(PermissionRefused):
        services.create_project(actor=manager, portfolio=world.portfolio, code="PM-2", name="Side project")
    assert Project.objects.get(pk=world.other_project.pk).rag == "green"


def test_permission_is_checked_again_inside_the_transaction(world):
    # The page was shown while the user held the role; the role is revoked before the write.
    manager = make_login("pm.two", Role.PROJECT_MANAGER, ScopeType.PROJECT, world.project.pk)
    revoke_role(actor=world.admin, assignment=RoleAssignment.objects.get(person__user=manager))
    manager.refresh_from_db()
    with pytest.raises(NotFound):
        services.update_project(actor=manager, project=world.project, changes={"rag": "red"})


def test_moving_a_project_needs_create_rights_at_the_destination(world):
    with pytest.raises(PermissionRefused):
        services.update_project(
            actor=world.permitted,
            project=world.project,
            changes={"portfolio": world.other_portfolio, "programme": None},
        )


def test_archive_portfolio_refused_while_it_has_projects(world):
    with pytest.raises(DomainError, match="Archive or move"):
        services.archive_portfolio(actor=world.admin, portfolio=world.portfolio)


def test_objective_contributions_are_replaced_and_audited(world):
    services.set_project_objectives(
        actor=world.permitted, project=world.project, contributions={world.objective: Decimal("60")}
    )
    assert world.project.objective_links.get().contribution_weight == Decimal("60.00")
    event = AuditEvent.objects.for_object(world.project).first()
    assert event.after == {"objectives": {"GROW": "60.00"}}
    with pytest.raises(InvalidData):
        services.set_project_objectives(
            actor=world.permitted, project=world.project, contributions={world.objective: Decimal("120")}
        )
    assert world.project.objective_links.get().contribution_weight == Decimal("60.00")


def test_dependency_cannot_point_at_an_invisible_project(world):
    manager = make_login("pm.three", Role.PROJECT_MANAGER, ScopeType.PROJECT, world.project.pk)
    with pytest.raises(InvalidData) as refused:
        services.create_dependency(
            actor=manager, dependent=world.project, provider=world.other_project, output="x", needed_by=date(2026, 1, 1)
        )
    assert "provider" in refused.value.errors


def test_dependency_on_itself_is_refused(world):
    with pytest.raises(InvalidData) as refused:
        services.create_dependency(
            actor=world.admin, dependent=world.project, provider=world.project, output="x", needed_by=date(2026, 1, 1)
        )
    assert "provider" in refused.value.errors


def test_assigning_a_role_is_audited(world):
    assignment = assign_role(
        actor=world.org_head,
        person=world.person,
        role=Role.TEAM_MEMBER,
        scope_type=ScopeType.PROJECT,
        scope_id=world.project.pk,
    )
    event = AuditEvent.objects.for_object(assignment).get()
    assert event.after["role"] == "team_member" and event.after["scope_id"] == world.project.pk
