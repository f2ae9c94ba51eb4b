"""State changes of change control: change requests and their flow, the engine's impact analysis,
approval policies and boards, configuration items and quality reviews.

Every function is atomic, re-checks permission inside its transaction on the locked row, and
writes audit events with the values before and after. Who may do what:
- raising, editing, submitting, withdrawing and implementing a change needs the right to change
  its project (project managers, portfolio managers, PMO);
- re-running the analysis needs only to see the change (it refreshes a computed snapshot, which
  a board member may want before deciding);
- deciding (approve, reject, defer) needs a seat on the board the change requires (see
  ``project_board`` and ``programme_board``); the programme board may also decide what the
  project board could.
"""

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from pmo.changes import adapters
from pmo.changes.choices import (
    CHANGE_TRANSITIONS,
    EDITABLE_STATUSES,
    OPEN_STATUSES,
    Board,
    ChangeStatus,
    ConfigurationItemStatus,
    CriterionOutcome,
    ReviewResult,
)
from pmo.changes.models import (
    ActivityChange,
    ApprovalPolicy,
    ChangeRequest,
    ConfigurationItem,
    ConfigurationItemVersion,
    QualityReview,
    ReviewCriterion,
)
from pmo.core.audit import record_event, snapshot
from pmo.core.choices import Action, Role
from pmo.core.errors import DomainError, InvalidData, NotFound, PermissionRefused
from pmo.core.models import Person
from pmo.core.services import change_audited, create_audited, locked_for, require_global, validated
from pmo.governance import services as governance
from pmo.planning import services as planning
from pmo.planning.models import Activity, Baseline, Link
from pmo.portfolio.models import Programme, Project

# The organisation's limits when no policy has been written down.
DEFAULT_COST_LIMIT = Decimal("50000")
DEFAULT_DELAY_DAYS_LIMIT = 10
MINUTES_PER_DAY = 480
MOVED_SHOWN = 300
# The fingerprint of an analysis made while the project had no plan.
NO_PLAN = "no plan"

CHANGE_FIELDS = (
    "title",
    "description",
    "justification",
    "requested_by",
    "raised_on",
    "cost_impact",
    "time_impact_days",
    "scope_impact",
    "benefits_impact",
    "risk_impact",
    "risk_level",
)
ACTIVITY_CHANGE_FIELDS = (
    "activity",
    "new_duration_minutes",
    "predecessor",
    "lag_minutes",
    "constraint_type",
    "constraint_date",
    "note",
)
ITEM_FIELDS = ("identifier", "name", "kind", "version", "status", "owner", "description")
REVIEW_FIELDS = ("title", "configuration_item", "deliverable", "planned_on", "held_on", "summary")
POLICY_FIELDS = ("cost_limit", "delay_days_limit", "notes")


def _unknown(fields: Mapping, allowed: Iterable[str], what: str) -> None:
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise InvalidData({name: [f"Not a field of {what}."] for name in unknown})


def _locked(actor, model, pk, action: str):
    """Lock the row (its own row only: the visibility filters may outer-join, which PostgreSQL
    refuses to lock), then check on the locked row that ``actor`` may perform ``action`` on it."""
    row = model.objects.select_for_update(of=("self",)).filter(pk=pk).first()
    if row is None or not model.objects.visible_to(actor, action).filter(pk=pk).exists():
        if row is not None and model.objects.visible_to(actor, Action.VIEW).filter(pk=pk).exists():
            raise PermissionRefused(f"You may not {action} this {model._meta.verbose_name}.")
        raise NotFound(f"No {model._meta.verbose_name} with id {pk} is visible to you.")
    return row


def _project_for_change(actor, project: Project) -> Project:
    return locked_for(actor, Project, project.pk, Action.CHANGE)


# --- approval policies and boards -----------------------------------------------------------


def policy_for(project: Project) -> ApprovalPolicy:
    """The limits that apply to a project: its own policy, else its programme's, else the
    organisation's, else the built-in default (unsaved)."""
    condition = Q(project=project) | Q(programme__isnull=True, project__isnull=True)
    if project.programme_id:
        condition |= Q(programme_id=project.programme_id, project__isnull=True)
    policies = list(ApprovalPolicy.objects.filter(condition))
    for test in (lambda p: p.project_id, lambda p: p.programme_id, lambda p: True):
        found = next((p for p in policies if test(p)), None)
        if found is not None:
            return found
    return ApprovalPolicy(cost_limit=DEFAULT_COST_LIMIT, delay_days_limit=DEFAULT_DELAY_DAYS_LIMIT)


def _check_policy_scope(actor, programme: Programme | None, project: Project | None) -> None:
    if programme is not None and project is not None:
        raise InvalidData({"project": ["A policy applies to a programme or to a project, not to both."]})
    if project is not None:
        locked_for(actor, Project, project.pk, Action.CHANGE)
    elif programme is not None:
        _locked(actor, Programme, programme.pk, Action.CHANGE)
    else:
        require_global(actor, Action.CHANGE, "the organisation's approval limits")


