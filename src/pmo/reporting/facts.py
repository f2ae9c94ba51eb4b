"""What highlight reports are made of: the reporting policy in force, the facts a report is
pre-filled with, which projects report and which of their reports are missing, and the content
of a report pack. Services and selectors both read through here; each function runs a fixed
number of queries whatever the number of rows.
"""

from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from pmo.changes.choices import ChangeStatus
from pmo.changes.models import ChangeRequest
from pmo.governance.choices import EscalationState, IssueStatus, RiskStatus
from pmo.governance.models import Escalation, Issue, Risk, RiskScale
from pmo.health.choices import Dimension
from pmo.health.models import HealthCheck, ProjectSnapshot
from pmo.planning.models import Activity, BaselineActivity
from pmo.planning.selectors import primary_baselines
from pmo.portfolio.models import Project
from pmo.reporting.choices import SENT_STATUSES, ReportStatus
from pmo.reporting.models import HighlightReport, ReportingPolicy
from pmo.reporting.periods import ended_periods, next_period, period_label

TOP_ENTRIES = 5
# How many past periods are looked at for missing reports (two years of months, half a year of weeks).
LOOKBACK_PERIODS = 26
EVM_NAMES = ("bac", "pv", "ev", "ac", "spi", "cpi", "eac", "vac")
SEVERITY_RANK = {"severe": 4, "major": 3, "moderate": 2, "minor": 1}
PRIORITY_RANK = {"critical": 4, "high": 3, "medium": 2, "low": 1}


def reporting_policy() -> ReportingPolicy:
    """The organisation's reporting policy; the defaults (unsaved) until the PMO writes one."""
    return ReportingPolicy.objects.order_by("pk").first() or ReportingPolicy()


def _day(moment: datetime | None) -> date | None:
    return timezone.localdate(moment) if moment else None


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _number(value) -> float | None:
    return None if value is None else round(float(value), 4)


# --- the facts of one report --------------------------------------------------------------------


def _snapshot(project: Project, period_end: date) -> ProjectSnapshot | None:
    snapshots = ProjectSnapshot.objects.filter(project=project).order_by("-period_end")
    return snapshots.filter(period_end__lte=period_end).first() or snapshots.first()


def _health(project: Project, period_end: date) -> HealthCheck | None:
    checks = HealthCheck.objects.filter(project=project).order_by("-period_end")
    return checks.filter(period_end__lte=period_end).first() or checks.first()


def _plan_progress(project: Project, period_end: date) -> dict:
    """Percent complete (duration-weighted over the tasks) and percent planned by the period's end
    (the primary baseline's tasks, each done in proportion of its baseline span elapsed)."""
    leaves = Activity.objects.filter(project=project, is_summary=False).values_list(
        "duration_minutes", "percent_complete"
    )
    weight = sum(minutes for minutes, _ in leaves)
    actual = sum(minutes * float(percent) for minutes, percent in leaves) / weight if weight else None
    baseline = primary_baselines([project.pk]).get(project.pk)
    planned = None
    if baseline is not None:
        cutoff = timezone.make_aware(datetime.combine(period_end + timedelta(days=1), time.min))
        entries = BaselineActivity.objects.filter(baseline=baseline, activity__is_summary=False).values_list(
            "start", "finish", "duration_minutes"
        )
        total = sum(minutes for _, _, minutes in entries)
        done = 0.0
        for start, finish, minutes in entries:
            if not start or not finish or cutoff <= start:
                continue
            span = (finish - start).total_seconds()
            done += minutes * (1.0 if cutoff >= finish or span <= 0 else (cutoff - start).total_seconds() / span)
        planned = 100.0 * done / total if total else None
    return {
        "percent_planned": _number(planned),
        "percent_complete": _number(actual),
        "source": "plan",
    }


