"""The lifecycle's rules: versions frozen once published, the PMO model in force, who may do what,
and the stage gates under each PMO model, with the messages people read."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pmo.core.errors import DomainError, InvalidData, NotFound, PermissionRefused
from pmo.core.models import AuditEvent
from pmo.governance.models import ActionItem, Decision, Notification
from pmo.lifecycle import services
from pmo.lifecycle.choices import PMOModel, ReviewStatus
from pmo.lifecycle.models import GateApproval, PMOCharter, Standard
from pmo.portfolio import services as portfolio_services
from pmo.portfolio.choices import LifecycleStage
from pmo.portfolio.models import Project


def charter_with(gw, model: str) -> PMOCharter:
    draft = services.start_charter_draft(actor=gw.head)
    services.update_charter(
        actor=gw.head, charter=draft, changes={"purpose": "Deliver change well.", "pmo_model": model}
    )
    return services.publish_charter(actor=gw.head, charter=draft)


def evidence_everything(gw, review):
    for item in review.items.all():
        if item.evidence_kind == "figure":
            changes = {"evidence_figure": Decimal("125000"), "evidence_unit": "EUR"}
        else:
            changes = {"evidence_url": "https://intranet.example/docs/1"}
        services.record_evidence(actor=gw.manager, item=item, changes=changes)


# --- charter and the PMO model --------------------------------------------------------------


def test_without_a_charter_the_pmo_is_supportive(gw):
    assert services.current_pmo_model() == PMOModel.SUPPORTIVE


def test_charter_versions_are_frozen_once_published_and_a_new_draft_starts_from_the_last(gw):
    first = charter_with(gw, PMOModel.CONTROLLING)
    assert services.current_pmo_model() == PMOModel.CONTROLLING
    with pytest.raises(DomainError, match="published and frozen"):
        services.update_charter(actor=gw.head, charter=first, changes={"pmo_model": "directive"})
    first.refresh_from_db()
    assert first.pmo_model == PMOModel.CONTROLLING
    second = services.start_charter_draft(actor=gw.head)
    assert (second.version, second.purpose, second.pmo_model) == (2, "Deliver change well.", "controlling")
    with pytest.raises(DomainError, match="already a draft"):
        services.start_charter_draft(actor=gw.head)
    services.update_charter(actor=gw.head, charter=second, changes={"pmo_model": "directive"})
    assert services.current_pmo_model() == PMOModel.CONTROLLING  # a draft is not in force
    services.publish_charter(actor=gw.head, charter=second)
    assert services.current_pmo_model() == PMOModel.DIRECTIVE
    assert AuditEvent.objects.for_object(second).filter(action="pmocharter.published").exists()


def test_only_the_pmo_head_or_an_administrator_publishes_the_charter(gw):
    draft = services.start_charter_draft(actor=gw.admin)
    services.update_charter(actor=gw.admin, charter=draft, changes={"purpose": "Support projects."})
    with pytest.raises(PermissionRefused, match="PMO head"):
        services.publish_charter(actor=gw.permitted, charter=draft)
    with pytest.raises(PermissionRefused):
        services.update_charter(actor=gw.manager, charter=draft, changes={"purpose": "x"})
    draft.refresh_from_db()
    assert draft.is_draft and draft.purpose == "Support projects."
    services.publish_charter(actor=gw.admin, charter=draft)


def test_charter_refuses_bad_input_and_keeps_the_stored_version(gw):
    draft = services.start_charter_draft(actor=gw.head)
    with pytest.raises(InvalidData, match="pmo_model"):
        services.update_charter(actor=gw.head, charter=draft, changes={"pmo_model": "anarchic"})
    with pytest.raises(InvalidData, match="budget"):
        services.update_charter(actor=gw.head, charter=draft, changes={"budget": Decimal("-5")})
    with pytest.raises(InvalidData, match="purpose"):
        services.publish_charter(actor=gw.head, charter=draft)
    draft.refresh_from_db()
    assert draft.is_draft and draft.pmo_model == PMOModel.SUPPORTIVE and draft.budget == 0


# --- terms of reference and standards -------------------------------------------------------


def test_terms_of_reference_are_versioned_by_the_project_manager(gw):
    first = services.start_terms_draft(actor=gw.manager, project=gw.project)
    assert first.version == 1 and first.is_draft
    services.update_terms(actor=gw.manager, terms=first, changes={"objectives": "Replace the CRM."})
    services.publish_terms(actor=gw.manager, terms=first)
    with pytest.raises(DomainError, match="frozen"):
        services.update_terms(actor=gw.manager, terms=first, changes={"objectives": "Other"})
    second = services.start_terms_draft(actor=gw.manager, project=gw.project)
    assert second.version == 2 and second.objectives == "Replace the CRM."
    with pytest.raises(NotFound):
        services.start_terms_draft(actor=gw.elsewhere_user, project=gw.project)
    with pytest.raises(PermissionRefused):
        services.update_terms(actor=gw.executive, terms=second, changes={"scope": "x"})


def test_standards_are_published_and_retired_by_the_pmo(gw):
    standard = services.create_standard(
        actor=gw.head, title="Agile tailoring", body="Use sprints.", applies_to=" IT, Software ,it"
    )
    assert standard.applies_to == "it,software"
    assert not Standard.objects.visible_to(gw.manager).filter(pk=standard.pk).exists()  # a draft
    services.publish_standard(actor=gw.head, standard=standard)
    assert Standard.objects.visible_to(gw.manager).filter(pk=standard.pk).exists()
    with pytest.raises(PermissionRefused):
        services.retire_standard(actor=gw.manager, standard=standard)
    services.retire_standard(actor=gw.head, standard=standard)
    with pytest.raises(DomainError, match="retired"):
        services.update_standard(actor=gw.head, standard=standard, changes={"title": "x"})
    empty = services.create_standard(actor=gw.head, title="Empty")
    with pytest.raises(InvalidData, match="body"):
        services.publish_standard(actor=gw.head, standard=empty)


# --- gates under each PMO model -------------------------------------------------------------


def test_supportive_gate_never_refuses_and_records_a_move_without_a_gate(gw):
    project = portfolio_services.move_project_stage(actor=gw.manager, project=gw.project, stage="delivery")
    assert project.stage == LifecycleStage.DELIVERY
    event = AuditEvent.objects.for_object(project).filter(action="project.moved_without_gate").get()
    assert "Planning → Delivery needs an approved gate review" in event.reason


def test_controlling_refuses_a_move_without_an_approved_gate_and_names_what_is_missing(gw):
    charter_with(gw, PMOModel.CONTROLLING)
    with pytest.raises(InvalidData) as refused:
        portfolio_services.move_project_stage(actor=gw.manager, project=gw.project, stage="delivery")
    message = refused.value.errors["stage"][0]
    assert message.startswith("Planning → Delivery needs an approved gate review: no gate review has been opened")
    assert "3 of 3 criteria have no evidence (Business case approved, Plan baselined, Budget confirmed)" in message
    review = services.open_review(actor=gw.manager, project=gw.project)
    assert (review.from_stage, review.to_stage, review.items.count()) == ("planning", "delivery", 4)
    services.record_evidence(
        actor=gw.manager, item=review.items.get(text="Plan baselined"), changes={"evidence_url": "https://x.example/p"}
    )
    with pytest.raises(InvalidData) as refused:
        portfolio_services.update_project(actor=gw.manager, project=gw.project, changes={"stage": "delivery"})
    message = refused.value.errors["stage"][0]
    assert "its review is not approved yet" in message
    assert "2 of 4 criteria have no evidence (Business case approved, Budget confirmed)" in message
    gw.project.refresh_from_db()
    assert gw.project.stage == LifecycleStage.PLANNING
    # An approver cannot approve before the evidence is there.
    with pytest.raises(DomainError, match="2 criteria have none"):
        services.decide(actor=gw.executive, review=review, decision="go")
    evidence_everything(gw, review)
    services.decide(actor=gw.executive, review=review, decision="go", comment="Ready.")
    review.refresh_from_db()
    assert review.status == ReviewStatus.APPROVED
    moved = portfolio_services.move_project_stage(actor=gw.manager, project=gw.project, stage="delivery")
    assert moved.stage == LifecycleStage.DELIVERY
    decision = Decision.objects.get(project=gw.project)
    assert decision.title == "HERE-1 gate Planning → Delivery: Go" and decision.decided_by == gw.executive.person
    assert Notification.objects.filter(recipient=gw.manager, kind="gate_decision").exists()
    assert Notification.objects.filter(recipient=gw.executive, kind="approval").exists()


def test_backward_moves_and_cancelling_stay_allowed_under_a_controlling_pmo(gw):
    charter_with(gw, PMOModel.CONTROLLING)
    back = portfolio_services.move_project_stage(actor=gw.permitted, project=gw.project, stage="initiation")
    assert back.stage == LifecycleStage.INITIATION
    cancelled = portfolio_services.move_project_stage(actor=gw.permitted, project=back, stage="cancelled")
    assert cancelled.stage == LifecycleStage.CANCELLED


def test_a_new_project_starts_past_initiation_only_where_gates_advise(gw):
    fields = {"portfolio": gw.world.portfolio, "name": "Late starter", "stage": "delivery"}
    made = portfolio_services.create_project(actor=gw.world.admin, code="LATE-1", **fields)
    assert made.stage == LifecycleStage.DELIVERY  # supportive: the gates only advise
    charter_with(gw, PMOModel.CONTROLLING)
    count = Project.objects.count()
    with pytest.raises(InvalidData) as refused:
        portfolio_services.create_project(actor=gw.world.admin, code="LATE-2", **fields)
    assert refused.value.errors["stage"] == [
        "Under a controlling PMO a new project starts in Proposed or Initiation; it reaches Delivery through its gates."
    ]
    assert Project.objects.count() == count
    started = portfolio_services.create_project(
        actor=gw.world.admin, code="LATE-3", **{**fields, "stage": "initiation"}
    )
    assert started.stage == LifecycleStage.INITIATION


def test_go_with_conditions_turns_each_condition_into_an_action(gw):
    charter_with(gw, PMOModel.CONTROLLING)
    review = services.open_review(actor=gw.manager, project=gw.project)
    evidence_everything(gw, review)
    with pytest.raises(InvalidData, match="at least one condition"):
        services.decide(actor=gw.executive, review=review, decision="go_with_conditions")
    services.decide(
        actor=gw.executive,
        review=review,
        decision="go_with_conditions",
        conditions="Name a test manager\n\nAgree the cut-over date\n",
    )
    review.refresh_from_db()
    assert review.status == ReviewStatus.APPROVED_WITH_CONDITIONS
    actions = ActionItem.objects.filter(project=gw.project).order_by("title")
    assert [action.title for action in actions] == ["Agree the cut-over date", "Name a test manager"]
    assert {action.owner for action in actions} == {gw.manager.person}
    assert {action.source_id for action in actions} == {review.pk}


def test_directive_needs_the_pmo_head_too(gw):
    charter_with(gw, PMOModel.DIRECTIVE)
    review = services.open_review(actor=gw.manager, project=gw.project)
    evidence_everything(gw, review)
    services.decide(actor=gw.executive, review=review, decision="go")
    review.refresh_from_db()
    assert review.status == ReviewStatus.OPEN
    with pytest.raises(InvalidData) as refused:
        portfolio_services.move_project_stage(actor=gw.manager, project=gw.project, stage="delivery")
    assert "waiting for the approval of PMO head" in refused.value.errors["stage"][0]
    with pytest.raises(PermissionRefused):
        services.decide(actor=gw.manager, review=review, decision="go", role="pmo_head")
    services.decide(actor=gw.head, review=review, decision="go", role="pmo_head")
    review.refresh_from_db()
    assert review.is_approved
    assert portfolio_services.move_project_stage(actor=gw.manager, project=gw.project, stage="delivery").stage == (
        "delivery"
    )


def test_hold_keeps_the_gate_closed_and_the_approver_may_decide_again(gw):
    charter_with(gw, PMOModel.CONTROLLING)
    review = services.open_review(actor=gw.manager, project=gw.project)
    evidence_everything(gw, review)
    services.decide(actor=gw.executive, review=review, decision="hold", comment="Wait for the budget round.")
    review.refresh_from_db()
    assert review.status == ReviewStatus.ON_HOLD
    with pytest.raises(InvalidData, match="on hold"):
        portfolio_services.move_project_stage(actor=gw.manager, project=gw.project, stage="delivery")
    services.decide(actor=gw.executive, review=review, decision="go")
    assert GateApproval.objects.get(review=review).decision == "go"
    review.refresh_from_db()
    assert review.status == ReviewStatus.APPROVED
    assert Decision.objects.filter(project=gw.project).count() == 2


def test_stop_at_the_gate_cancels_the_project_unless_the_pmo_is_supportive(gw):
    review = services.open_review(actor=gw.manager, project=gw.project)
    services.decide(actor=gw.executive, review=review, decision="stop", comment="No business case.")
    gw.project.refresh_from_db()
    assert gw.project.stage == LifecycleStage.PLANNING  # supportive: advice, recorded
    charter_with(gw, PMOModel.CONTROLLING)
    with pytest.raises(DomainError, match="already stopped"):
        services.decide(actor=gw.executive, review=review, decision="go")
    review.status = ReviewStatus.OPEN
    review.save(update_fields=["status"])
    services.decide(actor=gw.executive, review=review, decision="stop", comment="No business case.")
    gw.project.refresh_from_db()
    assert gw.project.stage == LifecycleStage.CANCELLED
    assert AuditEvent.objects.for_object(gw.project).filter(action="project.stopped").exists()


def test_only_a_directive_pmo_head_stops_a_project(gw):
    with pytest.raises(DomainError, match="directive"):
        services.stop_project(actor=gw.head, project=gw.project, reason="Duplicate of another project.")
    charter_with(gw, PMOModel.DIRECTIVE)
    with pytest.raises(PermissionRefused):
        services.stop_project(actor=gw.permitted, project=gw.project, reason="No.")
    with pytest.raises(InvalidData, match="why"):
        services.stop_project(actor=gw.head, project=gw.project, reason=" ")
    gw.project.refresh_from_db()
    assert gw.project.stage == LifecycleStage.PLANNING
    services.stop_project(actor=gw.head, project=gw.project, reason="Duplicate of another project.")
    gw.project.refresh_from_db()
    assert gw.project.stage == LifecycleStage.CANCELLED
    assert Decision.objects.filter(project=gw.project, title="HERE-1 stopped by the PMO").exists()


def test_reviews_refuse_bad_requests(gw):
    with pytest.raises(InvalidData, match="not its next one"):
        services.open_review(actor=gw.manager, project=gw.project, to_stage="closing")
    with pytest.raises(NotFound):
        services.open_review(actor=gw.elsewhere_user, project=gw.project)
    with pytest.raises(PermissionRefused):
        services.open_review(actor=gw.executive, project=gw.project)
    review = services.open_review(actor=gw.manager, project=gw.project)
    with pytest.raises(DomainError, match="already open"):
        services.open_review(actor=gw.manager, project=gw.project)
    item = review.items.first()
    with pytest.raises(InvalidData, match="evidence_url"):
        services.record_evidence(actor=gw.manager, item=item, changes={"evidence_url": "not a link"})
    with pytest.raises(InvalidData, match="unit"):
        services.record_evidence(actor=gw.manager, item=item, changes={"evidence_figure": Decimal("3")})
    with pytest.raises(InvalidData, match="decision"):
        services.decide(actor=gw.executive, review=review, decision="maybe")
    with pytest.raises(PermissionRefused, match="may not decide"):
        services.decide(actor=gw.manager, review=review, decision="go")
    item.refresh_from_db()
    assert not item.has_evidence and not review.approvals.exists()


def test_a_document_is_kept_in_the_storage(gw, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    settings.MEDIA_ROOT = tmp_path
    review = services.open_review(actor=gw.manager, project=gw.project)
    item = review.items.get(text="Business case approved")
    upload = SimpleUploadedFile("business-case.pdf", b"%PDF-1.4 case", content_type="application/pdf")
    item = services.record_evidence(actor=gw.manager, item=item, changes={}, document=upload)
    assert item.has_evidence and item.document_name == "business-case.pdf"
    assert (tmp_path / item.evidence_document).read_bytes() == b"%PDF-1.4 case"
    assert item.evidenced_by == gw.manager