@transaction.atomic
def create_policy(
    *, actor, programme: Programme | None = None, project: Project | None = None, reason: str = "", **fields
) -> ApprovalPolicy:
    """Write down the project board's limits for the organisation, a programme or a project."""
    _unknown(fields, POLICY_FIELDS, "an approval policy")
    _check_policy_scope(actor, programme, project)
    clash = ApprovalPolicy.objects.filter(project=project, programme=programme if project is None else None).first()
    if clash is not None:
        raise InvalidData(
            {"__all__": [f"{clash.scope_label.capitalize()} has its limits already; change them instead."]}
        )
    return create_audited(ApprovalPolicy(programme=programme, project=project, **fields), actor=actor, reason=reason)


@transaction.atomic
def update_policy(*, actor, policy: ApprovalPolicy, changes: Mapping, reason: str = "") -> ApprovalPolicy:
    if policy.project_id is None and policy.programme_id is None:
        require_global(actor, Action.CHANGE, "the organisation's approval limits")
    policy = _locked(actor, ApprovalPolicy, policy.pk, Action.CHANGE)
    return change_audited(policy, changes, actor=actor, allowed=POLICY_FIELDS, reason=reason)


def _user_of(person: Person | None):
    return person.user if person is not None and person.user_id else None


def project_board(project: Project) -> list:
    """The project board: the project's SRO and the executives of the project (or of a scope
    containing it)."""
    members = governance.users_with_role(Role.EXECUTIVE, project=project)
    sro = _user_of(project.sro)
    return _unique([sro, *members])


def programme_board(project: Project) -> list:
    """The programme board: the programme's SRO and manager, and the executives and portfolio
    managers of the programme (or of a scope containing it). A project outside any programme goes
    to its portfolio's board: the portfolio's manager, its executives and portfolio managers."""
    if project.programme_id:
        programme = project.programme
        named = [_user_of(programme.sro), _user_of(programme.manager)]
        scope = {"programme": programme}
    else:
        named = [_user_of(project.portfolio.manager)]
        scope = {"portfolio": project.portfolio}
    holders = [
        *governance.users_with_role(Role.EXECUTIVE, **scope),
        *governance.users_with_role(Role.PORTFOLIO_MANAGER, **scope),
    ]
    return _unique([*named, *holders])


def _unique(users: Iterable) -> list:
    seen, result = set(), []
    for user in users:
        if user is not None and user.is_active and user.pk not in seen:
            seen.add(user.pk)
            result.append(user)
    return result


def programme_board_name(project: Project) -> str:
    return "the programme board" if project.programme_id else "the portfolio board"


def routing(change: ChangeRequest, policy: ApprovalPolicy | None = None) -> tuple[str, str]:
    """The board that decides ``change`` and why, from its cost (the requester's estimate plus
    the computed cost of its plan changes) and its delay (the analysed working days, else the
    requester's estimate) against the project board's limits."""
    policy = policy or policy_for(change.project)
    cost = change.total_cost_impact
    delay = change.delay_days if change.delay_days is not None else Decimal(change.time_impact_days)
    above = programme_board_name(change.project)
    if delay > policy.delay_days_limit:
        return Board.PROGRAMME_BOARD, (
            f"This change adds {_days(delay)} working days, above the project board's limit of "
            f"{policy.delay_days_limit}: {above} decides it."
        )
    if cost > policy.cost_limit:
        return Board.PROGRAMME_BOARD, (
            f"This change costs {cost:,.2f}, above the project board's limit of {policy.cost_limit:,.2f}: "
            f"{above} decides it."
        )
    return Board.PROJECT_BOARD, (
        f"This change ({_days(delay)} working days, cost {cost:,.2f}) is within the project board's limits "
        f"({policy.delay_days_limit} days, {policy.cost_limit:,.2f}): the project board decides it."
    )


def _days(value: Decimal) -> str:
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:.2f}"


def board_members(change: ChangeRequest, board: str) -> list:
    if board == Board.PROGRAMME_BOARD:
        return programme_board(change.project)
    return _unique([*project_board(change.project), *programme_board(change.project)])


def _require_board(actor, change: ChangeRequest) -> str:
    """The board deciding ``change``; refuses an actor without a seat on it, saying why."""
    board, why = routing(change)
    if any(member.pk == getattr(actor, "pk", None) for member in board_members(change, board)):
        return board
    if board == Board.PROGRAMME_BOARD:
        raise PermissionRefused(f"{why} You do not sit on {programme_board_name(change.project)}.")
    raise PermissionRefused(
        f"{why} You sit on neither the project board of {change.project.code} nor the board above it."
    )


def change_impact(change: ChangeRequest) -> dict:
    """What the detail page and the API show about a change's analysis and routing (a read)."""
    board, why = routing(change)
    is_open = change.status in (ChangeStatus.DRAFT, ChangeStatus.SUBMITTED, ChangeStatus.DEFERRED)
    members = board_members(change, board) if board == Board.PROGRAMME_BOARD else project_board(change.project)
    return {
        "analysis": change.analysis,
        "analysed_at": change.analysed_at,
        "is_stale": is_analysis_stale(change) if is_open else False,
        "board": board,
        "routing": why,
        "board_members": [getattr(getattr(user, "person", None), "full_name", user.get_username()) for user in members],
    }


