"""The RAID registers: risks, assumptions, issues and dependencies put on a project's,
programme's or portfolio's register and changed there; escalation of a project's risks and issues
to its programme (or portfolio); the exposure kept day by day for the trend.

A project's risk or issue at or above the organisation's threshold is escalated when it is saved,
and goes down again when it falls below (if it went up by the rule) or closes. People escalate
and de-escalate by hand too; every step is kept as an ``Escalation`` and audited on the entry.
"""

from collections.abc import Mapping
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from pmo.core.audit import record_event
from pmo.core.choices import Action, Role
from pmo.core.errors import DomainError, InvalidData, NotFound, PermissionRefused
from pmo.core.models import Person
from pmo.core.services import change_audited, create_audited, require_global
from pmo.governance.choices import (
    AssumptionStatus,
    EscalationState,
    IssueStatus,
    NotificationKind,
    RiskStatus,
)
from pmo.governance.models import (
    RAID_MODELS,
    Escalation,
    EscalationRule,
    ExposureSnapshot,
    Issue,
    Risk,
    RiskScale,
)
from pmo.governance.services.actions import create_action
from pmo.governance.services.notifications import notify, users_with_role
from pmo.governance.services.registers import (
    checked_locked,
    locked,
    may_act_on,
    register_of,
    require_change,
)
from pmo.portfolio.models import Portfolio, Programme, Project, ProjectDependency

COMMON_FIELDS = ("title", "description", "owner", "raised_on")
ENTRY_FIELDS = {
    "risk": (
        *COMMON_FIELDS,
        "nature",
        "category",
        "cause",
        "event",
        "effect",
        "probability",
        "impact",
        "proximity_on",
        "proximity",
        "response",
        "response_plan",
        "residual_probability",
        "residual_impact",
        "status",
        "closed_on",
    ),
    "assumption": (*COMMON_FIELDS, "validate_by", "status", "validated_on", "notes"),
    "issue": (
        *COMMON_FIELDS,
        "priority",
        "severity",
        "due_on",
        "resolution",
        "status",
        "resolved_on",
        "risk",
    ),
    "dependency": (*COMMON_FIELDS, "nature", "project_dependency", "party", "needed_by", "status"),
}
# The day an entry reached a status, filled in when not given.
STATUS_DATES = {
    "risk": ("closed_on", {RiskStatus.CLOSED, RiskStatus.OCCURRED}),
    "assumption": ("validated_on", {AssumptionStatus.VALID, AssumptionStatus.INVALID}),
    "issue": ("resolved_on", {IssueStatus.RESOLVED, IssueStatus.CLOSED}),
}
PLURALS = {"risk": "risks", "assumption": "assumptions", "issue": "issues", "dependency": "dependencies"}


def model_of(kind: str):
    try:
        return RAID_MODELS[kind]
    except KeyError:
        raise InvalidData({"kind": [f"Unknown register {kind!r}; choose one of {', '.join(RAID_MODELS)}."]}) from None


# --- checks ---------------------------------------------------------------------------------


def _check_fields(kind: str, fields: Mapping) -> None:
    unknown = sorted(set(fields) - set(ENTRY_FIELDS[kind]))
    if unknown:
        raise InvalidData({name: [f"Not a field of a {kind} that can be set here."] for name in unknown})


def _check_references(actor, entry, fields: Mapping) -> None:
    """People current; a linked risk or project dependency visible to the actor and related to
    the entry's register."""
    owner = fields.get("owner")
    if owner is not None and (not isinstance(owner, Person) or owner.is_archived):
        raise InvalidData({"owner": [f"{owner} cannot own entries: choose a current person."]})
    risk = fields.get("risk")
    if risk is not None and actor is not None and not Risk.objects.visible_to(actor).filter(pk=risk.pk).exists():
        raise InvalidData({"risk": [f"No risk with id {risk.pk} is visible to you."]})
    link = fields.get("project_dependency")
    if link is not None:
        if actor is not None and not ProjectDependency.objects.visible_to(actor).filter(pk=link.pk).exists():
            raise InvalidData({"project_dependency": [f"No project dependency with id {link.pk} is visible to you."]})
        ends = [link.dependent, link.provider]
        register = entry.register
        related = any(
            (isinstance(register, Project) and end.pk == register.pk)
            or (isinstance(register, Programme) and end.programme_id == register.pk)
            or (isinstance(register, Portfolio) and end.portfolio_id == register.pk)
            for end in ends
        )
        if not related:
            raise InvalidData(
                {"project_dependency": [f"{link} does not involve {register}: link a dependency of this register."]}
            )


