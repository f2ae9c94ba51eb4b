"""RAID registers for the demo: risks, assumptions, issues, dependencies and decisions for every
project past initiation, the escalations the organisation's threshold makes, actions for the demo
logins, notifications, and half a year of exposure history for the trend.

Each project's risks are raised over the last six months; some are closed since. The exposure of
each register is recorded weekly (and today) from the risks open on that day, so the trend agrees
with the register. Risks and issues of a project at or above the escalation thresholds are shown on
its programme's register (its portfolio's, outside any programme), as saving them would have done.

Rows are built in bulk, as the other demo steps do; the demo's one audit event covers them.
"""

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from pmo.core.models import Person
from pmo.demo.context import DemoContext
from pmo.governance import services as governance_services
from pmo.governance.choices import (
    ActionStatus,
    AssumptionStatus,
    DependencyKind,
    IssuePriority,
    IssueSeverity,
    IssueStatus,
    NotificationKind,
    ProximityBand,
    RaidDependencyStatus,
    RiskKind,
    RiskResponse,
    RiskStatus,
)
from pmo.governance.models import (
    ActionItem,
    Assumption,
    Decision,
    Dependency,
    Escalation,
    EscalationRule,
    ExposureSnapshot,
    Issue,
    Risk,
    RiskScale,
)
from pmo.portfolio.choices import DependencyStatus, LifecycleStage
from pmo.portfolio.models import ProjectDependency

PAST_INITIATION = (LifecycleStage.PLANNING, LifecycleStage.DELIVERY, LifecycleStage.CLOSING, LifecycleStage.CLOSED)
HISTORY_DAYS = 182
# (title, category, cause, event, effect, response, response plan)
RISKS = (
    (
        "Key supplier delivers late",
        "Supply chain",
        "The integrator is also delivering two other large programmes",
        "its build team is not available when our integration starts",
        "integration and testing slip by up to two months",
        RiskResponse.REDUCE,
        "Agree a named team in the contract; weekly delivery reviews with the supplier.",
    ),
    (
        "Specialist engineers leave",
        "People",
        "Only two people know the legacy data model",
        "one of them leaves before the migration",
        "migration rules must be rediscovered and the cut-over moves",
        RiskResponse.REDUCE,
        "Pair a second engineer on every migration rule; document as we go.",
    ),
    (
        "Regulator changes reporting rules",
        "Regulatory",
        "A consultation on reporting closes this quarter",
        "the regulator changes the format mid-project",
        "reports must be rebuilt and certified again",
        RiskResponse.ACCEPT,
        "Follow the consultation; keep the reporting layer configurable.",
    ),
    (
        "Data quality worse than sampled",
        "Data",
        "Only 2% of the customer records were profiled",
        "duplicate and incomplete records are far more common",
        "cleansing takes longer and go-live quality suffers",
        RiskResponse.REDUCE,
        "Profile the full data set now; plan a cleansing sprint.",
    ),
    (
        "Budget cut in the next planning round",
        "Financial",
        "The organisation is reviewing discretionary spend",
        "the project's second-year funding is reduced",
        "scope must be cut or the finish moved",
        RiskResponse.TRANSFER,
        "Secure the second-year funding as a committed line before the review.",
    ),
    (
        "Users do not adopt the new process",
        "Change",
        "The new process changes how teams are measured",
        "teams keep working the old way after go-live",
        "the benefits are not realised",
        RiskResponse.REDUCE,
        "Change champions in each team; early pilots; adoption measured weekly.",
    ),
    (
        "Security review finds critical gaps",
        "Security",
        "The design has not yet been reviewed by security architecture",
        "the review asks for a different identity design",
        "rework of the access layer and a later release",
        RiskResponse.AVOID,
        "Bring the security review forward to the design stage.",
    ),
    (
        "Test environments not ready",
        "Technical",
        "Environments are shared with two other projects",
        "the test environment is not available for the planned window",
        "system testing is compressed and defects escape",
        RiskResponse.REDUCE,
        "Book the environment now; automate the environment build.",
    ),
    (
        "Reuse the platform of a sister project",
        "Technical",
        "A sister project is building a similar integration platform",
        "we can reuse its platform instead of building our own",
        "lower cost and an earlier finish",
        RiskResponse.EXPLOIT,
        "Agree reuse terms with the sister project's board.",
    ),
    (
        "Vendor offers an early-adopter discount",
        "Financial",
        "The vendor wants reference customers for its new release",
        "we qualify for the early-adopter programme",
        "licence costs fall by a fifth",
        RiskResponse.ENHANCE,
        "Apply for the programme and offer a case study.",
    ),
)
ASSUMPTIONS = (
    ("Licence prices hold for two years", "Procurement confirms with the vendor in writing."),
    ("Business users are available two days a week", "Line managers confirm the release in the resource plan."),
    ("The current hosting contract can be extended", "Check the break clause with the hosting provider."),
    ("No change in data protection law before go-live", "Legal reviews the legislative agenda each quarter."),
    ("Legacy interfaces stay stable during the build", "Interface owners agree a change freeze."),
)
ISSUES = (
    ("Build server out of capacity", "Builds queue for hours; developers wait.", "Added two build agents."),
    ("Design authority approval delayed", "The design authority postponed its review twice.", "Escalated to chair."),
    ("Key test data set corrupted", "The anonymised test set failed validation.", "Restored from last week's copy."),
    ("Supplier invoice dispute", "The supplier invoiced milestones not yet accepted.", "Agreed a credit note."),
    ("Scope creep from the sponsor's team", "New reports requested outside change control.", "Raised as changes."),
)
EXTERNAL_PARTIES = (
    ("Network upgrade by the telecom provider", "Telecom provider"),
    ("Certification by the industry body", "Industry certification body"),
    ("Hardware delivery from the manufacturer", "Hardware manufacturer"),
    ("Data feed from the partner bank", "Partner bank"),
)
DECISIONS = (
    ("Buy a packaged solution rather than build", "Project board"),
    ("Phase the roll-out by region", "Project board"),
    ("Keep the legacy system read-only for a year", "Design authority"),
    ("Accept the residual data-quality risk at go-live", "Project board"),
)