def may_decide(user, change: ChangeRequest) -> bool:
    """Whether ``user`` sits on the board that decides ``change`` now."""
    board, _ = routing(change)
    return any(member.pk == user.pk for member in board_members(change, board))


# --- change requests ------------------------------------------------------------------------


def _lock_change(actor, change: ChangeRequest, action: str) -> ChangeRequest:
    return _locked(actor, ChangeRequest, change.pk, action)


def _move(change: ChangeRequest, target: str) -> None:
    if target not in CHANGE_TRANSITIONS[change.status]:
        raise DomainError(
            f"{change.reference} is {change.get_status_display().lower()}; "
            f"it cannot become {ChangeStatus(target).label.lower()}."
        )


def _activity_rows(project: Project, activity_changes: Iterable[Mapping]) -> list[ActivityChange]:
    """Validated (unsaved) activity changes; each must name an activity of the project, once."""
    rows, seen, errors = [], set(), []
    project_activities = Activity.objects.filter(project=project)
    for position, data in enumerate(activity_changes, start=1):
        unknown = sorted(set(data) - set(ACTIVITY_CHANGE_FIELDS))
        if unknown:
            errors.append(f"Activity change {position}: {', '.join(unknown)} cannot be set.")
            continue
        activity = data.get("activity")
        if not isinstance(activity, Activity) or not project_activities.filter(pk=activity.pk).exists():
            errors.append(f"Activity change {position}: name an activity of {project.code}.")
            continue
        predecessor = data.get("predecessor")
        if predecessor is not None and not project_activities.filter(pk=predecessor.pk).exists():
            errors.append(f"Activity change {position}: the predecessor must be an activity of {project.code}.")
            continue
        if activity.pk in seen:
            errors.append(f"Activity change {position}: {activity.name} is listed twice.")
            continue
        if data.get("new_duration_minutes") is not None and Activity.objects.filter(parent_id=activity.pk).exists():
            errors.append(
                f"Activity change {position}: {activity.name} is a summary; change the durations of its activities."
            )
            continue
        seen.add(activity.pk)
        row = ActivityChange(**dict(data))
        row.constraint_type = row.constraint_type or ""
        row.note = row.note or ""
        try:
            validated(row, exclude=("change_request",))
        except InvalidData as error:
            messages = " ".join(" ".join(m) for m in error.errors.values())
            errors.append(f"Activity change {position} ({activity.name}): {messages}")
            continue
        rows.append(row)
    if errors:
        raise InvalidData({"activity_changes": errors})
    return rows


def _check_items(project: Project, items: Iterable[ConfigurationItem]) -> list[ConfigurationItem]:
    items = list(items)
    strangers = [str(item) for item in items if item.project_id != project.pk]
    if strangers:
        raise InvalidData({"configuration_items": [f"Not items of {project.code}: {', '.join(strangers)}."]})
    return items


def _scope_summary(change: ChangeRequest) -> dict:
    return {
        "activity_changes": [
            f"{row.activity_id}: {row.summary()}"
            for row in change.activity_changes.select_related("activity", "predecessor")
        ],
        "configuration_items": sorted(change.configuration_items.values_list("pk", flat=True)),
    }


def _set_scope(actor, change, activity_changes, items, reason: str) -> None:
    """Replace the change's activity changes and/or linked items, auditing the difference."""
    before = _scope_summary(change)
    if activity_changes is not None:
        rows = _activity_rows(change.project, activity_changes)
        change.activity_changes.all().delete()
        for row in rows:
            row.change_request = change
        ActivityChange.objects.bulk_create(rows)
    if items is not None:
        change.configuration_items.set(_check_items(change.project, items))
    after = _scope_summary(change)
    if after != before:
        record_event(
            actor=actor,
            action="changerequest.scope_changed",
            obj=change,
            before={k: v for k, v in before.items() if v != after[k]},
            after={k: v for k, v in after.items() if v != before[k]},
            reason=reason,
        )


@transaction.atomic
def create_change_request(
    *,
    actor,
    project: Project,
    title: str,
    activity_changes: Iterable[Mapping] = (),
    configuration_items: Iterable[ConfigurationItem] = (),
    reason: str = "",
    **fields,
) -> ChangeRequest:
    """Raise a change request (a draft) on a project, numbered after the project's last one."""
    _unknown(fields, CHANGE_FIELDS, "a change request")
    project = _project_for_change(actor, project)
    number = (ChangeRequest.objects.filter(project=project).aggregate(last=Max("number"))["last"] or 0) + 1
    fields.setdefault("raised_on", timezone.localdate())
    if fields.get("requested_by") is None:
        fields["requested_by"] = getattr(actor, "person", None) if getattr(actor, "is_authenticated", False) else None
    change = create_audited(
        ChangeRequest(project=project, number=number, title=(title or "").strip(), **fields), actor=actor, reason=reason
    )
    _set_scope(actor, change, list(activity_changes), list(configuration_items), reason)
    return change


