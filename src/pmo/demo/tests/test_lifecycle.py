"""The demo's lifecycle: a published controlling charter, criteria for every gate, terms of
reference, and a gate history for every project past initiation that agrees with its stage."""

from pmo.governance.models import ActionItem, Decision
from pmo.lifecycle import services
from pmo.lifecycle.choices import GATES
from pmo.lifecycle.models import GateCriterion, GateReview, Standard, TermsOfReference
from pmo.portfolio.choices import LifecycleStage
from pmo.portfolio.models import Project

ORDER = [LifecycleStage.PLANNING, LifecycleStage.DELIVERY, LifecycleStage.CLOSING, LifecycleStage.CLOSED]


def test_the_demo_pmo_is_controlling_with_criteria_and_standards(small_demo):
    assert services.current_pmo_model() == "controlling"
    assert set(GateCriterion.objects.values_list("stage", flat=True)) == set(GATES)
    assert Standard.objects.filter(status="published").count() >= 5


def test_every_project_past_initiation_passed_its_gates_on_evidence(small_demo):
    for project in Project.objects.exclude(stage__in=["proposed", "initiation", "cancelled"]):
        passed = ORDER[: ORDER.index(project.stage) + 1] if project.stage in ORDER else []
        approved = GateReview.objects.filter(project=project, status__in=["approved", "approved_with_conditions"])
        assert sorted(approved.values_list("to_stage", flat=True)) == sorted(passed), project
        for review in approved:
            assert all(item.has_evidence for item in review.items.all() if item.evidence_required), review
            assert Decision.objects.filter(project=project, source_id=review.pk).exists()
        assert TermsOfReference.objects.filter(project=project, status="published").exists()
    conditional = GateReview.objects.filter(status="approved_with_conditions")
    assert conditional.exists()
    assert ActionItem.objects.filter(source_id__in=conditional.values("id")).count() >= conditional.count()


def test_a_demo_project_in_planning_is_refused_delivery_until_its_gate_is_approved(small_demo):
    project = Project.objects.filter(stage="planning").first()
    state = services.gate_state(project)
    assert not state.is_ready and state.review is not None and state.review.status == "open"
    assert state.message.startswith("Planning → Delivery needs an approved gate review")