def _milestones(project: Project, period_start: date, period_end: date, frequency: str) -> dict:
    baseline = primary_baselines([project.pk]).get(project.pk)
    entries = BaselineActivity.objects.filter(baseline=baseline) if baseline else BaselineActivity.objects.none()
    baseline_finish = dict(entries.values_list("activity_id", "finish"))
    next_start, next_end = next_period(frequency, period_start)
    done, upcoming = [], []
    for milestone in Activity.objects.filter(project=project, is_milestone=True).order_by("position", "id"):
        actual = _day(milestone.actual_finish)
        forecast = _day(milestone.finish or milestone.early_finish)
        planned = _day(baseline_finish.get(milestone.pk))
        row = {
            "name": milestone.name,
            "wbs_code": milestone.wbs_code,
            "baseline": _iso(planned),
            "forecast": _iso(forecast),
            "actual": _iso(actual),
            "slip_days": (forecast - planned).days if forecast and planned else None,
        }
        if actual and period_start <= actual <= period_end:
            done.append(row)
        elif actual is None and any(d and next_start <= d <= next_end for d in (forecast, planned)):
            upcoming.append(row)
    return {"done": done, "next": upcoming, "next_period": period_label(frequency, next_start, next_end)}


def _raid(project: Project, period_end: date) -> dict:
    scale = RiskScale.objects.filter(pk=1).first() or RiskScale()
    risks = list(
        Risk.objects.filter(project=project, status=RiskStatus.OPEN).values(
            "pk", "title", "score", "residual_score", "owner__full_name"
        )
    )
    for risk in risks:
        risk["effective"] = risk["residual_score"] if risk["residual_score"] is not None else risk["score"]
    risks.sort(key=lambda risk: (-risk["effective"], risk["pk"]))
    open_issue_statuses = (IssueStatus.OPEN, IssueStatus.IN_PROGRESS)
    issues = list(
        Issue.objects.filter(project=project, status__in=open_issue_statuses).values(
            "pk", "title", "severity", "priority", "due_on", "owner__full_name"
        )
    )
    issues.sort(key=lambda i: (-SEVERITY_RANK.get(i["severity"], 0), -PRIORITY_RANK.get(i["priority"], 0), i["pk"]))
    escalations = list(
        Escalation.objects.filter(state=EscalationState.ACTIVE)
        .filter(Q(risk__project=project) | Q(issue__project=project))
        .values("risk__title", "issue__title", "escalated_at")
        .order_by("escalated_at")
    )
    return {
        "open_risks": len(risks),
        "high_risks": sum(1 for risk in risks if risk["effective"] >= scale.red_from),
        "open_issues": len(issues),
        "overdue_issues": sum(1 for issue in issues if issue["due_on"] and issue["due_on"] < period_end),
        "top_risks": [
            {
                "reference": f"{Risk.reference_prefix}-{risk['pk']:04d}",
                "title": risk["title"],
                "score": risk["effective"],
                "band": scale.band(risk["effective"]),
                "owner": risk["owner__full_name"] or "",
            }
            for risk in risks[:TOP_ENTRIES]
        ],
        "top_issues": [
            {
                "reference": f"{Issue.reference_prefix}-{issue['pk']:04d}",
                "title": issue["title"],
                "severity": issue["severity"],
                "priority": issue["priority"],
                "due_on": _iso(issue["due_on"]),
                "owner": issue["owner__full_name"] or "",
            }
            for issue in issues[:TOP_ENTRIES]
        ],
        "escalations": [
            {"title": row["risk__title"] or row["issue__title"], "kind": "risk" if row["risk__title"] else "issue"}
            for row in escalations
        ],
    }


def _changes(project: Project, period_start: date, period_end: date) -> dict:
    changes = ChangeRequest.objects.filter(project=project)
    raised = changes.filter(raised_on__range=(period_start, period_end)).order_by("number")
    decided = [
        change
        for change in changes.filter(decided_at__isnull=False).order_by("number")
        if period_start <= _day(change.decided_at) <= period_end
    ]
    return {
        "raised": [{"reference": c.reference, "title": c.title, "status": c.get_status_display()} for c in raised],
        "decided": [
            {
                "reference": c.reference,
                "title": c.title,
                "status": c.get_status_display(),
                "decided_on": _iso(_day(c.decided_at)),
            }
            for c in decided
        ],
        "pending": changes.filter(status=ChangeStatus.SUBMITTED).count(),
    }