@transaction.atomic
def update_change_request(
    *,
    actor,
    change: ChangeRequest,
    changes: Mapping,
    activity_changes: Iterable[Mapping] | None = None,
    configuration_items: Iterable[ConfigurationItem] | None = None,
    reason: str = "",
) -> ChangeRequest:
    """Edit a draft or deferred change; ``activity_changes`` and ``configuration_items``, when
    given, replace the ones it had."""
    change = _lock_change(actor, change, Action.CHANGE)
    if change.status not in EDITABLE_STATUSES:
        raise DomainError(
            f"{change.reference} is {change.get_status_display().lower()}: "
            "only a draft or deferred change can be edited."
        )
    changes = dict(changes)
    if "title" in changes:
        changes["title"] = (changes["title"] or "").strip()
    change = change_audited(change, changes, actor=actor, allowed=CHANGE_FIELDS, reason=reason)
    _set_scope(
        actor,
        change,
        None if activity_changes is None else list(activity_changes),
        None if configuration_items is None else list(configuration_items),
        reason,
    )
    return change


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _critical(result, project_id: int, names: dict[int, str], project_of: dict[int, int]) -> list[dict]:
    """The project's critical activities, in the order of the engine's critical paths."""
    seen, chain = set(), []
    for path in result.critical_paths:
        for key in path:
            activity_id = int(key)
            if project_of.get(activity_id) == project_id and activity_id not in seen:
                seen.add(activity_id)
                chain.append({"id": activity_id, "name": names.get(activity_id, key)})
    return chain


def _plan_now(project: Project) -> tuple:
    """The project's network and its schedule as it stands (shared by the analyses of its changes)."""
    network = adapters.load_network(project)
    return network, adapters.run(network, network.activities, network.links)


def _analyse(change: ChangeRequest, plan_now: tuple | None = None) -> ChangeRequest:
    """Compute and store the impact of ``change`` on its project's schedule (no plan row changes).

    A project without a plan yet takes changes that touch no activity: their analysis says so, and
    the board is chosen on the requester's estimates."""
    rows = list(change.activity_changes.all())
    try:
        network, before = plan_now or _plan_now(change.project)
    except DomainError as error:
        if rows:
            raise
        return _analysed_without_plan(change, error.message)
    activities, links = adapters.changed_network(network, rows)
    after = adapters.run(network, activities, links)
    key = str(change.project_id)
    finish_before, finish_after = before.project_finish.get(key), after.project_finish.get(key)
    if finish_before is None or finish_after is None:
        raise DomainError(f"{change.project.code} has no activities to schedule.")
    names = {a.pk: a.name for a in network.activities}
    project_of = {a.pk: a.project_id for a in network.activities}
    moved = []
    for activity in network.activities:
        if activity.project_id != change.project_id:
            continue
        old, new = before[str(activity.pk)], after[str(activity.pk)]
        if (old.start, old.finish) != (new.start, new.finish):
            moved.append(
                {
                    "id": activity.pk,
                    "name": activity.name,
                    "wbs_code": activity.wbs_code,
                    "start_before": _iso(old.start),
                    "start_after": _iso(new.start),
                    "finish_before": _iso(old.finish),
                    "finish_after": _iso(new.finish),
                    "finish_shift_days": str(adapters.working_days(network, old.finish, new.finish)),
                }
            )
    critical_before = _critical(before, change.project_id, names, project_of)
    critical_after = _critical(after, change.project_id, names, project_of)
    ids_before = {entry["id"] for entry in critical_before}
    ids_after = {entry["id"] for entry in critical_after}
    old_conflicts = {(c.activity_key, str(c.kind)) for c in before.conflicts}
    delay = adapters.working_days(network, finish_before, finish_after)
    labour = adapters.labour_cost_delta(network, rows)
    change.analysis = {
        "finish_before": _iso(finish_before),
        "finish_after": _iso(finish_after),
        "delay_days": str(delay),
        "critical_before": critical_before,
        "critical_after": critical_after,
        "becomes_critical": [entry for entry in critical_after if entry["id"] not in ids_before],
        "leaves_critical": [entry for entry in critical_before if entry["id"] not in ids_after],
        "moved": moved[:MOVED_SHOWN],
        "moved_count": len(moved),
        "labour_cost_delta": str(labour),
        "new_conflicts": [
            {"activity": int(c.activity_key), "name": names.get(int(c.activity_key), ""), "message": c.message}
            for c in after.conflicts
            if (c.activity_key, str(c.kind)) not in old_conflicts
        ],
        "status_date": _iso(network.plan.status_date),
    }
    change.analysed_at = timezone.now()
    change.analysis_fingerprint = adapters.fingerprint(network, rows)
    change.finish_before = adapters.planning_adapters.from_local(finish_before)
    change.finish_after = adapters.planning_adapters.from_local(finish_after)
    change.delay_days = delay
    change.computed_cost_delta = labour
    change.required_board = routing(change)[0]
    change.save()
    return change


