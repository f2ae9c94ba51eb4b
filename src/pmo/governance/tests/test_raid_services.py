"""The RAID registers as their services keep them: scores on the organisation's scale, the
escalation rule with its history, permissions, refusals that change nothing, exposure."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from pmo.core.choices import Role, ScopeType
from pmo.core.errors import DomainError, InvalidData, NotFound, PermissionRefused
from pmo.core.models import AuditEvent
from pmo.core.testing.logins import make_login
from pmo.governance import selectors, services
from pmo.governance.choices import EscalationState, NotificationKind
from pmo.governance.models import ActionItem, Escalation, ExposureSnapshot, Notification, Risk, RiskScale
from pmo.portfolio import services as portfolio_services

pytestmark = pytest.mark.django_db


def risk(world, probability=2, impact=3, actor=None, **fields):
    return services.create_risk(
        actor=actor or world.permitted,
        project=world.project,
        title=fields.pop("title", "Supplier late"),
        probability=probability,
        impact=impact,
        **fields,
    )


def test_a_risk_is_scored_inherent_and_residual(world):
    entry = risk(world, 4, 3, residual_probability=2, residual_impact=2, cause="One supplier", event="Late")
    assert (entry.score, entry.residual_score) == (12, 4)
    assert entry.reference == f"R-{entry.pk:04d}" and entry.raised_by == world.permitted
    assert AuditEvent.objects.for_object(entry).get().after["probability"] == 4
    updated = services.update_risk(actor=world.permitted, risk=entry, changes={"impact": 1})
    assert updated.score == 4
    event = AuditEvent.objects.for_object(entry).first()
    assert (event.before, event.after) == ({"impact": 3, "score": 12}, {"impact": 1, "score": 4})


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"probability": 6}, "probability"),
        ({"impact": 0}, "impact"),
        ({"residual_probability": 2}, "residual_impact"),
        ({"response": "exploit"}, "response"),
        ({"title": "  "}, "title"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_risks_are_refused_naming_the_field_and_nothing_is_stored(world, fields, field):
    events = AuditEvent.objects.count()
    arguments = {"probability": 2, "impact": 2, "title": "Bad"} | fields
    with pytest.raises(InvalidData) as error:
        services.create_risk(actor=world.permitted, project=world.project, **arguments)
    assert field in error.value.errors
    assert not Risk.objects.exists() and AuditEvent.objects.count() == events


def test_the_scale_is_configurable_and_guards_its_risks(world):
    risk(world, 5, 5)
    with pytest.raises(InvalidData) as error:
        services.update_risk_scale(
            actor=world.admin, changes={"levels": 4, "probability_labels": [], "impact_labels": []}
        )
    assert "levels" in error.value.errors
    with pytest.raises(PermissionRefused):
        services.update_risk_scale(actor=world.permitted, changes={"red_from": 10})
    scale = services.update_risk_scale(actor=world.admin, changes={"red_from": 10})
    assert scale.band(10) == "red" and RiskScale.current().red_from == 10
    with pytest.raises(InvalidData):
        services.update_risk_scale(actor=world.admin, changes={"probability_labels": ["Low", "High"]})


def test_permissions_of_the_registers(world):
    viewer = make_login("viewer", Role.TEAM_MEMBER, ScopeType.PROJECT, world.project.pk)
    entry = risk(world)
    with pytest.raises(NotFound):
        risk(world, actor=world.elsewhere_user)
    with pytest.raises(PermissionRefused):
        risk(world, actor=viewer)
    with pytest.raises(PermissionRefused):
        services.update_risk(actor=viewer, risk=entry, changes={"impact": 5})
    with pytest.raises(NotFound):
        services.update_risk(actor=world.elsewhere_user, risk=entry, changes={"impact": 5})
    assert set(Risk.objects.visible_to(viewer)) == {entry}
    assert not Risk.objects.visible_to(world.elsewhere_user).exists()
    entry.refresh_from_db()
    assert entry.impact == 3


def test_a_risk_above_the_threshold_goes_up_to_the_programme_and_down_again(world):
    programme_manager = make_login("prog.manager", Role.PORTFOLIO_MANAGER, ScopeType.PROGRAMME, world.programme.pk)
    entry = risk(world, 3, 4)
    assert not Escalation.objects.exists()
    entry = services.update_risk(actor=world.permitted, risk=entry, changes={"probability": 4})  # 16 >= 15
    escalation = Escalation.objects.get()
    assert escalation.is_automatic and escalation.programme == world.programme and escalation.is_active
    assert set(Risk.objects.shown_on(world.programme)) == {entry}
    assert set(Risk.objects.shown_on(world.portfolio)) == set()
    note = Notification.objects.get(recipient=programme_manager)
    assert note.kind == NotificationKind.ESCALATION and world.programme.name in note.message
    assert AuditEvent.objects.for_object(entry).filter(action="risk.escalated").exists()
    # Lower again: it goes down by the rule, and the history keeps both steps.
    services.update_risk(actor=world.permitted, risk=entry, changes={"probability": 1})
    escalation.refresh_from_db()
    assert escalation.state == EscalationState.WITHDRAWN and escalation.withdrawn_at is not None
    assert not Risk.objects.shown_on(world.programme).exists()
    assert list(selectors.escalation_history(world.permitted, entry)) == [escalation]


def test_manual_escalation_and_de_escalation_need_a_reason_and_the_right(world):
    viewer = make_login("viewer", Role.TEAM_MEMBER, ScopeType.PROJECT, world.project.pk)
    entry = services.create_issue(
        actor=world.permitted, project=world.project, title="Test rig broken", severity="minor", priority="low"
    )
    with pytest.raises(InvalidData):
        services.escalate_entry(actor=world.permitted, entry=entry, reason=" ")
    with pytest.raises(PermissionRefused):
        services.escalate_entry(actor=viewer, entry=entry, reason="Help")
    escalation = services.escalate_entry(actor=world.permitted, entry=entry, reason="Needs programme funding")
    assert not escalation.is_automatic and escalation.escalated_by == world.permitted
    with pytest.raises(DomainError):
        services.escalate_entry(actor=world.permitted, entry=entry, reason="Again")
    with pytest.raises(NotFound):
        services.deescalate_entry(actor=world.elsewhere_user, entry=entry, reason="No")
    services.deescalate_entry(actor=world.permitted, entry=entry, reason="Funded")
    assert Escalation.objects.get().withdrawal_reason == "Funded"
    # A programme's own entry has nowhere to go.
    own = services.create_issue(actor=world.permitted, programme=world.programme, title="Programme issue")
    with pytest.raises(DomainError):
        services.escalate_entry(actor=world.permitted, entry=own, reason="Up")


def test_a_severe_issue_escalates_and_closing_it_withdraws(world):
    entry = services.create_issue(actor=world.permitted, project=world.project, title="Data loss", severity="severe")
    assert Escalation.objects.filter(issue=entry, state="active").exists()
    with pytest.raises(InvalidData) as error:
        services.update_issue(actor=world.permitted, issue=entry, changes={"status": "resolved"})
    assert "resolution" in error.value.errors
    entry = services.update_issue(
        actor=world.permitted, issue=entry, changes={"status": "resolved", "resolution": "Restored from backup"}
    )
    assert entry.resolved_on == timezone.localdate()
    assert not Escalation.objects.filter(issue=entry, state="active").exists()


def test_a_project_outside_any_programme_escalates_to_its_portfolio(world):
    loose = portfolio_services.create_project(actor=world.admin, portfolio=world.portfolio, code="HERE-2", name="Loose")
    entry = services.create_risk(actor=world.permitted, project=loose, title="Big", probability=5, impact=5)
    assert Escalation.objects.get(risk=entry).portfolio == world.portfolio
    assert set(Risk.objects.shown_on(world.portfolio)) == {entry}


def test_dependencies_link_the_portfolios_project_dependencies(world):
    internal = services.create_dependency(
        actor=world.permitted,
        project=world.project,
        title="Customer data model",
        nature="internal",
        project_dependency=world.dependency,
        needed_by=date(2026, 6, 1),
    )
    assert internal.project_dependency == world.dependency
    with pytest.raises(InvalidData) as error:
        services.create_dependency(actor=world.permitted, project=world.project, title="Cloud", nature="external")
    assert "party" in error.value.errors
    unrelated = portfolio_services.create_programme(actor=world.admin, portfolio=world.portfolio, code="P2", name="P2")
    with pytest.raises(InvalidData) as error:
        services.create_dependency(
            actor=world.permitted,
            programme=unrelated,
            title="x",
            nature="internal",
            project_dependency=world.dependency,
        )
    assert "project_dependency" in error.value.errors


def test_assumptions_and_response_actions(world):
    assumption = services.create_assumption(
        actor=world.permitted, project=world.project, title="Licences cost the same", validate_by=date(2026, 3, 1)
    )
    assumption = services.update_assumption(actor=world.permitted, assumption=assumption, changes={"status": "valid"})
    assert assumption.validated_on == timezone.localdate()
    entry = risk(world)
    action = services.add_response_action(
        actor=world.permitted, risk=entry, title="Second supplier", owner=world.person, due_on=date(2026, 4, 1)
    )
    assert action.source == entry and action.project == world.project
    assert ActionItem.objects.filter(source_id=entry.pk).count() == 1


def test_exposure_is_recorded_per_register_and_the_heat_map_counts_cells(world):
    risk(world, 4, 4)  # 16: red, escalated
    risk(world, 1, 2, residual_probability=1, residual_impact=1)  # 2: green
    today = timezone.localdate()
    snapshot = ExposureSnapshot.objects.get(project=world.project, taken_on=today)
    assert (snapshot.open_risks, snapshot.exposure, snapshot.residual_exposure) == (2, 18, 17)
    assert (snapshot.red, snapshot.amber, snapshot.green) == (1, 0, 1)
    assert ExposureSnapshot.objects.get(programme=world.programme, taken_on=today).exposure == 16
    grid = selectors.heat_map(Risk.objects.shown_on(world.project))
    cells = {(cell.probability, cell.impact): cell.count for _, row in grid.rows for cell in row}
    assert cells[(4, 4)] == 1 and cells[(1, 2)] == 1 and grid.total == 2
    residual = selectors.heat_map(Risk.objects.shown_on(world.project), is_residual=True)
    assert residual.total == 1
    services.record_exposure(world.project, on=today - timedelta(days=30))
    trend = selectors.exposure_trend(world.permitted, world.project)
    assert len(trend.points) == 2 and trend.maximum == 18
    assert selectors.exposure_trend(world.elsewhere_user, world.project).points == []


def test_reminders_go_to_owners_of_actions_due_or_overdue(world):
    owner = make_login("owner")
    today = timezone.localdate()
    services.create_action(
        actor=world.admin, title="Late", owner=owner.person, due_on=today - timedelta(days=2), project=world.project
    )
    services.create_action(
        actor=world.admin, title="Soon", owner=owner.person, due_on=today + timedelta(days=2), project=world.project
    )
    services.create_action(
        actor=world.admin, title="Later", owner=owner.person, due_on=today + timedelta(days=9), project=world.project
    )
    services.create_action(actor=world.admin, title="Nobody's", due_on=today, project=world.project)
    assert services.remind_due_actions(within_days=3, today=today, email=False) == 2
    messages = sorted(Notification.objects.filter(recipient=owner).values_list("message", flat=True))
    assert "overdue" in messages[0] and "Late" in messages[0] and "Soon" in messages[1]


def test_the_commands_and_tasks_remind_and_record(world, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    owner = make_login("owner")
    services.create_action(
        actor=world.admin, title="Due", owner=owner.person, due_on=timezone.localdate(), project=world.project
    )
    out = StringIO()
    call_command("remind_actions", "--days", "2", stdout=out)
    assert "Sent 1 reminder" in out.getvalue()
    call_command("remind_actions", "--queue", stdout=StringIO())  # run at once by the immediate backend
    assert Notification.objects.filter(recipient=owner, kind="action_due").count() == 2
    with pytest.raises(CommandError):
        call_command("remind_actions", "--days", "-1")
    out = StringIO()
    call_command("record_exposure", stdout=out)
    assert "Recorded the exposure of 6 register(s)" in out.getvalue()
    assert ExposureSnapshot.objects.filter(taken_on=timezone.localdate()).count() == 6


def test_a_lowered_threshold_applies_on_the_next_save_but_a_manual_de_escalation_holds(world):
    entry = risk(world, 3, 4)  # 12, below 15
    services.update_escalation_rule(actor=world.admin, changes={"risk_score": 10})
    entry = services.update_risk(actor=world.permitted, risk=entry, changes={"description": "Reworded"})
    assert services.raid.active_escalation(entry) is not None
    services.deescalate_entry(actor=world.permitted, entry=entry, reason="The project handles it")
    entry = services.update_risk(actor=world.permitted, risk=entry, changes={"description": "Again"})
    assert services.raid.active_escalation(entry) is None  # held down while it stays above
    entry = services.update_risk(actor=world.permitted, risk=entry, changes={"impact": 1})
    entry = services.update_risk(actor=world.permitted, risk=entry, changes={"impact": 5})
    assert services.raid.active_escalation(entry) is not None  # crossed the threshold anew


def test_closing_fills_the_day_and_reopening_clears_it(world):
    entry = risk(world)
    entry = services.update_risk(actor=world.permitted, risk=entry, changes={"status": "closed", "closed_on": None})
    assert entry.closed_on == timezone.localdate()
    entry = services.update_risk(actor=world.permitted, risk=entry, changes={"status": "open"})
    assert entry.closed_on is None