def _when(ctx: DemoContext, rng: random.Random, project, *, within_days: int = HISTORY_DAYS) -> date:
    """A day in the last ``within_days`` days, after the project started when it has."""
    earliest = ctx.today - timedelta(days=within_days)
    if project.planned_start and project.planned_start > earliest:
        earliest = min(project.planned_start, ctx.today)
    return earliest + timedelta(days=rng.randint(0, max(0, (ctx.today - earliest).days)))


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10)))


def _login_people(ctx: DemoContext) -> dict:
    return {
        person.user.username: person
        for person in Person.objects.filter(user__username__in=[row[0] for row in ctx.logins]).select_related("user")
    }


def _project_register(ctx: DemoContext, rng: random.Random, project, *, scale: RiskScale, staff, made: dict) -> None:
    """One project's risks, issues, assumptions, an outside dependency now and then, a decision."""
    risks, issues, assumptions, dependencies, decisions = (
        made["risks"],
        made["issues"],
        made["assumptions"],
        made["dependencies"],
        made["decisions"],
    )
    is_closed = project.stage == LifecycleStage.CLOSED
    owners = [person for person in (project.manager, project.sro) if person is not None] or staff[:1]
    for number in range(rng.randint(3, 6)):
        title, category, cause, event, effect, response, plan = RISKS[(project.pk * 3 + number) % len(RISKS)]
        nature = RiskKind.OPPORTUNITY if response in (RiskResponse.EXPLOIT, RiskResponse.ENHANCE) else RiskKind.THREAT
        steps = range(1, scale.levels + 1)
        probability = rng.choices(steps, weights=(2, 3, 4, 3, 2) if scale.levels == 5 else None)[0]
        impact = min(scale.levels, rng.choices(steps, weights=(1, 3, 4, 3, 2) if scale.levels == 5 else None)[0])
        if project == ctx.login_project and number == 0:
            probability = impact = min(4, scale.levels)  # the project manager's project has one risk escalated
        raised_on = _when(ctx, rng, project)
        closed = is_closed or (rng.random() < 0.2 and not (project == ctx.login_project and number == 0))
        closed_on = min(ctx.today, raised_on + timedelta(days=rng.randint(14, 120))) if closed else None
        residual = (max(1, probability - 2), max(1, impact - 1)) if rng.random() < 0.7 else (None, None)
        risks.append(
            Risk(
                project=project,
                title=title,
                owner=rng.choice(owners),
                raised_on=raised_on,
                nature=nature,
                category=category,
                cause=cause,
                event=event,
                effect=effect,
                probability=probability,
                impact=impact,
                score=probability * impact,
                proximity=rng.choice(ProximityBand.values),
                response=response,
                response_plan=plan,
                residual_probability=residual[0],
                residual_impact=residual[1],
                residual_score=residual[0] * residual[1] if residual[0] else None,
                status=RiskStatus.CLOSED if closed else RiskStatus.OPEN,
                closed_on=closed_on,
            )
        )
    for number in range(rng.randint(1, 3)):
        title, description, resolution = ISSUES[(project.pk + number) % len(ISSUES)]
        resolved = is_closed or rng.random() < 0.4
        raised_on = _when(ctx, rng, project, within_days=90)
        severity = rng.choices(IssueSeverity.values, weights=(4, 4, 2, 1))[0]
        priority = rng.choices(IssuePriority.values, weights=(3, 4, 3, 1))[0]
        issues.append(
            Issue(
                project=project,
                title=title,
                description=description,
                owner=rng.choice(owners),
                raised_on=raised_on,
                priority=priority,
                severity=severity,
                due_on=raised_on + timedelta(days=rng.randint(7, 45)),
                status=IssueStatus.RESOLVED if resolved else rng.choice((IssueStatus.OPEN, IssueStatus.IN_PROGRESS)),
                resolution=resolution if resolved else "",
                resolved_on=min(ctx.today, raised_on + timedelta(days=rng.randint(3, 30))) if resolved else None,
            )
        )
    for number in range(rng.randint(1, 3)):
        title, notes = ASSUMPTIONS[(project.pk + number) % len(ASSUMPTIONS)]
        validate_by = _when(ctx, rng, project, within_days=60) + timedelta(days=rng.randint(0, 90))
        checked = validate_by <= ctx.today and rng.random() < 0.7
        status = AssumptionStatus.OPEN
        if checked:
            status = AssumptionStatus.VALID if rng.random() < 0.85 else AssumptionStatus.INVALID
        assumptions.append(
            Assumption(
                project=project,
                title=title,
                owner=rng.choice(owners),
                raised_on=min(ctx.today, validate_by - timedelta(days=30)),
                validate_by=validate_by,
                status=status,
                validated_on=validate_by if checked else None,
                notes=notes,
            )
        )
    if rng.random() < 0.4:
        title, party = rng.choice(EXTERNAL_PARTIES)
        dependencies.append(
            Dependency(
                project=project,
                title=title,
                owner=rng.choice(owners),
                raised_on=_when(ctx, rng, project),
                nature=DependencyKind.EXTERNAL,
                party=party,
                needed_by=ctx.today + timedelta(days=rng.randint(-30, 120)),
                status=RaidDependencyStatus.MET if is_closed else RaidDependencyStatus.OPEN,
            )
        )
    title, body = DECISIONS[project.pk % len(DECISIONS)]
    decisions.append(
        Decision(
            project=project,
            title=title,
            description="Recorded at the board meeting.",
            decided_on=_when(ctx, rng, project),
            decided_by=project.sro or project.manager,
            body=body,
        )
    )


