"""State changes of highlight reporting: the reporting policy, a report's flow (draft, submit,
approve or return), reminders, and report packs.

Every function is atomic, re-checks permission inside its transaction on the locked row, and
writes audit events with the values before and after. Who may do what:
- drafting, writing, refreshing and submitting a report needs the right to change its project
  (its manager, the portfolio or programme manager, the PMO head);
- reviewing a report (approve, return) and collating a pack is the PMO's (PMO head or analyst
  across the organisation) or the portfolio or programme manager's over the project; nobody
  reviews a report they submitted themselves;
- the policy is changed by whoever may change organisation records (the PMO head).
Notifications go out through governance (in the application, and by email after commit).
"""

from collections.abc import Mapping
from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from pmo.core.audit import record_event, snapshot
from pmo.core.choices import Action, Role, ScopeType
from pmo.core.errors import DomainError, InvalidData, NotFound, PermissionRefused
from pmo.core.models import RoleAssignment
from pmo.core.permissions import grants_for
from pmo.core.services import change_audited, create_audited, require_global, save_checked, validated
from pmo.governance import services as governance
from pmo.governance.choices import NotificationKind
from pmo.health.choices import Dimension, HealthStatus
from pmo.portfolio.choices import LifecycleStage
from pmo.portfolio.models import Portfolio, Programme, Project
from pmo.reporting import facts as report_data
from pmo.reporting.choices import EDITABLE_STATUSES, SENT_STATUSES, PackStatus, ReportRAG, ReportStatus
from pmo.reporting.models import HighlightReport, ReportingPolicy, ReportPack, ReportReminder
from pmo.reporting.periods import last_ended_period, period_label

POLICY_FIELDS = ("frequency", "due_days", "reminder_days", "stages", "starts_on")
NARRATIVE_FIELDS = (
    "summary",
    "achievements",
    "next_steps",
    "risks_commentary",
    "decisions_needed",
    "rag_overall",
    *(f"rag_{d.value}" for d in Dimension),
    *(f"comment_{d.value}" for d in Dimension),
    "rag_justification",
)
ASSESSED = (HealthStatus.RED, HealthStatus.AMBER, HealthStatus.GREEN)
REVIEWER_ROLES_EVERYWHERE = (Role.PMO_HEAD, Role.PMO_ANALYST, Role.PORTFOLIO_MANAGER)


def _locked(actor, model, pk, action: str):
    """Lock the row (its own row only: PostgreSQL refuses to lock the nullable side of a join),
    then check on the locked row that ``actor`` may perform ``action`` on it."""
    row = model.objects.select_for_update(of=("self",)).filter(pk=pk).first()
    if row is None or not model.objects.visible_to(actor, action).filter(pk=pk).exists():
        if row is not None and model.objects.visible_to(actor, Action.VIEW).filter(pk=pk).exists():
            raise PermissionRefused(f"You may not {action} this {model._meta.verbose_name}.")
        raise NotFound(f"No {model._meta.verbose_name} with id {pk} is visible to you.")
    return row


# --- the policy ----------------------------------------------------------------------------------


@transaction.atomic
def update_policy(*, actor, changes: Mapping, reason: str = "") -> ReportingPolicy:
    """Change the organisation's reporting policy (made with its defaults the first time)."""
    require_global(actor, Action.CHANGE, "the reporting policy")
    policy = ReportingPolicy.objects.select_for_update().order_by("pk").first()
    if policy is None:
        policy = create_audited(ReportingPolicy(), actor=actor, reason="The reporting policy written down first.")
    if "stages" in changes:
        changes = {**changes, "stages": list(changes["stages"] or [])}
    person = getattr(actor, "person", None)
    changed = change_audited(policy, changes, actor=actor, allowed=POLICY_FIELDS, reason=reason)
    if person is not None and changed.updated_by_id != person.pk:
        changed.updated_by = person
        changed.save(update_fields=["updated_by", "updated_at"])
    return changed


# --- who reviews -----------------------------------------------------------------------------------


