"""Stage gates: the criteria the PMO keeps per gate, the review of a project at a gate (its
checklist and evidence, the approvers' decisions), the rule a stage move must pass under the PMO
model in force, and the PMO stopping a project."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from pmo.core.audit import record_event
from pmo.core.choices import Action, Role, ScopeType
from pmo.core.errors import DomainError, InvalidData, PermissionRefused
from pmo.core.models import RoleAssignment
from pmo.core.permissions import grants_for
from pmo.core.services import change_audited, create_audited, require_global
from pmo.governance import services as governance
from pmo.lifecycle.choices import (
    APPROVED_STATUSES,
    GATES,
    ApproverRole,
    GateDecision,
    PMOModel,
    ReviewStatus,
    approver_roles,
    gate_label,
)
from pmo.lifecycle.models import GateApproval, GateCheckItem, GateCriterion, GateReview
from pmo.lifecycle.services.common import is_pmo_head, locked
from pmo.lifecycle.services.documents import current_pmo_model
from pmo.portfolio.choices import STAGE_TRANSITIONS, LifecycleStage
from pmo.portfolio.models import Project

CRITERION_FIELDS = ("stage", "text", "evidence_required", "evidence_kind", "order")
EVIDENCE_FIELDS = ("evidence_url", "evidence_figure", "evidence_unit", "evidence_note")
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
UNFINISHED = (ReviewStatus.OPEN, ReviewStatus.ON_HOLD)
STRICTNESS = {PMOModel.SUPPORTIVE: 0, PMOModel.CONTROLLING: 1, PMOModel.DIRECTIVE: 2}


# --- criteria -------------------------------------------------------------------------------


@transaction.atomic
def create_criterion(*, actor, reason: str = "", **fields) -> GateCriterion:
    require_global(actor, Action.CREATE, "gate criteria")
    unknown = sorted(set(fields) - set(CRITERION_FIELDS))
    if unknown:
        raise InvalidData({name: ["Not a field of a gate criterion."] for name in unknown})
    return create_audited(GateCriterion(**fields), actor=actor, reason=reason)


@transaction.atomic
def update_criterion(*, actor, criterion: GateCriterion, changes: Mapping, reason: str = "") -> GateCriterion:
    require_global(actor, Action.CHANGE, "gate criteria")
    criterion = locked(actor, GateCriterion, criterion.pk, Action.CHANGE)
    return change_audited(criterion, changes, actor=actor, allowed=CRITERION_FIELDS, reason=reason)


@transaction.atomic
def archive_criterion(*, actor, criterion: GateCriterion, reason: str = "") -> GateCriterion:
    require_global(actor, Action.ARCHIVE, "gate criteria")
    criterion = locked(actor, GateCriterion, criterion.pk, Action.ARCHIVE)
    return change_audited(
        criterion,
        {"is_archived": True},
        actor=actor,
        allowed={"is_archived"},
        reason=reason,
        action="gatecriterion.archived",
    )


# --- who approves ---------------------------------------------------------------------------


def required_roles(review: GateReview, pmo_model: str | None = None) -> tuple[str, ...]:
    """The approvals a review needs: those of the model it opened under, or of the model in force
    now when that is stricter."""
    now = pmo_model or current_pmo_model()
    strictest = max((review.pmo_model, now), key=lambda model: STRICTNESS[model])
    return approver_roles(strictest)


def _roles_covering(user, project: Project) -> set[str]:
    """The roles ``user`` holds on ``project`` or any scope containing it."""
    scopes = Q(scope_type=ScopeType.ORGANISATION) | Q(scope_type=ScopeType.PORTFOLIO, scope_id=project.portfolio_id)
    scopes |= Q(scope_type=ScopeType.PROJECT, scope_id=project.pk)
    if project.programme_id:
        scopes |= Q(scope_type=ScopeType.PROGRAMME, scope_id=project.programme_id)
    return set(RoleAssignment.objects.filter(scopes, person__user=user).values_list("role", flat=True))


def may_approve_as(user, project: Project, role: str) -> bool:
    """Whether ``user`` may give the approval ``role`` on a review of ``project``."""
    if user is None or not user.is_authenticated:
        return False
    if grants_for(user).is_administrator:
        return True
    if role == ApproverRole.PMO_HEAD:
        return is_pmo_head(user)
    held = _roles_covering(user, project)
    return bool(held & {Role.EXECUTIVE, Role.PORTFOLIO_MANAGER}) or (
        project.sro_id is not None and getattr(getattr(user, "person", None), "pk", None) == project.sro_id
    )


def approvers_of(project: Project, role: str) -> list:
    """The users an approval waits on, for notifications."""
    if role == ApproverRole.PMO_HEAD:
        return governance.users_with_role(Role.PMO_HEAD)
    users = governance.users_with_role(Role.EXECUTIVE, project=project)
    users += governance.users_with_role(Role.PORTFOLIO_MANAGER, project=project)
    if project.sro_id and project.sro.user_id:
        users.append(project.sro.user)
    return users


# --- what a gate still needs ----------------------------------------------------------------


@dataclass
class GateState:
    """What the move of a project into ``to_stage`` needs under the PMO model in force."""

    project: Project
    pmo_model: str
    from_stage: str
    to_stage: str
    review: GateReview | None = None
    criteria_count: int = 0
    missing_evidence: list[str] = field(default_factory=list)
    missing_approvals: list[str] = field(default_factory=list)
    is_gated: bool = True

    @property
    def label(self) -> str:
        return gate_label(self.from_stage, self.to_stage)

    @property
    def is_enforced(self) -> bool:
        return self.is_gated and self.pmo_model != PMOModel.SUPPORTIVE

    @property
    def is_ready(self) -> bool:
        """Whether the gate lets the project through (it always does under a supportive PMO)."""
        return not self.is_enforced or not self.problems

    @property
    def problems(self) -> list[str]:
        if not self.is_gated:
            return []
        found = []
        if self.review is None:
            found.append("no gate review has been opened")
        elif self.review.status == ReviewStatus.STOPPED:
            found.append("its review decided to stop the project")
        elif self.review.status == ReviewStatus.ON_HOLD:
            found.append("its review is on hold")
        elif not self.review.is_approved:
            found.append("its review is not approved yet")
        if self.missing_approvals:
            found.append("waiting for the approval of " + ", ".join(self.missing_approvals))
        if self.missing_evidence:
            count = len(self.missing_evidence)
            found.append(
                f"{count} of {self.criteria_count} criteria {'has' if count == 1 else 'have'} no evidence "
                f"({', '.join(self.missing_evidence)})"
            )
        return found

    @property
    def message(self) -> str:
        if not self.is_gated:
            return ""
        if not self.problems:
            return f"{self.label}: the gate is approved."
        return f"{self.label} needs an approved gate review: " + "; ".join(self.problems) + "."


def next_gated_stage(stage: str) -> str | None:
    return next((target for target, source in GATES.items() if source == stage), None)


_NO_REVIEW = object()


def gate_state(
    project: Project,
    to_stage: str | None = None,
    *,
    pmo_model: str | None = None,
    review=_NO_REVIEW,
    criteria: list[GateCriterion] | None = None,
) -> GateState:
    """What the gate of ``project``'s move into ``to_stage`` (its next stage by default) needs.
    ``review`` and ``criteria`` may be given when read in bulk (see ``gate_states``)."""
    pmo_model = pmo_model or current_pmo_model()
    to_stage = to_stage or next_gated_stage(project.stage)
    if to_stage is None or GATES.get(to_stage) != project.stage:
        return GateState(project, pmo_model, project.stage, to_stage or project.stage, is_gated=False)
    if review is _NO_REVIEW:
        review = (
            GateReview.objects.filter(project=project, from_stage=project.stage, to_stage=to_stage)
            .order_by("-created_at", "-id")
            .first()
        )
    state = GateState(project, pmo_model, project.stage, to_stage, review=review)
    if review is None:
        if criteria is None:
            criteria = list(GateCriterion.objects.active().filter(stage=to_stage))
        required = [c.text for c in criteria if c.stage == to_stage and c.evidence_required]
    else:
        items = list(review.items.all())
        required = [item.text for item in items if item.evidence_required and not item.has_evidence]
        state.criteria_count = len(items)
        decided = {
            approval.role
            for approval in review.approvals.all()
            if approval.decision in (GateDecision.GO, GateDecision.GO_WITH_CONDITIONS)
        }
        state.missing_approvals = [
            ApproverRole(role).label.split(" (")[0] for role in required_roles(review, pmo_model) if role not in decided
        ]
        if review.status == ReviewStatus.STOPPED:
            state.missing_approvals = []
    if review is None:
        state.criteria_count = len(required)
    state.missing_evidence = required
    return state


def gate_states(projects: list[Project]) -> list[GateState]:
    """The gate state of each project, in a fixed number of queries."""
    pmo_model = current_pmo_model()
    criteria = list(GateCriterion.objects.active())
    reviews = (
        GateReview.objects.filter(project__in=[project.pk for project in projects])
        .prefetch_related("items", "approvals")
        .order_by("created_at", "id")
    )
    latest = {(review.project_id, review.from_stage, review.to_stage): review for review in reviews}
    states = []
    for project in projects:
        to_stage = next_gated_stage(project.stage)
        review = latest.get((project.pk, project.stage, to_stage))
        states.append(gate_state(project, pmo_model=pmo_model, review=review, criteria=criteria))
    return states


def check_stage_move(actor, project: Project, target: str) -> None:
    """The stage guard of ``pmo.portfolio.services``: refuse a forward move the gate does not
    allow under the PMO model in force; under a supportive PMO, record a move made without an
    approved gate. A new project (no primary key yet) may start past Initiation only where the
    gates advise: elsewhere it reaches later stages through its gates."""
    if project.pk is None:
        _check_new_project_stage(target)
        return
    if GATES.get(target) != project.stage:
        return  # backward moves, cancelling, and moves no gate stands on
    state = gate_state(project, target)
    if state.is_enforced and state.problems:
        raise InvalidData({"stage": [state.message]})
    if state.problems:
        record_event(
            actor=actor,
            action="project.moved_without_gate",
            obj=project,
            before={"stage": project.stage},
            after={"stage": target},
            reason=state.message,
        )


def _check_new_project_stage(stage: str) -> None:
    if stage in (LifecycleStage.PROPOSED, LifecycleStage.INITIATION):
        return
    pmo_model = current_pmo_model()
    if pmo_model != PMOModel.SUPPORTIVE:
        raise InvalidData(
            {
                "stage": [
                    f"Under a {PMOModel(pmo_model).name.lower()} PMO a new project starts in Proposed or "
                    f"Initiation; it reaches {LifecycleStage(stage).label} through its gates."
                ]
            }
        )


# --- reviews --------------------------------------------------------------------------------


@transaction.atomic
def open_review(*, actor, project: Project, to_stage: str | None = None, reason: str = "") -> GateReview:
    """Open the review of a project's next gate: its checklist is copied from the gate's criteria,
    and the approvers are told."""
    project = locked(actor, Project, project.pk, Action.CHANGE)
    to_stage = to_stage or next_gated_stage(project.stage)
    if to_stage is None or to_stage not in LifecycleStage.values:
        raise InvalidData({"to_stage": [f"A project in {project.get_stage_display()} has no gate to pass."]})
    if GATES.get(to_stage) != project.stage:
        raise InvalidData(
            {
                "to_stage": [
                    f"{project.code} is in {project.get_stage_display()}: the gate into "
                    f"{LifecycleStage(to_stage).label} is not its next one."
                ]
            }
        )
    existing = GateReview.objects.filter(project=project, from_stage=project.stage, to_stage=to_stage)
    if existing.filter(status__in=UNFINISHED).exists():
        raise DomainError(f"A review of the gate {gate_label(project.stage, to_stage)} is already open.")
    if existing.filter(status__in=APPROVED_STATUSES).exists():
        raise DomainError(f"The gate {gate_label(project.stage, to_stage)} is already approved: move the project.")
    pmo_model = current_pmo_model()
    review = create_audited(
        GateReview(project=project, from_stage=project.stage, to_stage=to_stage, pmo_model=pmo_model, opened_by=actor),
        actor=actor,
        reason=reason,
    )
    criteria = GateCriterion.objects.active().filter(stage=to_stage)
    GateCheckItem.objects.bulk_create(
        GateCheckItem(
            review=review,
            criterion=criterion,
            text=criterion.text,
            evidence_required=criterion.evidence_required,
            evidence_kind=criterion.evidence_kind,
            order=criterion.order,
        )
        for criterion in criteria
    )
    record_event(
        actor=actor,
        action="gatereview.checklist_copied",
        obj=review,
        after={"items": [criterion.text for criterion in criteria]},
    )
    recipients = [user for role in required_roles(review, pmo_model) for user in approvers_of(project, role)]
    governance.notify(
        recipients=recipients,
        kind="approval",
        message=f"{project.code}: the gate {review.label} waits for your decision.",
        url=review.get_absolute_url(),
    )
    return review


def _store_document(item: GateCheckItem, document) -> str:
    if document.size > MAX_DOCUMENT_BYTES:
        raise InvalidData({"evidence_document": ["The document is larger than 20 MB."]})
    name = (document.name or "document").replace("\\", "/").rsplit("/", 1)[-1] or "document"
    return default_storage.save(f"gate-evidence/{item.review_id}/{item.pk}/{name}", document)


@transaction.atomic
def record_evidence(*, actor, item: GateCheckItem, changes: Mapping, document=None, reason: str = "") -> GateCheckItem:
    """Record (or clear, with empty values) the evidence of one criterion: a link, a figure with
    its unit, a note, and an uploaded document kept in the file storage."""
    item = locked(actor, GateCheckItem, item.pk, Action.CHANGE)
    review = GateReview.objects.get(pk=item.review_id)
    if review.is_final:
        raise DomainError(f"The review is {review.get_status_display().lower()}; its evidence is frozen.")
    changes = dict(changes)
    unknown = sorted(set(changes) - set(EVIDENCE_FIELDS))
    if unknown:
        raise InvalidData({name: ["This field cannot be changed here."] for name in unknown})
    if "evidence_url" in changes and changes["evidence_url"] is None:
        changes["evidence_url"] = ""
    for name in ("evidence_unit", "evidence_note"):
        if name in changes and changes[name] is None:
            changes[name] = ""
    if document is not None:
        changes["evidence_document"] = _store_document(item, document)
    if not changes:
        raise InvalidData({"evidence": ["Give a link, a document or a figure."]})
    changes.update(evidenced_by=actor, evidenced_at=timezone.now())
    return change_audited(
        item,
        changes,
        actor=actor,
        allowed={*EVIDENCE_FIELDS, "evidence_document", "evidenced_by", "evidenced_at"},
        reason=reason,
        action="gatecheckitem.evidenced",
    )


def _outcome(review: GateReview, approvals: list[GateApproval]) -> str:
    decisions = {approval.role: approval.decision for approval in approvals}
    if GateDecision.STOP in decisions.values():
        return ReviewStatus.STOPPED
    if GateDecision.HOLD in decisions.values():
        return ReviewStatus.ON_HOLD
    if all(role in decisions for role in required_roles(review)):
        if GateDecision.GO_WITH_CONDITIONS in decisions.values():
            return ReviewStatus.APPROVED_WITH_CONDITIONS
        return ReviewStatus.APPROVED
    return ReviewStatus.OPEN


def _cancel_project(actor, project: Project, reason: str) -> Project:
    """Move a project to cancelled for a stop decision (the decider may hold no right to change
    the project: the decision is the authority). Cancelling passes every stage guard."""
    project = Project.objects.select_for_update(of=("self",)).get(pk=project.pk)
    if LifecycleStage.CANCELLED not in STAGE_TRANSITIONS[project.stage]:
        raise DomainError(f"{project.code} is {project.get_stage_display().lower()} and cannot be stopped.")
    return change_audited(
        project,
        {"stage": LifecycleStage.CANCELLED},
        actor=actor,
        allowed={"stage"},
        reason=reason,
        action="project.stopped",
    )


def _person_of(user):
    return getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None


@transaction.atomic
def decide(
    *,
    actor,
    review: GateReview,
    decision: str,
    comment: str = "",
    conditions: str = "",
    role: str | None = None,
    reason: str = "",
) -> GateApproval:
    """An approver's decision on a review, for one approval it needs. Go with conditions turns
    each condition into an action; every decision goes to the decision log and to the project
    manager; stop cancels the project unless the PMO is only supportive."""
    review = locked(actor, GateReview, review.pk, Action.VIEW)
    project = review.project
    if decision not in GateDecision.values:
        raise InvalidData(
            {"decision": [f"Unknown decision {decision!r}; choose go, go_with_conditions, hold or stop."]}
        )
    if review.is_final:
        raise DomainError(f"The review is already {review.get_status_display().lower()}.")
    needed = required_roles(review)
    if role is None:
        role = next((slot for slot in needed if may_approve_as(actor, project, slot)), None)
        if role is None:
            raise PermissionRefused(
                "You may not decide this gate: it needs "
                + " and ".join(ApproverRole(slot).label for slot in needed)
                + "."
            )
    elif role not in needed:
        raise InvalidData({"role": [f"This gate does not need the approval of {role!r}."]})
    elif not may_approve_as(actor, project, role):
        raise PermissionRefused(f"You may not decide as {ApproverRole(role).label}.")
    lines = [line.strip() for line in (conditions or "").splitlines() if line.strip()]
    if decision == GateDecision.GO_WITH_CONDITIONS and not lines:
        raise InvalidData({"conditions": ["Go with conditions needs at least one condition (one a line)."]})
    if decision != GateDecision.GO_WITH_CONDITIONS and lines:
        raise InvalidData({"conditions": ["Only go with conditions takes conditions."]})
    model = current_pmo_model()
    if decision in (GateDecision.GO, GateDecision.GO_WITH_CONDITIONS) and model != PMOModel.SUPPORTIVE:
        missing = [item.text for item in review.items.all() if item.evidence_required and not item.has_evidence]
        if missing:
            raise DomainError(
                f"Under a {model} PMO a gate is approved only on evidence: {len(missing)} "
                f"{'criterion has' if len(missing) == 1 else 'criteria have'} none ({', '.join(missing)})."
            )
    if (
        decision == GateDecision.STOP
        and model != PMOModel.SUPPORTIVE
        and LifecycleStage.CANCELLED not in STAGE_TRANSITIONS[project.stage]
    ):
        raise DomainError(f"{project.code} is in {project.get_stage_display()} and cannot be stopped; decide hold.")

    existing = GateApproval.objects.select_for_update(of=("self",)).filter(review=review, role=role).first()
    values = {"approver": actor, "decision": decision, "comment": comment or "", "conditions": "\n".join(lines)}
    if existing is None:
        approval = create_audited(GateApproval(review=review, role=role, **values), actor=actor, reason=reason)
    else:
        approval = change_audited(
            existing, values, actor=actor, allowed=set(values), reason=reason, action="gateapproval.changed"
        )

    status = _outcome(review, list(review.approvals.all()))
    if status != review.status:
        change_audited(
            review,
            {"status": status, "decided_at": timezone.now() if status in (*APPROVED_STATUSES, "stopped") else None},
            actor=actor,
            allowed={"status", "decided_at"},
            reason=reason,
            action=f"gatereview.{status}",
        )

    label = f"{project.code} gate {review.label}: {GateDecision(decision).label}"
    for line in lines:
        governance.create_action(
            actor=None,
            title=line[:200],
            owner=project.manager,
            project=project,
            source=review,
            description=f"Condition of the gate {review.label}, set by {actor.get_username()}.",
            reason=f"Condition of {label}",
        )
    governance.record_decision(
        actor=None,
        title=label[:200],
        description="\n".join(part for part in (comment, *[f"Condition: {line}" for line in lines]) if part),
        decided_on=timezone.localdate(),
        decided_by=_person_of(actor),
        body=ApproverRole(role).label.split(" (")[0],
        project=project,
        source=review,
        reason=reason,
    )
    if status == ReviewStatus.STOPPED and model != PMOModel.SUPPORTIVE:
        _cancel_project(actor, project, reason or f"Stopped at the gate {review.label}: {comment}".strip(": "))
    manager_user = project.manager.user if project.manager_id and project.manager.user_id else None
    governance.notify(
        recipients=[manager_user, review.opened_by],
        kind="gate_decision",
        message=f"{label} ({ApproverRole(role).label.split(' (')[0]}); the review is "
        f"{ReviewStatus(status).label.lower()}.",
        url=review.get_absolute_url(),
    )
    return approval


@transaction.atomic
def stop_project(*, actor, project: Project, reason: str) -> Project:
    """A directive PMO stops a project: it moves to cancelled, the decision is logged and the
    project manager told."""
    if not is_pmo_head(actor):
        raise PermissionRefused("Only the PMO head stops a project.")
    project = locked(actor, Project, project.pk, Action.VIEW)
    if current_pmo_model() != PMOModel.DIRECTIVE:
        raise DomainError("Only a directive PMO stops projects; the charter in force gives the PMO no such authority.")
    if not (reason or "").strip():
        raise InvalidData({"reason": ["Say why the project is stopped."]})
    project = _cancel_project(actor, project, reason)
    governance.record_decision(
        actor=None,
        title=f"{project.code} stopped by the PMO"[:200],
        description=reason,
        decided_on=timezone.localdate(),
        decided_by=_person_of(actor),
        body="PMO",
        project=project,
        source=project,
        reason=reason,
    )
    manager_user = project.manager.user if project.manager_id and project.manager.user_id else None
    governance.notify(
        recipients=[manager_user],
        kind="gate_decision",
        message=f"{project.code} was stopped by the PMO: {reason}",
        url=project.get_absolute_url(),
    )
    return project