def _health_facts(check: HealthCheck | None) -> dict:
    if check is None:
        return {}
    return {
        "period_end": _iso(check.period_end),
        "overall": check.overall,
        "dimensions": {dimension.value: check.status_of(dimension) for dimension in Dimension},
        "fired": [
            {
                "rule": finding.get("rule", ""),
                "dimension": finding.get("dimension", ""),
                "status": finding.get("status", ""),
                "message": finding.get("message", ""),
            }
            for finding in check.fired
        ],
    }


def report_facts(project: Project, *, period_start: date, period_end: date, frequency: str) -> dict:
    """The figures a highlight report is pre-filled with: progress, milestones done this period
    and due next period, earned value, RAID, changes and health, as plain JSON values."""
    snapshot = _snapshot(project, period_end)
    figures = dict(snapshot.figures or {}) if snapshot else {}
    evm = {}
    if snapshot is not None:
        evm = {name: _number(figures.get(name, getattr(snapshot, name, None))) for name in EVM_NAMES}
        evm["period_end"] = _iso(snapshot.period_end)
    progress = _plan_progress(project, period_end)
    if snapshot is not None and figures.get("percent_complete") is not None:
        progress = {
            "percent_planned": _number(figures.get("percent_planned")),
            "percent_complete": _number(figures.get("percent_complete")),
            "source": "snapshot",
        }
    return {
        "period": {"start": _iso(period_start), "end": _iso(period_end), "frequency": frequency},
        "project": {
            "code": project.code,
            "name": project.name,
            "stage": project.get_stage_display(),
            "manager": project.manager.full_name if project.manager_id else "",
        },
        "progress": progress,
        "milestones": _milestones(project, period_start, period_end, frequency),
        "evm": evm,
        "raid": _raid(project, period_end),
        "changes": _changes(project, period_start, period_end),
        "health": _health_facts(_health(project, period_end)),
    }


# --- which projects report, and which reports are missing -----------------------------------------


def reporting_projects(queryset=None, policy: ReportingPolicy | None = None):
    """The projects that report under the policy: in a reporting stage and not archived."""
    policy = policy or reporting_policy()
    queryset = Project.objects.all() if queryset is None else queryset
    return queryset.filter(stage__in=policy.stages, is_archived=False)


def owed_since(project: Project, policy: ReportingPolicy) -> date:
    starts = [policy.starts_on]
    if project.planned_start:
        starts.append(project.planned_start)
    return max(starts)


def missing_reports(projects, *, today: date, policy: ReportingPolicy | None = None) -> dict[int, list[dict]]:
    """For each project, the ended periods past their due date without a submitted or approved
    report, oldest first: ``{"start", "end", "due_on", "days_late"}``. Two queries."""
    policy = policy or reporting_policy()
    projects = list(projects)
    sent = set(
        HighlightReport.objects.filter(project__in=[p.pk for p in projects], status__in=SENT_STATUSES).values_list(
            "project_id", "period_start"
        )
    )
    periods = ended_periods(policy.frequency, since=policy.starts_on, today=today, limit=LOOKBACK_PERIODS)
    missing: dict[int, list[dict]] = {}
    for project in projects:
        since = owed_since(project, policy)
        rows = []
        for start, end in reversed(periods):
            due = policy.due_on(end)
            if end < since or due >= today or (project.pk, start) in sent:
                continue
            rows.append({"start": start, "end": end, "due_on": due, "days_late": (today - due).days})
        missing[project.pk] = rows
    return missing


# --- a pack's content ------------------------------------------------------------------------------