def _reviewer_roles(*, portfolio_id: int, programme_id: int | None) -> Q:
    condition = Q(scope_type=ScopeType.ORGANISATION, role__in=REVIEWER_ROLES_EVERYWHERE)
    condition |= Q(scope_type=ScopeType.PORTFOLIO, scope_id=portfolio_id, role=Role.PORTFOLIO_MANAGER)
    if programme_id:
        condition |= Q(scope_type=ScopeType.PROGRAMME, scope_id=programme_id, role=Role.PORTFOLIO_MANAGER)
    return condition


def may_collate(user, *, portfolio_id: int, programme_id: int | None = None) -> bool:
    """The PMO (head or analyst across the organisation), or the portfolio or programme manager."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if grants_for(user).is_administrator:
        return True
    condition = _reviewer_roles(portfolio_id=portfolio_id, programme_id=programme_id)
    return RoleAssignment.objects.filter(condition, person__user=user).exists()


def may_collate_anywhere(user) -> bool:
    """Whether the user may collate a pack somewhere (to offer the button)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if grants_for(user).is_administrator:
        return True
    condition = Q(scope_type=ScopeType.ORGANISATION, role__in=REVIEWER_ROLES_EVERYWHERE) | Q(
        scope_type__in=(ScopeType.PORTFOLIO, ScopeType.PROGRAMME), role=Role.PORTFOLIO_MANAGER
    )
    return RoleAssignment.objects.filter(condition, person__user=user).exists()


def may_review(user, report: HighlightReport) -> bool:
    project = report.project
    return may_collate(user, portfolio_id=project.portfolio_id, programme_id=project.programme_id)


def reviewers_of(project: Project) -> list:
    """The people told when a report is submitted: the PMO and the project's portfolio or
    programme managers (not administrators, who may review but are not on duty for it)."""
    condition = _reviewer_roles(portfolio_id=project.portfolio_id, programme_id=project.programme_id)
    user_ids = RoleAssignment.objects.filter(condition, person__user__isnull=False).values("person__user_id")
    return list(get_user_model().objects.filter(pk__in=user_ids, is_active=True).order_by("username"))


def _manager_user(project: Project):
    return project.manager.user if project.manager_id and project.manager.user_id else None


# --- reports ---------------------------------------------------------------------------------------


def _initial_rags(facts: dict, project: Project) -> dict:
    health = facts.get("health") or {}
    dimensions = health.get("dimensions") or {}
    rags = {
        f"rag_{d.value}": dimensions.get(d.value) if dimensions.get(d.value) in ASSESSED else ReportRAG.GREEN
        for d in Dimension
    }
    overall = health.get("overall")
    rags["rag_overall"] = overall if overall in ASSESSED else project.rag
    return rags


def _check_reports(project: Project, policy: ReportingPolicy) -> None:
    if project.is_archived:
        raise DomainError(f"{project.code} is archived: it no longer reports.")
    if project.stage not in policy.stages:
        stages = ", ".join(LifecycleStage(stage).label for stage in policy.stages)
        raise DomainError(
            f"{project.code} is in {project.get_stage_display()}: the reporting policy asks reports only from "
            f"projects in {stages}."
        )


@transaction.atomic
def create_report(*, actor, project: Project, period_day: date | None = None, reason: str = "") -> HighlightReport:
    """Draft the project's highlight report for the period containing ``period_day`` (the period
    that ended last when none is given), pre-filled with the project's figures and its health."""
    project = _locked(actor, Project, project.pk, Action.CHANGE)
    policy = report_data.reporting_policy()
    _check_reports(project, policy)
    today = timezone.localdate()
    start, end = policy.period_of(period_day) if period_day else last_ended_period(policy.frequency, today)
    if start > today:
        raise InvalidData({"period_day": [f"The period {period_label(policy.frequency, start, end)} has not begun."]})
    existing = HighlightReport.objects.filter(project=project, period_start=start).first()
    if existing is not None:
        state = existing.get_status_display().lower()
        message = f"{project.code} already has a report for {existing.period_label} ({state})."
        raise InvalidData({"period_day": [message]})
    facts = report_data.report_facts(project, period_start=start, period_end=end, frequency=policy.frequency)
    report = HighlightReport(
        project=project,
        period_start=start,
        period_end=end,
        frequency=policy.frequency,
        facts=facts,
        facts_taken_at=timezone.now(),
        created_by=actor,
        **_initial_rags(facts, project),
    )
    return create_audited(report, actor=actor, reason=reason)


