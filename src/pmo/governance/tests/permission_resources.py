"""Governance's resources in the permission matrix (web/tests/test_permission_matrix.py)."""

from pmo.core.testing.harness import Resource, form_data
from pmo.governance import services
from pmo.governance.forms import ActionItemForm, AssumptionForm, DecisionForm, DependencyForm, IssueForm, RiskForm
from pmo.governance.models import (
    ActionItem,
    Assumption,
    Decision,
    Dependency,
    Escalation,
    ExposureSnapshot,
    Issue,
    Notification,
    Risk,
)


def _risk(world) -> Risk:
    existing = Risk.objects.filter(project=world.project, title="Supplier late").first()
    return existing or services.create_risk(
        actor=world.admin, project=world.project, title="Supplier late", probability=2, impact=3
    )


def _escalated_risk(world) -> Risk:
    existing = Risk.objects.filter(project=world.project, title="Data centre lost").first()
    return existing or services.create_risk(
        actor=world.admin, project=world.project, title="Data centre lost", probability=5, impact=5
    )


def _assumption(world) -> Assumption:
    existing = Assumption.objects.filter(project=world.project).first()
    return existing or services.create_assumption(actor=world.admin, project=world.project, title="Licences hold")


def _issue(world) -> Issue:
    existing = Issue.objects.filter(project=world.project).first()
    return existing or services.create_issue(actor=world.admin, project=world.project, title="Test rig down")


def _dependency(world) -> Dependency:
    existing = Dependency.objects.filter(project=world.project).first()
    return existing or services.create_dependency(
        actor=world.admin,
        project=world.project,
        title="Customer data model",
        nature="internal",
        project_dependency=world.dependency,
    )


def _decision(world) -> Decision:
    existing = Decision.objects.filter(project=world.project).first()
    return existing or services.record_decision(actor=world.admin, project=world.project, title="Buy, not build")


def _action(world) -> ActionItem:
    existing = ActionItem.objects.filter(project=world.project).first()
    return existing or services.create_action(actor=world.admin, project=world.project, title="Call the supplier")


def _escalation(world) -> Escalation:
    return Escalation.objects.get(risk=_escalated_risk(world))


def _snapshot(world) -> ExposureSnapshot:
    _risk(world)
    return ExposureSnapshot.objects.filter(project=world.project).first()


def _notification(world) -> Notification:
    existing = Notification.objects.filter(recipient=world.permitted).first()
    return existing or services.notify(recipients=[world.permitted], kind="other", message="Hello", email=False)[0]


def _entry(name, kind, obj, form_class):
    return Resource(
        name=name,
        obj=obj,
        permitted=lambda w: w.permitted,
        scoped=True,
        ui_list=f"governance:{kind}_list",
        ui_detail=f"governance:{kind}_detail",
        ui_edit=f"governance:{kind}_edit",
        edit_form=lambda o: form_data(form_class, o, title=f"{o.title} (changed)"),
        api_basename=kind,
        api_change={"title": "Changed through the API"},
    )


GOVERNANCE_RESOURCES = [
    _entry("risk", "risk", _risk, RiskForm),
    _entry("assumption", "assumption", _assumption, AssumptionForm),
    _entry("issue", "issue", _issue, IssueForm),
    _entry("raid dependency", "dependency", _dependency, DependencyForm),
    _entry("decision", "decision", _decision, DecisionForm),
    _entry("action", "action", _action, ActionItemForm),
    Resource(
        name="escalation",
        obj=_escalation,
        permitted=lambda w: w.permitted,
        scoped=True,
        api_basename="escalation",
        read_only=True,
    ),
    Resource(
        name="exposure snapshot",
        obj=_snapshot,
        permitted=lambda w: w.permitted,
        scoped=True,
        api_basename="exposure-snapshot",
        read_only=True,
    ),
    Resource(
        name="notification",
        obj=_notification,
        permitted=lambda w: w.permitted,
        scoped=True,
        api_basename="notification",
        read_only=True,
    ),
]
