"""Rebalancing: the optimiser's proposals, stored, accepted or rejected; pages and API."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from pmo.core.errors import NotFound
from pmo.portfolio.testing import build_world
from pmo.resourcing.choices import ProposalStatus
from pmo.resourcing.models import Assignment, RebalanceProposal, RebalanceRun
from pmo.resourcing.selectors.capacity import analyse, capacity_inputs, horizon
from pmo.resourcing.selectors.rebalancing import plan_rebalancing
from pmo.resourcing.services import rebalancing as services
from pmo.resourcing.services import resources as resource_services
from pmo.resourcing.testing import make_resource, make_team, scheduled_activity, skill

pytestmark = pytest.mark.django_db
MONDAY = date(2026, 3, 2)


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def overloaded(world):
    """Ann holds two fortnight-long full-time tasks at once (200 %); Bob and Cleo, who hold the
    skill, are free; Dan is free but lacks the skill. One move removes all the overload."""
    python = skill(world.admin, "Python")
    ann = make_resource(world.admin, "Ann", skills={"Python": 4})
    bob = make_resource(world.admin, "Bob", skills={"Python": 3})
    cleo = make_resource(world.admin, "Cleo", skills={"Python": 3})
    dan = make_resource(world.admin, "Dan", skills={"SQL": 5})
    tasks = [scheduled_activity(world.admin, world.project, name, MONDAY, days=10) for name in ("API", "UI")]
    assignments = [
        resource_services.create_assignment(
            actor=world.admin, activity=task, resource=ann, required_skill=python, required_level=3
        )
        for task in tasks
    ]
    return {"ann": ann, "bob": bob, "cleo": cleo, "dan": dan, "assignments": assignments}


def overloaded_cells(user) -> int:
    inputs = capacity_inputs(user, grid=horizon(MONDAY, 4))
    return int(analyse(inputs).is_overloaded.sum())


def run_for(user, **settings) -> RebalanceRun:
    computed = plan_rebalancing(user, start=MONDAY, weeks=4, num_workers=1, max_seconds=5, **settings)
    plan = computed.plan
    return services.record_run(
        actor=user,
        start=computed.start,
        weeks=computed.weeks,
        unit=computed.unit,
        overload_threshold=computed.overload_threshold,
        status=plan.status,
        is_optimal=plan.is_optimal,
        movable_items=plan.movable_item_count,
        overload_before_hours=plan.overload_before_hours,
        overload_after_hours=plan.overload_after_hours,
        seconds=plan.seconds,
        moves=computed.moves,
    )


def test_accepted_proposals_remove_the_overload(world, overloaded):
    assert overloaded_cells(world.admin) == 2  # Ann, in both weeks
    run = run_for(world.org_head)
    proposals = list(run.proposals.all())
    assert run.overload_before_hours == Decimal("80.00")
    assert run.overload_after_hours == Decimal("0.00")
    assert run.status == "optimal" and run.is_optimal
    assert len(proposals) == 1  # the fewest moves that remove it all
    proposal = proposals[0]
    assert proposal.from_resource == overloaded["ann"]
    assert proposal.to_resource in (overloaded["bob"], overloaded["cleo"])
    assert proposal.overload_removed_hours == Decimal("80.00")
    assert "Ann [" in proposal.reason and "Python" in proposal.reason

    services.accept(actor=world.permitted, proposal=proposal)

    assert overloaded_cells(world.admin) == 0
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED and proposal.decided_by == world.permitted
    moved = Assignment.objects.get(pk=proposal.assignment_id)
    assert moved.resource == proposal.to_resource


def test_work_never_goes_to_someone_without_the_skill_fixed_or_started_work_stays(world, overloaded):
    first, second = overloaded["assignments"]
    resource_services.update_assignment(actor=world.admin, assignment=first, changes={"is_fixed": True})
    Assignment.objects.filter(pk=second.pk).update(actual_hours=Decimal("4"))
    run = run_for(world.org_head)
    assert run.status == "no_improvement"
    assert not run.proposals.exists()
    assert run.movable_items == 0


def test_a_proposal_overtaken_by_events_is_marked_out_of_date(world, overloaded):
    run = run_for(world.org_head)
    proposal = run.proposals.get()
    resource_services.reassign(
        actor=world.admin,
        assignment=Assignment.objects.get(pk=proposal.assignment_id),
        resource=overloaded["cleo"] if proposal.to_resource == overloaded["bob"] else overloaded["bob"],
    )
    with pytest.raises(services.StaleProposal):
        services.accept(actor=world.admin, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.STALE


def test_only_the_projects_managers_decide(world, overloaded):
    run = run_for(world.org_head)
    proposal = run.proposals.get()
    with pytest.raises(NotFound):
        services.accept(actor=world.elsewhere_user, proposal=proposal)
    team = make_team(world)
    assert not services.may_rebalance(team.member)
    services.reject(actor=team.manager, proposal=proposal, reason="Ann wants to finish both")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REJECTED
    assert Assignment.objects.get(pk=proposal.assignment_id).resource == overloaded["ann"]


def test_rebalancing_page_proposes_and_accepts(world, overloaded):
    client = Client()
    client.force_login(world.admin)
    response = client.post(
        reverse("resourcing:rebalance"),
        {"start": "2026-03-02", "weeks": "4", "threshold": "100", "max_seconds": "5"},
    )
    assert response.status_code == 302, response.context["form"].errors
    run = RebalanceRun.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "Proposed moves" in page and "Accept" in page
    proposal = run.proposals.get()
    too_long = client.post(
        reverse("resourcing:proposal_accept", args=[proposal.pk]), {"reason": "x" * 2001}, follow=True
    )
    assert "not decided" in too_long.content.decode()
    assert RebalanceProposal.objects.get().status == ProposalStatus.OPEN
    client.post(reverse("resourcing:proposal_accept", args=[proposal.pk]))
    assert RebalanceProposal.objects.get().status == ProposalStatus.ACCEPTED
    assert overloaded_cells(world.admin) == 0


def test_rebalancing_page_reports_bad_settings(world, overloaded):
    client = Client()
    client.force_login(world.admin)
    response = client.post(
        reverse("resourcing:rebalance"), {"start": "2026-03-02", "weeks": "80", "threshold": "100", "max_seconds": "5"}
    )
    assert response.status_code == 200
    assert "weeks" in response.context["form"].errors
    assert not RebalanceRun.objects.exists()


def test_a_team_member_cannot_run_the_optimiser(world, overloaded):
    team = make_team(world)
    client = Client()
    client.force_login(team.member)
    response = client.post(
        reverse("resourcing:rebalance"), {"start": "2026-03-02", "weeks": "4", "threshold": "100", "max_seconds": "5"}
    )
    assert response.status_code == 403
    assert not RebalanceRun.objects.exists()


def test_api_runs_and_accepts(world, overloaded):
    api = APIClient()
    api.force_login(world.admin)
    response = api.post(
        reverse("api:rebalance-run-list"), {"start": "2026-03-02", "weeks": 4, "max_seconds": 5}, format="json"
    )
    assert response.status_code == 201, response.data
    assert len(response.data["proposals"]) == 1
    proposal = response.data["proposals"][0]
    accepted = api.post(reverse("api:rebalance-proposal-accept", args=[proposal["id"]]), {}, format="json")
    assert accepted.status_code == 200 and accepted.data["status"] == "accepted"
    again = api.post(reverse("api:rebalance-proposal-accept", args=[proposal["id"]]), {}, format="json")
    assert again.status_code == 400 and "already accepted" in again.data["detail"]
    refused = api.post(reverse("api:rebalance-run-list"), {"start": "2026-03-02", "weeks": 0}, format="json")
    assert refused.status_code == 400 and "weeks" in refused.data["errors"]
