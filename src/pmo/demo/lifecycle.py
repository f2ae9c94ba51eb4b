"""The lifecycle of the demo: the PMO charter (a controlling PMO), the standards library, the gate
criteria, each project's terms of reference, and the gate history of every project past
initiation: the gates it passed, approved on evidence (some with conditions, which became
actions), logged as decisions. Projects in planning have their next review open, part evidenced;
cancelled projects were stopped at a gate.

Projects are made directly in their stages (see ``portfolio.make_projects``), so no stage move
goes through the gates here: the history is written as it would have been recorded."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from pmo.demo.context import DemoContext
from pmo.governance.models import ActionItem, Decision
from pmo.lifecycle.choices import GATES, ApproverRole, GateDecision, PMOModel, ReviewStatus, gate_label
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

# The gates in order, and where each falls in a project's planned span (fraction of its duration).
GATE_ORDER = (LifecycleStage.PLANNING, LifecycleStage.DELIVERY, LifecycleStage.CLOSING, LifecycleStage.CLOSED)
GATE_POINT = {
    LifecycleStage.PLANNING: 0.04,
    LifecycleStage.DELIVERY: 0.18,
    LifecycleStage.CLOSING: 0.9,
    LifecycleStage.CLOSED: 1.0,
}
PASSED = {
    LifecycleStage.PLANNING: GATE_ORDER[:1],
    LifecycleStage.DELIVERY: GATE_ORDER[:2],
    LifecycleStage.CLOSING: GATE_ORDER[:3],
    LifecycleStage.CLOSED: GATE_ORDER,
}

CRITERIA = {
    LifecycleStage.PLANNING: (
        ("Project mandate agreed by the sponsor", "document", True),
        ("Outline business case", "document", True),
        ("Estimated cost", "figure", True),
        ("Similar past projects reviewed", "link", False),
    ),
    LifecycleStage.DELIVERY: (
        ("Business case approved", "document", True),
        ("Plan baselined", "link", True),
        ("Budget confirmed", "figure", True),
        ("Risk register reviewed", "link", True),
        ("Lessons from earlier projects read", "link", False),
    ),
    LifecycleStage.CLOSING: (
        ("Deliverables accepted by the users", "document", True),
        ("Handover to operations agreed", "document", True),
        ("Open issues and risks transferred", "link", True),
    ),
    LifecycleStage.CLOSED: (
        ("Lessons learned recorded", "link", True),
        ("Final cost", "figure", True),
        ("Benefits review planned", "document", True),
    ),
}
CONDITIONS = (
    "Name a test manager before the build starts",
    "Agree the cut-over date with operations",
    "Re-estimate the contingency after supplier selection",
    "Confirm the data migration approach with the architecture board",
    "Book the benefits review with the finance team",
)
STANDARDS = (
    ("Stage gate method", "", "How projects pass from one stage to the next: criteria, evidence, approvals."),
    ("Business case template", "", "Sections: strategic fit, options, benefits, costs, risks, timescale."),
    ("Agile delivery tailoring", "it,software", "Sprints inside the delivery stage; the gates stay."),
    ("Construction site safety", "construction", "Method statements, permits to work, daily briefings."),
    ("Supplier onboarding", "procurement,it", "Due diligence, contract schedules, service levels."),
    ("Benefits realisation", "", "Benefit profiles, owners, measures and review dates."),
)


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def _gate_day(ctx: DemoContext, project, gate: str) -> date:
    """The day a project passed (or will pass) a gate, never after the demo's today."""
    start, finish = project.planned_start, project.planned_finish
    span = max((finish - start).days, 1)
    return min(start + timedelta(days=round(span * GATE_POINT[gate])), ctx.today - timedelta(days=1))


def make_governance_documents(ctx: DemoContext) -> None:
    """The PMO charter (published, controlling), the standards library, and terms of reference
    for every project that has started: published, and a second draft for a few."""
    rng = ctx.random("lifecycle-documents")
    head = get_user_model().objects.get(username="pmo.head")
    published_on = ctx.today - timedelta(days=400)
    ctx.save_all(
        PMOCharter,
        [
            PMOCharter(
                version=1,
                status="published",
                published_at=_at(published_on),
                published_by=head,
                purpose="Help every project of the organisation deliver its benefits, on a common method.",
                authority="Sets the project method and the stage gates; no project enters a stage without "
                "an approved gate.",
                reporting_lines="The PMO head reports to the chief executive and chairs the portfolio board's "
                "secretariat.",
                resources="A PMO head, analysts, administrators and a consultant; the project offices.",
                budget=Decimal("850000.00"),
                pmo_model=PMOModel.CONTROLLING,
            )
        ],
    )
    ctx.save_all(
        Standard,
        [
            Standard(
                title=title,
                body=body,
                applies_to=tags,
                version=f"{rng.randint(1, 3)}.{rng.randint(0, 4)}",
                status="published",
                published_at=_at(published_on + timedelta(days=rng.randint(10, 300))),
            )
            for title, tags, body in STANDARDS
        ],
    )
    terms = []
    for project in ctx.projects:
        if project.stage == LifecycleStage.PROPOSED:
            continue
        content = {
            "objectives": f"Deliver {project.name.lower()} within its budget and dates.",
            "scope": project.scope_statement,
            "deliverables": "The outputs named in the plan, accepted by their users.",
            "authority": "Time tolerance 10 %, cost tolerance 5 %; beyond them the SRO decides.",
            "governance": "The project manager reports monthly to the SRO and the project board.",
            "resources": "The team named in the resource plan.",
            "budget": project.budget,
        }
        started = _gate_day(ctx, project, LifecycleStage.PLANNING) - timedelta(days=7)
        terms.append(
            TermsOfReference(
                project=project,
                version=1,
                status="published",
                published_at=_at(started),
                published_by=head,
                **content,
            )
        )
        if rng.random() < 0.15 and project.stage not in (LifecycleStage.CLOSED, LifecycleStage.CANCELLED):
            terms.append(TermsOfReference(project=project, version=2, **content))
    ctx.save_all(TermsOfReference, terms)


