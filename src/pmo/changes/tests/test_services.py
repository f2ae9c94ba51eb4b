"""Change control services: the engine's impact analysis against a real reschedule, routing to
the right board, the decision flow, re-baselining, stale analyses, configuration items and
quality reviews; refused input leaves stored data untouched."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from pmo.changes import services
from pmo.changes.choices import Board, ChangeStatus, ConfigurationItemStatus, CriterionOutcome, ReviewResult
from pmo.changes.models import ActivityChange, ChangeRequest, ConfigurationItem
from pmo.core.audit import snapshot
from pmo.core.errors import DomainError, InvalidData, NotFound, PermissionRefused
from pmo.core.models import AuditEvent
from pmo.governance.models import ActionItem, Decision, Notification
from pmo.planning import services as planning
from pmo.planning.models import Activity, Baseline, Link, ProjectPlan
from pmo.resourcing.models import Assignment, Resource

DAY = 480


def _change(cw, *, days=6, title="Document the interfaces", **fields):
    return services.create_change_request(
        actor=cw.manager,
        project=cw.world.project,
        title=title,
        activity_changes=[{"activity": cw.documentation, "new_duration_minutes": days * DAY}],
        **fields,
    )


def _state():
    return (
        sorted(snapshot(c).items() for c in ChangeRequest.objects.all()),
        ActivityChange.objects.count(),
        AuditEvent.objects.count(),
        sorted(Activity.objects.values_list("pk", "duration_minutes", "start", "finish")),
        sorted(Link.objects.values_list("pk", "lag_minutes")),
    )


def test_analysis_finish_is_the_finish_of_a_real_reschedule_after_applying_the_change(cw):
    change = _change(cw, days=6)
    change = services.analyse_change_request(actor=cw.manager, change=change)
    plan_before = ProjectPlan.objects.get(project=cw.world.project)
    assert change.finish_before == plan_before.early_finish
    assert change.delay_days == Decimal("3.00")
    assert {"id": cw.documentation.pk, "name": "Documentation"} in change.analysis["becomes_critical"]
    assert [entry["name"] for entry in change.analysis["critical_before"]] == ["Design", "Build", "Test"]
    moved = {entry["name"] for entry in change.analysis["moved"]}
    assert moved == {"Documentation", "Test"}
    # The plan itself did not move.
    assert ProjectPlan.objects.get(project=cw.world.project).early_finish == plan_before.early_finish
    assert Activity.objects.get(pk=cw.documentation.pk).duration_minutes == 2 * DAY
    # Applied for real, the reschedule lands on the analysed finish.
    planning.update_activity(actor=cw.manager, activity=cw.documentation, changes={"duration_minutes": 6 * DAY})
    planning.reschedule(actor=cw.manager, projects=[cw.world.project])
    assert ProjectPlan.objects.get(project=cw.world.project).early_finish == change.finish_after


def test_analysis_with_a_new_link_lag_and_constraint_matches_the_applied_plan(cw):
    change = services.create_change_request(
        actor=cw.manager,
        project=cw.world.project,
        title="Wait for the vendor",
        activity_changes=[
            {"activity": cw.test, "predecessor": cw.build, "lag_minutes": 4 * DAY},
            {"activity": cw.documentation, "predecessor": cw.build, "lag_minutes": 0, "note": "after the build"},
        ],
    )
    change = services.submit_change_request(actor=cw.manager, change=change)
    services.approve_change_request(actor=cw.executive, change=change, reason="Vendor is late.")
    services.implement_change_request(actor=cw.manager, change=change)
    plan = ProjectPlan.objects.get(project=cw.world.project)
    assert plan.early_finish == ChangeRequest.objects.get(pk=change.pk).finish_after
    assert Link.objects.get(predecessor=cw.build, successor=cw.test).lag_minutes == 4 * DAY
    assert Link.objects.filter(predecessor=cw.build, successor=cw.documentation).exists()


def test_labour_cost_of_longer_activities_is_added_to_the_cost(cw):
    resource = Resource.objects.create(kind="role", name="Analyst")
    Assignment.objects.create(
        project=cw.world.project, activity=cw.documentation, resource=resource, planned_cost=Decimal("800")
    )
    change = services.analyse_change_request(actor=cw.manager, change=_change(cw, days=6, cost_impact=Decimal("100")))
    assert change.computed_cost_delta == Decimal("1600.00")
    assert change.total_cost_impact == Decimal("1700.00")


def test_within_the_limits_the_project_board_decides_and_the_decision_is_logged(cw):
    change = services.submit_change_request(actor=cw.manager, change=_change(cw, days=6))
    assert change.status == ChangeStatus.SUBMITTED and change.required_board == Board.PROJECT_BOARD
    assert Notification.objects.filter(recipient=cw.executive, kind="approval").exists()
    with pytest.raises(PermissionRefused):
        services.approve_change_request(actor=cw.team, change=change, reason="Fine by me.")
    with pytest.raises(InvalidData, match="reason"):
        services.approve_change_request(actor=cw.executive, change=change, reason="")
    change = services.approve_change_request(actor=cw.executive, change=change, reason="Worth three days.")
    assert change.status == ChangeStatus.APPROVED and change.decided_board == Board.PROJECT_BOARD
    decision = Decision.objects.get(project=cw.world.project)
    assert decision.title.startswith("CR-1 approved") and decision.body == "Project board"
    assert AuditEvent.objects.for_object(change).filter(action="changerequest.approved").exists()


def test_above_the_limit_only_the_programme_board_decides_and_says_why(cw):
    services.create_policy(
        actor=cw.world.permitted, project=cw.world.project, cost_limit=Decimal("10000"), delay_days_limit=2
    )
    change = services.submit_change_request(actor=cw.manager, change=_change(cw, days=6))
    assert change.required_board == Board.PROGRAMME_BOARD
    before = snapshot(ChangeRequest.objects.get(pk=change.pk))
    with pytest.raises(PermissionRefused) as refused:
        services.approve_change_request(actor=cw.executive, change=change, reason="Go.")
    assert refused.value.message.startswith(
        "This change adds 3 working days, above the project board's limit of 2: the programme board decides it."
    )
    assert snapshot(ChangeRequest.objects.get(pk=change.pk)) == before
    change = services.approve_change_request(actor=cw.world.permitted, change=change, reason="Strategic.")
    assert change.status == ChangeStatus.APPROVED and change.decided_board == Board.PROGRAMME_BOARD


def test_cost_above_the_limit_goes_up_too(cw):
    change = services.submit_change_request(actor=cw.manager, change=_change(cw, days=2, cost_impact=Decimal("60000")))
    board, why = services.routing(change)
    assert board == Board.PROGRAMME_BOARD and "costs 60,000.00, above the project board's limit of 50,000.00" in why


def test_implementing_applies_the_plan_and_rebaselines_with_the_reference_as_reason(cw):
    change = services.submit_change_request(actor=cw.manager, change=_change(cw, days=6))
    change = services.approve_change_request(actor=cw.executive, change=change, reason="Yes.")
    change = services.implement_change_request(actor=cw.manager, change=change, rebaseline=True)
    assert change.status == ChangeStatus.IMPLEMENTED and change.baseline_number == 0
    baseline = Baseline.objects.get(project=cw.world.project, number=0)
    assert baseline.name.startswith("After CR-1")
    event = AuditEvent.objects.filter(action="project.baseline_set").first()
    assert "CR-1" in event.reason
    assert Activity.objects.get(pk=cw.documentation.pk).duration_minutes == 6 * DAY
    assert ProjectPlan.objects.get(project=cw.world.project).early_finish == change.finish_after


def test_an_executive_cannot_implement_on_approval(cw):
    change = services.submit_change_request(actor=cw.manager, change=_change(cw))
    with pytest.raises(PermissionRefused, match="project manager implements it"):
        services.approve_change_request(actor=cw.executive, change=change, reason="Yes.", implement=True)
    assert ChangeRequest.objects.get(pk=change.pk).status == ChangeStatus.SUBMITTED


def test_a_stale_analysis_is_flagged_and_redone_before_a_decision(cw):
    change = services.submit_change_request(actor=cw.manager, change=_change(cw, days=6))
    assert not services.is_analysis_stale(change)
    planning.update_activity(actor=cw.manager, activity=cw.build, changes={"duration_minutes": 10 * DAY})
    assert services.is_analysis_stale(change)
    change = services.reject_change_request(actor=cw.executive, change=change, reason="Build slipped anyway.")
    assert not services.is_analysis_stale(change)
    # Build now dominates: lengthening Documentation to 6 days no longer moves the finish.
    assert change.delay_days == Decimal("0.00") and change.status == ChangeStatus.REJECTED


def test_flow_refuses_moves_that_skip_a_step(cw):
    change = _change(cw)
    with pytest.raises(DomainError, match="cannot become approved"):
        services.approve_change_request(actor=cw.executive, change=change, reason="Skip.")
    with pytest.raises(DomainError, match="cannot become implemented"):
        services.implement_change_request(actor=cw.manager, change=change)
    change = services.submit_change_request(actor=cw.manager, change=change)
    with pytest.raises(DomainError, match="only a draft or deferred change can be edited"):
        services.update_change_request(actor=cw.manager, change=change, changes={"title": "Other"})
    change = services.defer_change_request(actor=cw.executive, change=change, reason="Next quarter.")
    change = services.update_change_request(actor=cw.manager, change=change, changes={"title": "Later"})
    change = services.withdraw_change_request(actor=cw.manager, change=change, reason="No longer needed.")
    assert change.status == ChangeStatus.WITHDRAWN
    assert [e.action for e in AuditEvent.objects.for_object(change).order_by("id")][-3:] == [
        "changerequest.deferred",
        "changerequest.changed",
        "changerequest.withdrawn",
    ]


def test_bad_input_is_refused_and_leaves_everything_untouched(cw):
    _change(cw)
    other_activity = planning.create_activity(actor=cw.world.admin, project=cw.world.other_project, name="Elsewhere")
    loop = services.create_change_request(
        actor=cw.manager,
        project=cw.world.project,
        title="Loop",
        activity_changes=[{"activity": cw.design, "predecessor": cw.test}],
    )
    phase = planning.create_activity(actor=cw.world.admin, project=cw.world.project, name="Phase", duration_minutes=0)
    planning.update_activity(actor=cw.world.admin, activity=cw.design, changes={"parent": phase})
    before = _state()
    with pytest.raises(InvalidData, match="Phase is a summary"):
        services.create_change_request(
            actor=cw.manager,
            project=cw.world.project,
            title="Summary",
            activity_changes=[{"activity": phase, "new_duration_minutes": DAY}],
        )
    with pytest.raises(InvalidData, match="name an activity of HERE-1"):
        services.create_change_request(
            actor=cw.manager, project=cw.world.project, title="Bad", activity_changes=[{"activity": other_activity}]
        )
    with pytest.raises(InvalidData, match="Say what changes"):
        services.create_change_request(
            actor=cw.manager, project=cw.world.project, title="Empty", activity_changes=[{"activity": cw.build}]
        )
    with pytest.raises(InvalidData, match="a link"):
        services.create_change_request(
            actor=cw.manager,
            project=cw.world.project,
            title="Lag",
            activity_changes=[{"activity": cw.build, "lag_minutes": 5}],
        )
    with pytest.raises(DomainError, match=r"links would form a loop: .*Design"):
        services.submit_change_request(actor=cw.manager, change=loop)
    with pytest.raises(NotFound):
        services.create_change_request(actor=cw.world.elsewhere_user, project=cw.world.project, title="Spy")
    with pytest.raises(PermissionRefused):
        services.create_change_request(actor=cw.team, project=cw.world.project, title="Team")
    assert _state() == before


def test_configuration_items_keep_their_versions_and_list_their_changes(cw):
    item = services.create_configuration_item(
        actor=cw.manager, project=cw.world.project, identifier="APP-CRM", name="CRM application", kind="software"
    )
    change = services.create_change_request(
        actor=cw.manager, project=cw.world.project, title="Add a field", configuration_items=[item]
    )
    item = services.update_configuration_item(
        actor=cw.manager,
        item=item,
        changes={"version": "1.0", "status": ConfigurationItemStatus.APPROVED},
        change_request=change,
    )
    assert list(item.versions.values_list("version", "change_request")) == [("1.0", change.pk), ("0.1", None)]
    assert list(item.change_requests.all()) == [change]
    with pytest.raises(InvalidData, match="already has an item APP-CRM"):
        services.create_configuration_item(
            actor=cw.manager, project=cw.world.project, identifier="APP-CRM", name="Again"
        )
    other = services.create_configuration_item(
        actor=cw.world.admin, project=cw.world.other_project, identifier="WH-1", name="Warehouse robot"
    )
    with pytest.raises(InvalidData, match="Not items of HERE-1"):
        services.update_change_request(actor=cw.manager, change=change, changes={}, configuration_items=[other])
    assert list(change.configuration_items.all()) == [item]


def test_quality_review_records_outcomes_and_puts_follow_up_actions_on_the_register(cw):
    item = services.create_configuration_item(
        actor=cw.manager,
        project=cw.world.project,
        identifier="DOC-1",
        name="Design document",
        kind="document",
        status=ConfigurationItemStatus.UNDER_REVIEW,
    )
    review = services.create_quality_review(
        actor=cw.manager,
        project=cw.world.project,
        title="Design review",
        configuration_item=item,
        planned_on=date(2026, 3, 9),
        reviewers=[cw.world.person],
        criteria=["Meets the requirements", "Reviewed by security"],
    )
    first, second = review.criteria.all()
    outcomes = {first.pk: (CriterionOutcome.PASS, ""), second.pk: (CriterionOutcome.FAIL, "Not yet seen")}
    before = snapshot(review), AuditEvent.objects.count()
    with pytest.raises(InvalidData, match="A criterion failed"):
        services.record_review_result(
            actor=cw.manager, review=review, result=ReviewResult.PASSED, held_on=date(2026, 3, 9), outcomes=outcomes
        )
    with pytest.raises(InvalidData, match="at least one follow-up action"):
        services.record_review_result(
            actor=cw.manager,
            review=review,
            result=ReviewResult.PASSED_WITH_ACTIONS,
            held_on=date(2026, 3, 9),
            outcomes=outcomes,
        )
    assert (snapshot(review.__class__.objects.get(pk=review.pk)), AuditEvent.objects.count()) == before
    review = services.record_review_result(
        actor=cw.manager,
        review=review,
        result=ReviewResult.PASSED_WITH_ACTIONS,
        held_on=date(2026, 3, 9),
        outcomes=outcomes,
        actions=[{"title": "Security review of the design", "owner": cw.world.person, "due_on": date(2026, 3, 20)}],
    )
    action = ActionItem.objects.get(project=cw.world.project)
    assert action.source == review and action.owner == cw.world.person
    assert ConfigurationItem.objects.get(pk=item.pk).status == ConfigurationItemStatus.APPROVED
    assert list(review.criteria.values_list("outcome", flat=True)) == ["pass", "fail"]
    with pytest.raises(DomainError, match="checklist is kept"):
        services.update_quality_review(actor=cw.manager, review=review, changes={}, criteria=["Other"])


def test_a_project_without_a_plan_takes_changes_decided_on_the_estimates(cw):
    change = services.create_change_request(
        actor=cw.world.admin,
        project=cw.world.other_project,
        title="Bigger warehouse",
        cost_impact=Decimal("80000"),
        time_impact_days=3,
    )
    change = services.submit_change_request(actor=cw.world.admin, change=change)
    assert "has no plan yet" in change.analysis["no_plan"] and change.delay_days is None
    assert change.required_board == Board.PROGRAMME_BOARD
    assert not services.is_analysis_stale(change)
    survey = planning.create_activity(
        actor=cw.world.admin, project=cw.world.other_project, name="Survey", duration_minutes=DAY
    )
    touching = services.create_change_request(
        actor=cw.world.admin,
        project=cw.world.other_project,
        title="Longer survey",
        activity_changes=[{"activity": survey, "new_duration_minutes": 2 * DAY}],
    )
    assert not ProjectPlan.objects.filter(project=cw.world.other_project).exists()
    with pytest.raises(DomainError, match="has no plan yet"):
        services.submit_change_request(actor=cw.world.admin, change=touching)
    planning.reschedule(actor=cw.world.admin, projects=[cw.world.other_project])
    assert services.is_analysis_stale(change)
    touching = services.submit_change_request(actor=cw.world.admin, change=touching)
    assert touching.delay_days == Decimal("1.00")


def test_analysed_finish_matches_the_applied_plan_for_many_random_changes(cw):
    """Seeded random changes (durations, lags on new or existing links, date constraints): each
    analysis lands on the finish a reschedule gives once the change is applied."""
    import random

    from django.db import transaction
    from django.utils import timezone

    rng = random.Random(7)
    activities = [cw.design, cw.build, cw.documentation, cw.test]
    order = {activity.pk: index for index, activity in enumerate(activities)}
    for case in range(5):
        with transaction.atomic():
            rows = []
            for activity in rng.sample(activities, k=rng.randint(1, 3)):
                row = {"activity": activity, "new_duration_minutes": rng.randint(0, 12) * DAY}
                earlier = [a for a in activities if order[a.pk] < order[activity.pk]]
                if earlier and rng.random() < 0.5:
                    row["predecessor"] = rng.choice(earlier)
                    row["lag_minutes"] = rng.randint(-1, 4) * DAY
                if rng.random() < 0.3:
                    row["constraint_type"] = "SNET"
                    row["constraint_date"] = timezone.make_aware(datetime(2026, 3, rng.randint(2, 27), 8))
                rows.append(row)
            change = services.create_change_request(
                actor=cw.manager, project=cw.world.project, title=f"Case {case}", activity_changes=rows
            )
            change = services.submit_change_request(actor=cw.manager, change=change)
            change = services.approve_change_request(actor=cw.world.permitted, change=change, reason="Test.")
            services.implement_change_request(actor=cw.manager, change=change)
            finish = ProjectPlan.objects.get(project=cw.world.project).early_finish
            assert finish == change.finish_after, (case, rows)
            transaction.set_rollback(True)