def _fill_status_date(kind: str, entry, fields: Mapping) -> dict:
    """The day an entry closed (or was validated, resolved) goes with its status: today when the
    status is given without it, cleared when the entry opens again."""
    fields = dict(fields)
    if kind in STATUS_DATES and "status" in fields:
        name, statuses = STATUS_DATES[kind]
        if fields["status"] in statuses:
            if fields.get(name) is None:
                fields[name] = getattr(entry, name) or timezone.localdate()
        else:
            fields[name] = None
    return fields


# --- entries ----------------------------------------------------------------------------------


@transaction.atomic
def create_entry(
    *,
    actor,
    kind: str,
    project: Project | None = None,
    programme: Programme | None = None,
    portfolio: Portfolio | None = None,
    reason: str = "",
    **fields,
):
    """Put a new risk, assumption, issue or dependency (``kind``) on a register."""
    model = model_of(kind)
    where = register_of(project=project, programme=programme, portfolio=portfolio)
    target = where["project"] or where["programme"] or where["portfolio"]
    require_change(actor, target, f"the {PLURALS[kind]}")
    _check_fields(kind, fields)
    if isinstance(fields.get("title"), str):
        fields["title"] = fields["title"].strip()
    entry = model(**where, raised_by=actor if getattr(actor, "is_authenticated", False) else None)
    fields = _fill_status_date(kind, entry, fields)
    fields.setdefault("raised_on", timezone.localdate())
    for name, value in fields.items():
        setattr(entry, name, value)
    _check_references(actor, entry, fields)
    entry = create_audited(entry, actor=actor, reason=reason)
    _after_change(actor, entry, was_escalating=False)
    return entry


@transaction.atomic
def update_entry(*, actor, entry, changes: Mapping, reason: str = ""):
    """Change a register entry; the escalation rule and the exposure follow."""
    kind = entry.kind
    model = model_of(kind)
    row = checked_locked(actor, model, entry, f"the {PLURALS[kind]}")
    _check_fields(kind, changes)
    changes = _fill_status_date(kind, row, changes)
    if isinstance(changes.get("title"), str):
        changes["title"] = changes["title"].strip()
    _check_references(actor, row, changes)
    was_escalating = _escalates(row)
    row = change_audited(row, changes, actor=actor, allowed=ENTRY_FIELDS[kind], reason=reason)
    if isinstance(row, Risk):
        row.refresh_from_db(fields=["score", "residual_score"])
    _after_change(actor, row, was_escalating=was_escalating)
    return row


def create_risk(**arguments) -> Risk:
    return create_entry(kind="risk", **arguments)


def create_assumption(**arguments):
    return create_entry(kind="assumption", **arguments)


def create_issue(**arguments) -> Issue:
    return create_entry(kind="issue", **arguments)


def create_dependency(**arguments):
    return create_entry(kind="dependency", **arguments)


def update_risk(*, actor, risk: Risk, changes: Mapping, reason: str = "") -> Risk:
    return update_entry(actor=actor, entry=risk, changes=changes, reason=reason)


def update_assumption(*, actor, assumption, changes: Mapping, reason: str = ""):
    return update_entry(actor=actor, entry=assumption, changes=changes, reason=reason)


def update_issue(*, actor, issue: Issue, changes: Mapping, reason: str = "") -> Issue:
    return update_entry(actor=actor, entry=issue, changes=changes, reason=reason)


def update_dependency(*, actor, dependency, changes: Mapping, reason: str = ""):
    return update_entry(actor=actor, entry=dependency, changes=changes, reason=reason)


@transaction.atomic
def add_response_action(
    *, actor, risk: Risk, title: str, owner: Person | None = None, due_on: date | None = None, reason: str = ""
):
    """An action of a risk's response, on the risk's register, pointing back at the risk."""
    row = checked_locked(actor, Risk, risk, "the risks")
    return create_action(
        actor=actor,
        title=title,
        owner=owner,
        due_on=due_on,
        source=row,
        reason=reason,
        **register_of(project=row.project, programme=row.programme, portfolio=row.portfolio),
    )


# --- escalation -------------------------------------------------------------------------------


def escalation_target(entry):
    """Where a project's entry goes up to: its programme, else its portfolio; None off a project."""
    if entry.project_id is None:
        return None
    project = entry.project
    return project.programme if project.programme_id else project.portfolio