def make_raid(ctx: DemoContext) -> None:
    """RAID registers of every project past initiation, with escalations to the programmes."""
    rng = ctx.random("raid")
    scale, rule = RiskScale.current(), EscalationRule.current()
    projects = [project for project in ctx.projects if project.stage in PAST_INITIATION]
    logins = _login_people(ctx)
    staff = [person for person in ctx.posts.get("staff", []) if not person.is_archived] or ctx.people
    made = {"risks": [], "issues": [], "assumptions": [], "dependencies": [], "decisions": []}
    risks, issues, assumptions, dependencies, decisions = made.values()
    for project in projects:
        _project_register(ctx, rng, project, scale=scale, staff=staff, made=made)
    raid_projects = {project.pk for project in projects}
    dependency_status = {
        DependencyStatus.OPEN: RaidDependencyStatus.OPEN,
        DependencyStatus.AT_RISK: RaidDependencyStatus.AT_RISK,
        DependencyStatus.MET: RaidDependencyStatus.MET,
        DependencyStatus.BROKEN: RaidDependencyStatus.BROKEN,
    }
    for link in ProjectDependency.objects.filter(dependent_id__in=raid_projects).select_related(
        "dependent", "provider"
    ):
        dependencies.append(
            Dependency(
                project=link.dependent,
                title=f"{link.output} from {link.provider.code}",
                owner=link.dependent.manager,
                raised_on=min(ctx.today, link.needed_by - timedelta(days=60)),
                nature=DependencyKind.INTERNAL,
                project_dependency=link,
                needed_by=link.needed_by,
                status=dependency_status.get(link.status, RaidDependencyStatus.OPEN),
            )
        )
    # A decision on each programme's own log.
    for programme in ctx.programmes:
        decisions.append(
            Decision(
                programme=programme,
                title="Hold a monthly programme risk review",
                description="Escalated risks and issues are reviewed by the programme board every month.",
                decided_on=ctx.today - timedelta(days=rng.randint(60, 150)),
                decided_by=programme.sro or programme.manager,
                body="Programme board",
            )
        )
    risks = ctx.save_all(Risk, risks)
    issues = ctx.save_all(Issue, issues)
    ctx.save_all(Assumption, assumptions)
    ctx.save_all(Dependency, dependencies)
    ctx.save_all(Decision, decisions)
    escalations = _escalations(ctx, rule, risks, issues)
    _actions(ctx, rng, risks, logins)
    _notifications(ctx, escalations, logins)
    _exposure_history(ctx, scale, risks, escalations)