def _next_milestone(facts: dict) -> dict:
    upcoming = (facts.get("milestones") or {}).get("next") or []
    if not upcoming:
        return {}
    first = upcoming[0]
    return {"name": first["name"], "date": first.get("forecast") or first.get("baseline")}


def report_section(report: HighlightReport) -> dict:
    """One report as a pack (and its PDF) shows it."""
    facts = report.facts or {}
    return {
        "id": report.pk,
        "project_code": report.project.code,
        "project_name": report.project.name,
        "manager": report.project.manager.full_name if report.project.manager_id else "",
        "period": report.period_label,
        "status": report.status,
        "status_label": report.get_status_display(),
        "submitted_at": report.submitted_at.isoformat() if report.submitted_at else None,
        "reviewed_by": report.reviewed_by.get_username() if report.reviewed_by_id else "",
        "summary": report.summary,
        "achievements": report.achievements,
        "next_steps": report.next_steps,
        "risks_commentary": report.risks_commentary,
        "decisions_needed": report.decisions_needed,
        "rag_overall": report.rag_overall,
        "rag_justification": report.rag_justification,
        "dimensions": report.dimension_rows,
        "facts": facts,
    }


def pack_content(pack, *, today: date | None = None) -> dict:
    """Gather a pack: a summary row per reporting project of the programme (or portfolio), the
    sections of the approved reports, and the projects whose report is missing or late."""
    today = today or timezone.localdate()
    policy = reporting_policy()
    projects = Project.objects.filter(portfolio_id=pack.portfolio_id)
    if pack.programme_id:
        projects = projects.filter(programme_id=pack.programme_id)
    rows = list(reporting_projects(projects, policy).select_related("manager").order_by("code"))
    reports = {
        report.project_id: report
        for report in HighlightReport.objects.filter(
            project__in=[p.pk for p in rows], period_start=pack.period_start
        ).select_related("project", "project__manager", "reviewed_by")
    }
    due = policy.due_on(pack.period_end)
    summary, sections, missing = [], [], []
    for project in rows:
        report = reports.get(project.pk)
        facts = report.facts if report else {}
        evm = (facts or {}).get("evm") or {}
        status = report.status if report else ""
        is_late = status not in SENT_STATUSES and today > due
        summary.append(
            {
                "project_code": project.code,
                "project_name": project.name,
                "manager": project.manager.full_name if project.manager_id else "",
                "report_id": report.pk if report else None,
                "status": status or "missing",
                "status_label": report.get_status_display() if report else "Missing",
                "is_late": is_late,
                "rag_overall": report.rag_overall if report else "",
                "rags": {d.value: report.rag_of(d) for d in Dimension} if report else {},
                "spi": evm.get("spi"),
                "cpi": evm.get("cpi"),
                "percent_complete": ((facts or {}).get("progress") or {}).get("percent_complete"),
                "next_milestone": _next_milestone(facts or {}),
            }
        )
        if report is not None and report.status == ReportStatus.APPROVED:
            sections.append(report_section(report))
        elif status not in SENT_STATUSES:
            missing.append(
                {
                    "project_code": project.code,
                    "project_name": project.name,
                    "manager": project.manager.full_name if project.manager_id else "",
                    "status_label": report.get_status_display() if report else "Not started",
                    "due_on": _iso(due),
                    "days_late": (today - due).days if is_late else 0,
                }
            )
    return {
        "title": pack.title,
        "scope": str(pack.scope),
        "period": pack.period_label,
        "period_start": _iso(pack.period_start),
        "period_end": _iso(pack.period_end),
        "due_on": _iso(due),
        "gathered_on": _iso(today),
        "dimensions": [{"value": d.value, "label": d.label} for d in Dimension],
        "summary": summary,
        "sections": sections,
        "missing": missing,
        "counts": {
            "projects": len(rows),
            "approved": len(sections),
            "missing_or_late": len(missing),
        },
    }