def _lock_report(actor, report: HighlightReport, action: str = Action.CHANGE) -> HighlightReport:
    return _locked(actor, HighlightReport, report.pk, action)


def _require_editable(report: HighlightReport, what: str) -> None:
    if report.status not in EDITABLE_STATUSES:
        raise DomainError(
            f"This report is {report.get_status_display().lower()}: only a draft or returned report can be {what}."
        )


@transaction.atomic
def update_report(*, actor, report: HighlightReport, changes: Mapping, reason: str = "") -> HighlightReport:
    """Write the narrative, the RAG and the comments of a draft or returned report."""
    report = _lock_report(actor, report)
    _require_editable(report, "edited")
    for name in ("rag_overall", *(f"rag_{d.value}" for d in Dimension)):
        if name in changes and changes[name] not in ReportRAG.values:
            raise InvalidData({name: [f"Choose red, amber or green, not {changes[name]!r}."]})
    return change_audited(report, changes, actor=actor, allowed=NARRATIVE_FIELDS, reason=reason)


@transaction.atomic
def refresh_report(*, actor, report: HighlightReport, reason: str = "") -> HighlightReport:
    """Take the project's figures again (a draft or returned report only); the narrative and the
    manager's RAG stay as written."""
    report = _lock_report(actor, report)
    _require_editable(report, "refreshed")
    report.project = Project.objects.select_related("manager").get(pk=report.project_id)
    facts = report_data.report_facts(
        report.project, period_start=report.period_start, period_end=report.period_end, frequency=report.frequency
    )
    return change_audited(
        report,
        {"facts": facts, "facts_taken_at": timezone.now()},
        actor=actor,
        allowed={"facts", "facts_taken_at"},
        reason=reason,
        action="highlightreport.refreshed",
    )


def submission_problems(report: HighlightReport) -> dict[str, list[str]]:
    """What stops the report from being submitted, by field: no summary, a red dimension
    without a comment, a RAG that differs from the health check without a justification."""
    problems: dict[str, list[str]] = {}
    if not report.summary.strip():
        problems["summary"] = ["Write the summary before submitting."]
    for d in Dimension:
        if report.rag_of(d) == ReportRAG.RED and not report.comment_of(d).strip():
            problems[f"comment_{d.value}"] = [f"{d.label} is red: say why and what is being done about it."]
    health = (report.facts or {}).get("health") or {}
    computed = {**(health.get("dimensions") or {}), "overall": health.get("overall")}
    differences = []
    for name, label in [("overall", "overall"), *((d.value, d.label.lower()) for d in Dimension)]:
        mine = report.rag_overall if name == "overall" else report.rag_of(name)
        if computed.get(name) in ASSESSED and computed[name] != mine:
            differences.append(f"{label} (yours {mine}, computed {computed[name]})")
    if differences and not report.rag_justification.strip():
        problems["rag_justification"] = [
            f"Your RAG differs from the health check on {', '.join(differences)}: say why."
        ]
    return problems


def _label(report: HighlightReport) -> str:
    return f"{report.project.code} highlight report {report.period_label}"


@transaction.atomic
def submit_report(*, actor, report: HighlightReport, reason: str = "") -> HighlightReport:
    """Send a draft (or returned) report to the PMO for review."""
    report = _lock_report(actor, report)
    _require_editable(report, "submitted")
    problems = submission_problems(report)
    if problems:
        raise InvalidData(problems)
    report = change_audited(
        report,
        {"status": ReportStatus.SUBMITTED, "submitted_by": actor, "submitted_at": timezone.now()},
        actor=actor,
        allowed={"status", "submitted_by", "submitted_at"},
        reason=reason,
        action="highlightreport.submitted",
    )
    recipients = [user for user in reviewers_of(report.project) if user.pk != actor.pk]
    governance.notify(
        recipients=recipients,
        kind=NotificationKind.APPROVAL,
        message=f"{_label(report)} was submitted by {actor.get_username()} and waits for review.",
        url=report.get_absolute_url(),
    )
    return report