def _analysed_without_plan(change: ChangeRequest, message: str) -> ChangeRequest:
    change.analysis = {"no_plan": message}
    change.analysed_at = timezone.now()
    change.analysis_fingerprint = NO_PLAN
    change.finish_before = change.finish_after = change.delay_days = None
    change.computed_cost_delta = Decimal("0.00")
    change.required_board = routing(change)[0]
    change.save()
    return change


ANALYSIS_AUDITED = ("finish_before", "finish_after", "delay_days", "computed_cost_delta", "required_board")


def _analyse_audited(actor, change: ChangeRequest, reason: str) -> ChangeRequest:
    before = {name: value for name, value in snapshot(change).items() if name in ANALYSIS_AUDITED}
    change = _analyse(change)
    after = {name: value for name, value in snapshot(change).items() if name in ANALYSIS_AUDITED}
    record_event(
        actor=actor,
        action="changerequest.analysed",
        obj=change,
        before=before,
        after={**after, "fingerprint": change.analysis_fingerprint},
        reason=reason,
    )
    return change


def is_analysis_stale(change: ChangeRequest) -> bool:
    """True when the change was never analysed, or when its plan (or its own activity changes)
    moved on since, or when a plan appeared or went away since."""
    if not change.analysed_at:
        return True
    try:
        network = adapters.load_network(change.project)
    except DomainError:
        return change.analysis_fingerprint != NO_PLAN
    return adapters.fingerprint(network, list(change.activity_changes.all())) != change.analysis_fingerprint


@transaction.atomic
def analyse_as_system(*, changes: Iterable[ChangeRequest]) -> list[ChangeRequest]:
    """Compute the analyses of changes on behalf of the system, for bulk loads whose own audit
    event covers every row they write (the demo); people go through ``analyse_change_request``.
    Each project's plan is loaded and scheduled once for all of its changes."""
    locked = list(
        ChangeRequest.objects.select_for_update(of=("self",))
        .filter(pk__in=[change.pk for change in changes])
        .select_related("project", "project__programme", "project__portfolio")
        .order_by("project_id", "number")
    )
    analysed, plans = [], {}
    for change in locked:
        if change.project_id not in plans:
            plans[change.project_id] = _plan_now(change.project)
        analysed.append(_analyse(change, plans[change.project_id]))
    return analysed


@transaction.atomic
def analyse_change_request(*, actor, change: ChangeRequest, reason: str = "") -> ChangeRequest:
    """Re-run the impact analysis of an undecided change against the plan as it is now."""
    change = _lock_change(actor, change, Action.VIEW)
    if change.status not in OPEN_STATUSES:
        raise DomainError(
            f"{change.reference} is {change.get_status_display().lower()}: its analysis is kept as it was decided."
        )
    return _analyse_audited(actor, change, reason)


def _transition(actor, change: ChangeRequest, target: str, reason: str, **fields) -> ChangeRequest:
    return change_audited(
        change,
        {"status": target, **fields},
        actor=actor,
        allowed=("status", *fields),
        reason=reason,
        action=f"changerequest.{target}",
    )


def _url(change: ChangeRequest) -> str:
    return reverse("changes:change_detail", args=[change.pk])


@transaction.atomic
def submit_change_request(*, actor, change: ChangeRequest, reason: str = "") -> ChangeRequest:
    """Submit a draft (or resubmit a deferred) change: analyse its impact, route it to its board
    and tell the board's members a decision waits for them."""
    change = _lock_change(actor, change, Action.CHANGE)
    _move(change, ChangeStatus.SUBMITTED)
    if not change.title:
        raise InvalidData({"title": ["A change request needs a title before it is submitted."]})
    change = _analyse_audited(actor, change, reason)
    change = _transition(actor, change, ChangeStatus.SUBMITTED, reason)
    board, why = routing(change)
    governance.notify(
        recipients=board_members(change, board) if board == Board.PROGRAMME_BOARD else project_board(change.project),
        kind="approval",
        message=f"{change.project.code} {change.reference} “{change.title}” waits for your decision. {why}",
        url=_url(change),
    )
    return change


def _decision_recipients(change: ChangeRequest) -> list:
    requester = _user_of(change.requested_by)
    manager = _user_of(change.project.manager)
    return _unique([requester, manager])


