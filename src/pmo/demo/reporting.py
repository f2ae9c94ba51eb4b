"""Highlight reports for the demo: a monthly reporting policy owed from three months back, the
reports of every reporting project (planning, delivery, closing) for the last three months and
drafts for the current one, and one issued programme pack.

Most reports are approved; in the month that ended last some wait for review, one is returned
(the project.manager login's project, so that its manager sees the comment), some are still
drafts and a few projects have sent nothing and are late. Their figures are the project's
figures at each month's end (``pmo.health.selectors.project_figures``, in bulk per month), the
milestones done in the month and due the next; the manager's RAG follows SPI and CPI, with a
comment on each red dimension as the submission rules ask. Rows are built in bulk.
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from pmo.core.choices import Role, ScopeType
from pmo.core.models import RoleAssignment
from pmo.demo.context import DemoContext
from pmo.health.choices import Dimension
from pmo.health.selectors import project_figures
from pmo.planning.models import Activity, BaselineActivity
from pmo.reporting import facts as report_data
from pmo.reporting.choices import PackStatus, ReportFrequency, ReportRAG, ReportStatus
from pmo.reporting.models import DEFAULT_REPORTING_STAGES, HighlightReport, ReportingPolicy, ReportPack
from pmo.reporting.periods import ended_periods, next_period, period_containing, period_label

MONTHS_BACK = 3
LATE_SHARE = 0.08
ACHIEVEMENTS = (
    "Completed the design review and signed off the interface specifications.",
    "Finished the build of the first release and started system testing.",
    "Migrated the reference data and ran the first rehearsal.",
    "Trained the key users and agreed the acceptance criteria with the business.",
)
NEXT_STEPS = (
    "Complete system testing and prepare the go-live checklist.",
    "Start user acceptance testing with the pilot teams.",
    "Close the open design questions and baseline the release plan.",
    "Run the second migration rehearsal and confirm the cut-over weekend.",
)


def _rag(value: float | None, amber: float, red: float) -> str:
    if value is None:
        return ReportRAG.GREEN
    if value < red:
        return ReportRAG.RED
    return ReportRAG.AMBER if value < amber else ReportRAG.GREEN


def _number(value) -> float | None:
    return None if value is None else round(float(value), 4)


def _facts(project, start: date, end: date, figures: dict, milestones: list[tuple]) -> dict:
    next_start, next_end = next_period(ReportFrequency.MONTHLY, start)
    done, upcoming = [], []
    for name, finish, actual, baseline in milestones:
        row = {
            "name": name,
            "wbs_code": "",
            "baseline": baseline.isoformat() if baseline else None,
            "forecast": finish.isoformat() if finish else None,
            "actual": actual.isoformat() if actual else None,
            "slip_days": (finish - baseline).days if finish and baseline else None,
        }
        if actual and start <= actual <= end:
            done.append(row)
        elif actual is None and any(d and next_start <= d <= next_end for d in (finish, baseline)):
            upcoming.append(row)
    return {
        "period": {"start": start.isoformat(), "end": end.isoformat(), "frequency": ReportFrequency.MONTHLY},
        "project": {
            "code": project.code,
            "name": project.name,
            "stage": project.get_stage_display(),
            "manager": project.manager.full_name if project.manager_id else "",
        },
        "progress": {
            "percent_planned": _number(figures.get("percent_planned")),
            "percent_complete": _number(figures.get("percent_complete")),
            "source": "snapshot",
        },
        "milestones": {
            "done": done,
            "next": upcoming,
            "next_period": period_label(ReportFrequency.MONTHLY, next_start, next_end),
        },
        "evm": {name: _number(figures.get(name)) for name in report_data.EVM_NAMES} | {"period_end": end.isoformat()},
        "raid": {
            "open_risks": int(figures.get("open_risks") or 0),
            "high_risks": int(figures.get("open_high_risks") or 0),
            "open_issues": int(figures.get("open_issues") or 0),
            "overdue_issues": int(figures.get("overdue_issues") or 0),
            "top_risks": [],
            "top_issues": [],
            "escalations": [],
        },
        "changes": {"raised": [], "decided": [], "pending": int(figures.get("pending_changes") or 0)},
        "health": {},
    }


def _milestones(project_ids: list[int]) -> dict[int, list[tuple]]:
    entries = BaselineActivity.objects.filter(
        activity__project_id__in=project_ids, activity__is_milestone=True, baseline__is_primary=True
    )
    baseline = dict(entries.values_list("activity_id", "finish"))
    rows = defaultdict(list)
    for pk, project_id, name, finish, actual in (
        Activity.objects.filter(project_id__in=project_ids, is_milestone=True)
        .order_by("project_id", "position")
        .values_list("pk", "project_id", "name", "finish", "actual_finish")
    ):
        day = timezone.localdate(finish) if finish else None
        rows[project_id].append(
            (
                name,
                day,
                timezone.localdate(actual) if actual else None,
                timezone.localdate(baseline[pk]) if baseline.get(pk) else None,
            )
        )
    return rows


def _moment(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def make_highlight_reports(ctx: DemoContext) -> None:
    rng = ctx.random("highlight_reports")
    today = ctx.today
    current = period_containing(ReportFrequency.MONTHLY, today)
    starts_on = (current[0] - timedelta(days=1)).replace(day=1)
    for _ in range(MONTHS_BACK - 1):
        starts_on = (starts_on - timedelta(days=1)).replace(day=1)
    policy = ReportingPolicy.objects.order_by("pk").first() or ReportingPolicy()
    policy.frequency, policy.due_days, policy.reminder_days = ReportFrequency.MONTHLY, 5, 2
    policy.stages, policy.starts_on = list(DEFAULT_REPORTING_STAGES), starts_on
    policy.save()
    ctx.counts["reporting.ReportingPolicy"] += 1

    projects = [p for p in ctx.projects if p.stage in policy.stages and not p.is_archived]
    if not projects:
        return
    ids = [p.pk for p in projects]
    users = dict(get_user_model().objects.filter(person__isnull=False).values_list("person__pk", "pk"))
    reviewer = (
        RoleAssignment.objects.filter(
            role=Role.PMO_ANALYST, scope_type=ScopeType.ORGANISATION, person__user__isnull=False
        )
        .order_by("person__user__username")
        .values_list("person__user_id", flat=True)
        .first()
    )
    periods = sorted(ended_periods(ReportFrequency.MONTHLY, since=starts_on, today=today, limit=MONTHS_BACK))
    milestones = _milestones(ids)
    late = {p.pk for p in projects if rng.random() < LATE_SHARE and p != ctx.login_project}
    reports = []
    for index, (start, end) in enumerate([*periods, current]):
        is_current, is_last = (start, end) == current, index == len(periods) - 1
        figures = project_figures(ids, as_of=min(end, today))
        for project in projects:
            if project.planned_start and project.planned_start > end:
                continue
            status = ReportStatus.APPROVED
            if is_current:
                if rng.random() > 0.35 and project != ctx.login_project:
                    continue
                status = ReportStatus.DRAFT
            elif project.pk in late and (is_last or rng.random() < 0.5):
                if rng.random() < 0.5:
                    continue  # nothing sent at all
                status = ReportStatus.DRAFT
            elif is_last:
                if project == ctx.login_project:
                    status = ReportStatus.RETURNED
                else:
                    draw = rng.random()
                    status = ReportStatus.SUBMITTED if draw < 0.2 else ReportStatus.APPROVED
            reports.append(
                _report(
                    ctx,
                    rng,
                    project,
                    start,
                    end,
                    status=status,
                    figures=figures.get(project.pk, {}),
                    milestones=milestones,
                    users=users,
                    reviewer=reviewer,
                )
            )
    ctx.save_all(HighlightReport, reports)

    programme = (ctx.login_project.programme if ctx.login_project else None) or next(
        (p.programme for p in projects if p.programme_id), None
    )
    if programme is not None and periods:
        start, end = periods[-1]
        pack = ReportPack(
            programme=programme,
            portfolio_id=programme.portfolio_id,
            period_start=start,
            period_end=end,
            frequency=ReportFrequency.MONTHLY,
            title=f"{programme.code} highlight reports {period_label(ReportFrequency.MONTHLY, start, end)}",
            status=PackStatus.ISSUED,
            created_by_id=reviewer,
            issued_by_id=reviewer,
            issued_at=_moment(end + timedelta(days=policy.due_days + 2), 16),
        )
        pack.content = report_data.pack_content(pack, today=end + timedelta(days=policy.due_days + 2))
        pack.gathered_at = pack.issued_at
        ctx.save_all(ReportPack, [pack])


def _report(ctx, rng, project, start, end, *, status, figures, milestones, users, reviewer) -> HighlightReport:
    facts = _facts(project, start, end, figures, milestones.get(project.pk, []))
    schedule = _rag(figures.get("spi"), 0.95, 0.85)
    cost = _rag(figures.get("cpi"), 0.95, 0.85)
    risk = ReportRAG.AMBER if (figures.get("open_high_risks") or 0) > 0 else ReportRAG.GREEN
    rags = {"schedule": schedule, "cost": cost, "risk": risk}
    order = [ReportRAG.RED, ReportRAG.AMBER, ReportRAG.GREEN]
    overall = min(rags.values(), key=order.index)
    manager_user = users.get(project.manager_id)
    submitted = status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED, ReportStatus.RETURNED)
    reviewed = status in (ReportStatus.APPROVED, ReportStatus.RETURNED)
    spi, cpi = facts["evm"].get("spi"), facts["evm"].get("cpi")
    indices = f"SPI {spi:.2f}, CPI {cpi:.2f}" if spi is not None and cpi is not None else "no earned value yet"
    report = HighlightReport(
        project=project,
        period_start=start,
        period_end=end,
        frequency=ReportFrequency.MONTHLY,
        status=status,
        facts=facts,
        facts_taken_at=_moment(min(end, ctx.today), 18),
        summary=f"{project.name}: {indices}. {rng.choice(ACHIEVEMENTS)}",
        achievements=rng.choice(ACHIEVEMENTS),
        next_steps=rng.choice(NEXT_STEPS),
        risks_commentary=f"{facts['raid']['open_risks']} open risks, {facts['raid']['high_risks']} of them high; "
        f"{facts['raid']['open_issues']} open issues.",
        decisions_needed="" if overall == ReportRAG.GREEN else "Agree the recovery plan at the next board.",
        rag_overall=overall,
        **{f"rag_{d.value}": rags.get(d.value, ReportRAG.GREEN) for d in Dimension},
        comment_schedule="Behind the baseline; recovery plan in place." if schedule == ReportRAG.RED else "",
        comment_cost="Spending ahead of the work earned; reviewing rates." if cost == ReportRAG.RED else "",
        created_by_id=manager_user,
        submitted_by_id=manager_user if submitted else None,
        submitted_at=_moment(end + timedelta(days=rng.randint(1, 4)), 17) if submitted else None,
        reviewed_by_id=reviewer if reviewed else None,
        reviewed_at=_moment(end + timedelta(days=rng.randint(5, 7)), 11) if reviewed else None,
        review_comment=(
            "Say when the slipped milestones will be recovered, and what the board must decide."
            if status == ReportStatus.RETURNED
            else ""
        ),
    )
    if status == ReportStatus.DRAFT:
        report.summary = "" if rng.random() < 0.5 else report.summary
    return report
