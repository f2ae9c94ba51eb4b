"""The lifecycle's resources in the permission matrix (web/tests/test_permission_matrix.py)."""

from pmo.core.testing.harness import Resource, form_data
from pmo.lifecycle import services
from pmo.lifecycle.forms import EvidenceForm, GateCriterionForm, PMOCharterForm, StandardForm, TermsOfReferenceForm
from pmo.lifecycle.models import (
    GateApproval,
    GateCheckItem,
    GateCriterion,
    GateReview,
    PMOCharter,
    Standard,
    TermsOfReference,
)
from pmo.portfolio.choices import LifecycleStage


def _charter(world) -> PMOCharter:
    return PMOCharter.objects.filter(status="draft").first() or services.start_charter_draft(actor=world.admin)


def _terms(world) -> TermsOfReference:
    existing = TermsOfReference.objects.filter(project=world.project).first()
    return existing or services.start_terms_draft(actor=world.admin, project=world.project)


def _standard(world) -> Standard:
    existing = Standard.objects.filter(title="Stage gate method").first()
    if existing is None:
        existing = services.create_standard(actor=world.admin, title="Stage gate method", body="Four gates.")
        services.publish_standard(actor=world.admin, standard=existing)
    return existing


def _criterion(world) -> GateCriterion:
    existing = GateCriterion.objects.filter(stage="delivery").first()
    return existing or services.create_criterion(actor=world.admin, stage="delivery", text="Business case approved")


def _review(world) -> GateReview:
    existing = GateReview.objects.filter(project=world.project).first()
    if existing is not None:
        return existing
    _criterion(world)
    world.project.stage = LifecycleStage.PLANNING
    world.project.save(update_fields=["stage"])
    return services.open_review(actor=world.admin, project=world.project)


def _item(world) -> GateCheckItem:
    return _review(world).items.first()


def _approval(world) -> GateApproval:
    review = _review(world)
    existing = review.approvals.first()
    return existing or services.decide(actor=world.admin, review=review, decision="hold", comment="Not yet.")


LIFECYCLE_RESOURCES = [
    Resource(
        name="pmo-charter",
        obj=_charter,
        permitted=lambda w: w.org_head,
        scoped=False,
        ui_list="lifecycle:charter_list",
        ui_detail="lifecycle:charter_detail",
        ui_edit="lifecycle:charter_edit",
        edit_form=lambda charter: form_data(PMOCharterForm, charter, purpose="Make change land."),
        api_basename="pmo-charter",
        api_change={"purpose": "Make change land."},
    ),
    Resource(
        name="terms-of-reference",
        obj=_terms,
        permitted=lambda w: w.permitted,
        scoped=True,
        ui_list="lifecycle:terms_list",
        ui_detail="lifecycle:terms_detail",
        ui_edit="lifecycle:terms_edit",
        edit_form=lambda terms: form_data(TermsOfReferenceForm, terms, objectives="Replace the CRM by June."),
        api_basename="terms-of-reference",
        api_change={"objectives": "Replace the CRM by June."},
    ),
    Resource(
        name="standard",
        obj=_standard,
        permitted=lambda w: w.org_head,
        scoped=False,
        ui_list="lifecycle:standard_list",
        ui_detail="lifecycle:standard_detail",
        ui_edit="lifecycle:standard_edit",
        edit_form=lambda standard: form_data(StandardForm, standard, version="1.1"),
        api_basename="standard",
        api_change={"version": "1.1"},
    ),
    Resource(
        name="gate-criterion",
        obj=_criterion,
        permitted=lambda w: w.org_head,
        scoped=False,
        ui_list="lifecycle:criterion_list",
        ui_detail="lifecycle:criterion_detail",
        ui_edit="lifecycle:criterion_edit",
        edit_form=lambda criterion: form_data(GateCriterionForm, criterion, text="Business case signed"),
        api_basename="gate-criterion",
        api_change={"text": "Business case signed"},
    ),
    Resource(
        name="gate-review",
        obj=_review,
        permitted=lambda w: w.permitted,
        scoped=True,
        ui_list="lifecycle:review_list",
        ui_detail="lifecycle:review_detail",
        api_basename="gate-review",
        read_only=True,
    ),
    Resource(
        name="gate-check-item",
        obj=_item,
        permitted=lambda w: w.permitted,
        scoped=True,
        ui_edit="lifecycle:evidence_edit",
        edit_form=lambda item: form_data(EvidenceForm, item, evidence_url="https://docs.example/case.pdf"),
        api_basename="gate-check-item",
        api_change={"evidence_url": "https://docs.example/case.pdf"},
    ),
    Resource(
        name="gate-approval",
        obj=_approval,
        permitted=lambda w: w.permitted,
        scoped=True,
        api_basename="gate-approval",
        read_only=True,
    ),
    Resource(
        name="project-gate",
        obj=lambda w: w.project,
        permitted=lambda w: w.permitted,
        scoped=True,
        api_basename="project-gate",
        read_only=True,
    ),
]