def _decide(actor, change: ChangeRequest, target: str, reason: str) -> ChangeRequest:
    change = _lock_change(actor, change, Action.VIEW)
    _move(change, target)
    if target in (ChangeStatus.APPROVED, ChangeStatus.REJECTED, ChangeStatus.DEFERRED) and not reason.strip():
        raise InvalidData({"reason": ["Give the reason for the decision; it goes to the decision log."]})
    if is_analysis_stale(change):
        # Decide on the plan as it is now, not as it was when the change was submitted.
        change = _analyse_audited(actor, change, "The plan changed since the last analysis.")
    board = _require_board(actor, change)
    now = timezone.now()
    change = _transition(
        actor,
        change,
        target,
        reason,
        decided_by=actor,
        decided_at=now,
        decided_board=board,
        decision_reason=reason.strip(),
    )
    verb = {ChangeStatus.APPROVED: "approved", ChangeStatus.REJECTED: "rejected", ChangeStatus.DEFERRED: "deferred"}[
        target
    ]
    board_label = (
        "Project board" if board == Board.PROJECT_BOARD else programme_board_name(change.project)[4:].capitalize()
    )
    governance.record_decision(
        actor=None,
        title=f"{change.reference} {verb}: {change.title}"[:200],
        description=(
            f"{reason.strip()}\n\nFinish {change.analysis.get('finish_before', '')} → "
            f"{change.analysis.get('finish_after', '')} "
            f"({change.delay_days} working days); cost {change.total_cost_impact:,.2f}."
        ),
        decided_on=timezone.localdate(),
        decided_by=getattr(actor, "person", None),
        body=board_label,
        project=change.project,
        source=change,
        reason=reason,
    )
    governance.notify(
        recipients=_decision_recipients(change),
        kind="change_decision",
        message=f"{change.project.code} {change.reference} “{change.title}” was {verb}: {reason.strip()}",
        url=_url(change),
    )
    return change


@transaction.atomic
def approve_change_request(
    *,
    actor,
    change: ChangeRequest,
    reason: str = "",
    implement: bool = False,
    rebaseline: bool = False,
) -> ChangeRequest:
    """Approve a submitted change (a member of the board it requires); with ``implement``, apply
    it to the plan at once (needs the right to change the project), optionally re-baselining."""
    if implement and not ChangeRequest.objects.visible_to(actor, Action.CHANGE).filter(pk=change.pk).exists():
        raise PermissionRefused(
            "Applying a change to the plan needs the right to change the project: approve it without "
            "implementing it, and the project manager implements it."
        )
    change = _decide(actor, change, ChangeStatus.APPROVED, reason)
    if implement:
        change = _implement(actor, change, apply_to_plan=True, rebaseline=rebaseline, reason=reason)
    return change


@transaction.atomic
def reject_change_request(*, actor, change: ChangeRequest, reason: str = "") -> ChangeRequest:
    return _decide(actor, change, ChangeStatus.REJECTED, reason)


@transaction.atomic
def defer_change_request(*, actor, change: ChangeRequest, reason: str = "") -> ChangeRequest:
    return _decide(actor, change, ChangeStatus.DEFERRED, reason)


@transaction.atomic
def withdraw_change_request(*, actor, change: ChangeRequest, reason: str = "") -> ChangeRequest:
    change = _lock_change(actor, change, Action.CHANGE)
    _move(change, ChangeStatus.WITHDRAWN)
    return _transition(actor, change, ChangeStatus.WITHDRAWN, reason)


@transaction.atomic
def implement_change_request(
    *, actor, change: ChangeRequest, apply_to_plan: bool = True, rebaseline: bool = False, reason: str = ""
) -> ChangeRequest:
    """Mark an approved change implemented; with ``apply_to_plan`` write its activity changes
    through planning's services and reschedule; with ``rebaseline`` take a new baseline (the
    next free number), audited with the change's reference as its reason."""
    return _implement(actor, change, apply_to_plan=apply_to_plan, rebaseline=rebaseline, reason=reason)


def _implement(actor, change: ChangeRequest, *, apply_to_plan: bool, rebaseline: bool, reason: str) -> ChangeRequest:
    change = _lock_change(actor, change, Action.CHANGE)
    _move(change, ChangeStatus.IMPLEMENTED)
    why = f"{change.project.code} {change.reference}: {change.title}"
    if reason.strip():
        why = f"{why} — {reason.strip()}"
    rows = list(change.activity_changes.select_related("activity", "predecessor"))
    if rebaseline and rows and not apply_to_plan:
        raise InvalidData({"rebaseline": ["Re-baseline after applying the change to the plan."]})
    if apply_to_plan and rows:
        for row in rows:
            updates = {}
            if row.new_duration_minutes is not None:
                updates["duration_minutes"] = row.new_duration_minutes
            if row.constraint_type:
                updates["constraint_type"] = row.constraint_type
                updates["constraint_date"] = row.constraint_date
            if updates:
                planning.update_activity(actor=actor, activity=row.activity, changes=updates, reason=why)
            if row.predecessor_id:
                link = Link.objects.filter(predecessor_id=row.predecessor_id, successor_id=row.activity_id).first()
                if link is None:
                    planning.create_link(
                        actor=actor,
                        predecessor=row.predecessor,
                        successor=row.activity,
                        lag_minutes=row.lag_minutes or 0,
                        reason=why,
                    )
                else:
                    planning.update_link(
                        actor=actor, link=link, changes={"lag_minutes": row.lag_minutes or 0}, reason=why
                    )
        planning.reschedule(actor=actor, projects=[change.project], reason=why)
    number = None
    if rebaseline:
        used = set(Baseline.objects.filter(project=change.project).values_list("number", flat=True))
        free = [n for n in range(11) if n not in used]
        if not free:
            raise DomainError(
                f"{change.project.code} has all eleven baselines (0 to 10) in use; clear one before re-baselining."
            )
        number = free[0]
        planning.set_baseline(
            actor=actor,
            project=change.project,
            number=number,
            name=f"After {change.reference} {change.title}"[:200],
            reason=why,
        )
    return _transition(
        actor, change, ChangeStatus.IMPLEMENTED, reason, implemented_at=timezone.now(), baseline_number=number
    )