def _escalations(ctx: DemoContext, rule: EscalationRule, risks: list[Risk], issues: list[Issue]) -> list[Escalation]:
    """The escalations saving each entry would have made: open ones above the thresholds are on
    their programme's register now; closed ones came down when they closed."""
    rows = []
    for entry in [*risks, *issues]:
        above = rule.escalates_risk(entry) if isinstance(entry, Risk) else rule.escalates_issue(entry)
        if not above:
            continue
        project = entry.project
        closed_on = entry.closed_on if isinstance(entry, Risk) else entry.resolved_on
        rows.append(
            Escalation(
                risk=entry if isinstance(entry, Risk) else None,
                issue=entry if isinstance(entry, Issue) else None,
                programme=project.programme,
                portfolio=None if project.programme_id else project.portfolio,
                state="withdrawn" if closed_on else "active",
                is_automatic=True,
                reason="Raised by the rule: at or above the escalation threshold",
                escalated_at=_moment(entry.raised_on),
                withdrawn_at=_moment(closed_on) if closed_on else None,
                withdrawal_reason=f"The {entry.kind} is closed." if closed_on else "",
            )
        )
    return ctx.save_all(Escalation, rows)


def _actions(ctx: DemoContext, rng: random.Random, risks: list[Risk], logins: dict) -> None:
    """Response actions of the open risks, owned by each project's manager; the demo logins own
    some, a few of them overdue, so that "my actions" has something to show."""
    risk_type = ContentType.objects.get_for_model(Risk)
    actions = []
    open_risks = [risk for risk in risks if risk.status == RiskStatus.OPEN and risk.response_plan]
    for risk in open_risks:
        if rng.random() < 0.5:
            continue
        due_on = ctx.today + timedelta(days=rng.randint(-20, 60))
        actions.append(
            ActionItem(
                project=risk.project,
                title=risk.response_plan.split(";")[0].rstrip(".")[:200],
                description=f"Response to {risk.title.lower()}.",
                owner=risk.owner,
                due_on=due_on,
                status=ActionStatus.OPEN,
                source_type=risk_type,
                source_id=risk.pk,
            )
        )
    for username, count in (("project.manager", 4), ("team.member", 3), ("programme.manager", 2)):
        person = logins.get(username)
        if person is None:
            continue
        project = ctx.login_project if username != "programme.manager" else None
        for number in range(count):
            due_on = ctx.today + timedelta(days=(-5 + 6 * number))
            actions.append(
                ActionItem(
                    project=project,
                    programme=ctx.programmes[0] if project is None else None,
                    title=(
                        "Update the risk register before the board",
                        "Confirm the test window with operations",
                        "Send the supplier the revised plan",
                        "Review the escalated risks with the sponsor",
                    )[number % 4],
                    owner=person,
                    due_on=due_on,
                    status=ActionStatus.OPEN,
                )
            )
    ctx.save_all(ActionItem, actions)


