"""The shared foundation other apps build on: actions, the decision log, notifications and the
routing of messages to the people holding a role."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from pmo.core.choices import Role, ScopeType
from pmo.core.errors import DomainError, InvalidData, NotFound, PermissionRefused
from pmo.core.models import AuditEvent
from pmo.core.testing.logins import make_login
from pmo.governance import services
from pmo.governance.choices import ActionStatus, NotificationKind
from pmo.governance.models import ActionItem, Decision, Notification

pytestmark = pytest.mark.django_db


def test_an_action_is_created_audited_and_visible_to_its_register_and_owner(world):
    owner_login = make_login("ada.owner")
    action = services.create_action(
        actor=world.permitted,
        title="  Confirm the data model  ",
        owner=owner_login.person,
        due_on=date(2026, 5, 1),
        project=world.project,
        programme=world.programme,
        source=world.dependency,
    )
    assert action.title == "Confirm the data model"
    assert (action.project, action.programme, action.portfolio) == (world.project, None, None)
    assert action.source == world.dependency and action.created_by == world.permitted
    event = AuditEvent.objects.for_object(action).get()
    assert event.action == "actionitem.created" and event.after["title"] == "Confirm the data model"
    assert set(ActionItem.objects.visible_to(world.permitted)) == {action}
    assert set(ActionItem.objects.visible_to(owner_login)) == {action}
    assert not ActionItem.objects.visible_to(world.elsewhere_user).exists()
    assert not ActionItem.objects.visible_to(world.nobody).exists()
    # The owner sees it but may not change the register.
    assert not ActionItem.objects.visible_to(owner_login, "change").exists()


def test_creating_an_action_is_refused_without_the_right_and_changes_nothing(world):
    viewer = make_login("viewer", Role.TEAM_MEMBER, ScopeType.PROJECT, world.project.pk)
    events = AuditEvent.objects.count()
    with pytest.raises(NotFound):
        services.create_action(actor=world.elsewhere_user, title="Sneak in", project=world.project)
    with pytest.raises(PermissionRefused):
        services.create_action(actor=viewer, title="Sneak in", project=world.project)
    with pytest.raises(InvalidData) as error:
        services.create_action(actor=world.permitted, title="Nowhere")
    assert "register" in error.value.errors
    with pytest.raises(InvalidData):
        services.create_action(actor=world.permitted, title="", project=world.project)
    with pytest.raises(InvalidData):
        services.create_action(
            actor=world.permitted, title="Mismatch", project=world.project, programme=world.other_programme
        )
    with pytest.raises(InvalidData):
        services.create_action(actor=world.permitted, title="Bad date", project=world.project, due_on="soon")
    assert not ActionItem.objects.exists()
    assert AuditEvent.objects.count() == events


def test_the_system_creates_actions_and_decisions_without_an_actor(world):
    action = services.create_action(actor=None, title="Close the gate condition", programme=world.programme)
    decision = services.record_decision(actor=None, title="Gate passed", portfolio=world.portfolio, body="PMO")
    assert action.created_by is None and action.level == "programme"
    assert decision.decided_on == timezone.localdate() and decision.register == world.portfolio
    assert AuditEvent.objects.for_object(decision).get().actor_name == "system"


def test_the_owner_completes_and_only_the_register_cancels(world):
    owner_login = make_login("ada.owner")
    action = services.create_action(
        actor=world.admin, title="Sign off", owner=owner_login.person, project=world.project
    )
    with pytest.raises(PermissionRefused):
        services.cancel_action(actor=owner_login, action=action)
    done = services.complete_action(actor=owner_login, action=action, reason="Signed")
    assert done.status == ActionStatus.DONE and done.completed_on == timezone.localdate()
    with pytest.raises(DomainError):
        services.complete_action(actor=owner_login, action=action)
    event = AuditEvent.objects.for_object(action).first()
    assert event.action == "actionitem.completed" and event.before == {"status": "open", "completed_on": None}
    reopened = services.reopen_action(actor=world.permitted, action=action)
    assert reopened.is_open and reopened.completed_on is None
    cancelled = services.cancel_action(actor=world.permitted, action=action)
    assert cancelled.status == ActionStatus.CANCELLED
    with pytest.raises(NotFound):
        services.complete_action(actor=world.elsewhere_user, action=action)


def test_updating_an_action_audits_only_what_changed(world):
    action = services.create_action(actor=world.admin, title="Draft", project=world.project)
    services.update_action(actor=world.permitted, action=action, changes={"due_on": date(2026, 7, 1)})
    event = AuditEvent.objects.for_object(action).first()
    assert (event.before, event.after) == ({"due_on": None}, {"due_on": "2026-07-01"})
    with pytest.raises(InvalidData):
        services.update_action(actor=world.permitted, action=action, changes={"status": "done"})
    with pytest.raises(InvalidData):
        services.update_action(actor=world.permitted, action=action, changes={"title": " "})
    action.refresh_from_db()
    assert action.title == "Draft" and action.status == ActionStatus.OPEN


def test_decisions_are_refused_in_the_future_and_outside_scope(world):
    with pytest.raises(InvalidData):
        services.record_decision(
            actor=world.permitted,
            title="Later",
            project=world.project,
            decided_on=timezone.localdate() + timedelta(days=1),
        )
    with pytest.raises(NotFound):
        services.record_decision(actor=world.elsewhere_user, title="Not mine", project=world.project)
    decision = services.record_decision(
        actor=world.permitted, title="Buy, not build", project=world.project, decided_by=world.person, body="Board"
    )
    assert set(Decision.objects.visible_to(world.permitted)) == {decision}
    assert not Decision.objects.visible_to(world.elsewhere_user).exists()
    services.update_decision(actor=world.permitted, decision=decision, changes={"body": "Project board"})
    assert AuditEvent.objects.for_object(decision).first().after == {"body": "Project board"}


def test_users_with_role_covers_the_scope_and_every_wider_one(world):
    on_project = make_login("pm.here", Role.PROJECT_MANAGER, ScopeType.PROJECT, world.project.pk)
    on_programme = make_login("pm.programme", Role.PROJECT_MANAGER, ScopeType.PROGRAMME, world.programme.pk)
    everywhere = make_login("pm.everywhere", Role.PROJECT_MANAGER)
    make_login("pm.else", Role.PROJECT_MANAGER, ScopeType.PROJECT, world.other_project.pk)
    assert services.users_with_role(Role.PROJECT_MANAGER, project=world.project) == [
        everywhere,
        on_project,
        on_programme,
    ]
    assert services.users_with_role(Role.PROJECT_MANAGER, programme=world.programme) == [everywhere, on_programme]
    assert services.users_with_role(Role.PORTFOLIO_MANAGER, programme=world.programme) == [world.permitted]
    assert services.users_with_role(Role.PROJECT_MANAGER) == [everywhere]
    everywhere.is_active = False
    everywhere.save()
    assert everywhere not in services.users_with_role(Role.PROJECT_MANAGER, project=world.project)
    with pytest.raises(InvalidData):
        services.users_with_role("king")


def test_notify_stores_one_row_per_user_and_emails_after_commit(world, django_capture_on_commit_callbacks):
    world.permitted.email = "here@example.org"
    world.permitted.save()
    with django_capture_on_commit_callbacks(execute=True):
        rows = services.notify(
            recipients=[world.permitted, world.permitted, world.nobody, None],
            kind=NotificationKind.ESCALATION,
            message="Risk R-1 escalated to Digital",
            url="/governance/risks/1/",
        )
    assert [row.recipient for row in rows] == [world.permitted, world.nobody]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["here@example.org"]
    assert "escalated" in mail.outbox[0].subject and "/governance/risks/1/" in mail.outbox[0].body
    assert Notification.objects.visible_to(world.permitted).count() == 1
    assert Notification.objects.visible_to(world.admin).count() == 0
    with pytest.raises(InvalidData):
        services.notify(recipients=[world.permitted], kind="gossip", message="x")
    with pytest.raises(InvalidData):
        services.notify(recipients=[world.permitted], kind="other", message="  ")


def test_mark_read_touches_only_the_readers_own(world):
    (mine,) = services.notify(recipients=[world.permitted], kind="other", message="Hello", email=False)
    (theirs,) = services.notify(recipients=[world.nobody], kind="other", message="Hello", email=False)
    with pytest.raises(NotFound):
        services.mark_read(actor=world.permitted, notification=theirs)
    assert services.mark_read(actor=world.permitted, notification=mine) == 1
    services.notify(recipients=[world.permitted], kind="other", message="Again", email=False)
    assert services.mark_read(actor=world.permitted, every=True) == 1
    theirs.refresh_from_db()
    assert theirs.read_at is None