def _escalates(entry) -> bool:
    if not isinstance(entry, (Risk, Issue)) or entry.project_id is None or not entry.is_open:
        return False
    rule = EscalationRule.current()
    return rule.escalates_risk(entry) if isinstance(entry, Risk) else rule.escalates_issue(entry)


def _threshold_text(entry) -> str:
    rule = EscalationRule.current()
    if isinstance(entry, Risk):
        return f"score {entry.score} at or above the threshold {rule.risk_score}"
    return f"{entry.get_severity_display().lower()} severity, {entry.get_priority_display().lower()} priority"


def active_escalation(entry) -> Escalation | None:
    return entry.escalations.filter(state=EscalationState.ACTIVE).first()


def _escalate(actor, entry, *, is_automatic: bool, reason: str) -> Escalation:
    target = escalation_target(entry)
    escalation = Escalation.objects.create(
        risk=entry if isinstance(entry, Risk) else None,
        issue=entry if isinstance(entry, Issue) else None,
        programme=target if isinstance(target, Programme) else None,
        portfolio=target if isinstance(target, Portfolio) else None,
        is_automatic=is_automatic,
        reason=reason,
        escalated_at=timezone.now(),
        escalated_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record_event(
        actor=actor,
        action=f"{entry.kind}.escalated",
        obj=entry,
        before={"escalated_to": None},
        after={"escalated_to": str(target), "is_automatic": is_automatic, "escalation": escalation.pk},
        reason=reason,
    )
    scope = {"programme": target} if isinstance(target, Programme) else {"portfolio": target}
    notify(
        recipients=users_with_role(Role.PORTFOLIO_MANAGER, **scope),
        kind=NotificationKind.ESCALATION,
        message=f"{entry.project.code}: {entry.kind} {entry} escalated to {target} ({reason}).",
        url=entry.get_absolute_url(),
    )
    return escalation


def _withdraw(actor, escalation: Escalation, reason: str) -> Escalation:
    escalation.state = EscalationState.WITHDRAWN
    escalation.withdrawn_at = timezone.now()
    escalation.withdrawn_by = actor if getattr(actor, "is_authenticated", False) else None
    escalation.withdrawal_reason = reason
    escalation.save(update_fields=["state", "withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    entry = escalation.entry
    record_event(
        actor=actor,
        action=f"{entry.kind}.deescalated",
        obj=entry,
        before={"escalated_to": str(escalation.target)},
        after={"escalated_to": None, "escalation": escalation.pk},
        reason=reason,
    )
    return escalation


def _after_change(actor, entry, *, was_escalating: bool) -> None:
    """Apply the escalation rule to a saved entry, then refresh the exposure it counts in."""
    if isinstance(entry, (Risk, Issue)) and entry.project_id is not None:
        active = active_escalation(entry)
        should = _escalates(entry)
        # A person who took it down decided it belongs on the project: it goes up again by the
        # rule only once it has been below the threshold and crosses it anew.
        last = entry.escalations.order_by("-escalated_at", "-id").first()
        held_down = last is not None and last.withdrawn_by_id is not None and was_escalating
        if should and active is None and not held_down:
            _escalate(actor, entry, is_automatic=True, reason=f"Raised by the rule: {_threshold_text(entry)}")
        elif active is not None and not entry.is_open:
            _withdraw(actor, active, f"The {entry.kind} is {entry.get_status_display().lower()}.")
        elif active is not None and active.is_automatic and not should:
            _withdraw(actor, active, "Back below the escalation threshold.")
    if isinstance(entry, Risk):
        refresh_exposure_of(entry)


@transaction.atomic
def escalate_entry(*, actor, entry, reason: str):
    """Escalate a project's open risk or issue to its programme (or portfolio) by hand."""
    if not isinstance(entry, (Risk, Issue)):
        raise DomainError("Only risks and issues are escalated.")
    row = checked_locked(actor, type(entry), entry, f"the {PLURALS[entry.kind]}")
    if row.project_id is None:
        raise DomainError(f"{row} is on the register of {row.register} already; only a project's entries go up.")
    if not row.is_open:
        raise DomainError(f"{row} is {row.get_status_display().lower()}; only open entries are escalated.")
    if active_escalation(row) is not None:
        raise DomainError(f"{row} is escalated to {escalation_target(row)} already.")
    if not (reason or "").strip():
        raise InvalidData({"reason": ["Say why it goes up."]})
    escalation = _escalate(actor, row, is_automatic=False, reason=reason.strip())
    if isinstance(row, Risk):
        refresh_exposure_of(row)
    return escalation


@transaction.atomic
def deescalate_entry(*, actor, entry, reason: str):
    """Take a risk or issue back off its programme's (or portfolio's) register. Whoever may change
    that register or the project's may do it."""
    if not isinstance(entry, (Risk, Issue)):
        raise DomainError("Only risks and issues are escalated.")
    if actor is not None and not type(entry).objects.visible_to(actor).filter(pk=entry.pk).exists():
        raise NotFound(f"No {entry.kind} with id {entry.pk} is visible to you.")
    row = locked(type(entry), entry.pk)
    active = active_escalation(row)
    if active is None:
        raise DomainError(f"{row} is not escalated.")
    if actor is not None and not (
        may_act_on(actor, active.target, Action.CHANGE) or may_act_on(actor, row.register, Action.CHANGE)
    ):
        raise PermissionRefused(f"You may not de-escalate {row}: that needs the right to change {active.target}.")
    if not (reason or "").strip():
        raise InvalidData({"reason": ["Say why it goes down again."]})
    escalation = _withdraw(actor, active, reason.strip())
    if isinstance(row, Risk):
        refresh_exposure_of(row)
    return escalation


# --- exposure ---------------------------------------------------------------------------------


def register_risks(target):
    """The risks shown on ``target``'s register: its own, and (for a programme or portfolio) the
    projects' risks escalated to it. Not filtered by user: callers filter."""
    return Risk.objects.shown_on(target)


def record_exposure(target, *, on: date | None = None) -> ExposureSnapshot:
    """Store ``target``'s open-risk exposure for a day (today unless said), replacing that day's."""
    on = on or timezone.localdate()
    scale = RiskScale.current()
    totals = {"open_risks": 0, "exposure": 0, "residual_exposure": 0, "red": 0, "amber": 0, "green": 0}
    for score, residual in register_risks(target).filter(status=RiskStatus.OPEN).values_list("score", "residual_score"):
        totals["open_risks"] += 1
        totals["exposure"] += score
        totals["residual_exposure"] += residual if residual is not None else score
        totals[scale.band(score)] += 1
    snapshot, _ = ExposureSnapshot.objects.update_or_create(
        **{target._meta.model_name: target, "taken_on": on}, defaults=totals
    )
    return snapshot


def refresh_exposure_of(risk: Risk) -> None:
    """A risk changed: its register's exposure today, and that of the register it went up to."""
    record_exposure(risk.register)
    targets = {escalation.target for escalation in risk.escalations.all()}
    for target in targets:
        record_exposure(target)


def record_every_exposure(*, on: date | None = None) -> int:
    """The daily record: every active project's, programme's and portfolio's exposure (the worker
    runs this each day so that the trend has a point even on days nothing changed)."""
    count = 0
    for model in (Project, Programme, Portfolio):
        for target in model.objects.active():
            record_exposure(target, on=on)
            count += 1
    return count


# --- settings ---------------------------------------------------------------------------------

SCALE_FIELDS = ("levels", "probability_labels", "impact_labels", "amber_from", "red_from")
RULE_FIELDS = ("risk_score", "issue_severity", "issue_priority")


@transaction.atomic
def update_risk_scale(*, actor, changes: Mapping, reason: str = "") -> RiskScale:
    """Change the organisation's risk scale; refused if risks already use a step it would drop."""
    require_global(actor, Action.CHANGE, "the risk scale")
    scale = RiskScale.current()
    scale = RiskScale.objects.select_for_update().get(pk=scale.pk)
    levels = changes.get("levels", scale.levels)
    if isinstance(levels, int):
        too_high = Q(probability__gt=levels) | Q(impact__gt=levels)
        too_high |= Q(residual_probability__gt=levels) | Q(residual_impact__gt=levels)
        used = Risk.objects.filter(too_high).count()
        if used:
            raise InvalidData({"levels": [f"{used} risk(s) use steps above {levels}; rescore them first."]})
    return change_audited(scale, changes, actor=actor, allowed=SCALE_FIELDS, reason=reason)


@transaction.atomic
def update_escalation_rule(*, actor, changes: Mapping, reason: str = "") -> EscalationRule:
    """Change the thresholds; entries are escalated by the new rule the next time they are saved."""
    require_global(actor, Action.CHANGE, "the escalation thresholds")
    rule = EscalationRule.current()
    rule = EscalationRule.objects.select_for_update().get(pk=rule.pk)
    return change_audited(rule, changes, actor=actor, allowed=RULE_FIELDS, reason=reason)