def _notifications(ctx: DemoContext, escalations: list[Escalation], logins: dict) -> None:
    """What the escalations and due actions told the demo logins."""
    active = [escalation for escalation in escalations if escalation.state == "active"]
    manager = logins.get("programme.manager")
    for escalation in active:
        if escalation.programme_id != ctx.programmes[0].pk or manager is None or manager.user is None:
            continue
        entry = escalation.risk or escalation.issue
        governance_services.notify(
            recipients=[manager.user],
            kind=NotificationKind.ESCALATION,
            message=f"{entry.project.code}: {entry.kind} {entry} escalated to {escalation.target}.",
            url=entry.get_absolute_url(),
            email=False,
        )
    governance_services.remind_due_actions(today=ctx.today, email=False)


def _exposure_history(ctx: DemoContext, scale: RiskScale, risks: list[Risk], escalations: list[Escalation]) -> None:
    """Each register's open-risk exposure weekly over the last half year, and today."""
    went_up = defaultdict(list)  # risk id -> [(target key, from, until)]
    for escalation in escalations:
        if escalation.risk_id is None:
            continue
        key = (
            ("programme", escalation.programme_id)
            if escalation.programme_id
            else ("portfolio", escalation.portfolio_id)
        )
        until = escalation.withdrawn_at.date() if escalation.withdrawn_at else None
        went_up[escalation.risk_id].append((key, escalation.escalated_at.date(), until))
    days = sorted({ctx.today - timedelta(days=7 * week) for week in range(HISTORY_DAYS // 7 + 1)})
    totals: dict = defaultdict(
        lambda: {"open_risks": 0, "exposure": 0, "residual_exposure": 0, "red": 0, "amber": 0, "green": 0}
    )
    for risk in risks:
        for day in days:
            if risk.raised_on > day or (risk.closed_on is not None and risk.closed_on <= day):
                continue
            keys = [("project", risk.project_id)]
            keys += [
                key for key, start, until in went_up.get(risk.pk, []) if start <= day and (until is None or until > day)
            ]
            for key in keys:
                row = totals[(key, day)]
                row["open_risks"] += 1
                row["exposure"] += risk.score
                row["residual_exposure"] += risk.residual_score or risk.score
                row[scale.band(risk.score)] += 1
    registers = [("project", risk.project_id) for risk in risks]
    registers += [("programme", programme.pk) for programme in ctx.programmes]
    registers += [("portfolio", portfolio.pk) for portfolio in ctx.portfolios]
    snapshots = []
    for level, pk in dict.fromkeys(registers):
        for day in days:
            values = totals.get(((level, pk), day), {})
            snapshots.append(ExposureSnapshot(**{f"{level}_id": pk}, taken_on=day, **values))
    ctx.save_all(ExposureSnapshot, snapshots)