def _evidence(rng, item: GateCheckItem, project, day: date) -> None:
    if item.evidence_kind == "figure":
        item.evidence_figure = (project.budget * Decimal(rng.uniform(0.9, 1.1))).quantize(Decimal("1"))
        item.evidence_unit = "EUR"
    else:
        slug = item.text.lower().replace(" ", "-")[:40]
        item.evidence_url = f"https://intranet.example/projects/{project.code.lower()}/{slug}"
    item.evidence_note = "Checked at the gate."
    item.evidenced_at = _at(day - timedelta(days=2))


def make_gate_history(ctx: DemoContext) -> None:
    """Gate criteria, and the gate reviews of every project that has passed a gate."""
    rng = ctx.random("lifecycle-gates")
    users = get_user_model().objects.in_bulk(["executive", "project.manager"], field_name="username")
    approver = users["executive"]
    criteria = ctx.save_all(
        GateCriterion,
        [
            GateCriterion(stage=stage, text=text, evidence_kind=kind, evidence_required=required, order=order)
            for stage, rows in CRITERIA.items()
            for order, (text, kind, required) in enumerate(rows, start=1)
        ],
    )
    by_stage = {stage: [c for c in criteria if c.stage == stage] for stage in GATE_ORDER}
    # (review, day, decision, conditions, evidenced count) per review.
    plans = []
    for project in ctx.projects:
        if project.stage in PASSED:
            for gate in PASSED[project.stage]:
                conditions = rng.sample(CONDITIONS, k=rng.randint(1, 2)) if rng.random() < 0.25 else []
                decision = GateDecision.GO_WITH_CONDITIONS if conditions else GateDecision.GO
                plans.append((project, gate, decision, conditions, len(by_stage[gate])))
        if project.stage == LifecycleStage.PLANNING:
            plans.append((project, LifecycleStage.DELIVERY, None, [], rng.randint(1, 3)))
        if project.stage == LifecycleStage.CANCELLED and project.planned_start < ctx.today:
            plans.append((project, LifecycleStage.PLANNING, GateDecision.STOP, [], len(by_stage["planning"])))

    reviews = []
    for project, gate, decision, _conditions, _evidenced in plans:
        status = {
            None: ReviewStatus.OPEN,
            GateDecision.GO: ReviewStatus.APPROVED,
            GateDecision.GO_WITH_CONDITIONS: ReviewStatus.APPROVED_WITH_CONDITIONS,
            GateDecision.STOP: ReviewStatus.STOPPED,
        }[decision]
        day = _gate_day(ctx, project, gate)
        reviews.append(
            GateReview(
                project=project,
                from_stage=GATES[gate],
                to_stage=gate,
                pmo_model=PMOModel.CONTROLLING,
                status=status,
                decided_at=_at(day) if decision else None,
            )
        )
    reviews = ctx.save_all(GateReview, reviews)
    items, approvals, decisions, actions = [], [], [], []
    review_type = ContentType.objects.get_for_model(GateReview)
    for review, (project, gate, decision, conditions, evidenced) in zip(reviews, plans, strict=True):
        day = _gate_day(ctx, project, gate)
        opened = day - timedelta(days=14)
        review.created_at = _at(opened)
        for index, criterion in enumerate(by_stage[gate]):
            item = GateCheckItem(
                review=review,
                criterion=criterion,
                text=criterion.text,
                evidence_required=criterion.evidence_required,
                evidence_kind=criterion.evidence_kind,
                order=criterion.order,
            )
            if index < evidenced:
                _evidence(rng, item, project, day)
            items.append(item)
        if decision is None:
            continue
        comment = {
            GateDecision.GO: "The evidence is complete.",
            GateDecision.GO_WITH_CONDITIONS: "Go, on the conditions below.",
            GateDecision.STOP: "The business case no longer holds.",
        }[decision]
        approvals.append(
            GateApproval(
                review=review,
                role=ApproverRole.SPONSOR,
                approver=approver,
                decision=decision,
                comment=comment,
                conditions="\n".join(conditions),
            )
        )
        label = f"{project.code} gate {gate_label(GATES[gate], gate)}: {GateDecision(decision).label}"
        decisions.append(
            Decision(
                project=project,
                title=label,
                description=comment,
                decided_on=day,
                decided_by=approver.person,
                body="Sponsor",
                source_type=review_type,
                source_id=review.pk,
            )
        )
        for condition in conditions:
            due = day + timedelta(days=30)
            done = due < ctx.today and rng.random() < 0.7
            actions.append(
                ActionItem(
                    project=project,
                    title=condition,
                    description=f"Condition of the gate {gate_label(GATES[gate], gate)}.",
                    owner=project.manager,
                    due_on=due,
                    status="done" if done else "open",
                    completed_on=due - timedelta(days=rng.randint(0, 20)) if done else None,
                    source_type=review_type,
                    source_id=review.pk,
                )
            )
    GateReview.objects.bulk_update(reviews, ["created_at"], batch_size=500)
    ctx.save_all(GateCheckItem, items)
    ctx.save_all(GateApproval, approvals)
    ctx.save_all(Decision, decisions)
    ctx.save_all(ActionItem, actions)