# --- configuration items --------------------------------------------------------------------


def _record_version(
    actor, item: ConfigurationItem, note: str = "", change_request: ChangeRequest | None = None
) -> None:
    ConfigurationItemVersion.objects.create(
        item=item,
        version=item.version,
        status=item.status,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        change_request=change_request,
        note=note[:300],
    )


def _check_identifier(project: Project, identifier: str, item: ConfigurationItem | None = None) -> None:
    clash = ConfigurationItem.objects.filter(project=project, identifier=identifier)
    if item is not None:
        clash = clash.exclude(pk=item.pk)
    if clash.exists():
        raise InvalidData({"identifier": [f"{project.code} already has an item {identifier}."]})


@transaction.atomic
def create_configuration_item(*, actor, project: Project, reason: str = "", **fields) -> ConfigurationItem:
    _unknown(fields, ITEM_FIELDS, "a configuration item")
    project = _project_for_change(actor, project)
    _check_identifier(project, fields.get("identifier", ""))
    item = create_audited(ConfigurationItem(project=project, **fields), actor=actor, reason=reason)
    _record_version(actor, item, note=reason or "First version.")
    return item


@transaction.atomic
def update_configuration_item(
    *,
    actor,
    item: ConfigurationItem,
    changes: Mapping,
    change_request: ChangeRequest | None = None,
    reason: str = "",
) -> ConfigurationItem:
    """Change an item; a new version or status is kept in its history (with the change request
    that caused it, when given; it must be one of the project's changes the item is linked to)."""
    item = _locked(actor, ConfigurationItem, item.pk, Action.CHANGE)
    if "identifier" in changes:
        _check_identifier(item.project, changes["identifier"], item)
    if change_request is not None and not change_request.configuration_items.filter(pk=item.pk).exists():
        raise InvalidData({"change_request": [f"{change_request.reference} does not touch {item.identifier}."]})
    before = (item.version, item.status)
    item = change_audited(item, changes, actor=actor, allowed=ITEM_FIELDS, reason=reason)
    if (item.version, item.status) != before:
        _record_version(actor, item, note=reason, change_request=change_request)
    return item


# --- quality reviews ------------------------------------------------------------------------


def _check_reviewers(reviewers: Iterable[Person]) -> list[Person]:
    reviewers = list(reviewers)
    wrong = [repr(r) for r in reviewers if not isinstance(r, Person)]
    if wrong:
        raise InvalidData({"reviewers": ["Reviewers are people."]})
    archived = [str(r) for r in reviewers if r.is_archived]
    if archived:
        raise InvalidData({"reviewers": [f"Archived people cannot review: {', '.join(archived)}."]})
    return reviewers


def _criteria_texts(criteria: Iterable[str]) -> list[str]:
    texts = [(text or "").strip() for text in criteria]
    if any(not text for text in texts):
        raise InvalidData({"criteria": ["A criterion cannot be empty."]})
    if any(len(text) > 300 for text in texts):
        raise InvalidData({"criteria": ["A criterion is at most 300 characters."]})
    return texts


@transaction.atomic
def create_quality_review(
    *,
    actor,
    project: Project,
    reviewers: Iterable[Person] = (),
    criteria: Iterable[str] = (),
    reason: str = "",
    **fields,
) -> QualityReview:
    """Plan a review of an item (or a deliverable) of the project, with its checklist and reviewers."""
    _unknown(fields, REVIEW_FIELDS, "a quality review")
    project = _project_for_change(actor, project)
    reviewers, texts = _check_reviewers(reviewers), _criteria_texts(criteria)
    fields.setdefault("deliverable", "")
    review = create_audited(QualityReview(project=project, **fields), actor=actor, reason=reason)
    review.reviewers.set(reviewers)
    ReviewCriterion.objects.bulk_create(
        ReviewCriterion(review=review, position=n, text=text) for n, text in enumerate(texts, start=1)
    )
    if reviewers or texts:
        record_event(
            actor=actor,
            action="qualityreview.checklist_set",
            obj=review,
            after={"reviewers": [r.pk for r in reviewers], "criteria": texts},
            reason=reason,
        )
    return review


