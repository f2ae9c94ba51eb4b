"""Rebalancing runs and their proposals: stored as the optimiser made them, then accepted (the
assignment moves to the proposed person) or rejected one by one by whoever may change the project.
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from pmo.core.audit import record_event
from pmo.core.choices import Action
from pmo.core.errors import DomainError, PermissionRefused
from pmo.core.models import OrganisationUnit
from pmo.core.permissions import grants_for
from pmo.core.services import locked_for
from pmo.portfolio.models import Project
from pmo.resourcing.choices import ProposalStatus
from pmo.resourcing.models import Assignment, RebalanceProposal, RebalanceRun, Resource
from pmo.resourcing.services import resources as resource_services

CENT = Decimal("0.01")


def may_rebalance(user) -> bool:
    """Running the optimiser is for roles that read across the organisation or change projects."""
    grants = grants_for(user)
    return grants.allows_everywhere(Action.VIEW) or grants.has_any_scope_for(Action.CHANGE)


def _hours(value: float) -> Decimal:
    return Decimal(str(round(value, 2))).quantize(CENT)


@transaction.atomic
def record_run(
    *,
    actor,
    start: date,
    weeks: int,
    unit: OrganisationUnit | None,
    overload_threshold: float,
    status: str,
    is_optimal: bool,
    movable_items: int,
    overload_before_hours: float,
    overload_after_hours: float,
    seconds: float,
    moves: Iterable,
) -> RebalanceRun:
    """Store a run and its proposed moves (each with ``assignment_id``, ``project_id``,
    ``from_resource_id``, ``to_resource_id``, ``hours``, ``overload_removed_hours`` and ``reason``)."""
    if not may_rebalance(actor):
        raise PermissionRefused(
            "Rebalancing needs a role that reads across the organisation or that may change projects."
        )
    run = RebalanceRun.objects.create(
        requested_by=actor,
        start=start,
        weeks=weeks,
        unit=unit,
        overload_threshold=Decimal(str(overload_threshold)),
        status=str(status),
        is_optimal=is_optimal,
        movable_items=movable_items,
        overload_before_hours=_hours(overload_before_hours),
        overload_after_hours=_hours(overload_after_hours),
        seconds=seconds,
    )
    proposals = RebalanceProposal.objects.bulk_create(
        RebalanceProposal(
            run=run,
            project_id=move.project_id,
            assignment_id=move.assignment_id,
            from_resource_id=move.from_resource_id,
            to_resource_id=move.to_resource_id,
            hours=_hours(move.hours),
            overload_removed_hours=_hours(move.overload_removed_hours),
            reason=move.reason,
        )
        for move in moves
    )
    record_event(
        actor=actor,
        action="rebalancerun.created",
        obj=run,
        after={
            "start": start.isoformat(),
            "weeks": weeks,
            "unit": unit.pk if unit else None,
            "status": str(status),
            "overload_before_hours": str(run.overload_before_hours),
            "overload_after_hours": str(run.overload_after_hours),
            "proposals": len(proposals),
        },
    )
    return run


def _locked_proposal(actor, proposal: RebalanceProposal) -> RebalanceProposal:
    locked_for(actor, Project, proposal.project_id, Action.CHANGE)
    proposal = RebalanceProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ProposalStatus.OPEN:
        raise DomainError(f"This proposal is already {proposal.get_status_display().lower()}.")
    return proposal


def _decide(actor, proposal: RebalanceProposal, status: str, reason: str) -> RebalanceProposal:
    proposal.status = status
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    record_event(
        actor=actor,
        action=f"rebalanceproposal.{status}",
        obj=proposal,
        before={"status": ProposalStatus.OPEN},
        after={"status": status},
        reason=reason,
    )
    return proposal


def accept(*, actor, proposal: RebalanceProposal, reason: str = "") -> RebalanceProposal:
    """Move the assignment to the proposed person. A proposal whose assignment has changed hands
    or gained actual hours since the run is marked out of date (kept so) and refused."""
    with transaction.atomic():
        proposal = _locked_proposal(actor, proposal)
        assignment = Assignment.objects.select_for_update().filter(pk=proposal.assignment_id).first()
        current = assignment is not None and assignment.resource_id == proposal.from_resource_id
        if current and not assignment.actual_hours:
            to_resource = Resource.objects.get(pk=proposal.to_resource_id)
            resource_services.reassign(
                actor=actor,
                assignment=assignment,
                resource=to_resource,
                reason=reason or f"Rebalancing: {proposal.reason}",
            )
            return _decide(actor, proposal, ProposalStatus.ACCEPTED, reason)
        _decide(actor, proposal, ProposalStatus.STALE, "The assignment changed after the proposal was made.")
    raise StaleProposal("This proposal is out of date: the assignment has changed since it was made. Propose again.")


@transaction.atomic
def reject(*, actor, proposal: RebalanceProposal, reason: str = "") -> RebalanceProposal:
    proposal = _locked_proposal(actor, proposal)
    return _decide(actor, proposal, ProposalStatus.REJECTED, reason)


class StaleProposal(DomainError):
    """The proposal no longer matches its assignment."""