def _review(actor, report: HighlightReport, target: str, comment: str) -> HighlightReport:
    report = _lock_report(actor, report, Action.VIEW)
    if report.status != ReportStatus.SUBMITTED:
        raise DomainError(f"This report is {report.get_status_display().lower()}: only a submitted report is reviewed.")
    if not may_review(actor, report):
        raise PermissionRefused("Reports are reviewed by the PMO or by the project's portfolio or programme manager.")
    if report.submitted_by_id == actor.pk:
        raise PermissionRefused("You submitted this report: another reviewer decides on it.")
    comment = (comment or "").strip()
    if target == ReportStatus.RETURNED and not comment:
        raise InvalidData({"comment": ["Say what the manager should change before returning the report."]})
    report = change_audited(
        report,
        {"status": target, "reviewed_by": actor, "reviewed_at": timezone.now(), "review_comment": comment},
        actor=actor,
        allowed={"status", "reviewed_by", "reviewed_at", "review_comment"},
        reason=comment,
        action=f"highlightreport.{target}",
    )
    verb = "approved" if target == ReportStatus.APPROVED else "returned"
    message = f"{_label(report)} was {verb} by {actor.get_username()}"
    governance.notify(
        recipients=[report.submitted_by, _manager_user(report.project)],
        kind=NotificationKind.OTHER,
        message=f"{message}: {comment}" if comment else f"{message}.",
        url=report.get_absolute_url(),
    )
    return report


@transaction.atomic
def approve_report(*, actor, report: HighlightReport, comment: str = "") -> HighlightReport:
    return _review(actor, report, ReportStatus.APPROVED, comment)


@transaction.atomic
def return_report(*, actor, report: HighlightReport, comment: str = "") -> HighlightReport:
    return _review(actor, report, ReportStatus.RETURNED, comment)


# --- reminders -------------------------------------------------------------------------------------


@transaction.atomic
def remind_reports(*, today: date | None = None, email: bool = True) -> int:
    """Tell each reporting project's manager about its report due within the policy's reminder
    days, or late (the oldest late one, with how many are missing); at most one reminder per
    project and period a day. Returns how many reminders were sent. Run daily."""
    today = today or timezone.localdate()
    policy = report_data.reporting_policy()
    projects = list(
        report_data.reporting_projects(policy=policy)
        .filter(manager__user__isnull=False, manager__user__is_active=True)
        .select_related("manager__user")
        .order_by("code")
    )
    late = report_data.missing_reports(projects, today=today, policy=policy)
    start, end = last_ended_period(policy.frequency, today)
    due = policy.due_on(end)
    sent_now = set(
        HighlightReport.objects.filter(
            project__in=[p.pk for p in projects], period_start=start, status__in=SENT_STATUSES
        ).values_list("project_id", flat=True)
    )
    already = set(
        ReportReminder.objects.filter(project__in=[p.pk for p in projects], sent_on=today).values_list(
            "project_id", "period_start"
        )
    )
    sent = 0
    for project in projects:
        overdue = late.get(project.pk) or []
        if overdue:
            oldest = overdue[0]
            period_start, is_late = oldest["start"], True
            label = period_label(policy.frequency, oldest["start"], oldest["end"])
            others = f" ({len(overdue)} reports missing)" if len(overdue) > 1 else ""
            message = (
                f"The {project.code} highlight report for {label} was due on {oldest['due_on']:%Y-%m-%d} "
                f"and is {oldest['days_late']} day(s) late{others}."
            )
        elif project.pk not in sent_now and today <= due and (due - today).days <= policy.reminder_days:
            if report_data.owed_since(project, policy) > end:
                continue
            period_start, is_late = start, False
            message = (
                f"The {project.code} highlight report for {period_label(policy.frequency, start, end)} "
                f"is due on {due:%Y-%m-%d}."
            )
        else:
            continue
        if (project.pk, period_start) in already:
            continue
        ReportReminder.objects.create(project=project, period_start=period_start, sent_on=today, is_late=is_late)
        sent += len(
            governance.notify(
                recipients=[project.manager.user],
                kind=NotificationKind.ACTION_DUE,
                message=message,
                url=reverse("reporting:project_reports", args=[project.pk]),
                email=email,
            )
        )
    return sent


# --- packs -------------------------------------------------------------------------------------------