@transaction.atomic
def update_quality_review(
    *,
    actor,
    review: QualityReview,
    changes: Mapping,
    reviewers: Iterable[Person] | None = None,
    criteria: Iterable[str] | None = None,
    reason: str = "",
) -> QualityReview:
    """Change a review's details; its reviewers and checklist (replaced, while no result is recorded)."""
    review = _locked(actor, QualityReview, review.pk, Action.CHANGE)
    review = change_audited(review, changes, actor=actor, allowed=REVIEW_FIELDS, reason=reason)
    before = {
        "reviewers": sorted(review.reviewers.values_list("pk", flat=True)),
        "criteria": list(review.criteria.values_list("text", flat=True)),
    }
    if reviewers is not None:
        review.reviewers.set(_check_reviewers(reviewers))
    if criteria is not None:
        texts = _criteria_texts(criteria)
        if texts != before["criteria"]:
            if review.result != ReviewResult.PENDING:
                raise DomainError("The review has its result: its checklist is kept as it was assessed.")
            review.criteria.all().delete()
            ReviewCriterion.objects.bulk_create(
                ReviewCriterion(review=review, position=n, text=text) for n, text in enumerate(texts, start=1)
            )
    after = {
        "reviewers": sorted(review.reviewers.values_list("pk", flat=True)),
        "criteria": list(review.criteria.values_list("text", flat=True)),
    }
    if after != before:
        record_event(
            actor=actor,
            action="qualityreview.checklist_set",
            obj=review,
            before={k: v for k, v in before.items() if v != after[k]},
            after={k: v for k, v in after.items() if v != before[k]},
            reason=reason,
        )
    return review


@transaction.atomic
def record_review_result(
    *,
    actor,
    review: QualityReview,
    result: str,
    held_on: date,
    outcomes: Mapping[int, tuple[str, str]] | None = None,
    actions: Iterable[Mapping] = (),
    summary: str | None = None,
    reason: str = "",
) -> QualityReview:
    """Record how the review went: each criterion's outcome (criterion id → (outcome, note)), the
    result, and the follow-up actions (title, owner, due_on), put on the project's action register
    with the review as their source. A failed criterion rules out a plain pass; a pass with actions
    needs at least one action."""
    review = _locked(actor, QualityReview, review.pk, Action.CHANGE)
    if result not in ReviewResult.values or result == ReviewResult.PENDING:
        raise InvalidData({"result": [f"Choose a result: {', '.join(ReviewResult.values[1:])}."]})
    outcomes = dict(outcomes or {})
    criteria = {c.pk: c for c in review.criteria.all()}
    strangers = sorted(set(outcomes) - set(criteria))
    if strangers:
        raise InvalidData({"outcomes": [f"Not criteria of this review: {', '.join(map(str, strangers))}."]})
    for pk, (outcome, note) in outcomes.items():
        if outcome not in CriterionOutcome.values:
            raise InvalidData({"outcomes": [f"Unknown outcome {outcome!r} for “{criteria[pk].text}”."]})
        criteria[pk].outcome, criteria[pk].note = outcome, (note or "")[:500]
    failed = [c.text for c in criteria.values() if c.outcome == CriterionOutcome.FAIL]
    actions = [dict(a) for a in actions]
    if result == ReviewResult.PASSED and failed:
        raise InvalidData(
            {"result": [f"A criterion failed ({'; '.join(failed)}): the result is a pass with actions, or a fail."]}
        )
    if result == ReviewResult.PASSED_WITH_ACTIONS and not actions:
        raise InvalidData({"actions": ["A pass with actions needs at least one follow-up action."]})
    for n, action in enumerate(actions, start=1):
        unknown = sorted(set(action) - {"title", "owner", "due_on", "description"})
        if unknown or not (action.get("title") or "").strip():
            raise InvalidData({"actions": [f"Action {n}: give a title (and optionally an owner and a due date)."]})
    before = snapshot(review)
    before_outcomes = {c.pk: c.outcome for c in review.criteria.all()}
    ReviewCriterion.objects.bulk_update(criteria.values(), ["outcome", "note"])
    changes = {"result": result, "held_on": held_on}
    if summary is not None:
        changes["summary"] = summary
    for name, value in changes.items():
        setattr(review, name, value)
    validated(review)
    review.save()
    created = [
        governance.create_action(
            actor=None,
            title=action["title"].strip(),
            owner=action.get("owner"),
            due_on=action.get("due_on"),
            description=action.get("description", ""),
            project=review.project,
            source=review,
            reason=f"Follow-up of the quality review “{review.title}”.",
        )
        for action in actions
    ]
    after = snapshot(review)
    record_event(
        actor=actor,
        action="qualityreview.result_recorded",
        obj=review,
        before={**{k: v for k, v in before.items() if v != after[k]}, "outcomes": before_outcomes},
        after={
            **{k: v for k, v in after.items() if v != before[k]},
            "outcomes": {c.pk: c.outcome for c in criteria.values()},
            "actions": [a.pk for a in created],
        },
        reason=reason,
    )
    if review.configuration_item_id and result in (ReviewResult.PASSED, ReviewResult.PASSED_WITH_ACTIONS):
        item = review.configuration_item
        if item.status == ConfigurationItemStatus.UNDER_REVIEW:
            update_configuration_item(
                actor=actor,
                item=item,
                changes={"status": ConfigurationItemStatus.APPROVED},
                reason=f"Passed the quality review “{review.title}”.",
            )
    return review
