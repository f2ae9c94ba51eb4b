"""Change control for the demo: configuration items, change requests and quality reviews for every
project past initiation.

Each planned project gets three configuration items (design document, solution, training pack)
with versions that fit its stage, two to four change requests in a mix of states that fits its
stage (drafts and requests waiting for a board in planning and delivery; decided and implemented
ones later), and one or two quality reviews with their criteria, results and follow-up actions.
Requests waiting for a board have their impact analysed by the engine against the project's plan;
the project.manager login's project has one above the project board's limits, waiting for the
programme board. Implemented requests carry no activity changes, so the plans stay as scheduled.

Rows are built in bulk, as the other demo steps do; the demo's one audit event covers them.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from pmo.changes import services as change_services
from pmo.changes.choices import (
    Board,
    ChangeStatus,
    ConfigurationItemKind,
    ConfigurationItemStatus,
    CriterionOutcome,
    ReviewResult,
    RiskLevel,
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
from pmo.demo.context import DemoContext
from pmo.governance import services as governance_services
from pmo.governance.choices import ActionStatus
from pmo.governance.models import ActionItem, Decision
from pmo.planning.models import Activity, Link
from pmo.portfolio.choices import LifecycleStage

DAY = 480
PAST_INITIATION = (LifecycleStage.PLANNING, LifecycleStage.DELIVERY, LifecycleStage.CLOSING, LifecycleStage.CLOSED)
# The statuses of a project's change requests, by stage, drawn in this order.
STATUSES = {
    LifecycleStage.PLANNING: (
        ChangeStatus.SUBMITTED,
        ChangeStatus.DRAFT,
        ChangeStatus.APPROVED,
        ChangeStatus.SUBMITTED,
    ),
    LifecycleStage.DELIVERY: (
        ChangeStatus.SUBMITTED,
        ChangeStatus.IMPLEMENTED,
        ChangeStatus.REJECTED,
        ChangeStatus.DEFERRED,
        ChangeStatus.APPROVED,
        ChangeStatus.DRAFT,
    ),
    LifecycleStage.CLOSING: (
        ChangeStatus.IMPLEMENTED,
        ChangeStatus.REJECTED,
        ChangeStatus.WITHDRAWN,
        ChangeStatus.APPROVED,
    ),
    LifecycleStage.CLOSED: (ChangeStatus.IMPLEMENTED, ChangeStatus.REJECTED, ChangeStatus.WITHDRAWN),
}
DECIDED = (ChangeStatus.APPROVED, ChangeStatus.REJECTED, ChangeStatus.DEFERRED, ChangeStatus.IMPLEMENTED)
ANALYSED = (ChangeStatus.SUBMITTED, ChangeStatus.DEFERRED, ChangeStatus.APPROVED, ChangeStatus.REJECTED)
REQUESTS = (
    (
        "Add a customer self-service portal",
        "Customers ask to see and update their own records online.",
        "Call volumes are rising; the service desk cannot keep up.",
        "Adds a portal with sign-in, profile and request tracking.",
        "Fewer calls to the service desk; faster updates.",
    ),
    (
        "Extend user acceptance testing",
        "Two more weeks of testing with the finance team.",
        "The finance team found gaps in the month-end scenarios.",
        "More test scenarios; no new features.",
        "Lower risk of defects at go-live.",
    ),
    (
        "Replace the reporting tool",
        "Use the organisation's standard reporting platform instead of the vendor's module.",
        "The vendor's module is being retired next year.",
        "Reports are rebuilt on the standard platform.",
        "One reporting platform to support; licence savings.",
    ),
    (
        "Migrate five more years of history",
        "Bring ten years of history into the new system instead of five.",
        "Auditors need ten years available online.",
        "Larger data migration; more reconciliation.",
        "Audit requests answered without the old system.",
    ),
    (
        "Wait for the vendor's next release",
        "Hold the integration build until the vendor's release with the new interface.",
        "The current interface cannot carry the volumes we expect.",
        "No change to scope; later integration.",
        "A supported interface that scales.",
    ),
    (
        "Add single sign-on",
        "Sign in with the organisation's identity provider.",
        "Security policy requires it for every new system.",
        "Integration with the identity provider.",
        "Better security; one password fewer for staff.",
    ),
)
DECISION_REASONS = {
    ChangeStatus.APPROVED: "Benefits outweigh the delay; funded from contingency.",
    ChangeStatus.IMPLEMENTED: "Approved and delivered within the stage.",
    ChangeStatus.REJECTED: "Not worth the delay this year; to be raised again in the next phase.",
    ChangeStatus.DEFERRED: "Decide after the next stage gate, when the costs are firmer.",
}
ITEMS = (
    ("DOC-001", "Solution design document", ConfigurationItemKind.DOCUMENT),
    ("APP-001", "Configured solution", ConfigurationItemKind.SOFTWARE),
    ("TRN-001", "Training pack", ConfigurationItemKind.DELIVERABLE),
)
CRITERIA = (
    "Meets the agreed requirements",
    "Reviewed by the architecture board",
    "Consistent with the organisation's standards",
    "Accessible to every user group",
)


def _item_state(stage: str, index: int) -> tuple[str, str]:
    if stage in (LifecycleStage.CLOSING, LifecycleStage.CLOSED):
        return "1.0", ConfigurationItemStatus.BASELINED
    if stage == LifecycleStage.DELIVERY:
        return (("1.0", ConfigurationItemStatus.APPROVED), ("0.9", ConfigurationItemStatus.UNDER_REVIEW))[index % 2]
    return (("0.3", ConfigurationItemStatus.UNDER_REVIEW), ("0.1", ConfigurationItemStatus.IN_DEVELOPMENT))[index % 2]


def _projects(ctx: DemoContext) -> list:
    planned = set(Activity.objects.values_list("project_id", flat=True).distinct())
    return [p for p in ctx.projects if p.stage in PAST_INITIATION and p.pk in planned]


def make_change_control(ctx: DemoContext) -> None:
    """Approval limits, configuration items and change requests (analysed where a board decides)."""
    rng = ctx.random("changes")
    ctx.save_all(
        ApprovalPolicy,
        [
            ApprovalPolicy(
                cost_limit=change_services.DEFAULT_COST_LIMIT,
                delay_days_limit=change_services.DEFAULT_DELAY_DAYS_LIMIT,
                notes="The organisation's limits for project boards.",
            )
        ],
    )
    projects = _projects(ctx)
    items_by_project = _items(ctx, projects)
    changes, rows = [], []
    for project in projects:
        count = rng.randint(2, min(4, len(STATUSES[project.stage])))
        tasks = list(
            Activity.objects.filter(project=project, is_summary=False, is_milestone=False, actual_start__isnull=True)
            .exclude(duration_minutes=0)
            .order_by("position")
        )
        for number, status in enumerate(STATUSES[project.stage][:count], start=1):
            change = _request(ctx, rng, project, number=number, status=status, items=items_by_project[project.pk])
            changes.append(change)
            if status not in (ChangeStatus.IMPLEMENTED, ChangeStatus.WITHDRAWN) and tasks:
                rows.extend(_activity_changes(rng, change, tasks))
    if ctx.login_project is not None and ctx.login_project in projects:
        number = sum(1 for change in changes if change.project_id == ctx.login_project.pk) + 1
        big = _request(
            ctx,
            rng,
            ctx.login_project,
            number=number,
            status=ChangeStatus.SUBMITTED,
            items=items_by_project[ctx.login_project.pk],
            big=True,
        )
        changes.append(big)
        tasks = list(
            Activity.objects.filter(
                project=ctx.login_project,
                is_critical=True,
                is_summary=False,
                is_milestone=False,
                actual_start__isnull=True,
            ).order_by("position")[:2]
        )
        rows.extend(
            ActivityChange(
                change_request=big,
                activity=task,
                new_duration_minutes=task.duration_minutes + 10 * DAY,
                note="Rework after the vendor's late delivery.",
            )
            for task in tasks
        )
    changes = ctx.save_all(ChangeRequest, changes)
    for change in changes:
        change.configuration_items.set(change._demo_items)
    ctx.save_all(ActivityChange, rows)
    _analyse_and_decide(ctx, changes)


def _items(ctx: DemoContext, projects) -> dict[int, list[ConfigurationItem]]:
    items = []
    for project in projects:
        for index, (identifier, name, kind) in enumerate(ITEMS):
            version, status = _item_state(project.stage, index)
            items.append(
                ConfigurationItem(
                    project=project,
                    identifier=identifier,
                    name=name,
                    kind=kind,
                    version=version,
                    status=status,
                    owner=project.manager,
                    description=f"{name} of {project.name}.",
                )
            )
    items = ctx.save_all(ConfigurationItem, items)
    versions = []
    for item in items:
        if item.version != "0.1":
            versions.append(
                ConfigurationItemVersion(
                    item=item, version="0.1", status=ConfigurationItemStatus.IN_DEVELOPMENT, note="First draft."
                )
            )
        versions.append(ConfigurationItemVersion(item=item, version=item.version, status=item.status, note=""))
    ctx.save_all(ConfigurationItemVersion, versions)
    by_project: dict[int, list[ConfigurationItem]] = {}
    for item in items:
        by_project.setdefault(item.project_id, []).append(item)
    return by_project


def _raised_on(ctx: DemoContext, rng: random.Random, project) -> date:
    end = min(ctx.today, project.planned_finish or ctx.today)
    start = max(project.planned_start or end - timedelta(days=90), end - timedelta(days=120))
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _request(ctx, rng, project, *, number, status, items, big=False) -> ChangeRequest:
    title, description, justification, scope, benefits = REQUESTS[(project.pk + number) % len(REQUESTS)]
    if big:
        title, description = (
            "Rebuild the integration layer",
            "Rework the integrations after the vendor's late delivery.",
        )
        justification = "The vendor delivered an interface that does not carry our volumes."
    change = ChangeRequest(
        project=project,
        number=number,
        title=title,
        description=description,
        justification=justification,
        requested_by=project.manager,
        raised_on=_raised_on(ctx, rng, project),
        status=status,
        cost_impact=Decimal(150_000) if big else Decimal(rng.choice((2_500, 8_000, 12_000, 25_000, 40_000, 65_000))),
        time_impact_days=20 if big else rng.choice((0, 2, 5, 8, 15)),
        scope_impact=scope,
        benefits_impact=benefits,
        risk_impact="Delivery risk while the change is made." if rng.random() < 0.7 else "",
        risk_level=RiskLevel.HIGH if big else rng.choice(RiskLevel.values),
    )
    change._demo_items = [items[rng.randrange(len(items))]] if items else []
    return change


def _activity_changes(rng: random.Random, change: ChangeRequest, tasks: list[Activity]) -> list[ActivityChange]:
    chosen = rng.sample(tasks, k=min(len(tasks), rng.randint(1, 2)))
    rows = []
    for task in chosen:
        if rng.random() < 0.7:
            factor = Decimal(rng.choice(("1.2", "1.5", "1.8", "2")))
            rows.append(
                ActivityChange(
                    change_request=change,
                    activity=task,
                    new_duration_minutes=int(task.duration_minutes * factor) // DAY * DAY or DAY,
                    note="More work than planned.",
                )
            )
        else:
            link = Link.objects.filter(successor=task).order_by("id").first()
            if link is None:
                continue
            rows.append(
                ActivityChange(
                    change_request=change,
                    activity=task,
                    predecessor_id=link.predecessor_id,
                    lag_minutes=link.lag_minutes + rng.choice((2, 3, 5)) * DAY,
                    note="Wait for the supplier after the predecessor finishes.",
                )
            )
    return rows


def _analyse_and_decide(ctx: DemoContext, changes: list[ChangeRequest]) -> None:
    """Analyse the requests a board decides (or decided), record the decisions, and tell each
    board about the requests waiting for it."""
    executive = get_user_model().objects.filter(username="executive").select_related("person").first()
    decider = getattr(executive, "person", None)
    decisions, waiting = [], []
    change_type = ContentType.objects.get_for_model(ChangeRequest)
    now = timezone.now()
    analysed = {
        change.pk: change
        for change in change_services.analyse_as_system(changes=[c for c in changes if c.status in ANALYSED])
    }
    policy = change_services.policy_for(changes[0].project) if changes else None
    for stored in changes:
        change = analysed.get(stored.pk, stored)
        if change.pk not in analysed:
            change.required_board = change_services.routing(change, policy)[0]
            change.save(update_fields=["required_board"])
        if change.status == ChangeStatus.SUBMITTED:
            waiting.append(change)
        if change.status not in DECIDED:
            continue
        decided_on = min(ctx.today, change.raised_on + timedelta(days=10))
        change.decided_at = now - timedelta(days=(ctx.today - decided_on).days)
        change.decided_by = executive
        change.decided_board = change.required_board or Board.PROJECT_BOARD
        change.decision_reason = DECISION_REASONS[change.status]
        if change.status == ChangeStatus.IMPLEMENTED:
            change.implemented_at = change.decided_at + timedelta(days=7)
        change.save()
        verb = "approved" if change.status == ChangeStatus.IMPLEMENTED else change.status
        decisions.append(
            Decision(
                project=change.project,
                title=f"{change.reference} {verb}: {change.title}"[:200],
                description=change.decision_reason,
                decided_on=decided_on,
                decided_by=decider,
                body="Project board" if change.decided_board == Board.PROJECT_BOARD else "Programme board",
                source_type=change_type,
                source_id=change.pk,
            )
        )
    ctx.save_all(Decision, decisions)
    for change in waiting:
        board, why = change_services.routing(change)
        governance_services.notify(
            recipients=change_services.board_members(change, board)
            if board == Board.PROGRAMME_BOARD
            else change_services.project_board(change.project),
            kind="approval",
            message=f"{change.project.code} {change.reference} “{change.title}” waits for your decision. {why}",
            url=change.get_absolute_url(),
            email=False,
        )


def make_quality_reviews(ctx: DemoContext) -> None:
    """A review of each planned project's design document (and of its training pack once in
    delivery), with criteria, reviewers, results and follow-up actions."""
    rng = ctx.random("quality reviews")
    staff = [p for p in ctx.posts.get("staff", []) if not p.is_archived] or ctx.people
    items = ConfigurationItem.objects.filter(identifier__in=("DOC-001", "TRN-001")).select_related("project")
    reviews, criteria, reviewers, results = [], [], [], []
    for item in items:
        project = item.project
        if item.identifier == "TRN-001" and project.stage == LifecycleStage.PLANNING:
            continue
        held = project.stage != LifecycleStage.PLANNING
        result = ReviewResult.PENDING
        if held:
            result = rng.choice((ReviewResult.PASSED, ReviewResult.PASSED_WITH_ACTIONS, ReviewResult.PASSED))
            if project.stage == LifecycleStage.DELIVERY and rng.random() < 0.2:
                result = ReviewResult.FAILED
        planned_on = _raised_on(ctx, rng, project)
        reviews.append(
            QualityReview(
                project=project,
                title=f"{item.name} review",
                configuration_item=item,
                planned_on=planned_on,
                held_on=planned_on if held else None,
                result=result,
                summary="" if not held else "Reviewed with the product owner and two subject experts.",
            )
        )
        results.append(result)
    reviews = ctx.save_all(QualityReview, reviews)
    actions = []
    review_type = ContentType.objects.get_for_model(QualityReview)
    for review, result in zip(reviews, results, strict=True):
        texts = CRITERIA[: rng.randint(3, 4)]
        failing = {len(texts) - 1} if result in (ReviewResult.PASSED_WITH_ACTIONS, ReviewResult.FAILED) else set()
        for position, text in enumerate(texts, start=1):
            outcome = CriterionOutcome.PENDING
            if result != ReviewResult.PENDING:
                outcome = CriterionOutcome.FAIL if position - 1 in failing else CriterionOutcome.PASS
            criteria.append(ReviewCriterion(review=review, position=position, text=text, outcome=outcome))
        reviewers.extend(
            QualityReview.reviewers.through(qualityreview_id=review.pk, person_id=person.pk)
            for person in rng.sample(staff, k=min(2, len(staff)))
        )
        if failing:
            actions.append(
                ActionItem(
                    project=review.project,
                    title=f"Close the gaps found in the {review.title.lower()}",
                    owner=review.project.manager,
                    due_on=review.planned_on + timedelta(days=14),
                    status=ActionStatus.OPEN,
                    source_type=review_type,
                    source_id=review.pk,
                )
            )
    ctx.save_all(ReviewCriterion, criteria)
    QualityReview.reviewers.through.objects.bulk_create(reviewers, batch_size=500)
    ctx.save_all(ActionItem, actions)