def _pack_scope(actor, programme: Programme | None, portfolio: Portfolio | None):
    if (programme is None) == (portfolio is None):
        raise InvalidData({"programme": ["Collate a pack for one programme or one portfolio."]})
    model, target = (Programme, programme) if programme is not None else (Portfolio, portfolio)
    if not model.objects.visible_to(actor, Action.VIEW).filter(pk=target.pk).exists():
        raise NotFound(f"No {model._meta.verbose_name} with id {target.pk} is visible to you.")
    portfolio_id = programme.portfolio_id if programme is not None else portfolio.pk
    if not may_collate(actor, portfolio_id=portfolio_id, programme_id=programme.pk if programme else None):
        raise PermissionRefused("Report packs are collated by the PMO or by the programme's (or portfolio's) manager.")
    return target, portfolio_id


@transaction.atomic
def create_pack(
    *,
    actor,
    programme: Programme | None = None,
    portfolio: Portfolio | None = None,
    period_day: date | None = None,
    title: str = "",
    reason: str = "",
) -> ReportPack:
    """Collate the reports of a programme's (or a portfolio's) projects for the period containing
    ``period_day`` (the period that ended last when none is given), as a draft pack."""
    scope, portfolio_id = _pack_scope(actor, programme, portfolio)
    policy = report_data.reporting_policy()
    today = timezone.localdate()
    start, end = policy.period_of(period_day) if period_day else last_ended_period(policy.frequency, today)
    if start > today:
        raise InvalidData({"period_day": [f"The period {period_label(policy.frequency, start, end)} has not begun."]})
    duplicates = ReportPack.objects.filter(period_start=start)
    duplicates = (
        duplicates.filter(programme=programme)
        if programme is not None
        else duplicates.filter(programme__isnull=True, portfolio=portfolio)
    )
    if duplicates.exists():
        raise InvalidData(
            {"period_day": [f"{scope.code} already has a pack for {period_label(policy.frequency, start, end)}."]}
        )
    title = (title or "").strip() or f"{scope.code} highlight reports {period_label(policy.frequency, start, end)}"
    pack = ReportPack(
        programme=programme,
        portfolio_id=portfolio_id,
        period_start=start,
        period_end=end,
        frequency=policy.frequency,
        title=title,
        created_by=actor,
    )
    validated(pack, exclude=["content"])
    pack.content = report_data.pack_content(pack, today=today)
    pack.gathered_at = timezone.now()
    return create_audited(pack, actor=actor, reason=reason)


def _lock_pack(actor, pack: ReportPack) -> ReportPack:
    pack = _locked(actor, ReportPack, pack.pk, Action.VIEW)
    if not may_collate(actor, portfolio_id=pack.portfolio_id, programme_id=pack.programme_id):
        raise PermissionRefused("Report packs are collated by the PMO or by the programme's (or portfolio's) manager.")
    if pack.is_issued:
        raise DomainError("This pack is issued: its content is frozen.")
    return pack


@transaction.atomic
def refresh_pack(*, actor, pack: ReportPack, reason: str = "") -> ReportPack:
    """Gather a draft pack again from the reports as they are now."""
    pack = _lock_pack(actor, pack)
    return change_audited(
        pack,
        {"content": report_data.pack_content(pack), "gathered_at": timezone.now()},
        actor=actor,
        allowed={"content", "gathered_at"},
        reason=reason,
        action="reportpack.gathered",
    )


@transaction.atomic
def issue_pack(*, actor, pack: ReportPack, reason: str = "") -> ReportPack:
    """Gather the pack one last time and freeze it."""
    pack = _lock_pack(actor, pack)
    before = snapshot(pack)
    pack.content = report_data.pack_content(pack)
    pack.gathered_at = pack.issued_at = timezone.now()
    pack.status = PackStatus.ISSUED
    pack.issued_by = actor
    validated(pack)
    save_checked(pack)
    after = snapshot(pack)
    record_event(
        actor=actor,
        action="reportpack.issued",
        obj=pack,
        before={k: v for k, v in before.items() if k != "content" and v != after[k]},
        after={k: v for k, v in after.items() if k != "content" and before[k] != v},
        reason=reason,
    )
    return pack
