"""The demo's change control: change requests for every project past initiation in a mix of
states, analysed by the engine where a board decides, one above the project board's limits
waiting for the programme board, configuration items and quality reviews that pass validation."""

from pmo.changes import services
from pmo.changes.choices import Board, ChangeStatus
from pmo.changes.models import ActivityChange, ChangeRequest, ConfigurationItem, QualityReview, ReviewCriterion
from pmo.governance.models import ActionItem, Decision, Notification
from pmo.portfolio.choices import LifecycleStage
from pmo.portfolio.models import Project

PAST_INITIATION = (LifecycleStage.PLANNING, LifecycleStage.DELIVERY, LifecycleStage.CLOSING, LifecycleStage.CLOSED)


def test_every_project_past_initiation_has_change_requests_in_a_mix_of_states(small_demo):
    for project in Project.objects.filter(stage__in=PAST_INITIATION):
        assert project.change_requests.count() >= 2, project.code
        assert project.configuration_items.count() == 3, project.code
        assert project.quality_reviews.exists(), project.code
    assert not ChangeRequest.objects.exclude(project__stage__in=PAST_INITIATION).exists()
    statuses = set(ChangeRequest.objects.values_list("status", flat=True))
    assert statuses == set(ChangeStatus.values)
    assert ActivityChange.objects.exists()


def test_one_change_above_the_limits_waits_for_the_programme_board(small_demo):
    waiting = ChangeRequest.objects.filter(status=ChangeStatus.SUBMITTED, required_board=Board.PROGRAMME_BOARD)
    assert waiting.exists()
    manager_project = Project.objects.get(manager__user__username="project.manager", stage=LifecycleStage.DELIVERY)
    big = waiting.get(project=manager_project, title="Rebuild the integration layer")
    assert big.finish_after > big.finish_before and big.delay_days > 0
    board, why = services.routing(big)
    assert board == Board.PROGRAMME_BOARD and "the programme board decides it" in why
    assert Notification.objects.filter(kind="approval", message__contains=big.reference).exists()


def test_analysed_changes_hold_a_fresh_analysis_and_decisions_are_logged(small_demo):
    for change in ChangeRequest.objects.filter(status__in=(ChangeStatus.SUBMITTED, ChangeStatus.DEFERRED))[:5]:
        assert change.analysed_at and not services.is_analysis_stale(change)
    decided = ChangeRequest.objects.exclude(decided_at=None)
    assert decided.count() == Decision.objects.filter(title__startswith="CR-").count()
    assert ActionItem.objects.filter(source_type__model="qualityreview").exists()


def test_every_change_control_row_passes_its_models_validation(small_demo):
    for model in (ChangeRequest, ActivityChange, ConfigurationItem, QualityReview, ReviewCriterion):
        for instance in model.objects.all():
            instance.full_clean()
